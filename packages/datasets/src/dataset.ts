/**
 * Datasets, Gluon's `gluon.data.Dataset` family: a `Dataset` has a `length` and an item per index
 * (`at(i)`, Python's `dataset[i]`), and can be wrapped by `transform` / `transformFirst`.
 * `ArrayDataset` zips columns (NDArrays, typed arrays or plain arrays) and `SimpleDataset` wraps a
 * list. Datasets that hold whole typed arrays also offer a batch fast path (`getBatch`) that
 * `DataLoader` uses to gather a batch with a few `TypedArray.set` calls instead of item by item;
 * under `transformFirst(ToTensor())` (then any `Normalize`) rows of uint8 images are gathered and
 * converted in one pass through a 256-entry table (the backend's `gatherRowsLookupU8` and
 * `gatherRowsDivideU8` kernels, WebAssembly on the 'wasm' backend: see `gatherPixels`).
 */
import { NDArray, nd } from '@minimx/ndarray';
import { kernels } from '@minimx/ndarray/internal';

/** A per-item transform: a function, or an object with `forward` (like a Gluon block or transform). */
export type TransformLike<A, B> = ((x: A) => B) | { forward(x: A): B };

/** A transform that can also process a whole batch at once (all of minimx's `transforms` can). */
export interface BatchTransform {
  /** Applies the transform to a batch whose first axis indexes samples. */
  forwardBatch(x: NDArray): NDArray;
}

/**
 * @internal What a transform makes of uint8 images pixel by pixel: `table[v]` for pixel value
 * `v`, and the item shape it gives. `ToTensor` and `Compose`s of `ToTensor` then `Normalize`
 * offer it (`_uint8Table`), which lets `transformFirst` gather and convert a batch in one pass.
 */
export interface PixelTable {
  /** The 256 outputs, one per pixel value. */
  table: Float32Array;
  /** The shape of one transformed item. */
  shape: number[];
}

/** `Math.fround(v / 255)` for v = 0..255: ToTensor's table, which `gatherRowsDivideU8` computes without one. */
const UNIT_TABLE = Float32Array.from({ length: 256 }, (_, v) => v / 255);

function isUnitTable(table: Float32Array): boolean {
  for (let v = 0; v < 256; v++) if (!Object.is(table[v], UNIT_TABLE[v])) return false;
  return true;
}

/**
 * @internal `out[k * rowSize + j] = table[data[indices[k] * rowSize + j]]`: rows `indices` of
 * `data`, each byte replaced by its table entry, in a new Float32Array of `indices.length * rowSize`,
 * by the active backend's kernels: ToTensor's table as a division by 255 (`gatherRowsDivideU8`,
 * SIMD on 'wasm'), any other through the table (`gatherRowsLookupU8`). The indices must already
 * be checked to lie in range.
 */
export function gatherPixels(
  data: Uint8Array,
  rowSize: number,
  indices: Int32Array,
  table: Float32Array,
): Float32Array {
  return isUnitTable(table)
    ? kernels().gatherRowsDivideU8(data, rowSize, indices, 255)
    : kernels().gatherRowsLookupU8(data, rowSize, indices, table);
}

/** @internal The whole array a dataset's items (or their first elements) are the rows of. */
export interface RowSource {
  /** All rows, row-major. */
  data: Supported;
  /** `(length, ...item shape)`. */
  shape: readonly number[];
}

/** The arguments a `transform` function receives for an item: its elements if it is a tuple. */
export type Spread<T> = T extends readonly unknown[] ? T : [T];
/** The item type after `transformFirst`: the first element replaced (the item itself if not a tuple). */
export type ReplaceFirst<T, U> = T extends readonly [unknown, ...infer R] ? [U, ...R] : U;
/** The first element of a tuple item (the item itself if not a tuple). */
export type First<T> = T extends readonly [infer F, ...unknown[]] ? F : T;

/** Applies a {@link TransformLike} to one value. */
export function applyTransform<A, B>(fn: TransformLike<A, B>, x: A): B {
  return typeof fn === 'function' ? fn(x) : fn.forward(x);
}

function canBatch(fn: unknown): fn is BatchTransform {
  return (
    typeof fn === 'object' &&
    fn !== null &&
    typeof (fn as BatchTransform).forwardBatch === 'function' &&
    (fn as { batchable?: boolean }).batchable !== false
  );
}

/**
 * The base class of all datasets: subclasses give `length` and `getItem(i)`; `at(i)` checks the
 * index (negative indices count from the end) and returns the item.
 *
 * MXNet counterpart: `mxnet.gluon.data.Dataset` (`len(ds)` -> `ds.length`, `ds[i]` -> `ds.at(i)`).
 *
 * @example
 * ```ts
 * class Squares extends Dataset<number> {
 *   get length() { return 10; }
 *   protected getItem(i: number) { return i * i; }
 * }
 * new Squares().at(3); // 9
 * ```
 */
