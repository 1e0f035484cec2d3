/**
 * Reference CPU softmax and log-softmax along one axis, numerically stable: each row has its
 * maximum subtracted before exponentiation, and sums are accumulated in float64. The log-softmax
 * can also write the softmax of the same rows (what softmax cross-entropy's gradient needs) from
 * the same exponentials, and `softmaxCrossEntropyBackward` turns those into the gradient.
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
  probs: TypedArray | null = null,
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
        if (probs === null) for (let j = 0; j < len; j++) total += exp(x[base + j * inner] - shift);
        else {
          // The softmax branch's exponentials, stored and divided as it stores and divides them.
          for (let j = 0; j < len; j++) {
            const e = exp(x[base + j * inner] - shift);
            probs[base + j * inner] = e;
            total += e;
          }
          for (let j = 0; j < len; j++) probs[base + j * inner] /= total;
        }
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

/**
 * Softmax cross-entropy against class indices along the middle axis of x viewed as
 * (outer, len, inner): out[o,i] = -logSoftmax(x)[o, index[o,i], i], the log-softmax computed and
 * rounded into out's dtype exactly as `softmax` with `log` computes it (then negated), without the
 * other classes' log-probabilities; with `probs`, also the softmax, as `softmax` writes it.
 */
export function softmaxCrossEntropy(
  x: TypedArray,
  outer: number,
  len: number,
  inner: number,
  index: Int32Array,
  out: TypedArray,
  probs: TypedArray | null,
): void {
  const exp = out instanceof Float32Array ? expForFloat32 : Math.exp;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * len * inner + i;
      let max = -Infinity;
      for (let j = 0; j < len; j++) {
        const v = x[base + j * inner];
        if (v > max || Number.isNaN(v)) max = v;
      }
      const shift = Number.isFinite(max) ? max : 0;
      let total = 0;
      if (probs === null) for (let j = 0; j < len; j++) total += exp(x[base + j * inner] - shift);
      else {
        for (let j = 0; j < len; j++) {
          const e = exp(x[base + j * inner] - shift);
          probs[base + j * inner] = e;
          total += e;
        }
        for (let j = 0; j < len; j++) probs[base + j * inner] /= total;
      }
      const at = o * inner + i;
      out[at] = x[base + index[at] * inner] - shift - Math.log(total);
      out[at] = -out[at];
    }
  }
}

/**
 * The gradient of softmax cross-entropy from the softmax `prob` of its input, viewed as
 * (outer, len, inner): out = prob · dy[o,i] - onehot(index[o,i]) · dy[o,i], rounded to out's dtype
 * as the separate multiply, pick-scatter (0 + dy) and subtract kernels round it.
 */
export function softmaxCrossEntropyBackward(
  prob: TypedArray,
  outer: number,
  len: number,
  inner: number,
  index: Int32Array,
  dy: TypedArray,
  out: TypedArray,
): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const j = o * inner + i;
      const d = dy[j];
      const base = o * len * inner + i;
      for (let c = 0; c < len; c++) out[base + c * inner] = prob[base + c * inner] * d;
      const at = base + index[j] * inner;
      out[at] = out[at] - (0 + d);
    }
  }
}
