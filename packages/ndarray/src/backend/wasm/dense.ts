/**
 * The fully connected layer's fused bias and activation for the 'wasm' backend, on float32: the
 * product's rows go into WebAssembly once, get the bias (binaryF32, one row of values) and the
 * activation (unaryF32's relu or sigmoidF32) there in place, and come back once; the relu gradient's
 * mask and multiply likewise run on y and dy in WebAssembly memory. The separate add, relu, sigmoid,
 * comparison and multiply each copy their operands in and their result out (plus a fresh output
 * array each); these are the same WebAssembly kernels in the same order, so the values are theirs
 * bit for bit. Arrays shorter than the element-wise kernels' threshold, other dtypes and
 * environments without WebAssembly take the reference loops, as the separate kernels do.
 */

import type { TypedArray } from '../../dtype.js';
import { biasAct as cpuBiasAct, reluBackward as cpuReluBackward } from '../cpu/dense.js';
import type { ConvActivation } from '../kernels.js';
import { SIGMOID_MIN } from './activation.js';
import { align, scratchEngine } from './gemm.js';

/** The element-wise kernels' op codes and operand patterns (assembly/kernels.ts). */
const ADD = 0;
const MUL = 2;
const GREATER = 6;
const RELU = 0;
const FLAT = 0;
const SCALAR = 1;
const ROW = 2;
/** The separate kernels' WebAssembly threshold (elementwise.ts WASM_MIN, activation.ts SIGMOID_MIN). */
const WASM_MIN = 256;

/** out = act(x + bias[col]) for float32 in WebAssembly; false (nothing done) when it is unavailable. */
function biasActF32(
  x: Float32Array,
  rows: number,
  cols: number,
  bias: Float32Array | null,
  act: ConvActivation | null,
  out: Float32Array,
): boolean {
  const n = rows * cols;
  const xo = 64;
  const bo = align(xo + n * 4 + 16);
  const engine = scratchEngine(bo + cols * 4 + 16);
  if (!engine) return false;
  const { f32, exports: ex } = engine;
  f32.set(x.subarray(0, n), xo >> 2);
  if (bias) {
    f32.set(bias.subarray(0, cols), bo >> 2);
    ex.binaryF32(ADD, ROW, false, xo, bo, xo, n, cols);
  }
  if (act === 'relu') ex.unaryF32(RELU, xo, xo, n);
  else if (act === 'sigmoid') ex.sigmoidF32(xo, xo, n);
  out.set(f32.subarray(xo >> 2, (xo >> 2) + n));
  return true;
}

/** out (rows, cols) = act(x + bias[col]); see kernels.ts `biasAct`. */
export function biasAct(
  x: TypedArray,
  rows: number,
  cols: number,
  bias: TypedArray | null,
  act: ConvActivation | null,
  out: TypedArray,
): void {
  if (
    x instanceof Float32Array &&
    out instanceof Float32Array &&
    (bias === null || bias instanceof Float32Array) &&
    rows * cols >= WASM_MIN &&
    rows * cols >= SIGMOID_MIN &&
    biasActF32(x, rows, cols, bias, act, out)
  )
    return;
  cpuBiasAct(x, rows, cols, bias, act, out);
}

/** dz = dy · [y > 0] on float32 in WebAssembly (comparison, then multiply); false when unavailable. */
function reluBackwardF32(y: Float32Array, dy: Float32Array, dz: Float32Array): boolean {
  const n = dz.length;
  const zero = 64;
  const yo = 128;
  const go = align(yo + n * 4 + 16);
  const engine = scratchEngine(go + n * 4 + 16);
  if (!engine) return false;
  const { f32, exports: ex } = engine;
  f32[zero >> 2] = 0;
  f32.set(y.subarray(0, n), yo >> 2);
  f32.set(dy.subarray(0, n), go >> 2);
  ex.binaryF32(GREATER, SCALAR, false, yo, zero, yo, n, 0);
  ex.binaryF32(MUL, FLAT, false, go, yo, go, n, 0);
  dz.set(f32.subarray(go >> 2, (go >> 2) + n));
  return true;
}

/** dz = dy · [y > 0], the relu's gradient from its output, as the separate comparison and multiply give it. */
export function reluBackward(y: TypedArray, dy: TypedArray, dz: TypedArray): void {
  if (
    y instanceof Float32Array &&
    dy instanceof Float32Array &&
    dz instanceof Float32Array &&
    dz.length >= WASM_MIN &&
    reluBackwardF32(y, dy, dz)
  )
    return;
  cpuReluBackward(y, dy, dz);
}
