/**
 * Float32 2-D convolution for the 'wasm' backend: the forward pass and both gradients run in
 * WebAssembly (assembly/conv.ts) as, per image, an im2col into a per-thread buffer inside the
 * module's memory and one blocked matrix product per group, on the same 3x12 kernel as matmul;
 * small stride-1 unpadded layers (LeNet's) take a direct kernel for the forward pass and, on large
 * enough images, the filter gradient (see docs/performance.md, "Convolution and pooling kernels").
 * The batch is cut into chunks of images that worker threads share for large jobs, as large
 * products are. The column buffer holds a band of output rows, at most COL_FLOATS floats, so
 * memory stays bounded for large images; the module's memory only grows to the largest job seen
 * and is reused by every later call. Other dtypes, and operands that do not fit in WebAssembly
 * memory, run the reference kernels of backend/cpu/conv.ts.
 */
import type { TypedArray } from '../../dtype.js';
import {
  conv2d as cpuConv2d,
  conv2dBackwardData as cpuConv2dBackwardData,
  conv2dBackwardFilter as cpuConv2dBackwardFilter,
} from '../cpu/conv.js';
import { unaryFns } from '../cpu/elementwise.js';
import type { Conv2dGeometry, ConvActivation } from '../kernels.js';
import { SIGMOID_MIN } from './activation.js';
import { align, convEngine, reserveMemory, runConvChunks } from './gemm.js';

/**
 * Floats of one thread's column buffer: a band of output rows is sized to fit (1 MB, within this
 * machine's L2 cache; LeNet's layers and ResNet-18's stages at 96x96 need at most two bands).
 */
const COL_FLOATS = 1 << 18;
/** Job kinds of the descriptor (assembly/conv.ts). */
const FORWARD = 0;
const BACKWARD_DATA = 1;
const BACKWARD_FILTER = 2;
const DIRECT = 3;
const DIRECT_FILTER = 4;
const DESC_INTS = 32;
/**
 * Convolutions of at least this many flops are split between worker threads (matrix products
 * from 3e7). Below it they stay on the calling thread: LeNet's layers (44-79 MFLOP per pass)
 * trained 1.8-2.5x slower per step with a worker than without on this shared 2-vCPU VM (4
 * interleaved runs; a worker descheduled in mid-chunk holds up the caller), although the best of
 * many repetitions of one pass is faster with it. ResNet- and VGG-sized layers (1 GFLOP and more
 * per pass) still use the workers.
 */
const CONV_THREAD_MIN_FLOPS = 3e8;

let directAllowed = true;

/**
 * For benchmarks and tests: `'im2col'` runs every pass through the column matrix and the product,
 * `'auto'` (the default) lets stride-1 layers take the direct kernel.
 * @example setConvRoute('im2col');
 */
export function setConvRoute(route: 'auto' | 'im2col'): void {
  directAllowed = route === 'auto';
}

/**
 * Whether the direct kernel computes this forward pass: stride 1, dilation 1, no padding, and at
 * most 32 output channels per group (it reloads the input for every 4 of them). CPU time per pass,
 * interleaved runs on one thread: LeNet conv2 14.2 against 9.8 GFLOP/s for im2col, conv1 8.0
 * against 7.6; on ResNet's 64-channel 3x3 layers (with padding copied in) it lost.
 */
function directForward(g: Conv2dGeometry): boolean {
  return (
    directAllowed &&
    g.strideH === 1 &&
    g.strideW === 1 &&
    g.dilationH === 1 &&
    g.dilationW === 1 &&
    g.padH === 0 &&
    g.padW === 0 &&
    g.outChannels / g.groups <= 32
  );
}

/**
 * Whether the direct kernel computes the filter gradient: the forward's conditions and at least
 * 256 output pixels per image, over which each filter-tap accumulator's horizontal sum is
 * amortized (CPU time per pass, interleaved runs: LeNet conv1, 24x24, 9.1 against 6.0 GFLOP/s for
 * im2col; conv2, 8x8, 8.0 against 10.0).
 */
function directFilter(g: Conv2dGeometry): boolean {
  return directForward(g) && g.outH * g.outW >= 256;
}

