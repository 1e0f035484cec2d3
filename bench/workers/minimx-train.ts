/**
 * Training worker for minimx: d2l's scratch softmax regression (3.6) and scratch MLP (3.9),
 * written line for line as the book does with `nd` ops, `autograd.record`, `backward` and a
 * hand-written minibatch SGD; the MLP's loss is the stable `-nd.pick(nd.logSoftmax(O), y)`.
 * LeNet (5.5) goes through the public Gluon API as the book writes it: an `nn.HybridSequential`
 * of `nn.Conv2D`, `nn.MaxPool2D` and `nn.Dense`, `gluon.loss.SoftmaxCrossEntropyLoss` and a
 * `gluon.Trainer` with SGD (its `step(256)` is the same update as the others' `lr * grad / 256`).
 * With `--api gluon`, softmax regression and the MLP are d2l's concise versions (3.7, 3.10) instead:
 * `nn.Sequential` of `nn.Dense`, `SoftmaxCrossEntropyLoss`, `gluon.Trainer`, the same function
 * from the same weights (the PyTorch comparison, `torch_bench.py --api nn`, does the same).
 * Usage: `tsx workers/minimx-train.ts --model mlp --epochs 2 [--batches 20] [--backend cpu]
 * [--threads 0] [--api gluon]` (default backend: whatever `@minimx/ndarray` picks; `--threads` sets the wasm
 * matmul's extra worker threads, default its own choice). The reported backend names the threads.
 */
import { autograd, getBackend, type NDArray, nd, setBackend } from '@minimx/ndarray';
import { Trainer as GluonTrainer, loss as gloss, nn } from '@minimx/nn';
import { Args } from '../args.js';
import { BATCH_SIZE, type ParamInit, type Trainer } from '../training.js';
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

/** d2l 5.5's LeNet with the shared initial weights, trained with Gluon's Trainer. */
function lenetTrainer(init: ParamInit[], lr: number): Trainer {
  const net = new nn.HybridSequential();
  net.add(
    new nn.Conv2D(6, { kernelSize: 5, activation: 'sigmoid', inChannels: 1 }),
    new nn.MaxPool2D({ poolSize: 2, strides: 2 }),
    new nn.Conv2D(16, { kernelSize: 5, activation: 'sigmoid', inChannels: 6 }),
    new nn.MaxPool2D({ poolSize: 2, strides: 2 }),
    new nn.Dense(120, { activation: 'sigmoid', inUnits: 256 }),
    new nn.Dense(84, { activation: 'sigmoid', inUnits: 120 }),
    new nn.Dense(10, { inUnits: 84 }),
  );
  net.initialize();
  const params = [...net.collectParams().values()];
  if (params.length !== init.length)
    throw new Error(`lenet: ${params.length} parameters, expected ${init.length}`);
  for (const [i, p] of params.entries()) p.setData(nd.fromTypedArray(init[i].data.slice(), init[i].shape));
  const lossFn = new gloss.SoftmaxCrossEntropyLoss();
  const trainer = new GluonTrainer(net.collectParams(), 'sgd', { learningRate: lr });
  const images = (data: Float32Array, count: number) => nd.fromTypedArray(data, [count, 1, 28, 28]);
  return {
    trainBatch(data, labels, count) {
      const X = images(data, count);
      const y = nd.fromTypedArray(labels, [count]);
      const { l, yHat } = autograd.record(() => {
        const yHat = net.forward(X);
        return { l: lossFn.forward(yHat, y), yHat };
      });
      l.backward();
      trainer.step(BATCH_SIZE);
      return { lossSum: l.sum().asScalar(), correct: correctCount(yHat, y) };
    },
    countCorrect(data, labels, count) {
      return correctCount(net.forward(images(data, count)), nd.fromTypedArray(labels, [count]));
    },
  };
}

/** `init`'s (in, out) weight as Gluon's Dense holds it, (units, in). */
function denseWeight(p: ParamInit): NDArray {
  return nd.fromTypedArray(p.data.slice(), p.shape).transpose().copy();
}

/**
 * d2l 3.7 and 3.10 (concise): `nn.Sequential` of `nn.Dense` layers, `SoftmaxCrossEntropyLoss` and
 * `gluon.Trainer('sgd')`, from the same initial weights (transposed into Dense's (units, in)).
 */
function gluonTrainer(model: 'softmax' | 'mlp', init: ParamInit[], lr: number): Trainer {
  const net = new nn.Sequential();
  if (model === 'softmax') net.add(new nn.Dense(10, { inUnits: 784 }));
  else net.add(new nn.Dense(256, { activation: 'relu', inUnits: 784 }), new nn.Dense(10, { inUnits: 256 }));
  net.initialize();
  const params = [...net.collectParams().values()];
  for (const [i, p] of params.entries())
    p.setData(i % 2 === 0 ? denseWeight(init[i]) : nd.fromTypedArray(init[i].data.slice(), init[i].shape));
  const lossFn = new gloss.SoftmaxCrossEntropyLoss();
  const trainer = new GluonTrainer(net.collectParams(), 'sgd', { learningRate: lr });
  return {
    trainBatch(images, labels, count) {
      const X = nd.fromTypedArray(images, [count, 784]);
      const y = nd.fromTypedArray(labels, [count]);
      const { l, yHat } = autograd.record(() => {
        const yHat = net.forward(X);
        return { l: lossFn.forward(yHat, y), yHat };
      });
      l.backward();
      trainer.step(BATCH_SIZE);
      return { lossSum: l.sum().asScalar(), correct: correctCount(yHat, y) };
    },
    countCorrect(images, labels, count) {
      return correctCount(
        net.forward(nd.fromTypedArray(images, [count, 784])),
        nd.fromTypedArray(labels, [count]),
      );
    },
  };
}

const api = new Args(process.argv.slice(2)).choice('api', ['scratch', 'gluon'] as const, 'scratch');

const makeTrainer: TrainerFactory = (model, init, lr): Trainer => {
  if (model === 'lenet') return lenetTrainer(init, lr);
  if (api === 'gluon') return gluonTrainer(model, init, lr);
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
  {
    framework: 'minimx',
    backend: getBackend(),
    ...(api === 'gluon' && args.string('model', '') !== 'lenet' ? { api } : {}),
  },
  parseWorkerOptions(args),
  makeTrainer,
  minimxBackendLabel,
);
