/**
 * Kernel-level test cases for the convolution, pooling and batch-norm kernels, shared by the
 * reference kernels' tests and any faster backend's: lists of geometries (LeNet's and a ResNet
 * stage's shapes, strides, padding, dilation, groups, depthwise, non-square kernels, windows wholly
 * in padding, batch-norm views) and `compareConvKernels`, `comparePoolKernels` and
 * `compareBatchNormKernels`, which run a backend's kernels and the reference ones on the same
 * seeded float32 (or float64) inputs and throw naming the case and element that differ. Not part
 * of the public API; import it by path.
 */
import type { Conv2dGeometry, Kernels, Pool2dGeometry, PoolKind } from '../backend/kernels.js';

/** Builds a convolution geometry from sizes (numbers for both axes or [h, w] pairs), computing outH and outW. */
export function convGeometry(p: {
  batch: number;
  inChannels: number;
  in: number | [number, number];
  outChannels: number;
  kernel: number | [number, number];
  stride?: number | [number, number];
  pad?: number | [number, number];
  dilation?: number | [number, number];
  groups?: number;
}): Conv2dGeometry {
  const two = (v: number | [number, number] | undefined, d: number): [number, number] =>
    v === undefined ? [d, d] : typeof v === 'number' ? [v, v] : v;
  const [inH, inW] = two(p.in, 1);
  const [kernelH, kernelW] = two(p.kernel, 1);
  const [strideH, strideW] = two(p.stride, 1);
  const [padH, padW] = two(p.pad, 0);
  const [dilationH, dilationW] = two(p.dilation, 1);
  const out = (i: number, k: number, s: number, q: number, d: number) =>
    Math.floor((i + 2 * q - d * (k - 1) - 1) / s) + 1;
  return {
    batch: p.batch,
    inChannels: p.inChannels,
    inH,
    inW,
    outChannels: p.outChannels,
    outH: out(inH, kernelH, strideH, padH, dilationH),
    outW: out(inW, kernelW, strideW, padW, dilationW),
    kernelH,
    kernelW,
    strideH,
    strideW,
    padH,
    padW,
    dilationH,
    dilationW,
    groups: p.groups ?? 1,
  };
}

/** Convolution geometries every backend's conv kernels must agree on. */
export const conv2dCases: readonly Conv2dGeometry[] = [
  // LeNet (d2l 5.5) at batch 2: conv0 and conv1
  convGeometry({ batch: 2, inChannels: 1, in: 28, outChannels: 6, kernel: 5 }),
  convGeometry({ batch: 2, inChannels: 6, in: 12, outChannels: 16, kernel: 5 }),
  // a ResNet-18 stage-like layer, scaled down: 3x3 stride 2 pad 1, and a 1x1 stride 2 shortcut
  convGeometry({ batch: 2, inChannels: 8, in: 12, outChannels: 16, kernel: 3, stride: 2, pad: 1 }),
  convGeometry({ batch: 2, inChannels: 8, in: 12, outChannels: 16, kernel: 1, stride: 2 }),
  // padding, dilation, non-square kernel and stride
  convGeometry({
    batch: 1,
    inChannels: 3,
    in: [7, 9],
    outChannels: 4,
    kernel: [3, 2],
    stride: [2, 1],
    pad: [1, 2],
  }),
  convGeometry({ batch: 2, inChannels: 2, in: 9, outChannels: 3, kernel: 3, dilation: 2, pad: 2 }),
  convGeometry({
    batch: 1,
    inChannels: 2,
    in: [5, 8],
    outChannels: 2,
    kernel: [2, 3],
    dilation: [2, 3],
    stride: [1, 2],
  }),
  // groups, depthwise, depthwise with a channel multiplier
  convGeometry({ batch: 2, inChannels: 4, in: 6, outChannels: 6, kernel: 3, pad: 1, groups: 2 }),
  convGeometry({ batch: 2, inChannels: 5, in: 6, outChannels: 5, kernel: 3, pad: 1, groups: 5 }),
  convGeometry({ batch: 1, inChannels: 3, in: 5, outChannels: 6, kernel: 2, stride: 2, groups: 3 }),
  // stride larger than the kernel; kernel as large as the padded input; pad larger than the kernel
  convGeometry({ batch: 1, inChannels: 2, in: 10, outChannels: 3, kernel: 2, stride: 3 }),
  convGeometry({ batch: 2, inChannels: 3, in: 4, outChannels: 2, kernel: 6, pad: 1 }),
  convGeometry({ batch: 1, inChannels: 1, in: 3, outChannels: 2, kernel: 2, pad: 3 }),
  // a wide image whose rows exceed small blocking sizes
  convGeometry({ batch: 1, inChannels: 3, in: [4, 70], outChannels: 5, kernel: 3, pad: 1 }),
];

