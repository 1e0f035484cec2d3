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
  composeBiasActBackward,
  conv2d as cpuConv2d,
  conv2dBackwardData as cpuConv2dBackwardData,
  conv2dBackwardFilter as cpuConv2dBackwardFilter,
} from '../cpu/conv.js';
import { sigmoidBackward as cpuSigmoidBackward, unaryFns } from '../cpu/elementwise.js';
import type { Conv2dGeometry, ConvActivation } from '../kernels.js';
import { SIGMOID_MIN, sigmoidBackwardF32 } from './activation.js';
import { align, convEngine, reserveMemory, runConvChunks } from './gemm.js';
import { reduce } from './reduce.js';

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
 * Filters per block of the direct forward: 3 (by 12 output columns) when the filters per group are
 * a multiple of 3 but not of 4, so that none is padding (LeNet's 6: blocks of 4 computed 8), else 4
 * (by 8 columns). CPU time of LeNet conv1's forward, interleaved, one thread: see
 * docs/performance.md.
 */
function directBlock(g: Conv2dGeometry): number {
  const og = g.outChannels / g.groups;
  return og % 4 !== 0 && og % 3 === 0 ? 3 : 4;
}

/**
 * The direct kernel's weights: (groups, ogPad, cg, kh, kw) with ogPad the output channels per group
 * rounded up to the block size, zero rows after the real ones.
 */
function directWeights(
  w: Float32Array,
  g: Conv2dGeometry,
  blockRows: number,
): { data: Float32Array; ogPad: number } {
  const og = g.outChannels / g.groups;
  const block = (g.inChannels / g.groups) * g.kernelH * g.kernelW;
  const ogPad = Math.ceil(og / blockRows) * blockRows;
  if (ogPad === og) return { data: w, ogPad };
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

type Engine = NonNullable<ReturnType<typeof convEngine>>;

/** The engine for a job of `flops` (threaded from CONV_THREAD_MIN_FLOPS, else the calling thread). */
function engineFor(flops: number): Engine | undefined {
  // Below the threshold, 0 asks for the calling thread (unless the test hooks thread everything).
  return convEngine(flops >= CONV_THREAD_MIN_FLOPS ? flops : 0);
}

/** Flops of one pass (2 per multiply-add; every pass does the same arithmetic). */
function passFlops(g: Conv2dGeometry): number {
  return 2 * g.batch * g.outChannels * g.outH * g.outW * (g.inChannels / g.groups) * g.kernelH * g.kernelW;
}

/** Scratch bytes one thread needs for a job of `kind`: column buffer and partial filter sums. */
function jobStride(kind: number, g: Conv2dGeometry): number {
  const kg = (g.inChannels / g.groups) * g.kernelH * g.kernelW;
  const partialFloats = kind === BACKWARD_FILTER || kind === DIRECT_FILTER ? g.outChannels * kg : 0;
  if (kind === DIRECT) return 192;
  if (kind === DIRECT_FILTER) return align(4 * partialFloats + 64);
  return align(4 * (kg * bandRows(g) * g.outW + partialFloats) + 64);
}

/**
 * Writes the descriptor of a job whose operands already sit in the engine's memory (a: x or dy,
 * b: w, or dy for the filter kinds; out: the output, unused by the filter kinds) at `desc` and runs
 * its chunks; returns the threads' zeroed-then-accumulated partial filter sums (filter kinds).
 */
function runPlaced(
  engine: Engine,
  kind: number,
  g: Conv2dGeometry,
  desc: number,
  scratch: number,
  stride: number,
  aOff: number,
  bOff: number,
  outOff: number,
  ogPad = 0,
  biasOff = 0,
  act = 0,
  blockRows = 4,
): Float32Array[] {
  const threads = engine.threads;
  const kg = (g.inChannels / g.groups) * g.kernelH * g.kernelW;
  const rows = bandRows(g);
  const filter = kind === BACKWARD_FILTER || kind === DIRECT_FILTER;
  const buffer = engine.memory.buffer;
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
    biasOff,
    act,
    blockRows,
  ];
  new Int32Array(buffer, desc, fields.length).set(fields);
  const partials: Float32Array[] = [];
  if (filter) {
    const at = kind === DIRECT_FILTER ? 0 : 4 * kg * rows * g.outW;
    for (let t = 0; t < threads; t++) {
      const p = new Float32Array(buffer, scratch + t * stride + at, g.outChannels * kg);
      p.fill(0);
      partials.push(p);
    }
  }
  runConvChunks(engine.memory, desc, chunks);
  return partials;
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
  blockRows = 4,
): { result: Float32Array; partials: Float32Array[] } | undefined {
  const engine = engineFor(passFlops(g));
  if (!engine) return undefined;
  const stride = jobStride(kind, g);
  const scratch = align(64 + engine.threads * engine.workBytes);
  const desc = align(scratch + engine.threads * stride);
  const aOff = align(desc + DESC_INTS * 4);
  const bOff = align(aOff + a.length * 4 + 64);
  const biasOff = align(bOff + b.length * 4 + 64);
  const outOff = align(biasOff + (bias ? bias.length * 4 + 64 : 0));
  const end = outOff + outFloats * 4 + 64;
  if (end > 2 ** 31 - 65536 || !reserveMemory(engine.memory, end)) return undefined;
  const f32 = new Float32Array(engine.memory.buffer);
  f32.set(a, aOff >> 2);
  f32.set(b, bOff >> 2);
  if (bias) f32.set(bias, biasOff >> 2);
  const partials = runPlaced(
    engine,
    kind,
    g,
    desc,
    scratch,
    stride,
    aOff,
    bOff,
    outOff,
    ogPad,
    bias ? biasOff : 0,
    act,
    blockRows,
  );
  return { result: new Float32Array(engine.memory.buffer, outOff, outFloats), partials };
}

/** dw = the sum of the threads' partial filter sums. */
function sumPartials(partials: Float32Array[], dw: Float32Array): void {
  const [first, ...rest] = partials;
  if (rest.length === 0) dw.set(first);
  else
    for (let i = 0; i < dw.length; i++) {
      let s = first[i];
      for (const p of rest) s += p[i];
      dw[i] = s;
    }
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
    const blockRows = directForward(g) ? directBlock(g) : 0;
    const direct = blockRows ? directWeights(w, g, blockRows) : undefined;
    const r = direct
      ? runJob(DIRECT, g, x, direct.data, out.length, direct.ogPad, b, code, blockRows)
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
      sumPartials(r.partials, dw);
      return;
    }
  }
  cpuConv2dBackwardFilter(x, dy, dw, g);
}

