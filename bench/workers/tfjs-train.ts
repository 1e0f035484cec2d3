/**
 * Training worker for TensorFlow.js: the same two d2l scratch workloads with `tf.variableGrads`
 * and the same SGD update, on the `cpu` or `wasm` backend. The softmax regression spells out
 * softmax and cross-entropy as d2l does (one-hot product in place of `pick`); the MLP uses the
 * stable fused `tf.losses.softmaxCrossEntropy`. Usage: `tsx workers/tfjs-train.ts --backend wasm
 * --model mlp --epochs 1 [--batches 20]`.
 */
import type { Scalar, Tensor, Variable } from '@tensorflow/tfjs-core';
import { Args } from '../args.js';
import { BATCH_SIZE, NUM_CLASSES, type Trainer } from '../training.js';
import { startTfjs } from './tfjs-backend.js';
import { parseWorkerOptions, runTrainWorker, type TrainerFactory } from './train-worker.js';

const args = new Args(process.argv.slice(2));
const backend = args.choice('backend', ['cpu', 'wasm'] as const, 'wasm');
const tf = await startTfjs(backend);

const makeTrainer: TrainerFactory = (model, init, lr): Trainer => {
  const params: Variable[] = init.map((p) => tf.variable(tf.tensor(p.data, p.shape), true, p.name));
  const [W1, b1, W2, b2] = params;
  const net =
    model === 'softmax'
      ? (X: Tensor) => tf.add(tf.matMul(X, W1), b1)
      : (X: Tensor) => tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(X, W1), b1)), W2), b2);
  // Summed loss over the batch, from the network's output and one-hot labels.
  const lossSum =
    model === 'softmax'
      ? (O: Tensor, oneHot: Tensor) => {
          const e = tf.exp(O);
          const yHat = tf.div(e, tf.sum(e, 1, true));
          return tf.neg(tf.sum(tf.log(tf.sum(tf.mul(yHat, oneHot), 1))));
        }
      : (O: Tensor, oneHot: Tensor) =>
          tf.sum(tf.losses.softmaxCrossEntropy(oneHot, O, undefined, 0, tf.Reduction.NONE));
  const correct = (O: Tensor, y: Tensor) => tf.sum(tf.cast(tf.equal(tf.argMax(O, 1), y), 'int32'));

  return {
    trainBatch(images, labels, count) {
      return tf.tidy(() => {
        const X = tf.tensor2d(images, [count, 784]);
        const y = tf.tensor1d(labels, 'int32');
        const oneHot = tf.oneHot(y, NUM_CLASSES);
        let output: Tensor | null = null;
        const { value, grads } = tf.variableGrads(() => {
          output = tf.keep(net(X));
          return lossSum(output, oneHot) as Scalar;
        }, params);
        for (const p of params) p.assign(tf.sub(p, tf.mul(grads[p.name], lr / BATCH_SIZE)));
        const hits = correct(output!, y).dataSync()[0];
        (output! as Tensor).dispose(); // kept out of variableGrads' scope, so tidy would not free it
        return { lossSum: value.dataSync()[0], correct: hits };
      });
    },
    countCorrect(images, labels, count) {
      return tf.tidy(
        () => correct(net(tf.tensor2d(images, [count, 784])), tf.tensor1d(labels, 'int32')).dataSync()[0],
      );
    },
  };
};

await runTrainWorker({ framework: 'tfjs', backend }, parseWorkerOptions(args), makeTrainer);
