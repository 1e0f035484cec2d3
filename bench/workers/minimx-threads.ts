/**
 * The `--threads N` option of the minimx workers and the backend label they report: minimx's wasm
 * matmul may run large products on extra worker threads, which TF.js wasm in Node cannot, so every
 * minimx row says how many threads it was allowed and used. Uses internal knobs of the wasm backend
 * (not public API), imported by path as bench/matmul.ts does.
 */
import { getBackend } from '@minimx/ndarray';
import {
  matmulWorkers,
  setMatmulThreads,
  wasmKernelBuild,
} from '../../packages/ndarray/src/backend/wasm/gemm.js';
import type { Args } from '../args.js';

let configured: number | null = null;

/**
 * Applies `--threads N` (extra matmul worker threads; 0 = single-threaded) when given.
 * @example applyThreadsOption(new Args(['--threads', '0']))
 */
export function applyThreadsOption(args: Args): void {
  if (!args.has('threads')) return;
  configured = args.int('threads', 0);
  setMatmulThreads(configured);
}

/**
 * The backend's name for the report, with the kernel build: `wasm relaxed-simd, 1 thread`,
 * `wasm simd, 1+2 threads`, or `wasm relaxed-simd, auto threads (+1 started)`; other backends by name.
 */
export function minimxBackendLabel(): string {
  const name = getBackend();
  if (name !== 'wasm') return name;
  const wasm = `wasm ${wasmKernelBuild()}`;
  if (configured === 0) return `${wasm}, 1 thread`;
  if (configured !== null) return `${wasm}, 1+${configured} threads`;
  return `${wasm}, auto threads (+${matmulWorkers()} started)`;
}
