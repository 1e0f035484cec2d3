// The WebAssembly float32 sigmoid against the reference kernel (float64, rounded once): within
// 4 float32 ulps over the whole useful range, exact on the special values.
import { describe, expect, it } from 'vitest';
import { unary as cpuUnary } from '../cpu/elementwise.js';
import { sigmoidF32 } from './activation.js';
import { unary } from './index.js';

describe('wasm backend float32 sigmoid', () => {
  it('stays within 4 ulps of the reference from -110 to 110, subnormal results included', () => {
    const n = 200_003; // not a multiple of 4
    const x = Float32Array.from({ length: n }, (_, i) => -110 + (220 * i) / (n - 1));
    const mine = new Float32Array(n);
    const ref = new Float32Array(n);
    expect(sigmoidF32(x, mine)).toBe(true);
    cpuUnary('sigmoid', x, ref);
    let worst = 0;
    for (let i = 0; i < n; i++) {
      const ulp = Math.abs(mine[i] - ref[i]) / (Math.max(Math.abs(ref[i]), 2 ** -126) * 2 ** -23);
      worst = Math.max(worst, ulp);
    }
    expect(worst).toBeLessThanOrEqual(4);
  });

  it('gives the reference values on NaN, infinities, zeros and the extremes', () => {
    const special = [Number.NaN, Infinity, -Infinity, 0, -0, 88.7, -88.7, -103.5, -104, 200, -200];
    const x = new Float32Array(300);
    x.set(special);
    const mine = new Float32Array(300);
    const ref = new Float32Array(300);
    unary('sigmoid', x, mine);
    cpuUnary('sigmoid', x, ref);
    for (let i = 0; i < special.length; i++) {
      const close = Math.abs(mine[i] - ref[i]) <= 4 * 2 ** -23 * Math.abs(ref[i]) + 2 ** -149;
      expect(close || (Number.isNaN(mine[i]) && Number.isNaN(ref[i])), `sigmoid(${special[i]})`).toBe(true);
    }
    expect(mine[1]).toBe(1);
    expect(mine[2]).toBe(0);
    expect(mine[3]).toBe(0.5);
  });

  it('leaves short arrays and other dtypes to the reference', () => {
    expect(sigmoidF32(new Float32Array(8), new Float32Array(8))).toBe(false);
    const out = new Float64Array(1);
    unary('sigmoid', Float64Array.from([1]), out);
    expect(out[0]).toBe(1 / (1 + Math.exp(-1)));
  });
});
