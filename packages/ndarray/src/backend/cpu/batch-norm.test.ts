// Tests of the reference batch-norm kernels against the definition (per-channel mean and biased
// variance, the affine output, and the gradients as the response of <out, dy> to each input), and
// of the active backend's batch-norm kernels against the reference on the shared cases.
import { describe, expect, it } from 'vitest';
import { batchNormCases, compareBatchNormKernels, seededValues } from '../../testing/kernel-cases.js';
import { kernels } from '../registry.js';
import { cpuBackend } from './index.js';

const EPS = 1e-3;

/** The output by the definition, with the elements of each channel gathered into a list first. */
function direct(
  x: ArrayLike<number>,
  gamma: ArrayLike<number>,
  beta: ArrayLike<number>,
  [outer, channels, inner]: number[],
): Float64Array {
  const out = new Float64Array(x.length);
  for (let c = 0; c < channels; c++) {
    const idx: number[] = [];
    for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) idx.push((o * channels + c) * inner + i);
    const mean = idx.reduce((s, j) => s + x[j], 0) / idx.length;
    const variance = idx.reduce((s, j) => s + (x[j] - mean) ** 2, 0) / idx.length;
    for (const j of idx) out[j] = ((x[j] - mean) / Math.sqrt(variance + EPS)) * gamma[c] + beta[c];
  }
  return out;
}

describe('reference batch-norm kernels', () => {
  it('batchNormForward gives the statistics and the output; batchNormBackward the three gradients', () => {
    for (const view of [
      [3, 2, 4],
      [5, 3, 1],
      [1, 2, 6],
    ]) {
      const [outer, channels, inner] = view;
      const n = outer * channels * inner;
      const x = seededValues(n, 21, 'float64') as Float64Array;
      const dy = seededValues(n, 22, 'float64') as Float64Array;
      const gamma = seededValues(channels, 23, 'float64') as Float64Array;
      const beta = seededValues(channels, 24, 'float64') as Float64Array;
      const out = new Float64Array(n);
      const mean = new Float64Array(channels);
      const variance = new Float64Array(channels);
      cpuBackend.batchNormForward(x, outer, channels, inner, EPS, gamma, beta, out, mean, variance);
      const expected = direct(x, gamma, beta, view);
      for (let i = 0; i < n; i++) expect(Math.abs(out[i] - expected[i])).toBeLessThan(1e-12);
      const dx = new Float64Array(n).fill(9);
      const dgamma = new Float64Array(channels).fill(9);
      const dbeta = new Float64Array(channels).fill(9);
      const invstd = variance.map((v) => 1 / Math.sqrt(v + EPS));
      cpuBackend.batchNormBackward(x, dy, outer, channels, inner, mean, invstd, gamma, dx, dgamma, dbeta);
      const objective = (xs: ArrayLike<number>, gs: ArrayLike<number>, bs: ArrayLike<number>) =>
        direct(xs, gs, bs, view).reduce((s, y, i) => s + y * dy[i], 0);
      const h = 1e-6;
      const numeric = (v: Float64Array, i: number, f: (w: Float64Array) => number) => {
        const plus = Float64Array.from(v);
        const minus = Float64Array.from(v);
        plus[i] += h;
        minus[i] -= h;
        return (f(plus) - f(minus)) / (2 * h);
      };
      for (let i = 0; i < n; i++)
        expect(Math.abs(dx[i] - numeric(x, i, (w) => objective(w, gamma, beta)))).toBeLessThan(1e-7);
      for (let c = 0; c < channels; c++) {
        expect(Math.abs(dgamma[c] - numeric(gamma, c, (w) => objective(x, w, beta)))).toBeLessThan(1e-7);
        expect(Math.abs(dbeta[c] - numeric(beta, c, (w) => objective(x, gamma, w)))).toBeLessThan(1e-7);
      }
    }
  });
});

describe(`the active backend's batch-norm kernels (${kernels().name})`, () => {
  it('agree with the reference kernels on every shared case, float32 and float64', () => {
    compareBatchNormKernels(kernels(), cpuBackend, batchNormCases);
    compareBatchNormKernels(kernels(), cpuBackend, batchNormCases, { dtype: 'float64' });
  });
  it('the comparison can fail', () => {
    const broken = { ...cpuBackend, name: 'broken', batchNormBackward: () => {} };
    expect(() => compareBatchNormKernels(broken, cpuBackend, batchNormCases.slice(0, 1))).toThrow(
      /batchNormBackward/,
    );
  });
});
