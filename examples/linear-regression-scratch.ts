/**
 * d2l 3.2 Linear Regression Implementation from Scratch
 *
 * "Dive into Deep Learning", MXNet edition, section 3.2, in the order of the book's Gluon code:
 * 1000 synthetic examples `y = Xw + b + noise` with w = [2, -3.4], b = 4.2 (`nd.random.normal`),
 * a scatter plot of the second feature against the labels (written to
 * `<out>/linear-regression-scatter.svg`), `data_iter` over `features.take(j)`, parameters with
 * `attach_grad`, `linreg`, `squared_loss`, `sgd`, and 3 epochs of mini-batch SGD (batch 10,
 * learning rate 0.03) under `autograd.record()`; the learned w and b end within 0.01 of the truth.
 *
 * Flags: `--epochs N` (default 3), `--seed N`, `--batches N`, `--out DIR` (default `out/`).
 */
import * as path from 'node:path';
import * as d2l from '@minimx/d2l';
import { autograd, nd } from '@minimx/ndarray';
import { parseArgs } from './cli.js';

const args = parseArgs({ epochs: 3 });

// #region 3.2.1 Generating the data set
// 1000 examples of 2 features from `nd.random.normal(scale=1)`; labels
// `true_w[0] * features[:, 0] + true_w[1] * features[:, 1] + true_b` plus noise from
// `nd.random.normal(scale=0.01)`; prints `features[0], labels[0]` and draws the scatter plot of
// `features[:, 1]` against the labels with `d2l.set_figsize()` and `d2l.plt.scatter(..., 1)`
// (here an SVG file).
const numInputs = 2;
const numExamples = 1000;
const trueW = [2, -3.4];
const trueB = 4.2;
const features = nd.random.normal({ scale: 1, shape: [numExamples, numInputs] });
let labels = features.get(':, 0').mul(trueW[0]).add(features.get(':, 1').mul(trueW[1])).add(trueB);
labels = labels.add(nd.random.normal({ scale: 0.01, shape: labels.shape }));

console.log(`${features.get(0)}`, `${labels.get(0)}`);

d2l.setFigsize();
d2l.plt.scatter(features.get(':, 1'), labels, 1);
d2l.plt.xlabel('features[:, 1]');
d2l.plt.ylabel('labels');
const scatter = d2l.plt.show({ path: path.join(args.out, 'linear-regression-scatter.svg') });
console.log(`wrote ${scatter}`);
// #endregion

// #region 3.2.2 Reading the data
// `data_iter(batch_size, features, labels)` shuffles the indices with Python's `random.shuffle`
// and yields `features.take(j), labels.take(j)` batch by batch; the book prints the first batch
// of 10.
// helpers: dataIter
const batchSize = 10;

for (const [X, y] of d2l.dataIter(batchSize, features, labels)) {
  console.log(`${X}`, `${y}`);
  break;
}
// #endregion

// #region 3.2.3 Initializing the model parameters
// w from `nd.random.normal(scale=0.01, shape=(num_inputs, 1))`, b from `nd.zeros(shape=(1,))`,
// and `attach_grad()` on both.
const w = nd.random.normal({ scale: 0.01, shape: [numInputs, 1] });
const b = nd.zeros([1]);

w.attachGrad();
b.attachGrad();
// #endregion

// #region 3.2.4-3.2.6 Defining the model, the loss function and the optimization algorithm
// `linreg(X, w, b)` is `nd.dot(X, w) + b`; `squared_loss` is `(y_hat - y.reshape(y_hat.shape)) ** 2 / 2`;
// `sgd(params, lr, batch_size)` updates each parameter in place with `param[:] = ...`.
// helpers: linreg squaredLoss sgd
// #endregion

// #region 3.2.7 Training the model
// Learning rate 0.03 and 3 epochs; each step records `loss(net(X, w, b), y)` under
// `autograd.record()`, calls `l.backward()` (which sums the per-example losses) and
// `sgd([w, b], lr, batch_size)`; after each epoch prints `'epoch %d, loss %f'` of the mean loss
// over all examples.
const lr = 0.03;
const numEpochs = args.epochs;
const net = d2l.linreg;
const loss = d2l.squaredLoss;

for (let epoch = 0; epoch < numEpochs; epoch++) {
  // in each epoch every example of the training set is used once
  for (const [X, y] of d2l.dataIter(batchSize, features, labels)) {
    const l = autograd.record(() => loss(net(X, w, b), y)); // l is the loss of the mini-batch X, y
    l.backward(); // the gradient of the summed mini-batch loss with respect to the parameters
    d2l.sgd([w, b], lr, batchSize); // update the parameters with mini-batch SGD
  }
  const trainL = loss(net(features, w, b), labels);
  console.log(`epoch ${epoch + 1}, loss ${trainL.mean().asScalar().toFixed(6)}`);
}
// #endregion

// #region Comparing the learned parameters with the true ones
// The book shows `true_w, w` and `true_b, b`.
console.log(trueW, `${w}`);
console.log(trueB, `${b}`);
console.log(`w: ${JSON.stringify(Array.from(w.data))}`);
console.log(`b: ${JSON.stringify(Array.from(b.data))}`);
// #endregion
