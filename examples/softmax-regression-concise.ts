/**
 * d2l 3.7 Concise Implementation of Softmax Regression
 *
 * "Dive into Deep Learning", MXNet edition, section 3.7, in the order of the book's Gluon code:
 * `nn.Sequential` with one `nn.Dense(10)` initialized by `init.Normal(sigma=0.01)`,
 * `gloss.SoftmaxCrossEntropyLoss()`, `gluon.Trainer(net.collect_params(), 'sgd',
 * {'learning_rate': 0.1})`, and `d2l.train_ch3` with the trainer for 5 epochs.
 *
 * Flags: `--epochs N` (default 5), `--seed N`, `--batches N`, `--out DIR`.
 */

import * as d2l from '@minimx/d2l';
import { loss as gloss, gluon, init, nn } from '@minimx/nn';
import { parseArgs } from './cli.js';

const args = parseArgs({ epochs: 5 });

// #region 3.7 Reading the data
// `d2l.load_data_fashion_mnist(batch_size)` with batch size 256.
const batchSize = 256;
const [trainIter, testIter] = await d2l.loadDataFashionMnist(batchSize);
// #endregion

// #region 3.7.1 Initializing the model parameters
// `nn.Sequential()`, `net.add(nn.Dense(10))` (the input is flattened by Dense),
// `net.initialize(init.Normal(sigma=0.01))`.
const net = new nn.Sequential();
net.add(new nn.Dense(10));
net.initialize(new init.Normal({ sigma: 0.01 }));
// #endregion

// #region 3.7.2 Softmax and cross-entropy loss function
// `gloss.SoftmaxCrossEntropyLoss()`: softmax and cross-entropy in one, numerically stable.
const loss = new gloss.SoftmaxCrossEntropyLoss();
// #endregion

// #region 3.7.3 Defining the optimization algorithm
// `gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.1})`.
const trainer = new gluon.Trainer(net.collectParams(), 'sgd', { learningRate: 0.1 });
// #endregion

// #region 3.7.4 Training the model
// `d2l.train_ch3(net, train_iter, test_iter, loss, num_epochs, batch_size, None, None, trainer)`,
// 5 epochs.
// helpers: trainCh3
const numEpochs = args.epochs;
d2l.trainCh3(net, trainIter, testIter, loss, numEpochs, batchSize, null, null, trainer);
// #endregion