/** A pooling case: the geometry, the kind and whether padding counts in an average. */
export interface PoolCase {
  readonly kind: PoolKind;
  readonly g: Pool2dGeometry;
  readonly countIncludePad: boolean;
}

/** Builds a pooling geometry; `full` uses MXNet's 'full' convention (ceil) for the output size. */
export function poolGeometry(p: {
  batch: number;
  channels: number;
  in: number | [number, number];
  kernel: number | [number, number];
  stride?: number | [number, number];
  pad?: number | [number, number];
  full?: boolean;
}): Pool2dGeometry {
  const two = (v: number | [number, number] | undefined, d: number): [number, number] =>
    v === undefined ? [d, d] : typeof v === 'number' ? [v, v] : v;
  const [inH, inW] = two(p.in, 1);
  const [kernelH, kernelW] = two(p.kernel, 1);
  const [strideH, strideW] = two(p.stride, 1);
  const [padH, padW] = two(p.pad, 0);
  const round = p.full ? Math.ceil : Math.floor;
  const out = (i: number, k: number, s: number, q: number) => round((i + 2 * q - k) / s) + 1;
  return {
    batch: p.batch,
    channels: p.channels,
    inH,
    inW,
    outH: out(inH, kernelH, strideH, padH),
    outW: out(inW, kernelW, strideW, padW),
    kernelH,
    kernelW,
    strideH,
    strideW,
    padH,
    padW,
  };
}

const poolGeometries: readonly Pool2dGeometry[] = [
  // LeNet's MaxPool2D(2, 2) and the book's MaxPool2D(3, padding=1, strides=2)
  poolGeometry({ batch: 2, channels: 6, in: 24, kernel: 2, stride: 2 }),
  poolGeometry({ batch: 1, channels: 2, in: 4, kernel: 3, stride: 2, pad: 1 }),
  // overlapping windows (AlexNet's 3x3 stride 2), non-square, 'full' convention
  poolGeometry({ batch: 2, channels: 3, in: [9, 11], kernel: 3, stride: 2 }),
  poolGeometry({ batch: 1, channels: 2, in: [5, 6], kernel: [2, 3], stride: [2, 3], pad: [1, 2] }),
  poolGeometry({ batch: 1, channels: 2, in: 6, kernel: 3, stride: 2, pad: 1, full: true }),
  // windows wholly in padding: 'full' past the padding, and pad larger than the kernel
  poolGeometry({ batch: 1, channels: 1, in: 5, kernel: 2, stride: 2, pad: 1, full: true }),
  poolGeometry({ batch: 1, channels: 2, in: 3, kernel: 1, stride: 1, pad: 1 }),
  // global pooling as a kernel over the whole image
  poolGeometry({ batch: 2, channels: 4, in: [5, 7], kernel: [5, 7] }),
];

/** Pooling cases every backend's pool kernels must agree on: each geometry as max, avg and avg excluding padding. */
export const pool2dCases: readonly PoolCase[] = poolGeometries.flatMap((g) => [
  { kind: 'max' as const, g, countIncludePad: true },
  { kind: 'avg' as const, g, countIncludePad: true },
  { kind: 'avg' as const, g, countIncludePad: false },
]);

