/**
 * 2-D convolution over NCHW data, MXNet's `nd.Convolution`: the public `convolution` (options,
 * validation, the optional bias and activation) and the primitives it and its gradients record,
 * `conv2d` and its adjoints `conv2dBackwardData` and `conv2dBackwardFilter`, and `conv2dBiasAct`,
 * act(conv2d + bias) in one kernel call and one output array (the values the separate add and
 * activation give, bit for bit). The first three are bilinear, so each one's gradient is made of
 * the other two (see gradients.ts) and higher-order gradients work. Also the argument helpers
 * pooling shares (`pairOption`).
 */

import type { Conv2dGeometry, ConvActivation } from '../backend/kernels.js';
import { kernels } from '../backend/registry.js';
import { type DType, isFloat, promote } from '../dtype.js';
import { recordOp } from '../engine.js';
import type { NDArray } from '../ndarray.js';
import { type Shape, shapeToString } from '../shape.js';
import { checkArray, empty } from './operand.js';

/** A size given as one number for both spatial axes or as an (h, w) pair. */
export type Size2 = number | readonly [number, number];

/** Options of `convolution` (MXNet's keyword arguments, camelCased). */
export interface ConvolutionOptions {
  /** Kernel size; inferred from the weight, checked against it if given. */
  kernel?: Size2;
  /** Stride (default 1). */
  stride?: Size2;
  /** Zero padding on each side (default 0). */
  pad?: Size2;
  /** Dilation (default 1). */
  dilate?: Size2;
  /** Number of output channels; inferred from the weight, checked against it if given. */
  numFilter?: number;
  /** Number of groups (default 1): output channel group g reads only input channel group g. */
  numGroup?: number;
  /** Ignore the bias (default false; a null or missing bias means none too). */
  noBias?: boolean;
  /**
   * minimx only: an activation applied to the result, `'relu'` or `'sigmoid'` (default none), the
   * same values as `nd.relu`/`nd.sigmoid` of the output, computed while it is in cache
   * (`nn.Conv2D` passes its `activation` here).
   */
  actType?: ConvActivation | null;
}

/** The attributes conv2d and its adjoints record: everything but the shapes. */
export type ConvAttrs = {
  readonly strideH: number;
  readonly strideW: number;
  readonly padH: number;
  readonly padW: number;
  readonly dilationH: number;
  readonly dilationW: number;
  readonly groups: number;
};

const pairString = (p: readonly [number, number]) => `(${p[0]},${p[1]})`;

/**
 * Reads a size option as an (h, w) pair of integers, each at least `min`; throws naming the op
 * and the option otherwise.
 */
export function pairOption(
  op: string,
  name: string,
  value: Size2 | undefined,
  fallback: number,
  min: number,
): [number, number] {
  if (value !== undefined && typeof value !== 'number' && !Array.isArray(value)) {
    throw new TypeError(`${op}: ${name} must be a number or a pair of numbers, got ${String(value)}`);
  }
  const pair: readonly number[] =
    value === undefined ? [fallback, fallback] : typeof value === 'number' ? [value, value] : value;
  if (pair.length !== 2 || pair.some((v) => !Number.isInteger(v) || v < min)) {
    const what = min > 0 ? 'positive integers' : 'non-negative integers';
    const shown = typeof value === 'number' ? String(value) : `(${pair.join(',')})`;
    throw new RangeError(
      `${op}: ${name} must be ${what} (one, or a pair for height and width), got ${shown}`,
    );
  }
  return [pair[0], pair[1]];
}

/** One spatial output size: floor((in + 2 pad - dilation (kernel - 1) - 1) / stride) + 1. */
function outSize(inSize: number, kernel: number, stride: number, pad: number, dilation: number): number {
  return Math.floor((inSize + 2 * pad - dilation * (kernel - 1) - 1) / stride) + 1;
}

function geometry(xShape: Shape, wShape: Shape, a: ConvAttrs): Conv2dGeometry {
  const [batch, inChannels, inH, inW] = xShape;
  const [outChannels, , kernelH, kernelW] = wShape;
  return {
    batch,
    inChannels,
    inH,
    inW,
    outChannels,
    outH: outSize(inH, kernelH, a.strideH, a.padH, a.dilationH),
    outW: outSize(inW, kernelW, a.strideW, a.padW, a.dilationW),
    kernelH,
    kernelW,
    strideH: a.strideH,
    strideW: a.strideW,
    padH: a.padH,
    padW: a.padW,
    dilationH: a.dilationH,
    dilationW: a.dilationW,
    groups: a.groups,
  };
}

