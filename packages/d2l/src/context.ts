/**
 * `tryGpu`, d2l 5.5's helper that picks a GPU when there is one and the CPU otherwise: it creates
 * a one-element array on `gpu(0)` and falls back to `cpu(0)` when that fails, as the book's does.
 * With no GPU backend in minimx yet, it returns `cpu(0)`.
 */
import { type Context, cpu, gpu, nd } from '@minimx/ndarray';

// #region tryGpu
/**
 * `gpu(0)` if an array can be created there, else `cpu(0)`. d2l 5.5: `d2l.try_gpu()`.
 * @example const ctx = d2l.tryGpu(); // cpu(0) on a machine without a GPU
 */
export function tryGpu(): Context {
  try {
    const ctx = gpu();
    nd.zeros([1], { ctx });
    return ctx;
  } catch {
    return cpu();
  }
}
// #endregion
