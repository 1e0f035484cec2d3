/**
 * Float32 sums for the 'wasm' backend: the three patterns training uses (sum over the last axes, as
 * in softmax's row sums, over the first axes, as in a bias gradient summed over the batch, and over
 * all axes but a middle block, as in a convolution's bias gradient over (0, 2, 3)) as
 * loops that only ever see Float32Array, so V8 compiles monomorphic element loads; the reference
 * kernel serves every dtype and is several times slower on them. Same float64 accumulation in the
 * same order as the reference, so the results are bit-identical. Everything else goes to the reference.
 */
import type { TypedArray } from '../../dtype.js';
import type { Shape } from '../../shape.js';
import { reduce as cpuReduce, reducesLeadingAxes, reducesTrailingAxes } from '../cpu/reduce.js';
import type { ReduceOp } from '../kernels.js';

/**
 * out[o] = sum of x[o*r .. o*r + r), accumulated in float64 in index order. Four rows at a time:
 * each row's additions form one dependency chain, so four independent chains keep the adder busy.
 */
function sumRows(x: Float32Array, r: number, out: Float32Array): void {
  const rows = out.length;
  let o = 0;
  for (; o + 3 < rows; o += 4) {
    const b = o * r;
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    for (let j = 0; j < r; j++) {
      a0 += x[b + j];
      a1 += x[b + r + j];
      a2 += x[b + 2 * r + j];
      a3 += x[b + 3 * r + j];
    }
    out[o] = a0;
    out[o + 1] = a1;
    out[o + 2] = a2;
    out[o + 3] = a3;
  }
  for (; o < rows; o++) {
    let acc = 0;
    for (let j = 0, b = o * r; j < r; j++) acc += x[b + j];
    out[o] = acc;
  }
}

/**
 * out[j] = sum over rows of x viewed as (rows, out.length), accumulated in float64 row by row.
 * Four columns at a time, their sums in locals (four independent chains, no memory round trip).
 */
function sumColumns(x: Float32Array, rows: number, out: Float32Array): void {
  const n = out.length;
  let j = 0;
  for (; j + 3 < n; j += 4) {
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    for (let r = 0, b = j; r < rows; r++, b += n) {
      a0 += x[b];
      a1 += x[b + 1];
      a2 += x[b + 2];
      a3 += x[b + 3];
    }
    out[j] = a0;
    out[j + 1] = a1;
    out[j + 2] = a2;
    out[j + 3] = a3;
  }
  for (; j < n; j++) {
    let acc = 0;
    for (let r = 0, b = j; r < rows; r++, b += n) acc += x[b];
    out[j] = acc;
  }
}

/**
 * out[c] = sum of x viewed as (outer, mid = out.length, inner) over its first and last axes, in
 * float64 in memory order (the reference's order: image by image, each block of `inner` in turn).
 * Four channels at a time, each its own chain, so the adds of one channel keep their order.
 */
function sumOuterInner(x: Float32Array, outer: number, inner: number, out: Float32Array): void {
  const mid = out.length;
  const acc = new Float64Array(mid);
  const plane = mid * inner;
  for (let o = 0; o < outer; o++) {
    const base = o * plane;
    let c = 0;
    for (; c + 3 < mid; c += 4) {
      let a0 = acc[c];
      let a1 = acc[c + 1];
      let a2 = acc[c + 2];
      let a3 = acc[c + 3];
      const b = base + c * inner;
      for (let j = 0; j < inner; j++) {
        a0 += x[b + j];
        a1 += x[b + inner + j];
        a2 += x[b + 2 * inner + j];
        a3 += x[b + 3 * inner + j];
      }
      acc[c] = a0;
      acc[c + 1] = a1;
      acc[c + 2] = a2;
      acc[c + 3] = a3;
    }
    for (; c < mid; c++) {
      let a = acc[c];
      for (let j = 0, b = base + c * inner; j < inner; j++) a += x[b + j];
      acc[c] = a;
    }
  }
  for (let c = 0; c < mid; c++) out[c] = acc[c];
}

/**
 * The kept axes when `axes` are a leading block plus a trailing block around one contiguous run
 * of kept axes: [first kept, last kept + 1); undefined otherwise.
 */
function keptMiddle(ndim: number, axes: readonly number[]): [number, number] | undefined {
  let lead = 0;
  while (lead < axes.length && axes[lead] === lead) lead++;
  const trail = axes.length - lead;
  for (let i = lead; i < axes.length; i++) if (axes[i] !== ndim - trail + (i - lead)) return undefined;
  return [lead, ndim - trail];
}

/** Reduces `x` of `shape` over `axes` into `out`; float32 sums over leading, trailing or outer axes run here. */
export function reduce(
  op: ReduceOp,
  x: TypedArray,
  shape: Shape,
  axes: readonly number[],
  out: TypedArray,
): void {
  if (
    op === 'sum' &&
    x instanceof Float32Array &&
    out instanceof Float32Array &&
    out.length > 0 &&
    x.length > 0
  ) {
    const rows = x.length / out.length;
    if (reducesTrailingAxes(shape.length, axes)) {
      sumRows(x, rows, out);
      return;
    }
    if (reducesLeadingAxes(axes)) {
      sumColumns(x, rows, out);
      return;
    }
    const kept = keptMiddle(shape.length, axes);
    if (kept) {
      let outer = 1;
      for (let i = 0; i < kept[0]; i++) outer *= shape[i];
      sumOuterInner(x, outer, rows / outer, out);
      return;
    }
  }
  cpuReduce(op, x, shape, axes, out);
}