/** Casts two operands to their common float dtype (float32 for integers). */
function common(a: NDArray, b: NDArray): [NDArray, NDArray, DType] {
  let dtype = promote(a.dtype, b.dtype);
  if (!isFloat(dtype)) dtype = 'float32';
  return [a.dtype === dtype ? a : a.astype(dtype), b.dtype === dtype ? b : b.astype(dtype), dtype];
}

/** The conv2d primitive: x (N,Cin,H,W) cross-correlated with w (Cout,Cin/groups,kh,kw), no bias; shapes already validated. */
export function conv2d(data: NDArray, weight: NDArray, a: ConvAttrs): NDArray {
  const [x, w, dtype] = common(data, weight);
  const g = geometry(x.shape, w.shape, a);
  const out = empty([g.batch, g.outChannels, g.outH, g.outW], dtype);
  kernels().conv2d(x.data, w.data, out.data, g);
  return recordOp('conv2d', [x, w], out, a);
}

/** Attributes of conv2dBiasAct: the convolution's and the activation applied after the bias. */
export type ConvActAttrs = ConvAttrs & { readonly act: ConvActivation | null };

/** The fused primitive act(conv2d(x, w) + bias): bias (Cout,) of the output's dtype, or null. */
export function conv2dBiasAct(
  data: NDArray,
  weight: NDArray,
  bias: NDArray | null,
  a: ConvActAttrs,
): NDArray {
  const [x, w, dtype] = common(data, weight);
  const g = geometry(x.shape, w.shape, a);
  const out = empty([g.batch, g.outChannels, g.outH, g.outW], dtype);
  kernels().conv2d(x.data, w.data, out.data, g, bias?.data ?? null, a.act);
  return recordOp('conv2dBiasAct', bias ? [x, w, bias] : [x, w], out, a);
}

/**
 * The gradients of conv2dBiasAct's inputs from its output y and dy in one kernel call, the values
 * its unfused rule gives: [dx, dw, db], null where `needs` asks for none. Records nothing (the
 * rule takes it only when no graph of the gradients is being built).
 */
export function conv2dBiasActGrads(
  x: NDArray,
  w: NDArray,
  bias: NDArray | null,
  y: NDArray,
  dy: NDArray,
  a: ConvActAttrs,
  needs: readonly boolean[],
): (NDArray | null)[] {
  const g = geometry(x.shape, w.shape, a);
  const dx = needs[0] ? empty(x.shape, x.dtype) : null;
  const dw = needs[1] ? empty(w.shape, w.dtype) : null;
  const db = bias && needs[2] ? empty(bias.shape, y.dtype) : null;
  kernels().conv2dBiasActBackward(
    x.data,
    w.data,
    y.data,
    dy.data,
    dx?.data ?? null,
    dw?.data ?? null,
    db?.data ?? null,
    g,
    a.act,
  );
  return bias ? [dx, dw, db] : [dx, dw];
}

/** The adjoint of conv2d in its data: dx of shape `xShape` from dy and w. */
export function conv2dBackwardData(dy: NDArray, weight: NDArray, a: ConvAttrs, xShape: Shape): NDArray {
  const [d, w, dtype] = common(dy, weight);
  const g = geometry(xShape, w.shape, a);
  const dx = empty(xShape, dtype);
  kernels().conv2dBackwardData(d.data, w.data, dx.data, g);
  return recordOp('conv2dBackwardData', [d, w], dx, { ...a, xShape });
}

/** The adjoint of conv2d in its filter: dw of shape `wShape` from x and dy. */
export function conv2dBackwardFilter(data: NDArray, dy: NDArray, a: ConvAttrs, wShape: Shape): NDArray {
  const [x, d, dtype] = common(data, dy);
  const g = geometry(x.shape, wShape, a);
  const dw = empty(wShape, dtype);
  kernels().conv2dBackwardFilter(x.data, d.data, dw.data, g);
  return recordOp('conv2dBackwardFilter', [x, d], dw, { ...a, wShape });
}

/**
 * 2-D convolution (cross-correlation) of NCHW `data` with `weight` (numFilter, channels/numGroup,
 * kh, kw), plus `bias` (numFilter,) unless it is null or `noBias`. Output
 * (N, numFilter, floor((H + 2p - d(k-1) - 1)/s) + 1, likewise for W). MXNet:
 * `nd.Convolution(data, weight, bias, kernel, stride, dilate, pad, num_filter, num_group, no_bias)`.
 * Errors start with `convolution: ` and name the shapes and the option at fault.
 * @example
 * const x = nd.random.normal({ shape: [2, 3, 28, 28] });
 * const w = nd.random.normal({ shape: [8, 3, 5, 5] });
 * nd.convolution(x, w, nd.zeros([8]), { pad: 2 }).shape; // [2, 8, 28, 28]
 */
