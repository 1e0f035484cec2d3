/**
 * Helpers every op file shares: turning a number into an NDArray operand, allocating an
 * output array, and reading the typed data of an input.
 */
import { allocate, type DType } from '../dtype.js';
import { NDArray } from '../ndarray.js';
import { type Shape, sizeOf } from '../shape.js';

/** A value accepted wherever an array is: an NDArray or a plain number (a 0-d array). */
export type Operand = NDArray | number;

/** Wraps a number as a 0-d array of `dtype`; passes NDArrays through; rejects anything else. */
export function asArray(op: string, x: Operand, dtype: DType): NDArray {
  if (x instanceof NDArray) return x;
  if (typeof x === 'number') {
    const data = allocate(dtype, 1);
    data[0] = x;
    return new NDArray(data, []);
  }
  throw new TypeError(`${op}: expected an NDArray or a number, got ${x === null ? 'null' : typeof x}`);
}

/** A new zero-filled array of `shape` and `dtype`. */
export function empty(shape: Shape, dtype: DType): NDArray {
  return new NDArray(allocate(dtype, sizeOf(shape), shape), shape);
}

/** Throws unless `x` is an NDArray, naming the op and the argument. */
export function checkArray(op: string, x: unknown, name = 'input'): NDArray {
  if (!(x instanceof NDArray)) {
    throw new TypeError(`${op}: ${name} must be an NDArray, got ${x === null ? 'null' : typeof x}`);
  }
  return x;
}
