/**
 * d2l 3.6 Implementation of Softmax Regression from Scratch
 *
 * "Dive into Deep Learning", MXNet edition, section 3.6, in the order of the book's Gluon code:
 * softmax regression on Fashion-MNIST with hand-written `softmax`, `net`, `crossEntropy` and
 * `accuracy` over `nd.exp`, `sum(axis, keepdims)`, `nd.dot`, `nd.pick`, `argmax`, then
 * `d2l.trainCh3` with `d2l.sgd` for 5 epochs at learning rate 0.1, and a picture of true vs
 * predicted labels of the first 9 test images (`d2l.showFashionMnist`).
 *
 * Flags: `--epochs N` (default 5), `--seed N`, `--batches N`, `--out DIR` (default `out/`).
 */
import * as path from 'node:path';
import * as d2l from '@minimx/d2l';
import { type NDArray, nd } from '@minimx/ndarray';
import { parseArgs } from './cli.js';

const args = parseArgs({ epochs: 5 });

// #region 3.6 Reading the data
// The book reads Fashion-MNIST with `d2l.load_data_fashion_mnist(batch_size)`, batch size 256.
// helpers: loadDataFashionMnist
const batchSize = 256;
const [trainIter, testIter] = await d2l.loadDataFashionMnist(batchSize);
// #endregion

// #region 3.6.1 Initializing the model parameters
// 784 inputs (flattened 28x28 images), 10 outputs; W from `nd.random.normal` with scale 0.01,
// b from `nd.zeros`, then `attach_grad()` on both.
const numInputs = 784;
const numOutputs = 10;

const W = nd.random.normal({ scale: 0.01, shape: [numInputs, numOutputs] });
const b = nd.zeros(numOutputs);
W.attachGrad();
b.attachGrad();
// #endregion

// #region 3.6.2 Implementing the softmax operation
// `sum(axis=0, keepdims=True)` and `sum(axis=1, keepdims=True)` on a 2x3 array, then `softmax`
// written with `exp`, `sum(axis=1, keepdims=True)` and a division, tried on `nd.random.normal`
// input of shape (2, 5): every row of the result sums to 1.
let X = nd.array([
  [1, 2, 3],
  [4, 5, 6],
]);
console.log(`${X.sum({ axis: 0, keepdims: true })}`, `${X.sum({ axis: 1, keepdims: true })}`);

function softmax(X: NDArray): NDArray {
  const XExp = X.exp();
  const partition = XExp.sum({ axis: 1, keepdims: true });
  return XExp.div(partition); // broadcasting
}

X = nd.random.normal({ shape: [2, 5] });
const XProb = softmax(X);
console.log(`${XProb}`, `${XProb.sum({ axis: 1 })}`);
// #endregion

// #region 3.6.3 Defining the model
// `net(X)` reshapes X to (-1, num_inputs), multiplies by W with `nd.dot`, adds b, applies softmax.
function net(X: NDArray): NDArray {
  return softmax(nd.dot(X.reshape(-1, numInputs), W).add(b));
}
// #endregion

// #region 3.6.4 Defining the loss function
// `nd.pick(y_hat, y)` picks each row's predicted probability of the true label; the cross-entropy
// loss is `-nd.pick(y_hat, y).log()`.
const yHat = nd.array([
  [0.1, 0.3, 0.6],
  [0.3, 0.2, 0.5],
]);
let y = nd.array([0, 2], { dtype: 'int32' });
console.log(`${nd.pick(yHat, y)}`);

function crossEntropy(yHat: NDArray, y: NDArray): NDArray {
  return nd.pick(yHat, y).log().neg();
}
// #endregion

// #region 3.6.5 Calculating the classification accuracy
// `accuracy` compares `y_hat.argmax(axis=1)` with `y.astype('float32')` and takes the mean
// (0.5 on the example above); `evaluate_accuracy` of the untrained net is close to 0.1.
// helpers: evaluateAccuracy
function accuracy(yHat: NDArray, y: NDArray): number {
  return yHat.argmax({ axis: 1 }).equal(y.astype('float32')).mean().asScalar();
}

console.log(accuracy(yHat, y));

console.log(d2l.evaluateAccuracy(testIter, net));
// #endregion

// #region 3.6.6 Training the model
// 5 epochs at learning rate 0.1; `train_ch3` records the forward pass under `autograd.record()`,
// calls `backward()` on the summed loss, updates with `d2l.sgd(params, lr, batch_size)` and prints
// one line per epoch.
// helpers: trainCh3
const numEpochs = args.epochs;
const lr = 0.1;

d2l.trainCh3(net, trainIter, testIter, crossEntropy, numEpochs, batchSize, [W, b], lr);
// #endregion

// #region 3.6.7 Prediction
// Takes the first test batch, turns true labels and `net(X).argmax(axis=1)` into text with
// `d2l.get_fashion_mnist_labels`, and shows the first 9 images titled true over predicted with
// `d2l.show_fashion_mnist(X[0:9], titles[0:9])`.
for ([X, y] of testIter) {
  break;
}

const trueLabels = d2l.getFashionMnistLabels(y);
const predLabels = d2l.getFashionMnistLabels(net(X).argmax({ axis: 1 }));
const titles = trueLabels.map((trueLabel, i) => `${trueLabel}\n${predLabels[i]}`);

const file = d2l.showFashionMnist(X.slice(0, 9), titles.slice(0, 9), {
  path: path.join(args.out, 'softmax-regression-scratch-predictions.png'),
});
console.log(`wrote ${file}`);
// #endregion
