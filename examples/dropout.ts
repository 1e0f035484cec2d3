/**
 * d2l 3.13 Dropout
 *
 * "Dive into Deep Learning", MXNet edition, section 3.13, in the order of the book's Gluon code:
 * a `dropout(X, drop_prob)` function built on `nd.random.uniform` (seeded by `--seed`), tried on
 * `nd.arange(16).reshape((2, 8))` with drop probabilities 0, 0.5 and 1; then a 784-256-256-10
 * perceptron that drops hidden units with probabilities 0.2 and 0.5 only while
 * `autograd.is_training()`, trained from scratch with `d2l.train_ch3` and `d2l.sgd` (5 epochs,
 * learning rate 0.5); and the concise version with `nn.Dropout` layers and a `gluon.Trainer`.
 *
 * Flags: `--epochs N` (default 5), `--seed N`, `--batches N`, `--out DIR`.
 */

import * as d2l from '@minimx/d2l';
import { autograd, type NDArray, nd } from '@minimx/ndarray';
import { loss as gloss, gluon, init, nn } from '@minimx/nn';
import { parseArgs } from './cli.js';

const args = parseArgs({ epochs: 5 });

// #region 3.13.2 Implementation from scratch: the dropout function
// `dropout(X, drop_prob)` keeps each element with probability `1 - drop_prob` (a mask from
// `nd.random.uniform(0, 1, X.shape) < keep_prob`) and scales the kept ones by `1 / keep_prob`;
// with `drop_prob = 1` it returns `X.zeros_like()`.
function dropout(X: NDArray, dropProb: number): NDArray {
  if (!(dropProb >= 0 && dropProb <= 1))
    throw new RangeError(`dropout: dropProb must be in [0, 1], got ${dropProb}`);
  const keepProb = 1 - dropProb;
  // in this case all elements are dropped
  if (keepProb === 0) {
    return nd.zerosLike(X);
  }
  const mask = nd.random.uniform({ low: 0, high: 1, shape: X.shape }).less(keepProb);
  return mask.mul(X).div(keepProb);
}

const X = nd.arange(16).reshape(2, 8);
console.log(`${dropout(X, 0)}`);
console.log(`${dropout(X, 0.5)}`);
console.log(`${dropout(X, 1)}`);
// #endregion

// #region 3.13.2.1 Defining the model parameters
// 784 inputs, two hidden layers of 256 units, 10 outputs; W1, W2, W3 from
// `nd.random.normal(scale=0.01)`, b1, b2, b3 from `nd.zeros`, `attach_grad()` on all six.
const numInputs = 784;
const numOutputs = 10;
const numHiddens1 = 256;
const numHiddens2 = 256;

const W1 = nd.random.normal({ scale: 0.01, shape: [numInputs, numHiddens1] });
const b1 = nd.zeros(numHiddens1);
const W2 = nd.random.normal({ scale: 0.01, shape: [numHiddens1, numHiddens2] });
const b2 = nd.zeros(numHiddens2);
const W3 = nd.random.normal({ scale: 0.01, shape: [numHiddens2, numOutputs] });
const b3 = nd.zeros(numOutputs);

const params = [W1, b1, W2, b2, W3, b3];
for (const param of params) {
  param.attachGrad();
}
// #endregion

// #region 3.13.2.2 Defining the model
// `net(X)` applies `dropout` after each hidden ReLU layer (probabilities 0.2 and 0.5) only when
// `autograd.is_training()`, i.e. inside `autograd.record()`.
const dropProb1 = 0.2;
const dropProb2 = 0.5;

function net(X: NDArray): NDArray {
  X = X.reshape(-1, numInputs);
  let H1 = nd.dot(X, W1).add(b1).relu();
  if (autograd.isTraining()) {
    // use dropout only when training the model
    H1 = dropout(H1, dropProb1); // add a dropout layer after the first fully connected layer
  }
  let H2 = nd.dot(H1, W2).add(b2).relu();
  if (autograd.isTraining()) {
    H2 = dropout(H2, dropProb2); // add a dropout layer after the second fully connected layer
  }
  return nd.dot(H2, W3).add(b3);
}
// #endregion

// #region 3.13.2.3 Training and testing the model
// 5 epochs, learning rate 0.5, batch size 256, `gloss.SoftmaxCrossEntropyLoss()`,
// `d2l.load_data_fashion_mnist`, then `d2l.train_ch3(..., params, lr)`.
// helpers: trainCh3
const numEpochs = args.epochs;
const lr = 0.5;
const batchSize = 256;
const loss = new gloss.SoftmaxCrossEntropyLoss();
const [trainIter, testIter] = await d2l.loadDataFashionMnist(batchSize);
console.log('from scratch:');
d2l.trainCh3(net, trainIter, testIter, loss, numEpochs, batchSize, params, lr);
// #endregion

// #region 3.13.3 Concise implementation
// `nn.Sequential` of `nn.Dense(256, activation="relu")`, `nn.Dropout(drop_prob1)`,
// `nn.Dense(256, activation="relu")`, `nn.Dropout(drop_prob2)`, `nn.Dense(10)`, initialized by
// `init.Normal(sigma=0.01)`; `nn.Dropout` is active only in training mode.
const concise = new nn.Sequential();
concise.add(
  new nn.Dense(256, { activation: 'relu' }),
  new nn.Dropout(dropProb1), // add a dropout layer after the first fully connected layer
  new nn.Dense(256, { activation: 'relu' }),
  new nn.Dropout(dropProb2), // add a dropout layer after the second fully connected layer
  new nn.Dense(10),
);
concise.initialize(new init.Normal({ sigma: 0.01 }));
// #endregion

// #region Training the concise model
// `gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': lr})` and `d2l.train_ch3` with the
// trainer.
const trainer = new gluon.Trainer(concise.collectParams(), 'sgd', { learningRate: lr });
console.log('concise:');
d2l.trainCh3(concise, trainIter, testIter, loss, numEpochs, batchSize, null, null, trainer);
// #endregion