export abstract class Dataset<T> implements Iterable<T> {
  /** The number of items. */
  abstract get length(): number;

  /** Returns item `index`, already checked to be an integer in [0, length). */
  protected abstract getItem(index: number): T;

  /**
   * Item `index` (negative counts from the end); a clear RangeError when out of range.
   *
   * MXNet counterpart: `dataset[index]`.
   *
   * @example
   * ```ts
   * const [image, label] = mnistTrain.at(0);
   * ```
   */
  at(index: number): T {
    return this.getItem(this.checkIndex(index));
  }

  /** Validates `index` and maps a negative one to its positive form. */
  protected checkIndex(index: number): number {
    const n = this.length;
    if (typeof index !== 'number' || !Number.isInteger(index)) {
      throw new TypeError(`${this.constructor.name}.at: index must be an integer, got ${String(index)}`);
    }
    if (index < -n || index >= n) {
      throw new RangeError(
        `${this.constructor.name}.at: index ${index} is out of range for a dataset of length ${n}`,
      );
    }
    return index < 0 ? index + n : index;
  }

  /**
   * A batch of the items at `indices`, assembled in one step from whole typed arrays, or
   * `undefined` when this dataset has no such fast path (then `DataLoader` stacks `at(i)` items).
   * The result must equal what stacking the items would give.
   */
  getBatch(_indices: Int32Array): unknown {
    return undefined;
  }

  /**
   * @internal The array whose rows are the items' first elements (the items themselves when they
   * are not tuples), when `getBatch` (not overridden) would gather them from it; else undefined. With
   * `_restBatch` it lets `transformFirst` convert the rows on the way into the batch.
   */
  _firstRows(): RowSource | undefined {
    return undefined;
  }

  /**
   * @internal The batches of the items' other elements at `indices`, as `getBatch` would give them
   * (null when the items are not tuples). Called only when `_firstRows()` is defined.
   */
  _restBatch(_indices: Int32Array): unknown[] | null {
    return null;
  }

  /**
   * A dataset whose item `i` is `fn(...item)` (the item's elements as arguments when it is a tuple).
   * Lazy by default; `lazy = false` applies `fn` to every item now.
   *
   * MXNet counterpart: `Dataset.transform(fn, lazy=True)`.
   *
   * @example
   * ```ts
   * const scaled = mnistTrain.transform((x, y) => [x.astype('float32').div(255), y]);
   * ```
   */
  transform<U>(fn: (...item: Spread<T>) => U, lazy = true): Dataset<U> {
    const mapped = new TransformedDataset<T, U>(this, (item) =>
      fn(...((Array.isArray(item) ? item : [item]) as Spread<T>)),
    );
    return lazy ? mapped : new SimpleDataset(Array.from(mapped));
  }

  /**
   * A dataset whose items have `fn` applied to their first element (the data, not the label).
   * `fn` is a function or a transform such as `new transforms.ToTensor()`; minimx's transforms
   * also process whole batches, which keeps `DataLoader` fast.
   *
   * MXNet counterpart: `Dataset.transform_first(fn, lazy=True)`.
   *
   * @example
   * ```ts
   * const train = new vision.FashionMNIST({ train: true }).transformFirst(new transforms.ToTensor());
   * train.at(0)[0].shape; // [1, 28, 28]
   * ```
   */
  transformFirst<U>(fn: TransformLike<First<T>, U>, lazy = true): Dataset<ReplaceFirst<T, U>> {
    const mapped = new TransformFirstDataset<T, U>(this, fn);
    return lazy ? mapped : new SimpleDataset(Array.from(mapped));
  }

  /** Iterates over the items in order. */
  *[Symbol.iterator](): Iterator<T> {
    const n = this.length;
    for (let i = 0; i < n; i++) yield this.getItem(i);
  }
}

class TransformedDataset<T, U> extends Dataset<U> {
  constructor(
    private readonly base: Dataset<T>,
    private readonly fn: (item: T) => U,
  ) {
    super();
  }
  get length() {
    return this.base.length;
  }
  protected getItem(index: number): U {
    return this.fn(this.base.at(index));
  }
}

