/**
 * Array files against bytes assembled independently: fixtures/make_mxnet_fixture.py builds
 * MXNet NDArray-list and safetensors files with struct.pack from MXNet 1.x's source description
 * and the safetensors format; `nd.saveToBuffer` / `nd.save` must write exactly those bytes and
 * `nd.load` must read them back. Then every bad input (each truncation, wrong magic, huge
 * shapes, unknown and unsupported dtypes, sparse storage, trailing bytes, names count, a
 * directory) must give an `NDArrayFileError` naming the source, and leave files untouched.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { io, type NDArray, NDArrayFileError, nd } from '../index.js';
import * as internal from '../internal.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const fixture = (name: string) => new Uint8Array(fs.readFileSync(path.join(FIXTURES, name)));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minimx-io-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const f32 = (values: number[], shape: number[]) => nd.fromTypedArray(new Float32Array(values), shape);
const bits = (a: NDArray) => Array.from(new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength));

/** The arrays make_mxnet_fixture.py writes to list.nd, dict.nd and scalar.nd. */
const listArrays = () => [
  f32([1.5, -2.0, 0.100000001490116, 3.0, -0, 1e30], [2, 3]),
  nd.array([-7, 0, 2147483647], { dtype: 'int32' }),
  nd.fromTypedArray(new Uint8Array([0, 255, 7, 128]), [2, 1, 2]),
  nd.array([0.1, -1e300], { dtype: 'float64' }),
  nd.zeros([2, 0]),
];
const dictArrays = () => ({
  weight: f32([0.25, -0.5, 0.75, -1.0], [2, 2]),
  bias: f32([0.125, 0], [2]),
  'é.count': nd.array([42], { dtype: 'int32' }),
});
const safetensorsArrays = () => ({
  '0.weight': f32([0.5, -1.5, 2.0, 0.0, 1e-3, -7.25], [2, 3]),
  '0.bias': f32([0.1, -0.1], [2]),
  count: nd.fromTypedArray(new Int32Array([12]), []),
  mask: nd.fromTypedArray(new Uint8Array([1, 0, 0, 1]), [2, 2]),
  x64: nd.array([Math.E], { dtype: 'float64' }), // 2.718281828459045 in the fixture
});

function expectSame(got: NDArray, want: NDArray, what: string) {
  expect(got.shape, what).toEqual(want.shape);
  expect(got.dtype, what).toBe(want.dtype);
  expect(bits(got), what).toEqual(bits(want));
}

/** Runs `fn`, which must throw an NDArrayFileError whose message starts with `source: `. */
function fileError(fn: () => unknown, source = '<bytes>'): NDArrayFileError {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof NDArrayFileError))
      throw new Error(`threw ${String(err)} instead of an NDArrayFileError`);
    expect(err.message.startsWith(`${source}: `)).toBe(true);
    return err;
  }
  throw new Error('did not throw');
}

