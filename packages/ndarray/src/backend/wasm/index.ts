/**
 * The 'wasm' backend: the reference CPU kernels with the float32 matrix product replaced by the
 * WebAssembly SIMD kernel of gemm.ts (multi-threaded in Node for large products), and float32
 * element-wise ops by the specialised loops of elementwise.ts, float32 sums by those of reduce.ts. Other dtypes, and every environment
 * without WebAssembly SIMD, fall back to the reference kernels.
 */
import { matmul as cpuMatmul } from '../cpu/matmul.js';
import type { Kernels } from '../kernels.js';
import { binary, unary } from './elementwise.js';
import { gemmF32, setMatmulThreads, wasmAvailable } from './gemm.js';
import { reduce } from './reduce.js';

export { setMatmulThreads, wasmAvailable };

/** Batched matrix product: float32 on WebAssembly SIMD, anything else on the reference kernel. */
export const matmul: Kernels['matmul'] = (a, b, out, batch, m, n, k, transA, transB) => {
  if (
    a instanceof Float32Array &&
    b instanceof Float32Array &&
    out instanceof Float32Array &&
    gemmF32(a, b, out, batch, m, n, k, transA, transB)
  )
    return;
  cpuMatmul(a, b, out, batch, m, n, k, transA, transB);
};

/** The kernels this backend overrides; register it with `registerBackend(wasmBackend)`. */
export const wasmBackend: Partial<Kernels> & { name: string } = {
  name: 'wasm',
  matmul,
  unary,
  binary,
  reduce,
};
