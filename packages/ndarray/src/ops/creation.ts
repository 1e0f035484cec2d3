/**
 * Creating arrays: from nested JS arrays or typed arrays, filled arrays (zeros, ones, full),
 * arrays shaped like another, ranges (arange) and one-hot encodings. Each takes MXNet's `ctx`
 * option, validated by context.ts (only `cpu(0)` holds arrays today).
 */
import { type Context, placeOn } from '../context.js';
import {
  allocate,
  checkDType,
  checkIntValue,
  type DType,
  dtypeOfTypedArray,
  isFloat,
  type TypedArray,
} from '../dtype.js';
import { NDArray } from '../ndarray.js';
import { checkShape, shapeToString, sizeOf } from '../shape.js';

/** A nested JS array of numbers (any depth), or a single number. */
export type NestedArray = number | readonly NestedArray[];

/** A shape given as a list or, for 1-D, a single length. */
export type ShapeLike = number | readonly number[];

/** Options that choose the dtype and the device of a new array. */
export interface DTypeOptions {
  /** The element type (default 'float32', MXNet's default). */
  dtype?: DType;
  /** The device, MXNet's `ctx=` (default `cpu(0)`); anything but a Context is a TypeError. */
  ctx?: Context;
}

function toShape(op: string, shape: ShapeLike): number[] {
  return checkShape(op, typeof shape === 'number' ? [shape] : shape);
}

/** The deepest nesting `array` accepts (MXNet's and NumPy 1's limit on axes): `fill` recurses once per level. */
const MAX_NESTING = 32;

function inferShape(op: string, value: NestedArray): number[] {
  const shape: number[] = [];
  let v: NestedArray = value;
  while (Array.isArray(v)) {
    if (shape.length === MAX_NESTING) {
      throw new RangeError(
        `${op}: nested more than ${MAX_NESTING} levels deep; an array has at most ${MAX_NESTING} axes`,
      );
    }
    shape.push(v.length);
    if (v.length === 0) break;
    v = (v as readonly NestedArray[])[0];
  }
  return shape.length === 0 && typeof value !== 'number' ? checkShape(op, []) : shape;
}

/** The integer dtype `fill` must range-check values for (set by `array`), or null for floats. */
let checkedDType: DType | null = null;

function fill(
  op: string,
  value: NestedArray,
  shape: readonly number[],
  depth: number,
  out: TypedArray,
  offset: number,
): number {
  if (depth === shape.length) {
    if (typeof value !== 'number')
      throw new TypeError(
        `${op}: expected a number at depth ${depth}, got ${Array.isArray(value) ? 'an array' : typeof value}`,
      );
    if (checkedDType !== null) checkIntValue(op, value, checkedDType);
    out[offset] = value;
    return offset + 1;
  }
  if (!Array.isArray(value) || value.length !== shape[depth]) {
    throw new RangeError(
      `${op}: ragged nested array: expected length ${shape[depth]} at depth ${depth} for shape ${shapeToString(shape)}`,
    );
  }
  for (const item of value as readonly NestedArray[]) offset = fill(op, item, shape, depth + 1, out, offset);
  return offset;
}

/**
 * Creates an array from nested JS arrays, a typed array (copied) or another NDArray (copied).
 * Default dtype float32, as MXNet's. MXNet: `nd.array(source, dtype)`.
 * @example nd.array([[1, 2], [3, 4]])            // (2,2) float32
 * @example nd.array(new Int32Array([1, 2, 3]))   // (3,) int32
 */
export function array(source: NestedArray | TypedArray | NDArray, options: DTypeOptions = {}): NDArray {
  placeOn('array', options.ctx);
  if (source instanceof NDArray) return source.astype(options.dtype ?? source.dtype, { copy: true });
  if (ArrayBuffer.isView(source)) {
    const from = source as TypedArray;
    const dtype = checkDType('array', options.dtype ?? dtypeOfTypedArray('array', from));
    const out = allocate(dtype, from.length);
    if (!isFloat(dtype) && dtypeOfTypedArray('array', from) !== dtype) {
      for (let i = 0; i < from.length; i++) checkIntValue('array', from[i], dtype);
    }
    out.set(from);
    return new NDArray(out, [from.length]);
  }
  const dtype = checkDType('array', options.dtype ?? 'float32');
  const shape = inferShape('array', source);
  const data = allocate(dtype, sizeOf(shape));
  checkedDType = isFloat(dtype) ? null : dtype;
  try {
    fill('array', source, shape, 0, data, 0);
  } finally {
    checkedDType = null;
  }
  return new NDArray(data, shape);
}

/**
 * Wraps a typed array as an array of `shape` without copying (writes to one show in the other).
 * @example nd.fromTypedArray(new Float32Array(6), [2, 3])
 */
export function fromTypedArray(data: TypedArray, shape: readonly number[]): NDArray {
  dtypeOfTypedArray('fromTypedArray', data);
  const s = checkShape('fromTypedArray', shape);
  if (sizeOf(s) !== data.length) {
    throw new RangeError(`fromTypedArray: ${data.length} elements cannot have shape ${shapeToString(s)}`);
  }
  return new NDArray(data, s);
}

/**
 * An array of `value` everywhere. MXNet: `nd.full(shape, val, dtype)`.
 * @example nd.full([2, 3], 7)
 */