describe("MXNet's NDArray-list format", () => {
  it('nd.saveToBuffer of a list writes the bytes of MXNet 1.x (V2 headers, no names), and reads them back', () => {
    const want = fixture('list.nd');
    expect(Array.from(nd.saveToBuffer(listArrays()))).toEqual(Array.from(want));
    const back = nd.loadFromBuffer(want) as NDArray[];
    expect(Array.isArray(back)).toBe(true);
    for (const [i, a] of listArrays().entries()) expectSame(back[i], a, `array ${i}`);
  });

  it('named arrays are written in insertion order with names after the arrays; load gives an object', () => {
    const want = fixture('dict.nd');
    expect(Array.from(nd.saveToBuffer(dictArrays()))).toEqual(Array.from(want));
    expect(Array.from(nd.saveToBuffer(new Map(Object.entries(dictArrays()))))).toEqual(Array.from(want));
    const back = nd.loadFromBuffer(want) as Record<string, NDArray>;
    expect(Object.keys(back)).toEqual(['weight', 'bias', 'é.count']);
    for (const [k, v] of Object.entries(dictArrays())) expectSame(back[k], v, k);
  });

  it('a 0-d array makes every array of the file V3 (NumPy shape semantics), as npx.save writes it', () => {
    const data = { s: nd.fromTypedArray(new Float32Array([3.5]), []), v: f32([1, 2], [2]) };
    expect(Array.from(nd.saveToBuffer(data))).toEqual(Array.from(fixture('scalar.nd')));
    const back = nd.loadFromBuffer(fixture('scalar.nd')) as Record<string, NDArray>;
    expect(back.s.shape).toEqual([]);
    expect(back.s.toArray()).toBe(3.5);
    expect(back.v.toArray()).toEqual([1, 2]);
  });

  it('reads the V1 and first-format headers MXNet 1.x still reads, and a gpu context as cpu', () => {
    const legacy = nd.loadFromBuffer(fixture('legacy.nd')) as Record<string, NDArray>;
    expect(legacy.v1.toArray()).toEqual([9, -9]);
    expect(legacy.v1.dtype).toBe('float32');
    expect(legacy.v0.toArray()).toEqual([1, 2, 3]);
    expect(legacy.v0.dtype).toBe('int32');
    const [g] = nd.loadFromBuffer(fixture('gpu.nd')) as NDArray[];
    expect(g.toArray()).toEqual([5, 6]);
  });

  it('refuses sparse storage and the dtypes minimx lacks, naming the file and the dtype', () => {
    const src = 'fixtures/sparse.nd';
    expect(fileError(() => nd.loadFromBuffer(fixture('sparse.nd'), { source: src }), src).message).toBe(
      'fixtures/sparse.nd: array 0: row_sparse (sparse) storage is not supported, only dense arrays (offset 28)',
    );
    expect(fileError(() => nd.loadFromBuffer(fixture('float16.nd'))).message).toMatch(
      /array 0: dtype float16 \(type flag 2\) is not supported by minimx/,
    );
    expect(fileError(() => nd.loadFromBuffer(fixture('int64.nd'))).message).toMatch(
      /dtype int64 \(type flag 6\)/,
    );
  });

  it('every truncation of every fixture is refused with an NDArrayFileError naming the source', () => {
    for (const name of ['list.nd', 'dict.nd', 'scalar.nd', 'legacy.nd', 'gluon-mlp.params']) {
      const bytes = fixture(name);
      for (let n = 0; n < bytes.length; n++) {
        const e = fileError(() => nd.loadFromBuffer(bytes.subarray(0, n), { source: name }), name);
        expect(e.detail, `${name} cut at ${n}`).toMatch(/truncated|too short|not an|claims \d+ arrays/);
      }
    }
  });

  it('wrong magic, unknown headers and type flags, trailing bytes and a names count mismatch are refused', () => {
    const good = fixture('dict.nd');
    const edit = (at: number, value: number, width: 4 | 8 = 4) => {
      const b = good.slice();
      const v = new DataView(b.buffer);
      if (width === 4) v.setUint32(at, value, true);
      else v.setBigUint64(at, BigInt(value), true);
      return b;
    };
    expect(fileError(() => io.decodeNDArrayList(edit(0, 0x113))).detail).toMatch(/not an MXNet NDArray file/);
    expect(fileError(() => nd.loadFromBuffer(edit(0, 0x113))).detail).toMatch(
      /not an array file minimx knows/,
    );
    expect(fileError(() => nd.loadFromBuffer(edit(24, 0xdeadbeef))).detail).toBe(
      'array 0: unknown array header 0xdeadbeef at offset 24 (not an NDArray V1/V2/V3 magic)',
    );
    // array 0: magic 24, stype 28, ndim 32, dims 36..51, ctx 52..59, type flag 60
    expect(fileError(() => nd.loadFromBuffer(edit(60, 99))).detail).toBe(
      'array 0: unknown type flag 99 (offset 60)',
    );
    expect(fileError(() => nd.loadFromBuffer(edit(52, 7))).detail).toMatch(
      /invalid context \(dev_type 7, dev_id 0\)/,
    );
    expect(fileError(() => nd.loadFromBuffer(edit(32, 0))).detail).toMatch(/has no shape/);
    expect(fileError(() => nd.loadFromBuffer(edit(28, 2))).detail).toMatch(/csr \(sparse\) storage/);
    const namesAt = good.length - (8 + 6 + 8 + 4 + 8 + 8 + 8);
    expect(fileError(() => nd.loadFromBuffer(edit(namesAt, 2, 8))).detail).toBe(
      `names count mismatch: 2 names for 3 arrays (offset ${namesAt})`,
    );
    const trailing = new Uint8Array(good.length + 3);
    trailing.set(good);
    expect(fileError(() => nd.loadFromBuffer(trailing)).detail).toBe(
      `3 unexpected bytes after the names (from offset ${good.length})`,
    );
    const badName = good.slice();
    badName[good.length - 1] = 0xff; // last byte of 'é.count'
    expect(fileError(() => nd.loadFromBuffer(badName)).detail).toMatch(
      /name 2 at offset \d+ is not valid UTF-8/,
    );
  });

  it('a header claiming a huge shape is refused before anything is allocated', () => {
    const good = fixture('dict.nd');
    const before = process.memoryUsage().arrayBuffers;
    for (const dims of [
      [2 ** 31, 2 ** 31],
      [2 ** 40, 1],
      [0, 2 ** 52],
    ]) {
      const b = good.slice();
      const v = new DataView(b.buffer);
      v.setBigInt64(36, BigInt(dims[0]), true);
      v.setBigInt64(44, BigInt(dims[1]), true);
      const e = fileError(() => nd.loadFromBuffer(b));
      expect(e.detail, String(dims)).toMatch(dims[0] === 0 ? /array 1/ : /truncated: array 0 data of shape/);
    }
    const count = good.slice();
    new DataView(count.buffer).setBigUint64(16, 2n ** 40n, true);
    expect(fileError(() => nd.loadFromBuffer(count)).detail).toMatch(/claims 1099511627776 arrays/);
    const extent = good.slice();
    new DataView(extent.buffer).setBigInt64(36, -1n, true);
    expect(fileError(() => nd.loadFromBuffer(extent)).detail).toMatch(/extent 0 is -1/);
    const ndim = good.slice();
    new DataView(ndim.buffer).setInt32(32, 1 << 30, true);
    expect(fileError(() => nd.loadFromBuffer(ndim)).detail).toMatch(
      /ndim 1073741824 at offset 32 is not in 0..32/,
    );
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 * 1024 * 1024);
  });

  it("the checksum trailer (minimx's extension) is verified; MXNet's reader ignores it", () => {
    const plain = io.encodeNDArrayList([f32([1, 2, 3], [3])], ['w']);
    const summed = io.encodeNDArrayList([f32([1, 2, 3], [3])], ['w'], { checksum: true });
    expect(Array.from(summed.subarray(0, plain.length))).toEqual(Array.from(plain));
    expect(Array.from(summed.subarray(plain.length, plain.length + 4))).toEqual([0x4d, 0x4d, 0x58, 0x43]);
    expect(io.decodeNDArrayList(summed).checksum).toBe(true);
    expect(io.decodeNDArrayList(plain).checksum).toBe(false);
    const flipped = summed.slice();
    flipped[60] ^= 4;
    expect(fileError(() => io.decodeNDArrayList(flipped)).detail).toBe(
      'checksum mismatch: the file is corrupt',
    );
  });

  it('nd.save refuses what MXNet refuses: non-arrays, duplicate or mismatched names', () => {
    expect(() => nd.saveToBuffer([nd.ones([1]), 3 as unknown as NDArray])).toThrow(
      'nd.save: element 1 is not an NDArray (got number)',
    );
    expect(() => nd.saveToBuffer({ a: null as unknown as NDArray })).toThrow("'a' is not an NDArray");
    expect(() => io.encodeNDArrayList([nd.ones([1])], ['a', 'b'])).toThrow('2 names for 1 arrays');
    expect(() => io.encodeNDArrayList([nd.ones([1]), nd.ones([1])], ['a', 'a'])).toThrow(
      'names must be distinct',
    );
    expect(() => nd.saveToBuffer([nd.ones([1])], { format: 'safetensors' })).toThrow(/names every tensor/);
  });
});

