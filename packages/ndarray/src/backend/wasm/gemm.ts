/**
 * Float32 matrix product on WebAssembly SIMD (the kernel is assembly/kernels.ts, compiled into
 * generated/kernels.wasm.ts). Operands are copied into the module's memory, multiplied there and the
 * result copied out; the copies cost O(mk + kn + mn) against O(mnk) arithmetic. In Node, products
 * of at least THREAD_MIN_FLOPS are split by columns (or rows) between this thread and worker threads
 * sharing the same memory (workers spin briefly between products instead of sleeping); elsewhere
 * (browsers, or without SharedArrayBuffer) everything runs here. The module comes in two builds: with
 * relaxed SIMD (fused multiply-add), loaded wherever the engine accepts it, and without.
 */
import {
  kernelsRelaxedSharedWasm,
  kernelsRelaxedWasm,
  kernelsSharedWasm,
  kernelsWasm,
  SHARED_MAX_PAGES,
} from './generated/kernels.wasm.js';

/**
 * Thread chunks are whole tiles: column chunks multiples of 24 (whole panels for the 8-wide tiles
 * of chunks wider than 48 columns and for the 3 x 12 tiles of narrower ones), row chunks multiples
 * of 30 (the 6 x 8, 5 x 8 and 3 x 12 tiles), of 20 for outputs ten columns wide (4 x 10 tiles) and
 * of 8 for the narrow kernel of a transposed A (8 x 5 tiles).
 */
const COL_UNIT = 24;
const ROW_UNIT = 30;
/** Column chunks are used from this width on. */
const COLS_MIN = 96;
/** A threaded product is split by rows when every chunk gets at least this many. */
const ROWS_MIN = 64;
/** Products of at least this many floating-point operations wake sleeping worker threads. */
const THREAD_MIN_FLOPS = 3e7;
let threadMinFlops = THREAD_MIN_FLOPS;
/**
 * How long a worker spins, watching for the next product, before it sleeps in Atomics.wait: a
 * sleeping worker takes 0.1-0.2 ms to wake on this VM, an awake one starts within microseconds. In
 * a training loop the large products come every few milliseconds, so the worker stays awake.
 */
const SPIN_MS = 3;
const PAGE = 65536;

/*
 * The control block shared with the workers (Int32 indices). A job is cut into chunks (column or
 * row ranges of one matrix of the batch); every thread, this one included, claims chunks with a
 * compare-and-swap on CLAIM, whose high bits hold the job number, so a worker that wakes late can
 * never claim a chunk of a later job. The job's parameters sit in one of two slots (by job parity),
 * which are only rewritten two jobs later, after every chunk of the job was done.
 */
const SEQ = 0; // job number; workers sleep on it
const CLAIM = 1; // (job & 0x7fff) << 16 | next chunk
const DONE = 2; // chunks finished in the current job
const FAILED = 3; // set by a worker whose kernel threw
const READY = 4; // workers that are up
const WORKER_CHUNKS = 5; // chunks run by workers since the pool started (for tests)
const PARAMS = 8; // two slots of 16: a, rsa, csa, b, rsb, csb, c, m, n, k, byCols, size, pieces, chunks, kind
// kind 0 is a matrix product; kind 1 a convolution job (conv.ts), whose descriptor address is in a.
const CONTROL_INTS = PARAMS + 32;

/**
 * JavaScript shared by this thread and the workers (evaluated in both, so it exists once):
 * runChunk(ex, c, o, chunk, work, thread) runs chunk `chunk` of the job whose parameters start at
 * c[o] with the module's exports `ex`; claim(c, seq) takes the next chunk of job `seq`, or returns
 * -1 when none is left.
 */
