/**
 * Float32 matrix product on WebAssembly SIMD (the kernel is assembly/kernels.ts, compiled into
 * generated/kernels.wasm.ts). Operands are copied into the module's memory, multiplied there and the
 * result copied out; the copies cost O(mk + kn + mn) against O(mnk) arithmetic. In Node, products
 * of at least THREAD_MIN_FLOPS are split by columns (or rows) between this thread and worker threads
 * sharing the same memory; elsewhere (browsers, or without SharedArrayBuffer) everything runs here.
 */
import { kernelsSharedWasm, kernelsWasm, SHARED_MAX_PAGES } from './generated/kernels.wasm.js';

/** The tile sizes of the micro-kernel; thread splits are multiples of them. */
const MR = 4;
const NR = 12;
/** Products below this many floating-point operations never use worker threads. */
const THREAD_MIN_FLOPS = 2e7;
/** Int32 slots per worker in the control block: seq, done, 12 gemm arguments, error, ready. */
const SLOT = 16;
const PAGE = 65536;

interface GemmExports {
  gemm(...args: number[]): void;
  gemmWorkFloats(): number;
}

interface Engine {
  memory: WebAssembly.Memory;
  exports: GemmExports;
  /** Bytes of scratch space one gemm call needs. */
  workBytes: number;
}

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const s = atob(base64);
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
  return bytes;
}

function instantiate(module: WebAssembly.Module, memory: WebAssembly.Memory): Engine {
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as GemmExports;
  return { memory, exports, workBytes: exports.gemmWorkFloats() * 4 };
}

/** Compiles the single-threaded module, or returns undefined where WebAssembly SIMD is unavailable. */
function loadPlain(): Engine | undefined {
  try {
    if (typeof WebAssembly !== 'object') return undefined;
    const bytes = decode(kernelsWasm);
    if (!WebAssembly.validate(bytes)) return undefined;
    return instantiate(new WebAssembly.Module(bytes), new WebAssembly.Memory({ initial: 64 }));
  } catch {
    return undefined;
  }
}

const plain = loadPlain();

/** True when the WebAssembly SIMD kernels loaded (Node 16.4+, current browsers). */
export const wasmAvailable = plain !== undefined;

interface WorkerLike {
  unref(): void;
  terminate(): unknown;
  on(event: string, listener: (...args: unknown[]) => void): void;
}

interface Pool {
  engine: Engine;
  control: Int32Array;
  workers: number;
  threads: WorkerLike[];
  seq: number;
  broken: boolean;
}

let wantedWorkers = -1;
let pool: Pool | undefined;
let poolTried = false;

/** The worker's whole program: run gemm whenever its slot's sequence number moves. */
const workerSource = `
const { workerData } = require('node:worker_threads');
const { module, memory, control, slot } = workerData;
const { gemm } = new WebAssembly.Instance(module, { env: { memory } }).exports;
const c = new Int32Array(control);
const base = slot * ${SLOT};
let seen = Atomics.load(c, base);
Atomics.store(c, base + 15, 1);
for (;;) {
  Atomics.wait(c, base, seen);
  const s = Atomics.load(c, base);
  if (s === seen) continue;
  seen = s;
  try {
    gemm(c[base + 2], c[base + 3], c[base + 4], c[base + 5], c[base + 6], c[base + 7],
      c[base + 8], c[base + 9], c[base + 10], c[base + 11], c[base + 12], c[base + 13]);
  } catch (e) {
    Atomics.store(c, base + 14, 1);
  }
  Atomics.store(c, base + 1, s);
  Atomics.notify(c, base + 1);
}
`;

type Builtin = (id: string) => unknown;

/** Starts the worker threads (Node only); they become usable once each reports ready. */
function startPool(): Pool | undefined {
  poolTried = true;
  try {
    const getBuiltin = (globalThis as { process?: { getBuiltinModule?: Builtin } }).process?.getBuiltinModule;
    if (typeof getBuiltin !== 'function' || typeof SharedArrayBuffer !== 'function') return undefined;
    const wt = getBuiltin('node:worker_threads') as {
      Worker: new (src: string, opts: object) => WorkerLike;
    };
    const os = getBuiltin('node:os') as { availableParallelism?: () => number; cpus: () => unknown[] };
    const cores = os.availableParallelism?.() ?? os.cpus().length;
    const workers = wantedWorkers >= 0 ? wantedWorkers : Math.min(3, cores - 1);
    if (workers <= 0) return undefined;
    const bytes = decode(kernelsSharedWasm);
    const module = new WebAssembly.Module(bytes);
    const memory = new WebAssembly.Memory({ initial: 64, maximum: SHARED_MAX_PAGES, shared: true });
    const control = new Int32Array(new SharedArrayBuffer(SLOT * 4 * workers));
    const p: Pool = {
      engine: instantiate(module, memory),
      control,
      workers,
      threads: [],
      seq: 0,
      broken: false,
    };
    for (let slot = 0; slot < workers; slot++) {
      const w = new wt.Worker(workerSource, {
        eval: true,
        workerData: { module, memory, control: control.buffer, slot },
      });
      w.on('error', () => {
        p.broken = true;
      });
      w.unref();
      p.threads.push(w);
    }
    return p;
  } catch {
    return undefined;
  }
}

