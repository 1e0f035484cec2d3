/**
 * Convolution micro-benchmark: GFLOP/s of minimx's float32 convolution kernels (forward, data
 * gradient, filter gradient) on the shapes of d2l's LeNet (5.5, batch 256) and of a ResNet-18 stage
 * at 96x96 (5.11: 64 channels at 24x24, 3x3, pad 1), on the wasm backend with one thread and with
 * its default worker threads. The shapes are shared with bench/torch_bench.py through
 * `CONV_SHAPES`. Run `npx tsx bench/conv.ts`; the bench's `minimx conv` job reports the same.
 */
import type { Conv2dGeometry } from '../packages/ndarray/src/backend/kernels.js';
import {
  conv2d,
  conv2dBackwardData,
  conv2dBackwardFilter,
} from '../packages/ndarray/src/backend/wasm/conv.js';
import { matmulWorkers, setMatmulThreads } from '../packages/ndarray/src/backend/wasm/gemm.js';
import { secondsPerCall } from './micro.js';
import { Rng } from './rng.js';

/** One convolution layer of a benchmark workload. */
export interface ConvShape {
  label: string;
  batch: number;
  inChannels: number;
  size: number;
  outChannels: number;
  kernel: number;
  stride: number;
  pad: number;
}

/** LeNet's two layers (d2l 5.5, batch 256) and a ResNet-18 stage-1 layer at 96x96 (batch 32). */
export const CONV_SHAPES: readonly ConvShape[] = [
  {
    label: 'LeNet conv1 1->6 28x28 k5',
    batch: 256,
    inChannels: 1,
    size: 28,
    outChannels: 6,
    kernel: 5,
    stride: 1,
    pad: 0,
  },
  {
    label: 'LeNet conv2 6->16 12x12 k5',
    batch: 256,
    inChannels: 6,
    size: 12,
    outChannels: 16,
    kernel: 5,
    stride: 1,
    pad: 0,
  },
  {
    label: 'ResNet-18 stage 64->64 24x24 k3 p1 (batch 32)',
    batch: 32,
    inChannels: 64,
    size: 24,
    outChannels: 64,
    kernel: 3,
    stride: 1,
    pad: 1,
  },
];

/** The passes timed per shape. */
export const CONV_PASSES = ['forward', 'backward data', 'backward filter'] as const;
export type ConvPass = (typeof CONV_PASSES)[number];

/** The kernel geometry of a shape (square images and kernels, no dilation, one group). */
export function convGeometry(s: ConvShape): Conv2dGeometry {
  const out = Math.floor((s.size + 2 * s.pad - s.kernel) / s.stride) + 1;
  return {
    batch: s.batch,
    inChannels: s.inChannels,
    inH: s.size,
    inW: s.size,
    outChannels: s.outChannels,
    outH: out,
    outW: out,
    kernelH: s.kernel,
    kernelW: s.kernel,
    strideH: s.stride,
    strideW: s.stride,
    padH: s.pad,
    padW: s.pad,
    dilationH: 1,
    dilationW: 1,
    groups: 1,
  };
}

/** Multiply-adds of one pass times 2 (every pass does the same arithmetic). */
export function convFlops(s: ConvShape): number {
  const g = convGeometry(s);
  return 2 * g.batch * g.outChannels * g.outH * g.outW * g.inChannels * g.kernelH * g.kernelW;
}

/** GFLOP/s of each pass of each shape with the wasm kernels, at the current thread setting. */
export function benchConvKernels(seconds: number): { label: string; pass: ConvPass; gflops: number }[] {
  const rows: { label: string; pass: ConvPass; gflops: number }[] = [];
  const rng = new Rng(11);
  const fill = (n: number) => Float32Array.from({ length: n }, () => 2 * rng.uniform() - 1);
  for (const s of CONV_SHAPES) {
    const g = convGeometry(s);
    const x = fill(g.batch * g.inChannels * g.inH * g.inW);
    const w = fill(g.outChannels * g.inChannels * g.kernelH * g.kernelW);
    const y = fill(g.batch * g.outChannels * g.outH * g.outW);
    const dx = new Float32Array(x.length);
    const dw = new Float32Array(w.length);
    const run: Record<ConvPass, () => void> = {
      forward: () => conv2d(x, w, y, g),
      'backward data': () => conv2dBackwardData(y, w, dx, g),
      'backward filter': () => conv2dBackwardFilter(x, y, dw, g),
    };
    for (const pass of CONV_PASSES)
      rows.push({ label: s.label, pass, gflops: convFlops(s) / secondsPerCall(run[pass], seconds) / 1e9 });
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const seconds = Number(process.argv[2] ?? 0.5);
  setMatmulThreads(0);
  const single = benchConvKernels(seconds);
  setMatmulThreads(-1);
  benchConvKernels(0.05);
  for (let i = 0; i < 100 && matmulWorkers() === 0; i++) await new Promise((r) => setTimeout(r, 10));
  const threaded = benchConvKernels(seconds);
  console.log(`| shape | pass | GFLOP/s, 1 thread | GFLOP/s, 1+${matmulWorkers()} threads |`);
  console.log('|---|---|---:|---:|');
  for (const [i, r] of single.entries())
    console.log(`| ${r.label} | ${r.pass} | ${r.gflops.toFixed(1)} | ${threaded[i].gflops.toFixed(1)} |`);
}
