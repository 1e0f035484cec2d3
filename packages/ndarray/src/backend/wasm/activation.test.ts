// The WebAssembly float32 sigmoid against the reference kernel (float64, rounded once): within
// 4 float32 ulps over the whole useful range, exact on the special values. The fused sigmoid gradient
// against the reference (within 2 ulps) and the old three-op composite (bit for bit), on both builds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sigmoidBackward as cpuSigmoidBackward, unary as cpuUnary } from '../cpu/elementwise.js';
import { sigmoidBackwardF32, sigmoidF32 } from './activation.js';
import { setWasmKernelBuild, wasmKernelBuild } from './gemm.js';
import { sigmoidBackward, unary } from './index.js';

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

describe.each(['relaxed-simd', 'simd'] as const)('wasm float32 sigmoid gradient (%s build)', (build) => {
  const initial = wasmKernelBuild();
  beforeAll(() => {
    setWasmKernelBuild(build === 'relaxed-simd');
    expect(wasmKernelBuild()).toBe(build);
  });
  afterAll(() => setWasmKernelBuild(initial === 'relaxed-simd'));

  /** Deterministic sigmoid outputs in (0, 1), with exact 0, 0.5 and 1 among them, and gradients in [-2, 2). */
  function operands(n: number, seed: number): [Float32Array, Float32Array] {
    const y = new Float32Array(n);
    const dy = new Float32Array(n);
    let s = seed;
    const next = () => {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      return s / 2 ** 32;
    };
    for (let i = 0; i < n; i++) {
      y[i] = i % 97 === 0 ? [0, 0.5, 1][i % 3] : next();
      dy[i] = 4 * next() - 2;
    }
    return [y, dy];
  }

  it('matches the reference within 2 float32 ulps and the composite bit for bit, on odd and even sizes', () => {
    for (const n of [256, 257, 258, 259, 1001, 4096, 150_003]) {
      const [y, dy] = operands(n, n);
      const mine = new Float32Array(n);
      const ref = new Float32Array(n);
      expect(sigmoidBackwardF32(y, dy, mine)).toBe(true);
      cpuSigmoidBackward(y, dy, ref);
      const composite = new Float32Array(n);
      for (let i = 0; i < n; i++) composite[i] = dy[i] * Math.fround(y[i] * Math.fround(1 - y[i]));
      for (let i = 0; i < n; i++) {
        const tol = 2 * 2 ** -23 * Math.abs(ref[i]) + 2 ** -149;
        if (Math.abs(mine[i] - ref[i]) > tol) expect(mine[i], `n=${n}, i=${i}`).toBe(ref[i]);
        if (mine[i] !== composite[i]) expect(mine[i], `n=${n}, i=${i}`).toBe(composite[i]);
      }
    }
  });

  it('goes through the backend kernel above the cutoff, the reference below it and for other dtypes', () => {
    for (const n of [1, 7, 255, 301]) {
      const [y, dy] = operands(n, 7 * n);
      const mine = new Float32Array(n);
      const ref = new Float32Array(n);
      sigmoidBackward(y, dy, mine);
      cpuSigmoidBackward(y, dy, ref);
      for (let i = 0; i < n; i++)
        expect(Math.abs(mine[i] - ref[i])).toBeLessThanOrEqual(2 * 2 ** -23 * Math.abs(ref[i]));
    }
    expect(sigmoidBackwardF32(new Float32Array(8), new Float32Array(8), new Float32Array(8))).toBe(false);
    const out = new Float64Array(1);
    sigmoidBackward(Float64Array.from([0.3]), Float64Array.from([2]), out);
    expect(out[0]).toBe(2 * (0.3 * (1 - 0.3)));
  });
});
