// The WebAssembly convolution kernels against the reference kernels of backend/cpu/conv.ts (which
// sum in float64): forward, data gradient and filter gradient over strides, padding, dilation,
// groups, 1x1 kernels, odd sizes, batches of 1 and more, shapes at the edges of the product's
// tiles and blocks, bands of output rows, the worker-thread split, and both routes of the forward
// pass (direct and im2col); on both kernel builds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as cpu from '../cpu/conv.js';
import type { Conv2dGeometry } from '../kernels.js';
import { conv2d, conv2dBackwardData, conv2dBackwardFilter, setConvRoute } from './conv.js';
import {
  matmulWorkerChunks,
  matmulWorkers,
  setMatmulThreads,
  setThreadTestHooks,
  setWasmKernelBuild,
  wasmKernelBuild,
} from './gemm.js';

/** Deterministic uniform numbers in [-1, 1). */
function values(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

interface Spec {
  batch: number;
  cin: number;
  h: number;
  w: number;
  cout: number;
  k: number | [number, number];
  stride?: number | [number, number];
  pad?: number | [number, number];
  dilation?: number | [number, number];
  groups?: number;
}

const pair = (v: number | [number, number] | undefined, d: number): [number, number] =>
  v === undefined ? [d, d] : typeof v === 'number' ? [v, v] : v;

function geometry(s: Spec): Conv2dGeometry {
  const [kh, kw] = pair(s.k, 1);
  const [sh, sw] = pair(s.stride, 1);
  const [ph, pw] = pair(s.pad, 0);
  const [dh, dw] = pair(s.dilation, 1);
  return {
    batch: s.batch,
    inChannels: s.cin,
    inH: s.h,
    inW: s.w,
    outChannels: s.cout,
    outH: Math.floor((s.h + 2 * ph - dh * (kh - 1) - 1) / sh) + 1,
    outW: Math.floor((s.w + 2 * pw - dw * (kw - 1) - 1) / sw) + 1,
    kernelH: kh,
    kernelW: kw,
    strideH: sh,
    strideW: sw,
    padH: ph,
    padW: pw,
    dilationH: dh,
    dilationW: dw,
    groups: s.groups ?? 1,
  };
}

const abs = (a: Float32Array) => a.map(Math.abs);

/**
 * Expects `got` to equal the float64-summed reference within float32 accumulation error: at most
 * `terms` ulps of the sum of |products| (computed by the reference on absolute values).
 */
function expectClose(
  got: Float32Array,
  ref: Float32Array,
  scale: Float32Array,
  terms: number,
  what: string,
): void {
  let worst = 0;
  let at = -1;
  for (let i = 0; i < got.length; i++) {
    const err = Math.abs(got[i] - ref[i]) / ((terms + 2) * 2 ** -23 * scale[i] + 1e-30);
    if (!(err <= 1) && (Number.isNaN(err) || err > worst)) {
      worst = Number.isNaN(err) ? Infinity : err;
      at = i;
    }
  }
  expect(worst, `${what}: element ${at} is ${got[at]}, reference ${ref[at]}`).toBe(0);
}

/** Runs the three wasm kernels and the reference ones on random data and compares them. */
function check(s: Spec, seed: number): void {
  const g = geometry(s);
  const what = JSON.stringify(s);
  const x = values(g.batch * g.inChannels * g.inH * g.inW, seed);
  const w = values(((g.outChannels * g.inChannels) / g.groups) * g.kernelH * g.kernelW, seed + 1);
  const dy = values(g.batch * g.outChannels * g.outH * g.outW, seed + 2);
  const taps = g.kernelH * g.kernelW;

  const out = new Float32Array(dy.length).fill(Number.NaN);
  const ref = new Float32Array(dy.length);
  const scale = new Float32Array(dy.length);
  conv2d(x, w, out, g);
  cpu.conv2d(x, w, ref, g);
  cpu.conv2d(abs(x), abs(w), scale, g);
  expectClose(out, ref, scale, (g.inChannels / g.groups) * taps, `forward ${what}`);

  const dx = new Float32Array(x.length).fill(Number.NaN);
  const dxRef = new Float32Array(x.length);
  const dxScale = new Float32Array(x.length);
  conv2dBackwardData(dy, w, dx, g);
  cpu.conv2dBackwardData(dy, w, dxRef, g);
  cpu.conv2dBackwardData(abs(dy), abs(w), dxScale, g);
  expectClose(dx, dxRef, dxScale, (g.outChannels / g.groups) * taps, `data gradient ${what}`);

  const dw = new Float32Array(w.length).fill(Number.NaN);
  const dwRef = new Float32Array(w.length);
  const dwScale = new Float32Array(w.length);
  conv2dBackwardFilter(x, dy, dw, g);
  cpu.conv2dBackwardFilter(x, dy, dwRef, g);
  cpu.conv2dBackwardFilter(abs(x), abs(dy), dwScale, g);
  expectClose(dw, dwRef, dwScale, g.batch * g.outH * g.outW, `filter gradient ${what}`);
}

/** Geometries that exercise every path of assembly/conv.ts and of the product under it. */
const SPECS: Spec[] = [
  // LeNet's layers on a few images
  { batch: 3, cin: 1, h: 28, w: 28, cout: 6, k: 5 },
  { batch: 2, cin: 6, h: 12, w: 12, cout: 16, k: 5 },
  // padding, stride, dilation, rectangular kernels and images
  { batch: 2, cin: 3, h: 9, w: 7, cout: 5, k: 3, pad: 1 },
  { batch: 1, cin: 2, h: 11, w: 13, cout: 4, k: [3, 2], stride: [2, 3], pad: [1, 0] },
  { batch: 2, cin: 3, h: 10, w: 9, cout: 4, k: 3, dilation: 2, pad: 2 },
  { batch: 1, cin: 2, h: 8, w: 8, cout: 3, k: 3, stride: 2, pad: 3 },
  { batch: 2, cin: 1, h: 7, w: 5, cout: 2, k: [1, 5], pad: [0, 2], dilation: [1, 2] },
  { batch: 1, cin: 3, h: 6, w: 6, cout: 2, k: 6 },
  // groups, including depthwise
  { batch: 2, cin: 4, h: 9, w: 7, cout: 6, k: 3, stride: 2, pad: 1, dilation: 2, groups: 2 },
  { batch: 2, cin: 6, h: 5, w: 5, cout: 6, k: 3, pad: 1, groups: 6 },
  { batch: 1, cin: 6, h: 6, w: 7, cout: 9, k: 1, groups: 3 },
  // 1x1 kernels: read in place (stride 1, no pad) and through im2col (stride 2, padding)
  { batch: 3, cin: 5, h: 4, w: 6, cout: 7, k: 1 },
  { batch: 2, cin: 5, h: 7, w: 6, cout: 3, k: 1, stride: 2 },
  { batch: 1, cin: 3, h: 5, w: 5, cout: 2, k: 1, pad: 1 },
  // tile and block edges: 7 filters (rows of 3), 13 pixels (columns of 12), k = 450 (two k blocks)
  { batch: 2, cin: 50, h: 3, w: 5, cout: 7, k: 3, pad: [0, 1] },
  // more than 1020 output pixels in one band (several column blocks of the product)
  { batch: 1, cin: 1, h: 40, w: 40, cout: 3, k: 3 },
  // a column buffer too large for one band: 800 rows x 40 pixels per output row, so 8-row bands
  { batch: 1, cin: 32, h: 44, w: 44, cout: 4, k: 5 },
  // the direct filter gradient's edges: 3 filters (an odd pair), 7 taps (a second block of 5), 17 columns (a masked tail)
  { batch: 2, cin: 2, h: 22, w: 23, cout: 3, k: [2, 7] },
  // the direct forward's blocks of 3 filters by 12 columns: 6 filters per group, 13 columns (an edge tile)
  { batch: 2, cin: 4, h: 9, w: 17, cout: 12, k: [3, 5], groups: 2 },
  // a single output pixel, a single channel
  { batch: 4, cin: 1, h: 3, w: 3, cout: 1, k: 3 },
];

describe.each(['relaxed-simd', 'simd'] as const)('wasm convolution (%s build)', (build) => {
  const initial = wasmKernelBuild();
  beforeAll(() => {
    setWasmKernelBuild(build === 'relaxed-simd');
    expect(wasmKernelBuild()).toBe(build);
  });
  afterAll(() => setWasmKernelBuild(initial === 'relaxed-simd'));

  it('matches the reference kernels over strides, padding, dilation, groups and tile edges', () => {
    SPECS.forEach((s, i) => {
      check(s, 100 * i + 1);
    });
  });

  it('gives the same results through the column matrix where the direct kernel would run', () => {
    setConvRoute('im2col');
    try {
      SPECS.forEach((s, i) => {
        check(s, 100 * i + 3);
      });
    } finally {
      setConvRoute('auto');
    }
  });

  it('splits the batch between worker threads with the same results', async () => {
    setMatmulThreads(1);
    // Every convolution uses the threads from here on (by default only those of 3e8 flops and more).
    setThreadTestHooks({ callerWorks: true, minFlops: 0 });
    const big: Spec = { batch: 8, cin: 16, h: 24, w: 24, cout: 32, k: 3, pad: 1 };
    const g = geometry(big);
    conv2d(
      new Float32Array(g.batch * g.inChannels * g.inH * g.inW),
      new Float32Array(g.outChannels * g.inChannels * 9),
      new Float32Array(g.batch * g.outChannels * g.outH * g.outW),
      g,
    );
    for (let i = 0; i < 200 && matmulWorkers() === 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect(matmulWorkers()).toBe(1);
    const before = matmulWorkerChunks();
    try {
      for (const callerWorks of [false, true]) {
        setThreadTestHooks({ callerWorks, minFlops: 0 });
        check({ batch: 5, cin: 3, h: 10, w: 9, cout: 4, k: 3, pad: 1 }, 7);
        check({ batch: 9, cin: 4, h: 8, w: 8, cout: 6, k: 3, stride: 2, groups: 2 }, 8);
        check({ batch: 1, cin: 2, h: 5, w: 5, cout: 3, k: 1 }, 9);
      }
      expect(matmulWorkerChunks()).toBeGreaterThan(before);
    } finally {
      setThreadTestHooks({ callerWorks: true });
      setMatmulThreads(-1);
    }
  });
});

describe('wasm convolution edge cases', () => {
  it('writes zeros where nothing flows and leaves empty outputs alone', () => {
    // batch 0: no output, a zero filter gradient
    const g = geometry({ batch: 0, cin: 2, h: 4, w: 4, cout: 3, k: 3 });
    const dw = new Float32Array(3 * 2 * 9).fill(5);
    conv2dBackwardFilter(new Float32Array(0), new Float32Array(0), dw, g);
    expect(dw.every((v) => v === 0)).toBe(true);
    conv2d(new Float32Array(0), new Float32Array(54), new Float32Array(0), g);
  });

  it('propagates NaN and infinities as the reference does', () => {
    const g = geometry({ batch: 1, cin: 1, h: 4, w: 4, cout: 2, k: 2 });
    const x = values(16, 3);
    x[5] = Number.NaN;
    x[10] = Infinity;
    const w = values(8, 4);
    const out = new Float32Array(18);
    const ref = new Float32Array(18);
    conv2d(x, w, out, g);
    cpu.conv2d(x, w, ref, g);
    for (let i = 0; i < 18; i++) {
      expect(Number.isNaN(out[i]), `element ${i}`).toBe(Number.isNaN(ref[i]));
      if (!Number.isFinite(ref[i])) expect(out[i]).toBe(ref[i]);
    }
  });

  it('leaves other dtypes to the reference kernels', () => {
    const g = geometry({ batch: 1, cin: 1, h: 2, w: 2, cout: 1, k: 2 });
    const out = new Float64Array(1);
    conv2d(Float64Array.from([1e-10, 1, 1, 1]), Float64Array.from([1, 1e20, 0, 0]), out, g);
    expect(out[0]).toBe(1e20 + 1e-10);
  });
});