export function full(shape: ShapeLike, value: number, options: DTypeOptions = {}): NDArray {
  return filled('full', shape, value, options);
}

function filled(op: string, shape: ShapeLike, value: number, options: DTypeOptions): NDArray {
  placeOn(op, options.ctx);
  if (typeof value !== 'number') {
    throw new TypeError(
      `${op}: the fill value must be a number, got ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`,
    );
  }
  const s = toShape(op, shape);
  const dtype = checkDType(op, options.dtype ?? 'float32');
  checkIntValue(op, value, dtype);
  const data = allocate(dtype, sizeOf(s));
  if (value !== 0) data.fill(value);
  return new NDArray(data, s);
}

/** An array of zeros. MXNet: `nd.zeros(shape, ctx, dtype)`. @example nd.zeros([10]) @example nd.zeros([2, 3], { ctx: mx.cpu() }) */
export function zeros(shape: ShapeLike, options: DTypeOptions = {}): NDArray {
  return filled('zeros', shape, 0, options);
}

/** An array of ones. MXNet: `nd.ones(shape, ctx, dtype)`. @example nd.ones([2, 3]) */
export function ones(shape: ShapeLike, options: DTypeOptions = {}): NDArray {
  return filled('ones', shape, 1, options);
}

/** Zeros with the shape and dtype of `x`. MXNet: `nd.zeros_like`. @example nd.zerosLike(W) */
export function zerosLike(x: NDArray): NDArray {
  return zeros(x.shape, { dtype: x.dtype });
}

/** Ones with the shape and dtype of `x`. MXNet: `nd.ones_like`. @example nd.onesLike(W) */
export function onesLike(x: NDArray): NDArray {
  return ones(x.shape, { dtype: x.dtype });
}

/** Options of `arange`: the dtype and MXNet's `repeat` (each value repeated that many times). */
export interface ArangeOptions extends DTypeOptions {
  /** How many times each value is repeated (default 1). MXNet: `repeat`. */
  repeat?: number;
}

/**
 * Evenly spaced values in [start, stop) with `step`; with one argument, [0, start).
 * Default dtype float32. MXNet: `nd.arange(start, stop=None, step=1.0, repeat=1, dtype)`.
 * @example nd.arange(5)           // [0. 1. 2. 3. 4.]
 * @example nd.arange(1, 2, 0.25)  // [1.   1.25 1.5  1.75]
 */
export function arange(start: number, stop?: number | null, step = 1, options: ArangeOptions = {}): NDArray {
  const [from, to] = stop === undefined || stop === null ? [0, start] : [start, stop];
  if (!Number.isFinite(from) || !Number.isFinite(to) || !Number.isFinite(step) || step === 0) {
    throw new RangeError(`arange: need finite start, stop and a non-zero step, got ${from}, ${to}, ${step}`);
  }
  placeOn('arange', options.ctx);
  const repeat = options.repeat ?? 1;
  if (!Number.isInteger(repeat) || repeat < 1) {
    throw new RangeError(`arange: repeat must be a positive integer, got ${repeat}`);
  }
  const count = Math.max(0, Math.ceil((to - from) / step));
  const data = allocate(checkDType('arange', options.dtype ?? 'float32'), count * repeat);
  for (let i = 0; i < count; i++) {
    const v = from + i * step;
    for (let r = 0; r < repeat; r++) data[i * repeat + r] = v;
  }
  return new NDArray(data, [count * repeat]);
}

/** Options of `oneHot`: the values for the hot and the other positions, and the dtype. */
export interface OneHotOptions extends DTypeOptions {
  /** The value at the index's position (default 1). MXNet: `on_value`. */
  onValue?: number;
  /** The value everywhere else (default 0). MXNet: `off_value`. */
  offValue?: number;
}

/**
 * One-hot encoding: shape `indices.shape + [depth]`, `onValue` at each index and `offValue`
 * elsewhere; an index outside [0, depth) gives a row of `offValue`, as in MXNet.
 * MXNet: `nd.one_hot(indices, depth, on_value=1, off_value=0, dtype='float32')`.
 * @example nd.oneHot(nd.array([0, 2]), 3)  // [[1. 0. 0.] [0. 0. 1.]]
 */
export function oneHot(indices: NDArray, depth: number, options: OneHotOptions = {}): NDArray {
  if (!(indices instanceof NDArray)) throw new TypeError('oneHot: indices must be an NDArray');
  if (!Number.isInteger(depth) || depth < 0) {
    throw new RangeError(`oneHot: depth must be a non-negative integer, got ${depth}`);
  }
  placeOn('oneHot', options.ctx);
  const on = options.onValue ?? 1;
  const off = options.offValue ?? 0;
  const n = indices.size;
  const data = allocate(checkDType('oneHot', options.dtype ?? 'float32'), n * depth);
  if (off !== 0) data.fill(off);
  const src = indices.data;
  for (let i = 0; i < n; i++) {
    const k = src[i];
    if (!Number.isInteger(k)) {
      throw new RangeError(
        `oneHot: index ${k} at position ${i} of ${shapeToString(indices.shape)} is not an integer`,
      );
    }
    if (k >= 0 && k < depth) data[i * depth + k] = on;
  }
  return new NDArray(data, [...indices.shape, depth]);
}
