/**
 * Reductions: sum, mean, max, min (differentiable) and argmax, argmin (indices as float32, as
 * MXNet returns them), each over an axis, a list of axes (negative allowed) or everything.
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
  axis?: number | readonly number[];
  keepdims?: boolean;
}

/** Runs a reduction kernel; the output dtype is the input's (float32 for integer means). */
export function reduceOp(op: ReduceOp, x: NDArray, options: ReduceOptions = {}): NDArray {
  checkArray(op, x);
  const axes = normalizeAxes(op, options.axis, x.ndim);
  const keepdims = options.keepdims ?? false;
  if ((op === 'max' || op === 'min') && x.size === 0) {
    throw new RangeError(`${op}: cannot reduce an empty array of shape ${shapeToString(x.shape)}`);
  }
  const out = empty(reducedShape(x.shape, axes, keepdims), x.dtype);
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

/** Options of argmax/argmin: one axis (default: the flattened array) and keepdims. */
export interface ArgReduceOptions {
  axis?: number;
  keepdims?: boolean;
}

function argReduce(op: 'argmax' | 'argmin', x: NDArray, options: ArgReduceOptions): NDArray {
  checkArray(op, x);
  if (options.axis === undefined) return argReduce(op, x.reshape(-1), { axis: 0, keepdims: false });
  const axis = normalizeAxis(op, options.axis, x.ndim);
  if (x.shape[axis] === 0)
    throw new RangeError(`${op}: axis ${axis} of shape ${shapeToString(x.shape)} is empty`);
  const out = empty(reducedShape(x.shape, [axis], options.keepdims ?? false), 'float32');
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