const chunkCode = `
function runChunk(ex, c, o, chunk, work, thread) {
  if (c[o + 14] === 1) return ex.convChunk(c[o], chunk, thread, work);
  const gemm = ex.gemm;
  const m = c[o + 7], n = c[o + 8], k = c[o + 9], size = c[o + 11], pieces = c[o + 12];
  const t = Math.floor(chunk / pieces);
  const lo = (chunk - t * pieces) * size;
  const a = c[o] + t * m * k * 4, b = c[o + 3] + t * k * n * 4, out = c[o + 6] + t * m * n * 4;
  if (c[o + 10]) gemm(a, c[o + 1], c[o + 2], b + lo * c[o + 5] * 4, c[o + 4], c[o + 5], out + lo * 4, n, m, Math.min(size, n - lo), k, work);
  else gemm(a + lo * c[o + 1] * 4, c[o + 1], c[o + 2], b, c[o + 4], c[o + 5], out + lo * n * 4, n, Math.min(size, m - lo), n, k, work);
}
function claim(c, seq) {
  for (;;) {
    const cur = Atomics.load(c, ${CLAIM});
    if (cur >>> 16 !== (seq & 0x7fff)) return -1;
    const chunk = cur & 0xffff;
    if (chunk >= c[${PARAMS} + (seq & 1) * 16 + 13]) return -1;
    if (Atomics.compareExchange(c, ${CLAIM}, cur, cur + 1) === cur) return chunk;
  }
}
`;

type RunChunk = (
  ex: GemmExports,
  c: Int32Array,
  o: number,
  chunk: number,
  work: number,
  thread: number,
) => void;
type Claim = (c: Int32Array, seq: number) => number;

interface GemmExports {
  gemm(...args: number[]): void;
  convChunk(desc: number, chunk: number, thread: number, work: number): void;
  sigmoidF32(x: number, out: number, n: number): void;
  sigmoidBackwardF32(y: number, dy: number, out: number, n: number): void;
  channelF32(
    op: number,
    swap: boolean,
    x: number,
    y: number,
    out: number,
    planes: number,
    inner: number,
    channels: number,
  ): void;
  maxPool2x2(
    x: number,
    out: number,
    planes: number,
    inH: number,
    inW: number,
    outH: number,
    outW: number,
  ): void;
  maxPool2x2Backward(
    x: number,
    dy: number,
    dx: number,
    planes: number,
    inH: number,
    inW: number,
    outH: number,
    outW: number,
  ): void;
  gemmWorkFloats(): number;
  sgdUpdateF32(w: number, g: number, n: number, lr: number, r: number): void;
  lookupU8(src: number, dst: number, n: number, table: number): void;
  divideU8(src: number, dst: number, n: number, d: number): void;
  unaryF32(op: number, x: number, out: number, n: number): void;
  binaryF32(
    op: number,
    pattern: number,
    swap: boolean,
    x: number,
    y: number,
    out: number,
    n: number,
    r: number,
  ): void;
}

interface Engine {
  memory: WebAssembly.Memory;
  exports: GemmExports;
  /** Bytes of scratch space one gemm call needs. */
  workBytes: number;
  module: WebAssembly.Module;
}

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const s = atob(base64);
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
  return bytes;
}

function instantiate(module: WebAssembly.Module, memory: WebAssembly.Memory): Engine {
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as GemmExports;
  return { memory, exports, workBytes: exports.gemmWorkFloats() * 4, module };
}

/**
 * The most memory a module instance keeps between calls (64 MiB). A WebAssembly memory can only
 * grow, so a job needing more runs on a memory of its own that is dropped when the job ends (the
 * garbage collector returns it), and a persistent memory found above this size is replaced by a
 * fresh one before the next job; training loops (a few MB per job) never reach it.
 */
const KEEP_BYTES = 64 * 2 ** 20;
let keepBytes = KEEP_BYTES;

/** For tests: lowers the size above which jobs run on a memory of their own (undefined restores 64 MiB). */
export function setKeepMemoryBytes(bytes?: number): void {
  keepBytes = bytes ?? KEEP_BYTES;
  maybeOversized = true;
}

/** Set when a persistent memory may have grown past keepBytes (a cheap test before trimMemory's). */
let maybeOversized = false;

/** A single-threaded engine on a fresh memory of at least `bytes`, for one job, or undefined. */
function oneOffEngine(module: WebAssembly.Module, bytes: number): Engine | undefined {
  if (bytes > 2 ** 31 - PAGE) return undefined;
  try {
    return instantiate(module, new WebAssembly.Memory({ initial: Math.ceil(bytes / PAGE) }));
  } catch {
    return undefined;
  }
}

/**
 * Bytes of WebAssembly memory the backend holds between calls (the single-threaded module's and
 * the worker threads' shared one); what a dropped large job leaves behind is at most 64 MiB each.
 * @example wasmMemoryBytes() // 4194304 after a few small products
 */
