/**
 * Reference CPU matrix product, for every dtype. op(B) is copied once per matrix into panels of 4
 * columns and op(A) 4 rows at a time, both as float64, so each transpose combination runs the same
 * 4x4 register-tiled loop over unit-stride data. Every output is a float64 sum over p in ascending
 * order, rounded once on store; no term is skipped, so 0 * Inf gives NaN as IEEE says.
 * The fast backends replace it for float32.
 */
import type { TypedArray } from '../../dtype.js';

let bPack = new Float64Array(0);
let aPack = new Float64Array(0);

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
  const nPanels = Math.ceil(n / 4);
  if (bPack.length < nPanels * k * 4) bPack = new Float64Array(nPanels * k * 4);
  if (aPack.length < k * 4) aPack = new Float64Array(k * 4);
  const bp = bPack;
  const ap = aPack;
  // B(p, j) = b[bo + p*rsb + j*csb], A(i, p) = a[ao + i*rsa + p*csa].
  const rsb = transB ? 1 : n;
  const csb = transB ? k : 1;
  const rsa = transA ? 1 : k;
  const csa = transA ? m : 1;
  for (let t = 0; t < batch; t++) {
    const ao = t * m * k;
    const bo = t * k * n;
    const oo = t * m * n;
    for (let q = 0; q < nPanels; q++)
      for (let jj = 0; jj < 4; jj++) {
        const j = q * 4 + jj;
        for (let p = 0; p < k; p++) bp[(q * k + p) * 4 + jj] = j < n ? b[bo + p * rsb + j * csb] : 0;
      }
    for (let i0 = 0; i0 < m; i0 += 4) {
      const h = Math.min(4, m - i0);
      for (let p = 0; p < k; p++)
        for (let ii = 0; ii < 4; ii++) ap[p * 4 + ii] = ii < h ? a[ao + (i0 + ii) * rsa + p * csa] : 0;
      for (let q = 0; q < nPanels; q++) {
        let c00 = 0,
          c01 = 0,
          c02 = 0,
          c03 = 0,
          c10 = 0,
          c11 = 0,
          c12 = 0,
          c13 = 0;
        let c20 = 0,
          c21 = 0,
          c22 = 0,
          c23 = 0,
          c30 = 0,
          c31 = 0,
          c32 = 0,
          c33 = 0;
        let x = q * k * 4;
        for (let y = 0; y < k * 4; y += 4, x += 4) {
          const b0 = bp[x];
          const b1 = bp[x + 1];
          const b2 = bp[x + 2];
          const b3 = bp[x + 3];
          let av = ap[y];
          c00 += av * b0;
          c01 += av * b1;
          c02 += av * b2;
          c03 += av * b3;
          av = ap[y + 1];
          c10 += av * b0;
          c11 += av * b1;
          c12 += av * b2;
          c13 += av * b3;
          av = ap[y + 2];
          c20 += av * b0;
          c21 += av * b1;
          c22 += av * b2;
          c23 += av * b3;
          av = ap[y + 3];
          c30 += av * b0;
          c31 += av * b1;
          c32 += av * b2;
          c33 += av * b3;
        }
        const j0 = q * 4;
        const w = Math.min(4, n - j0);
        const tile = [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33];
        for (let ii = 0; ii < h; ii++) {
          const o = oo + (i0 + ii) * n + j0;
          for (let jj = 0; jj < w; jj++) out[o + jj] = tile[ii * 4 + jj];
        }
      }
    }
  }
}
