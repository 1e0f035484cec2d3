/**
 * d2l 3.12 Weight Decay
 *
 * "Dive into Deep Learning", MXNet edition, section 3.12, in the order of the book's Gluon code:
 * high-dimensional linear regression (20 training and 100 test examples of 200 features, true
 * weights 0.01, bias 0.05, noise 0.01) that overfits without regularization; from scratch with an
 * L2 penalty `lambd * (w**2).sum() / 2` added to `d2l.squared_loss`, for lambd = 0 and 3; then
 * concisely with two `gluon.Trainer`s, weight decay `wd` on the weights only. Each run prints
 * `L2 norm of w:` and writes its train/test loss curves with `d2l.semilogy` to `<out>/*.svg`.
 *
 * Flags: `--epochs N` (default 100), `--seed N`, `--batches N`, `--out DIR` (default `out/`).
 */
import * as path from 'node:path';
import * as d2l from '@minimx/d2l';
import { ArrayDataset, DataLoader } from '@minimx/datasets';
import { autograd, type NDArray, nd } from '@minimx/ndarray';
import { gluon, init, nn } from '@minimx/nn';
import { parseArgs } from './cli.js';

const args = parseArgs({ epochs: 100 });

// #region 3.12.2 High-dimensional linear regression experiment
// 20 training and 100 test examples with 200 features from `nd.random.normal`; the labels are
// `nd.dot(features, true_w) + true_b` with every true weight 0.01 and bias 0.05, plus noise of
// scale 0.01; `features[:n_train, :]` and `features[n_train:, :]` split them.
const nTrain = 20;
const nTest = 100;
const numInputs = 200;
const trueW = nd.ones([numInputs, 1]).mul(0.01);
const trueB = 0.05;

const features = nd.random.normal({ shape: [nTrain + nTest, numInputs] });
let labels = nd.dot(features, trueW).add(trueB);
labels = labels.add(nd.random.normal({ scale: 0.01, shape: labels.shape }));
const trainFeatures = features.get(`:${nTrain}, :`);
const testFeatures = features.get(`${nTrain}:, :`);
const trainLabels = labels.get(`:${nTrain}`);
const testLabels = labels.get(`${nTrain}:`);
// #endregion

// #region 3.12.3.1 Initializing the model parameters
// `init_params()` draws w from `nd.random.normal(scale=1, shape=(num_inputs, 1))`, sets b to
// `nd.zeros(shape=(1,))`, attaches gradients to both and returns `[w, b]`.
function initParams(): [NDArray, NDArray] {
  const w = nd.random.normal({ scale: 1, shape: [numInputs, 1] });
  const b = nd.zeros([1]);
  w.attachGrad();
  b.attachGrad();
  return [w, b];
}
// #endregion

// #region 3.12.3.2 Defining the L2 norm penalty
// `l2_penalty(w)` is `(w**2).sum() / 2`.
function l2Penalty(w: NDArray): NDArray {
  return w.pow(2).sum().div(2);
}
// #endregion

// #region 3.12.3.3 Defining training and testing
// Batch size 1, 100 epochs, learning rate 0.003, `d2l.linreg` and `d2l.squared_loss`, a
// `gdata.DataLoader` over `gdata.ArrayDataset(train_features, train_labels)` with shuffle;
// `fit_and_plot(lambd)` adds `lambd * l2_penalty(w)` to the loss inside `autograd.record()`,
// steps with `d2l.sgd`, records the mean train and test loss after each epoch, plots both with
// `d2l.semilogy` and prints `'L2 norm of w:', w.norm().asscalar()`.
// helpers: semilogy
const batchSize = 1;
const numEpochs = args.epochs;
const lr = 0.003;
const net = d2l.linreg;
const loss = d2l.squaredLoss;

const trainIter = d2l.limited(
  new DataLoader(new ArrayDataset(trainFeatures, trainLabels), { batchSize, shuffle: true }),
);