class TransformFirstDataset<T, U> extends Dataset<ReplaceFirst<T, U>> {
  constructor(
    private readonly base: Dataset<T>,
    private readonly fn: TransformLike<First<T>, U>,
  ) {
    super();
  }
  get length() {
    return this.base.length;
  }
  protected getItem(index: number): ReplaceFirst<T, U> {
    const item = this.base.at(index);
    if (Array.isArray(item))
      return [applyTransform(this.fn, item[0]), ...item.slice(1)] as ReplaceFirst<T, U>;
    return applyTransform(this.fn, item as First<T>) as ReplaceFirst<T, U>;
  }
  override getBatch(indices: Int32Array): unknown {
    if (!canBatch(this.fn)) return undefined;
    const fused = this.fusedBatch(indices);
    if (fused !== undefined) return fused;
    const batch = this.base.getBatch(indices);
    if (batch instanceof NDArray) return this.fn.forwardBatch(batch);
    if (Array.isArray(batch) && batch[0] instanceof NDArray)
      return [this.fn.forwardBatch(batch[0]), ...batch.slice(1)];
    return undefined;
  }

  /**
   * The batch in one pass when the base's first elements are rows of a uint8 array and `fn`
   * maps pixels one by one (a {@link PixelTable}): rows gathered and converted straight into
   * one Float32Array, without a uint8 batch in between. Undefined otherwise.
   */
  private fusedBatch(indices: Int32Array): unknown {
    const fn = this.fn as { _uint8Table?: (itemShape: readonly number[]) => PixelTable | undefined };
    if (typeof fn._uint8Table !== 'function') return undefined;
    const rows = typeof this.base._firstRows === 'function' ? this.base._firstRows() : undefined;
    if (rows === undefined || !(rows.data instanceof Uint8Array) || rows.shape.length < 2) return undefined;
    const itemShape = rows.shape.slice(1);
    const map = fn._uint8Table(itemShape);
    if (map === undefined) return undefined;
    const n = rows.shape[0];
    for (let k = 0; k < indices.length; k++) {
      const i = indices[k];
      if (!(i >= 0 && i < n)) {
        throw new RangeError(`getBatch: index ${i} is out of range for a dataset of length ${n}`);
      }
    }
    const rowSize = itemShape.reduce((a, b) => a * b, 1);
    const X = nd.fromTypedArray(gatherPixels(rows.data, rowSize, indices, map.table), [
      indices.length,
      ...map.shape,
    ]);
    const rest = this.base._restBatch(indices);
    return rest === null ? X : [X, ...rest];
  }
}

/**
 * A dataset over a list of items.
 *
 * MXNet counterpart: `mxnet.gluon.data.SimpleDataset(data)`.
 *
 * @example
 * ```ts
 * new SimpleDataset([1, 2, 3]).at(-1); // 3
 * ```
 */
export class SimpleDataset<T> extends Dataset<T> {
  constructor(private readonly items: readonly T[]) {
    super();
  }
  get length() {
    return this.items.length;
  }
  protected getItem(index: number): T {
    return this.items[index];
  }
}

/** A column of an {@link ArrayDataset}: an NDArray (rows along axis 0), a typed array or a plain array. */
export type Column = NDArray | ArrayLike<unknown>;
/** The row type of a column: a number for 1-D NDArrays and typed arrays, an NDArray for higher ranks. */
export type RowOf<C> = C extends NDArray ? NDArray | number : C extends ArrayLike<infer E> ? E : never;
/** The item type of an {@link ArrayDataset} over columns `C`: the row itself for one column, else a tuple. */
export type ArrayItem<C extends readonly Column[]> = C extends readonly [infer Only]
  ? RowOf<Only>
  : { -readonly [K in keyof C]: RowOf<C[K]> };

/** The typed arrays a dataset column can hold. */
export type Supported = Float32Array | Float64Array | Int32Array | Uint8Array;
function isSupportedTyped(x: unknown): x is Supported {
  return (
    x instanceof Float32Array ||
    x instanceof Float64Array ||
    x instanceof Int32Array ||
    x instanceof Uint8Array
  );
}

/**
 * A dataset that zips columns of equal length: item `i` is `[col0[i], col1[i], ...]`, or just
 * `col0[i]` when there is one column. Rows of a 1-D NDArray are numbers; rows of a higher-rank
 * NDArray are NDArrays (copies). Batches keep each column's dtype.
 *
 * MXNet counterpart: `mxnet.gluon.data.ArrayDataset(*args)`.
 *
 * @example
 * ```ts
 * const ds = new ArrayDataset(features, labels); // features (1000,2), labels (1000,)
 * const loader = new DataLoader(ds, { batchSize: 10, shuffle: true });
 * ```
 */
export class ArrayDataset<C extends Column[]> extends Dataset<ArrayItem<C>> {
  private readonly columns: C;
  private readonly n: number;

