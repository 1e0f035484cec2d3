/**
 * Float32 2-D pooling for the 'wasm' backend: max and average pooling and their gradients in loops
 * that only see Float32Array (the reference kernels of backend/cpu/pool.ts serve every dtype, call
 * a window helper per output and accumulate the gradient in a float64 scratch array). Max pooling
 * over the 2x2 stride-2 windows of LeNet, VGG and friends runs in WebAssembly SIMD
 * (assembly/pool.ts: branch-free, where JavaScript's comparisons mispredict on every other window
 * of real data), with a JavaScript loop where WebAssembly is unavailable; other windows walk their
 * clipped bounds. Same semantics as the reference: padding never wins a max and NaN never does either (a
 * window with nothing above the float32 lowest value gives that value, and its gradient goes
 * nowhere); the max gradient goes to the first row-major maximum; averages divide by the
 * reference's divisor. Sums of a window run in float64, in the reference's order, so outputs are
 * bit-identical; gradients too, except where overlapping windows add into one element (the
 * reference sums those in float64, this in float32).
 */
import type { TypedArray } from '../../dtype.js';
import { pool2d as cpuPool2d, pool2dBackward as cpuPool2dBackward } from '../cpu/pool.js';
import type { Pool2dGeometry, PoolKind } from '../kernels.js';
import { align, scratchEngine } from './gemm.js';

/** Below this many input elements the copies into WebAssembly memory cost more than they save. */
const WASM_MIN = 1024;

/**
 * Runs the 2x2 kernels in WebAssembly: copies `inputs` in (16 bytes of slack after each), calls
 * `run` with their offsets and the output's, copies `outFloats` floats out into `out`. False when
 * WebAssembly is unavailable.
 */
function inWasm(
  inputs: Float32Array[],
  out: Float32Array,
  run: (e: NonNullable<ReturnType<typeof scratchEngine>>['exports'], offsets: number[], o: number) => void,
): boolean {
  if (out.length < WASM_MIN) return false;
  const offsets: number[] = [];
  let at = 64;
  for (const a of inputs) {
    offsets.push(at);
    at = align(at + a.length * 4 + 16);
  }
  const engine = scratchEngine(at + out.length * 4 + 16);
  if (!engine) return false;
  inputs.forEach((a, i) => {
    engine.f32.set(a, offsets[i] >> 2);
  });
  run(engine.exports, offsets, at);
  out.set(engine.f32.subarray(at >> 2, (at >> 2) + out.length));
  return true;
}

/** The float32 lowest finite value, MXNet's MinValue for float32. */
const LOWEST = -3.4028234663852886e38;

/** Whether the geometry is the common 2x2 window with stride 2 and no padding over an even image. */
function isTwoByTwo(g: Pool2dGeometry): boolean {
  return (
    g.kernelH === 2 &&
    g.kernelW === 2 &&
    g.strideH === 2 &&
    g.strideW === 2 &&
    g.padH === 0 &&
    g.padW === 0 &&
    g.outH * 2 <= g.inH &&
    g.outW * 2 <= g.inW
  );
}

/** max of 2x2 windows: out[p, i, j] = max of x[p, 2i..2i+1, 2j..2j+1], NaN never winning. */
function max2x2(x: Float32Array, out: Float32Array, g: Pool2dGeometry): void {
  const planes = g.batch * g.channels;
  const { inH, inW, outH, outW } = g;
  let o = 0;
  for (let pl = 0; pl < planes; pl++) {
    const base = pl * inH * inW;
    for (let i = 0; i < outH; i++) {
      const r0 = base + 2 * i * inW;
      const r1 = r0 + inW;
      for (let j = 0; j < outW; j++, o++) {
        let best = LOWEST;
        const a = x[r0 + 2 * j];
        const b = x[r0 + 2 * j + 1];
        const c = x[r1 + 2 * j];
        const d = x[r1 + 2 * j + 1];
        if (a > best) best = a;
        if (b > best) best = b;
        if (c > best) best = c;
        if (d > best) best = d;
        out[o] = best;
      }
    }
  }
}

/** The gradient of max2x2: each dy to the first row-major maximum of its window (dx zeroed here). */
function max2x2Backward(x: Float32Array, dy: Float32Array, dx: Float32Array, g: Pool2dGeometry): void {
  dx.fill(0);
  const planes = g.batch * g.channels;
  const { inH, inW, outH, outW } = g;
  let o = 0;
  for (let pl = 0; pl < planes; pl++) {
    const base = pl * inH * inW;
    for (let i = 0; i < outH; i++) {
      const r0 = base + 2 * i * inW;
      const r1 = r0 + inW;
      for (let j = 0; j < outW; j++, o++) {
        let best = LOWEST;
        let at = -1;
        const p = r0 + 2 * j;
        const q = r1 + 2 * j;
        if (x[p] > best) {
          best = x[p];
          at = p;
        }
        if (x[p + 1] > best) {
          best = x[p + 1];
          at = p + 1;
        }
        if (x[q] > best) {
          best = x[q];
          at = q;
        }
        if (x[q + 1] > best) at = q + 1;
        if (at >= 0) dx[at] += dy[o];
      }
    }
  }
}

/**
 * Visits every window: `visit(base, h0, h1, w0, w1, divisor, o)` with the window's in-bounds rows
 * [h0, h1) and columns [w0, w1) of the plane starting at `base`, the reference's average divisor,
 * and the output index.
 */