export function wasmMemoryBytes(): number {
  return (plain?.memory.buffer.byteLength ?? 0) + (pool?.engine.memory.buffer.byteLength ?? 0);
}

/**
 * Gives back oversized memories: the single-threaded module gets a fresh 4 MiB memory, and the
 * worker threads are stopped (they restart, on a fresh shared memory, at the next large product).
 * Runs at the start and end of every job, so nothing is held while a job still reads its memory.
 */
function trimMemory(): void {
  if (!maybeOversized) return;
  maybeOversized = false;
  if (plain && plain.memory.buffer.byteLength > keepBytes)
    plain = instantiate(plain.module, new WebAssembly.Memory({ initial: 64 }));
  if (pool && pool.engine.memory.buffer.byteLength > keepBytes) setMatmulThreads(wantedWorkers);
}

type Builtin = (id: string) => unknown;
const getBuiltin = (globalThis as { process?: { getBuiltinModule?: Builtin } }).process?.getBuiltinModule;

/**
 * Whether the engine runs relaxed SIMD (Chrome 114+, Node 22+). Node 20 has it behind V8's
 * --experimental-wasm-relaxed-simd, which V8 reads whenever it validates a module, so it is turned
 * on here through node:v8 when the module does not validate as is.
 */
function relaxedSimdAvailable(): boolean {
  try {
    const bytes = decode(kernelsRelaxedWasm);
    if (WebAssembly.validate(bytes)) return true;
    const v8 = getBuiltin?.('node:v8') as { setFlagsFromString(flags: string): void } | undefined;
    if (!v8) return false;
    v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
    return WebAssembly.validate(bytes);
  } catch {
    return false;
  }
}

let compileWarned = false;

/**
 * Says once, on the console, why a module that validates did not compile: a page whose
 * Content-Security-Policy lacks 'wasm-unsafe-eval' refuses every WebAssembly compile, and minimx
 * would otherwise fall back to the TypeScript kernels (3 to 6 times slower) without a word.
 */
function warnCompileRefused(error: unknown): void {
  if (compileWarned) return;
  compileWarned = true;
  console.warn(
    `minimx: the WebAssembly backend could not compile (${error instanceof Error ? error.message : String(error)}); ` +
      "using the TypeScript kernels, 3 to 6 times slower. Under a Content-Security-Policy, allow 'wasm-unsafe-eval' in script-src.",
  );
}

/** Compiles the single-threaded module, or returns undefined where WebAssembly SIMD is unavailable. */
function loadPlain(relaxed: boolean): Engine | undefined {
  let valid = false;
  try {
    if (typeof WebAssembly !== 'object') return undefined;
    const bytes = decode(relaxed ? kernelsRelaxedWasm : kernelsWasm);
    if (!WebAssembly.validate(bytes)) return undefined;
    valid = true;
    return instantiate(new WebAssembly.Module(bytes), new WebAssembly.Memory({ initial: 64 }));
  } catch (error) {
    if (valid && !relaxed) warnCompileRefused(error);
    return undefined;
  }
}

const relaxedAvailable = typeof WebAssembly === 'object' && relaxedSimdAvailable();
/** Whether the kernels in use are the relaxed-SIMD (fused multiply-add) build. */
let relaxed = relaxedAvailable;
let plain = loadPlain(relaxed);
if (!plain && relaxed) {
  relaxed = false;
  plain = loadPlain(false);
}

/** True when the WebAssembly SIMD kernels loaded (Node 16.4+, current browsers). */
export const wasmAvailable = plain !== undefined;

/**
 * Which build of the WebAssembly kernels runs: 'relaxed-simd' (matrix products with fused
 * multiply-add, where the engine has relaxed SIMD) or 'simd' (a multiply and an add).
 */
export function wasmKernelBuild(): 'relaxed-simd' | 'simd' {
  return relaxed ? 'relaxed-simd' : 'simd';
}

/**
 * Switches between the two builds (tests run both); `useRelaxed` is ignored where relaxed SIMD is
 * unavailable. Restarts the worker threads with the chosen build at the next large product.
 * @example setWasmKernelBuild(false); // multiply-and-add kernels, as engines without relaxed SIMD run
 */
