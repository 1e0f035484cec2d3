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
export function allocate(dtype: DType, size: number): TypedArray {
  return new constructors[dtype](size);
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
