/**
 * Shape ops: reshape (shares data, as MXNet's does), transpose, broadcastTo, and sumTo, the
 * inverse of broadcasting that the engine applies to every gradient.
 */
import { kernels } from '../backend/registry.js';
import { allocate } from '../dtype.js';
import { recordOp } from '../engine.js';
import { NDArray } from '../ndarray.js';
import { broadcastShapes, checkShape, type Shape, shapesEqual, shapeToString, sizeOf } from '../shape.js';
import { checkArray, empty } from './operand.js';

/** Resolves a reshape target with at most one -1 against `size`, or throws naming both shapes. */
export function resolveShape(op: string, from: Shape, target: readonly number[]): number[] {
  const size = sizeOf(from);
  const out = target.slice();
  let unknown = -1;
  let known = 1;
  for (let i = 0; i < out.length; i++) {
    const d = out[i];
    if (d === -1) {
      if (unknown >= 0) throw new RangeError(`${op}: only one -1 is allowed in [${target.join(', ')}]`);
      unknown = i;
    } else if (!Number.isInteger(d) || d < 0) {
      throw new RangeError(`${op}: invalid target shape [${target.join(', ')}]`);
    } else known *= d;
  }
  if (unknown >= 0) {
    if (known === 0 || size % known !== 0) {
      throw new RangeError(
        `${op}: cannot reshape array of shape ${shapeToString(from)} into [${target.join(', ')}]`,
      );
    }
    out[unknown] = size / known;
  }
  if (sizeOf(out) !== size) {
    throw new RangeError(
      `${op}: cannot reshape array of shape ${shapeToString(from)} (size ${size}) into ${shapeToString(out)}`,
    );
  }
  return out;
}

/**
 * A view of `x` with another shape (same data; -1 infers one axis). MXNet: `x.reshape(shape)`.
 * @example x.reshape(-1, 784)
 */
export function reshape(x: NDArray, shape: readonly number[]): NDArray {
  checkArray('reshape', x);
  const target = resolveShape('reshape', x.shape, shape);
  const out = new NDArray(x.data, target);
  return recordOp('reshape', [x], out);
}

/**
 * Permutes the axes (default: reverse them). MXNet: `nd.transpose(x, axes)`, `x.T`.
 * @example nd.transpose(x, [1, 0, 2])
 */
export function transpose(x: NDArray, axes?: readonly number[]): NDArray {
  checkArray('transpose', x);
  const ndim = x.ndim;
  const perm = axes
    ? axes.map((a) => (a < 0 ? a + ndim : a))
    : Array.from({ length: ndim }, (_, i) => ndim - 1 - i);
  const valid =
    perm.length === ndim &&
    perm.every((p) => Number.isInteger(p) && p >= 0 && p < ndim) &&
    new Set(perm).size === ndim;
  if (!valid) {
    throw new RangeError(
      `transpose: axes [${axes?.join(', ')}] are not a permutation of the ${ndim} axes of ${shapeToString(x.shape)}`,
    );
  }
  const out = empty(
    perm.map((p) => x.shape[p]),
    x.dtype,
  );
  kernels().transpose(x.data, x.shape, perm, out.data);
  return recordOp('transpose', [x], out, { perm });
}

/**
 * Broadcasts `x` to `shape` (NumPy rules). MXNet: `nd.broadcast_to`.
 * @example nd.broadcastTo(b, [256, 10])
 */
export function broadcastTo(x: NDArray, shape: readonly number[]): NDArray {
  checkArray('broadcastTo', x);
  const target = checkShape('broadcastTo', shape);
  const result = broadcastShapes('broadcastTo', x.shape, target);
  if (!shapesEqual(result, target)) {
    throw new RangeError(
      `broadcastTo: cannot broadcast ${shapeToString(x.shape)} to ${shapeToString(target)}`,
    );
  }
  if (shapesEqual(x.shape, target)) return x;
  const out = empty(target, x.dtype);
  kernels().binary('add', x.data, x.shape, allocate(x.dtype, 1), [], out.data, target);
  return recordOp('broadcastTo', [x], out);
}

/** Sums a broadcast gradient back to `shape` (the inverse of broadcasting). */
export function sumTo(g: NDArray, shape: Shape): NDArray {
  if (shapesEqual(g.shape, shape)) return g;
  const lead = g.ndim - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.ndim; i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  }
  const summed = axes.length ? g.sum({ axis: axes, keepdims: true }) : g;
  return summed.reshape(...shape);
}
