/**
 * d2l 3.11 Model Selection, Underfitting and Overfitting
 *
 * "Dive into Deep Learning", MXNet edition, section 3.11.4, in the order of the book's code:
 * a third-order polynomial with noise, fitted by one `nn.Dense(1)` layer on the polynomial
 * features (a good fit), on x alone (underfitting) and on two training examples (overfitting),
 * each with its training and test loss on a log scale (`d2l.semilogy`).
 */
import * as d2l from '@minimx/d2l';
import { ArrayDataset, DataLoader } from '@minimx/datasets';
import { autograd, type NDArray, nd } from '@minimx/ndarray';
import { loss as gloss, gluon, nn } from '@minimx/nn';
import { parseArgs } from '../../examples/cli.js';

const args = parseArgs({ epochs: 100 });

// #region 3.11.4.1 Generating the data set
// 100 training and 100 test examples: `features` from `nd.random.normal(shape=(200, 1))`,
// `poly_features` = `nd.concat(features, features**2, features**3)`, labels
// `1.2 x - 3.4 x^2 + 5.6 x^3 + 5` plus noise of scale 0.01.
const nTrain = 100;
const nTest = 100;
const trueW = [1.2, -3.4, 5.6];
const trueB = 5;
const features = nd.random.normal({ shape: [nTrain + nTest, 1] });
const polyFeatures = nd.concat(features, features.pow(2), features.pow(3), { dim: 1 });
let labels = polyFeatures
  .get(':, 0')
  .mul(trueW[0])
  .add(polyFeatures.get(':, 1').mul(trueW[1]))
  .add(polyFeatures.get(':, 2').mul(trueW[2]))
  .add(trueB);
labels = labels.add(nd.random.normal({ scale: 0.01, shape: labels.shape }));
console.log(`${features.get(':2')}`, `${polyFeatures.get(':2')}`, `${labels.get(':2')}`);
// #endregion

// #region 3.11.4.2 Defining, training and testing the model
// `fit_and_plot` trains `nn.Dense(1)` with `gloss.L2Loss()` and `gluon.Trainer(..., 'sgd',
// {'learning_rate': 0.01})` for 100 epochs on mini-batches of `min(10, n_train)` from a shuffled
// `gdata.DataLoader`, records the mean training and test loss after each epoch, prints the last
// epoch's losses, plots both with `d2l.semilogy` and prints the learned weight and bias.
// helpers: semilogy
const numEpochs = args.epochs;
const loss = new gloss.L2Loss();

async function fitAndPlot(
  trainFeatures: NDArray,
  testFeatures: NDArray,
  trainLabels: NDArray,
  testLabels: NDArray,
): Promise<void> {
  const net = new nn.Sequential();
  net.add(new nn.Dense(1));
  net.initialize();
  const batchSize = Math.min(10, trainLabels.shape[0]);
  const trainIter = d2l.limited(
    new DataLoader(new ArrayDataset(trainFeatures, trainLabels), { batchSize, shuffle: true }),
  );
  const trainer = new gluon.Trainer(net.collectParams(), 'sgd', { learningRate: 0.01 });
  const trainLs: number[] = [];
  const testLs: number[] = [];
  for (let _ = 0; _ < numEpochs; _++) {
    for (const [X, y] of trainIter) {
      const l = autograd.record(() => loss(net(X), y));
      l.backward();
      trainer.step(batchSize);
    }
    trainLs.push(loss(net(trainFeatures), trainLabels).mean().asScalar());
    testLs.push(loss(net(testFeatures), testLabels).mean().asScalar());
  }
  console.log('final epoch: train loss', trainLs.at(-1), 'test loss', testLs.at(-1));
  const epochs = d2l.range(1, numEpochs + 1);
  await d2l.display(d2l.semilogy(epochs, trainLs, 'epochs', 'loss', epochs, testLs, ['train', 'test']));
  console.log(
    'weight:',
    `${net.get<nn.Dense>(0).weight.data()}`,
    '\nbias:',
    `${net.get<nn.Dense>(0).bias.data()}`,
  );
}
// #endregion

// #region 3.11.4.3 Third-order polynomial function fitting (normal)
// Fitted on the three polynomial features: the learned weights come close to 1.2, -3.4, 5.6 and
// the bias to 5.
await fitAndPlot(
  polyFeatures.get(`:${nTrain}, :`),
  polyFeatures.get(`${nTrain}:, :`),
  labels.get(`:${nTrain}`),
  labels.get(`${nTrain}:`),
);
// #endregion

// #region 3.11.4.4 Linear function fitting (underfitting)
// Fitted on x alone: the training loss stays high and falls little.
await fitAndPlot(
  features.get(`:${nTrain}, :`),
  features.get(`${nTrain}:, :`),
  labels.get(`:${nTrain}`),
  labels.get(`${nTrain}:`),
);
// #endregion

// #region 3.11.4.5 Insufficient training (overfitting)
// Fitted on only two training examples: the training loss falls, the test loss stays high.
await fitAndPlot(
  polyFeatures.get('0:2, :'),
  polyFeatures.get(`${nTrain}:, :`),
  labels.get('0:2'),
  labels.get(`${nTrain}:`),
);
// #endregion
