/**
 * d2l 5.8 Network in Network (NiN)
 *
 * "Dive into Deep Learning", MXNet edition, section 5.8, in the order of the book's Gluon code:
 * `nin_block(num_channels, kernel_size, strides, padding)` (one ReLU convolution followed by two
 * 1x1 ReLU convolutions that act as dense layers per pixel), the NiN model with AlexNet's window
 * sizes, dropout, a last block with 10 channels and a global average pooling layer instead of dense
 * layers, the output shape of every layer for one 224x224 image, and 5 epochs on Fashion-MNIST
 * resized to 224x224 (batch 128, learning rate 0.1, `init.Xavier()`).
 *
 * Flags: `--epochs N` (default 5), `--seed N`, `--batches N`, `--batch-size N` (default 128).
 */
import * as d2l from '@minimx/d2l';
import { nd } from '@minimx/ndarray';
import { gluon, init, nn } from '@minimx/nn';
import { parseArgs } from './cli.js';

const args = parseArgs({ epochs: 5 });

// #region 5.8.1 NiN blocks
// `nin_block(num_channels, kernel_size, strides, padding)` is an `nn.Sequential` of
// `nn.Conv2D(num_channels, kernel_size, strides, padding, activation='relu')` and two
// `nn.Conv2D(num_channels, kernel_size=1, activation='relu')`.
function ninBlock(numChannels: number, kernelSize: number, strides: number, padding: number): nn.Sequential {
  const blk = new nn.Sequential();
  blk.add(
    new nn.Conv2D(numChannels, { kernelSize, strides, padding, activation: 'relu' }),
    new nn.Conv2D(numChannels, { kernelSize: 1, activation: 'relu' }),
    new nn.Conv2D(numChannels, { kernelSize: 1, activation: 'relu' }),
  );
  return blk;
}
// #endregion

// #region 5.8.2 NiN model
// An `nn.Sequential` of `nin_block(96, kernel_size=11, strides=4, padding=0)`,
// `nn.MaxPool2D(pool_size=3, strides=2)`, `nin_block(256, kernel_size=5, strides=1, padding=2)`, the
// same pooling, `nin_block(384, kernel_size=3, strides=1, padding=1)`, the same pooling,
// `nn.Dropout(0.5)`, `nin_block(10, kernel_size=3, strides=1, padding=1)` for the 10 classes,
// `nn.GlobalAvgPool2D()` (a window as large as the input) and `nn.Flatten()` to (batch, 10). Then
// the output shape of each layer for `nd.random.uniform(shape=(1, 1, 224, 224))`; the global pooling
// layer is named `pool3`, after the three max-pooling layers.
const net = new nn.Sequential();
net.add(
  ninBlock(96, 11, 4, 0),
  new nn.MaxPool2D({ poolSize: 3, strides: 2 }),
  ninBlock(256, 5, 1, 2),
  new nn.MaxPool2D({ poolSize: 3, strides: 2 }),
  ninBlock(384, 3, 1, 1),
  new nn.MaxPool2D({ poolSize: 3, strides: 2 }),
  new nn.Dropout(0.5),
  // there are 10 label classes
  ninBlock(10, 3, 1, 1),
  // global average pooling sets its window to the input's height and width
  new nn.GlobalAvgPool2D(),
  // turn the 4-D output into (batch size, 10)
  new nn.Flatten(),
);

let X = nd.random.uniform({ shape: [1, 1, 224, 224] });
net.initialize();
for (const layer of net) {
  X = layer(X);
  console.log(layer.name, 'output shape:\t', `(${X.shape.join(', ')})`);
}
// #endregion

// #region 5.8.3 Getting the data and training the model
// `lr, num_epochs, batch_size, ctx = 0.1, 5, 128, d2l.try_gpu()` (a larger learning rate than
// AlexNet's), `net.initialize(force_reinit=True, ctx=ctx, init=init.Xavier())`, a 'sgd'
// `gluon.Trainer`, `d2l.load_data_fashion_mnist(batch_size, resize=224)` and `d2l.train_ch5`.
const lr = 0.1;
const numEpochs = args.epochs;
const batchSize = args.batchSize ?? 128;
const ctx = d2l.tryGpu();
net.initialize(new init.Xavier(), { forceReinit: true, ctx });
const trainer = new gluon.Trainer(net.collectParams(), 'sgd', { learningRate: lr });
const [trainIter, testIter] = await d2l.loadDataFashionMnist(batchSize, { resize: 224 });
d2l.trainCh5(net, trainIter, testIter, batchSize, trainer, ctx, numEpochs);
// #endregion
