/**
 * The IDX file format of MNIST and Fashion-MNIST: a 4-byte magic number (two zero bytes, a type
 * code, the number of dimensions), one big-endian uint32 per dimension, then the elements in
 * row-major order, big-endian. `parseIdx` reads any dtype and rank the format allows and refuses a
 * wrong magic number, a truncated file or a header that disagrees with the file's length, naming
 * the file; `encodeIdx` writes the format (used by tests to make fixtures).
 */

/** The element types the IDX format allows, by name. */
export type IdxDType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

/** The typed array that holds each IDX dtype after parsing (host byte order). */
export type IdxTypedArray = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

/** A parsed IDX file: its dtype, its shape, and its elements in row-major order. */
export interface IdxArray {
  /** The element type the file's header declares. */
  dtype: IdxDType;
  /** The dimensions the header lists, e.g. [60000, 28, 28] for an images file. */
  shape: number[];
  /** The elements in row-major order. */
  data: IdxTypedArray;
}

const TYPE_CODES: Record<number, IdxDType> = {
  8: 'uint8',
  9: 'int8',
  11: 'int16',
  12: 'int32',
  13: 'float32',
  14: 'float64',
};

const ITEM_BYTES: Record<IdxDType, number> = {
  uint8: 1,
  int8: 1,
  int16: 2,
  int32: 4,
  float32: 4,
  float64: 8,
};

function codeOf(dtype: IdxDType): number {
  for (const [code, name] of Object.entries(TYPE_CODES)) if (name === dtype) return Number(code);
  throw new TypeError(`encodeIdx: unknown IDX dtype ${JSON.stringify(dtype)}`);
}

/**
 * Parses the (decompressed) bytes of an IDX file. `name` (a path or URL) is used in error messages.
 * The result owns its memory: it never aliases `bytes`.
 *
 * MXNet counterpart: the `struct.unpack('>IIII', ...)` + `np.frombuffer` lines inside
 * `gluon.data.vision.MNIST._get_data`, made strict.
 *
 * @example
 * ```ts
 * import { gunzipSync } from 'node:zlib';
 * import { readFileSync } from 'node:fs';
 * const labels = parseIdx(gunzipSync(readFileSync('train-labels-idx1-ubyte.gz')), 'train-labels');
 * labels.shape; // [60000]
 * labels.dtype; // 'uint8'
 * ```
 */
export function parseIdx(bytes: Uint8Array, name = '<buffer>'): IdxArray {
  const where = `IDX file ${name}`;
  if (bytes.length < 4) {
    throw new Error(`${where} is truncated: ${bytes.length} bytes, shorter than the 4-byte magic number`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  const dtype = TYPE_CODES[bytes[2]];
  if (bytes[0] !== 0 || bytes[1] !== 0 || dtype === undefined) {
    throw new Error(
      `${where} has a wrong magic number 0x${magic.toString(16).padStart(8, '0')}; expected 0x0000TTDD ` +
        `with type code TT in {08,09,0b,0c,0d,0e} (is it an IDX file, and decompressed?)`,
    );
  }
  const rank = bytes[3];
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) {
    throw new Error(
      `${where} is truncated: ${bytes.length} bytes, shorter than its ${headerBytes}-byte header (rank ${rank})`,
    );
  }
  const shape: number[] = [];
  let size = 1;
  for (let d = 0; d < rank; d++) {
    const n = view.getUint32(4 + 4 * d);
    shape.push(n);
    size *= n;
  }
  const itemBytes = ITEM_BYTES[dtype];
  const expected = headerBytes + size * itemBytes;
  if (bytes.length < expected) {
    throw new Error(
      `${where} is truncated: its header says ${dtype} (${shape.join(',')}) = ${expected} bytes, ` +
        `but the file has ${bytes.length}`,
    );
  }
  if (bytes.length > expected) {
    throw new Error(
      `${where} disagrees with its header: the header says ${dtype} (${shape.join(',')}) = ${expected} bytes, ` +
        `but the file has ${bytes.length} (${bytes.length - expected} extra)`,
    );
  }
  const body = bytes.subarray(headerBytes, expected);
  return { dtype, shape, data: decodeBody(dtype, body, size) };
}

function decodeBody(dtype: IdxDType, body: Uint8Array, size: number): IdxTypedArray {
  // `new Uint8Array(view)` copies (unlike Buffer#slice, which would alias a Buffer input).
  if (dtype === 'uint8') return new Uint8Array(body);
  if (dtype === 'int8') return new Int8Array(new Uint8Array(body).buffer);
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  switch (dtype) {
    case 'int16': {
      const out = new Int16Array(size);
      for (let i = 0; i < size; i++) out[i] = view.getInt16(2 * i);
      return out;
    }
    case 'int32': {
      const out = new Int32Array(size);
      for (let i = 0; i < size; i++) out[i] = view.getInt32(4 * i);
      return out;
    }
    case 'float32': {
      const out = new Float32Array(size);
      for (let i = 0; i < size; i++) out[i] = view.getFloat32(4 * i);
      return out;
    }
    default: {
      const out = new Float64Array(size);
      for (let i = 0; i < size; i++) out[i] = view.getFloat64(8 * i);
      return out;
    }
  }
}

/**
 * Encodes an array as IDX bytes (big-endian), the inverse of {@link parseIdx}.
 *
 * MXNet has no counterpart (it only reads IDX); minimx uses it to make test fixtures.
 *
 * @example
 * ```ts
 * const bytes = encodeIdx({ dtype: 'uint8', shape: [2, 2], data: new Uint8Array([1, 2, 3, 4]) });
 * parseIdx(bytes).shape; // [2, 2]
 * ```
 */
export function encodeIdx(array: {
  dtype: IdxDType;
  shape: readonly number[];
  data: ArrayLike<number>;
}): Uint8Array {
  const { dtype, shape, data } = array;
  const code = codeOf(dtype);
  const size = shape.reduce((a, b) => a * b, 1);
  if (data.length !== size) {
    throw new Error(`encodeIdx: shape (${shape.join(',')}) has ${size} elements but data has ${data.length}`);
  }
  const headerBytes = 4 + 4 * shape.length;
  const itemBytes = ITEM_BYTES[dtype];
  const out = new Uint8Array(headerBytes + size * itemBytes);
  const view = new DataView(out.buffer);
  out[2] = code;
  out[3] = shape.length;
  for (let d = 0; d < shape.length; d++) view.setUint32(4 + 4 * d, shape[d]);
  for (let i = 0; i < size; i++) {
    const at = headerBytes + i * itemBytes;
    const v = data[i];
    switch (dtype) {
      case 'uint8':
        view.setUint8(at, v);
        break;
      case 'int8':
        view.setInt8(at, v);
        break;
      case 'int16':
        view.setInt16(at, v);
        break;
      case 'int32':
        view.setInt32(at, v);
        break;
      case 'float32':
        view.setFloat32(at, v);
        break;
      default:
        view.setFloat64(at, v);
    }
  }
  return out;
}
