/**
 * d2l 5.2 Padding and Stride
 *
 * "Dive into Deep Learning", MXNet edition, section 5.2, in the order of the book's Gluon code: a
 * `comp_conv2d(conv2d, X)` helper that initializes a layer and runs it on an 8x8 input with batch
 * and channel axes added, then the output shapes of four `nn.Conv2D(1, ...)` layers: padding that
 * keeps 8x8 (square and 5x3 kernels), stride 2 that halves it, and a 3x5 kernel with padding (0, 1)
 * and strides (3, 4) that gives 2x2. The shapes are printed as Python prints a tuple.
 *
 * Flags: `--seed N` (the input and the weights are random; the shapes are not).
 */
import { type NDArray, nd } from '@minimx/ndarray';
import { nn } from '@minimx/nn';
import { parseArgs } from './cli.js';

parseArgs({ epochs: 1 });

// #region 5.2.1 Padding
// `comp_conv2d(conv2d, X)` calls `conv2d.initialize()`, reshapes X to `(1, 1) + X.shape`, runs the
// layer and drops the first two axes of the output again. `nn.Conv2D(1, kernel_size=3, padding=1)`
// on `X = nd.random.uniform(shape=(8, 8))` keeps the shape (8, 8); so does a (5, 3) kernel with
// padding (2, 1).
function compConv2d(conv2d: nn.Conv2D, X: NDArray): NDArray {
  conv2d.initialize();
  // (1, 1) are the batch size and the number of channels
  X = X.reshape([1, 1, ...X.shape]);
  const Y = conv2d(X);
  return Y.reshape(Y.shape.slice(2)); // drop the batch and channel axes
}

// one row or column of padding on each side: 2 in all on each axis
let conv2d = new nn.Conv2D(1, { kernelSize: 3, padding: 1 });
const X = nd.random.uniform({ shape: [8, 8] });
console.log(`(${compConv2d(conv2d, X).shape.join(', ')})`);

// a kernel 5 high and 3 wide, padded by 2 and 1
conv2d = new nn.Conv2D(1, { kernelSize: [5, 3], padding: [2, 1] });
console.log(`(${compConv2d(conv2d, X).shape.join(', ')})`);
// #endregion

// #region 5.2.2 Stride
// `nn.Conv2D(1, kernel_size=3, padding=1, strides=2)` halves the height and width to (4, 4);
// `nn.Conv2D(1, kernel_size=(3, 5), padding=(0, 1), strides=(3, 4))` gives (2, 2).
conv2d = new nn.Conv2D(1, { kernelSize: 3, padding: 1, strides: 2 });
console.log(`(${compConv2d(conv2d, X).shape.join(', ')})`);

conv2d = new nn.Conv2D(1, { kernelSize: [3, 5], padding: [0, 1], strides: [3, 4] });
console.log(`(${compConv2d(conv2d, X).shape.join(', ')})`);
// #endregion
