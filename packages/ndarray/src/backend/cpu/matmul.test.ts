// The reference matrix product: every output must be the float64 sum over p in ascending order,
// rounded once to the output dtype, for every transpose combination and edge size.
import { describe, expect, it } from 'vitest';
import { matmul } from './matmul.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  };
}

describe('cpu matmul', () => {
  it('rounds the ascending float64 sum once, for every transpose combination', () => {
    const r = rng(3);
    for (const transA of [false, true])
      for (const transB of [false, true])
        for (const [batch, m, n, k] of [
          [1, 1, 1, 1],
          [2, 3, 5, 7],
          [1, 9, 4, 13],
          [1, 4, 9, 0],
          [3, 17, 6, 33],
        ]) {
          const a = Float32Array.from({ length: batch * m * k }, r);
          const b = Float32Array.from({ length: batch * k * n }, r);
          const out = new Float32Array(batch * m * n).fill(Number.NaN);
          matmul(a, b, out, batch, m, n, k, transA, transB);
          for (let t = 0; t < batch; t++)
            for (let i = 0; i < m; i++)
              for (let j = 0; j < n; j++) {
                let s = 0;
                for (let p = 0; p < k; p++)
                  s +=
                    a[t * m * k + (transA ? p * m + i : i * k + p)] *
                    b[t * k * n + (transB ? j * k + p : p * n + j)];
                expect(out[t * m * n + i * n + j]).toBe(Math.fround(s));
              }
        }
  });

  it('works on integer dtypes', () => {
    const out = new Int32Array(4);
    matmul(new Int32Array([1, 2, 3, 4]), new Int32Array([5, 6, 7, 8]), out, 1, 2, 2, 2, false, false);
    expect([...out]).toEqual([19, 22, 43, 50]);
  });
});
