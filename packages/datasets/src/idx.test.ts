import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FASHION_MNIST_FILES, sha256Hex, verifyIdxFile } from './checksum.js';
import { gunzip } from './gzip.js';
import { encodeIdx, type IdxDType, parseIdx } from './idx.js';

describe('parseIdx', () => {
  const cases: [IdxDType, number[]][] = [
    ['uint8', [0, 127, 255]],
    ['int8', [-128, 0, 127]],
    ['int16', [-32768, 1, 32767]],
    ['int32', [-2147483648, 7, 2147483647]],
    ['float32', [-1.5, 0, 3.25]],
    ['float64', [Math.PI, -1e300, 0.1]],
  ];
  for (const [dtype, values] of cases) {
    it(`round-trips ${dtype} of rank 1 and 2`, () => {
      const a = parseIdx(encodeIdx({ dtype, shape: [3], data: values }), 'f');
      expect(a.dtype).toBe(dtype);
      expect(a.shape).toEqual([3]);
      expect(Array.from(a.data)).toEqual(values);
      const b = parseIdx(encodeIdx({ dtype, shape: [1, 3], data: values }));
      expect(b.shape).toEqual([1, 3]);
    });
  }

  it('reads big-endian bytes written by hand, rank 3, and rank 0', () => {
    const bytes = new Uint8Array([0, 0, 0x0b, 3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 1, 0x01, 0x02, 0xff, 0xfe]);
    const a = parseIdx(bytes, 'hand.idx');
    expect(a.shape).toEqual([1, 2, 1]);
    expect(Array.from(a.data)).toEqual([258, -2]);
    const scalar = parseIdx(new Uint8Array([0, 0, 8, 0, 42]));
    expect(scalar.shape).toEqual([]);
    expect(Array.from(scalar.data)).toEqual([42]);
  });

  it('does not alias the input bytes', () => {
    const bytes = encodeIdx({ dtype: 'uint8', shape: [2], data: [1, 2] });
    const a = parseIdx(bytes);
    bytes[bytes.length - 1] = 9;
    expect(Array.from(a.data)).toEqual([1, 2]);
    const buf = Buffer.from(encodeIdx({ dtype: 'uint8', shape: [2], data: [1, 2] }));
    const b = parseIdx(buf);
    buf[buf.length - 1] = 9;
    expect(Array.from(b.data)).toEqual([1, 2]);
    expect(Buffer.isBuffer(b.data)).toBe(false);
  });

  it('rejects a wrong magic number, naming the file', () => {
    const bytes = encodeIdx({ dtype: 'uint8', shape: [2], data: [1, 2] });
    bytes[0] = 1;
    expect(() => parseIdx(bytes, 'bad.idx')).toThrow(/IDX file bad\.idx has a wrong magic number 0x01000801/);
    const badType = encodeIdx({ dtype: 'uint8', shape: [2], data: [1, 2] });
    badType[2] = 0x0a;
    expect(() => parseIdx(badType, 'bad.idx')).toThrow(/wrong magic number/);
    expect(() => parseIdx(gzipSync(encodeIdx({ dtype: 'uint8', shape: [1], data: [1] })), 'x.gz')).toThrow(
      /decompressed/,
    );
  });

  it('rejects truncated files and headers that disagree with the length', () => {
    expect(() => parseIdx(new Uint8Array([0, 0]), 'a')).toThrow(/IDX file a is truncated: 2 bytes/);
    expect(() => parseIdx(new Uint8Array([0, 0, 8, 3, 0, 0, 0, 1]), 'b')).toThrow(
      /truncated.*16-byte header/,
    );
    const full = encodeIdx({ dtype: 'int32', shape: [4, 2], data: [1, 2, 3, 4, 5, 6, 7, 8] });
    expect(() => parseIdx(full.subarray(0, full.length - 1), 'c')).toThrow(
      /IDX file c is truncated: its header says int32 \(4,2\) = 44 bytes, but the file has 43/,
    );
    const longer = new Uint8Array(full.length + 3);
    longer.set(full);
    expect(() => parseIdx(longer, 'd')).toThrow(/IDX file d disagrees with its header.*3 extra/);
  });

  it('encodeIdx refuses data that does not fit the shape', () => {
    expect(() => encodeIdx({ dtype: 'uint8', shape: [2, 2], data: [1] })).toThrow(
      /4 elements but data has 1/,
    );
  });
});

describe('gunzip', () => {
  const raw = encodeIdx({ dtype: 'uint8', shape: [1000], data: new Uint8Array(1000).fill(3) });
  const gz = gzipSync(raw);

  it('decompresses, and passes non-gzip bytes through', () => {
    expect(gunzip(gz, 'f.gz')).toEqual(Buffer.from(raw));
    expect(gunzip(raw, 'f')).toBe(raw);
  });

  it('names the file when it is truncated or corrupt', () => {
    expect(() => gunzip(gz.subarray(0, gz.length - 10), 'f.gz')).toThrow(
      /gzip file f\.gz is corrupt: .*truncated/,
    );
    const bad = Buffer.from(gz);
    bad.fill(0x55, 10, 20);
    expect(() => gunzip(bad, 'g.gz')).toThrow(/gzip file g\.gz is corrupt/);
  });

  it('refuses to inflate past the cap (a gzip bomb)', () => {
    const bomb = gzipSync(new Uint8Array(10_000_000));
    expect(bomb.length).toBeLessThan(20_000);
    expect(() => gunzip(bomb, 'bomb.gz', 1_000_000)).toThrow(
      /bomb\.gz decompresses to more than 1000000 bytes/,
    );
  });
});

describe('verifyIdxFile', () => {
  it('checks shape and the digest of the decompressed content', () => {
    const raw = encodeIdx({ dtype: 'uint8', shape: [3], data: [1, 2, 3] });
    const spec = { name: 'x.gz', shape: [3], sha256: sha256Hex(raw) };
    expect(verifyIdxFile(gzipSync(raw), 'p/x.gz', spec).shape).toEqual([3]);
    // Different gzip bytes (another compression level), same content: still good.
    expect(verifyIdxFile(gzipSync(raw, { level: 1 }), 'p/x.gz', spec).shape).toEqual([3]);
    const other = encodeIdx({ dtype: 'uint8', shape: [3], data: [1, 2, 4] });
    expect(() => verifyIdxFile(gzipSync(other), 'p/x.gz', spec)).toThrow(/p\/x\.gz: checksum mismatch/);
    expect(() => verifyIdxFile(gzipSync(raw), 'p/x.gz', { ...spec, shape: [4] })).toThrow(
      /p\/x\.gz: expected IDX uint8 \(4\) for x\.gz, found uint8 \(3\)/,
    );
  });

  it('has a SHA-256 for every Fashion-MNIST file', () => {
    for (const spec of Object.values(FASHION_MNIST_FILES)) expect(spec.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});
