/**
 * Reductions: sum, mean, max, min, prod, norm (differentiable) and argmax, argmin (indices as
 * float32, as MXNet returns them), each over an axis, a list of axes (negative allowed) or
 * everything. As in MXNet's legacy `nd`, a reduction over every axis without keepdims gives
 * shape (1,), not a 0-d array.
 */
import type { ReduceOp } from '../backend/kernels.js';
import { kernels } from '../backend/registry.js';
import { isFloat } from '../dtype.js';
import { recordOp } from '../engine.js';
import type { NDArray } from '../ndarray.js';
import { normalizeAxes, normalizeAxis, reducedShape, shapeToString } from '../shape.js';
import { checkArray, empty } from './operand.js';

/** Options of a reduction: which axes (default all) and whether to keep them as size 1. */
export interface ReduceOptions {
  /** The axis or axes to reduce (negative counts from the end; default: all, giving shape (1,)). MXNet: `axis`. */
  axis?: number | readonly number[];
  /** Keep the reduced axes with size 1, so the result broadcasts against the input (default false). MXNet: `keepdims`. */
  keepdims?: boolean;
}

/** The shape of a reduction's result: MXNet's legacy rule turns a 0-d result into (1,). */
export function resultShape(shape: readonly number[], axes: readonly number[], keepdims: boolean): number[] {
  const out = reducedShape(shape, axes, keepdims);
  return out.length === 0 ? [1] : out;
}

/** Runs a reduction kernel; the output dtype is the input's (float32 for integer means). */
export function reduceOp(op: ReduceOp, x: NDArray, options: ReduceOptions = {}): NDArray {
  checkArray(op, x);
  const axes = normalizeAxes(op, options.axis, x.ndim);
  const keepdims = options.keepdims ?? false;
  const out = empty(resultShape(x.shape, axes, keepdims), x.dtype);
  if ((op === 'max' || op === 'min') && x.size === 0 && out.size > 0) {
    throw new RangeError(`${op}: cannot reduce an empty array of shape ${shapeToString(x.shape)}`);
  }
  kernels().reduce(op, x.data, x.shape, axes, out.data);
  return recordOp(op, [x], out, { axes, keepdims });
}

/** Sum over `axis` (default all). MXNet: `nd.sum(x, axis, keepdims)`. @example x.sum({ axis: 1, keepdims: true }) */
export function sum(x: NDArray, options?: ReduceOptions): NDArray {
  return reduceOp('sum', x, options);
}

/** Mean over `axis` (default all). MXNet: `nd.mean`. @example nd.mean(x, { axis: 0 }) */
export function mean(x: NDArray, options: ReduceOptions = {}): NDArray {
  checkArray('mean', x);
  const axes = normalizeAxes('mean', options.axis, x.ndim);
  let count = 1;
  for (const a of axes) count *= x.shape[a];
  const input = isFloat(x.dtype) ? x : x.astype('float32');
  return reduceOp('sum', input, options).div(count);
}

/** Maximum over `axis` (default all). MXNet: `nd.max`. @example x.max({ axis: 1 }) */
export function max(x: NDArray, options?: ReduceOptions): NDArray {
  return reduceOp('max', x, options);
}

/** Minimum over `axis` (default all). MXNet: `nd.min`. @example x.min() */
export function min(x: NDArray, options?: ReduceOptions): NDArray {
  return reduceOp('min', x, options);
}

/** Product over `axis` (default all). MXNet: `nd.prod`. @example nd.prod(x, { axis: 0 }) */
export function prod(x: NDArray, options?: ReduceOptions): NDArray {
  return reduceOp('prod', x, options);
}

/** Options of `norm`: the order (2, the default, or 1) plus the usual axis and keepdims. */
export interface NormOptions extends ReduceOptions {
  /** 1 for the sum of absolute values, 2 (default) for the Euclidean norm. MXNet: `ord`. */
  ord?: 1 | 2;
}

/**
 * The L2 (default) or L1 norm over `axis` (default: the flattened array, giving shape (1,)).
 * MXNet: `nd.norm(data, ord=2, axis=None, keepdims=False)`.
 * @example nd.norm(nd.array([3, 4])).asScalar() // 5
 */
export function norm(x: NDArray, options: NormOptions = {}): NDArray {
  checkArray('norm', x);
  const ord = options.ord ?? 2;
  if (ord !== 1 && ord !== 2) throw new RangeError(`norm: ord must be 1 or 2, got ${String(ord)}`);
  const { axis, keepdims } = options;
  normalizeAxes('norm', axis, x.ndim);
  const input = isFloat(x.dtype) ? x : x.astype('float32');
  return ord === 1 ? input.abs().sum({ axis, keepdims }) : input.square().sum({ axis, keepdims }).sqrt();
}

/** Options of argmax/argmin: one axis (default: the flattened array) and keepdims. */
export interface ArgReduceOptions {
  /** The axis to search along (default: the flattened array). MXNet: `axis`. */
  axis?: number;
  /** Keep the searched axis with size 1 (default false). MXNet: `keepdims`. */
  keepdims?: boolean;
}

function argReduce(op: 'argmax' | 'argmin', x: NDArray, options: ArgReduceOptions): NDArray {
  checkArray(op, x);
  if (options.axis === undefined) return argReduce(op, x.reshape(-1), { axis: 0, keepdims: false });
  const axis = normalizeAxis(op, options.axis, x.ndim);
  if (x.shape[axis] === 0)
    throw new RangeError(`${op}: axis ${axis} of shape ${shapeToString(x.shape)} is empty`);
  const out = empty(resultShape(x.shape, [axis], options.keepdims ?? false), 'float32');
  kernels().argReduce(op, x.data, x.shape, axis, out.data);
  return out;
}

/** Index of the largest value along `axis`, as float32. MXNet: `nd.argmax`. @example yHat.argmax({ axis: 1 }) */
export function argmax(x: NDArray, options: ArgReduceOptions = {}): NDArray {
  return argReduce('argmax', x, options);
}

/** Index of the smallest value along `axis`, as float32. MXNet: `nd.argmin`. @example x.argmin({ axis: 0 }) */
export function argmin(x: NDArray, options: ArgReduceOptions = {}): NDArray {
  return argReduce('argmin', x, options);
}
