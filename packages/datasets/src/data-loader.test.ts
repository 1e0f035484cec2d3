import { type NDArray, nd } from '@minimx/ndarray';
import { describe, expect, it } from 'vitest';
import { DataLoader, defaultBatchify } from './data-loader.js';
import { ArrayDataset, Dataset, SimpleDataset } from './dataset.js';
import { Compose, Normalize, Resize, ToTensor } from './transforms.js';

/** A dataset of n images (h,w,c) uint8 whose pixels encode the index, labels i % 10. */
class Images extends Dataset<[NDArray, number]> {
  constructor(
    readonly n: number,
    readonly h = 4,
    readonly w = 3,
    readonly c = 1,
    readonly fast = true,
  ) {
    super();
  }
  get length() {
    return this.n;
  }
  private image(i: number) {
    const size = this.h * this.w * this.c;
    return Uint8Array.from({ length: size }, (_, k) => (i * 7 + k) % 256);
  }
  protected getItem(i: number): [NDArray, number] {
    return [nd.fromTypedArray(this.image(i), [this.h, this.w, this.c]), i % 10];
  }
  override getBatch(indices: Int32Array) {
    if (!this.fast) return undefined;
    const size = this.h * this.w * this.c;
    const X = new Uint8Array(indices.length * size);
    for (let k = 0; k < indices.length; k++) X.set(this.image(indices[k]), k * size);
    return [
      nd.fromTypedArray(X, [indices.length, this.h, this.w, this.c]),
      nd.fromTypedArray(
        Int32Array.from(indices, (i) => i % 10),
        [indices.length],
      ),
    ];
  }
}

const labelsOf = (loader: Iterable<[NDArray, NDArray]>) => Array.from(loader, ([, y]) => Array.from(y.data));