/** The export of assembly/conv.ts that starts the fused gradient (not in gemm.ts's export type). */
type ActBackward = (
  y: number,
  dy: number,
  dz: number,
  batch: number,
  channels: number,
  plane: number,
  act: number,
  sums: number,
) => void;

/**
 * The fused gradient in one WebAssembly job: x, w, y and dy are copied in once; dz and the float64
 * bias sums are computed there image by image (convActBackward), and the filter and data
 * gradients read dz where it lies, so dz is never a JavaScript array nor copied. False when the
 * memory cannot hold the job.
 */
function fusedBackward(
  x: Float32Array,
  w: Float32Array,
  y: Float32Array,
  dy: Float32Array,
  dx: Float32Array | null,
  dw: Float32Array | null,
  db: Float32Array | null,
  g: Conv2dGeometry,
  act: number,
): boolean {
  const engine = engineFor(passFlops(g));
  if (!engine) return false;
  const filterKind = directFilter(g) ? DIRECT_FILTER : BACKWARD_FILTER;
  const stride = Math.max(dw ? jobStride(filterKind, g) : 0, dx ? jobStride(BACKWARD_DATA, g) : 0, 64);
  const scratch = align(64 + engine.threads * engine.workBytes);
  const desc = align(scratch + engine.threads * stride);
  const xOff = align(desc + DESC_INTS * 4);
  const wOff = align(xOff + (dw ? x.length * 4 + 64 : 0));
  const yOff = align(wOff + (dx ? w.length * 4 + 64 : 0));
  const dyOff = align(yOff + (act ? y.length * 4 + 64 : 0));
  const dzOff = act ? align(dyOff + dy.length * 4 + 64) : dyOff;
  const sumsOff = align(dzOff + dy.length * 4 + 64);
  const dxOff = align(sumsOff + (db ? 8 * db.length + 64 : 0));
  const end = dxOff + (dx ? dx.length * 4 + 64 : 0);
  if (end > 2 ** 31 - 65536 || !reserveMemory(engine.memory, end)) return false;
  const buffer = engine.memory.buffer;
  const f32 = new Float32Array(buffer);
  if (dw) f32.set(x, xOff >> 2);
  if (dx) f32.set(w, wOff >> 2);
  if (act) f32.set(y, yOff >> 2);
  f32.set(dy, dyOff >> 2);
  if (db) new Float64Array(buffer, sumsOff, db.length).fill(0);
  if (act || db) {
    const start = (engine.exports as unknown as { convActBackward: ActBackward }).convActBackward;
    start(yOff, dyOff, dzOff, g.batch, g.outChannels, g.outH * g.outW, act, db ? sumsOff : 0);
  }
  if (dw) sumPartials(runPlaced(engine, filterKind, g, desc, scratch, stride, xOff, dzOff, 0), dw);
  if (dx) {
    runPlaced(engine, BACKWARD_DATA, g, desc, scratch, stride, dzOff, wOff, dxOff);
    dx.set(new Float32Array(buffer, dxOff, dx.length));
  }
  if (db) {
    const sums = new Float64Array(buffer, sumsOff, db.length);
    for (let c = 0; c < db.length; c++) db[c] = sums[c];
  }
  return true;
}

