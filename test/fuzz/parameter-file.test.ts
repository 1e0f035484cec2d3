/**
 * Fuzzing the parameter-file reader (`parseParameterFile`, `Block.loadParametersFromBytes`,
 * `Block.loadParameters`) in its three formats (MXNet's NDArray list with and without minimx's
 * checksum trailer, safetensors, and the legacy MMXP): random valid files round-trip, whatever their names (`__proto__`,
 * `constructor`, non-ASCII, empty); mutated files (truncated, flipped bytes, extreme sizes), with
 * the checksum broken or recomputed so the mutation reaches the structure checks, either parse
 * to well-formed arrays or throw a `ParameterFileError` naming the source, never allocating what
 * a header claims; names never reach `Object.prototype`; a failed load leaves every parameter of
 * the network exactly as it was; a save that fails leaves no file behind.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { io, type NDArray, nd } from '@minimx/ndarray';
import { isMinimxParameterFile } from '@minimx/ndarray/internal';
import { nn, ParameterFileError, parseParameterFile } from '@minimx/nn';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
// Internal to @minimx/nn (not exported): the CRC-32 and the encoder of the checksummed parameter file.
import { crc32, encodeParameterFile } from '../../packages/nn/src/serialization.js';
import { fcParams } from '../property/arbitraries.js';
import { arrayBufferBytes, mutated } from './mutations.js';

const MiB = 1024 * 1024;
const SOURCE = 'fuzz/net.params';
type DType = 'float32' | 'float64' | 'int32' | 'uint8';

const name = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'hasOwnProperty',
    '',
    '0.weight',
    'dense0_bias',
  ),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
);

const array = fc
  .tuple(
    fc.constantFrom<DType>('float32', 'float64', 'int32', 'uint8'),
    fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 }),
  )
  .chain(([dtype, shape]) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const value = {
      float32: fc.float(),
      float64: fc.double(),
      int32: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
      uint8: fc.integer({ min: 0, max: 255 }),
    }[dtype];
    return fc.array(value, { minLength: size, maxLength: size }).map((values) => {
      const out = nd.zeros(shape, { dtype });
      out.data.set(values);
      return out;
    });
  });

const entries = fc
  .uniqueArray(fc.tuple(name, array), { selector: ([n]) => n, maxLength: 5 })
  .map((list) => new Map(list));
const validFile = entries.map((m) => encodeParameterFile(m));
/** MXNet's NDArray list with names, with or without minimx's "MMXC" + CRC-32 trailer. */
const validMxnetFile = fc
  .tuple(entries, fc.boolean())
  .map(([m, checksum]) => io.encodeNDArrayList([...m.values()], [...m.keys()], { checksum }));
const validSafetensors = entries.map((m) => {
  m.delete('__metadata__');
  return io.encodeSafetensors(m);
});

/** Rewrites the trailing CRC-32 so a mutated file gets past the checksum to the structure checks. */
function withFixedCrc(bytes: Uint8Array): Uint8Array {
  if (bytes.length < 4) return bytes;
  const c = bytes.slice();
  new DataView(c.buffer).setUint32(c.length - 4, crc32(c.subarray(0, c.length - 4)), true);
  return c;
}

/** Rewrites whichever checksum the file carries (MMXP's CRC, or the MMXC trailer) to match the mutated bytes. */
function withFixedChecksum(bytes: Uint8Array): Uint8Array {
  if (isMinimxParameterFile(bytes)) return withFixedCrc(bytes);
  const n = bytes.length;
  const trailer = n >= 8 && [0x4d, 0x4d, 0x58, 0x43].every((b, i) => bytes[n - 8 + i] === b);
  if (!trailer) return bytes;
  const c = bytes.slice();
  new DataView(c.buffer).setUint32(n - 4, crc32(c.subarray(0, n - 8)), true);
  return c;
}

function sameBits(a: NDArray, b: NDArray): boolean {
  const x = new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength);
  const y = new Uint8Array(b.data.buffer, b.data.byteOffset, b.data.byteLength);
  return (
    a.dtype === b.dtype &&
    a.shape.join() === b.shape.join() &&
    x.length === y.length &&
    x.every((v, i) => v === y[i])
  );
}

/** Parses, returning the Map or the ParameterFileError; fails on any other throw or a big allocation. */
function parseBounded(bytes: Uint8Array, what: string): Map<string, NDArray> | ParameterFileError {
  const before = arrayBufferBytes();
  let out: Map<string, NDArray> | ParameterFileError;
  try {
    out = parseParameterFile(bytes, SOURCE);
  } catch (err) {
    if (!(err instanceof ParameterFileError))
      throw new Error(`${what}: threw ${String(err)} instead of a ParameterFileError`);
    expect(err.message.startsWith(`${SOURCE}: `)).toBe(true);
    out = err;
  }
  const grown = arrayBufferBytes() - before;
  if (grown > 16 * MiB)
    throw new Error(`${what}: ${(grown / MiB).toFixed(1)} MiB allocated for a ${bytes.length}-byte file`);
  return out;
}

