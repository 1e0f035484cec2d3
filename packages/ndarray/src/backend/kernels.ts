/**
 * The kernel interface: every computation an op needs, on plain typed arrays and shapes.
 * Kernels know nothing of NDArray, autograd or the tape, so a faster backend (WebAssembly,
 * worker threads) can replace any of them without touching ops or gradient rules.
 * `out` is always preallocated by the caller with the right size and dtype.
 */
import type { TypedArray } from '../dtype.js';
import type { Shape } from '../shape.js';

/** Element-wise functions of one argument. */
export type UnaryOp =
  | 'neg'
  | 'exp'
  | 'log'
  | 'abs'
  | 'sqrt'
  | 'square'
  | 'relu'
  | 'sigmoid'
  | 'tanh'
  | 'sign'
  | 'reciprocal'
  | 'softrelu'
  | 'floor'
  | 'round';

/** Element-wise functions of two arguments (comparisons write 1 or 0). */
export type BinaryOp =
  | 'add'
  | 'sub'
  | 'mul'
  | 'div'
  | 'pow'
  | 'maximum'
  | 'minimum'
  | 'equal'
  | 'notEqual'
  | 'greater'
  | 'greaterEqual'
  | 'less'
  | 'lessEqual';

/** Reductions over a set of axes. */
export type ReduceOp = 'sum' | 'max' | 'min' | 'prod';

/** Index-returning reductions over one axis. */
export type ArgReduceOp = 'argmax' | 'argmin';

/** An activation a convolution or fully connected kernel applies to its output (`conv2d`'s, `biasAct`'s `act`). */
export type ConvActivation = 'relu' | 'sigmoid';

/** Geometry of a 2-D convolution over NCHW data; the weight is (outChannels, inChannels/groups, kernelH, kernelW). */
export interface Conv2dGeometry {
  /** Images in the batch (N). */
  readonly batch: number;
  /** Input channels (C). */
  readonly inChannels: number;
  /** Input height. */
  readonly inH: number;
  /** Input width. */
  readonly inW: number;
  /** Output channels (filters). */
  readonly outChannels: number;
  /** Output height. */
  readonly outH: number;
  /** Output width. */
  readonly outW: number;
  /** Filter height. */
  readonly kernelH: number;
  /** Filter width. */
  readonly kernelW: number;
  /** Vertical stride. */
  readonly strideH: number;
  /** Horizontal stride. */
  readonly strideW: number;
  /** Zero rows added above and below. */
  readonly padH: number;
  /** Zero columns added left and right. */
  readonly padW: number;
  /** Vertical spacing of the filter's taps (1: adjacent). */
  readonly dilationH: number;
  /** Horizontal spacing of the filter's taps (1: adjacent). */
  readonly dilationW: number;
  /** Channel groups: each group of outChannels/groups filters sees inChannels/groups inputs. */
  readonly groups: number;
}

/** Geometry of 2-D pooling over NCHW data (padding is implicit: never part of a max, counted in an average only with countIncludePad). */
export interface Pool2dGeometry {
  /** Images in the batch (N). */
  readonly batch: number;
  /** Channels (C), pooled independently. */
  readonly channels: number;
  /** Input height. */
  readonly inH: number;
  /** Input width. */
  readonly inW: number;
  /** Output height. */
  readonly outH: number;
  /** Output width. */
  readonly outW: number;
  /** Window height. */
  readonly kernelH: number;
  /** Window width. */
  readonly kernelW: number;
  /** Vertical stride. */
  readonly strideH: number;
  /** Horizontal stride. */
  readonly strideW: number;
  /** Padding rows above and below. */
  readonly padH: number;
  /** Padding columns left and right. */
  readonly padW: number;
}

/** The pooling reductions. */
export type PoolKind = 'max' | 'avg';

/**
 * The full set of kernels a backend provides. A backend that only speeds up some of them
 * spreads the reference backend and overrides the rest (see backend/registry.ts).
 */