/**
 * The direct kernel's weights: (groups, ogPad, cg, kh, kw) with ogPad the output channels per group
 * rounded up to 4, zero rows after the real ones.
 */
function directWeights(w: Float32Array, g: Conv2dGeometry): { data: Float32Array; ogPad: number } {
  const og = g.outChannels / g.groups;
  const block = (g.inChannels / g.groups) * g.kernelH * g.kernelW;
  const ogPad = Math.ceil(og / 4) * 4;
  const data = new Float32Array(g.groups * ogPad * block);
  for (let gr = 0; gr < g.groups; gr++)
    data.set(w.subarray(gr * og * block, (gr + 1) * og * block), gr * ogPad * block);
  return { data, ogPad };
}

/** Rows of output pixels per band, so that one band's columns fit in COL_FLOATS. */
function bandRows(g: Conv2dGeometry): number {
  const kg = (g.inChannels / g.groups) * g.kernelH * g.kernelW;
  return Math.max(1, Math.min(g.outH, Math.floor(COL_FLOATS / (kg * g.outW))));
}

/**
 * Runs one job: copies `inputs` into the module's memory (64 bytes of slack after each), runs its
 * chunks (threaded for large jobs), and returns a view of the result region of `outFloats` floats,
 * valid until the next WebAssembly call; undefined when the memory cannot hold the job.
 */
function runJob(
  kind: number,
  g: Conv2dGeometry,
  a: Float32Array,
  b: Float32Array,
  outFloats: number,
  ogPad = 0,
  bias: Float32Array | null = null,
  act = 0,
): { result: Float32Array; partials: Float32Array[] } | undefined {
  const cg = g.inChannels / g.groups;
  const kg = cg * g.kernelH * g.kernelW;
  const plane = g.outH * g.outW;
  const flops = 2 * g.batch * g.outChannels * plane * kg;
  // Below the threshold, 0 asks for the calling thread (unless the test hooks thread everything).
  const engine = convEngine(flops >= CONV_THREAD_MIN_FLOPS ? flops : 0);
  if (!engine) return undefined;
  const threads = engine.threads;
  const rows = bandRows(g);
  const filter = kind === BACKWARD_FILTER || kind === DIRECT_FILTER;
  const partialFloats = filter ? g.outChannels * kg : 0;
  const stride =
    kind === DIRECT
      ? 128
      : kind === DIRECT_FILTER
        ? align(4 * partialFloats + 64)
        : align(4 * (kg * rows * g.outW + partialFloats) + 64);
  const scratch = align(64 + threads * engine.workBytes);
  const desc = align(scratch + threads * stride);
  const aOff = align(desc + DESC_INTS * 4);
  const bOff = align(aOff + a.length * 4 + 64);
  const biasOff = align(bOff + b.length * 4 + 64);
  const outOff = align(biasOff + (bias ? bias.length * 4 + 64 : 0));
  const end = outOff + outFloats * 4 + 64;
  if (end > 2 ** 31 - 65536 || !reserveMemory(engine.memory, end)) return undefined;
  const buffer = engine.memory.buffer;
  const f32 = new Float32Array(buffer);
  f32.set(a, aOff >> 2);
  f32.set(b, bOff >> 2);
  if (bias) f32.set(bias, biasOff >> 2);
  // Small chunks (LeNet: 4 images): a worker that the OS deschedules holds up the caller for one
  // chunk at most, since the caller claims every chunk nobody has started.
  const per = threads > 1 ? Math.max(1, Math.ceil(g.batch / (32 * threads))) : g.batch;
  const chunks = Math.ceil(g.batch / per);
  // Forward: x, w, out. Data gradient: dy, w, dx. Filter gradient: x, (w unused), partials, dy.
  const fields = [
    kind,
    aOff,
    filter ? 0 : bOff,
    filter ? 0 : outOff,
    filter ? bOff : 0,
    g.batch,
    g.inChannels,
    g.inH,
    g.inW,
    g.outChannels,
    g.outH,
    g.outW,
    g.kernelH,
    g.kernelW,
    g.strideH,
    g.strideW,
    g.padH,
    g.padW,
    g.dilationH,
    g.dilationW,
    g.groups,
    per,
    scratch,
    stride,
    rows,
    ogPad,
    bias ? biasOff : 0,
    act,
  ];
  new Int32Array(buffer, desc, fields.length).set(fields);
  const partials: Float32Array[] = [];
  if (filter) {
    const at = kind === DIRECT_FILTER ? 0 : 4 * kg * rows * g.outW;
    for (let t = 0; t < threads; t++) {
      const p = new Float32Array(buffer, scratch + t * stride + at, partialFloats);
      p.fill(0);
      partials.push(p);
    }
  }
  runConvChunks(engine.memory, desc, chunks);
  return { result: new Float32Array(engine.memory.buffer, outOff, outFloats), partials };
}