/** Seeded values in [-1, 1) (a linear congruential generator), distinct enough that max pooling has no ties. */
export function seededValues(
  n: number,
  seed: number,
  dtype: 'float32' | 'float64' = 'float32',
): Float32Array | Float64Array {
  const out = dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

function assertClose(
  name: string,
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  rtol: number,
  atol: number,
): void {
  if (actual.length !== expected.length) {
    throw new Error(`${name}: length ${actual.length}, expected ${expected.length}`);
  }
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (Object.is(a, e) || (Number.isNaN(a) && Number.isNaN(e))) continue;
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
      throw new Error(`${name}: element ${i} is ${a}, expected ${e}`);
    }
  }
}

/** Tolerances of a kernel comparison. Defaults suit float32 sums in a different order. */
export interface KernelCompareOptions {
  rtol?: number;
  atol?: number;
  dtype?: 'float32' | 'float64';
}

function describeConv(g: Conv2dGeometry): string {
  return (
    `conv x (${g.batch},${g.inChannels},${g.inH},${g.inW}) w (${g.outChannels},${g.inChannels / g.groups},${g.kernelH},${g.kernelW}) ` +
    `stride (${g.strideH},${g.strideW}) pad (${g.padH},${g.padW}) dilation (${g.dilationH},${g.dilationW}) groups ${g.groups}`
  );
}

/**
 * Runs `backend`'s conv2d, conv2dBackwardData and conv2dBackwardFilter and `reference`'s on the
 * same seeded inputs for every case (outputs prefilled with garbage, to check they are fully
 * overwritten); throws on the first difference.
 * @example compareConvKernels(wasmKernels, cpuBackend, conv2dCases);
 */
export function compareConvKernels(
  backend: Kernels,
  reference: Kernels,
  cases: readonly Conv2dGeometry[] = conv2dCases,
  options: KernelCompareOptions = {},
): void {
  const dtype = options.dtype ?? 'float32';
  const rtol = options.rtol ?? (dtype === 'float32' ? 1e-4 : 1e-12);
  const atol = options.atol ?? (dtype === 'float32' ? 1e-5 : 1e-13);
  cases.forEach((g, k) => {
    const xs = g.batch * g.inChannels * g.inH * g.inW;
    const wsz = g.outChannels * (g.inChannels / g.groups) * g.kernelH * g.kernelW;
    const ys = g.batch * g.outChannels * g.outH * g.outW;
    const x = seededValues(xs, 1 + k, dtype);
    const w = seededValues(wsz, 100 + k, dtype);
    const dy = seededValues(ys, 200 + k, dtype);
    const run = (kern: Kernels) => {
      const out = seededValues(ys, 7, dtype);
      const dx = seededValues(xs, 8, dtype);
      const dw = seededValues(wsz, 9, dtype);
      kern.conv2d(x, w, out, g);
      kern.conv2dBackwardData(dy, w, dx, g);
      kern.conv2dBackwardFilter(x, dy, dw, g);
      return { out, dx, dw };
    };
    const a = run(backend);
    const e = run(reference);
    const name = `${backend.name} vs ${reference.name}, case ${k}: ${describeConv(g)}`;
    assertClose(`${name}: conv2d`, a.out, e.out, rtol, atol);
    assertClose(`${name}: conv2dBackwardData`, a.dx, e.dx, rtol, atol);
    assertClose(`${name}: conv2dBackwardFilter`, a.dw, e.dw, rtol, atol);
  });
}

/**
 * Runs `backend`'s pool2d and pool2dBackward and `reference`'s on the same seeded inputs for
 * every case; throws on the first difference.
 * @example comparePoolKernels(wasmKernels, cpuBackend, pool2dCases);
 */
