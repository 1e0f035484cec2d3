/**
 * Training worker for minimx: d2l's scratch softmax regression (3.6) and scratch MLP (3.9),
 * written line for line as the book does with `nd` ops, `autograd.record`, `backward` and a
 * hand-written minibatch SGD; the MLP's loss is the stable `-nd.pick(nd.logSoftmax(O), y)`.
 * Usage: `tsx workers/minimx-train.ts --model mlp --epochs 2 [--batches 20] [--backend cpu]
 * [--threads 0]` (default backend: whatever `@minimx/ndarray` picks; `--threads` sets the wasm
 * matmul's extra worker threads, default its own choice). The reported backend names the threads.
 */
import { autograd, getBackend, type NDArray, nd, setBackend } from '@minimx/ndarray';
import { Args } from '../args.js';
import { BATCH_SIZE, type Trainer } from '../training.js';
import { applyThreadsOption, minimxBackendLabel } from './minimx-threads.js';
import { parseWorkerOptions, runTrainWorker, type TrainerFactory } from './train-worker.js';

/** d2l 3.6: `softmax(X) = exp(X) / exp(X).sum(axis=1, keepdims=True)`. */
function softmax(x: NDArray): NDArray {
  const e = x.exp();
  return e.div(e.sum({ axis: 1, keepdims: true }));
}

/** d2l's `sgd`: `param[:] = param - lr * param.grad / batch_size`. */
function sgd(params: NDArray[], lr: number): void {
  for (const p of params) p.set(p.sub(p.grad!.mul(lr / BATCH_SIZE)));
}

function correctCount(yHat: NDArray, y: NDArray): number {
  return yHat.argmax({ axis: 1 }).equal(y.astype('float32')).sum().asScalar();
}

const makeTrainer: TrainerFactory = (model, init, lr): Trainer => {
  const params = init.map((p) => nd.fromTypedArray(p.data.slice(), p.shape));
  for (const p of params) p.attachGrad();
  const [W1, b1, W2, b2] = params;

  // Returns the summed loss over the batch and the network's output (probabilities or logits).
  const forwardLoss =
    model === 'softmax'
      ? (X: NDArray, y: NDArray) => {
          const yHat = softmax(nd.dot(X, W1).add(b1));
          return { loss: nd.pick(yHat, y).log().neg(), yHat };
        }
      : (X: NDArray, y: NDArray) => {
          const H = nd.relu(nd.dot(X, W1).add(b1));
          const yHat = nd.dot(H, W2).add(b2);
          return { loss: nd.pick(nd.logSoftmax(yHat), y).neg(), yHat };
        };
  const net =
    model === 'softmax'
      ? (X: NDArray) => nd.dot(X, W1).add(b1)
      : (X: NDArray) => nd.dot(nd.relu(nd.dot(X, W1).add(b1)), W2).add(b2);

  return {
    trainBatch(images, labels, count) {
      const X = nd.fromTypedArray(images, [count, 784]);
      const y = nd.fromTypedArray(labels, [count]);
      const { loss, yHat } = autograd.record(() => forwardLoss(X, y));
      loss.backward();
      sgd(params, lr);
      return { lossSum: loss.sum().asScalar(), correct: correctCount(yHat, y) };
    },
    countCorrect(images, labels, count) {
      return correctCount(net(nd.fromTypedArray(images, [count, 784])), nd.fromTypedArray(labels, [count]));
    },
  };
};

const args = new Args(process.argv.slice(2));
if (args.has('backend')) setBackend(args.string('backend', 'cpu'));
applyThreadsOption(args);
await runTrainWorker(
  { framework: 'minimx', backend: getBackend() },
  parseWorkerOptions(args),
  makeTrainer,
  minimxBackendLabel,
);
