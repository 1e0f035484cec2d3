/** Reference CPU kernels that gather and scatter by index: pick, take (gather) and their adjoints. */
import type { TypedArray } from '../../dtype.js';

export function pick(
  x: TypedArray,
  outer: number,
  len: number,
  inner: number,
  index: Int32Array,
  out: TypedArray,
): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const j = o * inner + i;
      out[j] = x[(o * len + index[j]) * inner + i];
    }
  }
}

export function pickScatter(
  dy: TypedArray,
  outer: number,
  len: number,
  inner: number,
  index: Int32Array,
  out: TypedArray,
): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const j = o * inner + i;
      out[(o * len + index[j]) * inner + i] += dy[j];
    }
  }
}

export function gather(
  x: TypedArray,
  outer: number,
  len: number,
  inner: number,
  index: Int32Array,
  out: TypedArray,
): void {
  const count = index.length;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < count; j++) {
      const src = (o * len + index[j]) * inner;
      const dst = (o * count + j) * inner;
      if (inner === 1) out[dst] = x[src];
      else out.set(x.subarray(src, src + inner), dst);
    }
  }
}

export function scatterAdd(
  dy: TypedArray,
  outer: number,
  len: number,
  inner: number,
  index: Int32Array,
  out: TypedArray,
): void {
  const count = index.length;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < count; j++) {
      const dst = (o * len + index[j]) * inner;
      const src = (o * count + j) * inner;
      for (let i = 0; i < inner; i++) out[dst + i] += dy[src + i];
    }
  }
}
