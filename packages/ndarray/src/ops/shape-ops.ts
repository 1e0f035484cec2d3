/**
 * Shape ops: reshape (shares data, as MXNet's does) and the reshapes built on it (expandDims,
 * squeeze, flatten), transpose, broadcastTo, concat/stack, and sumTo, the inverse of
 * broadcasting that the engine applies to every gradient.
 */
import { kernels } from '../backend/registry.js';
import { promote } from '../dtype.js';
import { recordOp, shareStorage } from '../engine.js';
import { NDArray } from '../ndarray.js';
import {
  broadcastShapes,
  broadcastStrides,
  checkShape,
  normalizeAxes,
  normalizeAxis,
  type Shape,
  shapesEqual,
  shapeToString,
  sizeOf,
  stridesOf,
} from '../shape.js';
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
  shareStorage(x, out);
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
  // A strided copy that reads each broadcast axis with stride 0 (values, -0 included, unchanged).
  const srcStrides = broadcastStrides(x.shape, target);
  kernels().copyStrided(x.data, 0, srcStrides, out.data, 0, stridesOf(target), target);
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

/**
 * Inserts a size-1 axis at `axis` (in -ndim-1..ndim). MXNet: `nd.expand_dims(data, axis)`.
 * @example nd.expandDims(nd.zeros([2, 3]), 0).shape // [1, 2, 3]
 */
export function expandDims(x: NDArray, axis: number): NDArray {
  checkArray('expandDims', x);
  const at = normalizeAxis('expandDims', axis, x.ndim + 1);
  const shape = x.shape.slice();
  shape.splice(at, 0, 1);
  return reshape(x, shape);
}

/**
 * Removes size-1 axes (all of them, or those in `axis`). A result with no axis left has shape (1,),
 * as in MXNet. MXNet: `nd.squeeze(data, axis=None)`.
 * @example nd.squeeze(nd.zeros([1, 3, 1])).shape // [3]
 */
export function squeeze(x: NDArray, options: { axis?: number | readonly number[] } = {}): NDArray {
  checkArray('squeeze', x);
  const axes =
    options.axis === undefined
      ? x.shape.flatMap((d, i) => (d === 1 ? [i] : []))
      : normalizeAxes('squeeze', options.axis, x.ndim);
  for (const a of axes) {
    if (x.shape[a] !== 1) {
      throw new RangeError(
        `squeeze: cannot remove axis ${a} of length ${x.shape[a]} from shape ${shapeToString(x.shape)}`,
      );
    }
  }
  const shape = x.shape.filter((_, i) => !axes.includes(i));
  return reshape(x, shape.length === 0 ? [1] : shape);
}

/**
 * Collapses every axis but the first: (d0, d1, ..., dk) -> (d0, d1*...*dk); a 1-D (n,) becomes (n,1).
 * MXNet: `nd.flatten(data)` / `nd.Flatten`.
 * @example nd.flatten(nd.zeros([256, 1, 28, 28])).shape // [256, 784]
 */
export function flatten(x: NDArray): NDArray {
  checkArray('flatten', x);
  if (x.ndim === 0) return reshape(x, [1, 1]);
  return reshape(x, [x.shape[0], sizeOf(x.shape.slice(1))]);
}

/** Options of `concat`: the axis to join along. MXNet calls it `dim` (default 1); `axis` is an alias. */
export interface ConcatOptions {
  /** The axis to join along (default 1). MXNet: `dim`. */
  dim?: number;
  /** An alias of `dim`. */
  axis?: number;
}

