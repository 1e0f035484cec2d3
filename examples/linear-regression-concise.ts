/**
 * d2l 3.3 Concise Implementation of Linear Regression
 *
 * "Dive into Deep Learning", MXNet edition, section 3.3, in the order of the book's Gluon code:
 * the synthetic data of 3.2 read with `gdata.ArrayDataset` and `gdata.DataLoader(shuffle=True)`,
 * `nn.Sequential` with one `nn.Dense(1)` initialized by `init.Normal(sigma=0.01)`,
 * `gloss.L2Loss()`, `gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.03})` and 3
 * epochs of `trainer.step(batch_size)`; the learned weight and bias end within 0.01 of the truth.
 *
 * Flags: `--epochs N` (default 3), `--seed N`, `--batches N`, `--out DIR`.
 */

import * as d2l from '@minimx/d2l';
import { ArrayDataset, DataLoader } from '@minimx/datasets';
import { autograd, nd } from '@minimx/ndarray';
import { loss as gloss, gluon, init, nn } from '@minimx/nn';
import { parseArgs } from './cli.js';

const args = parseArgs({ epochs: 3 });

// #region 3.3.1 Generating the data set
// The same 1000 examples as in 3.2: `nd.random.normal` features, labels from w = [2, -3.4],
// b = 4.2, plus noise of scale 0.01.
const numInputs = 2;
const numExamples = 1000;
const trueW = [2, -3.4];
const trueB = 4.2;
const features = nd.random.normal({ scale: 1, shape: [numExamples, numInputs] });
let labels = features.get(':, 0').mul(trueW[0]).add(features.get(':, 1').mul(trueW[1])).add(trueB);
labels = labels.add(nd.random.normal({ scale: 0.01, shape: labels.shape }));
// #endregion

// #region 3.3.2 Reading the data
// `gdata.ArrayDataset(features, labels)` and `gdata.DataLoader(dataset, batch_size, shuffle=True)`
// with batch size 10; the book prints the first batch.
const batchSize = 10;
// combine the features and labels of the training data
const dataset = new ArrayDataset(features, labels);
// read random mini-batches
const dataIter = d2l.limited(new DataLoader(dataset, { batchSize, shuffle: true }));

for (const [X, y] of dataIter) {
  console.log(`${X}`, `${y}`);
  break;
}
// #endregion

// #region 3.3.3 Defining the model
// `nn.Sequential()` with `net.add(nn.Dense(1))`: one output, the input size is inferred.
const net = new nn.Sequential();
net.add(new nn.Dense(1));
// #endregion

// #region 3.3.4 Initializing the model parameters
// `net.initialize(init.Normal(sigma=0.01))`; the bias starts at zero.
net.initialize(new init.Normal({ sigma: 0.01 }));
// #endregion

// #region 3.3.5 Defining the loss function
// `gloss.L2Loss()`, the squared loss.
const loss = new gloss.L2Loss();
// #endregion

// #region 3.3.6 Defining the optimization algorithm
// `gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.03})`.
const trainer = new gluon.Trainer(net.collectParams(), 'sgd', { learningRate: 0.03 });
// #endregion

// #region 3.3.7 Training the model
// 3 epochs; each step records `loss(net(X), y)`, calls `l.backward()` and
// `trainer.step(batch_size)`; after each epoch prints `'epoch %d, loss: %f'` of the mean loss over
// all examples. Then the learned `dense.weight.data()` and `dense.bias.data()` of `net[0]` are
// compared with the true ones.
const numEpochs = args.epochs;
for (let epoch = 1; epoch <= numEpochs; epoch++) {
  for (const [X, y] of dataIter) {
    const l = autograd.record(() => loss(net(X), y));
    l.backward();
    trainer.step(batchSize);
  }
  const l = loss(net(features), labels);
  console.log(`epoch ${epoch}, loss: ${l.mean().asScalar().toFixed(6)}`);
}

const dense = net.get<nn.Dense>(0);
console.log(trueW, `${dense.weight.data()}`);
console.log(trueB, `${dense.bias!.data()}`);
console.log(`w: ${JSON.stringify(Array.from(dense.weight.data().data))}`);
console.log(`b: ${JSON.stringify(Array.from(dense.bias!.data().data))}`);
// #endregion
