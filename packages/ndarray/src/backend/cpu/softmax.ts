/**
 * Reference CPU softmax and log-softmax along one axis, numerically stable: each row has its
 * maximum subtracted before exponentiation, and sums are accumulated in float64.
 */
import type { TypedArray } from '../../dtype.js';
import { expForFloat32 } from './exp-float32.js';

export function softmax(
  x: TypedArray,
  outer: number,
  len: number,
  inner: number,
  out: TypedArray,
  log: boolean,
): void {
  // Float32 results take the inlinable exponential (the same float32 values, see exp-float32.ts).
  const exp = out instanceof Float32Array ? expForFloat32 : Math.exp;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * len * inner + i;
      let max = -Infinity;
      for (let j = 0; j < len; j++) {
        const v = x[base + j * inner];
        if (v > max || Number.isNaN(v)) max = v;
      }
      // All -Infinity (or +Infinity): shift by 0 so IEEE arithmetic decides (NaN for +Inf, as NumPy).
      const shift = Number.isFinite(max) ? max : 0;
      let total = 0;
      if (log) {
        for (let j = 0; j < len; j++) total += exp(x[base + j * inner] - shift);
        // (x - max) - log(total), never x - (log(total) + max): at |x| ~ 1e16 the sum would round
        // log(total) away (two tied logits at 1e16 would give 0 instead of -ln 2).
        const logTotal = Math.log(total);
        for (let j = 0; j < len; j++) out[base + j * inner] = x[base + j * inner] - shift - logTotal;
      } else {
        for (let j = 0; j < len; j++) {
          const e = exp(x[base + j * inner] - shift);
          out[base + j * inner] = e;
          total += e;
        }
        for (let j = 0; j < len; j++) out[base + j * inner] /= total;
      }
    }
  }
}
