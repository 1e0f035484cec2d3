/**
 * `DataLoader`, Gluon's `gluon.data.DataLoader`: iterates over a dataset in mini-batches, shuffled
 * with the seeded global RNG (`nd.random.seed`), with the last partial batch kept, discarded or
 * rolled over into the next epoch. Batches come from the dataset's fast path (`getBatch`: whole
 * typed arrays, batched transforms, uint8 images converted on the way in) when it has one, else
 * from stacking items (`defaultBatchify`); both give the same batches.
 */
import { NDArray, nd } from '@minimx/ndarray';
import { allocLike, type Dataset, SimpleDataset } from './dataset.js';

/** What to do with the last, smaller batch of an epoch. */
export type LastBatch = 'keep' | 'discard' | 'rollover';

/** The batch made from items of type `T`: NDArrays and numbers are stacked, tuples element-wise. */
export type Batch<T> = T extends NDArray
  ? NDArray
  : T extends number
    ? NDArray
    : T extends readonly unknown[]
      ? { -readonly [K in keyof T]: Batch<T[K]> }
      : never;

/** Options of {@link DataLoader}. */
export interface DataLoaderOptions<T, B> {
  /** Samples per batch: a positive integer. Required unless `batchSampler` is given. */
  batchSize?: number;
  /** Draw a new random order every epoch (from the seeded RNG). Default false. */
  shuffle?: boolean;
  /** The last partial batch: `'keep'` (default), `'discard'`, or `'rollover'` into the next epoch. */
  lastBatch?: LastBatch;
  /** The order of indices of one epoch (instead of `shuffle`); called once per epoch. */
  sampler?: () => Iterable<number>;
  /** The batches of indices of one epoch (instead of `batchSize`, `shuffle`, `sampler`, `lastBatch`). */
  batchSampler?: () => Iterable<readonly number[]>;
  /** Turns a list of items into a batch (default {@link defaultBatchify}; disables the fast path). */
  batchify?: (items: T[]) => B;
  /** Accepted for source compatibility with Gluon; batches are assembled in this thread. */
  numWorkers?: number;
}

const shapeStr = (s: readonly number[]) => `(${s.join(',')})`;

function stackArrays(items: NDArray[], where: string): NDArray {
  const first = items[0];
  const rowSize = first.size;
  const out = allocLike(first.data, items.length * rowSize);
  items.forEach((x, k) => {
    if (
      x.dtype !== first.dtype ||
      x.shape.length !== first.shape.length ||
      x.shape.some((d, i) => d !== first.shape[i])
    ) {
      throw new RangeError(
        `DataLoader: cannot stack ${where}item ${k} of ${x.dtype} ${shapeStr(x.shape)} with item 0 of ${first.dtype} ${shapeStr(first.shape)}`,
      );
    }
    out.set(x.data, k * rowSize);
  });
  return nd.fromTypedArray(out, [items.length, ...first.shape]);
}

function stackNumbers(items: number[], where: string): NDArray {
  let ints = true;
  for (let k = 0; k < items.length; k++) {
    const v = items[k];
    if (typeof v !== 'number')
      throw new TypeError(`DataLoader: ${where}item ${k} is a ${typeof v}, expected a number`);
    if (!Number.isInteger(v) || v < -2147483648 || v > 2147483647) ints = false;
  }
  return nd.fromTypedArray(ints ? Int32Array.from(items) : Float32Array.from(items), [items.length]);
}

function batchifyAt(items: unknown[], where: string): unknown {
  const first = items[0];
  if (first instanceof NDArray) return stackArrays(items as NDArray[], where);
  if (typeof first === 'number') return stackNumbers(items as number[], where);
  if (Array.isArray(first)) {
    return first.map((_, j) => {
      const column = items.map((item, k) => {
        if (!Array.isArray(item) || item.length !== first.length) {
          throw new TypeError(`DataLoader: item ${k} is not a tuple of ${first.length} like item 0`);
        }
        return item[j];
      });
      return batchifyAt(column, `${where}element ${j} of `);
    });
  }
  throw new TypeError(
    `DataLoader: cannot batch ${where}items of type ${first === null ? 'null' : typeof first}; pass a batchify function`,
  );
}

/**
 * Stacks a list of items into a batch: NDArrays of equal shape and dtype become one NDArray with
 * a new first axis; numbers become an int32 array (float32 if any is not an int32); tuples are
 * batched element by element.
 *
 * MXNet counterpart: `gluon.data.batchify.Stack` / the default `batchify_fn` of `DataLoader`.
 *
 * @example
 * ```ts
 * const [X, y] = defaultBatchify([dataset.at(0), dataset.at(1)]); // X (2,28,28,1) uint8, y (2,) int32
 * ```
 */
