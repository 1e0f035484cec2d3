/**
 * d2l 5.10 Batch Normalization
 *
 * "Dive into Deep Learning", MXNet edition, section 5.10, in the order of the book's Gluon code:
 * `batch_norm` from scratch (batch mean and biased variance while training, per feature for dense
 * layers and per channel for convolutions, moving averages for prediction), a `BatchNorm` block that
 * holds `gamma`, `beta` and the moving statistics, LeNet with a batch-normalization layer after every
 * convolution and dense layer trained for 5 epochs (batch 256, learning rate 1.0, `init.Xavier()`),
 * the learned `gamma` and `beta` of the first one, and the same network with Gluon's `nn.BatchNorm()`
 * trained with the same settings.
 *
 * Flags: `--epochs N` (default 5, for each of the two trainings), `--seed N`, `--batches N`,
 * `--batch-size N` (default 256).
 */
import * as d2l from '@minimx/d2l';
import { autograd, type NDArray, nd } from '@minimx/ndarray';
import { gluon, init, nn, type Parameter } from '@minimx/nn';
import { parseArgs } from './cli.js';

const args = parseArgs({ epochs: 5 });

// #region 5.10.2 Implementation from scratch
// `batch_norm(X, gamma, beta, moving_mean, moving_var, eps, momentum)`: outside training
// (`not autograd.is_training()`) it normalizes with the moving mean and variance; while training it
// asserts X is 2-D or 4-D and takes the mean and the biased variance over axis 0 (dense layers) or
// over axes (0, 2, 3) with `keepdims=True` (convolutions, per channel), normalizes with them and
// updates `moving = momentum * moving + (1.0 - momentum) * batch_statistic`; it returns
// `gamma * X_hat + beta` and the two moving statistics. `BatchNorm(nn.Block)` takes `num_features`
// and `num_dims` (2 or 4), creates `gamma` (`init.One()`) and `beta` (`init.Zero()`) of shape
// (1, num_features) or (1, num_features, 1, 1) with `self.params.get`, keeps `moving_mean` and
// `moving_var` as plain zero arrays (copied to X's context when it differs), and in `forward` calls
// `batch_norm` with `eps=1e-5, momentum=0.9` and stores the updated statistics.
function batchNorm(
  X: NDArray,
  gamma: NDArray,
  beta: NDArray,
  movingMean: NDArray,
  movingVar: NDArray,
  eps: number,
  momentum: number,
): [NDArray, NDArray, NDArray] {
  let XHat: NDArray;
  // autograd tells whether we are training or predicting
  if (!autograd.isTraining()) {
    // predicting: normalize with the moving mean and variance passed in
    XHat = X.sub(movingMean).div(nd.sqrt(movingVar.add(eps)));
  } else {
    if (X.ndim !== 2 && X.ndim !== 4)
      throw new RangeError(`batchNorm: expected 2-D or 4-D X, got ${X.ndim}-D`);
    let mean: NDArray;
    let variance: NDArray;
    if (X.ndim === 2) {
      // after a dense layer: mean and variance of each feature
      mean = X.mean({ axis: 0 });
      variance = X.sub(mean).pow(2).mean({ axis: 0 });
    } else {
      // after a convolution: mean and variance of each channel (axis 1), keeping X's number of axes
      // so that they broadcast against it
      mean = X.mean({ axis: [0, 2, 3], keepdims: true });
      variance = X.sub(mean)
        .pow(2)
        .mean({ axis: [0, 2, 3], keepdims: true });
    }
    // training: normalize with the batch's mean and variance
    XHat = X.sub(mean).div(nd.sqrt(variance.add(eps)));
    // update the moving averages
    movingMean = movingMean.mul(momentum).add(mean.mul(1.0 - momentum));
    movingVar = movingVar.mul(momentum).add(variance.mul(1.0 - momentum));
  }
  const Y = gamma.mul(XHat).add(beta); // scale and shift
  return [Y, movingMean, movingVar];
}

class BatchNorm extends nn.Block {
  gamma: Parameter;
  beta: Parameter;
  movingMean: NDArray;
  movingVar: NDArray;
  constructor(numFeatures: number, numDims: 2 | 4) {
    super();
    const shape = numDims === 2 ? [1, numFeatures] : [1, numFeatures, 1, 1];
    // the scale and shift parameters take part in gradients and updates; they start at 1 and 0
    this.gamma = this.params.get('gamma', { shape, init: new init.One() });
    this.beta = this.params.get('beta', { shape, init: new init.Zero() });
    // the moving statistics take no part in them; zeros in main memory
    this.movingMean = nd.zeros(shape);
    this.movingVar = nd.zeros(shape);
  }

