/**
 * Index-based ops: `pick` (MXNet's per-row gather along an axis, with clip/wrap modes), `take`
 * (whole slices by index along an axis), their adjoints, and the helpers that validate
 * integer index arrays.
 */
import { kernels } from '../backend/registry.js';
import { recordOp } from '../engine.js';
import type { NDArray } from '../ndarray.js';
import { normalizeAxis, reducedShape, type Shape, shapesEqual, shapeToString, sizeOf } from '../shape.js';
import { checkArray, empty } from './operand.js';
import { resultShape } from './reduce.js';

/** Options of `pick`: the axis (default -1), keepdims, and how out-of-range indices are treated. */
export interface PickOptions {
  /** The axis the indices pick along (default -1, the last). MXNet: `axis`. */
  axis?: number;
  /** Keep the picked axis with size 1 (default false). MXNet: `keepdims`. */
  keepdims?: boolean;
  /** 'clip' (default) clamps to [0, n-1]; 'wrap' takes the index modulo n. */
  mode?: 'clip' | 'wrap';
}

/** Converts an index array to validated integer positions in [0, len) under `mode`. */
export function resolveIndices(
  op: string,
  index: NDArray,
  len: number,
  mode: 'clip' | 'wrap' | 'raise',
): Int32Array {
  const modes = op === 'pick' ? ['clip', 'wrap'] : ['clip', 'wrap', 'raise'];
  if (!modes.includes(mode)) {
    const names = modes.map((m) => `'${m}'`);
    throw new RangeError(
      `${op}: mode must be ${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}, got ${JSON.stringify(mode)}`,
    );
  }
  const src = index.data;
  const out = new Int32Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const v = src[i];
    if (!Number.isInteger(v)) throw new RangeError(`${op}: index ${v} at position ${i} is not an integer`);
    let j = v;
    if (j < 0 || j >= len) {
      if (mode === 'clip') j = j < 0 ? 0 : len - 1;
      else if (mode === 'wrap') j = ((j % len) + len) % len;
      else throw new RangeError(`${op}: index ${v} is out of range for an axis of length ${len}`);
    }
    out[i] = j;
  }
  return out;
}

/**
 * Picks one element per position along `axis`: `out[i] = data[i, index[i]]` for 2-D data.
 * MXNet: `nd.pick(data, index, axis=-1, keepdims=False, mode='clip')`.
 * @example nd.pick(yHat, y)  // the predicted probability of each true label
 */
export function pick(data: NDArray, index: NDArray, options: PickOptions = {}): NDArray {
  checkArray('pick', data, 'data');
  checkArray('pick', index, 'index');
  if (data.ndim === 0) throw new RangeError('pick: data must have at least one axis');
  const axis = normalizeAxis('pick', options.axis ?? -1, data.ndim);
  const keepdims = options.keepdims ?? false;
  // MXNet's legacy rule, as for reductions: picking from 1-D data gives shape (1,), not a 0-d array.
  const outShape = resultShape(data.shape, [axis], keepdims);
  const expected: Shape = reducedShape(data.shape, [axis], false);
  const len = data.shape[axis];
  if (len === 0) throw new RangeError(`pick: axis ${axis} of data ${shapeToString(data.shape)} is empty`);
  const okShape =
    shapesEqual(index.shape, expected) ||
    shapesEqual(index.shape, outShape) ||
    (index.size === sizeOf(expected) && index.ndim <= 1 && expected.length <= 1);
  if (!okShape) {
    throw new RangeError(
      `pick: index of shape ${shapeToString(index.shape)} does not match data ${shapeToString(data.shape)} without axis ${axis} ${shapeToString(expected)}`,
    );
  }
  const positions = resolveIndices('pick', index, len, options.mode ?? 'clip');
  const outer = sizeOf(data.shape.slice(0, axis));
  const inner = sizeOf(data.shape.slice(axis + 1));
  const out = empty(outShape, data.dtype);
  kernels().pick(data.data, outer, len, inner, positions, out.data);
  return recordOp('pick', [data], out, { positions, outer, len, inner });
}