export function defaultBatchify<T>(items: T[]): Batch<T> {
  if (items.length === 0) throw new RangeError('DataLoader: cannot batch an empty list of items');
  return batchifyAt(items, '') as Batch<T>;
}

/**
 * Iterates over `dataset` in mini-batches. Each `for ... of` over the loader is one epoch; with
 * `shuffle` each epoch has a new order drawn from the seeded RNG. For Fashion-MNIST with
 * `transformFirst(new transforms.ToTensor())` and batch size 256, batches are
 * `[X (256,1,28,28) float32, y (256,) int32]`, and the last of an epoch has 96 samples with
 * `lastBatch: 'keep'`.
 *
 * MXNet counterpart: `gluon.data.DataLoader(dataset, batch_size, shuffle, sampler, last_batch,
 * batch_sampler, batchify_fn, num_workers)`. Both the options form and Gluon's positional form
 * `new DataLoader(dataset, batchSize, { shuffle: true })` are accepted.
 *
 * @example
 * ```ts
 * const trainIter = new DataLoader(mnistTrain.transformFirst(new transforms.ToTensor()), {
 *   batchSize: 256,
 *   shuffle: true,
 * });
 * for (const [X, y] of trainIter) {
 *   // X: (256,1,28,28) float32, y: (256,) int32
 * }
 * ```
 */
export class DataLoader<T, B = Batch<T>> implements Iterable<B> {
  /** Samples per batch. MXNet: `batch_size`. */
  readonly batchSize: number;
  /** Whether each pass visits the samples in a new random order. MXNet: `shuffle`. */
  readonly shuffle: boolean;
  /** What happens to a last incomplete batch: 'keep', 'discard' or 'rollover'. MXNet: `last_batch`. */
  readonly lastBatch: LastBatch;
  private readonly options: DataLoaderOptions<T, B>;
  private carried: number[] = [];

  /** The dataset batches are drawn from (a plain array given to the constructor is wrapped in a `SimpleDataset`). */
  readonly dataset: Dataset<T>;

  /** `new DataLoader(dataset, { batchSize: 256, shuffle: true })`; a plain array of items is a dataset too. */
  constructor(dataset: Dataset<T> | readonly T[], options?: DataLoaderOptions<T, B>);
  /** Gluon's positional form: `new DataLoader(dataset, 256, { shuffle: true })`. */
  constructor(
    dataset: Dataset<T> | readonly T[],
    batchSize: number,
    options?: Omit<DataLoaderOptions<T, B>, 'batchSize'>,
  );
  constructor(
    dataset: Dataset<T> | readonly T[],
    options: DataLoaderOptions<T, B> | number = {},
    rest?: Omit<DataLoaderOptions<T, B>, 'batchSize'>,
  ) {
    if (rest !== undefined && (rest === null || typeof rest !== 'object')) {
      throw new TypeError('DataLoader: the third argument must be an options object');
    }
    if (typeof options !== 'number' && rest !== undefined) {
      throw new TypeError(
        'DataLoader: options given twice; use new DataLoader(dataset, batchSize, options) or new DataLoader(dataset, options)',
      );
    }
    if (typeof options === 'number' && rest !== undefined && 'batchSize' in rest) {
      throw new TypeError('DataLoader: batchSize given both positionally and in the options');
    }
    const opts: DataLoaderOptions<T, B> =
      typeof options === 'number' ? { ...(rest ?? {}), batchSize: options } : options;
    // As in Gluon, where a list works as a dataset: a plain array is wrapped (its own `at` is not a Dataset's).
    const source = (
      Array.isArray(dataset) ? new SimpleDataset<T>(dataset as readonly T[]) : dataset
    ) as Dataset<T> | null;
    if (source === null || typeof source !== 'object' || typeof source.at !== 'function') {
      throw new TypeError(
        `DataLoader: the first argument must be a Dataset or an array of items, got ${source === null ? 'null' : typeof source}`,
      );
    }
    this.dataset = source;
    const hasBatchSampler = opts.batchSampler !== undefined;
    if (hasBatchSampler) {
      if (
        opts.batchSize !== undefined ||
        opts.shuffle ||
        opts.sampler !== undefined ||
        opts.lastBatch !== undefined
      ) {
        throw new TypeError(
          'DataLoader: batchSize, shuffle, sampler and lastBatch must not be given with batchSampler',
        );
      }
    } else {
      const bs = opts.batchSize;
      if (typeof bs !== 'number' || !Number.isInteger(bs) || bs < 1) {
        throw new RangeError(`DataLoader: batchSize must be a positive integer, got ${String(bs)}`);
      }
    }
    if (opts.shuffle && opts.sampler !== undefined) {
      throw new TypeError('DataLoader: shuffle must not be given with sampler');
    }
    const lastBatch = opts.lastBatch ?? 'keep';
    if (lastBatch !== 'keep' && lastBatch !== 'discard' && lastBatch !== 'rollover') {
      throw new RangeError(
        `DataLoader: lastBatch must be 'keep', 'discard' or 'rollover', got ${JSON.stringify(lastBatch)}`,
      );
    }
    this.batchSize = opts.batchSize ?? 0;
    this.shuffle = opts.shuffle ?? false;
    this.lastBatch = lastBatch;
    this.options = opts;
  }

