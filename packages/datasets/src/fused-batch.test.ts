/**
 * The fused image path of `transformFirst` (rows of a uint8 array gathered and converted through a
 * 256-entry table in one pass, the backend's gatherRowsLookupU8 / gatherRowsDivideU8 kernels through
 * `gatherPixels`): it must give bit for bit the batches of the
 * per-item path (`batchify: defaultBatchify`, which stacks `at(i)` items) and of the previous
 * batched path (uint8 batch, then `forwardBatch`), shuffled or not, in every `lastBatch` mode,
 * on both backends (the 'wasm' kernels and the reference loops); transforms it does not know keep the
 * general path.
 */
import { getBackend, listBackends, type NDArray, nd, setBackend } from '@minimx/ndarray';
import { afterEach, describe, expect, it } from 'vitest';
import { DataLoader, type DataLoaderOptions, defaultBatchify, type LastBatch } from './data-loader.js';
import { ArrayDataset, type Dataset, gatherPixels } from './dataset.js';
import { Compose, Normalize, Resize, ToTensor } from './transforms.js';
import { FashionMNIST } from './vision.js';

const initialBackend = getBackend();
afterEach(() => {
  setBackend(initialBackend);
});

/** Pseudo-random pixels in which every value 0..255 occurs. */
function pixels(n: number): Uint8Array {
  const out = new Uint8Array(n);
  let s = 12345;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    out[i] = i < 256 ? i : s >>> 24;
  }
  return out;
}

/** `vision.FashionMNIST` over in-memory arrays (the constructor's `loaded` argument): n images. */
function fashion(n: number, options: ConstructorParameters<typeof FashionMNIST>[0] = {}): FashionMNIST {
  const file = (data: ArrayLike<number>, shape: number[]) =>
    ({ idx: { shape, data }, path: `memory ${shape.join('x')}`, source: 'cache' }) as never;
  return new FashionMNIST(
    { root: '/nonexistent-minimx-root', ...options },
    {
      images: file(pixels(n * 784), [n, 28, 28]),
      labels: file(
        Uint8Array.from({ length: n }, (_, i) => (i * 3) % 10),
        [n],
      ),
    },
  );
}

/** The first index where `a` and `b` differ, -1 when they are equal (and of one length). */
function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

const bits = (x: NDArray) => new Uint8Array(x.data.buffer, x.data.byteOffset, x.data.byteLength);

function expectSameBatch(a: unknown, b: unknown, where: string) {
  const as = Array.isArray(a) ? a : [a];
  const bs = Array.isArray(b) ? b : [b];
  expect(as.length, where).toBe(bs.length);
  as.forEach((x: NDArray, j) => {
    const y = bs[j] as NDArray;
    expect(x.dtype, `${where} element ${j}`).toBe(y.dtype);
    expect(x.shape, `${where} element ${j}`).toEqual(y.shape);
    expect(firstDifference(bits(x), bits(y)), `${where} element ${j}: first differing byte`).toBe(-1);
  });
}

/** Two epochs (rollover carries across them) of `dataset`, seeded; batches as [X, y] (or [X]). */
function epochs(dataset: Dataset<unknown>, options: DataLoaderOptions<unknown, unknown>): NDArray[][] {
  nd.random.seed(42);
  const loader = new DataLoader(dataset, options);
  const one = () => Array.from(loader, (b) => (Array.isArray(b) ? b : [b]) as NDArray[]);
  return [...one(), ...one()];
}

const KERNELS = ['wasm', 'cpu'];
const TRANSFORMS: [string, () => ToTensor | Compose][] = [
  ['ToTensor', () => new ToTensor()],
  ['Compose([ToTensor, Normalize])', () => new Compose([new ToTensor(), new Normalize(0.286, 0.353)])],
  [
    'nested Compose with two Normalize',
    () => new Compose([new Compose([new ToTensor()]), new Normalize([0.5], [0.25]), new Normalize(-0.1, 3)]),
  ],
];

