/**
 * Shape helpers shared by ops and kernels: sizes, strides, NumPy broadcasting, axis
 * normalisation, and the `(2,3)` formatting used in every error message.
 */

/** A shape: one non-negative integer per axis. `[]` is a scalar. */
export type Shape = readonly number[];

/** Formats a shape the way MXNet prints it: `(2,3)`, `(5,)`, `()`. */
export function shapeToString(shape: Shape): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(',')})`;
}

/** Number of elements of a shape (1 for a scalar). */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  // A zero extent beside huge ones (1e300 * 1e300 * 0 is NaN in floating point) is still empty.
  return Number.isNaN(n) ? 0 : n;
}

/** Row-major strides, in elements. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

/**
 * Strides for reading an array of `shape` as if broadcast to `outShape`: 0 on the axes it lacks
 * and on its size-1 axes, its own row-major strides elsewhere.
 * @example broadcastStrides([3, 1], [2, 3, 4]) // [0, 1, 0]
 */
export function broadcastStrides(shape: Shape, outShape: Shape): number[] {
  const strides = stridesOf(shape);
  const offset = outShape.length - shape.length;
  return outShape.map((_, i) => (i < offset || shape[i - offset] === 1 ? 0 : strides[i - offset]));
}

/** True when both shapes have the same rank and extents. */
export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Validates a user-supplied shape (non-negative integers), naming `op` on failure. */
export function checkShape(op: string, shape: unknown): number[] {
  if (!Array.isArray(shape))
    throw new TypeError(`${op}: shape must be an array of integers, got ${String(shape)}`);
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new RangeError(`${op}: shape must hold non-negative integers, got [${shape.join(', ')}]`);
    }
  }
  const size = sizeOf(shape);
  if (size > 2 ** 32) {
    throw new RangeError(
      `${op}: shape ${shapeToString(shape)} has ${size} elements, more than the ${2 ** 32} an array may hold`,
    );
  }
  return shape.slice();
}

/** NumPy broadcasting of two shapes, or an error naming `op` and both shapes. */
export function broadcastShapes(op: string, a: Shape, b: Shape): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = i < n - a.length ? 1 : a[i - (n - a.length)];
    const db = i < n - b.length ? 1 : b[i - (n - b.length)];
    if (da === db || db === 1) out[i] = da;
    else if (da === 1) out[i] = db;
    else
      throw new RangeError(
        `${op}: shapes ${shapeToString(a)} and ${shapeToString(b)} cannot be broadcast together`,
      );
  }
  return out;
}

/** Turns a possibly negative axis into 0..ndim-1, or throws an error naming `op`. */
export function normalizeAxis(op: string, axis: number, ndim: number): number {
  if (typeof axis !== 'number') {
    throw new TypeError(
      `${op}: axis must be an integer, got ${typeof axis === 'string' ? JSON.stringify(axis) : String(axis)}`,
    );
  }
  if (!Number.isInteger(axis) || axis < -ndim || axis >= ndim) {
    throw new RangeError(`${op}: axis ${axis} is out of range for an array of ${ndim} dimension(s)`);
  }
  return axis < 0 ? axis + ndim : axis;
}

/** Normalises `axis` (undefined = all axes, a number, or a list) to a sorted unique list. */
export function normalizeAxes(
  op: string,
  axis: number | readonly number[] | undefined,
  ndim: number,
): number[] {
  if (axis === undefined || axis === null) return Array.from({ length: ndim }, (_, i) => i);
  if (typeof axis !== 'number' && !Array.isArray(axis)) {
    throw new TypeError(
      `${op}: axis must be an integer or a list of integers, got ${typeof axis === 'string' ? JSON.stringify(axis) : typeof axis}`,
    );
  }
  const list = typeof axis === 'number' ? [axis] : axis;
  const out = list.map((a) => normalizeAxis(op, a, ndim));
  const unique = [...new Set(out)].sort((x, y) => x - y);
  if (unique.length !== out.length) throw new RangeError(`${op}: repeated axis in [${list.join(', ')}]`);
  return unique;
}

/** The shape left after reducing `axes`, with size-1 axes kept when `keepdims`. */
export function reducedShape(shape: Shape, axes: readonly number[], keepdims: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (axes.includes(i)) {
      if (keepdims) out.push(1);
    } else out.push(shape[i]);
  }
  return out;
}