export function setWasmKernelBuild(useRelaxed: boolean): void {
  const want = useRelaxed && relaxedAvailable;
  if (want === relaxed || !plain) return;
  const next = loadPlain(want);
  if (!next) return;
  relaxed = want;
  plain = next;
  setMatmulThreads(wantedWorkers);
}

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
  runChunk: RunChunk;
  claim: Claim;
  seq: number;
  broken: boolean;
}

let wantedWorkers = -1;
let pool: Pool | undefined;
let poolTried = false;

/** The worker's whole program: on each new job, claim and run chunks until none is left. */
const workerSource = `
const { workerData } = require('node:worker_threads');
const { wasmModule, memory, control, work, thread } = workerData;
const ex = new WebAssembly.Instance(wasmModule, { env: { memory } }).exports;
const c = new Int32Array(control);
${chunkCode}
let seen = Atomics.load(c, ${SEQ});
Atomics.add(c, ${READY}, 1);
for (;;) {
  let seq = Atomics.load(c, ${SEQ});
  if (seq === seen) {
    const until = performance.now() + ${SPIN_MS};
    while ((seq = Atomics.load(c, ${SEQ})) === seen && performance.now() < until)
      for (let i = 0; i < 256 && Atomics.load(c, ${SEQ}) === seen; i++);
    if (seq === seen) {
      Atomics.wait(c, ${SEQ}, seen);
      continue;
    }
  }
  seen = seq;
  for (let chunk = claim(c, seq); chunk >= 0; chunk = claim(c, seq)) {
    try {
      runChunk(ex, c, ${PARAMS} + (seq & 1) * 16, chunk, work, thread);
    } catch (e) {
      Atomics.store(c, ${FAILED}, 1);
    }
    Atomics.add(c, ${WORKER_CHUNKS}, 1);
    Atomics.add(c, ${DONE}, 1);
    Atomics.notify(c, ${DONE});
  }
}
`;

