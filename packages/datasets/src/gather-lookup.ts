/**
 * The kernel of `DataLoader`'s fused image path: gathers rows of a uint8 array (the images of a
 * batch) and maps every byte through a 256-entry float32 table (what `ToTensor`, then any
 * `Normalize`, makes of each pixel value) into one new Float32Array, in one pass. A JavaScript
 * loop costs several nanoseconds per pixel; a 170-byte WebAssembly module, built below from its
 * instructions, does the lookups about three times faster. Rows are copied into a fixed 256 KiB
 * window of its memory (a batch of 256 Fashion-MNIST images fits) and the results copied out, so its memory never grows. Without
 * WebAssembly (or when a page's policy forbids it) the JavaScript loop gives the same values.
 */

/** Bytes gathered per call into the module: its input window. */
const WINDOW = 1 << 18;
/** Where the table (256 float32), the input window and the output window start in its memory. */
const TABLE_PTR = 0;
const IN_PTR = 1024;
const OUT_PTR = IN_PTR + WINDOW + 64;
/** 64 KiB pages: table, input window, output window (4 bytes a pixel) and the kernels' overrun. */
const PAGES = Math.ceil((OUT_PTR + 4 * WINDOW + 64) / 65536);

const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
};
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
const name = (s: string) => [s.length, ...Array.from(s, (ch) => ch.charCodeAt(0))];

/**
 * `lookup(src, dst, n, table)`: for i in [0, n) step 4, `f32[dst + 4i + 4j] = f32[table + 4 * u8[src + i + j]]`,
 * j = 0..3 (so up to 3 bytes past n are read and 3 floats past n written: the windows have room).
 */
function lookupBody(): number[] {
  const [SRC, DST, N, TAB, END] = [0, 1, 2, 3, 4];
  const get = (l: number) => [0x20, l];
  const set = (l: number) => [0x21, l];
  const one = (j: number) => [
    ...get(DST),
    ...get(TAB),
    ...get(SRC),
    ...[0x2d, 0x00, j], // i32.load8_u offset=j
    ...[0x41, 0x02, 0x74, 0x6a], // i32.const 2, i32.shl, i32.add
    ...[0x2a, 0x02, 0x00], // f32.load
    ...[0x38, 0x02, ...uleb(4 * j)], // f32.store offset=4j
  ];
  const code = [
    ...[0x01, 0x01, 0x7f], // one local of type i32: END
    ...get(SRC),
    ...get(N),
    0x6a,
    ...set(END), // END = SRC + N
    ...[0x02, 0x40, 0x03, 0x40], // block, loop
    ...get(SRC),
    ...get(END),
    ...[0x4f, 0x0d, 0x01], // br_if out when SRC >= END (unsigned)
    ...one(0),
    ...one(1),
    ...one(2),
    ...one(3),
    ...get(SRC),
    ...[0x41, 0x04, 0x6a],
    ...set(SRC), // SRC += 4
    ...get(DST),
    ...[0x41, 0x10, 0x6a],
    ...set(DST), // DST += 16
    ...[0x0c, 0x00, 0x0b, 0x0b, 0x0b], // br loop, end loop, end block, end function
  ];
  return [...uleb(code.length), ...code];
}

/**
 * `unit(src, dst, n, _)`: for i in [0, n) step 16, the 16 bytes at `src + i` as float32 divided by
 * 255 (`f32x4.div`, correctly rounded: the same float32 as `Math.fround(v / 255)`), stored at
 * `dst + 4i`: ToTensor's table without lookups. Up to 15 bytes past n are read and 15 floats past
 * n written.
 */
function unitBody(): number[] {
  const [SRC, DST, N, END, V, W, D] = [0, 1, 2, 4, 5, 6, 7];
  const get = (l: number) => [0x20, l];
  const set = (l: number) => [0x21, l];
  const simd = (op: number) => [0xfd, ...uleb(op)];
  // f32x4.convert_i32x4_u(widen(W)) / D, stored at DST + offset
  const store = (widen: number, offset: number) => [
    ...get(DST),
    ...get(W),
    ...simd(widen),
    ...simd(0xfb), // f32x4.convert_i32x4_u
    ...get(D),
    ...simd(0xe7), // f32x4.div
    ...simd(0x0b),
    0x04,
    offset, // v128.store align=16 offset
  ];
  const code = [
    ...[0x02, 0x01, 0x7f, 0x03, 0x7b], // locals: one i32 (END), three v128 (V, W, D)
    ...[0x43, 0x00, 0x00, 0x7f, 0x43], // f32.const 255
    ...simd(0x13),
    ...set(D), // D = f32x4.splat(255)
    ...get(SRC),
    ...get(N),
    0x6a,
    ...set(END),
    ...[0x02, 0x40, 0x03, 0x40],
    ...get(SRC),
    ...get(END),
    ...[0x4f, 0x0d, 0x01],
    ...get(SRC),
    ...simd(0x00),
    0x04,
    0x00,
    ...set(V), // V = v128.load(SRC)
    ...get(V),
    ...simd(0x89),
    ...set(W), // W = i16x8.extend_low_i8x16_u(V)
    ...store(0xa9, 0x00), // i32x4.extend_low_i16x8_u
    ...store(0xaa, 0x10), // i32x4.extend_high_i16x8_u
    ...get(V),
    ...simd(0x8a),
    ...set(W), // W = i16x8.extend_high_i8x16_u(V)
    ...store(0xa9, 0x20),
    ...store(0xaa, 0x30),
    ...get(SRC),
    ...[0x41, 0x10, 0x6a],
    ...set(SRC), // SRC += 16
    ...get(DST),
    ...[0x41, 0xc0, 0x00, 0x6a],
    ...set(DST), // DST += 64
    ...[0x0c, 0x00, 0x0b, 0x0b, 0x0b],
  ];
  return [...uleb(code.length), ...code];
}

