/**
 * The DataLoader's one-pass batch for the 'wasm' backend: the batch's uint8 rows are copied into a
 * 256 KiB input window of the module's memory (consecutive rows, an unshuffled loader's, as one
 * run), converted there by assembly/gather.ts (lookupU8 through the 256-entry table, or divideU8's
 * SIMD division for ToTensor alone) into a 1 MiB output window, and copied out, window
 * by window (a batch that fits one window straight into a new array, with no zero-fill first):
 * about 1.3 MB of memory whatever the batch, so it never grows for it. The values are
 * the reference kernels' (backend/cpu/gather-rows.ts) bit for bit; without WebAssembly, or for a
 * divisor that is not a float32 value, those kernels run.
 */
import {
  gatherRowsDivideU8 as cpuGatherRowsDivideU8,
  gatherRowsLookupU8 as cpuGatherRowsLookupU8,
} from '../cpu/gather-rows.js';
import { scratchEngine } from './gemm.js';

/** Bytes converted per kernel call: the input window. */
const WINDOW = 1 << 18;
/** Where the table (256 float32), the input window and the output window start in the memory. */
const TABLE_PTR = 64;
const IN_PTR = TABLE_PTR + 1024;
const OUT_PTR = IN_PTR + WINDOW;
const BYTES = OUT_PTR + 4 * WINDOW;

/**
 * The rows copied into the window and converted, window by window, in a new array: through
 * `table` (copied into the memory) when given, else divided by `divisor`. Undefined where
 * WebAssembly is unavailable.
 */
function gatherRows(
  data: Uint8Array,
  rowSize: number,
  indices: Int32Array,
  table: Float32Array | null,
  divisor: number,
): Float32Array | undefined {
  const engine = scratchEngine(BYTES);
  if (!engine) return undefined;
  const { f32, exports } = engine;
  if (table) f32.set(table.subarray(0, 256), TABLE_PTR >> 2);
  const bytes = new Uint8Array(f32.buffer);
  // A plain view, so that `subarray` below makes plain arrays even when `data` is a Node Buffer.
  const src = new Uint8Array(data.buffer, data.byteOffset, data.length);
  const total = indices.length * rowSize;
  let out: Float32Array | undefined;
  let fill = 0;
  let done = 0;
  for (let r = 0; r < indices.length; ) {
    let run = 1;
    while (r + run < indices.length && indices[r + run] === indices[r] + run) run++;
    let start = indices[r] * rowSize;
    let left = run * rowSize;
    r += run;
    while (left > 0) {
      const take = Math.min(left, WINDOW - fill);
      bytes.set(src.subarray(start, start + take), IN_PTR + fill);
      fill += take;
      start += take;
      left -= take;
      if (fill === WINDOW || done + fill === total) {
        if (table) exports.lookupU8(IN_PTR, OUT_PTR, fill, TABLE_PTR);
        else exports.divideU8(IN_PTR, OUT_PTR, fill, divisor);
        const results = f32.subarray(OUT_PTR >> 2, (OUT_PTR >> 2) + fill);
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

/** out[k·rowSize + j] = table[data[indices[k]·rowSize + j]], on WebAssembly where it loads. */
export function gatherRowsLookupU8(
  data: Uint8Array,
  rowSize: number,
  indices: Int32Array,
  table: Float32Array,
): Float32Array {
  return gatherRows(data, rowSize, indices, table, 0) ?? cpuGatherRowsLookupU8(data, rowSize, indices, table);
}

/**
 * out[k·rowSize + j] = data[indices[k]·rowSize + j] / divisor rounded to float32: in SIMD for a
 * float32 divisor (f32x4.div's correctly rounded quotient is then Math.fround of the float64 one).
 */
export function gatherRowsDivideU8(
  data: Uint8Array,
  rowSize: number,
  indices: Int32Array,
  divisor: number,
): Float32Array {
  const out =
    Math.fround(divisor) === divisor ? gatherRows(data, rowSize, indices, null, divisor) : undefined;
  return out ?? cpuGatherRowsDivideU8(data, rowSize, indices, divisor);
}
