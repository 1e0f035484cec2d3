/**
 * d2l 5.6 Deep Convolutional Neural Networks (AlexNet)
 *
 * "Dive into Deep Learning", MXNet edition, section 5.6, in the order of the book's Gluon code: a
 * slightly simplified AlexNet (five ReLU convolutions with 11x11, 5x5 and 3x3 windows, three 3x3
 * max-pooling layers with stride 2, two 4096-unit dense layers with dropout 0.5, 10 outputs), the
 * output shape of every layer for one 224x224 image, Fashion-MNIST resized to 224x224 batch by
 * batch (`load_data_fashion_mnist(batch_size, resize=224)`, batch 128), and 5 epochs of SGD at
 * learning rate 0.01 after re-initializing with `init.Xavier()`.
 *
 * Flags: `--epochs N` (default 5), `--seed N`, `--batches N`, `--batch-size N` (default 128).
 */
import * as d2l from '@minimx/d2l';
import { nd } from '@minimx/ndarray';
import { gluon, init, nn } from '@minimx/nn';
import { parseArgs } from './cli.js';

const args = parseArgs({ epochs: 5 });

// #region 5.6.2 AlexNet
// `nn.Sequential()` with `nn.Conv2D(96, kernel_size=11, strides=4, activation='relu')` and
// `nn.MaxPool2D(pool_size=3, strides=2)`; `nn.Conv2D(256, kernel_size=5, padding=2,
// activation='relu')` and the same pooling; three `kernel_size=3, padding=1` ReLU convolutions
// with 384, 384 and 256 channels and the same pooling; `nn.Dense(4096, activation="relu")` and
// `nn.Dropout(0.5)` twice; `nn.Dense(10)` for the 10 classes of Fashion-MNIST. Then the output
// shape of each layer for `X = nd.random.uniform(shape=(1, 1, 224, 224))` after `net.initialize()`.
const net = new nn.Sequential();
// a large 11x11 window to capture objects, and stride 4 to shrink the output a lot; many more
// output channels than LeNet
net.add(
  new nn.Conv2D(96, { kernelSize: 11, strides: 4, activation: 'relu' }),
  new nn.MaxPool2D({ poolSize: 3, strides: 2 }),
  // a smaller window, padding 2 to keep height and width, more output channels
  new nn.Conv2D(256, { kernelSize: 5, padding: 2, activation: 'relu' }),
  new nn.MaxPool2D({ poolSize: 3, strides: 2 }),
  // three convolutions with still smaller windows; no pooling between the first two
  new nn.Conv2D(384, { kernelSize: 3, padding: 1, activation: 'relu' }),
  new nn.Conv2D(384, { kernelSize: 3, padding: 1, activation: 'relu' }),
  new nn.Conv2D(256, { kernelSize: 3, padding: 1, activation: 'relu' }),
  new nn.MaxPool2D({ poolSize: 3, strides: 2 }),
  // dense layers many times wider than LeNet's, with dropout against overfitting
  new nn.Dense(4096, { activation: 'relu' }),
  new nn.Dropout(0.5),
  new nn.Dense(4096, { activation: 'relu' }),
  new nn.Dropout(0.5),
  // the output layer: 10 classes for Fashion-MNIST, not the paper's 1000
  new nn.Dense(10),
);

let X = nd.random.uniform({ shape: [1, 1, 224, 224] });
net.initialize();
for (const layer of net) {
  X = layer(X);
  console.log(layer.name, 'output shape:\t', `(${X.shape.join(', ')})`);
}
// #endregion

// #region 5.6.3 Reading the data
// `load_data_fashion_mnist(batch_size, resize=None, root=...)` (saved in d2lzh) puts
// `gdata.vision.transforms.Resize(resize)` before `ToTensor()` in a `Compose`, applied with
// `transform_first` as each batch is read; then `batch_size = 128` and `resize=224`.
// helpers: loadDataFashionMnist
const batchSize = args.batchSize ?? 128;
// if memory runs out, reduce batchSize or resize
const [trainIter, testIter] = await d2l.loadDataFashionMnist(batchSize, { resize: 224 });
// #endregion

// #region 5.6.4 Training
// `lr, num_epochs, ctx = 0.01, 5, d2l.try_gpu()`, `net.initialize(force_reinit=True, ctx=ctx,
// init=init.Xavier())`, a `gluon.Trainer` with 'sgd' and `d2l.train_ch5`: a smaller learning rate
// than LeNet's.
const lr = 0.01;
const numEpochs = args.epochs;
const ctx = d2l.tryGpu();
net.initialize(new init.Xavier(), { forceReinit: true, ctx });
const trainer = new gluon.Trainer(net.collectParams(), 'sgd', { learningRate: lr });
d2l.trainCh5(net, trainIter, testIter, batchSize, trainer, ctx, numEpochs);
// #endregion