describe('the fused path of transformFirst', () => {
  it('has both backends in Node (the WebAssembly kernels load)', () => {
    expect(listBackends()).toEqual(expect.arrayContaining(KERNELS));
  });

  it('vision.FashionMNIST: the same bits as the per-item and the uint8-then-forwardBatch paths', () => {
    const ds = fashion(50);
    for (const kernel of KERNELS) {
      setBackend(kernel);
      for (const [name, make] of TRANSFORMS) {
        for (const shuffle of [false, true]) {
          for (const lastBatch of ['keep', 'discard', 'rollover'] as LastBatch[]) {
            const where = `${kernel} ${name} shuffle=${shuffle} ${lastBatch}`;
            const t = make();
            const fused = epochs(ds.transformFirst(t), { batchSize: 16, shuffle, lastBatch });
            const perItem = epochs(ds.transformFirst(t), {
              batchSize: 16,
              shuffle,
              lastBatch,
              batchify: defaultBatchify,
            });
            nd.random.seed(42);
            const order = new DataLoader(ds, { batchSize: 16, shuffle, lastBatch });
            const batched = [...Array.from(order), ...Array.from(order)].map(([X, y]) => [
              t.forwardBatch(X),
              y,
            ]);
            expect(fused.length, where).toBe(perItem.length);
            expect(fused.length, where).toBe(lastBatch === 'keep' ? 8 : 6);
            fused.forEach((b, k) => {
              expectSameBatch(b, perItem[k], `${where} batch ${k} (per item)`);
              expectSameBatch(b, batched[k], `${where} batch ${k} (batched)`);
            });
            expect(fused[0][0].shape, where).toEqual([16, 1, 28, 28]);
            expect(fused[0][0].dtype, where).toBe('float32');
            expect(fused[0][1].dtype, where).toBe('int32');
          }
        }
      }
    }
  });

  it('ArrayDataset of a uint8 (N,H,W,1) NDArray, with and without a label column', () => {
    const n = 23;
    const X = nd.fromTypedArray(pixels(n * 5 * 3), [n, 5, 3, 1]);
    const y = Float32Array.from({ length: n }, (_, i) => i / 2);
    for (const kernel of KERNELS) {
      setBackend(kernel);
      for (const ds of [new ArrayDataset(X, y), new ArrayDataset(X)] as Dataset<unknown>[]) {
        for (const [name, make] of TRANSFORMS) {
          const t = ds.transformFirst(make() as never);
          for (const shuffle of [false, true]) {
            const fused = epochs(t, { batchSize: 4, shuffle });
            const perItem = epochs(t, { batchSize: 4, shuffle, batchify: defaultBatchify });
            expect(fused.length).toBe(12);
            for (const [k, b] of fused.entries()) {
              expectSameBatch(b, perItem[k], `${kernel} ${name} ${shuffle} batch ${k}`);
            }
          }
        }
      }
    }
  });

  it('is the path taken (only it asks for _restBatch); a subclass whose getBatch differs keeps it', () => {
    class Recording extends ArrayDataset<[NDArray, Int32Array]> {
      calls = 0;
      override _restBatch(indices: Int32Array) {
        this.calls++;
        return super._restBatch(indices);
      }
    }
    const X = nd.fromTypedArray(pixels(6 * 4), [6, 2, 2, 1]);
    const ds = new Recording(X, Int32Array.of(0, 1, 2, 3, 4, 5));
    const batches = Array.from(new DataLoader(ds.transformFirst(new ToTensor()), { batchSize: 4 }));
    expect(batches.map(([b]) => b.shape)).toEqual([
      [4, 1, 2, 2],
      [2, 1, 2, 2],
    ]);
    expect(ds.calls).toBe(2);
    // Resize maps neighbourhoods, not pixels: the uint8 batch, then forwardBatch.
    Array.from(
      new DataLoader(ds.transformFirst(new Compose([new Resize(4), new ToTensor()])), { batchSize: 4 }),
    );
    expect(ds.calls).toBe(2);

    class Shifted extends ArrayDataset<[NDArray, Int32Array]> {
      override getBatch(indices: Int32Array): unknown {
        const [images, labels] = super.getBatch(indices) as NDArray[];
        return [images, labels.add(100)];
      }
    }
    const shifted = new Shifted(X, Int32Array.of(0, 1, 2, 3, 4, 5)).transformFirst(new ToTensor());
    const [[, y]] = Array.from(new DataLoader(shifted, { batchSize: 4 }));
    expect(Array.from(y.data)).toEqual([100, 101, 102, 103]);
    class ShiftedFashion extends FashionMNIST {
      override getBatch(indices: Int32Array): unknown {
        const [images, labels] = super.getBatch(indices) as NDArray[];
        return [images, labels.add(100)];
      }
    }
    const file = (data: ArrayLike<number>, shape: number[]) =>
      ({ idx: { shape, data }, path: 'memory', source: 'cache' }) as never;
    const fashionShifted = new ShiftedFashion(
      { root: '/nonexistent-minimx-root' },
      { images: file(pixels(4 * 784), [4, 28, 28]), labels: file(Uint8Array.of(1, 2, 3, 4), [4]) },
    ).transformFirst(new ToTensor());
    const [[, fy]] = Array.from(new DataLoader(fashionShifted, { batchSize: 4 }));
    expect(Array.from(fy.data)).toEqual([101, 102, 103, 104]);
  });

  it('recognises only ToTensor then Normalize on one channel; others keep the general path', () => {
    const shape = [28, 28, 1];
    expect(new ToTensor()._uint8Table(shape)?.shape).toEqual([1, 28, 28]);
    expect(new ToTensor()._uint8Table(shape)?.table[255]).toBe(1);
    expect(new ToTensor()._uint8Table(shape)?.table[51]).toBe(Math.fround(0.2));
    const norm = new Compose([new ToTensor(), new Normalize(0.5, 0.5)])._uint8Table(shape);
    expect(norm?.table[0]).toBe(-1);
    expect(norm?.table[255]).toBe(1);
    expect(new ToTensor()._uint8Table([28, 28, 3])).toBeUndefined();
    expect(new ToTensor()._uint8Table([28, 28])).toBeUndefined();
    expect(new Compose([new Normalize(0.5, 0.5), new ToTensor()])._uint8Table(shape)).toBeUndefined();
    expect(new Compose([new Resize(14), new ToTensor()])._uint8Table(shape)).toBeUndefined();
    expect(new Compose([new ToTensor(), (x: NDArray) => x])._uint8Table(shape)).toBeUndefined();
    class Brighter extends ToTensor {
      override forwardBatch(x: NDArray): NDArray {
        return super.forwardBatch(x).mul(2);
      }
    }
    expect(new Brighter()._uint8Table(shape)).toBeUndefined();
    expect(new Compose([new Brighter()])._uint8Table(shape)).toBeUndefined();
  });

  it('a transform it does not recognise gives the same batches as before (general path)', () => {
    const ds = fashion(40);
    class Brighter extends ToTensor {
      override forwardBatch(x: NDArray): NDArray {
        return super.forwardBatch(x).mul(2);
      }
      override forward(x: NDArray): NDArray {
        return super.forward(x).mul(2);
      }
    }
    const user = (x: NDArray) => x.astype('float32').div(255).reshape([1, 28, 28]);
    for (const t of [new Brighter(), user, new Compose([new ToTensor(), user])]) {
      const a = epochs(ds.transformFirst(t as never), { batchSize: 16, shuffle: true });
      const b = epochs(ds.transformFirst(t as never), {
        batchSize: 16,
        shuffle: true,
        batchify: defaultBatchify,
      });
      expect(a.length).toBe(6);
      a.forEach((batch, k) => {
        expectSameBatch(batch, b[k], `batch ${k}`);
      });
    }
    const doubled = epochs(ds.transformFirst(new Brighter()), { batchSize: 16 });
    const plain = epochs(ds.transformFirst(new ToTensor()), { batchSize: 16 });
    expect(doubled[0][0].data[300]).toBe((plain[0][0].data[300] as number) * 2);
  });

  it('FashionMNIST with a `transform` option and a raw loader keep their paths', () => {
    const ds = fashion(20, { transform: (x, y) => [x, y + 1] });
    const a = epochs(ds.transformFirst(new ToTensor()), { batchSize: 8, shuffle: true });
    const b = epochs(ds.transformFirst(new ToTensor()), {
      batchSize: 8,
      shuffle: true,
      batchify: defaultBatchify,
    });
    a.forEach((batch, k) => {
      expectSameBatch(batch, b[k], `batch ${k}`);
    });
    expect(Math.max(...a.flatMap(([, y]) => Array.from(y.data)))).toBe(10); // labels 0..9, plus 1
    const raw = epochs(fashion(20), { batchSize: 8 });
    expect(raw[0][0].shape).toEqual([8, 28, 28, 1]);
    expect(raw[0][0].dtype).toBe('uint8');
  });

  it("Normalize's errors are the general path's", () => {
    const ds = fashion(8);
    const bad = () => ds.transformFirst(new Compose([new ToTensor(), new Normalize([0.1, 0.2, 0.3], 1)]));
    const message = /Normalize: mean has 3 values but the input has 1 channels/;
    expect(() => Array.from(new DataLoader(bad(), { batchSize: 4 }))).toThrow(message);
    expect(() => Array.from(new DataLoader(bad(), { batchSize: 4, batchify: defaultBatchify }))).toThrow(
      message,
    );
  });

  it('getBatch called directly refuses an index out of range', () => {
    const ds = fashion(8).transformFirst(new ToTensor());
    expect(() => ds.getBatch(Int32Array.of(0, 8))).toThrow(
      /getBatch: index 8 is out of range for a dataset of length 8/,
    );
    expect(() => ds.getBatch(Int32Array.of(-1))).toThrow(/index -1 is out of range/);
  });
});

