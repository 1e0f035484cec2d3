/**
 * Fuzzing the readers of data-set files: `parseIdx`, `gunzip`, `verifyIdxFile` and the cache
 * lookup `findLocalFile`, fed valid files, mutated files (truncated, flipped header bytes, sizes
 * set to 2^31-1 or 2^32-1, wrong magic, trailing garbage) and random bytes. Each must either
 * return a well-formed result or throw an Error naming the file; none may allocate memory because
 * a header asked for it (tracked through `process.memoryUsage().arrayBuffers`), and a corrupt
 * cached file must be removed, never half-used. Complements packages/datasets/src/idx.test.ts,
 * which checks each error message on hand-made cases.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  encodeIdx,
  FASHION_MNIST_FILES,
  findLocalFile,
  gunzip,
  type IdxDType,
  parseIdx,
  verifyIdxFile,
} from '@minimx/datasets';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { fcParams } from '../property/arbitraries.js';
import { arrayBufferBytes, mutated } from './mutations.js';

const MiB = 1024 * 1024;
const NAME = 'fuzz/train-images-idx3-ubyte';

const idxDType = fc.constantFrom<IdxDType>('uint8', 'int8', 'int16', 'int32', 'float32', 'float64');
const ranges: Record<IdxDType, fc.Arbitrary<number>> = {
  uint8: fc.integer({ min: 0, max: 255 }),
  int8: fc.integer({ min: -128, max: 127 }),
  int16: fc.integer({ min: -32768, max: 32767 }),
  int32: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  float32: fc.float({ noNaN: true }),
  float64: fc.double({ noNaN: true }),
};

/** A random valid IDX array (rank 0-4, small extents) and its encoding. */
const validIdx = fc
  .tuple(idxDType, fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 0, maxLength: 4 }))
  .chain(([dtype, shape]) => {
    const size = shape.reduce((a, b) => a * b, 1);
    return fc
      .array(ranges[dtype], { minLength: size, maxLength: size })
      .map((data) => ({ dtype, shape, data, bytes: encodeIdx({ dtype, shape, data }) }));
  });

/** Checks a parse result is self-consistent: a known dtype, integer extents, data of the right length. */
function expectWellFormed(result: { dtype: string; shape: number[]; data: ArrayLike<number> }) {
  expect(['uint8', 'int8', 'int16', 'int32', 'float32', 'float64']).toContain(result.dtype);
  expect(result.shape.every((d) => Number.isInteger(d) && d >= 0)).toBe(true);
  // A zero extent empties the array whatever the others are (a product of many huge extents would
  // overflow to Infinity, and Infinity * 0 is NaN).
  const size = result.shape.includes(0) ? 0 : result.shape.reduce((a, b) => a * b, 1);
  expect(result.data.length).toBe(size);
}

/** Runs `read`, returning its result or the Error it threw; fails on anything else or on a big allocation. */
function readBounded<T>(read: () => T, name: string, what: string): T | Error {
  const before = arrayBufferBytes();
  let outcome: T | Error;
  try {
    outcome = read();
  } catch (err) {
    if (!(err instanceof Error)) throw new Error(`${what}: threw a non-Error ${String(err)}`);
    if (!err.message.includes(name)) {
      throw new Error(`${what}: the error does not name the file ${name}: ${err.name}: ${err.message}`);
    }
    outcome = err;
  }
  const grown = arrayBufferBytes() - before;
  if (grown > 16 * MiB)
    throw new Error(`${what}: ${(grown / MiB).toFixed(1)} MiB allocated for a tiny input`);
  return outcome;
}

describe('parseIdx under random and mutated input', () => {
  it('round-trips every valid array, of every dtype, plain and through gzip', () => {
    fc.assert(
      fc.property(validIdx, ({ dtype, shape, data, bytes }) => {
        const parsed = parseIdx(gunzip(gzipSync(bytes), NAME), NAME);
        expect(parsed.dtype).toBe(dtype);
        expect(parsed.shape).toEqual(shape);
        expect(Array.from(parsed.data)).toEqual(dtype === 'float32' ? data.map(Math.fround) : data);
      }),
      fcParams(200),
    );
  });

  it('mutated files give a well-formed array or an error naming the file, never a big allocation', () => {
    fc.assert(
      fc.property(
        mutated(
          validIdx.map((v) => v.bytes),
          24,
        ),
        ({ bytes, what }) => {
          const out = readBounded(() => parseIdx(bytes, NAME), NAME, what);
          if (!(out instanceof Error)) expectWellFormed(out);
        },
      ),
      fcParams(500),
    );
  });

  it('random bytes, with and without a valid magic prefix, are handled the same way', () => {
    const magic = fc.tuple(fc.constantFrom(8, 9, 11, 12, 13, 14), fc.integer({ min: 0, max: 255 }));
    const input = fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      fc
        .tuple(magic, fc.uint8Array({ maxLength: 64 }))
        .map(([[t, r], rest]) => Uint8Array.from([0, 0, t, r, ...rest])),
    );
    fc.assert(
      fc.property(input, (bytes) => {
        const out = readBounded(() => parseIdx(bytes, NAME), NAME, `random ${bytes.length} bytes`);
        if (!(out instanceof Error)) expectWellFormed(out);
      }),
      fcParams(500),
    );
  });

  it('a header declaring 2^31-1 or 2^32-1 items, or rank 255, is refused before any allocation', () => {
    const cases: Array<[string, number[]]> = [
      ['(2^31-1,)', [0, 0, 8, 1, 0x7f, 0xff, 0xff, 0xff]],
      ['(2^32-1,28,28)', [0, 0, 8, 3, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 28, 0, 0, 0, 28]],
      ['float64 (65536,65536)', [0, 0, 14, 2, 0, 1, 0, 0, 0, 1, 0, 0]],
      ['rank 255 of 2^32-1', [0, 0, 8, 255, ...new Array(4 * 255).fill(0xff)]],
    ];
    for (const [what, header] of cases) {
      const bytes = Uint8Array.from([...header, 1, 2, 3, 4]);
      const out = readBounded(() => parseIdx(bytes, NAME), NAME, what);
      expect(out, what).toBeInstanceOf(Error);
      expect((out as Error).message, what).toMatch(/truncated/);
    }
  });
});

