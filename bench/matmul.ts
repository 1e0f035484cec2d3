/**
 * Matrix-product micro-benchmark: GFLOP/s of each float32 matmul route on the shapes that training
 * the d2l softmax-regression and MLP models multiplies (batch 256, forward and backward), and 1024^3.
 * Routes: a naive triple loop, the reference TypeScript kernel (backend/cpu), WebAssembly SIMD on one
 * thread, and WebAssembly SIMD with worker threads. Run `npx tsx bench/matmul.ts`; `benchMatmul()` returns
 * the rows for a larger report.
 */

import { matmul as tsMatmul } from '../packages/ndarray/src/backend/cpu/matmul.js';
import type { Kernels } from '../packages/ndarray/src/backend/kernels.js';
import { matmulWorkers, setMatmulThreads } from '../packages/ndarray/src/backend/wasm/gemm.js';
import { matmul as wasmMatmul } from '../packages/ndarray/src/backend/wasm/index.js';

/** The kernel interface's matrix product (see packages/ndarray/src/backend/kernels.ts). */
type Matmul = Kernels['matmul'];

/** The textbook i-j-p loop, as a baseline. */
const naive: Matmul = (a, b, out, batch, m, n, k, transA, transB) => {
  for (let t = 0; t < batch; t++)
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++)
          s +=
            a[t * m * k + (transA ? p * m + i : i * k + p)] * b[t * k * n + (transB ? j * k + p : p * n + j)];
        out[t * m * n + i * n + j] = s;
      }
};

export interface MatmulShape {
  name: string;
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
}

/** The products of one training step (batch 256), named by what they compute. */
export const MATMUL_SHAPES: MatmulShape[] = [
  { name: 'softmax fwd X.W', m: 256, n: 10, k: 784, transA: false, transB: false },
  { name: 'softmax fwd X.Wt (Dense)', m: 256, n: 10, k: 784, transA: false, transB: true },
  { name: 'softmax dW = Xt.dY', m: 784, n: 10, k: 256, transA: true, transB: false },
  { name: 'mlp fwd X.W1t', m: 256, n: 256, k: 784, transA: false, transB: true },
  { name: 'mlp dW1 = dHt.X', m: 256, n: 784, k: 256, transA: true, transB: false },
  { name: 'mlp dX = dH.W1', m: 256, n: 784, k: 256, transA: false, transB: false },
  { name: 'mlp fwd H.W2t', m: 256, n: 10, k: 256, transA: false, transB: true },
  { name: 'mlp dW2 = dYt.H', m: 10, n: 256, k: 256, transA: true, transB: false },
  { name: 'mlp dH = dY.W2', m: 256, n: 256, k: 10, transA: false, transB: false },
  { name: '1024^3', m: 1024, n: 1024, k: 1024, transA: false, transB: false },
];

export interface MatmulRow {
  shape: string;
  /** GFLOP/s per route name. */
  gflops: Record<string, number>;
}

/** Best time of one call in ms, over about `budgetMs` of repeated calls. */
function time(fn: () => void, budgetMs: number): number {
  let t0 = performance.now();
  fn();
  const first = performance.now() - t0;
  if (first > budgetMs) return first;
  const reps = Math.max(1, Math.floor(budgetMs / 15 / Math.max(first, 1e-3)));
  let best = Number.POSITIVE_INFINITY;
  for (let s = 0; s < 15; s++) {
    t0 = performance.now();
    for (let r = 0; r < reps; r++) fn();
    best = Math.min(best, (performance.now() - t0) / reps);
  }
  return best;
}

/** GFLOP/s of every route on every shape (naive is skipped above `naiveMaxFlops`). */
export async function benchMatmul(
  options: { budgetMs?: number; naiveMaxFlops?: number } = {},
): Promise<MatmulRow[]> {
  const budget = options.budgetMs ?? 400;
  const naiveMax = options.naiveMaxFlops ?? 3e8;
  // Start the worker threads and wait until they are ready.
  const big = new Float32Array(512 * 512);
  wasmMatmul(big, big, new Float32Array(512 * 512), 1, 512, 512, 512, false, false);
  for (let i = 0; i < 400 && matmulWorkers() === 0; i++) await new Promise((r) => setTimeout(r, 10));
  const threads = matmulWorkers();
  const routes: [string, Matmul, number][] = [
    ['naive JS', naive, -1],
    ['TS blocked (cpu)', tsMatmul as Matmul, -1],
    ['wasm SIMD 1 thread', wasmMatmul as Matmul, 0],
    [`wasm SIMD default (${threads + 1} threads from 3e7 flop)`, wasmMatmul as Matmul, threads],
  ];
  const rows: MatmulRow[] = [];
  let seed = 1;
  const rand = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5;
  for (const s of MATMUL_SHAPES) {
    const a = Float32Array.from({ length: s.m * s.k }, rand);
    const b = Float32Array.from({ length: s.k * s.n }, rand);
    const out = new Float32Array(s.m * s.n);
    const flops = 2 * s.m * s.n * s.k;
    const gflops: Record<string, number> = {};
    for (const [name, fn, workers] of routes) {
      if (name === 'naive JS' && flops > naiveMax) continue;
      if (workers === 0) setMatmulThreads(0);
      const ms = time(() => fn(a, b, out, 1, s.m, s.n, s.k, s.transA, s.transB), budget);
      if (workers === 0) {
        setMatmulThreads(-1);
        wasmMatmul(big, big, new Float32Array(512 * 512), 1, 512, 512, 512, false, false);
        for (let i = 0; i < 400 && matmulWorkers() === 0; i++) await new Promise((r) => setTimeout(r, 10));
      }
      gflops[name] = flops / ms / 1e6;
    }
    rows.push({
      shape: `${s.name} (${s.m}x${s.k}${s.transA ? 'ᵀ' : ''} . ${s.k}x${s.n}${s.transB ? 'ᵀ' : ''})`,
      gflops,
    });
  }
  return rows;
}

/** The rows as a Markdown table. */
export function formatMatmul(rows: MatmulRow[]): string {
  const names = [...new Set(rows.flatMap((r) => Object.keys(r.gflops)))];
  const lines = [`| shape | ${names.join(' | ')} |`, `|---|${names.map(() => '---:').join('|')}|`];
  for (const r of rows)
    lines.push(
      `| ${r.shape} | ${names.map((n) => (n in r.gflops ? r.gflops[n].toFixed(1) : '-')).join(' | ')} |`,
    );
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(`matmul GFLOP/s, float32, Node ${process.version}`);
  console.log(formatMatmul(await benchMatmul()));
}
