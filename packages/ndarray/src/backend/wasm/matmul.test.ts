// The WebAssembly matrix product against a float64 reference: random shapes around the tile sizes,
// every transpose combination, batches, IEEE special values, the worker-thread split, and a check
// that the committed generated/kernels.wasm.ts matches what the AssemblyScript source compiles to.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matmul as cpuMatmul } from '../cpu/matmul.js';
import {
  matmulWorkerChunks,
  matmulWorkers,
  setMatmulThreads,
  setThreadTestHooks,
  setWasmKernelBuild,
  wasmAvailable,
  wasmKernelBuild,
} from './gemm.js';
import { matmul } from './index.js';

/** Deterministic uniform numbers in [-1, 1). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  };
}

interface Case {
  batch: number;
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
}

/** Float64 reference of one product, plus sum |a||b| per output for the error bound. */
function reference(a: Float32Array, b: Float32Array, c: Case): { value: Float64Array; scale: Float64Array } {
  const { batch, m, n, k, transA, transB } = c;
  const value = new Float64Array(batch * m * n);
  const scale = new Float64Array(batch * m * n);
  for (let t = 0; t < batch; t++)
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        let abs = 0;
        for (let p = 0; p < k; p++) {
          const av = a[t * m * k + (transA ? p * m + i : i * k + p)];
          const bv = b[t * k * n + (transB ? j * k + p : p * n + j)];
          s += av * bv;
          abs += Math.abs(av * bv);
        }
        value[t * m * n + i * n + j] = s;
        scale[t * m * n + i * n + j] = abs;
      }
  return { value, scale };
}

function check(c: Case, seed: number): void {
  const r = rng(seed);
  const a = Float32Array.from({ length: c.batch * c.m * c.k }, r);
  const b = Float32Array.from({ length: c.batch * c.k * c.n }, r);
  const out = new Float32Array(c.batch * c.m * c.n).fill(Number.NaN);
  matmul(a, b, out, c.batch, c.m, c.n, c.k, c.transA, c.transB);
  const { value, scale } = reference(a, b, c);
  let worst = 0;
  for (let i = 0; i < out.length; i++) {
    // float32 accumulation: error at most about k ulps of sum |a||b|.
    const err = Math.abs(out[i] - value[i]) / (c.k * 2 ** -23 * scale[i] + 1e-30);
    if (!(err <= 1)) worst = Math.max(worst, Number.isNaN(err) ? Infinity : err);
  }
  expect(worst, `${JSON.stringify(c)}`).toBe(0);
}

/**
 * What every route of the WebAssembly kernel computes, in float32: C(i,j) summed over p in
 * ascending order within k blocks of blockSize(k, 384) (one rounding per step with fused
 * multiply-add, two without), each block's sum added to C. Float32 products are exact in float64,
 * so `fround(a * b + acc)` is the fused step (double rounding aside, which these inputs never hit).
 */
function blockedSum(a: Float32Array, b: Float32Array, c: Case, fused: boolean): Float32Array {
  const { m, n, k, transA, transB } = c;
  const blocks = Math.ceil(k / 384);
  const kcb = Math.ceil(k / blocks);
  const out = new Float32Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let cv = 0;
      for (let pc = 0; pc < k; pc += kcb) {
        let acc = 0;
        for (let p = pc; p < Math.min(pc + kcb, k); p++) {
          const av = a[transA ? p * m + i : i * k + p];
          const bv = b[transB ? j * k + p : p * n + j];
          acc = fused ? Math.fround(av * bv + acc) : Math.fround(acc + Math.fround(av * bv));
        }
        cv = pc === 0 ? acc : Math.fround(cv + acc);
      }
      out[i * n + j] = cv;
    }
  return out;
}

/** Checks the kernel's result against blockedSum bit for bit. */
function checkExact(c: Case, seed: number, fused: boolean): void {
  const r = rng(seed);
  const a = Float32Array.from({ length: c.m * c.k }, r);
  const b = Float32Array.from({ length: c.k * c.n }, r);
  const out = new Float32Array(c.m * c.n).fill(Number.NaN);
  matmul(a, b, out, 1, c.m, c.n, c.k, c.transA, c.transB);
  const want = blockedSum(a, b, c, fused);
  let differ = 0;
  for (let i = 0; i < out.length; i++) if (!Object.is(out[i], want[i])) differ++;
  expect(differ, `${JSON.stringify(c)}: elements that differ from the in-order sum`).toBe(0);
}

