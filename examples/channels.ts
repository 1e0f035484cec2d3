/**
 * d2l 5.3 Multiple Input and Multiple Output Channels
 *
 * "Dive into Deep Learning", MXNet edition, section 5.3, in the order of the book's Gluon code:
 * cross-correlation over several input channels (`corr2d` per channel, summed with `nd.add_n`), over
 * several output channels (one result per kernel, joined with `nd.stack`), checked on the book's
 * 2-channel 3x3 input, and the 1x1 convolution written as a matrix product, which agrees with the
 * general version on random data.
 *
 * Flags: `--seed N` (the data of the last check is random).
 */

import * as d2l from '@minimx/d2l';
import { type NDArray, nd } from '@minimx/ndarray';
import { parseArgs } from './cli.js';

parseArgs({ epochs: 1 });

// #region 5.3.1 Multiple input channels
// `corr2d_multi_in(X, K)` walks X and K along their first (channel) axis together with `zip`,
// cross-correlates each pair with `d2l.corr2d` and adds the results with `nd.add_n(*[...])`. On
// the book's input (channels 0..8 and 1..9 as 3x3) and kernel ([[0, 1], [2, 3]] and
// [[1, 2], [3, 4]]) it gives [[56, 72], [104, 120]].
function corr2dMultiIn(X: NDArray, K: NDArray): NDArray {
  // iterate over the channel axis of X and K together, then add the results up
  const kernels = [...K];
  return nd.addN(...[...X].map((x, i) => d2l.corr2d(x, kernels[i])));
}

let X = nd.array([
  [
    [0, 1, 2],
    [3, 4, 5],
    [6, 7, 8],
  ],
  [
    [1, 2, 3],
    [4, 5, 6],
    [7, 8, 9],
  ],
]);
let K = nd.array([
  [
    [0, 1],
    [2, 3],
  ],
  [
    [1, 2],
    [3, 4],
  ],
]);

console.log(`${corr2dMultiIn(X, K)}`);
// #endregion

// #region 5.3.2 Multiple output channels
// `corr2d_multi_in_out(X, K)` runs `corr2d_multi_in(X, k)` for every k along K's first axis and
// joins the outputs with `nd.stack(*[...])`. The kernel `nd.stack(K, K + 1, K + 2)` has shape
// (3, 2, 2, 2), and the output has 3 channels, the first equal to the result above.
function corr2dMultiInOut(X: NDArray, K: NDArray): NDArray {
  // one multi-input cross-correlation per output channel, stacked
  return nd.stack(...[...K].map((k) => corr2dMultiIn(X, k)));
}

K = nd.stack(K, K.add(1), K.add(2));
console.log(`(${K.shape.join(', ')})`);

console.log(`${corr2dMultiInOut(X, K)}`);
// #endregion

// #region 5.3.3 1x1 convolutional layer
// `corr2d_multi_in_out_1x1(X, K)` reshapes X (c_i, h, w) to (c_i, h * w) and K to (c_o, c_i),
// multiplies them with `nd.dot` (a fully connected layer) and reshapes to (c_o, h, w). On
// `nd.random.uniform(shape=(3, 3, 3))` and a (2, 3, 1, 1) kernel it matches `corr2d_multi_in_out`:
// `(Y1 - Y2).norm().asscalar() < 1e-6` is True.
function corr2dMultiInOut1x1(X: NDArray, K: NDArray): NDArray {
  const [cI, h, w] = X.shape;
  const cO = K.shape[0];
  X = X.reshape([cI, h * w]);
  K = K.reshape([cO, cI]);
  const Y = nd.dot(K, X); // the matrix product of a fully connected layer
  return Y.reshape([cO, h, w]);
}

X = nd.random.uniform({ shape: [3, 3, 3] });
K = nd.random.uniform({ shape: [2, 3, 1, 1] });

const Y1 = corr2dMultiInOut1x1(X, K);
const Y2 = corr2dMultiInOut(X, K);

console.log(Y1.sub(Y2).norm().asScalar() < 1e-6);
// #endregion
