/**
 * Float32 arithmetic between an array and one value per channel for the 'wasm' backend: b of shape
 * (1, C, 1, 1) against (N, C, H, W), as a convolution adds its bias (and any operand that is 1
 * everywhere but on one contiguous block of middle axes). The general broadcasting loop of the
 * reference kernel walks an index per element; here each (image, channel) block is one SIMD loop
 * in WebAssembly (assembly/kernels.ts `channelF32`, copies included about twice as fast as a
 * JavaScript loop on LeNet's (256, 6, 24, 24)), or one tight JavaScript loop with the channel's
 * value in a local where WebAssembly is unavailable. Float32 + - * / round exactly as the
 * reference's float64-then-float32 does, so the results are bit-identical.
 */
import type { Shape } from '../../shape.js';
import type { BinaryOp } from '../kernels.js';
import { align, scratchEngine } from './gemm.js';

/** The operations with a loop here. */
const OPS: readonly BinaryOp[] = ['add', 'sub', 'mul', 'div'];

/**
 * out = x (op) y[c] (or y[c] (op) x when `swap`) for x viewed as (outer, mid, inner) and y as (mid).
 */
function channelLoop(
  op: BinaryOp,
  x: Float32Array,
  y: Float32Array,
  out: Float32Array,
  outer: number,
  mid: number,
  inner: number,
  swap: boolean,
): void {
  for (let o = 0, b = 0; o < outer; o++)
    for (let c = 0; c < mid; c++, b += inner) {
      const s = y[c];
      const e = b + inner;
      if (op === 'add') for (let i = b; i < e; i++) out[i] = x[i] + s;
      else if (op === 'mul') for (let i = b; i < e; i++) out[i] = x[i] * s;
      else if (op === 'sub') {
        if (swap) for (let i = b; i < e; i++) out[i] = s - x[i];
        else for (let i = b; i < e; i++) out[i] = x[i] - s;
      } else if (swap) for (let i = b; i < e; i++) out[i] = s / x[i];
      else for (let i = b; i < e; i++) out[i] = x[i] / s;
    }
}

/** out = x (op) y[c] in WebAssembly; false when it is unavailable. */
function channelWasm(
  op: BinaryOp,
  x: Float32Array,
  y: Float32Array,
  out: Float32Array,
  outer: number,
  mid: number,
  inner: number,
  swap: boolean,
): boolean {
  const xo = 64;
  const yo = align(xo + x.length * 4 + 16);
  const oo = align(yo + y.length * 4 + 16);
  const engine = scratchEngine(oo + out.length * 4 + 16);
  if (!engine) return false;
  engine.f32.set(x, xo >> 2);
  engine.f32.set(y.subarray(0, mid), yo >> 2);
  engine.exports.channelF32(OPS.indexOf(op), swap, xo, yo, oo, outer * mid, inner, mid);
  out.set(engine.f32.subarray(oo >> 2, (oo >> 2) + out.length));
  return true;
}

/** Axis i of `small` padded on the left with `lead` 1s. */
function dimAt(small: Shape, lead: number, i: number): number {
  return i < lead ? 1 : small[i - lead];
}

function sameDims(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The (outer, mid, inner) view when `small` (padded on the left with 1s) equals `o` on one
 * contiguous block of axes with axes of size > 1 on both sides, and is 1 elsewhere; else undefined.
 */
function middleBlock(small: Shape, o: Shape): [number, number, number] | undefined {
  const lead = o.length - small.length;
  if (lead < 0) return undefined;
  let i = 0;
  while (i < o.length && dimAt(small, lead, i) === 1) i++;
  let j = i;
  while (j < o.length && dimAt(small, lead, j) === o[j] && o[j] !== 1) j++;
  for (let k = j; k < o.length; k++) if (dimAt(small, lead, k) !== 1) return undefined;
  if (i === j) return undefined;
  let outer = 1;
  let mid = 1;
  let inner = 1;
  for (let k = 0; k < o.length; k++) {
    if (k < i) outer *= o[k];
    else if (k < j) mid *= o[k];
    else inner *= o[k];
  }
  return outer > 1 && inner > 1 ? [outer, mid, inner] : undefined;
}

/**
 * Runs out = a (op) b when one operand has the output's shape and the other one value per middle
 * block (a per-channel bias); returns false, doing nothing, for anything else.
 */
export function channelBinary(
  op: BinaryOp,
  a: Float32Array,
  aShape: Shape,
  b: Float32Array,
  bShape: Shape,
  out: Float32Array,
  outShape: Shape,
): boolean {
  if (!OPS.includes(op)) return false;
  if (sameDims(aShape, outShape)) {
    const v = middleBlock(bShape, outShape);
    if (!v) return false;
    if (!channelWasm(op, a, b, out, v[0], v[1], v[2], false))
      channelLoop(op, a, b, out, v[0], v[1], v[2], false);
    return true;
  }
  if (sameDims(bShape, outShape)) {
    const v = middleBlock(aShape, outShape);
    if (!v) return false;
    if (!channelWasm(op, b, a, out, v[0], v[1], v[2], true))
      channelLoop(op, b, a, out, v[0], v[1], v[2], true);
    return true;
  }
  return false;
}
