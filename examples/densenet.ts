/**
 * d2l 5.12 Densely Connected Networks (DenseNet)
 *
 * "Dive into Deep Learning", MXNet edition, section 5.12, in the order of the book's Gluon code:
 * `conv_block` (batch normalization, ReLU, 3x3 convolution), the dense block that joins each
 * block's input and output along the channel axis, the transition block (1x1 convolution and 2x2
 * average pooling) that cuts channels and halves height and width, their output shapes on a small
 * input, DenseNet with four dense blocks of four convolutions (growth rate 32), and 5 epochs on
 * Fashion-MNIST resized to 96x96 (batch 256, learning rate 0.1, `init.Xavier()`).
 *
 * Flags: `--epochs N` (default 5), `--seed N`, `--batches N`, `--batch-size N` (default 256).
 */
import * as d2l from '@minimx/d2l';
import { type NDArray, nd } from '@minimx/ndarray';
import { gluon, init, nn } from '@minimx/nn';
import { parseArgs } from './cli.js';

const args = parseArgs({ epochs: 5 });

// #region 5.12.1 Dense blocks
// `conv_block(num_channels)` is an `nn.Sequential` of `nn.BatchNorm()`, `nn.Activation('relu')` and
// `nn.Conv2D(num_channels, kernel_size=3, padding=1)` (ResNet's improved "normalization,
// activation, convolution" order). `DenseBlock(nn.Block)` holds `num_convs` conv blocks in
// `self.net`; `forward` runs each on X and sets `X = nd.concat(X, Y, dim=1)`. `DenseBlock(2, 10)` on
// `nd.random.uniform(shape=(4, 3, 8, 8))` gives 3 + 2 * 10 = 23 channels: (4, 23, 8, 8).
function convBlock(numChannels: number): nn.Sequential {
  const blk = new nn.Sequential();
  blk.add(
    new nn.BatchNorm(),
    new nn.Activation('relu'),
    new nn.Conv2D(numChannels, { kernelSize: 3, padding: 1 }),
  );
  return blk;
}

class DenseBlock extends nn.Block {
  net: nn.Sequential;
  constructor(numConvs: number, numChannels: number) {
    super();
    this.net = new nn.Sequential();
    for (let i = 0; i < numConvs; i++) {
      this.net.add(convBlock(numChannels));
    }
  }

  override forward(X: NDArray): NDArray {
    for (const blk of this.net) {
      const Y = blk(X);
      X = nd.concat(X, Y, { dim: 1 }); // join input and output along the channel axis
    }
    return X;
  }
}

let blk: nn.Block = new DenseBlock(2, 10);
blk.initialize();
const X = nd.random.uniform({ shape: [4, 3, 8, 8] });
const Y = blk(X);
console.log(`(${Y.shape.join(', ')})`);
// #endregion

// #region 5.12.2 Transition layers
// `transition_block(num_channels)` is an `nn.Sequential` of `nn.BatchNorm()`,
// `nn.Activation('relu')`, `nn.Conv2D(num_channels, kernel_size=1)` and
// `nn.AvgPool2D(pool_size=2, strides=2)`. With 10 channels on the dense block's output it gives
// (4, 10, 4, 4).
function transitionBlock(numChannels: number): nn.Sequential {
  const blk = new nn.Sequential();
  blk.add(
    new nn.BatchNorm(),
    new nn.Activation('relu'),
    new nn.Conv2D(numChannels, { kernelSize: 1 }),
    new nn.AvgPool2D({ poolSize: 2, strides: 2 }),
  );
  return blk;
}

blk = transitionBlock(10);
blk.initialize();
console.log(`(${blk(Y).shape.join(', ')})`);
// #endregion

// #region 5.12.3 DenseNet model
// The first layers of ResNet (`nn.Conv2D(64, kernel_size=7, strides=2, padding=3)`, `nn.BatchNorm()`,
// ReLU, `nn.MaxPool2D(pool_size=3, strides=2, padding=1)`); then for `num_convs_in_dense_blocks =
// [4, 4, 4, 4]` a `DenseBlock(num_convs, growth_rate)` with `growth_rate = 32`, counting
// `num_channels += num_convs * growth_rate` from 64, and between dense blocks a
// `transition_block(num_channels // 2)`; finally `nn.BatchNorm()`, ReLU, `nn.GlobalAvgPool2D()` and
// `nn.Dense(10)`. The book prints no shapes for the whole network.
const net = new nn.Sequential();
net.add(
  new nn.Conv2D(64, { kernelSize: 7, strides: 2, padding: 3 }),
  new nn.BatchNorm(),
  new nn.Activation('relu'),
  new nn.MaxPool2D({ poolSize: 3, strides: 2, padding: 1 }),
);

let numChannels = 64; // the current number of channels
const growthRate = 32;
const numConvsInDenseBlocks = [4, 4, 4, 4];

for (const [i, numConvs] of numConvsInDenseBlocks.entries()) {
  net.add(new DenseBlock(numConvs, growthRate));
  // the number of output channels of this dense block
  numChannels += numConvs * growthRate;
  // a transition layer that halves the channels between dense blocks
  if (i !== numConvsInDenseBlocks.length - 1) {
    net.add(transitionBlock(Math.floor(numChannels / 2)));
  }
}

net.add(new nn.BatchNorm(), new nn.Activation('relu'), new nn.GlobalAvgPool2D(), new nn.Dense(10));
// #endregion

// #region 5.12.4 Getting the data and training the model
// `lr, num_epochs, batch_size, ctx = 0.1, 5, 256, d2l.try_gpu()`, `net.initialize(ctx=ctx,
// init=init.Xavier())`, a 'sgd' `gluon.Trainer`, `d2l.load_data_fashion_mnist(batch_size,
// resize=96)` (the book shrinks the input from 224 to 96 for this deep network) and `d2l.train_ch5`.
const lr = 0.1;
const numEpochs = args.epochs;
const batchSize = args.batchSize ?? 256;
const ctx = d2l.tryGpu();
net.initialize(new init.Xavier(), { ctx });
const trainer = new gluon.Trainer(net.collectParams(), 'sgd', { learningRate: lr });
const [trainIter, testIter] = await d2l.loadDataFashionMnist(batchSize, { resize: 96 });
d2l.trainCh5(net, trainIter, testIter, batchSize, trainer, ctx, numEpochs);
// #endregion