describe('gatherPixels', () => {
  it('both kernels (lookup and SIMD division) agree on both backends on rows larger than the window and batches spanning several windows', () => {
    const tables = [
      Float32Array.from({ length: 256 }, (_, v) => (v * 3 - 100) / 7), // the scalar lookup kernel
      Float32Array.from({ length: 256 }, (_, v) => v / 255), // ToTensor's: the SIMD kernel
    ];
    const data = pixels(Math.max(40 * 9001, 300001 * 3, 340 * 784));
    for (const [rowSize, indices] of [
      [9001, Int32Array.from({ length: 40 }, (_, i) => (i * 17) % 40)],
      [300001, Int32Array.of(2, 0, 1, 0)],
      [3, Int32Array.of(5, 1)],
      [784, Int32Array.from({ length: 300 }, (_, i) => i + 40)], // one run of rows, over the window
      [784, Int32Array.of(3, 4, 5, 9, 10, 2, 3)],
      [7, new Int32Array(0)],
    ] as [number, Int32Array][]) {
      for (const table of tables) {
        setBackend('cpu');
        const js = gatherPixels(data, rowSize, indices, table);
        setBackend('wasm');
        const wasm = gatherPixels(data, rowSize, indices, table);
        expect(js.length).toBe(rowSize * indices.length);
        expect(
          firstDifference(
            bits(nd.fromTypedArray(wasm, [wasm.length])),
            bits(nd.fromTypedArray(js, [js.length])),
          ),
        ).toBe(-1);
        if (indices.length > 0) {
          expect(js[rowSize - 1]).toBe(table[data[indices[0] * rowSize + rowSize - 1]]);
        }
      }
    }
  });
});
