/**
 * d2l 5.7 Networks Using Repeating Elements (VGG)
 *
 * "Dive into Deep Learning", MXNet edition, section 5.7, in the order of the book's Gluon code:
 * `vgg_block(num_convs, num_channels)` (3x3 ReLU convolutions with padding 1, then 2x2 max pooling
 * with stride 2), VGG-11 from `conv_arch = ((1, 64), (1, 128), (2, 256), (2, 512), (2, 512))` plus
 * AlexNet's dense layers, the output shape of every block for one 224x224 image, then a network
 * with a quarter of the channels (`ratio = 4`) trained for 5 epochs on Fashion-MNIST resized to
 * 224x224 (batch 128, learning rate 0.05, `init.Xavier()`).
 *
 * Flags: `--epochs N` (default 5), `--seed N`, `--batches N`, `--batch-size N` (default 128).
 */
import * as d2l from '@minimx/d2l';
import { nd } from '@minimx/ndarray';
import { gluon, init, nn } from '@minimx/nn';
import { parseArgs } from './cli.js';

const args = parseArgs({ epochs: 5 });

// #region 5.7.1 VGG blocks
// `vgg_block(num_convs, num_channels)` is an `nn.Sequential` of `num_convs` times
// `nn.Conv2D(num_channels, kernel_size=3, padding=1, activation='relu')` followed by
// `nn.MaxPool2D(pool_size=2, strides=2)`.
function vggBlock(numConvs: number, numChannels: number): nn.Sequential {
  const blk = new nn.Sequential();
  for (let i = 0; i < numConvs; i++) {
    blk.add(new nn.Conv2D(numChannels, { kernelSize: 3, padding: 1, activation: 'relu' }));
  }
  blk.add(new nn.MaxPool2D({ poolSize: 2, strides: 2 }));
  return blk;
}
// #endregion

// #region 5.7.2 VGG network
// `conv_arch` lists (number of convolutions, output channels) for five blocks: 8 convolutions and
// 3 dense layers make VGG-11. `vgg(conv_arch)` adds one `vgg_block` per entry to an `nn.Sequential`,
// then `nn.Dense(4096, activation='relu')`, `nn.Dropout(0.5)` twice, and `nn.Dense(10)`. After
// `net.initialize()`, each block of the network runs on `nd.random.uniform(shape=(1, 1, 224, 224))`
// and prints `blk.name` and the output shape: the blocks are `sequential1` to `sequential5` (the
// outer network was created first, as `sequential0`).
const convArch: readonly (readonly [number, number])[] = [
  [1, 64],
  [1, 128],
  [2, 256],
  [2, 512],
  [2, 512],
];

function vgg(convArch: readonly (readonly [number, number])[]): nn.Sequential {
  const net = new nn.Sequential();
  // the convolutional part
  for (const [numConvs, numChannels] of convArch) {
    net.add(vggBlock(numConvs, numChannels));
  }
  // the fully connected part
  net.add(
    new nn.Dense(4096, { activation: 'relu' }),
    new nn.Dropout(0.5),
    new nn.Dense(4096, { activation: 'relu' }),
    new nn.Dropout(0.5),
    new nn.Dense(10),
  );
  return net;
}

let net = vgg(convArch);

net.initialize();
let X = nd.random.uniform({ shape: [1, 1, 224, 224] });
for (const blk of net) {
  X = blk(X);
  console.log(blk.name, 'output shape:\t', `(${X.shape.join(', ')})`);
}
// #endregion

// #region 5.7.3 Model training
// `ratio = 4` and `small_conv_arch = [(pair[0], pair[1] // ratio) for pair in conv_arch]`, a
// narrower VGG-11 for Fashion-MNIST; then `lr, num_epochs, batch_size, ctx = 0.05, 5, 128,
// d2l.try_gpu()`, `net.initialize(ctx=ctx, init=init.Xavier())`, a 'sgd' `gluon.Trainer`,
// `d2l.load_data_fashion_mnist(batch_size, resize=224)` and `d2l.train_ch5`.
const ratio = 4;
const smallConvArch = convArch.map((pair) => [pair[0], Math.floor(pair[1] / ratio)] as const);
net = vgg(smallConvArch);

const lr = 0.05;
const numEpochs = args.epochs;
const batchSize = args.batchSize ?? 128;
const ctx = d2l.tryGpu();
net.initialize(new init.Xavier(), { ctx });
const trainer = new gluon.Trainer(net.collectParams(), 'sgd', { learningRate: lr });
const [trainIter, testIter] = await d2l.loadDataFashionMnist(batchSize, { resize: 224 });
d2l.trainCh5(net, trainIter, testIter, batchSize, trainer, ctx, numEpochs);
// #endregion