export function comparePoolKernels(
  backend: Kernels,
  reference: Kernels,
  cases: readonly PoolCase[] = pool2dCases,
  options: KernelCompareOptions = {},
): void {
  const dtype = options.dtype ?? 'float32';
  const rtol = options.rtol ?? (dtype === 'float32' ? 1e-5 : 1e-12);
  const atol = options.atol ?? (dtype === 'float32' ? 1e-6 : 1e-13);
  cases.forEach(({ kind, g, countIncludePad }, k) => {
    const xs = g.batch * g.channels * g.inH * g.inW;
    const ys = g.batch * g.channels * g.outH * g.outW;
    const x = seededValues(xs, 300 + k, dtype);
    const dy = seededValues(ys, 400 + k, dtype);
    const run = (kern: Kernels) => {
      const out = seededValues(ys, 7, dtype);
      const dx = seededValues(xs, 8, dtype);
      kern.pool2d(kind, x, out, g, countIncludePad);
      kern.pool2dBackward(kind, x, dy, dx, g, countIncludePad);
      return { out, dx };
    };
    const a = run(backend);
    const e = run(reference);
    const name =
      `${backend.name} vs ${reference.name}, case ${k}: ${kind} pool x (${g.batch},${g.channels},${g.inH},${g.inW}) ` +
      `kernel (${g.kernelH},${g.kernelW}) stride (${g.strideH},${g.strideW}) pad (${g.padH},${g.padW}) ` +
      `out (${g.outH},${g.outW}) countIncludePad ${countIncludePad}`;
    assertClose(`${name}: pool2d`, a.out, e.out, rtol, atol);
    assertClose(`${name}: pool2dBackward`, a.dx, e.dx, rtol, atol);
  });
}

/** Batch-norm views (outer, channels, inner): LeNet's conv0 output at batch 4, a dense layer's (N, C), channels last. */
export const batchNormCases: readonly (readonly [number, number, number])[] = [
  [4, 6, 24 * 24],
  [32, 84, 1],
  [6, 5, 1],
  [1, 3, 17],
  [2, 1, 9],
];

/**
 * Runs `backend`'s batchNormForward and batchNormBackward and `reference`'s on the same seeded
 * inputs for every (outer, channels, inner) case; throws on the first difference.
 * @example compareBatchNormKernels(wasmKernels, cpuBackend);
 */
export function compareBatchNormKernels(
  backend: Kernels,
  reference: Kernels,
  cases: readonly (readonly [number, number, number])[] = batchNormCases,
  options: KernelCompareOptions = {},
): void {
  const dtype = options.dtype ?? 'float32';
  const rtol = options.rtol ?? (dtype === 'float32' ? 1e-4 : 1e-12);
  const atol = options.atol ?? (dtype === 'float32' ? 1e-5 : 1e-13);
  cases.forEach(([outer, channels, inner], k) => {
    const size = outer * channels * inner;
    const x = seededValues(size, 500 + k, dtype);
    const g = seededValues(size, 600 + k, dtype);
    const gamma = seededValues(channels, 700 + k, dtype);
    const beta = seededValues(channels, 800 + k, dtype);
    const run = (kern: Kernels) => {
      const out = seededValues(size, 7, dtype);
      const dx = seededValues(size, 8, dtype);
      const mean = new Float64Array(channels).fill(3);
      const variance = new Float64Array(channels).fill(3);
      const dgamma = new Float64Array(channels).fill(3);
      const dbeta = new Float64Array(channels).fill(3);
      kern.batchNormForward(x, outer, channels, inner, 1e-5, gamma, beta, out, mean, variance);
      const invstd = variance.map((v) => 1 / Math.sqrt(v + 1e-5));
      kern.batchNormBackward(x, g, outer, channels, inner, mean, invstd, gamma, dx, dgamma, dbeta);
      return { out, mean, variance, dx, dgamma, dbeta };
    };
    const a = run(backend);
    const e = run(reference);
    const name = `${backend.name} vs ${reference.name}, case ${k}: batch norm (${outer}, ${channels}, ${inner})`;
    assertClose(`${name}: batchNormForward out`, a.out, e.out, rtol, atol);
    assertClose(`${name}: batchNormForward mean`, a.mean, e.mean, rtol, atol);
    assertClose(`${name}: batchNormForward variance`, a.variance, e.variance, rtol, atol);
    assertClose(`${name}: batchNormBackward dx`, a.dx, e.dx, rtol, atol);
    assertClose(`${name}: batchNormBackward dgamma`, a.dgamma, e.dgamma, rtol, atol);
    assertClose(`${name}: batchNormBackward dbeta`, a.dbeta, e.dbeta, rtol, atol);
  });
}
