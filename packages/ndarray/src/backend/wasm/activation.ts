/**
 * Float32 sigmoid for the 'wasm' backend: 4 lanes at a time in WebAssembly (assembly/kernels.ts,
 * `sigmoidF32`), from e^-|x| with a float32 polynomial, branch-free. The reference computes
 * `1 / (1 + Math.exp(-x))` (or its mirror for x < 0) in float64, about 8-15 ns per element with a
 * branch that mispredicts on data of mixed signs; LeNet applies it to 1.2 million values per
 * forward pass. Results are within a few float32 ulps of the reference's (tested), not bit-identical.
 * Also the sigmoid's gradient from its output, dy · y(1 - y), in one pass (`sigmoidBackwardF32`)
 * rather than the three element-wise passes of the composite, with the composite's float32 roundings.
 */
import { align, scratchEngine } from './gemm.js';

/** Arrays shorter than this stay on the reference kernel (the copies would cost more). */
export const SIGMOID_MIN = 256;

/**
 * out = sigmoid(x) on float32 arrays of the same length, through WebAssembly; false (nothing done)
 * when the array is short or WebAssembly is unavailable.
 */
export function sigmoidF32(x: Float32Array, out: Float32Array): boolean {
  const n = out.length;
  if (n < SIGMOID_MIN || x.length !== n) return false;
  const xo = 64;
  const oo = align(xo + n * 4 + 16);
  const engine = scratchEngine(oo + n * 4 + 16);
  if (!engine) return false;
  engine.f32.set(x, xo >> 2);
  engine.exports.sigmoidF32(xo, oo, n);
  out.set(engine.f32.subarray(oo >> 2, (oo >> 2) + n));
  return true;
}

/**
 * out = dy · y · (1 - y) on float32 arrays of one length, through WebAssembly; false (nothing done)
 * when the arrays are short or WebAssembly is unavailable.
 */
export function sigmoidBackwardF32(y: Float32Array, dy: Float32Array, out: Float32Array): boolean {
  const n = out.length;
  if (n < SIGMOID_MIN || y.length !== n || dy.length !== n) return false;
  const yo = 64;
  const go = align(yo + n * 4 + 16);
  const oo = align(go + n * 4 + 16);
  const engine = scratchEngine(oo + n * 4 + 16);
  if (!engine) return false;
  engine.f32.set(y, yo >> 2);
  engine.f32.set(dy, go >> 2);
  engine.exports.sigmoidBackwardF32(yo, go, oo, n);
  out.set(engine.f32.subarray(oo >> 2, (oo >> 2) + n));
  return true;
}