function splitArraysAndOptions<O extends object>(
  op: string,
  args: ReadonlyArray<NDArray | readonly NDArray[] | O | number | undefined>,
  axisKey: keyof O & string,
): [NDArray[], O] {
  const list = args.slice();
  let options = {} as O;
  const last = list[list.length - 1];
  if (typeof last === 'number') {
    // A trailing number is the axis (`nd.concat(a, b, 0)`), never mistaken for an options object.
    list.pop();
    options = { [axisKey]: last } as O;
  } else if (list.length && !(last instanceof NDArray) && !Array.isArray(last)) {
    if (last !== undefined && (last === null || typeof last !== 'object')) {
      throw new TypeError(
        `${op}: the last argument must be an NDArray, an options object or the ${axisKey} as a number, got ${last === null ? 'null' : typeof last}`,
      );
    }
    options = (list.pop() ?? {}) as O;
  }
  const arrays =
    list.length === 1 && Array.isArray(list[0]) ? (list[0] as NDArray[]).slice() : (list as NDArray[]);
  if (arrays.length === 0) throw new RangeError(`${op}: needs at least one array`);
  arrays.forEach((a, i) => {
    checkArray(op, a, `array ${i}`);
  });
  return [arrays, options];
}

/**
 * Joins arrays along an existing axis (`dim`, default 1 as in MXNet; negative allowed). Inputs of
 * different dtypes are promoted. MXNet: `nd.concat(*data, dim=1)`.
 * A trailing number is the axis: `nd.concat(X, Y, 0)` is `nd.concat(X, Y, { dim: 0 })`.
 * @example nd.concat([X, Y], { dim: 0 })   // or nd.concat(X, Y, { dim: 0 }), nd.concat(X, Y, 0)
 */
export function concat(arrays: readonly NDArray[], options?: ConcatOptions | number): NDArray;
export function concat(...args: Array<NDArray | ConcatOptions | number>): NDArray;
export function concat(
  ...args: Array<NDArray | readonly NDArray[] | ConcatOptions | number | undefined>
): NDArray {
  const [arrays, options] = splitArraysAndOptions<ConcatOptions>('concat', args, 'dim');
  const first = arrays[0];
  if (first.ndim === 0) throw new RangeError('concat: cannot concatenate 0-d arrays; use stack');
  const axis = normalizeAxis('concat', options.dim ?? options.axis ?? 1, first.ndim);
  for (const a of arrays) {
    const compatible = a.ndim === first.ndim && a.shape.every((d, i) => i === axis || d === first.shape[i]);
    if (!compatible) {
      throw new RangeError(
        `concat: shapes ${arrays.map((x) => shapeToString(x.shape)).join(', ')} differ outside axis ${axis}`,
      );
    }
  }
  const dtype = arrays.map((a) => a.dtype).reduce(promote);
  const inputs = arrays.map((a) => (a.dtype === dtype ? a : a.astype(dtype)));
  const sizes = inputs.map((a) => a.shape[axis]);
  const shape = first.shape.slice();
  shape[axis] = sizes.reduce((p, q) => p + q, 0);
  const out = empty(shape, dtype);
  const outStrides = stridesOf(shape);
  let offset = 0;
  for (const a of inputs) {
    kernels().copyStrided(
      a.data,
      0,
      stridesOf(a.shape),
      out.data,
      offset * outStrides[axis],
      outStrides,
      a.shape,
    );
    offset += a.shape[axis];
  }
  return recordOp('concat', inputs, out, { axis, sizes });
}

/**
 * Joins same-shape arrays along a new axis (default 0). MXNet: `nd.stack(*data, axis=0)`.
 * @example nd.stack([a, b]).shape // [2, ...a.shape]
 */
export function stack(arrays: readonly NDArray[], options?: { axis?: number } | number): NDArray;
export function stack(...args: Array<NDArray | { axis?: number } | number>): NDArray;
export function stack(
  ...args: Array<NDArray | readonly NDArray[] | { axis?: number } | number | undefined>
): NDArray {
  const [arrays, options] = splitArraysAndOptions<{ axis?: number }>('stack', args, 'axis');
  const first = arrays[0];
  for (const a of arrays) {
    if (!shapesEqual(a.shape, first.shape)) {
      throw new RangeError(
        `stack: all arrays must have the same shape, got ${arrays.map((x) => shapeToString(x.shape)).join(', ')}`,
      );
    }
  }
  const axis = normalizeAxis('stack', options.axis ?? 0, first.ndim + 1);
  return concat(
    arrays.map((a) => expandDims(a, axis)),
    { dim: axis },
  );
}
