/**
 * SGD's plain step for the 'wasm' backend: float32 weights and gradients go through the module's
 * memory in chunks of 16384 floats (two 64 KiB windows above offset 64, so the memory never grows
 * for it), and assembly/optim.ts's sgdUpdateF32 updates each chunk two f64x2 pairs at a time with
 * the reference loop's arithmetic (float64, one rounding), so the weights are the same bit for bit.
 * Shorter arrays (biases), other dtypes and environments without WebAssembly take the reference
 * kernel, backend/cpu/optim.ts.
 */
import type { TypedArray } from '../../dtype.js';
import { sgdUpdate as cpuSgdUpdate } from '../cpu/optim.js';
import { scratchEngine } from './gemm.js';

/** Floats per chunk: the weight window and the gradient window each hold this many. */
const CHUNK = 16384;
const W_OFF = 64;
const G_OFF = W_OFF + CHUNK * 4;
/** Arrays shorter than this stay in JavaScript, where the copies would cost more than they save. */
const WASM_MIN = 256;

/** w[i] = w[i] - lr·(rescale·g[i]) in place: float32 on WebAssembly SIMD, anything else on the reference kernel. */
export function sgdUpdate(w: TypedArray, g: TypedArray, lr: number, rescale: number): void {
  const n = w.length;
  if (n >= WASM_MIN && w instanceof Float32Array && g instanceof Float32Array && g.length === n) {
    const engine = scratchEngine(G_OFF + CHUNK * 4);
    if (engine) {
      const { f32, exports } = engine;
      for (let s = 0; s < n; s += CHUNK) {
        const e = Math.min(n, s + CHUNK);
        f32.set(w.subarray(s, e), W_OFF >> 2);
        f32.set(g.subarray(s, e), G_OFF >> 2);
        exports.sgdUpdateF32(W_OFF, G_OFF, e - s, lr, rescale);
        w.set(f32.subarray(W_OFF >> 2, (W_OFF >> 2) + e - s), s);
      }
      return;
    }
  }
  cpuSgdUpdate(w, g, lr, rescale);
}