export function convolution(
  data: NDArray,
  weight: NDArray,
  bias?: NDArray | null,
  options: ConvolutionOptions = {},
): NDArray {
  const op = 'convolution';
  checkArray(op, data, 'data');
  checkArray(op, weight, 'weight');
  const ds = shapeToString(data.shape);
  const ws = shapeToString(weight.shape);
  if (data.ndim !== 4) {
    throw new RangeError(`${op}: data must be 4-D (batch, channels, height, width), got shape ${ds}`);
  }
  if (weight.ndim !== 4) {
    throw new RangeError(
      `${op}: weight must be 4-D (numFilter, channels/numGroup, kernelH, kernelW), got shape ${ws}`,
    );
  }
  const groups = options.numGroup ?? 1;
  if (!Number.isInteger(groups) || groups < 1) {
    throw new RangeError(`${op}: numGroup must be a positive integer, got ${groups}`);
  }
  const [, channels, height, width] = data.shape;
  const [filters, perGroup, kh, kw] = weight.shape;
  if (channels % groups !== 0) {
    throw new RangeError(`${op}: numGroup ${groups} does not divide the ${channels} channels of data ${ds}`);
  }
  if (filters % groups !== 0) {
    throw new RangeError(`${op}: numGroup ${groups} does not divide the ${filters} filters of weight ${ws}`);
  }
  if (channels !== perGroup * groups) {
    throw new RangeError(
      `${op}: data ${ds} has ${channels} channels but weight ${ws} with numGroup ${groups} expects ${perGroup * groups}`,
    );
  }
  if (kh < 1 || kw < 1) throw new RangeError(`${op}: weight ${ws} has an empty kernel`);
  if (options.kernel !== undefined) {
    const kernel = pairOption(op, 'kernel', options.kernel, 1, 1);
    if (kernel[0] !== kh || kernel[1] !== kw) {
      throw new RangeError(`${op}: kernel ${pairString(kernel)} does not match weight ${ws}`);
    }
  }
  if (options.numFilter !== undefined && options.numFilter !== filters) {
    throw new RangeError(`${op}: numFilter ${options.numFilter} does not match weight ${ws}`);
  }
  const stride = pairOption(op, 'stride', options.stride, 1, 1);
  const pad = pairOption(op, 'pad', options.pad, 0, 0);
  const dilate = pairOption(op, 'dilate', options.dilate, 1, 1);
  const spanH = dilate[0] * (kh - 1) + 1;
  const spanW = dilate[1] * (kw - 1) + 1;
  if (spanH > height + 2 * pad[0] || spanW > width + 2 * pad[1]) {
    const dil =
      dilate[0] === 1 && dilate[1] === 1
        ? ''
        : ` with dilate ${pairString(dilate)} spans ${spanH}x${spanW}, which`;
    throw new RangeError(
      `${op}: kernel (${kh},${kw})${dil} is larger than the padded input ${height + 2 * pad[0]}x${width + 2 * pad[1]} ` +
        `(data ${ds}, pad ${pairString(pad)})`,
    );
  }
  const useBias = !(options.noBias ?? false) && bias !== undefined && bias !== null;
  if (useBias) {
    checkArray(op, bias, 'bias');
    if (bias.ndim !== 1 || bias.shape[0] !== filters) {
      throw new RangeError(
        `${op}: bias ${shapeToString(bias.shape)} must have shape (${filters},), one per filter of weight ${ws}`,
      );
    }
  }
  const attrs: ConvAttrs = {
    strideH: stride[0],
    strideW: stride[1],
    padH: pad[0],
    padW: pad[1],
    dilationH: dilate[0],
    dilationW: dilate[1],
    groups,
  };
  const act = options.actType ?? null;
  if (act !== null && act !== 'relu' && act !== 'sigmoid') {
    throw new RangeError(`${op}: actType must be 'relu' or 'sigmoid', got ${String(act)}`);
  }
  const outType = common(data, weight)[2];
  if ((useBias && bias.dtype === outType) || (act && !useBias)) {
    return conv2dBiasAct(data, weight, useBias ? bias : null, { ...attrs, act });
  }
  const out = conv2d(data, weight, attrs);
  const biased = useBias ? out.add(bias.reshape(1, filters, 1, 1)) : out;
  return act === 'relu' ? biased.relu() : act === 'sigmoid' ? biased.sigmoid() : biased;
}