describe('DataLoader', () => {
  it('yields [X (B,C,H,W) float32, y (B,) int32] with ToTensor, the last batch kept', () => {
    const loader = new DataLoader(new Images(10).transformFirst(new ToTensor()), { batchSize: 4 });
    const batches = Array.from(loader);
    expect(loader.length).toBe(3);
    expect(batches.map(([X]) => X.shape)).toEqual([
      [4, 1, 4, 3],
      [4, 1, 4, 3],
      [2, 1, 4, 3],
    ]);
    expect(batches[0][0].dtype).toBe('float32');
    expect(batches[0][1].dtype).toBe('int32');
    expect(batches[0][1].shape).toEqual([4]);
    expect(batches[2][0].data[0]).toBeCloseTo((8 * 7) / 255, 6);
  });

  it('the fast path and the per-item path give the same batches', () => {
    for (const c of [1, 3]) {
      const t = new Compose([new ToTensor(), new Normalize(0.5, 0.25)]);
      const fast = Array.from(
        new DataLoader(new Images(9, 4, 3, c, true).transformFirst(t), { batchSize: 4 }),
      );
      const slow = Array.from(
        new DataLoader(new Images(9, 4, 3, c, false).transformFirst(t), { batchSize: 4 }),
      );
      expect(fast.length).toBe(3);
      fast.forEach(([X, y], b) => {
        expect(X.shape).toEqual(slow[b][0].shape);
        expect(Array.from(X.data)).toEqual(Array.from(slow[b][0].data));
        expect(Array.from(y.data)).toEqual(Array.from(slow[b][1].data));
        expect(y.dtype).toBe(slow[b][1].dtype);
      });
    }
  });

  it("lastBatch 'discard' drops and 'rollover' carries the rest into the next epoch", () => {
    const ds = new SimpleDataset(Array.from({ length: 10 }, (_, i) => i));
    const discard = new DataLoader(ds, { batchSize: 4, lastBatch: 'discard' });
    expect(discard.length).toBe(2);
    expect(Array.from(discard, (b) => Array.from(b.data))).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
    ]);
    const roll = new DataLoader(ds, { batchSize: 4, lastBatch: 'rollover' });
    expect(roll.length).toBe(2);
    expect(Array.from(roll, (b) => Array.from(b.data))).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
    ]);
    expect(roll.length).toBe(3); // 2 carried + 10
    expect(Array.from(roll, (b) => Array.from(b.data))).toEqual([
      [8, 9, 0, 1],
      [2, 3, 4, 5],
      [6, 7, 8, 9],
    ]);
    expect(roll.length).toBe(2);
  });

  it('shuffles with the seeded RNG: a permutation per epoch, repeatable after nd.random.seed', () => {
    const ds = new Images(100);
    const loader = new DataLoader(ds, { batchSize: 32, shuffle: true });
    nd.random.seed(7);
    const e1 = labelsOf(loader).flat();
    const e2 = labelsOf(loader).flat();
    nd.random.seed(7);
    const again = labelsOf(loader).flat();
    expect(e1).toEqual(again);
    expect(e1).not.toEqual(e2);
    expect(e1.length).toBe(100);
    // Every item exactly once: labels are i % 10, so each label appears 10 times.
    const counts = new Array(10).fill(0);
    for (const y of e1) counts[y]++;
    expect(counts).toEqual(new Array(10).fill(10));
    const unshuffled = labelsOf(new DataLoader(ds, { batchSize: 100 }))[0];
    expect(unshuffled).toEqual(Array.from({ length: 100 }, (_, i) => i % 10));
  });

  it('keeps image and label together under shuffling', () => {
    const ds = new Images(50, 1, 1, 1);
    nd.random.seed(11);
    for (const [X, y] of new DataLoader(ds, { batchSize: 8, shuffle: true })) {
      for (let k = 0; k < y.size; k++) {
        // pixel = (i*7) % 256 with label i % 10 -> recover i from the pixel (i < 37 is unique mod 256).
        const i = ((X.data[k] as number) * 183) % 256; // 183 = 7^-1 mod 256
        expect(i % 10).toBe(y.data[k]);
      }
    }
  });

  it('rejects a bad batchSize, lastBatch and conflicting options clearly', () => {
    const ds = new Images(5);
    for (const bs of [0, -1, 2.5, Number.NaN, '4' as unknown as number, undefined]) {
      expect(() => new DataLoader(ds, { batchSize: bs })).toThrow(
        new RegExp(`DataLoader: batchSize must be a positive integer, got ${String(bs)}`),
      );
    }
    expect(() => new DataLoader(ds, { batchSize: 2, lastBatch: 'drop' as 'keep' })).toThrow(
      /lastBatch must be/,
    );
    expect(() => new DataLoader(ds, { batchSize: 2, shuffle: true, sampler: () => [0] })).toThrow(
      /shuffle must not/,
    );
    expect(() => new DataLoader({} as Dataset<number>, 2)).toThrow(/must be a Dataset/);
    const bad = new DataLoader(ds, { batchSize: 2, sampler: () => [0, 9] });
    expect(() => Array.from(bad)).toThrow(/sampler gave index 9, out of range for a dataset of length 5/);
  });

  it('accepts a batch size as the second argument, samplers and batchSamplers', () => {
    const ds = new SimpleDataset([10, 11, 12, 13, 14]);
    expect(Array.from(new DataLoader(ds, 2), (b) => b.shape[0])).toEqual([2, 2, 1]);
    const s = new DataLoader(ds, { batchSize: 2, sampler: () => [4, 3, 2] });
    expect(Array.from(s, (b) => Array.from(b.data))).toEqual([[14, 13], [12]]);
    const bsamp = new DataLoader(ds, { batchSampler: () => [[0], [1, 2, 3]] });
    expect(bsamp.length).toBe(2);
    expect(Array.from(bsamp, (b) => Array.from(b.data))).toEqual([[10], [11, 12, 13]]);
    const custom = new DataLoader(ds, { batchSize: 5, batchify: (items: number[]) => items.join('+') });
    expect(Array.from(custom)).toEqual(['10+11+12+13+14']);
  });
});

describe('defaultBatchify', () => {
  it('stacks NDArrays, numbers (int32, or float32 for non-integers) and tuples', () => {
    const [X, y, z] = defaultBatchify([
      [nd.fromTypedArray(new Float64Array([1, 2]), [2]), 1, 0.5],
      [nd.fromTypedArray(new Float64Array([3, 4]), [2]), 2, 1],
    ]);
    expect(X.shape).toEqual([2, 2]);
    expect(X.dtype).toBe('float64');
    expect(Array.from(X.data)).toEqual([1, 2, 3, 4]);
    expect(y.dtype).toBe('int32');
    expect(z.dtype).toBe('float32');
  });

  it('names the item that does not fit', () => {
    expect(() =>
      defaultBatchify([nd.fromTypedArray(new Uint8Array(2), [2]), nd.fromTypedArray(new Uint8Array(3), [3])]),
    ).toThrow(/cannot stack item 1 of uint8 \(3\) with item 0 of uint8 \(2\)/);
    expect(() => defaultBatchify([{}])).toThrow(/cannot batch items of type object/);
    expect(() => defaultBatchify([])).toThrow(/empty/);
  });
});