describe('gunzip and verifyIdxFile under mutated gzip files', () => {
  const labelsSpec = FASHION_MNIST_FILES.testLabels;
  const validGz = validIdx.map((v) => new Uint8Array(gzipSync(v.bytes)));

  it('mutated gzip files give bytes or an error naming the file, within the output cap', () => {
    fc.assert(
      fc.property(mutated(validGz, 10), ({ bytes, what }) => {
        const out = readBounded(() => gunzip(bytes, NAME, MiB), NAME, what);
        if (!(out instanceof Error)) expect(out.length).toBeLessThanOrEqual(MiB);
      }),
      fcParams(400),
    );
  });

  it('verifyIdxFile on mutated label files returns a (10000,) uint8 array or an error naming the path', () => {
    const labels = new Uint8Array(10000).map((_, i) => i % 10);
    const good = new Uint8Array(gzipSync(encodeIdx({ dtype: 'uint8', shape: [10000], data: labels })));
    const spec = { name: labelsSpec.name, shape: labelsSpec.shape };
    fc.assert(
      fc.property(mutated(fc.constant(good), 10), ({ bytes, what }) => {
        const out = readBounded(() => verifyIdxFile(bytes, NAME, spec), NAME, what);
        if (!(out instanceof Error)) {
          expect(out.shape).toEqual([10000]);
          expect(out.dtype).toBe('uint8');
        }
      }),
      fcParams(200),
    );
  });

  it('a gzip bomb (16 MiB of zeros in a few KiB) is refused at the cap, by gunzip and by verifyIdxFile', () => {
    const bomb = new Uint8Array(gzipSync(new Uint8Array(16 * MiB), { level: 9 }));
    expect(bomb.length).toBeLessThan(64 * 1024);
    const out = readBounded(() => gunzip(bomb, NAME, MiB), NAME, 'bomb');
    expect((out as Error).message).toMatch(/more than 1048576 bytes/);
    const viaSpec = readBounded(() => verifyIdxFile(bomb, NAME, labelsSpec), NAME, 'bomb via spec');
    expect(viaSpec).toBeInstanceOf(Error);
  });

  it('a gzip trailer claiming a huge ISIZE is caught as corrupt, not trusted', () => {
    const gz = new Uint8Array(gzipSync(encodeIdx({ dtype: 'uint8', shape: [3], data: [1, 2, 3] })));
    new DataView(gz.buffer).setUint32(gz.length - 4, 0xffffffff, true);
    const out = readBounded(() => gunzip(gz, NAME), NAME, 'huge ISIZE');
    expect(out).toBeInstanceOf(Error);
  });
});

describe('findLocalFile with a corrupt file in the cache', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'minimx-fuzz-cache-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  const spec = { name: 'fuzz-labels-idx1-ubyte.gz', shape: [100] as const };
  const good = new Uint8Array(
    gzipSync(
      encodeIdx({ dtype: 'uint8', shape: [100], data: Array.from({ length: 100 }, (_, i) => i % 10) }),
    ),
  );

  it('uses a good file, and skips a bad one (reporting it, leaving it as it was) without throwing', () => {
    fc.assert(
      fc.property(mutated(fc.constant(good), 10), ({ bytes }) => {
        const file = path.join(root, spec.name);
        fs.writeFileSync(file, bytes);
        const messages: string[] = [];
        const found = findLocalFile('fuzz', spec, { root, systemDirs: [], log: (m) => messages.push(m) });
        if (found) {
          expect(found.idx.shape).toEqual([100]);
          expect(fs.existsSync(file)).toBe(true);
        } else {
          expect(new Uint8Array(fs.readFileSync(file))).toEqual(bytes); // never removed or changed
          expect(messages.join('\n')).toContain(`skipping ${file}`);
        }
      }),
      fcParams(60),
    );
  });
});