describe('crc32', () => {
  it("slicing-by-8 equals the bytewise definition (zlib's) at every length and offset", () => {
    const bytewise = (b: Uint8Array) => {
      let c = 0xffffffff;
      for (const x of b) {
        c ^= x;
        for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      }
      return (c ^ 0xffffffff) >>> 0;
    };
    expect(internal.crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    const buf = Uint8Array.from({ length: 80 }, (_, i) => (i * 37 + 11) & 0xff);
    for (let start = 0; start < 9; start++) {
      for (let end = start; end <= buf.length; end++) {
        expect(internal.crc32(buf.subarray(start, end))).toBe(bytewise(buf.subarray(start, end)));
      }
    }
  });
});

describe('safetensors', () => {
  it('writes the bytes of the Python-assembled fixture (sorted by dtype then name, padded) and reads them', () => {
    const want = fixture('tensors.safetensors');
    const got = nd.saveToBuffer(safetensorsArrays(), { format: 'safetensors', metadata: { format: 'pt' } });
    expect(new TextDecoder().decode(got.subarray(8, 8 + 64))).toBe(
      new TextDecoder().decode(want.subarray(8, 8 + 64)),
    );
    expect(Array.from(got)).toEqual(Array.from(want));
    const st = io.decodeSafetensors(want, 'tensors.safetensors');
    expect(st.metadata).toEqual({ format: 'pt' });
    expect([...st.tensors.keys()]).toEqual(['x64', '0.bias', '0.weight', 'count', 'mask']);
    const back = nd.loadFromBuffer(want) as Record<string, NDArray>;
    for (const [k, v] of Object.entries(safetensorsArrays())) expectSame(back[k], v, k);
  });

  it('refuses F16 (naming it), truncations, bad JSON, holes, overlaps, huge claims and trailing bytes', () => {
    expect(fileError(() => nd.loadFromBuffer(fixture('f16.safetensors'))).detail).toBe(
      "tensor 'h': dtype F16 is not supported by minimx (it has F32, F64, I32, U8)",
    );
    const good = fixture('tensors.safetensors');
    for (let n = 0; n < good.length; n++) {
      fileError(
        () => nd.loadFromBuffer(good.subarray(0, n), { format: 'safetensors', source: 't.st' }),
        't.st',
      );
    }
    const make = (header: string, data = new Uint8Array(0)) => {
      const json = new TextEncoder().encode(header);
      const out = new Uint8Array(8 + json.length + data.length);
      new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
      out.set(json, 8);
      out.set(data, 8 + json.length);
      return out;
    };
    const cases: Array<[string, Uint8Array, RegExp]> = [
      ['not JSON', make('{"a":'), /not valid JSON/],
      ['an array', make('[1,2]'), /not a JSON object/],
      [
        'unknown dtype',
        make('{"a":{"dtype":"Q7","shape":[1],"data_offsets":[0,1]}}', new Uint8Array(1)),
        /unknown dtype "Q7"/,
      ],
      [
        'hole',
        make('{"a":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}', new Uint8Array(2)),
        /begin at 1, expected 0/,
      ],
      [
        'overlap',
        make(
          '{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},"b":{"dtype":"U8","shape":[2],"data_offsets":[1,3]}}',
          new Uint8Array(3),
        ),
        /'b': data_offsets begin at 1, expected 2/,
      ],
      [
        'size',
        make('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}', new Uint8Array(4)),
        /hold 4 bytes.*needs 8/,
      ],
      [
        'huge',
        make(
          '{"a":{"dtype":"F64","shape":[4294967296,4294967296],"data_offsets":[0,147573952589676412928]}}',
        ),
        /data_offsets must be/,
      ],
      [
        'huge and consistent',
        make('{"a":{"dtype":"U8","shape":[1099511627776],"data_offsets":[0,1099511627776]}}'),
        /truncated: tensor 'a' ends at data offset 1099511627776/,
      ],
      [
        'trailing',
        make('{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}', new Uint8Array(3)),
        /2 unexpected bytes/,
      ],
      ['metadata', make('{"__metadata__":{"k":1}}'), /__metadata__ value of 'k' is not a string/],
    ];
    for (const [what, bytes, pattern] of cases) {
      expect(fileError(() => nd.loadFromBuffer(bytes, { format: 'safetensors' })).detail, what).toMatch(
        pattern,
      );
    }
    const long = new Uint8Array(16);
    new DataView(long.buffer).setBigUint64(0, 200_000_000n, true);
    expect(fileError(() => nd.loadFromBuffer(long, { format: 'safetensors' })).detail).toMatch(
      /header length 200000000 at offset 0 is more than/,
    );
  });

  it('names like __proto__ are plain keys and pollute nothing', () => {
    const bytes = nd.saveToBuffer(new Map([['__proto__', nd.ones([1])]]), { format: 'safetensors' });
    const back = nd.loadFromBuffer(bytes) as Record<string, NDArray>;
    expect(Object.keys(back)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(back, '__proto__')?.value.toArray()).toEqual([1]);
    const mx = nd.loadFromBuffer(nd.saveToBuffer(new Map([['__proto__', nd.ones([1])]])));
    expect(Object.getOwnPropertyNames(mx)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).shape).toBeUndefined();
  });
});