export interface Kernels {
  /** Backend name, shown by `getBackend().name`. */
  readonly name: string;
  /** out[i] = f(x[i]). */
  unary(op: UnaryOp, x: TypedArray, out: TypedArray): void;
  /** out = a (op) b with NumPy broadcasting; `outShape` is the broadcast shape. */
  binary(
    op: BinaryOp,
    a: TypedArray,
    aShape: Shape,
    b: TypedArray,
    bShape: Shape,
    out: TypedArray,
    outShape: Shape,
  ): void;
  /** Reduces `axes` (sorted, unique) of `x` (shape `shape`) into `out` (the remaining axes, row-major). */
  reduce(op: ReduceOp, x: TypedArray, shape: Shape, axes: readonly number[], out: TypedArray): void;
  /** Index of the max/min along `axis` (first on ties); NaN wins, as in NumPy. */
  argReduce(op: ArgReduceOp, x: TypedArray, shape: Shape, axis: number, out: TypedArray): void;
  /**
   * Batched matrix product: for each of `batch` matrices, out (m,n) = op(a) (m,k) x op(b) (k,n),
   * where op(a) is a (m,k) row-major, or a (k,m) row-major read transposed when `transA`.
   */
  matmul(
    a: TypedArray,
    b: TypedArray,
    out: TypedArray,
    batch: number,
    m: number,
    n: number,
    k: number,
    transA: boolean,
    transB: boolean,
  ): void;
  /** out = x with axes permuted: out axis i is x axis perm[i]. */
  transpose(x: TypedArray, shape: Shape, perm: readonly number[], out: TypedArray): void;
  /**
   * The sigmoid's gradient from its output: out[i] = dy[i] · y[i] · (1 - y[i]), on arrays of one
   * length (y the sigmoid's output, dy the incoming gradient).
   */
  sigmoidBackward(y: TypedArray, dy: TypedArray, out: TypedArray): void;
  /** Copies with conversion (float -> int truncates toward zero, as a C cast does). */
  cast(x: TypedArray, out: TypedArray): void;
  /**
   * Gathers one element per row along an axis: x viewed as (outer, len, inner), index as
   * (outer, inner) holding already-validated integer positions; out[o,i] = x[o, index[o,i], i].
   */
  pick(x: TypedArray, outer: number, len: number, inner: number, index: Int32Array, out: TypedArray): void;
  /** The adjoint of `pick`: out (zeroed by the caller) gets dy[o,i] added at [o, index[o,i], i]. */
  pickScatter(
    dy: TypedArray,
    outer: number,
    len: number,
    inner: number,
    index: Int32Array,
    out: TypedArray,
  ): void;
  /**
   * Softmax (or log-softmax when `log`) along the middle axis of x viewed as (outer, len, inner),
   * stable for large inputs (the maximum is subtracted first). With `log` and `probs` (of out's
   * dtype), probs also gets the softmax, the values `log` false writes, from the same exponentials.
   */
  softmax(
    x: TypedArray,
    outer: number,
    len: number,
    inner: number,
    out: TypedArray,
    log: boolean,
    probs?: TypedArray | null,
  ): void;
  /**
   * Softmax cross-entropy against validated class positions `index` (outer, inner) along the middle
   * axis of x viewed as (outer, len, inner): out[o,i] = -logSoftmax(x)[o, index[o,i], i], the value
   * `softmax` with `log` gives, rounded to out's dtype, negated; with `probs` (of out's dtype), also
   * the softmax, as `softmax` writes it.
   */
  softmaxCrossEntropy(
    x: TypedArray,
    outer: number,
    len: number,
    inner: number,
    index: Int32Array,
    out: TypedArray,
    probs: TypedArray | null,
  ): void;
  /**
   * Softmax cross-entropy's gradient from the softmax `prob` (outer, len, inner) of its input:
   * out = prob · dy[o,i] - onehot(index[o,i]) · dy[o,i], rounded to out's dtype as the separate
   * multiply, pickScatter and subtract kernels round it; out is fully overwritten.
   */
  softmaxCrossEntropyBackward(
    prob: TypedArray,
    outer: number,
    len: number,
    inner: number,
    index: Int32Array,
    dy: TypedArray,
    out: TypedArray,
  ): void;
  /**
   * Copies a strided box: for every index i of `box`,
   * dst[dstOffset + Σ i_k dstStrides_k] = src[srcOffset + Σ i_k srcStrides_k].
   * Strides may be 0 (broadcast) or negative (reversed slices). Used by slicing, slice assignment and concat.
   */
  copyStrided(
    src: TypedArray,
    srcOffset: number,
    srcStrides: readonly number[],
    dst: TypedArray,
    dstOffset: number,
    dstStrides: readonly number[],
    box: Shape,
  ): void;
  /**
   * Gathers whole slices along an axis: x viewed as (outer, len, inner), `index` holding validated
   * positions; out (outer, index.length, inner) gets out[o,j,i] = x[o, index[j], i].
   */
  gather(x: TypedArray, outer: number, len: number, inner: number, index: Int32Array, out: TypedArray): void;
  /** The adjoint of `gather`: out (zeroed by the caller) gets dy[o,j,i] added at [o, index[j], i]. */
  scatterAdd(
    dy: TypedArray,
    outer: number,
    len: number,
    inner: number,
    index: Int32Array,
    out: TypedArray,
  ): void;
  /** out[i] = cond[i] != 0 ? a[i] : b[i], on operands of the same size. */
  where(cond: TypedArray, a: TypedArray, b: TypedArray, out: TypedArray): void;
  /**
   * out (N, Cout, outH, outW) = x (N, Cin, inH, inW) convolved (cross-correlation) with w; out is
   * fully overwritten. Input position of output (oh, ow) and tap (kh, kw):
   * (oh * strideH - padH + kh * dilationH, ow * strideW - padW + kw * dilationW); out-of-range
   * positions read zero. Output channel o reads input channels [g * Cin/groups, (g+1) * Cin/groups)
   * with g = floor(o / (Cout/groups)). With `bias` (Cout values) and `act`, out = act(conv + bias),
   * each step rounded to out's dtype as the separate add and activation kernels round it.
   */
  conv2d(
    x: TypedArray,
    w: TypedArray,
    out: TypedArray,
    g: Conv2dGeometry,
    bias?: TypedArray | null,
    act?: ConvActivation | null,
  ): void;
  /** dx (N, Cin, inH, inW), fully overwritten, = the gradient of conv2d with respect to x given dy (N, Cout, outH, outW). */
  conv2dBackwardData(dy: TypedArray, w: TypedArray, dx: TypedArray, g: Conv2dGeometry): void;
  /** dw (Cout, Cin/groups, kH, kW), fully overwritten, = the gradient of conv2d with respect to w. */
  conv2dBackwardFilter(x: TypedArray, dy: TypedArray, dw: TypedArray, g: Conv2dGeometry): void;
  /**
   * The gradients of y = act(conv2d(x, w) + bias) from y and dy, each output fully overwritten and
   * skipped when null: dz = dy · [y > 0] (relu), dy · y(1 - y) (sigmoid) or dy, then
   * dx = conv2dBackwardData(dz, w), dw = conv2dBackwardFilter(x, dz) and db = the sum of dz over
   * axes (0, 2, 3) as `reduce` computes it: the values of those kernels, bit for bit.
   */
  conv2dBiasActBackward(
    x: TypedArray,
    w: TypedArray,
    y: TypedArray,
    dy: TypedArray,
    dx: TypedArray | null,
    dw: TypedArray | null,
    db: TypedArray | null,
    g: Conv2dGeometry,
    act: ConvActivation | null,
  ): void;
  /**
   * out (rows, cols) = act(x + bias[col]), bias and act each optional, every step rounded into out
   * as the separate add and unary kernels round it; x may be out (the fully connected forward
   * applies it to its product in place).
   */
  biasAct(
    x: TypedArray,
    rows: number,
    cols: number,
    bias: TypedArray | null,
    act: ConvActivation | null,
    out: TypedArray,
  ): void;
  /**
   * The gradients of y = act(x · wᵀ + bias), x (rows, inUnits) and w (units, inUnits), from y and
   * dy, each output fully overwritten and skipped when null: dz = dy · [y > 0] (relu), dy · y(1 - y)
   * (sigmoid) or dy, then dx = dz · w, dw = dzᵀ · x and db = the sum of dz over the rows, as
   * `matmul` and `reduce` compute them: the values of the unfused gradient rules, bit for bit.
   */
  denseBiasActBackward(
    x: TypedArray,
    w: TypedArray,
    y: TypedArray,
    dy: TypedArray,
    dx: TypedArray | null,
    dw: TypedArray | null,
    db: TypedArray | null,
    rows: number,
    inUnits: number,
    units: number,
    act: ConvActivation | null,
  ): void;
  /**
   * out (N, C, outH, outW), fully overwritten: the max or average of each window. Window (oh, ow)
   * covers rows [hs, hs + kernelH) with hs = oh * strideH - padH, and columns likewise. As MXNet's
   * src/operator/nn/pool.h: max is over the in-bounds elements, or the dtype's lowest finite value
   * (-3.4028234663852886e38 in float32) for a window with none; avg divides the in-bounds sum by
   * (min(hs + kernelH, inH + padH) - hs) * (likewise for w) with countIncludePad, else by the
   * number of in-bounds elements; a divisor of 0 gives NaN. See backend/cpu/pool.ts.
   */
  pool2d(kind: PoolKind, x: TypedArray, out: TypedArray, g: Pool2dGeometry, countIncludePad: boolean): void;
  /**
   * dx (N, C, inH, inW), fully overwritten: max routes each dy to the first (row-major) maximum of
   * its window; avg spreads it evenly over the window's divisor.
   */
  pool2dBackward(
    kind: PoolKind,
    x: TypedArray,
    dy: TypedArray,
    dx: TypedArray,
    g: Pool2dGeometry,
    countIncludePad: boolean,
  ): void;
  /**
   * Training-mode batch normalization of x viewed as (outer, channels, inner): per channel c, the
   * batch mean[c] and biased variance[c] over its outer·inner elements (float64), and out (the
   * shape of x) = (x - mean[c]) · invstd[c] · gamma[c] + beta[c] with invstd = 1/sqrt(variance + eps)
   * (0 where variance and eps are both 0, as MXNet).
   */
  batchNormForward(
    x: TypedArray,
    outer: number,
    channels: number,
    inner: number,
    eps: number,
    gamma: TypedArray,
    beta: TypedArray,
    out: TypedArray,
    mean: Float64Array,
    variance: Float64Array,
  ): void;
  /**
   * The gradient of batchNormForward given dy, from x and the saved mean and invstd: with
   * xhat = (x - mean[c]) · invstd[c], dbeta[c] = Σ dy, dgamma[c] = Σ dy · xhat, and dx (fully
   * overwritten) = gamma[c] · invstd[c] · (dy - mean_c(dy) - xhat · mean_c(dy · xhat)).
   */
  batchNormBackward(
    x: TypedArray,
    dy: TypedArray,
    outer: number,
    channels: number,
    inner: number,
    mean: Float64Array,
    invstd: Float64Array,
    gamma: TypedArray,
    dx: TypedArray,
    dgamma: Float64Array,
    dbeta: Float64Array,
  ): void;
  /**
   * SGD's plain step in place, w[i] = w[i] - lr·(rescale·g[i]) for float arrays of one length:
   * computed in float64 and rounded once into w (`@minimx/nn`'s SGD without weight decay, momentum
   * or clipping). See backend/cpu/optim.ts.
   */
  sgdUpdate(w: TypedArray, g: TypedArray, lr: number, rescale: number): void;
  /**
   * A new Float32Array (indices.length, rowSize) with out[k·rowSize + j] = table[data[indices[k]·rowSize + j]]:
   * rows of a uint8 array gathered and each byte mapped through a 256-entry table (the DataLoader's
   * one-pass batch: ToTensor then any Normalize). It returns its own array, unlike the other
   * kernels, so that the WebAssembly kernel can copy a batch out of its memory once, without
   * zero-filling an array first. The caller checks that the indices are in range.
   */
  gatherRowsLookupU8(
    data: Uint8Array,
    rowSize: number,
    indices: Int32Array,
    table: Float32Array,
  ): Float32Array;
  /**
   * The same gather with out[k·rowSize + j] = data[indices[k]·rowSize + j] / divisor rounded to
   * float32 (ToTensor alone: divisor 255), for a float32 divisor. See backend/cpu/gather-rows.ts.
   */
  gatherRowsDivideU8(data: Uint8Array, rowSize: number, indices: Int32Array, divisor: number): Float32Array;
}
