/**
 * d2l 5.4 Pooling
 *
 * "Dive into Deep Learning", MXNet edition, section 5.4, in the order of the book's Gluon code: a
 * hand-written `pool2d(X, pool_size, mode)` for max and average pooling, checked on a 3x3 input;
 * then Gluon's `nn.MaxPool2D` on `nd.arange(16)` as (1, 1, 4, 4) with the default stride (equal to
 * the window), with padding and stride given, with a non-square window, and on two channels, which
 * stay two channels.
 */
import { type NDArray, nd } from '@minimx/ndarray';
import { nn } from '@minimx/nn';
import { parseArgs } from './cli.js';

parseArgs({ epochs: 1 });

// #region 5.4.1 Two-dimensional max pooling and average pooling
// `pool2d(X, pool_size, mode='max')` is `corr2d` with the product replaced by
// `X[i: i + p_h, j: j + p_w].max()` (or `.mean()` when `mode == 'avg'`). On X = 0..8 as 3x3 with a
// (2, 2) window it gives [[4, 5], [7, 8]], and [[2, 3], [5, 6]] for 'avg'.
function pool2d(X: NDArray, poolSize: readonly [number, number], mode: 'max' | 'avg' = 'max'): NDArray {
  const [pH, pW] = poolSize;
  const Y = nd.zeros([X.shape[0] - pH + 1, X.shape[1] - pW + 1]);
  for (let i = 0; i < Y.shape[0]; i++) {
    for (let j = 0; j < Y.shape[1]; j++) {
      if (mode === 'max') {
        Y.set(
          [i, j],
          X.get([
            [i, i + pH],
            [j, j + pW],
          ]).max(),
        );
      } else if (mode === 'avg') {
        Y.set(
          [i, j],
          X.get([
            [i, i + pH],
            [j, j + pW],
          ]).mean(),
        );
      }
    }
  }
  return Y;
}

let X = nd.array([
  [0, 1, 2],
  [3, 4, 5],
  [6, 7, 8],
]);
console.log(`${pool2d(X, [2, 2])}`);

console.log(`${pool2d(X, [2, 2], 'avg')}`);
// #endregion

// #region 5.4.2 Padding and stride
// `X = nd.arange(16).reshape((1, 1, 4, 4))`; `nn.MaxPool2D(3)` (stride 3 by default) gives
// [[[[10]]]], no initialization needed as the layer has no parameters; `nn.MaxPool2D(3,
// padding=1, strides=2)` gives [[5, 7], [13, 15]]; `nn.MaxPool2D((2, 3), padding=(1, 2),
// strides=(2, 3))` gives the (1, 1, 3, 2) array [[0, 3], [8, 11], [12, 15]]. The book rebinds the
// name `pool2d` to each layer; here the layers are called `pool`.
X = nd.arange(16).reshape([1, 1, 4, 4]);
console.log(`${X}`);

let pool = new nn.MaxPool2D({ poolSize: 3 });
console.log(`${pool(X)}`); // a pooling layer has no parameters: no initialize() needed

pool = new nn.MaxPool2D({ poolSize: 3, padding: 1, strides: 2 });
console.log(`${pool(X)}`);

pool = new nn.MaxPool2D({ poolSize: [2, 3], padding: [1, 2], strides: [2, 3] });
console.log(`${pool(X)}`);
// #endregion

// #region 5.4.3 Multiple channels
// `X = nd.concat(X, X + 1, dim=1)` makes two channels; `nn.MaxPool2D(3, padding=1, strides=2)` pools
// each channel on its own, so the output still has 2 channels: [[5, 7], [13, 15]] and
// [[6, 8], [14, 16]].
X = nd.concat(X, X.add(1), { dim: 1 });
console.log(`${X}`);

pool = new nn.MaxPool2D({ poolSize: 3, padding: 1, strides: 2 });
console.log(`${pool(X)}`);
// #endregion
