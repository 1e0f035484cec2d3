/**
 * 2-D max and average pooling over NCHW data, MXNet's `nd.Pooling`: the public `pooling` (options,
 * validation, global pooling, the 'valid' and 'full' conventions) and the primitives `pool2d` and
 * `pool2dBackward` (the gradient of pool2d, itself differentiable for average pooling, whose
 * backward is linear in dy). The window semantics (padding, divisors, empty windows) are those of
 * MXNet's pool.h, documented on the reference kernel in backend/cpu/pool.ts.
 */
import type { Pool2dGeometry, PoolKind } from '../backend/kernels.js';
import { kernels } from '../backend/registry.js';
import { isFloat } from '../dtype.js';
import { recordOp } from '../engine.js';
import type { NDArray } from '../ndarray.js';
import { shapeToString } from '../shape.js';
import { pairOption, type Size2 } from './conv.js';
import { checkArray, empty } from './operand.js';

/** Options of `pooling` (MXNet's keyword arguments, camelCased). */
export interface PoolingOptions {
  /** Window size; required unless `globalPool`. */
  kernel?: Size2;
  /** 'max' (default) or 'avg'. */
  poolType?: PoolKind;
  /** Stride (default 1, as MXNet's op; Gluon's pooling layers default it to the kernel). */
  stride?: Size2;
  /** Implicit padding on each side (default 0). */
  pad?: Size2;
  /** Pool over the whole image (kernel, stride and pad are ignored): output (N, C, 1, 1). */
  globalPool?: boolean;
  /** 'valid' (default): floor((H + 2p - k)/s) + 1 windows; 'full': ceil (Gluon's ceilMode). */
  poolingConvention?: 'valid' | 'full';
  /** Whether padding counts in an average's divisor (default true, as MXNet). */
  countIncludePad?: boolean;
}

/** The attributes pool2d and pool2dBackward record. */
export type PoolAttrs = {
  readonly kind: PoolKind;
  readonly kernelH: number;
  readonly kernelW: number;
  readonly strideH: number;
  readonly strideW: number;
  readonly padH: number;
  readonly padW: number;
  readonly outH: number;
  readonly outW: number;
  readonly countIncludePad: boolean;
};

function geometry(x: NDArray, a: PoolAttrs): Pool2dGeometry {
  const [batch, channels, inH, inW] = x.shape;
  const { outH, outW, kernelH, kernelW, strideH, strideW, padH, padW } = a;
  return { batch, channels, inH, inW, outH, outW, kernelH, kernelW, strideH, strideW, padH, padW };
}

/** The pool2d primitive on validated attributes. */
export function pool2d(x: NDArray, a: PoolAttrs): NDArray {
  const [batch, channels] = x.shape;
  const out = empty([batch, channels, a.outH, a.outW], x.dtype);
  kernels().pool2d(a.kind, x.data, out.data, geometry(x, a), a.countIncludePad);
  return recordOp('pool2d', [x], out, a);
}

/** The gradient of pool2d: dx (the shape of x) from x and dy. */
export function pool2dBackward(x: NDArray, dy: NDArray, a: PoolAttrs): NDArray {
  const d = dy.dtype === x.dtype ? dy : dy.astype(x.dtype);
  const dx = empty(x.shape, x.dtype);
  kernels().pool2dBackward(a.kind, x.data, d.data, dx.data, geometry(x, a), a.countIncludePad);
  return recordOp('pool2dBackward', [x, d], dx, a);
}

/**
 * Max or average pooling of NCHW `data` over kernel windows, or over the whole image with
 * `globalPool`. Output (N, C, outH, outW) with outH = floor((H + 2p - k)/s) + 1 ('valid') or
 * ceil(...) + 1 ('full'); unlike PyTorch's ceil_mode, 'full' keeps a last window that starts in the
 * right padding, as MXNet does. MXNet: `nd.Pooling(data, kernel, pool_type, global_pool, stride,
 * pad, pooling_convention, count_include_pad)`. Errors start with `pooling: `.
 * @example
 * const x = nd.arange(16).reshape(1, 1, 4, 4);
 * nd.pooling(x, { kernel: 2, stride: 2 });           // [[[[5, 7], [13, 15]]]]
 * nd.pooling(x, { poolType: 'avg', globalPool: true }); // [[[[7.5]]]]
 */
export function pooling(data: NDArray, options: PoolingOptions = {}): NDArray {
  const op = 'pooling';
  checkArray(op, data, 'data');
  const ds = shapeToString(data.shape);
  if (data.ndim !== 4) {
    throw new RangeError(`${op}: data must be 4-D (batch, channels, height, width), got shape ${ds}`);
  }
  const kind = options.poolType ?? 'max';
  if (kind !== 'max' && kind !== 'avg') {
    throw new RangeError(`${op}: poolType must be 'max' or 'avg', got '${String(kind)}'`);
  }
  const convention = options.poolingConvention ?? 'valid';
  if (convention !== 'valid' && convention !== 'full') {
    throw new RangeError(`${op}: poolingConvention must be 'valid' or 'full', got '${String(convention)}'`);
  }
  const countIncludePad = options.countIncludePad ?? true;
  const [, , height, width] = data.shape;
  const x = isFloat(data.dtype) ? data : data.astype('float32');
  if (options.globalPool) {
    if (height === 0 || width === 0) {
      throw new RangeError(`${op}: global pooling needs a non-empty image, got data ${ds}`);
    }
    const attrs: PoolAttrs = {
      kind,
      kernelH: height,
      kernelW: width,
      strideH: 1,
      strideW: 1,
      padH: 0,
      padW: 0,
      outH: 1,
      outW: 1,
      countIncludePad,
    };
    return pool2d(x, attrs);
  }
  if (options.kernel === undefined)
    throw new RangeError(`${op}: kernel is required unless globalPool is set`);
  const kernel = pairOption(op, 'kernel', options.kernel, 1, 1);
  const stride = pairOption(op, 'stride', options.stride, 1, 1);
  const pad = pairOption(op, 'pad', options.pad, 0, 0);
  const paddedH = height + 2 * pad[0];
  const paddedW = width + 2 * pad[1];
  if (kernel[0] > paddedH || kernel[1] > paddedW) {
    throw new RangeError(
      `${op}: kernel (${kernel[0]},${kernel[1]}) is larger than the padded input ${paddedH}x${paddedW} ` +
        `(data ${ds}, pad (${pad[0]},${pad[1]}))`,
    );
  }
  const count = (padded: number, k: number, s: number) =>
    convention === 'valid' ? Math.floor((padded - k) / s) + 1 : Math.ceil((padded - k) / s) + 1;
  const attrs: PoolAttrs = {
    kind,
    kernelH: kernel[0],
    kernelW: kernel[1],
    strideH: stride[0],
    strideW: stride[1],
    padH: pad[0],
    padW: pad[1],
    outH: count(paddedH, kernel[0], stride[0]),
    outW: count(paddedW, kernel[1], stride[1]),
    countIncludePad,
  };
  return pool2d(x, attrs);
}
