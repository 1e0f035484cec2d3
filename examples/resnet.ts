/**
 * d2l 5.11 Residual Networks (ResNet)
 *
 * "Dive into Deep Learning", MXNet edition, section 5.11, in the order of the book's Gluon code: the
 * residual block `Residual` (two 3x3 convolutions with batch normalization, the input added back
 * before the last ReLU, through a 1x1 convolution when the shape changes), its output shapes with
 * and without a change of channels and stride, ResNet-18 (GoogLeNet's first layers with batch
 * normalization, four modules of two residual blocks, global average pooling, a dense layer), the
 * output shape of every layer for one 224x224 image, and 5 epochs on Fashion-MNIST resized to 96x96
 * (batch 256, learning rate 0.05, `init.Xavier()`).
 *
 * Flags: `--epochs N` (default 5), `--seed N`, `--batches N`, `--batch-size N` (default 256).
 */
import * as d2l from '@minimx/d2l';
import { nd } from '@minimx/ndarray';
import { gluon, init, nn } from '@minimx/nn';
import { parseArgs } from './cli.js';

const args = parseArgs({ epochs: 5 });

// #region 5.11.1 Residual blocks
// `Residual(num_channels, use_1x1conv=False, strides=1)` (saved in d2lzh) holds `conv1` (3x3,
// padding 1, the given stride), `conv2` (3x3, padding 1), `conv3` (a 1x1 convolution with the
// stride when `use_1x1conv`, else None), `bn1` and `bn2`; `forward` computes
// `Y = relu(bn1(conv1(X)))`, `Y = bn2(conv2(Y))`, passes X through conv3 if there is one and
// returns `relu(Y + X)`. On `nd.random.uniform(shape=(4, 3, 6, 6))`, `Residual(3)` keeps the shape
// (4, 3, 6, 6); `Residual(6, use_1x1conv=True, strides=2)` gives (4, 6, 3, 3).
// helpers: Residual
let blk = new d2l.Residual(3);
blk.initialize();
const X0 = nd.random.uniform({ shape: [4, 3, 6, 6] });
console.log(`(${blk(X0).shape.join(', ')})`);

blk = new d2l.Residual(6, { use1x1conv: true, strides: 2 });
blk.initialize();
console.log(`(${blk(X0).shape.join(', ')})`);
// #endregion

// #region 5.11.2 ResNet model
// An `nn.Sequential` with `nn.Conv2D(64, kernel_size=7, strides=2, padding=3)`, `nn.BatchNorm()`,
// `nn.Activation('relu')` and `nn.MaxPool2D(pool_size=3, strides=2, padding=1)`;
// `resnet_block(num_channels, num_residuals, first_block=False)` is an `nn.Sequential` of residual
// blocks whose first one halves height and width and changes the channels with a 1x1 convolution,
// except in the first module; `net.add` of `resnet_block(64, 2, first_block=True)` and of 128, 256
// and 512 channels, then `nn.GlobalAvgPool2D()` and `nn.Dense(10)`: ResNet-18. Then the output
// shape of each layer for `nd.random.uniform(shape=(1, 1, 224, 224))` after `net.initialize()`; the
// first convolution is `conv5` and its batch normalization `batchnorm4`, as the two residual blocks
// above took the earlier names.
const net = new nn.Sequential();
net.add(
  new nn.Conv2D(64, { kernelSize: 7, strides: 2, padding: 3 }),
  new nn.BatchNorm(),
  new nn.Activation('relu'),
  new nn.MaxPool2D({ poolSize: 3, strides: 2, padding: 1 }),
);

function resnetBlock(numChannels: number, numResiduals: number, firstBlock = false): nn.Sequential {
  const blk = new nn.Sequential();
  for (let i = 0; i < numResiduals; i++) {
    if (i === 0 && !firstBlock) {
      blk.add(new d2l.Residual(numChannels, { use1x1conv: true, strides: 2 }));
    } else {
      blk.add(new d2l.Residual(numChannels));
    }
  }
  return blk;
}

net.add(resnetBlock(64, 2, true), resnetBlock(128, 2), resnetBlock(256, 2), resnetBlock(512, 2));

net.add(new nn.GlobalAvgPool2D(), new nn.Dense(10));

let X = nd.random.uniform({ shape: [1, 1, 224, 224] });
net.initialize();
for (const layer of net) {
  X = layer(X);
  console.log(layer.name, 'output shape:\t', `(${X.shape.join(', ')})`);
}
// #endregion

// #region 5.11.3 Getting the data and training the model
// `lr, num_epochs, batch_size, ctx = 0.05, 5, 256, d2l.try_gpu()`,
// `net.initialize(force_reinit=True, ctx=ctx, init=init.Xavier())`, a 'sgd' `gluon.Trainer`,
// `d2l.load_data_fashion_mnist(batch_size, resize=96)` and `d2l.train_ch5`.
const lr = 0.05;
const numEpochs = args.epochs;
const batchSize = args.batchSize ?? 256;
const ctx = d2l.tryGpu();
net.initialize(new init.Xavier(), { forceReinit: true, ctx });
const trainer = new gluon.Trainer(net.collectParams(), 'sgd', { learningRate: lr });
const [trainIter, testIter] = await d2l.loadDataFashionMnist(batchSize, { resize: 96 });
d2l.trainCh5(net, trainIter, testIter, batchSize, trainer, ctx, numEpochs);
// #endregion
