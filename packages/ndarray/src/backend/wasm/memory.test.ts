// The wasm backend's memory is given back: a WebAssembly memory can only grow, so a job larger than
// the 64 MiB kept between calls runs on a memory of its own, and a persistent memory found oversized
// is replaced (the worker threads' shared one by restarting them). Measured with wasmMemoryBytes(),
// the bytes the backend holds between calls. Calls the wasm kernels directly, so it runs the same
// under MINIMX_TEST_BACKEND=cpu.
import { afterEach, describe, expect, it } from 'vitest';
import { binary as cpuBinary } from '../cpu/elementwise.js';
import { matmul as cpuMatmul } from '../cpu/matmul.js';
import { binary } from './elementwise.js';
import {
  gemmF32,
  matmulWorkers,
  scratchEngine,
  setKeepMemoryBytes,
  setMatmulThreads,
  setThreadTestHooks,
  wasmAvailable,
  wasmMemoryBytes,
} from './gemm.js';

const MiB = 2 ** 20;

function values(n: number, seed: number): Float32Array {
  let s = seed;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

describe.runIf(wasmAvailable)('wasm backend memory', () => {
  afterEach(() => {
    setKeepMemoryBytes();
    setThreadTestHooks({ callerWorks: true });
    setMatmulThreads(-1);
  });

  it('gives back the memory of a float32 add larger than 64 MiB once it is done', () => {
    const n = 6 * MiB; // three 24 MiB arrays: 72 MiB of operands
    const a = values(n, 1);
    const b = values(n, 2);
    const out = new Float32Array(n);
    const before = wasmMemoryBytes();
    binary('add', a, [n], b, [n], out, [n]);
    expect(wasmMemoryBytes()).toBeLessThanOrEqual(Math.max(before, 64 * MiB));
    expect(out[0]).toBe(Math.fround(a[0] + b[0]));
    expect(out[n - 1]).toBe(Math.fround(a[n - 1] + b[n - 1]));
  });

  it('keeps a memory that grew past the limit only until the next job', () => {
    setKeepMemoryBytes(8 * MiB);
    // A job that grows the persistent memory beyond the limit (as a convolution's reserve may)...
    const engine = scratchEngine(4 * MiB);
    expect(engine).toBeDefined();
    const n = MiB; // 4 MiB per array
    const a = values(n, 3);
    const b = values(n, 4);
    const out = new Float32Array(n);
    const ref = new Float32Array(n);
    binary('mul', a, [n], b, [n], out, [n]); // 12 MiB: runs on a memory of its own
    cpuBinary('mul', a, [n], b, [n], ref, [n]);
    expect(out.every((v, i) => v === ref[i])).toBe(true);
    expect(wasmMemoryBytes()).toBeLessThanOrEqual(8 * MiB);
  });

  it('runs a single-threaded product too large to keep on a memory of its own, with the same result', () => {
    setMatmulThreads(0);
    setKeepMemoryBytes(2 * MiB);
    const [m, n, k] = [300, 320, 700]; // 2.5 MiB of operands and result
    const a = values(m * k, 5);
    const b = values(k * n, 6);
    const out = new Float32Array(m * n);
    const ref = new Float32Array(m * n);
    expect(gemmF32(a, b, out, 1, m, n, k, false, false)).toBe(true);
    cpuMatmul(a, b, ref, 1, m, n, k, false, false);
    expect(wasmMemoryBytes()).toBeLessThanOrEqual(4 * MiB);
    for (let i = 0; i < ref.length; i += 97) expect(Math.abs(out[i] - ref[i])).toBeLessThan(1e-3);
  });

  it('stops the worker threads after a threaded product that grew their shared memory past the limit', () => {
    setMatmulThreads(1);
    setThreadTestHooks({ callerWorks: true, minFlops: 1 });
    const [m, n, k] = [512, 512, 512]; // 3 MiB of operands and result
    const a = values(m * k, 7);
    const b = values(k * n, 8);
    const out = new Float32Array(m * n);
    gemmF32(a, b, out, 1, m, n, k, false, false); // starts the pool
    setKeepMemoryBytes(6 * MiB); // the pool's memory now holds about 3 MiB + scratch
    const big = 1024;
    const a2 = values(big * big, 9);
    const b2 = values(big * big, 10);
    const out2 = new Float32Array(big * big);
    expect(gemmF32(a2, b2, out2, 1, big, big, big, false, false)).toBe(true); // 12 MiB
    expect(wasmMemoryBytes()).toBeLessThanOrEqual(6 * MiB);
    expect(matmulWorkers()).toBe(0);
    for (const [i, j] of [
      [0, 0],
      [511, 700],
      [1023, 1023],
    ]) {
      let dot = 0;
      for (let p = 0; p < big; p++) dot += a2[i * big + p] * b2[p * big + j];
      expect(Math.abs(out2[i * big + j] - dot)).toBeLessThan(1e-3);
    }
  });
});