describe('Dataset and ArrayDataset', () => {
  it('ArrayDataset zips columns and keeps dtypes in batches', () => {
    const X = nd.fromTypedArray(
      Float32Array.from({ length: 12 }, (_, i) => i),
      [6, 2],
    );
    const y = nd.fromTypedArray(Float32Array.from([0.5, 1.5, 2.5, 3.5, 4.5, 5.5]), [6]);
    const ds = new ArrayDataset(X, y);
    expect(ds.length).toBe(6);
    const [x1, y1] = ds.at(1) as [NDArray, number];
    expect(x1.shape).toEqual([2]);
    expect(Array.from(x1.data)).toEqual([2, 3]);
    expect(y1).toBe(1.5);
    const [bx, by] = Array.from(new DataLoader(ds, { batchSize: 4 }))[1] as unknown as [NDArray, NDArray];
    expect(bx.shape).toEqual([2, 2]);
    expect(by.dtype).toBe('float32');
    expect(Array.from(by.data)).toEqual([4.5, 5.5]);
    expect(new ArrayDataset([1, 2, 3]).at(2)).toBe(3);
    expect(new ArrayDataset(['a', 'b'], [1, 2]).at(0)).toEqual(['a', 1]);
    expect(() => new ArrayDataset(X, [1, 2])).toThrow(/argument 0 has 6, argument 1 has 2/);
  });

  it('transform and transformFirst, lazy or not; iteration; index errors', () => {
    const ds = new SimpleDataset<[number, string]>([
      [1, 'a'],
      [2, 'b'],
    ]);
    expect(ds.transform((n, s) => `${s}${n}`).at(1)).toBe('b2');
    expect(ds.transformFirst((n: number) => n * 10).at(0)).toEqual([10, 'a']);
    expect(ds.transformFirst({ forward: (n: number) => -n }, false).at(1)).toEqual([-2, 'b']);
    expect(Array.from(ds)).toEqual([
      [1, 'a'],
      [2, 'b'],
    ]);
    expect(() => ds.at(2)).toThrow(/SimpleDataset\.at: index 2 is out of range for a dataset of length 2/);
    expect(() => ds.transformFirst((n: number) => n).at(-3)).toThrow(/out of range/);
  });
});

describe('transforms', () => {
  it('ToTensor: (H,W,C) uint8 -> (C,H,W) float32 in [0,1], and batches', () => {
    const hwc = nd.fromTypedArray(Uint8Array.from([0, 255, 51, 102, 153, 204]), [1, 2, 3]);
    const chw = new ToTensor().forward(hwc);
    expect(chw.shape).toEqual([3, 1, 2]);
    expect(chw.dtype).toBe('float32');
    expect(Array.from(chw.data)).toEqual([0, 102 / 255, 1, 153 / 255, 51 / 255, 204 / 255].map(Math.fround));
    const batch = nd.fromTypedArray(new Uint8Array(2 * 6).fill(255), [2, 1, 2, 3]);
    expect(new ToTensor().forwardBatch(batch).shape).toEqual([2, 3, 1, 2]);
    expect(() => new ToTensor().forward(nd.fromTypedArray(new Uint8Array(4), [2, 2]))).toThrow(
      /ToTensor: expected an image of shape \(H,W,C\), got \(2,2\)/,
    );
  });

  it('Normalize per channel, with clear errors', () => {
    const x = nd.fromTypedArray(Float32Array.from([1, 2, 3, 4]), [2, 1, 2]);
    expect(Array.from(new Normalize([1, 2], [1, 2]).forward(x).data)).toEqual([0, 1, 0.5, 1]);
    expect(() => new Normalize([1, 2, 3]).forward(x)).toThrow(
      /mean has 3 values but the input has 2 channels/,
    );
    expect(() => new Normalize(0, 0)).toThrow(/std must be finite and non-zero/);
  });

  it('Resize: bilinear keeps constants and corners, nearest picks pixels, dtype kept', () => {
    const x = nd.fromTypedArray(Uint8Array.from([0, 100, 200, 250]), [2, 2, 1]);
    const up = new Resize(4).forward(x);
    expect(up.shape).toEqual([4, 4, 1]);
    expect(up.dtype).toBe('uint8');
    expect(up.data[0]).toBe(0);
    expect(up.data[15]).toBe(250);
    const near = new Resize([4, 2], false, 0).forward(x);
    expect(near.shape).toEqual([2, 4, 1]);
    expect(Array.from(near.data)).toEqual([0, 0, 100, 100, 200, 200, 250, 250]);
    const flat = nd.fromTypedArray(new Float32Array(3 * 5 * 2).fill(0.25), [3, 5, 2]);
    const r = new Resize(2, true).forward(flat);
    expect(r.shape).toEqual([2, 3, 2]);
    expect(Array.from(r.data).every((v) => v === 0.25)).toBe(true);
    expect(() => new Resize(0)).toThrow(/Resize: size must be a positive integer/);
    const t = new Compose([new Resize(8), new ToTensor()]);
    expect(t.forward(x).shape).toEqual([1, 8, 8]);
    expect(t.forwardBatch(nd.fromTypedArray(new Uint8Array(8), [2, 2, 2, 1])).shape).toEqual([2, 1, 8, 8]);
  });

  it('Compose with a plain function has no batch path, and the loader falls back per item', () => {
    const t = new Compose([new ToTensor(), (x: NDArray) => x]);
    expect(t.batchable).toBe(false);
    const [X] = Array.from(new DataLoader(new Images(3).transformFirst(t), { batchSize: 3 }))[0];
    expect(X.shape).toEqual([3, 1, 4, 3]);
  });
});

