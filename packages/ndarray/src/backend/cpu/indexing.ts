/** Reference CPU kernels that gather and scatter by index (pick and its adjoint). */
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
