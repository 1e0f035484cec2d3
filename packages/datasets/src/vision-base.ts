/**
 * The arrays behind `vision.MNIST` and `vision.FashionMNIST`, shared by the Node classes (which read
 * files) and the browser classes (which fetch them): all pixels (N,28,28,1) uint8 and all labels,
 * items `[image, label]`, `slice`, and the batch fast path of `DataLoader`. No Node module.
 */
import { type NDArray, nd } from '@minimx/ndarray';
import { Dataset, gatherRows, type RowSource } from './dataset.js';

const HEIGHT = 28;
const WIDTH = 28;

/** A per-item transform of the vision data sets: `(data, label) => [data, label]`, as in Gluon. */
export type ItemTransform = (data: NDArray, label: number) => [NDArray, number];

/**
 * 28x28 grey images with integer labels, held as two whole typed arrays. The base of
 * `vision.MNIST` and `vision.FashionMNIST` in Node and in browsers; not constructed directly.
 *
 * MXNet counterpart: `gluon.data.vision.datasets._DownloadedDataset` (`_data`, `_label`).
 *
 * @example
 * ```ts
 * const [X, y] = mnistTrain.slice(0, 9); // (9,28,28,1) uint8, (9,) int32
 * ```
 */
export abstract class VisionArrays extends Dataset<[NDArray, number]> {
  /** Whether this is the training split. */
  readonly train: boolean;
  /** All pixels, row-major (N,28,28,1), shared by the items' copies. */
  readonly images: Uint8Array;
  /** All labels. */
  readonly labels: Int32Array;
  /** The `transform` option, applied by `at(i)`. */
  protected readonly itemTransform: ItemTransform | undefined;

  /** Checks that images and labels agree in number; `what` names both sources in the error. */
  protected constructor(
    train: boolean,
    images: { shape: readonly number[]; data: ArrayLike<number>; from: string },
    labels: { shape: readonly number[]; data: ArrayLike<number>; from: string },
    transform: ItemTransform | undefined,
    what: string,
  ) {
    super();
    const n = labels.shape[0];
    if (images.shape[0] !== n) {
      throw new Error(
        `${what}: ${images.from} has ${images.shape[0]} images but ${labels.from} has ${n} labels`,
      );
    }
    this.train = train;
    this.images = images.data as Uint8Array;
    this.labels = Int32Array.from(labels.data);
    this.itemTransform = transform;
  }

  /** The number of items: 60000 (train) or 10000 (test). */
  get length(): number {
    return this.labels.length;
  }

  protected getItem(index: number): [NDArray, number] {
    const size = HEIGHT * WIDTH;
    const image = nd.fromTypedArray(this.images.slice(index * size, (index + 1) * size), [HEIGHT, WIDTH, 1]);
    const label = this.labels[index];
    return this.itemTransform ? this.itemTransform(image, label) : [image, label];
  }

  /**
   * Items `start` to `end` (exclusive) as two arrays: images (n,28,28,1) uint8 and labels (n,)
   * int32, without the `transform` option applied.
   *
   * MXNet counterpart: `dataset[start:end]`, e.g. d2l's `X, y = mnist_train[0:9]`.
   *
   * @example
   * ```ts
   * const [X, y] = mnistTrain.slice(0, 9);
   * showFashionMnist(X, getFashionMnistLabels(y));
   * ```
   */
  slice(start = 0, end = this.length): [NDArray, NDArray] {
    const n = this.length;
    const clamp = (i: number) => Math.min(n, Math.max(0, i < 0 ? i + n : i));
    if (!Number.isInteger(start) || !Number.isInteger(end)) {
      throw new TypeError(
        `${this.constructor.name}.slice: start and end must be integers, got ${start}, ${end}`,
      );
    }
    const s = clamp(start);
    const e = Math.max(s, clamp(end));
    const idx = new Int32Array(e - s);
    for (let k = 0; k < idx.length; k++) idx[k] = s + k;
    return this.gather(idx);
  }

  private gather(indices: Int32Array): [NDArray, NDArray] {
    return [
      gatherRows(this.images, [this.length, HEIGHT, WIDTH, 1], indices),
      gatherRows(this.labels, [this.length], indices),
    ];
  }

  /** The fast path for `DataLoader`: `[X (B,28,28,1) uint8, y (B,) int32]`, unless `transform` is set. */
  override getBatch(indices: Int32Array): unknown {
    return this.itemTransform === undefined ? this.gather(indices) : undefined;
  }

  /** @internal All pixels (N,28,28,1), for `transformFirst`'s fused path, unless `transform` is set. */
  override _firstRows(): RowSource | undefined {
    // A subclass's own getBatch decides its batches: the fused path would go around it.
    if (this.itemTransform !== undefined || this.getBatch !== VisionArrays.prototype.getBatch)
      return undefined;
    return { data: this.images, shape: [this.length, HEIGHT, WIDTH, 1] };
  }

  /** @internal The labels (B,) int32 at `indices`. */
  override _restBatch(indices: Int32Array): unknown[] {
    return [gatherRows(this.labels, [this.length], indices)];
  }
}
