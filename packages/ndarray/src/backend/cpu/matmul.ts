/**
 * Reference CPU matrix product: plain loops in i-k-j order (unit stride over b and out) for
 * each transpose combination. Correct for every dtype; the fast backends replace it for float32.
 */
import type { TypedArray } from '../../dtype.js';

export function matmul(
  a: TypedArray,
  b: TypedArray,
  out: TypedArray,
  batch: number,
  m: number,
  n: number,
  k: number,
  transA: boolean,
  transB: boolean,
): void {
  const row = new Float64Array(n);
  for (let t = 0; t < batch; t++) {
    const ao = t * m * k;
    const bo = t * k * n;
    const oo = t * m * n;
    for (let i = 0; i < m; i++) {
      row.fill(0);
      for (let p = 0; p < k; p++) {
        const av = transA ? a[ao + p * m + i] : a[ao + i * k + p];
        if (av === 0) continue;
        if (transB) for (let j = 0; j < n; j++) row[j] += av * b[bo + j * k + p];
        else {
          const bb = bo + p * n;
          for (let j = 0; j < n; j++) row[j] += av * b[bb + j];
        }
      }
      for (let j = 0; j < n; j++) out[oo + i * n + j] = row[j];
    }
  }
}
