// The float32 pooling loops of the wasm backend against the reference kernels of backend/cpu/pool.ts:
// bit for bit on outputs and on gradients of non-overlapping windows, within float32 rounding where
// overlapping max windows add into one element; over 2x2 stride-2 windows (even and odd images),
// overlapping, padded and 'full'-convention windows, global pooling, both divisors of the average,
// ties, NaN and windows that hold nothing but padding.
import { describe, expect, it } from 'vitest';
import * as cpu from '../cpu/pool.js';
import type { Pool2dGeometry, PoolKind } from '../kernels.js';
import { pool2d, pool2dBackward } from './pool.js';

function values(n: number, seed: number, levels = 0): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const v = s / 2 ** 31 - 1;
    return levels > 0 ? Math.round(v * levels) : v; // few levels: many ties
  });
}

function geometry(
  batch: number,
  channels: number,
  inH: number,
  inW: number,
  k: number,
  stride: number,
  pad: number,
  full = false,
): Pool2dGeometry {
  const out = (n: number) =>
    (full ? Math.ceil((n + 2 * pad - k) / stride) : Math.floor((n + 2 * pad - k) / stride)) + 1;
  return {
    batch,
    channels,
    inH,
    inW,
    outH: out(inH),
    outW: out(inW),
    kernelH: k,
    kernelW: k,
    strideH: stride,
    strideW: stride,
    padH: pad,
    padW: pad,
  };
}

const CASES: [string, Pool2dGeometry][] = [
  ['LeNet 2x2 stride 2', geometry(3, 6, 24, 24, 2, 2, 0)],
  ['2x2 stride 2 on an odd image (last row and column unused)', geometry(2, 3, 7, 9, 2, 2, 0)],
  // large enough for the WebAssembly kernels (1024 outputs and more): vectors of 4 and a tail of 2
  ['2x2 stride 2 in WebAssembly, odd image', geometry(4, 16, 11, 13, 2, 2, 0)],
  ['3x3 stride 2 pad 1 (overlapping, ResNet)', geometry(2, 4, 12, 11, 3, 2, 1)],
  ['3x3 stride 1 pad 1 (overlapping, GoogLeNet)', geometry(1, 3, 6, 7, 3, 1, 1)],
  ['3x3 stride 2, full convention (windows past the edge)', geometry(2, 2, 8, 8, 3, 2, 0, true)],
  ['2x2 stride 2 pad 1', geometry(1, 2, 5, 6, 2, 2, 1)],
  ['global (window = image)', geometry(2, 5, 6, 6, 6, 1, 0)],
  ['padding as large as the window (windows of padding only)', geometry(1, 2, 3, 3, 2, 2, 2)],
];

function run(kind: PoolKind, g: Pool2dGeometry, x: Float32Array, cip: boolean) {
  const n = g.batch * g.channels * g.outH * g.outW;
  const dy = values(n, 77);
  const out = new Float32Array(n).fill(Number.NaN);
  const ref = new Float32Array(n);
  pool2d(kind, x, out, g, cip);
  cpu.pool2d(kind, x, ref, g, cip);
  const dx = new Float32Array(x.length).fill(Number.NaN);
  const dxRef = new Float32Array(x.length);
  pool2dBackward(kind, x, dy, dx, g, cip);
  cpu.pool2dBackward(kind, x, dy, dxRef, g, cip);
  return { out, ref, dx, dxRef };
}

describe('wasm backend float32 pooling', () => {
  for (const [name, g] of CASES)
    it(`matches the reference: ${name}`, () => {
      const overlapping = g.strideH < g.kernelH;
      for (const [kind, cip] of [
        ['max', false],
        ['avg', true],
        ['avg', false],
      ] as const)
        for (const levels of [0, 2]) {
          const x = values(g.batch * g.channels * g.inH * g.inW, 5 + levels, levels);
          const { out, ref, dx, dxRef } = run(kind, g, x, cip);
          const what = `${kind} countIncludePad=${cip} levels=${levels}`;
          expect(Array.from(out), what).toEqual(Array.from(ref));
          if (!overlapping) expect(Array.from(dx), what).toEqual(Array.from(dxRef));
          else
            for (let i = 0; i < dx.length; i++)
              expect(Math.abs(dx[i] - dxRef[i]), `${what} dx[${i}]`).toBeLessThanOrEqual(
                4 * 2 ** -23 * Math.abs(dxRef[i]) + 1e-30,
              );
        }
    });

  it('never lets NaN win a max and gives the first maximum the gradient', () => {
    const g = geometry(1, 1, 2, 4, 2, 2, 0);
    // windows: [NaN, 1; 3, 3] -> 3 (first 3 gets dy), [NaN, NaN; NaN, NaN] -> float32 lowest, no gradient
    const x = Float32Array.from([Number.NaN, 1, Number.NaN, Number.NaN, 3, 3, Number.NaN, Number.NaN]);
    const out = new Float32Array(2);
    pool2d('max', x, out, g, false);
    expect(Array.from(out)).toEqual([3, -3.4028234663852886e38]);
    const dx = new Float32Array(8).fill(9);
    pool2dBackward('max', x, Float32Array.from([5, 7]), dx, g, false);
    expect(Array.from(dx)).toEqual([0, 0, 0, 0, 5, 0, 0, 0]);
  });

  it('matches the reference with NaN and infinities in WebAssembly-sized arrays', () => {
    const g = geometry(4, 8, 10, 14, 2, 2, 0);
    const x = values(4 * 8 * 10 * 14, 9, 3);
    for (let i = 0; i < x.length; i += 7) x[i] = Number.NaN;
    for (let i = 3; i < x.length; i += 29) x[i] = i % 2 ? Infinity : -Infinity;
    const { out, ref, dx, dxRef } = run('max', g, x, false);
    expect(Array.from(out)).toEqual(Array.from(ref));
    expect(Array.from(dx)).toEqual(Array.from(dxRef));
  });

  it('leaves other dtypes to the reference', () => {
    const g = geometry(1, 1, 2, 2, 2, 2, 0);
    const out = new Float64Array(1);
    pool2d('avg', Float64Array.from([1e-20, 1, 2, 3]), out, g, true);
    expect(out[0]).toBe((1e-20 + 1 + 2 + 3) / 4);
  });
});
