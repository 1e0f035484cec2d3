// The DataLoader's one-pass uint8 gathers (gatherRowsLookupU8, gatherRowsDivideU8) on both backends
// against the expression computed here, table[byte] and Math.fround(byte / d), bit for bit: every
// byte value 0..255 through a table holding NaN, ±Infinity and both zeros, ToTensor's division by
// 255 (and by other float32 divisors, a non-float32 one on the reference loop), rows shorter than
// the 16-byte SIMD step and longer than the 256 KiB window, batches over several windows, runs of
// consecutive rows and repeated rows, an empty batch, a Node Buffer as the data; the module's memory
// does not grow.
import { describe, expect, it } from 'vitest';
import * as cpu from '../cpu/gather-rows.js';
import * as wasm from './gather-rows.js';
import { wasmMemoryBytes } from './gemm.js';

/** Pseudo-random bytes in which every value 0..255 occurs (the first 256 are 0..255 in order). */
function pixels(n: number): Uint8Array {
  const out = new Uint8Array(n);
  let s = 12345;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    out[i] = i < 256 ? i : s >>> 24;
  }
  return out;
}

/** A table with every kind of float32 value: NaN, ±Infinity, ±0, subnormals, ordinary values. */
const TABLE = Float32Array.from(
  { length: 256 },
  (_, v) =>
    [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, -0, 1e-45][v] ?? (v * 3 - 100) / 7,
);

const same = (a: number, b: number) => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));

function firstMismatch(
  out: Float32Array,
  data: Uint8Array,
  rowSize: number,
  indices: Int32Array,
  f: (byte: number) => number,
): number {
  if (out.length !== indices.length * rowSize) return -2;
  for (let k = 0; k < indices.length; k++)
    for (let j = 0; j < rowSize; j++) {
      const o = k * rowSize + j;
      if (!same(out[o], f(data[indices[k] * rowSize + j]))) return o;
    }
  return -1;
}

const data = pixels(300001 * 3);
const CASES: [number, Int32Array][] = [
  [256, Int32Array.of(0)], // all 256 byte values in one row
  [1, Int32Array.from({ length: 256 }, (_, i) => 255 - i)], // one byte per row, every value
  [3, Int32Array.of(5, 1, 5)],
  [15, Int32Array.of(2, 3, 4)], // shorter than the SIMD step, a run of three
  [17, Int32Array.of(9, 0)],
  [784, Int32Array.from({ length: 300 }, (_, i) => i + 40)], // one run of rows, over the window
  [784, Int32Array.from({ length: 700 }, (_, i) => (i * 389) % 1000)], // shuffled, three windows
  [784, Int32Array.of(3, 4, 5, 9, 10, 2, 3)],
  [9001, Int32Array.from({ length: 40 }, (_, i) => (i * 17) % 40)],
  [300001, Int32Array.of(2, 0, 1, 0)], // rows longer than the window
  [7, new Int32Array(0)],
];

describe('gatherRowsLookupU8 and gatherRowsDivideU8', () => {
  for (const [name, k] of [
    ['wasm', wasm],
    ['cpu', cpu],
  ] as const) {
    it(`${name}: lookups through a table of specials, bit for bit`, () => {
      for (const [rowSize, indices] of CASES) {
        const out = k.gatherRowsLookupU8(data, rowSize, indices, TABLE);
        expect(
          firstMismatch(out, data, rowSize, indices, (b) => TABLE[b]),
          `rowSize ${rowSize}`,
        ).toBe(-1);
      }
    });

    it(`${name}: divisions by 255 (ToTensor) and other divisors, bit for bit`, () => {
      for (const d of [255, 7, -0.5, 3.4e38, 0.1]) {
        for (const [rowSize, indices] of CASES.slice(0, 8)) {
          const out = k.gatherRowsDivideU8(data, rowSize, indices, d);
          expect(
            firstMismatch(out, data, rowSize, indices, (b) => Math.fround(b / d)),
            `rowSize ${rowSize} divisor ${d}`,
          ).toBe(-1);
        }
      }
      const out = k.gatherRowsDivideU8(data, 256, Int32Array.of(0), 0);
      expect(Array.from(out.subarray(0, 2))).toEqual([Number.NaN, Number.POSITIVE_INFINITY]);
    });
  }

  it('wasm: ToTensor division equals the table Math.fround(v / 255) for all 256 values', () => {
    const unit = Float32Array.from({ length: 256 }, (_, v) => v / 255);
    const out = wasm.gatherRowsDivideU8(data, 256, Int32Array.of(0), 255);
    expect(Array.from(out)).toEqual(Array.from(unit));
  });

  it("wasm: reads a Node Buffer's bytes at its offset; the module's memory does not grow", () => {
    const indices = Int32Array.from({ length: 2000 }, (_, i) => (i * 7919) % 1000);
    wasm.gatherRowsLookupU8(data, 784, Int32Array.of(0), TABLE);
    const before = wasmMemoryBytes();
    const buffer = Buffer.from(data.subarray(1, 784 * 1000 + 1));
    const out = wasm.gatherRowsLookupU8(buffer, 784, indices, TABLE);
    expect(wasmMemoryBytes()).toBe(before);
    expect(firstMismatch(out, buffer, 784, indices, (b) => TABLE[b])).toBe(-1);
  });
});
