/**
 * d2l 5.9 Networks with Parallel Concatenations (GoogLeNet)
 *
 * "Dive into Deep Learning", MXNet edition, section 5.9, in the order of the book's Gluon code: the
 * `Inception` block (four parallel paths: a 1x1 convolution; 1x1 then 3x3; 1x1 then 5x5; 3x3 max
 * pooling then 1x1; joined along the channel axis), the five modules `b1` to `b5` of GoogLeNet with
 * nine Inception blocks and a global average pooling layer, the output shape of every module for
 * one 96x96 image, and 5 epochs on Fashion-MNIST resized to 96x96 (batch 128, learning rate 0.1,
 * `init.Xavier()`).
 *
 * Flags: `--epochs N` (default 5), `--seed N`, `--batches N`, `--batch-size N` (default 128).
 */
import * as d2l from '@minimx/d2l';
import { type NDArray, nd } from '@minimx/ndarray';
import { gluon, init, nn } from '@minimx/nn';
import { parseArgs } from './cli.js';

const args = parseArgs({ epochs: 5 });

// #region 5.9.1 Inception blocks
// `class Inception(nn.Block)` takes the output channels c1 to c4 of its paths (c2 and c3 are
// pairs) and assigns in `__init__`: path 1 `p1_1 = nn.Conv2D(c1, kernel_size=1,
// activation='relu')`; path 2 a 1x1 convolution to `c2[0]` channels then a 3x3 one with padding 1
// to `c2[1]`; path 3 a 1x1 to `c3[0]` then a 5x5 with padding 2 to `c3[1]`; path 4
// `nn.MaxPool2D(pool_size=3, strides=1, padding=1)` then a 1x1 to c4; all with ReLU. `forward`
// runs the four paths on x and returns `nd.concat(p1, p2, p3, p4, dim=1)`.
class Inception extends nn.Block {
  p1_1: nn.Conv2D;
  p2_1: nn.Conv2D;
  p2_2: nn.Conv2D;
  p3_1: nn.Conv2D;
  p3_2: nn.Conv2D;
  p4_1: nn.MaxPool2D;
  p4_2: nn.Conv2D;
  // c1 to c4 are the output channels of the layers of each path
  constructor(c1: number, c2: readonly [number, number], c3: readonly [number, number], c4: number) {
    super();
    // path 1: a single 1x1 convolution
    this.p1_1 = new nn.Conv2D(c1, { kernelSize: 1, activation: 'relu' });
    // path 2: a 1x1 convolution, then a 3x3 one
    this.p2_1 = new nn.Conv2D(c2[0], { kernelSize: 1, activation: 'relu' });
    this.p2_2 = new nn.Conv2D(c2[1], { kernelSize: 3, padding: 1, activation: 'relu' });
    // path 3: a 1x1 convolution, then a 5x5 one
    this.p3_1 = new nn.Conv2D(c3[0], { kernelSize: 1, activation: 'relu' });
    this.p3_2 = new nn.Conv2D(c3[1], { kernelSize: 5, padding: 2, activation: 'relu' });
    // path 4: 3x3 max pooling, then a 1x1 convolution
    this.p4_1 = new nn.MaxPool2D({ poolSize: 3, strides: 1, padding: 1 });
    this.p4_2 = new nn.Conv2D(c4, { kernelSize: 1, activation: 'relu' });
  }

  override forward(x: NDArray): NDArray {
    const p1 = this.p1_1(x);
    const p2 = this.p2_2(this.p2_1(x));
    const p3 = this.p3_2(this.p3_1(x));
    const p4 = this.p4_2(this.p4_1(x));
    return nd.concat(p1, p2, p3, p4, { dim: 1 }); // join the outputs along the channel axis
  }
}
// #endregion

// #region 5.9.2 GoogLeNet model
// Five `nn.Sequential` modules: `b1` a 64-channel 7x7 ReLU convolution (stride 2, padding 3) and
// `nn.MaxPool2D(pool_size=3, strides=2, padding=1)`; `b2` a 64-channel 1x1 convolution, a 192-channel
// 3x3 one (padding 1) and the same pooling; `b3` two Inception blocks (256 and 480 output channels)
// and the pooling; `b4` five Inception blocks (512, 512, 512, 528, 832) and the pooling; `b5` two
// (832, 1024) and `nn.GlobalAvgPool2D()`; then `net.add(b1, b2, b3, b4, b5, nn.Dense(10))`. The
// output shape of each module for `nd.random.uniform(shape=(1, 1, 96, 96))` (the book shrinks the
// input from 224 to 96 to save computation): the modules were created first, so they are
// `sequential0` to `sequential4`.
const b1 = new nn.Sequential();
b1.add(
  new nn.Conv2D(64, { kernelSize: 7, strides: 2, padding: 3, activation: 'relu' }),
  new nn.MaxPool2D({ poolSize: 3, strides: 2, padding: 1 }),
);

const b2 = new nn.Sequential();
b2.add(
  new nn.Conv2D(64, { kernelSize: 1 }),
  new nn.Conv2D(192, { kernelSize: 3, padding: 1 }),
  new nn.MaxPool2D({ poolSize: 3, strides: 2, padding: 1 }),
);

const b3 = new nn.Sequential();
b3.add(
  new Inception(64, [96, 128], [16, 32], 32),
  new Inception(128, [128, 192], [32, 96], 64),
  new nn.MaxPool2D({ poolSize: 3, strides: 2, padding: 1 }),
);

const b4 = new nn.Sequential();
b4.add(
  new Inception(192, [96, 208], [16, 48], 64),
  new Inception(160, [112, 224], [24, 64], 64),
  new Inception(128, [128, 256], [24, 64], 64),
  new Inception(112, [144, 288], [32, 64], 64),
  new Inception(256, [160, 320], [32, 128], 128),
  new nn.MaxPool2D({ poolSize: 3, strides: 2, padding: 1 }),
);

const b5 = new nn.Sequential();
b5.add(
  new Inception(256, [160, 320], [32, 128], 128),
  new Inception(384, [192, 384], [48, 128], 128),
  new nn.GlobalAvgPool2D(),
);

const net = new nn.Sequential();
net.add(b1, b2, b3, b4, b5, new nn.Dense(10));

let X = nd.random.uniform({ shape: [1, 1, 96, 96] });
net.initialize();
for (const layer of net) {
  X = layer(X);
  console.log(layer.name, 'output shape:\t', `(${X.shape.join(', ')})`);
}
// #endregion

// #region 5.9.3 Getting the data and training the model
// `lr, num_epochs, batch_size, ctx = 0.1, 5, 128, d2l.try_gpu()`,
// `net.initialize(force_reinit=True, ctx=ctx, init=init.Xavier())`, a 'sgd' `gluon.Trainer`,
// `d2l.load_data_fashion_mnist(batch_size, resize=96)` and `d2l.train_ch5`.
const lr = 0.1;
const numEpochs = args.epochs;
const batchSize = args.batchSize ?? 128;
const ctx = d2l.tryGpu();
net.initialize(new init.Xavier(), { forceReinit: true, ctx });
const trainer = new gluon.Trainer(net.collectParams(), 'sgd', { learningRate: lr });
const [trainIter, testIter] = await d2l.loadDataFashionMnist(batchSize, { resize: 96 });
d2l.trainCh5(net, trainIter, testIter, batchSize, trainer, ctx, numEpochs);
// #endregion
