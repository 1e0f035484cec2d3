/**
 * Reference CPU reductions. The common cases (reduce everything, the last axes, the first
 * axes) run as flat loops; any other set of axes walks the input once with an odometer,
 * adding each element to the output cell given by strides that are 0 on reduced axes.
 */
import type { TypedArray } from '../../dtype.js';
import { type Shape, sizeOf, stridesOf } from '../../shape.js';
import type { ArgReduceOp, ReduceOp } from '../kernels.js';

const initial: Record<ReduceOp, number> = { sum: 0, prod: 1, max: -Infinity, min: Infinity };

function combine(op: ReduceOp, acc: number, v: number): number {
  switch (op) {
    case 'sum':
      return acc + v;
    case 'prod':
      return acc * v;
    case 'max':
      return v > acc || Number.isNaN(v) ? v : acc;
    case 'min':
      return v < acc || Number.isNaN(v) ? v : acc;
  }
}

/** True when the (sorted) reduced axes are the last ones, so each output reduces a contiguous run. */
export function reducesTrailingAxes(ndim: number, axes: readonly number[]): boolean {
  return axes.every((a, i) => a === ndim - axes.length + i);
}

/** True when the (sorted) reduced axes are the first ones, so outputs are columns of a (rows, out) view. */
export function reducesLeadingAxes(axes: readonly number[]): boolean {
  return axes.every((a, i) => a === i);
}

export function reduce(
  op: ReduceOp,
  x: TypedArray,
  shape: Shape,
  axes: readonly number[],
  out: TypedArray,
): void {
  const ndim = shape.length;
  const outSize = out.length;
  if (outSize === 0) return;
  const reduceSize = x.length / Math.max(outSize, 1);
  // Reduced axes are a trailing block: out[o] = reduce(x[o*r .. o*r+r]).
  const trailing = reducesTrailingAxes(ndim, axes);
  if (trailing || x.length === 0) {
    const r = x.length === 0 ? 0 : reduceSize;
    for (let o = 0; o < outSize; o++) {
      let acc = initial[op];
      const base = o * r;
      if (op === 'sum') for (let j = 0; j < r; j++) acc += x[base + j];
      else for (let j = 0; j < r; j++) acc = combine(op, acc, x[base + j]);
      out[o] = acc;
    }
    return;
  }
  // Reduced axes are a leading block: out[j] = reduce over rows of x viewed as (r, outSize).
  const leading = reducesLeadingAxes(axes);
  const acc = new Float64Array(outSize).fill(initial[op]);
  if (leading) {
    for (let r = 0; r < reduceSize; r++) {
      const base = r * outSize;
      if (op === 'sum') for (let j = 0; j < outSize; j++) acc[j] += x[base + j];
      else for (let j = 0; j < outSize; j++) acc[j] = combine(op, acc[j], x[base + j]);
    }
  } else {
    const outStrides = new Array<number>(ndim);
    let s = 1;
    for (let i = ndim - 1; i >= 0; i--) {
      if (axes.includes(i)) outStrides[i] = 0;
      else {
        outStrides[i] = s;
        s *= shape[i];
      }
    }
    const index = new Array<number>(ndim).fill(0);
    let po = 0;
    const n = x.length;
    for (let i = 0; i < n; i++) {
      acc[po] = combine(op, acc[po], x[i]);
      for (let ax = ndim - 1; ax >= 0; ax--) {
        index[ax]++;
        po += outStrides[ax];
        if (index[ax] < shape[ax]) break;
        po -= outStrides[ax] * shape[ax];
        index[ax] = 0;
      }
    }
  }
  for (let j = 0; j < outSize; j++) out[j] = acc[j];
}

export function argReduce(op: ArgReduceOp, x: TypedArray, shape: Shape, axis: number, out: TypedArray): void {
  const strides = stridesOf(shape);
  const len = shape[axis];
  const step = strides[axis];
  const inner = step;
  const outer = sizeOf(shape.slice(0, axis));
  if (inner === 1 && len > 0) {
    // The last axis (rows contiguous): one branch-light loop per op, no comparison callback.
    argRows(x, outer, len, out, op === 'argmax');
    return;
  }
  const better = op === 'argmax' ? (v: number, b: number) => v > b : (v: number, b: number) => v < b;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * len * inner + i;
      let best = x[base];
      let bestIdx = 0;
      if (!Number.isNaN(best)) {
        for (let j = 1; j < len; j++) {
          const v = x[base + j * step];
          if (Number.isNaN(v)) {
            bestIdx = j;
            break;
          }
          if (better(v, best)) {
            best = v;
            bestIdx = j;
          }
        }
      }
      out[o * inner + i] = bestIdx;
    }
  }
}

/**
 * out[o] = index of the first largest (`max`) or smallest value of row o (len values from o*len),
 * or of its first NaN. `max` is the same for the whole call, so its branch always predicts.
 */
function argRows(x: TypedArray, rows: number, len: number, out: TypedArray, max: boolean): void {
  for (let o = 0, base = 0; o < rows; o++, base += len) {
    let best = x[base];
    let bestIdx = 0;
    if (!Number.isNaN(best)) {
      for (let j = 1; j < len; j++) {
        const v = x[base + j];
        if (max ? v > best : v < best) {
          best = v;
          bestIdx = j;
        } else if (Number.isNaN(v)) {
          bestIdx = j;
          break;
        }
      }
    }
    out[o] = bestIdx;
  }
}