const PYTHON = '/usr/bin/python3';
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;

describe('safetensors read by PyTorch', () => {
  it.skipIf(!hasTorch)(
    'torch reads the file nd.save writes with the same values (torch.frombuffer per tensor)',
    async () => {
      const file = path.join(dir, 'for-torch.safetensors');
      // a different order of insertion than the fixture: the file must not depend on it
      const { x64, mask, ...rest } = safetensorsArrays();
      await nd.save(file, { mask, ...rest, x64 });
      const run = spawnSync(PYTHON, [path.join(FIXTURES, 'make_mxnet_fixture.py'), '--torch-check', file], {
        encoding: 'utf8',
      });
      expect(run.stderr + run.stdout).toMatch(/torch \S+ reads .* with the expected values/);
      expect(run.status).toBe(0);
    },
  );
});

describe('nd.save / nd.load on files', () => {
  it("d2l 4.5's cells, translated line for line, run", async () => {
    const x = nd.ones([3]);
    await nd.save(path.join(dir, 'x'), x);
    const x2 = await nd.load<NDArray[]>(path.join(dir, 'x'));
    expect(x2.map((a) => a.toString())).toEqual([x.toString()]);
    const y = nd.zeros([4]);
    await nd.save(path.join(dir, 'xy'), [x, y]);
    const [x3, y2] = await nd.load<NDArray[]>(path.join(dir, 'xy'));
    expect([x3.toArray(), y2.toArray()]).toEqual([x.toArray(), y.toArray()]);
    const mydict = { x, y };
    await nd.save(path.join(dir, 'mydict'), mydict);
    const mydict2 = await nd.load<Record<string, NDArray>>(path.join(dir, 'mydict'));
    expect(Object.keys(mydict2)).toEqual(['x', 'y']);
    expect(mydict2.y.toArray()).toEqual([0, 0, 0, 0]);
  });

  it('round-trips a single array (as a list of one), a list, named arrays and .safetensors', async () => {
    const x = nd.arange(4);
    await nd.save(path.join(dir, 'x-file'), x);
    const [x2] = (await nd.load(path.join(dir, 'x-file'))) as NDArray[];
    expectSame(x2, x, 'x');
    await nd.save(path.join(dir, 'list.nd'), listArrays());
    expect(Array.from(fs.readFileSync(path.join(dir, 'list.nd')))).toEqual(Array.from(fixture('list.nd')));
    await nd.save(path.join(dir, 'mydict'), dictArrays());
    const d = (await nd.load(path.join(dir, 'mydict'))) as Record<string, NDArray>;
    expect(Object.keys(d)).toEqual(['weight', 'bias', 'é.count']);
    const st = path.join(dir, 'w.safetensors');
    await nd.save(st, safetensorsArrays(), { metadata: { format: 'pt' } });
    expect(Array.from(fs.readFileSync(st))).toEqual(Array.from(fixture('tensors.safetensors')));
    expect(Object.keys((await nd.load(st)) as Record<string, NDArray>)).toHaveLength(5);
    expect(fs.readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('a failed save leaves the destination as it was; a directory, a missing file or a corrupt one is refused', async () => {
    const file = path.join(dir, 'keep.nd');
    await nd.save(file, [nd.ones([2])]);
    const before = fs.readFileSync(file);
    await expect(nd.save(file, [nd.ones([2]), 'x' as unknown as NDArray])).rejects.toThrow(
      /element 1 is not an NDArray/,
    );
    await expect(
      nd.save(file, { w: nd.ones([1]) }, { format: 'safetensors', metadata: { k: 1 as unknown as string } }),
    ).rejects.toThrow(/metadata value of 'k' must be a string/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    await expect(nd.save(path.join(dir, 'no-such-folder', 'x.nd'), [nd.ones([1])])).rejects.toThrow();
    expect(fs.readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
    await expect(nd.load(dir)).rejects.toThrow(`${dir}: cannot read the file (a directory)`);
    const fifo = path.join(dir, 'pipe.nd');
    if (spawnSync('mkfifo', [fifo]).status === 0) {
      // opened without blocking (no writer), then refused by its type
      await expect(nd.load(fifo)).rejects.toThrow(`${fifo}: cannot read the file (not a regular file)`);
    }
    await expect(nd.load(path.join(dir, 'absent.nd'))).rejects.toThrow(
      /absent.nd: cannot read the file \(ENOENT/,
    );
    const cut = path.join(dir, 'cut.nd');
    fs.writeFileSync(cut, before.subarray(0, before.length - 3));
    await expect(nd.load(cut)).rejects.toThrow(NDArrayFileError);
    await expect(nd.load(cut)).rejects.toThrow(
      `${cut}: truncated: the name count needs 8 bytes at offset 64, only 5 left`,
    );
  });

  it('a file named .safetensors is read as safetensors (its errors say so); other names are recognised by content', async () => {
    const st = path.join(dir, 'bad.safetensors');
    fs.writeFileSync(st, fixture('dict.nd'));
    await expect(nd.load(st)).rejects.toThrow(/the header length 274 at offset 0|not valid JSON|truncated/);
    const cutSt = fixture('tensors.safetensors').subarray(0, 100);
    expect(fileError(() => nd.loadFromBuffer(cutSt, { source: 'w.bin' }), 'w.bin').detail).toBe(
      'truncated: the JSON header needs 328 bytes at offset 8, only 92 left',
    );
    const other = path.join(dir, 'weights.bin');
    fs.writeFileSync(other, fixture('tensors.safetensors'));
    expect(Object.keys((await nd.load(other)) as Record<string, NDArray>)).toContain('0.weight');
    const legacy = path.join(dir, 'old.params');
    fs.writeFileSync(legacy, internal.encodeMinimxParameterFile(new Map([['0.weight', nd.ones([2])]])));
    expect(((await nd.load(legacy)) as Record<string, NDArray>)['0.weight'].toArray()).toEqual([1, 1]);
  });
});

describe('public surface', () => {
  it('io holds the user API; CRC-32, the legacy codec and the file helpers are only in ../internal.ts', () => {
    expect(Object.keys(io).sort()).toEqual([
      'NDARRAY_LIST_MAGIC',
      'NDArrayFileError',
      'decodeNDArrayList',
      'decodeSafetensors',
      'encodeNDArrayList',
      'encodeSafetensors',
      'isNDArrayList',
      'isSafetensors',
      'load',
      'loadFromBuffer',
      'save',
      'saveToBuffer',
    ]);
    const moved = [
      'crc32',
      'decodeMinimxParameterFile',
      'encodeMinimxParameterFile',
      'formatForPath',
      'isMinimxParameterFile',
      'normalizeSaveData',
      'readArrayFile',
      'readFileBytes',
      'readRegularFileSync',
      'removeStaleSaveFiles',
      'toRecord',
      'writeFileAtomic',
    ];
    // The internal entry also hands nn and datasets the active backend's kernels (SGD, row gathers).
    expect(Object.keys(internal).sort()).toEqual([...moved, 'kernels'].sort());
    for (const name of moved) expect(name in io, name).toBe(false);
  });
});

describe('browser bundling', () => {
  it('@minimx/ndarray and @minimx/nn bundle for the browser: no node: module is imported by name', async () => {
    const root = path.resolve(FIXTURES, '../../../../..');
    for (const pkg of ['ndarray', 'nn']) {
      const out = await build({
        entryPoints: [path.join(root, 'packages', pkg, 'src', 'index.ts')],
        bundle: true,
        platform: 'browser',
        format: 'esm',
        write: false,
        logLevel: 'silent',
        alias: {
          '@minimx/ndarray': path.join(root, 'packages', 'ndarray', 'src', 'index.ts'),
          '@minimx/ndarray/internal': path.join(root, 'packages', 'ndarray', 'src', 'internal.ts'),
        },
      });
      const code = out.outputFiles[0].text;
      // (the wasm backend's worker source, a string, may say require('node:worker_threads'))
      expect(code, pkg).not.toMatch(/from\s*"node:|import\("node:/);
      expect(code, pkg).toContain('getBuiltinModule');
    }
  });
});