const combos = [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
] as const;

describe('wasm kernel builds', () => {
  it('loads WebAssembly SIMD in Node, the relaxed-SIMD build where V8 has it (Node 20 behind a flag it sets)', () => {
    expect(wasmAvailable).toBe(true);
    // test/setup-backend.ts may have switched the build for the whole run.
    expect(wasmKernelBuild()).toBe(process.env.MINIMX_TEST_WASM_BUILD ?? 'relaxed-simd');
  });
});

// Every test runs on both builds: the fused multiply-add kernels and the multiply-then-add ones.
describe.each(['relaxed-simd', 'simd'] as const)('wasm matmul (%s build)', (build) => {
  const initial = wasmKernelBuild();
  beforeAll(() => {
    setWasmKernelBuild(build === 'relaxed-simd');
    expect(wasmKernelBuild()).toBe(build);
  });
  afterAll(() => setWasmKernelBuild(initial === 'relaxed-simd'));

  it('matches a float64 reference on edge sizes for every transpose combination', () => {
    const sizes = [1, 2, 3, 4, 5, 7, 8, 11, 12, 13, 16, 23, 25, 33, 47, 64, 70];
    const r = rng(7);
    const pick = () => sizes[Math.floor(((r() + 1) / 2) * sizes.length)];
    let seed = 1;
    for (const [transA, transB] of combos) {
      for (const m of [1, 3, 4, 5, 70, 121])
        for (const n of [1, 12, 13, 70]) check({ batch: 1, m, n, k: 9, transA, transB }, seed++);
      for (let i = 0; i < 40; i++)
        check({ batch: 1, m: pick(), n: pick(), k: pick(), transA, transB }, seed++);
    }
  });

  it('handles batches, long k (several k blocks) and the training shapes', () => {
    for (const [transA, transB] of combos) {
      check({ batch: 3, m: 9, n: 14, k: 6, transA, transB }, 11);
      check({ batch: 1, m: 17, n: 29, k: 800, transA, transB }, 12);
      check({ batch: 1, m: 64, n: 10, k: 784, transA, transB }, 13);
      // two blocks of rows of A (120 each) and of k (384 each), with partial panels of 3 rows
      check({ batch: 1, m: 241, n: 40, k: 500, transA, transB }, 15);
      // narrow outputs (the 8 x 5 tiles of a transposed A) with leftover rows and a padded column group
      check({ batch: 2, m: 37, n: 7, k: 70, transA, transB }, 14);
    }
  });

  it('sums every output over p in order in the same k blocks on every route, bit for bit', () => {
    const fused = build === 'relaxed-simd';
    let seed = 100;
    // Ten columns, A not transposed: 4 x 10 tiles and the last m % 4 rows (gemmTen), also with
    // several k blocks; with A transposed, the 8 x 5 tiles of gemmNarrowT (k in one block).
    for (const m of [4, 5, 6, 7, 8, 10, 13, 23, 256])
      for (const [transA, transB] of combos)
        for (const k of transA ? [9, 256] : [1, 9, 385, 784])
          if (m * k <= 70000) checkExact({ batch: 1, m, n: 10, k, transA, transB }, seed++, fused);
    // At most 16 rows with B row-major, B read in place (gemmSmallM): partial row panels (m % 5)
    // and column panels (n % 8), several k blocks; with B transposed, the 3 x 12 kernel.
    for (const m of [1, 2, 3, 5, 9, 10, 11, 16])
      for (const n of [1, 7, 8, 9, 16, 17, 100])
        for (const [transA, transB] of combos) {
          checkExact({ batch: 1, m, n, k: 13, transA, transB }, seed++, fused);
          if (n === 17) checkExact({ batch: 1, m, n, k: 800, transA, transB }, seed++, fused);
        }
    // Taller than 16 rows and wider than 48 columns: blocked 6 x 8 (relaxed) or 5 x 8 tiles
    // (gemmBlocked58), with partial tiles, two blocks of A rows (120 each), two of k and two of B
    // columns (1020 each).
    for (const [transA, transB] of combos) {
      for (const [m, n] of [
        [17, 49],
        [23, 57],
        [64, 256],
        [121, 50],
      ])
        checkExact({ batch: 1, m, n, k: 21, transA, transB }, seed++, fused);
      checkExact({ batch: 1, m: 26, n: 51, k: 390, transA, transB }, seed++, fused);
      checkExact({ batch: 1, m: 18, n: 1030, k: 3, transA, transB }, seed++, fused);
      // at most 48 columns (other than 10): the 3 x 12 kernel of gemmInto
      for (const n of [9, 11, 12, 13, 25, 48])
        checkExact({ batch: 1, m: 40, n, k: 30, transA, transB }, seed++, fused);
    }
  });

  it('sets the output to zero when k = 0 and leaves empty outputs alone', () => {
    const out = new Float32Array(6).fill(5);
    matmul(new Float32Array(0), new Float32Array(0), out, 1, 2, 3, 0, false, false);
    expect([...out]).toEqual([0, 0, 0, 0, 0, 0]);
    matmul(new Float32Array(0), new Float32Array(6), new Float32Array(0), 1, 0, 3, 2, false, false);
  });

  it('propagates NaN and Inf as IEEE does (0 * Inf is NaN)', () => {
    for (const kernel of [matmul, cpuMatmul]) {
      // a = [[0, 1], [2, 3]], b = [[Inf, 1], [1, NaN]] -> row 0: [0*Inf + 1, 0 + NaN]
      const a = new Float32Array([0, 1, 2, 3]);
      const b = new Float32Array([Infinity, 1, 1, Number.NaN]);
      const out = new Float32Array(4);
      kernel(a, b, out, 1, 2, 2, 2, false, false);
      expect(Number.isNaN(out[0])).toBe(true);
      expect(Number.isNaN(out[1])).toBe(true);
      expect(out[2]).toBe(Infinity);
      expect(Number.isNaN(out[3])).toBe(true);
      const z = new Float32Array(4);
      kernel(z, new Float32Array([1, -Infinity, 2, 3]), out, 1, 2, 2, 2, false, false);
      expect(Number.isNaN(out[1])).toBe(true);
      expect(out[0]).toBe(0);
    }
  });

  it('falls back to the reference kernel for other dtypes', () => {
    const out = new Float64Array(1);
    matmul(new Float64Array([1e-10, 1]), new Float64Array([1, 1e20]), out, 1, 1, 1, 2, false, false);
    expect(out[0]).toBe(1e20 + 1e-10);
  });

  it('splits large products between worker threads with the same results', async () => {
    setMatmulThreads(1);
    const start = new Float32Array(256 * 256);
    matmul(start, start, new Float32Array(256 * 256), 1, 256, 256, 256, false, false);
    for (let i = 0; i < 200 && matmulWorkers() === 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect(matmulWorkers()).toBe(1);
    // Every product uses the threads, first computed by the worker alone, then shared.
    for (const callerWorks of [false, true]) {
      setThreadTestHooks({ callerWorks, minFlops: 0 });
      for (const [transA, transB] of combos) {
        check({ batch: 2, m: 30, n: 250, k: 50, transA, transB }, 21);
        check({ batch: 1, m: 301, n: 25, k: 20, transA, transB }, 22);
        check({ batch: 3, m: 9, n: 97, k: 9, transA, transB }, 23);
        check({ batch: 1, m: 1, n: 1, k: 1, transA, transB }, 24);
        // tall enough for row ranges although wide enough for column ranges
        check({ batch: 1, m: 600, n: 100, k: 20, transA, transB }, 26);
        // ten columns in row ranges (4 x 10 tiles, or 8 x 5 with A transposed), and few rows
        check({ batch: 1, m: 603, n: 10, k: 30, transA, transB }, 27);
        check({ batch: 2, m: 10, n: 700, k: 30, transA, transB }, 28);
      }
    }
    expect(matmulWorkerChunks()).toBeGreaterThan(0);
    // more chunks than the claim counter holds: done on this thread
    check({ batch: 70000, m: 1, n: 1, k: 2, transA: false, transB: true }, 25);
    setThreadTestHooks({ callerWorks: true });
    setMatmulThreads(-1);
  });
});

describe('generated wasm', () => {
  it('is up to date with assembly/kernels.ts', () => {
    const script = fileURLToPath(new URL('../../../scripts/build-wasm.mjs', import.meta.url));
    expect(() => execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe' })).not.toThrow();
    // Compiling the module four ways takes 30-46 s when the machine's two cores are shared.
  }, 240_000);
});
