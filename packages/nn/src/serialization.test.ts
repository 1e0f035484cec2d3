import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { io, nd } from '@minimx/ndarray';
import { readArrayFile } from '@minimx/ndarray/internal';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { init, nn, ParameterFileError, parseParameterFile } from './index.js';
import { crc32, encodeParameterFile } from './serialization.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minimx-nn-params-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
beforeEach(() => nn.resetNameCounters());

function mlp(): nn.Sequential {
  const net = new nn.Sequential();
  net.add(new nn.Dense(8, { activation: 'relu' }), new nn.Dense(3));
  return net;
}

function trainedMlp(): nn.Sequential {
  nd.random.seed(4);
  const net = mlp();
  net.initialize(new init.Normal({ sigma: 0.3 }));
  net.forward(nd.ones([1, 5]));
  return net;
}

const snapshot = (net: nn.Block) => [...net.collectParams().values()].map((p) => Array.from(p.data().data));

describe('parameter files', () => {
  it('a save removes temp files left by a killed save, and keeps those of a live one', async () => {
    const net = trainedMlp();
    const file = path.join(dir, 'stale.params');
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!; // a process that has exited
    // temp names are `<name>.tmp-minimx-<pid>-<12 hex digits>` (packages/ndarray/src/io/node-file.ts)
    const dead = `${file}.tmp-minimx-${gone}-abc123abc123`;
    const live = `${file}.tmp-minimx-${process.pid}-def456def456`;
    fs.writeFileSync(dead, 'half-written');
    fs.writeFileSync(live, 'in progress');
    await net.saveParameters(file);
    expect(fs.existsSync(dead)).toBe(false);
    expect(fs.existsSync(live)).toBe(true);
    fs.rmSync(live);
  });

  it('round-trip through a file reproduces the outputs bit for bit, into a deferred network', async () => {
    const net = trainedMlp();
    const file = path.join(dir, 'mlp.params');
    await net.saveParameters(file);
    expect(fs.readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
    const X = nd.random.normal({ shape: [4, 5] });
    const copy = mlp();
    await copy.loadParameters(file);
    const a = new Uint32Array(new Float32Array(net.forward(X).data).buffer);
    const b = new Uint32Array(new Float32Array(copy.forward(X).data).buffer);
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(copy.toString()).toContain('Dense(5 -> 8');
  });

  it('keeps NaN payloads, -0 and float64/int32/uint8 exactly; CRC-32 is zlib-compatible', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    const f32 = new Float32Array([-0, Number.NaN, 1e-45, 3.4e38]);
    new Uint32Array(f32.buffer)[1] = 0x7fc00123;
    const m = new Map([
      ['a', nd.fromTypedArray(f32, [2, 2])],
      ['é.b', nd.array([1.1, -2.2], { dtype: 'float64' })],
      ['i', nd.array([-5, 7], { dtype: 'int32' })],
      ['u', nd.array([255, 0, 1], { dtype: 'uint8' })],
      ['s', nd.array(3)],
    ]);
    const back = parseParameterFile(encodeParameterFile(m));
    for (const [k, v] of m) {
      const got = back.get(k)!;
      expect(got.shape).toEqual(v.shape);
      expect(got.dtype).toBe(v.dtype);
      expect(new Uint8Array(got.data.buffer)).toEqual(new Uint8Array(v.data.buffer));
    }
  });

  it('refuses a missing or an extra name (naming it), unless allowMissing / ignoreExtra', () => {
    const net = trainedMlp();
    const small = new nn.Sequential();
    small.add(new nn.Dense(8, { activation: 'relu', inUnits: 5 }));
    small.initialize();
    const bytes = net.saveParametersToBytes();
    expect(() => small.loadParametersFromBytes(bytes)).toThrow(
      /<bytes> has parameter '1.weight', which the network does not have/,
    );
    small.loadParametersFromBytes(bytes, { ignoreExtra: true });
    expect(Array.from(small.at<nn.Dense>(0).weight.data().data)).toEqual(
      Array.from(net.at<nn.Dense>(0).weight.data().data),
    );
    const big = mlp();
    big.add(new nn.Dense(2));
    expect(() => big.loadParametersFromBytes(bytes)).toThrow(/parameter '2.weight' is missing from <bytes>/);
    big.loadParametersFromBytes(bytes, { allowMissing: true });
    expect(big.at<nn.Dense>(2).weight.isInitialized).toBe(false);
  });

  it('a wrong shape names the parameter and both shapes, and a failed load changes nothing', () => {
    const net = trainedMlp();
    const other = new nn.Sequential();
    other.add(new nn.Dense(8, { activation: 'relu', inUnits: 5 }), new nn.Dense(4, { inUnits: 8 }));
    other.initialize();
    const before = snapshot(other);
    expect(() => other.loadParametersFromBytes(net.saveParametersToBytes())).toThrow(
      "loadParameters: parameter '1.weight' (dense3_weight) has shape (4,8) but <bytes> stores (3,8)",
    );
    expect(snapshot(other)).toEqual(before);
  });

  it('a corrupt or truncated file is refused with an error naming the file; the net is unchanged', async () => {
    const net = trainedMlp();
    const good = net.saveParametersToBytes();
    const target = mlp();
    target.initialize();
    target.forward(nd.ones([1, 5]));
    const before = snapshot(target);
    const file = path.join(dir, 'bad.params');
    fs.writeFileSync(file, good.subarray(0, good.length - 10));
    await expect(target.loadParameters(file)).rejects.toThrow(ParameterFileError);
    await expect(target.loadParameters(file)).rejects.toThrow(
      `${file}: truncated: name 3 needs 6 bytes at offset ${good.length - 14}, only 4 left`, // '1.bias' cut
    );
    const flipped = good.slice();
    flipped[40] ^= 1; // an extent of the first array: caught by the checksum trailer
    expect(() => target.loadParametersFromBytes(flipped)).toThrow(
      '<bytes>: checksum mismatch: the file is corrupt',
    );
    const data = good.slice();
    data[80] ^= 1; // a weight's bits: only the checksum can tell
    expect(() => target.loadParametersFromBytes(data)).toThrow(/checksum mismatch/);
    const legacy = encodeParameterFile(new Map([...net.structuralParams()].map(([k, p]) => [k, p.data()])));
    fs.writeFileSync(file, legacy.subarray(0, legacy.length - 10));
    await expect(target.loadParameters(file)).rejects.toThrow(`${file}: checksum mismatch`);
    expect(() => target.loadParametersFromBytes(new Uint8Array(3))).toThrow('<bytes>: too short');
    expect(() =>
      target.loadParametersFromBytes(new TextEncoder().encode('{"__proto__": {"x": 1}} padding')),
    ).toThrow(/bad magic bytes/);
    await expect(target.loadParameters(path.join(dir, 'absent.params'))).rejects.toThrow(
      /absent.params: cannot read the file/,
    );
    expect(snapshot(target)).toEqual(before);
  });

  it('fails fast on a header claiming 2^31 elements, without allocating', () => {
    const m = new Map([['w', nd.array([1, 2])]]);
    const bytes = encodeParameterFile(m);
    const view = new DataView(bytes.buffer);
    // entry: nameLength(4) + 'w'(1) + dtype(1) + ndim(1) at offsets 12..18, dims at 19
    view.setUint32(19, 2 ** 31, true);
    view.setUint32(bytes.length - 4, crc32(bytes.subarray(0, bytes.length - 4)), true);
    expect(() => parseParameterFile(bytes, 'huge.params')).toThrow(
      /huge.params: truncated: 'w' data of shape \(2147483648,\) \(float32\) needs 8589934592 bytes/,
    );
  });

  it('names are data: __proto__ is just a key and pollutes nothing', () => {
    const bytes = encodeParameterFile(
      new Map([
        ['__proto__', nd.array([1])],
        ['constructor', nd.array([2])],
      ]),
    );
    const parsed = parseParameterFile(bytes);
    expect([...parsed.keys()]).toEqual(['__proto__', 'constructor']);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect(Object.getPrototypeOf(parsed)).toBe(Map.prototype);
  });

  it('saving a network with deferred parameters explains why', () => {
    const net = mlp();
    net.initialize();
    expect(() => net.saveParametersToBytes()).toThrow(
      /'0.weight' \(dense0_weight\) has no value yet \(its shape is inferred/,
    );
  });
});

/** Gluon 1.x's save_parameters of Dense(3, in_units=4) -> Dense(2, in_units=3), assembled by make_mxnet_fixture.py. */
const GLUON_FILE = fileURLToPath(new URL('../../ndarray/src/io/fixtures/gluon-mlp.params', import.meta.url));
const W0 = Array.from({ length: 12 }, (_, i) => i / 8 - 0.75);
const B0 = [0.5, -0.25, 0];
const W1 = Array.from({ length: 6 }, (_, i) => i / 4 - 0.5);
const B1 = [1, -1];

function gluonMlp(): nn.Sequential {
  const net = new nn.Sequential();
  net.add(new nn.Dense(3, { inUnits: 4 }), new nn.Dense(2, { inUnits: 3 }));
  net.initialize();
  return net;
}

describe("parameter files in MXNet's format", () => {
  it('loads a file as Gluon 1.x save_parameters writes it (structural names, weight then bias)', async () => {
    const net = gluonMlp();
    await net.loadParameters(GLUON_FILE);
    expect(Array.from(net.at<nn.Dense>(0).weight.data().data)).toEqual(W0);
    expect(Array.from(net.at<nn.Dense>(0).bias!.data().data)).toEqual(B0);
    expect(Array.from(net.at<nn.Dense>(1).weight.data().data)).toEqual(W1);
    expect(Array.from(net.at<nn.Dense>(1).bias!.data().data)).toEqual(B1);
  });

  it("writes MXNet's bytes exactly, plus an 8-byte checksum trailer that MXNet's reader ignores", async () => {
    const net = gluonMlp();
    await net.loadParameters(GLUON_FILE);
    const want = new Uint8Array(fs.readFileSync(GLUON_FILE));
    const file = path.join(dir, 'gluon.params');
    await net.saveParameters(file);
    const got = new Uint8Array(fs.readFileSync(file));
    expect(got.length).toBe(want.length + 8);
    expect(Array.from(got.subarray(0, want.length))).toEqual(Array.from(want));
    expect(new TextDecoder().decode(got.subarray(want.length, want.length + 4))).toBe('MMXC');
    expect(new DataView(got.buffer).getUint32(want.length + 4, true)).toBe(crc32(want));
    expect(io.decodeNDArrayList(got).names).toEqual(['0.weight', '0.bias', '1.weight', '1.bias']);
  });

  it('a .safetensors path writes safetensors (for PyTorch) and loads back bit for bit', async () => {
    const net = trainedMlp();
    const file = path.join(dir, 'mlp.safetensors');
    await net.saveParameters(file);
    const bytes = new Uint8Array(fs.readFileSync(file));
    expect(new TextDecoder().decode(bytes.subarray(8, 20))).toBe('{"0.bias":{"');
    const copy = mlp();
    await copy.loadParameters(file);
    expect(snapshot(copy)).toEqual(snapshot(net));
    expect(readArrayFile(net.saveParametersToBytes({ format: 'safetensors' })).format).toBe('safetensors');
  });

  it('still loads files in the format minimx wrote before (MMXP)', () => {
    const net = trainedMlp();
    const legacy = encodeParameterFile(new Map([...net.structuralParams()].map(([k, p]) => [k, p.data()])));
    const copy = mlp();
    copy.loadParametersFromBytes(legacy);
    expect(snapshot(copy)).toEqual(snapshot(net));
  });

  it('refuses a list saved without names, and a dtype minimx lacks, naming the file; nothing changes', async () => {
    const net = gluonMlp();
    const before = snapshot(net);
    const list = path.join(dir, 'list.params');
    await nd.save(list, [nd.ones([3, 4]), nd.ones([3])]);
    await expect(net.loadParameters(list)).rejects.toThrow(
      `${list}: holds 2 arrays without names (saved by nd.save with a list?); a parameter file names each parameter`,
    );
    const f16 = fileURLToPath(new URL('../../ndarray/src/io/fixtures/float16.nd', import.meta.url));
    await expect(net.loadParameters(f16)).rejects.toThrow(ParameterFileError);
    await expect(net.loadParameters(f16)).rejects.toThrow(
      /float16.nd: array 0: dtype float16 \(type flag 2\)/,
    );
    await expect(net.loadParameters(dir)).rejects.toThrow(`${dir}: cannot read the file (a directory)`);
    expect(snapshot(net)).toEqual(before);
  });

  it('a file keyed by full names (no dots) says why it does not match', () => {
    const net = gluonMlp();
    const bytes = nd.saveToBuffer({ dense0_weight: nd.ones([3, 4]) });
    expect(() => net.loadParametersFromBytes(bytes)).toThrow(
      /names have no dots: it may be an old save_params file/,
    );
  });
});

const PYTHON = '/usr/bin/python3';
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
const TORCH_SCRIPT = fileURLToPath(new URL('../../ndarray/src/io/fixtures/torch_linear.py', import.meta.url));
/** The input torch_linear.py feeds its network. */
const TORCH_X = [
  [0.5, -1.0, 2.0, 0.25],
  [-0.75, 0.0, 1.5, -2.0],
];

describe.skipIf(!hasTorch)('weights to and from PyTorch (safetensors)', () => {
  it('a Gluon network saved as .safetensors loads into torch Sequential(Linear, Linear) strictly, and a torch one loads here; outputs agree', async () => {
    nd.random.seed(11);
    const net = gluonMlp();
    net.initialize(new init.Normal({ sigma: 0.5 }), { forceReinit: true });
    const toTorch = path.join(dir, 'to-torch.safetensors');
    const fromTorch = path.join(dir, 'from-torch.safetensors');
    await net.saveParameters(toTorch);
    const run = spawnSync(PYTHON, [TORCH_SCRIPT, toTorch, fromTorch], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const theirs = JSON.parse(run.stdout) as { loaded: number[][]; seeded: number[][] };
    const close = (a: number[][], b: number[][]) => {
      for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) expect(a[i][j]).toBeCloseTo(b[i][j], 5);
    };
    close(net.forward(nd.array(TORCH_X)).toArray() as number[][], theirs.loaded);
    const copy = gluonMlp();
    await copy.loadParameters(fromTorch);
    close(copy.forward(nd.array(TORCH_X)).toArray() as number[][], theirs.seeded);
    expect(copy.forward(nd.array(TORCH_X)).toArray()).not.toEqual(net.forward(nd.array(TORCH_X)).toArray());
  });
});