describe("Gluon's positional form new DataLoader(dataset, batchSize, options)", () => {
  const ds = new SimpleDataset(Array.from({ length: 50 }, (_, i) => i));
  const epoch = (loader: DataLoader<number>) => Array.from(loader, (b) => Array.from(b.data));
  it('honours shuffle, as the book writes DataLoader(dataset, batch_size, shuffle=True)', () => {
    nd.random.seed(3);
    const positional = new DataLoader(ds, 8, { shuffle: true });
    expect(positional.batchSize).toBe(8);
    expect(positional.shuffle).toBe(true);
    const order = epoch(positional).flat();
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(order).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
    // the same draws as the options form after the same seed
    nd.random.seed(3);
    expect(order).toEqual(epoch(new DataLoader(ds, { batchSize: 8, shuffle: true })).flat());
  });
  it('honours lastBatch and the other options; the one-number form still works', () => {
    const discard = new DataLoader(ds, 8, { lastBatch: 'discard' });
    expect(discard.length).toBe(6);
    expect(epoch(discard).at(-1)).toEqual([40, 41, 42, 43, 44, 45, 46, 47]);
    const kept = new DataLoader(ds, 8);
    expect(kept.length).toBe(7);
    expect(epoch(kept).at(-1)).toEqual([48, 49]);
    const custom = new DataLoader(ds, 20, { batchify: (items: number[]) => items.length });
    expect(Array.from(custom)).toEqual([20, 20, 10]);
  });
  it('rejects options given twice or a batch size given twice', () => {
    expect(() => new DataLoader(ds, 8, { shuffle: true, sampler: () => [0] })).toThrow(/shuffle must not/);
    // @ts-expect-error batchSize is not an option of the positional form
    expect(() => new DataLoader(ds, 8, { batchSize: 4 })).toThrow(
      'DataLoader: batchSize given both positionally and in the options',
    );
    // @ts-expect-error the options form takes no third argument
    expect(() => new DataLoader(ds, { batchSize: 8 }, { shuffle: true })).toThrow(/options given twice/);
    expect(() => new DataLoader(ds, 0, { shuffle: true })).toThrow(/batchSize must be a positive integer/);
  });
});

describe('a plain array as the dataset (issue 15, item 18)', () => {
  it('is wrapped as a SimpleDataset, as Gluon takes a list; other values get a clear error', () => {
    const items: Array<[NDArray, number]> = [0, 1, 2, 3, 4].map((i) => [nd.array([i, 10 * i]), i]);
    const loader = new DataLoader(items, 2, { lastBatch: 'keep' });
    expect(loader.dataset).toBeInstanceOf(SimpleDataset);
    const batches = [...loader];
    expect(batches).toHaveLength(3);
    const [X, y] = batches[0] as [NDArray, NDArray];
    expect(X.shape).toEqual([2, 2]);
    expect(Array.from(X.data)).toEqual([0, 0, 1, 10]);
    expect(Array.from(y.data)).toEqual([0, 1]);
    expect((batches[2] as NDArray[])[0].shape).toEqual([1, 2]);
    const numbers = [...new DataLoader([5, 6, 7], { batchSize: 3 })] as NDArray[];
    expect(Array.from(numbers[0].data)).toEqual([5, 6, 7]);
    expect(() => new DataLoader(null as unknown as number[], 2)).toThrow(
      'DataLoader: the first argument must be a Dataset or an array of items, got null',
    );
    expect(() => new DataLoader('abc' as unknown as number[], 2)).toThrow(/got string/);
  });
});
