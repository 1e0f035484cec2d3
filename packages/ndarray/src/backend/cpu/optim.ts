/**
 * Reference kernel of SGD's plain step (no weight decay, momentum or clipping), the loop
 * `@minimx/nn`'s SGD ran itself before the step became a kernel: each element computed in float64
 * and rounded once into w, four per iteration (about a quarter faster in V8 than one).
 */
import type { TypedArray } from '../../dtype.js';

/** w[i] = w[i] - lr·(rescale·g[i]) in place, for float arrays of one length. */
export function sgdUpdate(w: TypedArray, g: TypedArray, lr: number, rescale: number): void {
  const r = rescale;
  const n4 = w.length - 3;
  let i = 0;
  for (; i < n4; i += 4) {
    w[i] -= lr * (r * (g[i] as number));
    w[i + 1] -= lr * (r * (g[i + 1] as number));
    w[i + 2] -= lr * (r * (g[i + 2] as number));
    w[i + 3] -= lr * (r * (g[i + 3] as number));
  }
  for (; i < w.length; i++) w[i] -= lr * (r * (g[i] as number));
}
