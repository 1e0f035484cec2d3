/**
 * The convolution helpers of d2l chapter 5: `corr2d` (5.1, the two-dimensional cross-correlation
 * written with a loop over output elements, as the book writes it) and `Residual` (5.11, the
 * residual block of ResNet: two 3x3 convolutions with batch normalization, and a 1x1 convolution
 * on the shortcut when the shape changes).
 */
import { type NDArray, nd } from '@minimx/ndarray';
import { nn } from '@minimx/nn';

// #region corr2d
/**
 * The two-dimensional cross-correlation of `X` (h, w) with the kernel `K` (kh, kw): an
 * (h - kh + 1, w - kw + 1) array whose element (i, j) is the sum of `X[i:i+kh, j:j+kw] * K`.
 * d2l 5.1: `d2l.corr2d(X, K)`.
 * @example d2l.corr2d(nd.arange(9).reshape(3, 3), nd.arange(4).reshape(2, 2)) // [[19, 25], [37, 43]]
 */
export function corr2d(X: NDArray, K: NDArray): NDArray {
  if (X.ndim !== 2 || K.ndim !== 2) {
    throw new RangeError(`corr2d: expected 2-D X and K, got (${X.shape}) and (${K.shape})`);
  }
  const [h, w] = K.shape;
  const rows = X.shape[0] - h + 1;
  const cols = X.shape[1] - w + 1;
  if (rows < 1 || cols < 1) throw new RangeError(`corr2d: kernel (${K.shape}) is larger than X (${X.shape})`);
  const Y = nd.zeros([rows, cols]);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      Y.set(
        [i, j],
        X.get(`${i}:${i + h}, ${j}:${j + w}`)
          .mul(K)
          .sum()
          .asScalar(),
      );
    }
  }
  return Y;
}
// #endregion

/** Options of {@link Residual}: the block's keyword arguments. */
export interface ResidualOptions extends nn.BlockOptions {
  /** Add a 1x1 convolution on the shortcut (needed when the channels or the stride change). */
  use1x1conv?: boolean;
  /** Stride of the first 3x3 convolution and of the 1x1 one (default 1). */
  strides?: number;
}

// #region Residual
/**
 * ResNet's residual block: `relu(bn2(conv2(relu(bn1(conv1(X))))) + shortcut(X))`, both
 * convolutions 3x3 with padding 1 (the first with `strides`), the shortcut X itself or, with
 * `use1x1conv`, a 1x1 convolution with `strides`. d2l 5.11:
 * `d2l.Residual(num_channels, use_1x1conv=False, strides=1)`.
 * @example
 * const blk = new d2l.Residual(6, { use1x1conv: true, strides: 2 });
 * blk.initialize();
 * blk(nd.random.uniform({ shape: [4, 3, 6, 6] })).shape; // [4, 6, 3, 3]
 */
export class Residual extends nn.Block {
  /** The first 3x3 convolution (with `strides`). */
  readonly conv1: nn.Conv2D;
  /** The second 3x3 convolution. */
  readonly conv2: nn.Conv2D;
  /** The 1x1 convolution of the shortcut, or null (`use1x1conv` false). */
  readonly conv3: nn.Conv2D | null;
  /** Batch normalization after conv1. */
  readonly bn1: nn.BatchNorm;
  /** Batch normalization after conv2. */
  readonly bn2: nn.BatchNorm;

  constructor(numChannels: number, { use1x1conv = false, strides = 1, ...options }: ResidualOptions = {}) {
    super(options);
    this.conv1 = this.registerChild(
      new nn.Conv2D(numChannels, { kernelSize: 3, padding: 1, strides }),
      'conv1',
    );
    this.conv2 = this.registerChild(new nn.Conv2D(numChannels, { kernelSize: 3, padding: 1 }), 'conv2');
    this.conv3 = use1x1conv
      ? this.registerChild(new nn.Conv2D(numChannels, { kernelSize: 1, strides }), 'conv3')
      : null;
    this.bn1 = this.registerChild(new nn.BatchNorm(), 'bn1');
    this.bn2 = this.registerChild(new nn.BatchNorm(), 'bn2');
  }

  protected override alias(): string {
    return 'residual';
  }

  override forward(X: NDArray): NDArray {
    const Y = this.bn2(this.conv2(this.bn1(this.conv1(X)).relu()));
    return Y.add(this.conv3 ? this.conv3(X) : X).relu();
  }
}
// #endregion
