/**
 * Data types: the names MXNet uses ('float32', 'int32', ...), the typed array behind each,
 * and the promotion rule for mixed-dtype arithmetic.
 */

/** The element types an NDArray can hold. `float32` is the default, as in MXNet. */
export type DType = 'float32' | 'float64' | 'int32' | 'uint8';

/** Any typed array that can back an NDArray. */
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

/** Maps a dtype name to its typed array type. */
export interface DTypeArrayMap {
  float32: Float32Array;
  float64: Float64Array;
  int32: Int32Array;
  uint8: Uint8Array;
}

const constructors = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  uint8: Uint8Array,
} as const;

/** All supported dtypes. */
export const DTYPES: readonly DType[] = ['float32', 'float64', 'int32', 'uint8'];

/** Throws a clear error when `dtype` is not a supported dtype name; returns it typed otherwise. */
export function checkDType(op: string, dtype: unknown): DType {
  if (typeof dtype === 'string' && (DTYPES as readonly string[]).includes(dtype)) return dtype as DType;
  throw new TypeError(`${op}: unknown dtype ${JSON.stringify(dtype)}; expected one of ${DTYPES.join(', ')}`);
}

/** Allocates a zero-filled typed array of `size` elements of `dtype`. */
export function allocate(dtype: DType, size: number, shape?: readonly number[]): TypedArray {
  if (size > MAX_ELEMENTS) throw tooLarge(dtype, size, shape);
  try {
    return new constructors[dtype](size);
  } catch (e) {
    throw e instanceof RangeError ? tooLarge(dtype, size, shape) : e;
  }
}

/** The most elements one array may hold (V8's typed array limit). */
export const MAX_ELEMENTS = 2 ** 32;

function tooLarge(dtype: DType, size: number, shape?: readonly number[]): RangeError {
  const bytes = size * constructors[dtype].BYTES_PER_ELEMENT;
  const of = shape === undefined ? '' : `of shape (${shape.join(',')}${shape.length === 1 ? ',' : ''}) `;
  return new RangeError(
    `cannot allocate an array ${of}of ${size} ${dtype} elements (${(bytes / 2 ** 30).toPrecision(3)} GiB): ` +
      `more than the ${MAX_ELEMENTS} elements an array may hold, or more memory than is available`,
  );
}

/** The values an integer dtype holds exactly: [min, max]; undefined for floats. */
const intRange: Partial<Record<DType, readonly [number, number]>> = {
  uint8: [0, 255],
  int32: [-2147483648, 2147483647],
};

/**
 * Refuses a value that an integer dtype cannot hold (NaN, an infinity, out of range: a typed
 * array would store 44 for 300 in uint8, 0 for NaN), as NumPy 2 refuses `np.array([300],
 * dtype=np.uint8)`; fractions are truncated toward zero, as NumPy does. Floats accept anything.
 */
export function checkIntValue(op: string, value: number, dtype: DType): void {
  const range = intRange[dtype];
  if (range === undefined) return;
  const v = Math.trunc(value);
  if (!(v >= range[0] && v <= range[1])) {
    throw new RangeError(
      `${op}: ${value} does not fit in ${dtype} (${range[0]} to ${range[1]}); cast explicitly with astype, which wraps, or use a float dtype`,
    );
  }
}

/** The dtype of a typed array, or an error naming `op` if it is not one we support. */
export function dtypeOfTypedArray(op: string, data: ArrayBufferView): DType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Uint8Array) return 'uint8';
  throw new TypeError(`${op}: unsupported typed array ${data.constructor.name}`);
}

/** True for float32 and float64. */
export function isFloat(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64';
}

const rank: Record<DType, number> = { uint8: 0, int32: 1, float32: 2, float64: 3 };

/** The dtype of `a op b`: the wider of the two (uint8 < int32 < float32 < float64). */
export function promote(a: DType, b: DType): DType {
  return rank[a] >= rank[b] ? a : b;
}
