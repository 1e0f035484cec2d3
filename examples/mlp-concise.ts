/**
 * d2l 3.10 Concise Implementation of Multilayer Perceptron
 *
 * "Dive into Deep Learning", MXNet edition, section 3.10, in the order of the book's Gluon code:
 * `nn.Sequential` with `nn.Dense(256, activation='relu')` and `nn.Dense(10)`, initialized by
 * `init.Normal(sigma=0.01)`, `gloss.SoftmaxCrossEntropyLoss()`, `gluon.Trainer(..., 'sgd',
 * {'learning_rate': 0.5})`, and `d2l.train_ch3` with the trainer for 5 epochs.
 *
 * Flags: `--epochs N` (default 5), `--seed N`, `--batches N`, `--out DIR`.
 */

import * as d2l from '@minimx/d2l';
import { loss as gloss, gluon, init, nn } from '@minimx/nn';
import { parseArgs } from './cli.js';

const args = parseArgs({ epochs: 5 });

// #region 3.10.1 Defining the model
// `nn.Sequential()`, `net.add(nn.Dense(256, activation='relu'), nn.Dense(10))`,
// `net.initialize(init.Normal(sigma=0.01))`.
const net = new nn.Sequential();
net.add(new nn.Dense(256, { activation: 'relu' }), new nn.Dense(10));
net.initialize(new init.Normal({ sigma: 0.01 }));
// #endregion

// #region 3.10.2 Reading the data and training the model
// `d2l.load_data_fashion_mnist(256)`, `gloss.SoftmaxCrossEntropyLoss()`,
// `gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.5})`, then `d2l.train_ch3` with
// the trainer for 5 epochs.
// helpers: trainCh3
const batchSize = 256;
const [trainIter, testIter] = await d2l.loadDataFashionMnist(batchSize);

const loss = new gloss.SoftmaxCrossEntropyLoss();
const trainer = new gluon.Trainer(net.collectParams(), 'sgd', { learningRate: 0.5 });
const numEpochs = args.epochs;
d2l.trainCh3(net, trainIter, testIter, loss, numEpochs, batchSize, null, null, trainer);
// #endregion
