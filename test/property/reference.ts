/**
 * A tiny, obviously-correct reference for the array core, used by the property tests: plain
 * float64 arrays with a shape, walked with nested loops over multi-indices (no strides tricks,
 * no fast paths). Broadcasting binary ops, reductions (sum/mean/max/min/prod over axis lists,
 * negative axes, keepdims), argmax/argmin, transpose, concat and stack. Slow on purpose; it
 * only has to be right.
 */

/** A reference array: a shape and row-major float64 values. */
export interface RefArray {
  shape: number[];
  data: number[];
}

/** Number of elements of a shape. */
export function sizeOfShape(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Every multi-index of `shape`, in row-major order. */
export function* multiIndices(shape: readonly number[]): Generator<number[]> {
  if (shape.some((d) => d === 0)) return;
  const index = shape.map(() => 0);
  while (true) {
    yield index.slice();
    let axis = shape.length - 1;
    while (axis >= 0) {
      index[axis]++;
      if (index[axis] < shape[axis]) break;
      index[axis] = 0;
      axis--;
    }
    if (axis < 0) return;
  }
}

/** The flat row-major offset of `index` in `shape`. */
export function offsetOf(shape: readonly number[], index: readonly number[]): number {
  let offset = 0;
  for (let i = 0; i < shape.length; i++) offset = offset * shape[i] + index[i];
  return offset;
}

/** The value of `a` at a multi-index. */
export function at(a: RefArray, index: readonly number[]): number {
  return a.data[offsetOf(a.shape, index)];
}

/** NumPy broadcasting of two shapes, or null when they are incompatible. */
export function broadcastShape(a: readonly number[], b: readonly number[]): number[] | null {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const da = i < n - a.length ? 1 : a[i - (n - a.length)];
    const db = i < n - b.length ? 1 : b[i - (n - b.length)];
    if (da === db || db === 1) out.push(da);
    else if (da === 1) out.push(db);
    else return null;
  }
  return out;
}

/** The value of `a` at an index of a larger broadcast shape (leading axes dropped, size-1 axes pinned). */
function atBroadcast(a: RefArray, outIndex: readonly number[]): number {
  const lead = outIndex.length - a.shape.length;
  const index = a.shape.map((d, i) => (d === 1 ? 0 : outIndex[lead + i]));
  return at(a, index);
}

/** `f(a, b)` element-wise with NumPy broadcasting. */
export function binary(a: RefArray, b: RefArray, f: (x: number, y: number) => number): RefArray {
  const shape = broadcastShape(a.shape, b.shape);
  if (!shape) throw new Error(`reference: cannot broadcast (${a.shape}) and (${b.shape})`);
  const data: number[] = [];
  for (const index of multiIndices(shape)) data.push(f(atBroadcast(a, index), atBroadcast(b, index)));
  return { shape, data };
}

/** `f(a)` element-wise. */
export function unary(a: RefArray, f: (x: number) => number): RefArray {
  return { shape: a.shape.slice(), data: a.data.map(f) };
}

/** Normalises an axis list (undefined = all, negatives counted from the end), sorted and unique. */
export function normalizeAxes(axis: number | readonly number[] | undefined, ndim: number): number[] {
  if (axis === undefined) return Array.from({ length: ndim }, (_, i) => i);
  const list = typeof axis === 'number' ? [axis] : axis;
  return [...new Set(list.map((a) => (a < 0 ? a + ndim : a)))].sort((x, y) => x - y);
}

/** Which reduction: its start value and how it folds one element in. */
export type RefReduceOp = 'sum' | 'mean' | 'max' | 'min' | 'prod';

/**
 * Reduces `axes` of `a`. The result keeps reduced axes as 1 when `keepdims`; otherwise they are
 * dropped, and when none is left the shape is (1,): MXNet's legacy NDArray has no 0-d results.
 */
export function reduce(
  a: RefArray,
  op: RefReduceOp,
  axis: number | readonly number[] | undefined,
  keepdims: boolean,
): RefArray {
  const axes = normalizeAxes(axis, a.shape.length);
  const keptShape = a.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const groups = new Map<number, number[]>();
  for (const index of multiIndices(a.shape)) {
    const outIndex = index.map((v, i) => (axes.includes(i) ? 0 : v));
    const key = offsetOf(keptShape, outIndex);
    const list = groups.get(key) ?? [];
    list.push(at(a, index));
    groups.set(key, list);
  }
  const data: number[] = [];
  for (let key = 0; key < sizeOfShape(keptShape); key++) {
    const values = groups.get(key) ?? [];
    let v: number;
    if (op === 'sum') v = values.reduce((s, x) => s + x, 0);
    else if (op === 'prod') v = values.reduce((s, x) => s * x, 1);
    else if (op === 'mean') v = values.reduce((s, x) => s + x, 0) / values.length;
    else if (op === 'max') v = values.reduce((s, x) => (x > s || Number.isNaN(x) ? x : s), -Infinity);
    else v = values.reduce((s, x) => (x < s || Number.isNaN(x) ? x : s), Infinity);
    data.push(v);
  }
  const shape = keepdims ? keptShape : a.shape.filter((_, i) => !axes.includes(i));
  return { shape: shape.length === 0 ? [1] : shape, data };
}

