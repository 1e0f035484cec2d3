/**
 * Training worker for TensorFlow.js: the same two d2l scratch workloads with `tf.variableGrads`
 * and the same SGD update, on the `cpu` or `wasm` backend. The softmax regression spells out
 * softmax and cross-entropy as d2l does (one-hot product in place of `pick`); the MLP uses the
 * stable fused `tf.losses.softmaxCrossEntropy`, as does LeNet (`tf.conv2d` on NHWC with the
 * weights transposed from Gluon's layout, `tf.maxPool`, the activations put back in NCHW order
 * before the first dense layer so that it is the same function). A backend that lacks a kernel
 * LeNet needs (wasm has no Conv2DBackpropFilter) reports an `unsupported` record with the error.
 * Usage: `tsx workers/tfjs-train.ts --backend wasm --model mlp --epochs 1 [--batches 20]`.
 */
import type { Scalar, Tensor, Tensor4D, Variable } from '@tensorflow/tfjs-core';
import { Args } from '../args.js';
import { emit } from '../protocol.js';
import { BATCH_SIZE, NUM_CLASSES, type ParamInit, type Trainer } from '../training.js';
import { startTfjs } from './tfjs-backend.js';
import { parseWorkerOptions, runTrainWorker, type TrainerFactory } from './train-worker.js';

const args = new Args(process.argv.slice(2));
const backend = args.choice('backend', ['cpu', 'wasm'] as const, 'wasm');
const tf = await startTfjs(backend);

/** d2l 5.5's LeNet on NHWC tensors; the weights are Gluon's, transposed where TF.js's layout differs. */
function lenetTrainer(init: ParamInit[], lr: number): Trainer {
  const value = (i: number) => tf.tensor(init[i].data, init[i].shape);
  // conv weights (out, in, kh, kw) -> (kh, kw, in, out); dense weights stay (units, in), used transposed.
  const params: Variable[] = init.map((p, i) =>
    tf.variable(p.shape.length === 4 ? tf.transpose(value(i), [2, 3, 1, 0]) : value(i), true, p.name),
  );
  const [c0w, c0b, c1w, c1b, d0w, d0b, d1w, d1b, d2w, d2b] = params;
  const dense = (h: Tensor, w: Tensor, b: Tensor) => tf.add(tf.matMul(h, w, false, true), b);
  const net = (X: Tensor) => {
    let h: Tensor = tf.reshape(X, [-1, 28, 28, 1]);
    h = tf.maxPool(
      tf.sigmoid(tf.add(tf.conv2d(h as Tensor4D, c0w as Tensor4D, 1, 'valid'), c0b)) as Tensor4D,
      2,
      2,
      'valid',
    );
    h = tf.maxPool(
      tf.sigmoid(tf.add(tf.conv2d(h as Tensor4D, c1w as Tensor4D, 1, 'valid'), c1b)) as Tensor4D,
      2,
      2,
      'valid',
    );
    h = tf.reshape(tf.transpose(h, [0, 3, 1, 2]), [-1, 256]);
    h = tf.sigmoid(dense(h, d0w, d0b));
    h = tf.sigmoid(dense(h, d1w, d1b));
    return dense(h, d2w, d2b);
  };
  return generic(
    params,
    net,
    (O, oneHot) => tf.sum(tf.losses.softmaxCrossEntropy(oneHot, O, undefined, 0, tf.Reduction.NONE)),
    lr,
  );
}

/** A trainer from parameters, a network and a summed loss: variableGrads, then `p -= lr * g / 256`. */
function generic(
  params: Variable[],
  net: (X: Tensor) => Tensor,
  lossSum: (O: Tensor, oneHot: Tensor) => Tensor,
  lr: number,
): Trainer {
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
}

const makeTrainer: TrainerFactory = (model, init, lr): Trainer => {
  if (model === 'lenet') return lenetTrainer(init, lr);
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
  return generic(params, net, lossSum, lr);
};

const options = parseWorkerOptions(args);
try {
  await runTrainWorker({ framework: 'tfjs', backend }, options, makeTrainer);
} catch (e) {
  // A missing kernel (TF.js wasm has no Conv2DBackpropFilter) is a result, not a harness failure.
  const message = e instanceof Error ? e.message : String(e);
  if (!/not registered/.test(message)) throw e;
  process.stderr.write(`[tfjs/${backend} ${options.model}] cannot train: ${message}\n`);
  emit({ kind: 'unsupported', framework: 'tfjs', backend, model: options.model, message });
}
