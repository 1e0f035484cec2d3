/**
 * Byte-level mutations for the fuzz tests, as fast-check arbitraries: truncation, flipped bytes
 * (anywhere or in the header), overwritten 32-bit fields with extreme values (0, 1, 2^31-1,
 * 2^32-1), inserted and appended garbage, and whole random buffers. `mutated(valid)` draws a
 * chain of 1-3 mutations of a valid file, so most inputs are "almost right", where parsers break.
 */
import fc from 'fast-check';

/** One mutation: a description (shown in counterexamples) and the function applying it. */
export interface Mutation {
  what: string;
  apply: (bytes: Uint8Array) => Uint8Array;
}

const EXTREMES = [0, 1, 2, 0x7fffffff, 0x80000000, 0xffffffff, 0x10000, 60000];

/** Mutations of a buffer whose interesting header is its first `headerBytes` bytes. */
export function mutation(headerBytes: number): fc.Arbitrary<Mutation> {
  return fc.oneof(
    fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }).map((f) => ({
      what: `truncate at ${f.toFixed(3)} of the length`,
      apply: (b: Uint8Array) => b.slice(0, Math.floor(f * b.length)),
    })),
    fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })).map(([at, xor]) => ({
      what: `xor byte #${at} (mod length) with ${xor}`,
      apply: (b: Uint8Array) => {
        const c = b.slice();
        if (c.length) c[at % c.length] ^= xor;
        return c;
      },
    })),
    fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })).map(([at, xor]) => ({
      what: `xor header byte #${at} (mod ${headerBytes}) with ${xor}`,
      apply: (b: Uint8Array) => {
        const c = b.slice();
        if (c.length) c[(at % headerBytes) % c.length] ^= xor;
        return c;
      },
    })),
    fc.tuple(fc.nat(), fc.constantFrom(...EXTREMES), fc.boolean()).map(([at, value, little]) => ({
      what: `set the ${little ? 'LE' : 'BE'} u32 at header offset ${at} (mod ${headerBytes}) to ${value}`,
      apply: (b: Uint8Array) => {
        const c = b.slice();
        const pos = at % Math.max(1, headerBytes);
        if (pos + 4 <= c.length) new DataView(c.buffer).setUint32(pos, value, little);
        return c;
      },
    })),
    fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 16 })).map(([at, junk]) => ({
      what: `insert ${junk.length} random bytes at #${at} (mod length)`,
      apply: (b: Uint8Array) => {
        const pos = b.length ? at % b.length : 0;
        const c = new Uint8Array(b.length + junk.length);
        c.set(b.subarray(0, pos));
        c.set(junk, pos);
        c.set(b.subarray(pos), pos + junk.length);
        return c;
      },
    })),
    fc.uint8Array({ minLength: 1, maxLength: 64 }).map((junk) => ({
      what: `append ${junk.length} random bytes`,
      apply: (b: Uint8Array) => {
        const c = new Uint8Array(b.length + junk.length);
        c.set(b);
        c.set(junk, b.length);
        return c;
      },
    })),
  );
}

/** A valid file put through 1-3 random mutations, with a readable description of what was done. */
export function mutated(
  valid: fc.Arbitrary<Uint8Array>,
  headerBytes: number,
): fc.Arbitrary<{ bytes: Uint8Array; what: string }> {
  return fc.tuple(valid, fc.array(mutation(headerBytes), { minLength: 1, maxLength: 3 })).map(([b, ms]) => ({
    bytes: ms.reduce((acc, m) => m.apply(acc), b),
    what: ms.map((m) => m.what).join(', then '),
  }));
}

/** Bytes of ArrayBuffer memory currently held by the process (typed arrays and Buffers). */
export function arrayBufferBytes(): number {
  return process.memoryUsage().arrayBuffers;
}