  /**
   * The number of batches the next epoch will yield.
   *
   * MXNet counterpart: `len(data_loader)`.
   */
  get length(): number {
    if (this.options.batchSampler !== undefined) return Array.from(this.options.batchSampler()).length;
    const n =
      this.carried.length +
      (this.options.sampler ? Array.from(this.options.sampler()).length : this.dataset.length);
    return this.lastBatch === 'keep' ? Math.ceil(n / this.batchSize) : Math.floor(n / this.batchSize);
  }

  /**
   * Checks sampler indices while they are still numbers: converted to Int32Array first, NaN,
   * 2.7 and 2^32 would silently become items 0, 2 and 0.
   */
  private checkIndices(indices: Iterable<number>, what: string): number[] {
    const list = Array.from(indices);
    const n = this.dataset.length;
    for (const i of list) {
      if (!(Number.isInteger(i) && i >= 0 && i < n)) {
        const shown = typeof i === 'number' ? i : JSON.stringify(i);
        throw new RangeError(
          Number.isInteger(i)
            ? `DataLoader: ${what} gave index ${shown}, out of range for a dataset of length ${n}`
            : `DataLoader: ${what} gave index ${shown}, which is not an integer (dataset of length ${n})`,
        );
      }
    }
    return list;
  }

  private epochOrder(): ArrayLike<number> {
    if (this.options.sampler !== undefined) return this.checkIndices(this.options.sampler(), 'sampler');
    const n = this.dataset.length;
    if (this.shuffle) return nd.random.shuffleIndices(n);
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    return order;
  }

  private *batchesOfIndices(): Generator<Int32Array> {
    if (this.options.batchSampler !== undefined) {
      for (const b of this.options.batchSampler())
        yield Int32Array.from(this.checkIndices(b, 'batchSampler'));
      return;
    }
    const order = this.epochOrder();
    const carried = this.carried;
    this.carried = [];
    const total = carried.length + order.length;
    const bs = this.batchSize;
    const at = (k: number) => (k < carried.length ? carried[k] : order[k - carried.length]);
    let start = 0;
    for (; start + bs <= total; start += bs) {
      const idx = new Int32Array(bs);
      for (let k = 0; k < bs; k++) idx[k] = at(start + k);
      yield idx;
    }
    if (start < total) {
      const rest: number[] = [];
      for (let k = start; k < total; k++) rest.push(at(k));
      if (this.lastBatch === 'keep') yield Int32Array.from(rest);
      else if (this.lastBatch === 'rollover') this.carried = rest;
    }
  }

  private makeBatch(indices: Int32Array): B {
    const n = this.dataset.length;
    for (let k = 0; k < indices.length; k++) {
      const i = indices[k];
      if (!(i >= 0 && i < n)) {
        throw new RangeError(
          `DataLoader: sampler gave index ${i}, out of range for a dataset of length ${n}`,
        );
      }
    }
    if (this.options.batchify === undefined) {
      const fast = typeof this.dataset.getBatch === 'function' ? this.dataset.getBatch(indices) : undefined;
      if (fast !== undefined) return fast as B;
    }
    const items = Array.from(indices, (i) => this.dataset.at(i));
    return this.options.batchify ? this.options.batchify(items) : (defaultBatchify(items) as B);
  }

  /** One epoch of batches. */
  *[Symbol.iterator](): Iterator<B> {
    for (const indices of this.batchesOfIndices()) yield this.makeBatch(indices);
  }
}