/**
 * The module: one memory of `PAGES` pages exported as `memory`, `lookup(i32 x4)` and, with
 * `simd`, `unit(i32 x4)` (WebAssembly SIMD, which some older runtimes lack).
 */
export function lookupModuleBytes(simd = false): Uint8Array {
  const exports = [...name('memory'), 0x02, 0x00, ...name('lookup'), 0x00, 0x00];
  if (simd) exports.push(...name('unit'), 0x00, 0x01);
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [0x01, 0x60, 0x04, 0x7f, 0x7f, 0x7f, 0x7f, 0x00]), // type (i32,i32,i32,i32) -> ()
    ...section(3, simd ? [0x02, 0x00, 0x00] : [0x01, 0x00]), // functions of type 0
    ...section(5, [0x01, 0x00, ...uleb(PAGES)]), // one memory, PAGES pages, no maximum
    ...section(7, [simd ? 0x03 : 0x02, ...exports]),
    ...section(10, simd ? [0x02, ...lookupBody(), ...unitBody()] : [0x01, ...lookupBody()]),
  ]);
}

interface Kernel {
  lookup(src: number, dst: number, n: number, table: number): void;
  /** ToTensor's conversion in SIMD, when the runtime has WebAssembly SIMD. */
  unit: ((src: number, dst: number, n: number, unused: number) => void) | undefined;
  bytes: Uint8Array;
  floats: Float32Array;
}

let kernel: Kernel | null | undefined;

function wasmKernel(): Kernel | null {
  if (kernel !== undefined) return kernel;
  kernel = null;
  for (const simd of [true, false]) {
    try {
      const instance = new WebAssembly.Instance(
        new WebAssembly.Module(lookupModuleBytes(simd) as BufferSource),
      );
      const memory = instance.exports.memory as WebAssembly.Memory;
      kernel = {
        lookup: instance.exports.lookup as Kernel['lookup'],
        unit: instance.exports.unit as Kernel['unit'],
        bytes: new Uint8Array(memory.buffer),
        floats: new Float32Array(memory.buffer),
      };
      break;
    } catch {
      // no WebAssembly SIMD: try the module without it; no WebAssembly at all: the JavaScript loop
    }
  }
  return kernel;
}

/** `Math.fround(v / 255)` for v = 0..255: ToTensor's table, which the `unit` kernel computes. */
const UNIT = Float32Array.from({ length: 256 }, (_, v) => v / 255);

function isUnitTable(table: Float32Array): boolean {
  for (let v = 0; v < 256; v++) if (!Object.is(table[v], UNIT[v])) return false;
  return true;
}

/** Which implementation {@link gatherLookup} uses: `'auto'` (WebAssembly when it loads), or one forced (tests). */
export type LookupKernel = 'auto' | 'wasm' | 'js';
let mode: LookupKernel = 'auto';

/** Forces the implementation of {@link gatherLookup} (the tests compare both); returns the previous. */
export function setLookupKernel(next: LookupKernel): LookupKernel {
  const prev = mode;
  mode = next;
  return prev;
}

/** Whether the WebAssembly kernel loads in this runtime. */
export function wasmLookupAvailable(): boolean {
  return wasmKernel() !== null;
}

/**
 * `out[k * rowSize + j] = table[data[indices[k] * rowSize + j]]`: rows `indices` of `data`, each
 * byte replaced by its table entry, in a new Float32Array of `indices.length * rowSize`. The
 * indices must already be checked to lie in range.
 */
export function gatherLookup(
  data: Uint8Array,
  rowSize: number,
  indices: Int32Array,
  table: Float32Array,
): Float32Array {
  const k = mode === 'js' ? null : wasmKernel();
  if (k === null) {
    if (mode === 'wasm') throw new Error('gatherLookup: WebAssembly is not available here');
    const out = new Float32Array(indices.length * rowSize);
    for (let r = 0; r < indices.length; r++) {
      const base = indices[r] * rowSize;
      const o = r * rowSize;
      for (let j = 0; j < rowSize; j++) out[o + j] = table[data[base + j]];
    }
    return out;
  }
  k.floats.set(table.subarray(0, 256), TABLE_PTR / 4);
  const unit = isUnitTable(table) ? k.unit : undefined;
  // A plain view, so that `subarray` below makes plain arrays even when `data` is a Node Buffer.
  const src = new Uint8Array(data.buffer, data.byteOffset, data.length);
  const total = indices.length * rowSize;
  let out: Float32Array | undefined;
  let fill = 0;
  let done = 0;
  for (let r = 0; r < indices.length; ) {
    // Consecutive rows (an unshuffled loader) are copied as one run.
    let run = 1;
    while (r + run < indices.length && indices[r + run] === indices[r] + run) run++;
    let start = indices[r] * rowSize;
    let left = run * rowSize;
    r += run;
    while (left > 0) {
      const take = Math.min(left, WINDOW - fill);
      k.bytes.set(src.subarray(start, start + take), IN_PTR + fill);
      fill += take;
      start += take;
      left -= take;
      if (fill === WINDOW || done + fill === total) {
        if (unit !== undefined) unit(IN_PTR, OUT_PTR, fill, 0);
        else k.lookup(IN_PTR, OUT_PTR, fill, TABLE_PTR);
        const results = k.floats.subarray(OUT_PTR / 4, OUT_PTR / 4 + fill);
        // A batch that fits the window is copied out once, without zero-filling a new array first.
        if (fill === total) return results.slice();
        out ??= new Float32Array(total);
        out.set(results, done);
        done += fill;
        fill = 0;
      }
    }
  }
  return out ?? new Float32Array(0);
}
