// Tests of the reference pool2d kernels against the definition written out per window (MXNet's
// pool.h semantics, see pool.ts) and, for the backward kernel, against the response of
// <pool2d(x), dy> to each input element; and of the active backend's pool kernels against the
// reference on the shared cases.
import { describe, expect, it } from 'vitest';
import { comparePoolKernels, pool2dCases, poolGeometry, seededValues } from '../../testing/kernel-cases.js';
import type { Pool2dGeometry, PoolKind } from '../kernels.js';
import { kernels } from '../registry.js';
import { cpuBackend } from './index.js';

const F32_LOWEST = -3.4028234663852886e38;

/** Window by window: the in-bounds values, and the avg divisor with padding counted up to the padded extent. */
function direct(kind: PoolKind, x: Float64Array, g: Pool2dGeometry, include: boolean): Float64Array {
  const out = new Float64Array(g.batch * g.channels * g.outH * g.outW);
  let k = 0;
  for (let nc = 0; nc < g.batch * g.channels; nc++)
    for (let i = 0; i < g.outH; i++)
      for (let j = 0; j < g.outW; j++) {
        const values: number[] = [];
        let padded = 0;
        for (let a = 0; a < g.kernelH; a++)
          for (let b = 0; b < g.kernelW; b++) {
            const r = i * g.strideH - g.padH + a;
            const q = j * g.strideW - g.padW + b;
            if (r < g.inH + g.padH && q < g.inW + g.padW) padded++;
            if (r >= 0 && r < g.inH && q >= 0 && q < g.inW) values.push(x[(nc * g.inH + r) * g.inW + q]);
          }
        const sum = values.reduce((s, v) => s + v, 0);
        const divisor = include ? padded : values.length;
        out[k++] =
          kind === 'max'
            ? values.length
              ? Math.max(...values)
              : -Number.MAX_VALUE
            : divisor
              ? sum / divisor
              : Number.NaN;
      }
  return out;
}

describe('reference pool2d kernels', () => {
  it('pool2d matches the window-by-window definition on every shared case', () => {
    for (const { kind, g, countIncludePad } of pool2dCases) {
      const x = seededValues(g.batch * g.channels * g.inH * g.inW, 11, 'float64') as Float64Array;
      const out = new Float64Array(g.batch * g.channels * g.outH * g.outW).fill(3);
      cpuBackend.pool2d(kind, x, out, g, countIncludePad);
      const expected = direct(kind, x, g, countIncludePad);
      for (let i = 0; i < out.length; i++) {
        if (Number.isNaN(expected[i])) expect(out[i]).toBeNaN();
        else expect(Math.abs(out[i] - expected[i])).toBeLessThanOrEqual(1e-14);
      }
    }
  });

  it('pool2dBackward is the response of <pool2d(x), dy> to each input element', () => {
    for (const { kind, g, countIncludePad } of pool2dCases) {
      const xs = g.batch * g.channels * g.inH * g.inW;
      if (xs > 200) continue;
      const x = seededValues(xs, 12, 'float64') as Float64Array;
      const dy = seededValues(g.batch * g.channels * g.outH * g.outW, 13, 'float64') as Float64Array;
      const dx = new Float64Array(xs).fill(5);
      cpuBackend.pool2dBackward(kind, x, dy, dx, g, countIncludePad);
      const objective = (v: Float64Array) =>
        direct(kind, v, g, countIncludePad).reduce(
          (s, y, i) => (Number.isNaN(y) || y === -Number.MAX_VALUE ? s : s + y * dy[i]),
          0,
        );
      const eps = 1e-7;
      for (let i = 0; i < xs; i++) {
        const bumped = Float64Array.from(x);
        bumped[i] += eps;
        expect(Math.abs(dx[i] - (objective(bumped) - objective(x)) / eps)).toBeLessThan(1e-6);
      }
    }
  });

  it('max: ties go to the first row-major maximum; empty windows give the lowest finite float and no gradient', () => {
    const g = poolGeometry({ batch: 1, channels: 1, in: 2, kernel: 2, stride: 1, pad: 1 });
    const x = Float32Array.from([1, 1, 1, 1]);
    const dy = Float32Array.from({ length: 9 }, (_, i) => i + 1);
    const dx = new Float32Array(4);
    cpuBackend.pool2dBackward('max', x, dy, dx, g, true);
    // window (1,1) covers all four ones and routes its 5 to element 0
    expect(Array.from(dx)).toEqual([1 + 2 + 4 + 5, 3 + 6, 7 + 8, 9]);
    const e = poolGeometry({ batch: 1, channels: 1, in: 1, kernel: 1, stride: 1, pad: 1 });
    const out = new Float32Array(9);
    cpuBackend.pool2d('max', Float32Array.from([-2]), out, e, true);
    expect(Array.from(out)).toEqual([
      F32_LOWEST,
      F32_LOWEST,
      F32_LOWEST,
      F32_LOWEST,
      -2,
      F32_LOWEST,
      F32_LOWEST,
      F32_LOWEST,
      F32_LOWEST,
    ]);
    const grad = new Float32Array(1);
    cpuBackend.pool2dBackward('max', Float32Array.from([-2]), new Float32Array(9).fill(1), grad, e, true);
    expect(grad[0]).toBe(1);
  });
});

describe(`the active backend's pool2d kernels (${kernels().name})`, () => {
  it('agree with the reference kernels on every shared case, float32 and float64', () => {
    comparePoolKernels(kernels(), cpuBackend, pool2dCases);
    comparePoolKernels(kernels(), cpuBackend, pool2dCases, { dtype: 'float64' });
  });
  it('the comparison can fail', () => {
    const broken = { ...cpuBackend, name: 'broken', pool2d: () => {} };
    expect(() => comparePoolKernels(broken, cpuBackend, pool2dCases.slice(0, 1))).toThrow(/pool2d/);
  });
});
