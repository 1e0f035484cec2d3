/**
 * The data helpers of d2l: `dataIter` (3.2, random mini-batches of in-memory arrays) and
 * `loadDataFashionMnist` (3.6, Fashion-MNIST as two `DataLoader`s, resized batch by batch when
 * asked, as 5.6 does for AlexNet), plus `limitBatches`, a cap on every pass of these iterators that
 * the examples' `--batches N` flag sets so a test can run a section in seconds.
 */
import { DataLoader, transforms, vision } from '@minimx/datasets';
import { type NDArray, nd } from '@minimx/ndarray';

/** An iterable that may know how many items one pass yields (a `DataLoader`, an array). */
export type SizedIterable<T> = Iterable<T> & {
  /** Items (batches) per pass, when known. */
  readonly length?: number;
};

/** A data iterator: each pass yields `[X, y]` mini-batches; `length` (batches per pass) if known. */
export type DataIter = SizedIterable<readonly [NDArray, NDArray]>;

let maxBatches = Infinity;

/**
 * Caps every pass of the iterators made by `dataIter` and `loadDataFashionMnist` (and those
 * wrapped with `limited`) at `n` batches; `Infinity` removes the cap. No d2lzh counterpart: the
 * examples' `--batches N` flag sets it so a test can run them in seconds.
 * @example d2l.limitBatches(3); // every pass over trainIter now stops after 3 batches
 */
export function limitBatches(n: number): void {
  if (!(n >= 1)) throw new RangeError(`limitBatches: expected a positive number of batches, got ${n}`);
  maxBatches = n;
}

/** An iterable that stops each pass after `limit` batches of `inner`. */
class LimitedIter<T> implements Iterable<T> {
  constructor(
    private readonly inner: SizedIterable<T>,
    private readonly limit: number,
  ) {}
  get length(): number | undefined {
    return this.inner.length === undefined ? undefined : Math.min(this.inner.length, this.limit);
  }
  *[Symbol.iterator](): Iterator<T> {
    let k = 0;
    for (const item of this.inner) {
      yield item;
      if (++k >= this.limit) return;
    }
  }
}

/**
 * Applies the `limitBatches` cap to an iterator (returns it unchanged when there is none).
 * No d2lzh counterpart.
 * @example const dataIter = d2l.limited(new DataLoader(dataset, { batchSize: 10, shuffle: true }));
 */
export function limited<T>(iter: SizedIterable<T>): SizedIterable<T> {
  return Number.isFinite(maxBatches) ? new LimitedIter(iter, maxBatches) : iter;
}

// #region dataIter
/**
 * Reads `features` and `labels` in random mini-batches of `batchSize` (the last one smaller), in a
 * new order drawn from the seeded RNG on every call. d2l 3.2: `d2l.data_iter(batch_size, features, labels)`.
 * @example for (const [X, y] of d2l.dataIter(10, features, labels)) { ... }
 */
export function* dataIter(
  batchSize: number,
  features: NDArray,
  labels: NDArray,
): Generator<[NDArray, NDArray]> {
  const numExamples = features.shape[0];
  const indices = Array.from(nd.random.shuffleIndices(numExamples)); // the examples are read in random order
  for (let i = 0, k = 0; i < numExamples && k < maxBatches; i += batchSize, k++) {
    const j = nd.array(indices.slice(i, Math.min(i + batchSize, numExamples)), { dtype: 'int32' });
    yield [features.take(j), labels.take(j)];
  }
}
// #endregion

/** Options of {@link loadDataFashionMnist}: Python's keyword arguments. */
export interface LoadDataOptions {
  /** Resize the 28x28 images to this size first (Gluon's `transforms.Resize`), batch by batch. */
  resize?: number;
  /** The cache folder (default `$MINIMX_HOME/datasets/fashion-mnist`, then the system copy). */
  root?: string;
}

// #region loadDataFashionMnist
/**
 * Fashion-MNIST as two mini-batch iterators, `[trainIter, testIter]`: images ToTensor'd (and
 * resized if asked) to float32 (batch,1,28,28) in [0,1], labels int32; the training set shuffled
 * each epoch, the test set in order. The transform is applied to each batch as it is read
 * (`transformFirst`), so `resize: 224` costs one batch of 224x224 images at a time, never all
 * 60,000. Async because a missing copy is downloaded first.
 * d2l 3.6: `d2l.load_data_fashion_mnist(batch_size, resize=None, root=...)`.
 * @example const [trainIter, testIter] = await d2l.loadDataFashionMnist(128, { resize: 224 });
 */
export async function loadDataFashionMnist(
  batchSize: number,
  { resize, root }: LoadDataOptions = {},
): Promise<[DataIter, DataIter]> {
  const transformer: transforms.Transform[] = [];
  if (resize) transformer.push(new transforms.Resize(resize));
  transformer.push(new transforms.ToTensor());
  const composed = new transforms.Compose(transformer);
  const mnistTrain = await vision.FashionMNIST.load({ root, train: true });
  const mnistTest = await vision.FashionMNIST.load({ root, train: false });
  const trainIter = new DataLoader(mnistTrain.transformFirst(composed), { batchSize, shuffle: true });
  const testIter = new DataLoader(mnistTest.transformFirst(composed), { batchSize, shuffle: false });
  return [limited(trainIter) as DataIter, limited(testIter) as DataIter];
}
// #endregion

/**
 * `range(start, stop)` of Python: the integers start, start+1, ..., stop-1. No d2lzh counterpart
 * (Python's built-in, which the book's plotting cells use).
 * @example d2l.range(1, numEpochs + 1) // [1, 2, ..., numEpochs]
 */
export function range(start: number, stop: number): number[] {
  return Array.from({ length: Math.max(0, stop - start) }, (_, i) => start + i);
}
