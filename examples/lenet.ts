/**
 * d2l 5.5 Convolutional Neural Networks (LeNet)
 *
 * "Dive into Deep Learning", MXNet edition, section 5.5, in the order of the book's Gluon code:
 * LeNet as an `nn.Sequential` of two sigmoid `nn.Conv2D` layers (5x5, 6 and 16 channels), each
 * followed by `nn.MaxPool2D(pool_size=2, strides=2)`, and three `nn.Dense` layers (120, 84, 10);
 * the output shape of every layer for one 28x28 image; Fashion-MNIST in batches of 256,
 * `d2l.try_gpu()`, the context-aware `evaluate_accuracy` and `train_ch5`, and 5 epochs of SGD at
 * learning rate 0.9 after re-initializing with `init.Xavier()`.
 *
 * Flags: `--epochs N` (default 5), `--seed N`, `--batches N`, `--batch-size N` (default 256).
 */
import * as d2l from '@minimx/d2l';
import { nd } from '@minimx/ndarray';
import { gluon, init, nn } from '@minimx/nn';
import { parseArgs } from './cli.js';

const args = parseArgs({ epochs: 5 });

// #region 5.5.1 The LeNet model
// `nn.Sequential()` with `nn.Conv2D(channels=6, kernel_size=5, activation='sigmoid')`,
// `nn.MaxPool2D(pool_size=2, strides=2)`, `nn.Conv2D(channels=16, kernel_size=5,
// activation='sigmoid')`, `nn.MaxPool2D(pool_size=2, strides=2)`, then `nn.Dense(120,
// activation='sigmoid')`, `nn.Dense(84, activation='sigmoid')` and `nn.Dense(10)` (Dense flattens
// (batch, channel, height, width) to (batch, channel * height * width) by default). Then
// `X = nd.random.uniform(shape=(1, 1, 28, 28))`, `net.initialize()`, and for each layer
// `X = layer(X)` and `print(layer.name, 'output shape:\t', X.shape)`.
const net = new nn.Sequential();
net.add(
  new nn.Conv2D(6, { kernelSize: 5, activation: 'sigmoid' }),
  new nn.MaxPool2D({ poolSize: 2, strides: 2 }),
  new nn.Conv2D(16, { kernelSize: 5, activation: 'sigmoid' }),
  new nn.MaxPool2D({ poolSize: 2, strides: 2 }),
  // Dense flattens (batch, channels, height, width) into (batch, channels * height * width)
  new nn.Dense(120, { activation: 'sigmoid' }),
  new nn.Dense(84, { activation: 'sigmoid' }),
  new nn.Dense(10),
);

let X = nd.random.uniform({ shape: [1, 1, 28, 28] });
net.initialize();
for (const layer of net) {
  X = layer(X);
  console.log(layer.name, 'output shape:\t', `(${X.shape.join(', ')})`);
}
// #endregion

// #region 5.5.2 Getting the data and training the model
// `d2l.load_data_fashion_mnist(batch_size=256)`; `try_gpu()` returns `mx.gpu()` if an array can be
// made there, else `mx.cpu()` (the book shows gpu(0)); `evaluate_accuracy(data_iter, net, ctx)`
// and `train_ch5(net, train_iter, test_iter, batch_size, trainer, ctx, num_epochs)` copy each batch
// to `ctx` with `as_in_context` (both saved in d2lzh); then `lr, num_epochs = 0.9, 5`,
// `net.initialize(force_reinit=True, ctx=ctx, init=init.Xavier())`, a `gluon.Trainer` with 'sgd',
// and `train_ch5`, which prints `training on <ctx>` and one line per epoch with its time.
// helpers: tryGpu evaluateAccuracy trainCh5
const batchSize = args.batchSize ?? 256;
const [trainIter, testIter] = await d2l.loadDataFashionMnist(batchSize);

const ctx = d2l.tryGpu();
console.log(`${ctx}`);

const lr = 0.9;
const numEpochs = args.epochs;
net.initialize(new init.Xavier(), { forceReinit: true, ctx });
const trainer = new gluon.Trainer(net.collectParams(), 'sgd', { learningRate: lr });
d2l.trainCh5(net, trainIter, testIter, batchSize, trainer, ctx, numEpochs);
// #endregion
