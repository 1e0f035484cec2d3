/**
 * d2l 5.1 Two-dimensional Convolutional Layers
 *
 * "Dive into Deep Learning", MXNet edition, section 5.1, in the order of the book's Gluon code:
 * the cross-correlation `corr2d(X, K)` of a 3x3 input with a 2x2 kernel, a hand-written `Conv2D`
 * block on top of it, edge detection in a 6x8 black-and-white image with the kernel `[[1, -1]]`,
 * and 10 steps of gradient descent that learn that kernel back from the image and its edges with
 * Gluon's `nn.Conv2D(1, kernel_size=(1, 2))`, printing the summed squared error every 2 steps.
 *
 * Flags: `--seed N` (the layer's initial weight is random; the book fixes no seed).
 */

import * as d2l from '@minimx/d2l';
import { autograd, type NDArray, nd } from '@minimx/ndarray';
import { nn, type Parameter } from '@minimx/nn';
import { parseArgs } from './cli.js';

parseArgs({ epochs: 1 });

// #region 5.1.1 Two-dimensional cross-correlation
// `corr2d(X, K)` (saved in d2lzh) slides the kernel over the input and writes each output element
// with `Y[i, j] = (X[i: i + h, j: j + w] * K).sum()`; the book checks it on X = 0..8 as a 3x3 array
// and K = [[0, 1], [2, 3]], which gives [[19, 25], [37, 43]].
// helpers: corr2d
let X = nd.array([
  [0, 1, 2],
  [3, 4, 5],
  [6, 7, 8],
]);
let K = nd.array([
  [0, 1],
  [2, 3],
]);
console.log(`${d2l.corr2d(X, K)}`);
// #endregion

// #region 5.1.2 Two-dimensional convolutional layers
// A `Conv2D(nn.Block)` whose `__init__` declares `weight` (shape `kernel_size`) and `bias` (shape
// (1,)) with `self.params.get`, and whose `forward` returns `corr2d(x, self.weight.data()) +
// self.bias.data()`. Its element-by-element writes cannot be differentiated, so the book only
// defines it and trains Gluon's layer below (exported here, as nothing in this file uses it).
export class Conv2D extends nn.Block {
  weight: Parameter;
  bias: Parameter;
  constructor(kernelSize: readonly [number, number]) {
    super();
    this.weight = this.params.get('weight', { shape: kernelSize });
    this.bias = this.params.get('bias', { shape: [1] });
  }

  override forward(x: NDArray): NDArray {
    return d2l.corr2d(x, this.weight.data()).add(this.bias.data());
  }
}
// #endregion

// #region 5.1.3 Object edge detection in images
// `X = nd.ones((6, 8))` with `X[:, 2:6] = 0` (black in the middle four columns), the kernel
// `K = nd.array([[1, -1]])`, and `Y = corr2d(X, K)`: 1 at the white-to-black edge, -1 at the
// black-to-white edge, 0 elsewhere.
X = nd.ones([6, 8]);
X.set(':, 2:6', 0);
console.log(`${X}`);

K = nd.array([[1, -1]]);

let Y = d2l.corr2d(X, K);
console.log(`${Y}`);
// #endregion

// #region 5.1.4 Learning a kernel array from data
// `conv2d = nn.Conv2D(1, kernel_size=(1, 2))` and `conv2d.initialize()`; X and Y reshaped to
// (1, 1, 6, 8) and (1, 1, 6, 7) (batch, channel, height, width); then 10 times: under
// `autograd.record()` the squared error `(Y_hat - Y) ** 2`, `l.backward()`, the update
// `conv2d.weight.data()[:] -= 3e-2 * conv2d.weight.grad()` (the bias is left alone), and every
// second step `print('batch %d, loss %.3f' % (i + 1, l.sum().asscalar()))`. Finally the learned
// kernel `conv2d.weight.data().reshape((1, 2))`, close to [1, -1].
const conv2d = new nn.Conv2D(1, { kernelSize: [1, 2] });
conv2d.initialize();

X = X.reshape([1, 1, 6, 8]);
Y = Y.reshape([1, 1, 6, 7]);

for (let i = 0; i < 10; i++) {
  const l = autograd.record(() => {
    const YHat = conv2d(X);
    return YHat.sub(Y).pow(2);
  });
  l.backward();
  // the bias is ignored here, for simplicity
  conv2d.weight.data().set(conv2d.weight.data().sub(conv2d.weight.grad().mul(3e-2)));
  if ((i + 1) % 2 === 0) {
    console.log(`batch ${i + 1}, loss ${l.sum().asScalar().toFixed(3)}`);
  }
}

console.log(`${conv2d.weight.data().reshape([1, 2])}`);
// #endregion
