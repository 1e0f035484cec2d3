/**
 * d2l 3.9 Implementation of Multilayer Perceptron from Scratch
 *
 * "Dive into Deep Learning", MXNet edition, section 3.9, in the order of the book's Gluon code:
 * a 784-256-10 perceptron with one hidden ReLU layer on Fashion-MNIST, parameters from
 * `nd.random.normal` (scale 0.01) and `nd.zeros` with `attach_grad`, `relu` written with
 * `nd.maximum`, Gluon's `SoftmaxCrossEntropyLoss`, and `d2l.trainCh3` with `d2l.sgd` for 5 epochs
 * at learning rate 0.5.
 *
 * Flags: `--epochs N` (default 5), `--seed N`, `--batches N`, `--out DIR`.
 */

import * as d2l from '@minimx/d2l';
import { type NDArray, nd } from '@minimx/ndarray';
import { loss as gloss } from '@minimx/nn';
import { parseArgs } from './cli.js';

const args = parseArgs({ epochs: 5 });

// #region 3.9.1 Reading the data
// `d2l.load_data_fashion_mnist(batch_size)` with batch size 256, as in 3.6.
const batchSize = 256;
const [trainIter, testIter] = await d2l.loadDataFashionMnist(batchSize);
// #endregion

// #region 3.9.2 Defining the model parameters
// 784 inputs, 10 outputs, 256 hidden units; W1, W2 from `nd.random.normal(scale=0.01)`, b1, b2
// from `nd.zeros`, and `attach_grad()` on each of the four.
const numInputs = 784;
const numOutputs = 10;
const numHiddens = 256;

const W1 = nd.random.normal({ scale: 0.01, shape: [numInputs, numHiddens] });
const b1 = nd.zeros(numHiddens);
const W2 = nd.random.normal({ scale: 0.01, shape: [numHiddens, numOutputs] });
const b2 = nd.zeros(numOutputs);
const params = [W1, b1, W2, b2];

for (const param of params) {
  param.attachGrad();
}
// #endregion

// #region 3.9.3 Defining the activation function
// `relu(X)` is `nd.maximum(X, 0)`.
function relu(X: NDArray): NDArray {
  return nd.maximum(X, 0);
}
// #endregion

// #region 3.9.4 Defining the model
// `net(X)` reshapes X to (-1, num_inputs), computes the hidden layer `relu(nd.dot(X, W1) + b1)`
// and returns `nd.dot(H, W2) + b2`.
function net(X: NDArray): NDArray {
  X = X.reshape(-1, numInputs);
  const H = relu(nd.dot(X, W1).add(b1));
  return nd.dot(H, W2).add(b2);
}
// #endregion

// #region 3.9.5 Defining the loss function
// Gluon's `gloss.SoftmaxCrossEntropyLoss()`, which is numerically more stable than a separate
// softmax and cross-entropy.
const loss = new gloss.SoftmaxCrossEntropyLoss();
// #endregion

// #region 3.9.6 Training the model
// 5 epochs at learning rate 0.5 with `d2l.train_ch3(..., params, lr)`.
// helpers: trainCh3
const numEpochs = args.epochs;
const lr = 0.5;
d2l.trainCh3(net, trainIter, testIter, loss, numEpochs, batchSize, params, lr);
// #endregion
