/**
 * Reference CPU kernels of 2-D max and average pooling over NCHW data and their gradients, with
 * the semantics of MXNet's src/operator/nn/pool.h. Window (oh, ow) starts at row
 * hs = oh·strideH - padH and column ws = ow·strideW - padW and spans kernelH x kernelW.
 *
 * - max: the largest in-bounds element (padding is never a candidate, and NaN never wins, as in
 *   MXNet's `>` comparison). A window with no in-bounds element (possible when pad >= kernel or in
 *   the 'full' convention) gives the dtype's lowest finite value, MXNet's `MinValue`
 *   (-3.4028234663852886e38 in float32, -Number.MAX_VALUE in float64), and its gradient goes nowhere.
 *   The gradient goes to the first in-bounds element, row-major, that holds the maximum.
 * - avg: the sum of the in-bounds elements divided by
 *   - with countIncludePad: the window clipped to the padded extent, i.e.
 *     (min(hs + kernelH, inH + padH) - hs) · (min(ws + kernelW, inW + padW) - ws), so padding counts
 *     but a window reaching past the padding (the 'full' convention) is not counted beyond it;
 *   - without: the number of in-bounds elements of the window.
 *   A divisor of zero (no element to count) gives NaN. The gradient adds dy / divisor to every
 *   in-bounds element of the window.
 * Sums are accumulated in float64.
 */
import type { TypedArray } from '../../dtype.js';
import type { Pool2dGeometry, PoolKind } from '../kernels.js';

let scratch = new Float64Array(0);

/** The lowest finite value of the output's dtype (MXNet's MinValue). */
function lowest(out: TypedArray): number {
  return out instanceof Float32Array ? -3.4028234663852886e38 : -Number.MAX_VALUE;
}

/** The window of output (oh, ow): its in-bounds rows [h0, h1) and columns [w0, w1), and the average's divisor. */
interface Window {
  h0: number;
  h1: number;
  w0: number;
  w1: number;
  divisor: number;
}

function window(g: Pool2dGeometry, oh: number, ow: number, countIncludePad: boolean, win: Window): void {
  const hs = oh * g.strideH - g.padH;
  const ws = ow * g.strideW - g.padW;
  const he = Math.min(hs + g.kernelH, g.inH + g.padH);
  const we = Math.min(ws + g.kernelW, g.inW + g.padW);
  win.h0 = Math.max(hs, 0);
  win.w0 = Math.max(ws, 0);
  win.h1 = Math.min(he, g.inH);
  win.w1 = Math.min(we, g.inW);
  win.divisor = countIncludePad
    ? Math.max(0, he - hs) * Math.max(0, we - ws)
    : Math.max(0, win.h1 - win.h0) * Math.max(0, win.w1 - win.w0);
}

/** Index (in the whole array) of the first row-major maximum of the window, or -1 if it has no element above `lowest`. */
function argmaxOf(x: TypedArray, base: number, inW: number, win: Window, floor: number): number {
  let best = floor;
  let at = -1;
  for (let h = win.h0; h < win.h1; h++)
    for (let w = win.w0; w < win.w1; w++) {
      const v = x[base + h * inW + w];
      if (v > best) {
        best = v;
        at = base + h * inW + w;
      }
    }
  return at;
}

/** out (N, C, outH, outW) = the max or average of each window of x (N, C, inH, inW). */
export function pool2d(
  kind: PoolKind,
  x: TypedArray,
  out: TypedArray,
  g: Pool2dGeometry,
  countIncludePad: boolean,
): void {
  const win: Window = { h0: 0, h1: 0, w0: 0, w1: 0, divisor: 0 };
  const floor = lowest(out);
  for (let nc = 0; nc < g.batch * g.channels; nc++) {
    const base = nc * g.inH * g.inW;
    for (let oh = 0; oh < g.outH; oh++)
      for (let ow = 0; ow < g.outW; ow++) {
        window(g, oh, ow, countIncludePad, win);
        const oi = (nc * g.outH + oh) * g.outW + ow;
        if (kind === 'max') {
          const at = argmaxOf(x, base, g.inW, win, floor);
          out[oi] = at < 0 ? floor : x[at];
        } else {
          let sum = 0;
          for (let h = win.h0; h < win.h1; h++)
            for (let w = win.w0; w < win.w1; w++) sum += x[base + h * g.inW + w];
          out[oi] = win.divisor === 0 ? Number.NaN : sum / win.divisor;
        }
      }
  }
}

/** dx (N, C, inH, inW): each dy routed to its window's first maximum (max) or spread over the divisor (avg). */
export function pool2dBackward(
  kind: PoolKind,
  x: TypedArray,
  dy: TypedArray,
  dx: TypedArray,
  g: Pool2dGeometry,
  countIncludePad: boolean,
): void {
  if (scratch.length < dx.length) scratch = new Float64Array(dx.length);
  const acc = scratch.subarray(0, dx.length);
  acc.fill(0);
  const win: Window = { h0: 0, h1: 0, w0: 0, w1: 0, divisor: 0 };
  const floor = lowest(dx);
  for (let nc = 0; nc < g.batch * g.channels; nc++) {
    const base = nc * g.inH * g.inW;
    for (let oh = 0; oh < g.outH; oh++)
      for (let ow = 0; ow < g.outW; ow++) {
        window(g, oh, ow, countIncludePad, win);
        const d = dy[(nc * g.outH + oh) * g.outW + ow];
        if (kind === 'max') {
          const at = argmaxOf(x, base, g.inW, win, floor);
          if (at >= 0) acc[at] += d;
        } else if (win.divisor > 0) {
          const share = d / win.divisor;
          for (let h = win.h0; h < win.h1; h++)
            for (let w = win.w0; w < win.w1; w++) acc[base + h * g.inW + w] += share;
        }
      }
  }
  for (let i = 0; i < dx.length; i++) dx[i] = acc[i];
}