  constructor(...columns: C) {
    super();
    if (columns.length === 0) throw new TypeError('ArrayDataset: needs at least one array');
    const lengthOf = (c: Column) => (c instanceof NDArray ? (c.ndim === 0 ? 1 : c.shape[0]) : c.length);
    this.n = lengthOf(columns[0]);
    columns.forEach((c, k) => {
      if (!(c instanceof NDArray) && (c === null || typeof c !== 'object' || typeof c.length !== 'number')) {
        throw new TypeError(`ArrayDataset: argument ${k} is not an NDArray or an array`);
      }
      if (c instanceof NDArray && c.ndim === 0)
        throw new TypeError(`ArrayDataset: argument ${k} is a scalar`);
      if (lengthOf(c) !== this.n) {
        throw new RangeError(
          `ArrayDataset: all arrays must have the same length; argument 0 has ${this.n}, argument ${k} has ${lengthOf(c)}`,
        );
      }
    });
    this.columns = columns;
  }

  get length() {
    return this.n;
  }

  private row(c: Column, i: number): unknown {
    if (!(c instanceof NDArray)) return c[i];
    if (c.ndim === 1) return c.data[i];
    const size = c.size / c.shape[0];
    return nd.fromTypedArray(c.data.slice(i * size, (i + 1) * size), c.shape.slice(1));
  }

  protected getItem(index: number): ArrayItem<C> {
    if (this.columns.length === 1) return this.row(this.columns[0], index) as ArrayItem<C>;
    return this.columns.map((c) => this.row(c, index)) as ArrayItem<C>;
  }

  override getBatch(indices: Int32Array): unknown {
    if (!this.columns.every((c) => c instanceof NDArray || isSupportedTyped(c))) return undefined;
    const out = this.columns.map((c) => gatherColumn(c, indices));
    return this.columns.length === 1 ? out[0] : out;
  }

  override _firstRows(): RowSource | undefined {
    // A subclass's own getBatch decides its batches: the fused path would go around it.
    if (this.getBatch !== ArrayDataset.prototype.getBatch) return undefined;
    const first = this.columns[0];
    if (!(first instanceof NDArray) || first.ndim < 2) return undefined;
    if (!this.columns.every((c) => c instanceof NDArray || isSupportedTyped(c))) return undefined;
    return { data: first.data as Supported, shape: first.shape };
  }

  override _restBatch(indices: Int32Array): unknown[] | null {
    if (this.columns.length === 1) return null;
    return this.columns.slice(1).map((c) => gatherColumn(c, indices));
  }
}

/** The batch of one column (an NDArray or a supported typed array) at `indices`. */
function gatherColumn(c: Column, indices: Int32Array): NDArray {
  const data = (c instanceof NDArray ? c.data : c) as Supported;
  const shape = c instanceof NDArray ? c.shape : [data.length];
  return shape.length === 1 ? gatherNumbers(data, indices) : gatherRows(data, shape, indices);
}

/**
 * The batch of a 1-D column: its items are numbers, so it follows the per-item path's rule
 * (`defaultBatchify`): int32 when every value is an int32, else float32, whatever the column's
 * dtype, so that the fast path and the per-item path give the same batches.
 */
function gatherNumbers(data: Supported, indices: Int32Array): NDArray {
  let ints = true;
  for (let k = 0; k < indices.length; k++) {
    const v = data[indices[k]];
    if (!Number.isInteger(v) || v < -2147483648 || v > 2147483647) {
      ints = false;
      break;
    }
  }
  const out = ints ? new Int32Array(indices.length) : new Float32Array(indices.length);
  for (let k = 0; k < indices.length; k++) out[k] = data[indices[k]];
  return nd.fromTypedArray(out, [indices.length]);
}

/** A new zeroed typed array of the same element type as `data` (a plain one even for a Buffer). */
export function allocLike(data: Supported, n: number): Supported {
  if (data instanceof Float32Array) return new Float32Array(n);
  if (data instanceof Float64Array) return new Float64Array(n);
  if (data instanceof Int32Array) return new Int32Array(n);
  return new Uint8Array(n);
}

/**
 * Gathers rows `indices` of a row-major array of `shape` into a new NDArray of shape
 * `(indices.length, ...shape.slice(1))` with the same dtype, one `TypedArray.set` per row.
 */
export function gatherRows(data: Supported, shape: readonly number[], indices: Int32Array): NDArray {
  const rowSize = shape.length === 0 ? 1 : shape.slice(1).reduce((a, b) => a * b, 1);
  const out = allocLike(data, indices.length * rowSize);
  if (rowSize === 1) {
    for (let k = 0; k < indices.length; k++) out[k] = data[indices[k]];
  } else {
    for (let k = 0; k < indices.length; k++) {
      const start = indices[k] * rowSize;
      out.set(data.subarray(start, start + rowSize), k * rowSize);
    }
  }
  return nd.fromTypedArray(out, [indices.length, ...shape.slice(1)]);
}