  override forward(X: NDArray): NDArray {
    // if X is not in main memory, copy the moving statistics to X's device
    this.movingMean = this.movingMean.asInContext(X.context);
    this.movingVar = this.movingVar.asInContext(X.context);
    // keep the updated moving statistics
    let Y: NDArray;
    [Y, this.movingMean, this.movingVar] = batchNorm(
      X,
      this.gamma.data(),
      this.beta.data(),
      this.movingMean,
      this.movingVar,
      1e-5,
      0.9,
    );
    return Y;
  }
}
// #endregion

// #region 5.10.2.1 LeNet with batch normalization
// LeNet of 5.5 with a batch-normalization layer after each convolution and dense layer, before the
// activation, which becomes a separate `nn.Activation('sigmoid')`: `nn.Conv2D(6, kernel_size=5)`,
// `BatchNorm(6, num_dims=4)`, the activation, `nn.MaxPool2D(pool_size=2, strides=2)`, the same with 16
// channels, then `nn.Dense(120)`, `BatchNorm(120, num_dims=2)`, the activation, `nn.Dense(84)`,
// `BatchNorm(84, num_dims=2)`, the activation and `nn.Dense(10)`. Trained with `lr, num_epochs,
// batch_size, ctx = 1.0, 5, 256, d2l.try_gpu()`, `net.initialize(ctx=ctx, init=init.Xavier())`, a
// 'sgd' `gluon.Trainer`, `d2l.load_data_fashion_mnist(batch_size)` and `d2l.train_ch5`; then the book
// shows `net[1].gamma.data().reshape((-1,))` and the same for `beta`.
let net = new nn.Sequential();
net.add(
  new nn.Conv2D(6, { kernelSize: 5 }),
  new BatchNorm(6, 4),
  new nn.Activation('sigmoid'),
  new nn.MaxPool2D({ poolSize: 2, strides: 2 }),
  new nn.Conv2D(16, { kernelSize: 5 }),
  new BatchNorm(16, 4),
  new nn.Activation('sigmoid'),
  new nn.MaxPool2D({ poolSize: 2, strides: 2 }),
  new nn.Dense(120),
  new BatchNorm(120, 2),
  new nn.Activation('sigmoid'),
  new nn.Dense(84),
  new BatchNorm(84, 2),
  new nn.Activation('sigmoid'),
  new nn.Dense(10),
);

const lr = 1.0;
const numEpochs = args.epochs;
const batchSize = args.batchSize ?? 256;
const ctx = d2l.tryGpu();
net.initialize(new init.Xavier(), { ctx });
let trainer = new gluon.Trainer(net.collectParams(), 'sgd', { learningRate: lr });
const [trainIter, testIter] = await d2l.loadDataFashionMnist(batchSize);
d2l.trainCh5(net, trainIter, testIter, batchSize, trainer, ctx, numEpochs);

console.log(
  `${net.at<BatchNorm>(1).gamma.data().reshape(-1)}`,
  `${net.at<BatchNorm>(1).beta.data().reshape(-1)}`,
);
// #endregion

// #region 5.10.3 Concise implementation
// The same network with Gluon's `nn.BatchNorm()` in place of the hand-written layer: no
// `num_features` or `num_dims`, as the layer infers its input on the first forward. Trained with the
// same hyperparameters: `net.initialize(ctx=ctx, init=init.Xavier())`, a new 'sgd' trainer, and
// `d2l.train_ch5` on the same data iterators.
net = new nn.Sequential();
net.add(
  new nn.Conv2D(6, { kernelSize: 5 }),
  new nn.BatchNorm(),
  new nn.Activation('sigmoid'),
  new nn.MaxPool2D({ poolSize: 2, strides: 2 }),
  new nn.Conv2D(16, { kernelSize: 5 }),
  new nn.BatchNorm(),
  new nn.Activation('sigmoid'),
  new nn.MaxPool2D({ poolSize: 2, strides: 2 }),
  new nn.Dense(120),
  new nn.BatchNorm(),
  new nn.Activation('sigmoid'),
  new nn.Dense(84),
  new nn.BatchNorm(),
  new nn.Activation('sigmoid'),
  new nn.Dense(10),
);

net.initialize(new init.Xavier(), { ctx });
trainer = new gluon.Trainer(net.collectParams(), 'sgd', { learningRate: lr });
d2l.trainCh5(net, trainIter, testIter, batchSize, trainer, ctx, numEpochs);
// #endregion