const prototypeKeys = () => Object.getOwnPropertyNames(Object.prototype).sort().join();

describe('parseParameterFile', () => {
  it('round-trips random named arrays of every dtype bit for bit, whatever the names', () => {
    fc.assert(
      fc.property(entries, (m) => {
        const back = parseParameterFile(encodeParameterFile(m), SOURCE);
        expect([...back.keys()]).toEqual([...m.keys()]);
        for (const [k, v] of m) expect(sameBits(back.get(k)!, v), k).toBe(true);
      }),
      fcParams(200),
    );
  });

  it('mutated files (checksum left as is) parse or are refused with a ParameterFileError naming the source', () => {
    fc.assert(
      fc.property(mutated(validFile, 32), ({ bytes, what }) => {
        parseBounded(bytes, what);
      }),
      fcParams(400),
    );
  });

  it('mutated files with a recomputed checksum parse to well-formed arrays or a ParameterFileError', () => {
    const keysBefore = prototypeKeys();
    fc.assert(
      fc.property(mutated(validFile, 40), ({ bytes, what }) => {
        const out = parseBounded(withFixedCrc(bytes), what);
        if (out instanceof Map) {
          for (const v of out.values()) expect(v.size).toBe(v.shape.reduce((a, b) => a * b, 1));
        }
      }),
      fcParams(600),
    );
    expect(prototypeKeys()).toBe(keysBefore);
  });

  it("round-trips random named arrays through MXNet's format and safetensors bit for bit", () => {
    fc.assert(
      fc.property(entries, fc.boolean(), (m, checksum) => {
        const mx = parseParameterFile(
          io.encodeNDArrayList([...m.values()], [...m.keys()], { checksum }),
          SOURCE,
        );
        expect([...mx.keys()]).toEqual([...m.keys()]);
        for (const [k, v] of m) expect(sameBits(mx.get(k)!, v), k).toBe(true);
        m.delete('__metadata__');
        const st = parseParameterFile(io.encodeSafetensors(m), SOURCE);
        expect(new Set(st.keys())).toEqual(new Set(m.keys()));
        for (const [k, v] of m) expect(sameBits(st.get(k)!, v), k).toBe(true);
      }),
      fcParams(200),
    );
  });

  it('mutated MXNet-format files (trailer CRC left as is or recomputed) parse or are refused with a ParameterFileError', () => {
    const keysBefore = prototypeKeys();
    fc.assert(
      fc.property(mutated(validMxnetFile, 64), fc.boolean(), ({ bytes, what }, fix) => {
        const out = parseBounded(fix ? withFixedChecksum(bytes) : bytes, what);
        if (out instanceof Map) {
          for (const v of out.values()) expect(v.size).toBe(v.shape.reduce((a, b) => a * b, 1));
        }
      }),
      fcParams(600),
    );
    expect(prototypeKeys()).toBe(keysBefore);
  });

  it('mutated safetensors files parse to well-formed arrays or are refused with a ParameterFileError', () => {
    const keysBefore = prototypeKeys();
    fc.assert(
      fc.property(mutated(validSafetensors, 96), ({ bytes, what }) => {
        const out = parseBounded(bytes, what);
        if (out instanceof Map) {
          for (const v of out.values()) expect(v.size).toBe(v.shape.reduce((a, b) => a * b, 1));
        }
      }),
      fcParams(400),
    );
    expect(prototypeKeys()).toBe(keysBefore);
  });

  it('an MXNet-format array declaring 2^31-1, (2^32-1)^2 or 2^53 elements is refused before allocating', () => {
    for (const [what, dims] of [
      ['(2^31-1,)', [0x7fffffff]],
      ['(2^32-1,2^32-1)', [0xffffffff, 0xffffffff]],
      ['(65536,65536) float64', [65536, 65536]],
      ['(2^53-1,)', [Number.MAX_SAFE_INTEGER]],
    ] as const) {
      const good = io.encodeNDArrayList(
        [
          nd.zeros(
            dims.map(() => 1),
            { dtype: 'float64' },
          ),
        ],
        ['w'],
      );
      const view = new DataView(good.buffer);
      for (let i = 0; i < dims.length; i++) view.setBigInt64(36 + 8 * i, BigInt(dims[i]), true);
      const out = parseBounded(good, what);
      expect(out, what).toBeInstanceOf(ParameterFileError);
      expect((out as Error).message, what).toMatch(/truncated: array 0 data of shape/);
    }
  });

  it('an entry declaring 2^31-1 or 2^32-1 elements is refused before allocating', () => {
    for (const [what, dims] of [
      ['(2^31-1,)', [0x7fffffff]],
      ['(2^32-1,2^32-1)', [0xffffffff, 0xffffffff]],
      ['(65536,65536) float64', [65536, 65536]],
    ] as const) {
      const header = new Uint8Array(12 + 4 + 1 + 2 + 4 * dims.length + 8 + 4);
      const view = new DataView(header.buffer);
      header.set([0x4d, 0x4d, 0x58, 0x50]);
      view.setUint32(4, 1, true);
      view.setUint32(8, 1, true);
      view.setUint32(12, 1, true);
      header[16] = 0x77; // name "w"
      header[17] = 1; // float64
      header[18] = dims.length;
      for (let i = 0; i < dims.length; i++) view.setUint32(19 + 4 * i, dims[i], true);
      const out = parseBounded(withFixedCrc(header), what);
      expect(out, what).toBeInstanceOf(ParameterFileError);
      expect((out as Error).message, what).toMatch(/truncated/);
    }
  });

  it('names like __proto__ and constructor stay plain keys and never touch Object.prototype', () => {
    const m = new Map([
      ['__proto__', nd.array([1, 2])],
      ['constructor', nd.array([3])],
      ['prototype', nd.array([4])],
    ]);
    const back = parseParameterFile(encodeParameterFile(m), SOURCE);
    expect([...back.keys()]).toEqual(['__proto__', 'constructor', 'prototype']);
    expect(back.get('__proto__')!.toArray()).toEqual([1, 2]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });
});

function makeNet() {
  const net = new nn.Sequential();
  net.add(new nn.Dense(3, { inUnits: 4, activation: 'relu' }), new nn.Dense(2, { inUnits: 3 }));
  net.initialize();
  return net;
}

function snapshot(net: nn.Sequential): Map<string, NDArray> {
  return new Map([...net.structuralParams()].map(([k, p]) => [k, p.data().copy()]));
}

describe('loading parameters into a network', () => {
  it('a failed load leaves every parameter bit for bit as it was; a successful one loads the file', () => {
    const source = makeNet();
    const good = fc.constantFrom(
      source.saveParametersToBytes(),
      source.saveParametersToBytes({ format: 'safetensors' }),
      encodeParameterFile(new Map([...source.structuralParams()].map(([k, p]) => [k, p.data()]))),
    );
    fc.assert(
      fc.property(mutated(good, 64), fc.boolean(), ({ bytes, what }, fixCrc) => {
        const file = fixCrc ? withFixedChecksum(bytes) : bytes;
        const net = makeNet();
        const before = snapshot(net);
        let loaded = true;
        try {
          net.loadParametersFromBytes(file);
        } catch (err) {
          loaded = false;
          expect(err, what).toBeInstanceOf(Error);
        }
        const after = snapshot(net);
        if (!loaded) {
          for (const [k, v] of before) expect(sameBits(after.get(k)!, v), `${what}: ${k} changed`).toBe(true);
        } else {
          const parsed = parseParameterFile(file, SOURCE);
          for (const [k, v] of after) expect(sameBits(parsed.get(k)!, v), `${what}: ${k}`).toBe(true);
        }
      }),
      fcParams(300),
    );
  });

  it('extra names like __proto__ are refused (or skipped with ignoreExtra) without polluting anything', () => {
    const net = makeNet();
    const arrays = parseParameterFile(net.saveParametersToBytes(), SOURCE);
    arrays.set('__proto__', nd.array([9]));
    arrays.set('constructor', nd.array([9]));
    const bytes = encodeParameterFile(arrays);
    const before = snapshot(net);
    expect(() => net.loadParametersFromBytes(bytes)).toThrow(/__proto__|constructor/);
    for (const [k, v] of before) expect(sameBits(net.structuralParams().get(k)!.data(), v)).toBe(true);
    net.loadParametersFromBytes(bytes, { ignoreExtra: true });
    expect(({} as Record<string, unknown>)[0]).toBeUndefined();
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });

  describe('files on disk', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minimx-fuzz-params-'));
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('loadParameters of a missing or corrupt file throws naming the path and changes nothing', async () => {
      const net = makeNet();
      const before = snapshot(net);
      const missing = path.join(dir, 'missing.params');
      await expect(net.loadParameters(missing)).rejects.toThrow(missing);
      const corrupt = path.join(dir, 'corrupt.params');
      const bytes = net.saveParametersToBytes();
      fs.writeFileSync(corrupt, bytes.subarray(0, bytes.length - 7));
      await expect(net.loadParameters(corrupt)).rejects.toThrow(corrupt);
      for (const [k, v] of before) expect(sameBits(net.structuralParams().get(k)!.data(), v)).toBe(true);
    });

    it('saveParameters into a folder that does not exist throws and leaves no file behind', async () => {
      const net = makeNet();
      const target = path.join(dir, 'no-such-folder', 'net.params');
      await expect(net.saveParameters(target)).rejects.toThrow();
      expect(fs.existsSync(path.dirname(target))).toBe(false);
      expect(fs.readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
    });

    it('saveParameters over an existing file replaces it whole: the old or the new content, nothing between', async () => {
      const a = makeNet();
      const b = makeNet();
      const file = path.join(dir, 'replace.params');
      await a.saveParameters(file);
      await b.saveParameters(file);
      const back = parseParameterFile(new Uint8Array(fs.readFileSync(file)), file);
      for (const [k, p] of b.structuralParams()) expect(sameBits(back.get(k)!, p.data())).toBe(true);
      expect(fs.readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
    });
  });
});