/** Index of the first largest (or smallest) value along one axis; NaN wins. No 0-d results, as `reduce`. */
export function argReduce(a: RefArray, op: 'argmax' | 'argmin', axis: number, keepdims: boolean): RefArray {
  const ax = axis < 0 ? axis + a.shape.length : axis;
  const keptShape = a.shape.map((d, i) => (i === ax ? 1 : d));
  const data: number[] = [];
  for (const outIndex of multiIndices(keptShape)) {
    let best = 0;
    let bestValue = Number.NaN;
    for (let k = 0; k < a.shape[ax]; k++) {
      const index = outIndex.slice();
      index[ax] = k;
      const v = at(a, index);
      if (k === 0) {
        bestValue = v;
        continue;
      }
      if (Number.isNaN(bestValue)) break;
      const better = Number.isNaN(v) || (op === 'argmax' ? v > bestValue : v < bestValue);
      if (better) {
        best = k;
        bestValue = v;
      }
    }
    data.push(best);
  }
  const shape = keepdims ? keptShape : a.shape.filter((_, i) => i !== ax);
  return { shape: shape.length === 0 ? [1] : shape, data };
}

/** Permutes the axes: output axis i is input axis perm[i]. */
export function transpose(a: RefArray, perm: readonly number[]): RefArray {
  const shape = perm.map((p) => a.shape[p]);
  const data: number[] = [];
  for (const outIndex of multiIndices(shape)) {
    const index = new Array<number>(perm.length);
    perm.forEach((p, i) => {
      index[p] = outIndex[i];
    });
    data.push(at(a, index));
  }
  return { shape, data };
}

/** Joins arrays along an existing axis (all other extents equal). */
export function concat(arrays: readonly RefArray[], axis: number): RefArray {
  const ndim = arrays[0].shape.length;
  const ax = axis < 0 ? axis + ndim : axis;
  const shape = arrays[0].shape.slice();
  shape[ax] = arrays.reduce((s, a) => s + a.shape[ax], 0);
  const data: number[] = [];
  for (const outIndex of multiIndices(shape)) {
    let k = outIndex[ax];
    let which = 0;
    while (k >= arrays[which].shape[ax]) k -= arrays[which++].shape[ax];
    const index = outIndex.slice();
    index[ax] = k;
    data.push(at(arrays[which], index));
  }
  return { shape, data };
}

/** Stacks equal-shaped arrays along a new axis. */
export function stack(arrays: readonly RefArray[], axis: number): RefArray {
  const ndim = arrays[0].shape.length + 1;
  const ax = axis < 0 ? axis + ndim : axis;
  const expanded = arrays.map((a) => {
    const shape = a.shape.slice();
    shape.splice(ax, 0, 1);
    return { shape, data: a.data };
  });
  return concat(expanded, ax);
}

/** Matrix product of 2-D arrays, or of 3-D batches, with optional transposes (plain triple loop). */
export function matmul(a: RefArray, b: RefArray, transA: boolean, transB: boolean): RefArray {
  const batched = a.shape.length === 3;
  const batch = batched ? a.shape[0] : 1;
  const [ar, ac] = a.shape.slice(-2);
  const [br, bc] = b.shape.slice(-2);
  const [m, k] = transA ? [ac, ar] : [ar, ac];
  const n = transB ? br : bc;
  const data: number[] = [];
  for (let p = 0; p < batch; p++) {
    const A = (i: number, j: number) => a.data[p * ar * ac + (transA ? j * ac + i : i * ac + j)];
    const B = (i: number, j: number) => b.data[p * br * bc + (transB ? j * bc + i : i * bc + j)];
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let q = 0; q < k; q++) s += A(i, q) * B(q, j);
        data.push(s);
      }
    }
  }
  return { shape: batched ? [batch, m, n] : [m, n], data };
}

/** Python's `slice(start, stop, step).indices(n)`: the positions a slice selects along an axis of length n. */
export function slicePositions(
  n: number,
  start: number | null,
  stop: number | null,
  step: number | null,
): number[] {
  const s = step ?? 1;
  const [lower, upper] = s > 0 ? [0, n] : [-1, n - 1];
  const clamp = (v: number | null, fallback: number) => {
    if (v === null) return fallback;
    const w = v < 0 ? v + n : v;
    return Math.min(Math.max(w, lower), upper);
  };
  const from = clamp(start, s > 0 ? lower : upper);
  const to = clamp(stop, s > 0 ? upper : lower);
  const out: number[] = [];
  for (let i = from; s > 0 ? i < to : i > to; i += s) out.push(i);
  return out;
}

/** Selects `positions[axis]` along every axis (a box of the array). */
export function takeBox(a: RefArray, positions: readonly number[][]): RefArray {
  const shape = positions.map((p) => p.length);
  const data: number[] = [];
  for (const index of multiIndices(shape))
    data.push(
      at(
        a,
        index.map((k, ax) => positions[ax][k]),
      ),
    );
  return { shape, data };
}