/** This backend's sigmoid gradient (float32 in WebAssembly, else the reference). */
function sigmoidBackward(y: TypedArray, dy: TypedArray, out: TypedArray): void {
  if (
    y instanceof Float32Array &&
    dy instanceof Float32Array &&
    out instanceof Float32Array &&
    sigmoidBackwardF32(y, dy, out)
  )
    return;
  cpuSigmoidBackward(y, dy, out);
}

const isF32OrNull = (a: TypedArray | null): a is Float32Array | null =>
  a === null || a instanceof Float32Array;

/**
 * conv2dBiasActBackward (kernels.ts) for float32 in one WebAssembly job (fusedBackward), with the
 * values of this backend's separate kernels bit for bit; small or empty arrays, where the
 * separate kernels take other paths, and other dtypes run those kernels one by one.
 */
export function conv2dBiasActBackward(
  x: TypedArray,
  w: TypedArray,
  y: TypedArray,
  dy: TypedArray,
  dx: TypedArray | null,
  dw: TypedArray | null,
  db: TypedArray | null,
  g: Conv2dGeometry,
  act: ConvActivation | null,
): void {
  if (
    x instanceof Float32Array &&
    w instanceof Float32Array &&
    y instanceof Float32Array &&
    dy instanceof Float32Array &&
    isF32OrNull(dx) &&
    isF32OrNull(dw) &&
    isF32OrNull(db) &&
    dy.length >= SIGMOID_MIN &&
    g.batch > 0 &&
    g.outChannels > 0 &&
    (!dx || dx.length > 0) &&
    (!dw || dw.length > 0) &&
    fusedBackward(x, w, y, dy, dx, dw, db, g, act ? ACT_CODES[act] : 0)
  )
    return;
  composeBiasActBackward(
    { sigmoidBackward, reduce, conv2dBackwardData, conv2dBackwardFilter },
    x,
    w,
    y,
    dy,
    dx,
    dw,
    db,
    g,
    act,
  );
}