function poolReady(p: Pool): boolean {
  if (p.broken) return false;
  for (let w = 0; w < p.workers; w++) if (Atomics.load(p.control, w * SLOT + 15) !== 1) return false;
  return true;
}

/**
 * Sets how many worker threads large float32 products use: 0 keeps everything on the calling thread,
 * a negative number restores the default, min(3, cores - 1). Threads start at the next large product.
 * @example setMatmulThreads(0); // single-threaded WebAssembly
 */
export function setMatmulThreads(workers: number): void {
  wantedWorkers = workers < 0 ? -1 : Math.floor(workers);
  if (pool) for (const w of pool.threads) w.terminate();
  pool = undefined;
  poolTried = false;
}

/** How many worker threads are running and ready (0 before the first large product, or in browsers). */
export function matmulWorkers(): number {
  return pool && poolReady(pool) ? pool.workers : 0;
}

/** Makes sure the engine's memory holds `bytes`. */
function reserve(engine: Engine, bytes: number): void {
  const have = engine.memory.buffer.byteLength;
  if (bytes > have) engine.memory.grow(Math.ceil((bytes - have) / PAGE));
}

const align = (x: number) => (x + 63) & ~63;

/**
 * out (m,n) = op(a) (m,k) . op(b) (k,n) for each of `batch` matrices, on float32 arrays; transA means a
 * is stored (k,m), transB that b is stored (n,k). Returns false when WebAssembly is unavailable.
 */
export function gemmF32(
  a: Float32Array,
  b: Float32Array,
  out: Float32Array,
  batch: number,
  m: number,
  n: number,
  k: number,
  transA: boolean,
  transB: boolean,
): boolean {
  if (!plain) return false;
  if (m === 0 || n === 0 || batch === 0) return true;
  if (k === 0) {
    out.fill(0, 0, batch * m * n);
    return true;
  }
  const flops = 2 * m * n * k;
  if (flops >= THREAD_MIN_FLOPS && !poolTried) pool = startPool();
  const p = flops >= THREAD_MIN_FLOPS && pool && poolReady(pool) ? pool : undefined;
  const engine = p ? p.engine : plain;
  const parts = p ? p.workers + 1 : 1;
  const aOff = align(64 + parts * engine.workBytes);
  const bOff = align(aOff + batch * m * k * 4);
  const cOff = align(bOff + batch * k * n * 4);
  reserve(engine, cOff + batch * m * n * 4 + 64);
  const f32 = new Float32Array(engine.memory.buffer);
  f32.set(a.subarray(0, batch * m * k), aOff >> 2);
  f32.set(b.subarray(0, batch * k * n), bOff >> 2);
  const rsa = transA ? 1 : k;
  const csa = transA ? m : 1;
  const rsb = transB ? 1 : n;
  const csb = transB ? k : 1;
  const gemm = engine.exports.gemm;
  for (let t = 0; t < batch; t++) {
    const at = aOff + t * m * k * 4;
    const bt = bOff + t * k * n * 4;
    const ct = cOff + t * m * n * 4;
    if (!p) {
      gemm(at, rsa, csa, bt, rsb, csb, ct, n, m, n, k, 64);
      continue;
    }
    // Split the larger of n and m into `parts` pieces, whole tiles each; the last piece is ours.
    const byCols = n >= m;
    const total = byCols ? n : m;
    const unit = byCols ? NR : MR;
    const step = Math.ceil(Math.ceil(total / unit) / parts) * unit;
    const seq = ++p.seq;
    const jobs: number[] = [];
    for (let w = 0; w < parts; w++) {
      const lo = Math.min(total, w * step);
      const hi = Math.min(total, lo + step);
      const args = byCols
        ? [
            at,
            rsa,
            csa,
            bt + lo * csb * 4,
            rsb,
            csb,
            ct + lo * 4,
            n,
            m,
            hi - lo,
            k,
            64 + w * engine.workBytes,
          ]
        : [
            at + lo * rsa * 4,
            rsa,
            csa,
            bt,
            rsb,
            csb,
            ct + lo * n * 4,
            n,
            hi - lo,
            n,
            k,
            64 + w * engine.workBytes,
          ];
      if (w === parts - 1) {
        gemm(...args);
        break;
      }
      if (hi === lo) continue;
      const base = w * SLOT;
      for (let i = 0; i < 12; i++) p.control[base + 2 + i] = args[i];
      Atomics.store(p.control, base, seq);
      Atomics.notify(p.control, base);
      jobs.push(base);
    }
    for (const base of jobs) {
      while (Atomics.load(p.control, base + 1) !== seq)
        Atomics.wait(p.control, base + 1, Atomics.load(p.control, base + 1), 50);
      if (p.control[base + 14] !== 0) throw new Error('matmul: a WebAssembly worker thread failed');
    }
  }
  out.set(new Float32Array(engine.memory.buffer, cOff, batch * m * n));
  return true;
}