/** Activation codes of the descriptor (assembly/conv.ts, field 27). */
const ACT_CODES = { relu: 1, sigmoid: 2 } as const;

/**
 * conv2d (kernels.ts) on WebAssembly for float32, the bias and activation applied to each image's
 * output while it is in cache (one pass and one copy out instead of three of each); the reference
 * kernel otherwise. Outputs shorter than the sigmoid kernel's minimum take the reference sigmoid,
 * as the separate op would.
 */
export function conv2d(
  x: TypedArray,
  w: TypedArray,
  out: TypedArray,
  g: Conv2dGeometry,
  bias?: TypedArray | null,
  act?: ConvActivation | null,
): void {
  if (
    x instanceof Float32Array &&
    w instanceof Float32Array &&
    out instanceof Float32Array &&
    (!bias || bias instanceof Float32Array)
  ) {
    if (out.length === 0) return;
    const late = act === 'sigmoid' && out.length < SIGMOID_MIN;
    const code = act && !late ? ACT_CODES[act] : 0;
    const b = bias ?? null;
    const direct = directForward(g) ? directWeights(w, g) : undefined;
    const r = direct
      ? runJob(DIRECT, g, x, direct.data, out.length, direct.ogPad, b, code)
      : runJob(FORWARD, g, x, w, out.length, 0, b, code);
    if (r) {
      out.set(r.result);
      if (late) for (let i = 0; i < out.length; i++) out[i] = unaryFns.sigmoid(out[i]);
      return;
    }
  }
  cpuConv2d(x, w, out, g, bias, act);
}

/** conv2dBackwardData (kernels.ts) on WebAssembly for float32; the reference kernel otherwise. */
export function conv2dBackwardData(dy: TypedArray, w: TypedArray, dx: TypedArray, g: Conv2dGeometry): void {
  if (dy instanceof Float32Array && w instanceof Float32Array && dx instanceof Float32Array) {
    if (dx.length === 0) return;
    if (g.outH * g.outW === 0 || g.outChannels === 0) {
      dx.fill(0);
      return;
    }
    const r = runJob(BACKWARD_DATA, g, dy, w, dx.length);
    if (r) {
      dx.set(r.result);
      return;
    }
  }
  cpuConv2dBackwardData(dy, w, dx, g);
}

/** conv2dBackwardFilter (kernels.ts) on WebAssembly for float32; the reference kernel otherwise. */
export function conv2dBackwardFilter(x: TypedArray, dy: TypedArray, dw: TypedArray, g: Conv2dGeometry): void {
  if (x instanceof Float32Array && dy instanceof Float32Array && dw instanceof Float32Array) {
    if (dw.length === 0) return;
    if (g.outH * g.outW === 0 || g.batch === 0) {
      dw.fill(0);
      return;
    }
    const r = runJob(directFilter(g) ? DIRECT_FILTER : BACKWARD_FILTER, g, x, dy, 0);
    if (r) {
      const [first, ...rest] = r.partials;
      if (rest.length === 0) dw.set(first);
      else
        for (let i = 0; i < dw.length; i++) {
          let s = first[i];
          for (const p of rest) s += p[i];
          dw[i] = s;
        }
      return;
    }
  }
  cpuConv2dBackwardFilter(x, dy, dw, g);
}