function fitAndPlot(lambd: number): void {
  const [w, b] = initParams();
  const trainLs: number[] = [];
  const testLs: number[] = [];
  for (let _ = 0; _ < numEpochs; _++) {
    for (const [X, y] of trainIter) {
      const l = autograd.record(() => {
        // add the L2 norm penalty
        return loss(net(X, w, b), y).add(l2Penalty(w).mul(lambd));
      });
      l.backward();
      d2l.sgd([w, b], lr, batchSize);
    }
    trainLs.push(
      loss(net(trainFeatures, w, b), trainLabels)
        .mean()
        .asScalar(),
    );
    testLs.push(
      loss(net(testFeatures, w, b), testLabels)
        .mean()
        .asScalar(),
    );
  }
  const file = d2l.semilogy(
    d2l.range(1, numEpochs + 1),
    trainLs,
    'epochs',
    'loss',
    d2l.range(1, numEpochs + 1),
    testLs,
    ['train', 'test'],
    {
      path: path.join(args.out, `weight-decay-scratch-lambd-${lambd}.svg`),
      title: `from scratch, lambd = ${lambd}`,
    },
  );
  console.log('L2 norm of w:', w.norm().asScalar());
  console.log(`wrote ${file}`);
}
// #endregion

// #region 3.12.3.4 Observing overfitting
// `fit_and_plot(lambd=0)`: no penalty; the training loss falls far below the test loss.
fitAndPlot(0);
// #endregion

// #region 3.12.3.5 Using weight decay
// `fit_and_plot(lambd=3)`: the test loss falls with the training loss, and the norm of w shrinks.
fitAndPlot(3);
// #endregion

// #region 3.12.4 Concise implementation
// `fit_and_plot_gluon(wd)`: `nn.Sequential` with `nn.Dense(1)` initialized by
// `init.Normal(sigma=1)`; one `gluon.Trainer` over `net.collect_params('.*weight')` with
// `{'learning_rate': lr, 'wd': wd}` and one over `net.collect_params('.*bias')` without decay;
// both `step(batch_size)` after each backward. Called with wd = 0 and wd = 3; prints
// `net[0].weight.data().norm().asscalar()`.
function fitAndPlotGluon(wd: number): void {
  const net = new nn.Sequential();
  net.add(new nn.Dense(1));
  net.initialize(new init.Normal({ sigma: 1 }));
  // decay the weights; their names end in "weight"
  const trainerW = new gluon.Trainer(net.collectParams('.*weight'), 'sgd', { learningRate: lr, wd });
  // do not decay the bias; its name ends in "bias"
  const trainerB = new gluon.Trainer(net.collectParams('.*bias'), 'sgd', { learningRate: lr });
  const trainLs: number[] = [];
  const testLs: number[] = [];
  for (let _ = 0; _ < numEpochs; _++) {
    for (const [X, y] of trainIter) {
      const l = autograd.record(() => loss(net(X), y));
      l.backward();
      // call step on both Trainers to update the weights and the bias separately
      trainerW.step(batchSize);
      trainerB.step(batchSize);
    }
    trainLs.push(loss(net(trainFeatures), trainLabels).mean().asScalar());
    testLs.push(loss(net(testFeatures), testLabels).mean().asScalar());
  }
  const file = d2l.semilogy(
    d2l.range(1, numEpochs + 1),
    trainLs,
    'epochs',
    'loss',
    d2l.range(1, numEpochs + 1),
    testLs,
    ['train', 'test'],
    { path: path.join(args.out, `weight-decay-concise-wd-${wd}.svg`), title: `concise, wd = ${wd}` },
  );
  console.log('L2 norm of w:', net.get<nn.Dense>(0).weight.data().norm().asScalar());
  console.log(`wrote ${file}`);
}

fitAndPlotGluon(0);
fitAndPlotGluon(3);
// #endregion
