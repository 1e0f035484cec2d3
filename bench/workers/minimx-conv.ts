/**
 * Convolution micro-benchmark worker for minimx: GFLOP/s of the wasm backend's convolution kernels
 * on the LeNet and ResNet-18 layer shapes of bench/conv.ts, forward and both gradients, with its
 * default threads and with one thread. Usage: `tsx workers/minimx-conv.ts [--ms-per-shape 300]`.
 */

import {
  matmulWorkers,
  setMatmulThreads,
  wasmKernelBuild,
} from '../../packages/ndarray/src/backend/wasm/gemm.js';
import { Args } from '../args.js';
import { benchConvKernels } from '../conv.js';
import { emit } from '../protocol.js';

const args = new Args(process.argv.slice(2));
const seconds = args.int('ms-per-shape', 300) / 1000;

// Start the workers (the first large job does) and wait until they are ready.
benchConvKernels(0.01);
for (let i = 0; i < 200 && matmulWorkers() === 0; i++) await new Promise((r) => setTimeout(r, 10));
const threaded = benchConvKernels(seconds);
const label = `wasm ${wasmKernelBuild()}, 1+${matmulWorkers()} threads`;
setMatmulThreads(0);
const single = benchConvKernels(seconds);
for (const [rows, backend] of [
  [threaded, label],
  [single, `wasm ${wasmKernelBuild()}, 1 thread`],
] as const)
  for (const r of rows) emit({ kind: 'conv', framework: 'minimx', backend, ...r });