/** Attributes `pick` records: the validated positions and the (outer, len, inner) view. */
export interface PickAttrs {
  positions: Int32Array;
  outer: number;
  len: number;
  inner: number;
}

/**
 * The adjoint of pick: an array of `shape` that is zero except dy at the picked positions.
 * Used by pick's gradient; itself differentiable (its gradient is pick again).
 */
export function pickScatter(dy: NDArray, shape: Shape, attrs: PickAttrs): NDArray {
  const out = empty(shape, dy.dtype);
  kernels().pickScatter(dy.data, attrs.outer, attrs.len, attrs.inner, attrs.positions, out.data);
  return recordOp('pickScatter', [dy], out, { ...attrs, pickedShape: dy.shape });
}

/** `pick` with already-validated positions (the gradient of pickScatter). */
export function pickAt(data: NDArray, attrs: PickAttrs, outShape: Shape): NDArray {
  const out = empty(outShape, data.dtype);
  kernels().pick(data.data, attrs.outer, attrs.len, attrs.inner, attrs.positions, out.data);
  return recordOp('pick', [data], out, attrs as unknown as Record<string, unknown>);
}

/** Options of `take`: the axis (default 0) and how out-of-range indices are treated (default 'clip'). */
export interface TakeOptions {
  /** The axis to take along (default 0). MXNet: `axis`. */
  axis?: number;
  /** Out-of-range indices: 'clip' (default) clamps, 'wrap' takes them modulo the length, 'raise' throws. MXNet: `mode`. */
  mode?: 'clip' | 'wrap' | 'raise';
}

/** Attributes `take` records: the validated positions, the (outer, len, inner) view and the index shape. */
export interface TakeAttrs {
  positions: Int32Array;
  outer: number;
  len: number;
  inner: number;
  axis: number;
}

/**
 * Takes whole slices of `a` along `axis` at `indices`: the result has shape
 * `a.shape[:axis] + indices.shape + a.shape[axis+1:]`. MXNet: `nd.take(a, indices, axis=0, mode='clip')`.
 * @example nd.take(embeddings, nd.array([3, 1]))  // rows 3 and 1
 */
export function take(a: NDArray, indices: NDArray, options: TakeOptions = {}): NDArray {
  checkArray('take', a, 'a');
  checkArray('take', indices, 'indices');
  if (a.ndim === 0) throw new RangeError('take: a must have at least one axis');
  const axis = normalizeAxis('take', options.axis ?? 0, a.ndim);
  const mode = options.mode ?? 'clip';
  if (mode !== 'clip' && mode !== 'wrap' && mode !== 'raise') {
    throw new TypeError(`take: mode must be 'clip', 'wrap' or 'raise', got ${JSON.stringify(mode)}`);
  }
  const len = a.shape[axis];
  if (len === 0 && indices.size > 0) {
    throw new RangeError(`take: axis ${axis} of ${shapeToString(a.shape)} is empty`);
  }
  const positions = resolveIndices('take', indices, len, mode);
  const attrs: TakeAttrs = {
    positions,
    outer: sizeOf(a.shape.slice(0, axis)),
    len,
    inner: sizeOf(a.shape.slice(axis + 1)),
    axis,
  };
  const shape = [...a.shape.slice(0, axis), ...indices.shape, ...a.shape.slice(axis + 1)];
  return takeAt(a, attrs, shape);
}

/** `take` with already-validated positions (also the gradient of takeScatter). */
export function takeAt(a: NDArray, attrs: TakeAttrs, shape: Shape): NDArray {
  const out = empty(shape, a.dtype);
  kernels().gather(a.data, attrs.outer, attrs.len, attrs.inner, attrs.positions, out.data);
  return recordOp('take', [a], out, attrs as unknown as Record<string, unknown>);
}

/** The adjoint of take: an array of `shape` where each taken slice receives (adds) its gradient. */
export function takeScatter(dy: NDArray, shape: Shape, attrs: TakeAttrs): NDArray {
  const out = empty(shape, dy.dtype);
  kernels().scatterAdd(dy.data, attrs.outer, attrs.len, attrs.inner, attrs.positions, out.data);
  return recordOp('takeScatter', [dy], out, { ...attrs, takenShape: dy.shape });
}