/** Starts the worker threads (Node only); they become usable once each reports ready. */
function startPool(): Pool | undefined {
  poolTried = true;
  try {
    if (typeof getBuiltin !== 'function' || typeof SharedArrayBuffer !== 'function') return undefined;
    const wt = getBuiltin('node:worker_threads') as {
      Worker: new (src: string, opts: object) => WorkerLike;
    };
    const os = getBuiltin('node:os') as { availableParallelism?: () => number; cpus: () => unknown[] };
    const cores = os.availableParallelism?.() ?? os.cpus().length;
    const workers = wantedWorkers >= 0 ? wantedWorkers : Math.min(3, cores - 1);
    if (workers <= 0) return undefined;
    const bytes = decode(relaxed ? kernelsRelaxedSharedWasm : kernelsSharedWasm);
    const module = new WebAssembly.Module(bytes);
    const memory = new WebAssembly.Memory({ initial: 64, maximum: SHARED_MAX_PAGES, shared: true });
    const control = new Int32Array(new SharedArrayBuffer(CONTROL_INTS * 4));
    const shared = new Function(`${chunkCode}; return { runChunk, claim };`)() as {
      runChunk: RunChunk;
      claim: Claim;
    };
    const engine = instantiate(module, memory);
    const p: Pool = { engine, control, workers, threads: [], ...shared, seq: 0, broken: false };
    for (let slot = 0; slot < workers; slot++) {
      const w = new wt.Worker(workerSource, {
        eval: true,
        workerData: {
          wasmModule: module,
          memory,
          control: control.buffer,
          work: 64 + (slot + 1) * engine.workBytes,
          thread: slot + 1,
        },
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
  return pool && !pool.broken ? Atomics.load(pool.control, READY) : 0;
}

let callerWorks = true;

/**
 * For tests: `callerWorks: false` leaves every chunk of a threaded product to the workers;
 * `minFlops` lowers the size from which products use threads (undefined restores the default).
 */
export function setThreadTestHooks(hooks: { callerWorks: boolean; minFlops?: number }): void {
  callerWorks = hooks.callerWorks;
  threadMinFlops = hooks.minFlops ?? THREAD_MIN_FLOPS;
}

/** Chunks of products that worker threads have run so far (tests use it to see them work). */
export function matmulWorkerChunks(): number {
  return pool ? Atomics.load(pool.control, WORKER_CHUNKS) : 0;
}

/** Makes sure the engine's memory holds `bytes`; false if it cannot grow that far (2 GiB at most). */
function reserve(engine: Engine, bytes: number): boolean {
  const have = engine.memory.buffer.byteLength;
  if (bytes <= have) return true;
  if (bytes > 2 ** 31 - PAGE) return false;
  try {
    engine.memory.grow(Math.ceil((bytes - have) / PAGE));
    if (bytes > keepBytes) maybeOversized = true;
    return true;
  } catch {
    return false;
  }
}

const align = (x: number) => (x + 63) & ~63;

/**
 * The single-threaded module with at least `bytes` of memory, for the element-wise kernels (which
 * use it from offset 64 on, between products), or undefined where it is unavailable.
 */
export function scratchEngine(bytes: number): { exports: GemmExports; f32: Float32Array } | undefined {
  if (!plain) return undefined;
  trimMemory();
  const engine = bytes > keepBytes ? oneOffEngine(plain.module, bytes) : plain;
  if (!engine || !reserve(engine, bytes)) return undefined;
  return { exports: engine.exports, f32: new Float32Array(engine.memory.buffer) };
}

/** Rounds a byte offset up to a multiple of 64. */
export { align };

/**
 * out (m,n) = op(a) (m,k) . op(b) (k,n) for each of `batch` matrices, on float32 arrays; transA means a
 * is stored (k,m), transB that b is stored (n,k). Returns false, leaving the work to the caller, when
 * WebAssembly is unavailable or the operands do not fit in its memory.
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
  trimMemory();
  const flops = 2 * batch * m * n * k;
  if (flops >= threadMinFlops && !poolTried) pool = startPool();
  const p = flops >= threadMinFlops && pool && !pool.broken ? pool : undefined;
  let engine: Engine | undefined = p ? p.engine : plain;
  const aOff = align(64 + (p ? p.workers + 1 : 1) * engine.workBytes);
  const bOff = align(aOff + batch * m * k * 4);
  const cOff = align(bOff + batch * k * n * 4);
  const bytes = cOff + batch * m * n * 4 + 64;
  // A single-threaded job too large to keep runs on a memory of its own; a threaded one grows the
  // shared memory, which trimMemory() gives back (stopping the workers) once the job is done.
  if (!p && bytes > keepBytes) engine = oneOffEngine(plain.module, bytes);
  if (!engine || !reserve(engine, bytes)) return false;
  const f32 = new Float32Array(engine.memory.buffer);
  f32.set(a.subarray(0, batch * m * k), aOff >> 2);
  f32.set(b.subarray(0, batch * k * n), bOff >> 2);
  const rsa = transA ? 1 : k;
  const csa = transA ? m : 1;
  const rsb = transB ? 1 : n;
  const csb = transB ? k : 1;
  const gemm = engine.exports.gemm;
  if (!p || !runJob(p, [aOff, rsa, csa, bOff, rsb, csb, cOff], batch, m, n, k, transA))
    for (let t = 0; t < batch; t++)
      gemm(
        aOff + t * m * k * 4,
        rsa,
        csa,
        bOff + t * k * n * 4,
        rsb,
        csb,
        cOff + t * m * n * 4,
        n,
        m,
        n,
        k,
        64,
      );
  out.set(new Float32Array(engine.memory.buffer, cOff, batch * m * n));
  trimMemory();
  return true;
}

/**
 * Cuts the product into about 4 chunks per thread (row ranges when m is tall enough, column ranges
 * when n is wide enough, else row ranges), wakes the workers and claims chunks alongside them. Only
 * chunks a worker has actually started are waited for, so a busy machine degrades to single-threaded
 * speed, not worse.
 * Returns false, having done nothing, when the batch has more than 65535 chunks.
 */
function runJob(
  p: Pool,
  ptrs: number[],
  batch: number,
  m: number,
  n: number,
  k: number,
  transA: boolean,
): boolean {
  const c = p.control;
  const target = 4 * (p.workers + 1);
  // Row ranges of at least ROWS_MIN rows run as fast as the whole product (each packs all of op(b),
  // which that many rows amortize); narrower ones, on wide outputs, lose more than column ranges.
  const byCols = n >= COLS_MIN && m < ROWS_MIN * target;
  const unit = byCols ? COL_UNIT : transA && n <= 10 ? 8 : n === 10 ? 20 : ROW_UNIT;
  const total = byCols ? n : m;
  const size = Math.max(unit, Math.ceil(total / target / unit) * unit);
  const pieces = Math.ceil(total / size);
  const chunks = batch * pieces;
  if (chunks > 0xffff) return false;
  dispatch(p, chunks, (o) => {
    for (let i = 0; i < 7; i++) c[o + i] = ptrs[i];
    c[o + 7] = m;
    c[o + 8] = n;
    c[o + 9] = k;
    c[o + 10] = byCols ? 1 : 0;
    c[o + 11] = size;
    c[o + 12] = pieces;
    c[o + 14] = 0;
  });
  return true;
}

/**
 * Publishes a job of `chunks` chunks (its parameters written by `fill` into the slot at c[o]),
 * wakes the workers, claims chunks alongside them and waits for the chunks they started.
 */
function dispatch(p: Pool, chunks: number, fill: (o: number) => void): void {
  const c = p.control;
  const seq = (p.seq = (p.seq + 1) & 0x3fffffff);
  const o = PARAMS + (seq & 1) * 16;
  fill(o);
  c[o + 13] = chunks;
  Atomics.store(c, DONE, 0);
  Atomics.store(c, CLAIM, (seq & 0x7fff) << 16);
  Atomics.store(c, SEQ, seq);
  Atomics.notify(c, SEQ);
  const ex = p.engine.exports;
  let mine = 0;
  for (let chunk = callerWorks ? p.claim(c, seq) : -1; chunk >= 0; chunk = p.claim(c, seq)) {
    p.runChunk(ex, c, o, chunk, 64, 0);
    mine++;
  }
  // A started chunk usually ends within a millisecond: spin for it before sleeping.
  const until = performance.now() + SPIN_MS;
  while (Atomics.load(c, DONE) + mine < chunks && performance.now() < until)
    for (let i = 0; i < 256 && Atomics.load(c, DONE) + mine < chunks; i++);
  for (let done = Atomics.load(c, DONE); done + mine < chunks; done = Atomics.load(c, DONE))
    Atomics.wait(c, DONE, done, 20);
  if (Atomics.load(c, FAILED)) {
    p.broken = true;
    throw new Error('matmul: a WebAssembly worker thread failed');
  }
}

/**
 * For the convolution kernels (conv.ts): the engine a job of `flops` runs on (the shared-memory
 * one with worker threads for large jobs in Node, else the single-threaded one) and how many threads
 * may run its chunks; each thread t uses the product's scratch at 64 + t * workBytes. Undefined
 * where WebAssembly is unavailable.
 */
export function convEngine(
  flops: number,
): { exports: GemmExports; memory: WebAssembly.Memory; workBytes: number; threads: number } | undefined {
  if (!plain) return undefined;
  trimMemory();
  if (flops >= threadMinFlops && !poolTried) pool = startPool();
  const p = flops >= threadMinFlops && pool && !pool.broken ? pool : undefined;
  const engine = p ? p.engine : plain;
  return {
    exports: engine.exports,
    memory: engine.memory,
    workBytes: engine.workBytes,
    threads: p ? p.workers + 1 : 1,
  };
}

/** Grows the memory of the engine `convEngine` returned to hold `bytes`; false if it cannot. */
export function reserveMemory(memory: WebAssembly.Memory, bytes: number): boolean {
  const engine = pool && pool.engine.memory === memory ? pool.engine : plain;
  return engine !== undefined && engine.memory === memory && reserve(engine, bytes);
}

/**
 * Runs chunks 0..chunks-1 of the convolution job whose descriptor is at `desc` in the memory of
 * the engine `convEngine` returned: on the worker threads and this one when that engine is the
 * threaded one, else here.
 */
export function runConvChunks(memory: WebAssembly.Memory, desc: number, chunks: number): void {
  const p = pool && !pool.broken && pool.engine.memory === memory ? pool : undefined;
  if (p && chunks > 1 && chunks <= 0xffff) {
    dispatch(p, chunks, (o) => {
      p.control[o] = desc;
      p.control[o + 14] = 1;
    });
    return;
  }
  const ex = (p ? p.engine : plain)!.exports;
  for (let chunk = 0; chunk < chunks; chunk++) ex.convChunk(desc, chunk, 0, 64);
}