function forEachWindow(
  g: Pool2dGeometry,
  countIncludePad: boolean,
  visit: (base: number, h0: number, h1: number, w0: number, w1: number, divisor: number, o: number) => void,
): void {
  const planes = g.batch * g.channels;
  let o = 0;
  for (let pl = 0; pl < planes; pl++) {
    const base = pl * g.inH * g.inW;
    for (let oh = 0; oh < g.outH; oh++) {
      const hs = oh * g.strideH - g.padH;
      const he = Math.min(hs + g.kernelH, g.inH + g.padH);
      const h0 = Math.max(hs, 0);
      const h1 = Math.min(he, g.inH);
      for (let ow = 0; ow < g.outW; ow++, o++) {
        const ws = ow * g.strideW - g.padW;
        const we = Math.min(ws + g.kernelW, g.inW + g.padW);
        const w0 = Math.max(ws, 0);
        const w1 = Math.min(we, g.inW);
        const divisor = countIncludePad
          ? Math.max(0, he - hs) * Math.max(0, we - ws)
          : Math.max(0, h1 - h0) * Math.max(0, w1 - w0);
        visit(base, h0, h1, w0, w1, divisor, o);
      }
    }
  }
}

function poolGeneral(
  kind: PoolKind,
  x: Float32Array,
  out: Float32Array,
  g: Pool2dGeometry,
  cip: boolean,
): void {
  const inW = g.inW;
  if (kind === 'max')
    forEachWindow(g, cip, (base, h0, h1, w0, w1, _d, o) => {
      let best = LOWEST;
      for (let h = h0; h < h1; h++)
        for (let w = w0, r = base + h * inW; w < w1; w++) {
          const v = x[r + w];
          if (v > best) best = v;
        }
      out[o] = best;
    });
  else
    forEachWindow(g, cip, (base, h0, h1, w0, w1, divisor, o) => {
      let sum = 0;
      for (let h = h0; h < h1; h++) for (let w = w0, r = base + h * inW; w < w1; w++) sum += x[r + w];
      out[o] = divisor === 0 ? Number.NaN : sum / divisor;
    });
}

function poolGeneralBackward(
  kind: PoolKind,
  x: Float32Array,
  dy: Float32Array,
  dx: Float32Array,
  g: Pool2dGeometry,
  cip: boolean,
): void {
  dx.fill(0);
  const inW = g.inW;
  if (kind === 'max')
    forEachWindow(g, cip, (base, h0, h1, w0, w1, _d, o) => {
      let best = LOWEST;
      let at = -1;
      for (let h = h0; h < h1; h++)
        for (let w = w0, r = base + h * inW; w < w1; w++)
          if (x[r + w] > best) {
            best = x[r + w];
            at = r + w;
          }
      if (at >= 0) dx[at] += dy[o];
    });
  else
    forEachWindow(g, cip, (base, h0, h1, w0, w1, divisor, o) => {
      if (divisor === 0) return;
      const share = dy[o] / divisor;
      for (let h = h0; h < h1; h++) for (let w = w0, r = base + h * inW; w < w1; w++) dx[r + w] += share;
    });
}

/** Windows overlap (an input element can receive gradient from several outputs). */
const overlaps = (g: Pool2dGeometry) => g.strideH < g.kernelH || g.strideW < g.kernelW;

/** pool2d (kernels.ts) for float32 in the loops above; the reference kernel otherwise. */
export function pool2d(
  kind: PoolKind,
  x: TypedArray,
  out: TypedArray,
  g: Pool2dGeometry,
  countIncludePad: boolean,
): void {
  if (!(x instanceof Float32Array && out instanceof Float32Array)) {
    cpuPool2d(kind, x, out, g, countIncludePad);
    return;
  }
  const planes = g.batch * g.channels;
  if (kind === 'max' && isTwoByTwo(g)) {
    const { inH, inW, outH, outW } = g;
    if (!inWasm([x], out, (e, [xo], o) => e.maxPool2x2(xo, o, planes, inH, inW, outH, outW)))
      max2x2(x, out, g);
  } else poolGeneral(kind, x, out, g, countIncludePad);
}

/**
 * pool2dBackward (kernels.ts) for float32 in the loops above; the reference kernel otherwise, and
 * for overlapping average windows, whose shares the reference sums in float64.
 */
export function pool2dBackward(
  kind: PoolKind,
  x: TypedArray,
  dy: TypedArray,
  dx: TypedArray,
  g: Pool2dGeometry,
  countIncludePad: boolean,
): void {
  if (
    !(x instanceof Float32Array && dy instanceof Float32Array && dx instanceof Float32Array) ||
    (kind === 'avg' && overlaps(g))
  ) {
    cpuPool2dBackward(kind, x, dy, dx, g, countIncludePad);
    return;
  }
  const planes = g.batch * g.channels;
  if (kind === 'max' && isTwoByTwo(g)) {
    const { inH, inW, outH, outW } = g;
    const ok = inWasm([x, dy], dx, (e, [xo, dyo], o) =>
      e.maxPool2x2Backward(xo, dyo, o, planes, inH, inW, outH, outW),
    );
    if (!ok) max2x2Backward(x, dy, dx, g);
  } else poolGeneralBackward(kind, x, dy, dx, g, countIncludePad);
}
