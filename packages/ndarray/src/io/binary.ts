/**
 * What the array-file codecs share: the error they throw (`NDArrayFileError`, naming the file),
 * a bounds-checked little-endian reader that refuses a length before anything is allocated for
 * it, CRC-32, and the copy of element bytes between files and typed arrays (one `set` on
 * little-endian hosts, a DataView loop elsewhere). Pure: no Node import, runs in a browser.
 */
import { allocate, type DType } from '../dtype.js';
import { NDArray } from '../ndarray.js';
import { shapeToString } from '../shape.js';

/** Bytes per element of each minimx dtype. */
export const BYTES_PER_ELEMENT: Readonly<Record<DType, number>> = {
  float32: 4,
  float64: 8,
  int32: 4,
  uint8: 1,
};

/** Rank limit of the readers: a header claiming more axes is refused as corrupt. */
export const MAX_NDIM = 32;

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * A corrupt, truncated, unsupported or unreadable array file. `source` names the file (or
 * `<bytes>`), `detail` says what is wrong, usually with the byte offset and the field.
 * @example try { nd.loadFromBuffer(bytes, { source: 'x.nd' }) } catch (e) { if (e instanceof NDArrayFileError) console.log(e.detail) }
 */
export class NDArrayFileError extends Error {
  /** The error's class name, `'NDArrayFileError'`. */
  override name = 'NDArrayFileError';
  constructor(
    /** The file (path or `<bytes>`) that could not be read. */
    readonly source: string,
    /** What is wrong with it, without the file name. */
    readonly detail: string,
  ) {
    super(`${source}: ${detail}`);
  }
}

let crcTables: Uint32Array | null = null;

/** The 8 × 256 tables of slicing-by-8: table k maps a byte to its CRC contribution k bytes on. */
function tables(): Uint32Array {
  if (crcTables) return crcTables;
  const t = new Uint32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  for (let k = 1; k < 8; k++) {
    for (let n = 0; n < 256; n++) {
      const prev = t[(k - 1) * 256 + n];
      t[k * 256 + n] = (prev >>> 8) ^ t[prev & 0xff];
    }
  }
  crcTables = t;
  return t;
}

/**
 * CRC-32 (IEEE 802.3, as zlib's) of `bytes`, eight bytes per step (slicing-by-8).
 * @example crc32(new TextEncoder().encode('123456789')) // 0xcbf43926
 */
export function crc32(bytes: Uint8Array): number {
  const t = tables();
  let crc = 0xffffffff;
  let i = 0;
  const n8 = bytes.length - (bytes.length % 8);
  for (; i < n8; i += 8) {
    const a = crc ^ (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24));
    crc =
      t[1792 + (a & 0xff)] ^
      t[1536 + ((a >>> 8) & 0xff)] ^
      t[1280 + ((a >>> 16) & 0xff)] ^
      t[1024 + (a >>> 24)] ^
      t[768 + bytes[i + 4]] ^
      t[512 + bytes[i + 5]] ^
      t[256 + bytes[i + 6]] ^
      t[bytes[i + 7]];
  }
  for (; i < bytes.length; i++) crc = t[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * Number of elements of `dims`, as a float that may exceed 2^53 or be Infinity for a corrupt
 * header, but is never NaN (a zero extent beside huge ones gives 0, not Infinity * 0).
 */
export function elementCount(dims: readonly number[]): number {
  if (dims.includes(0)) return 0;
  let size = 1;
  for (const d of dims) size *= d;
  return size;
}

/** A cursor over file bytes whose every read is checked against the bytes left. */
export class ByteReader {
  pos = 0;
  readonly view: DataView;
  constructor(
    readonly bytes: Uint8Array,
    readonly source: string,
    /** Bytes at the end that the reader must not read into (a trailer). */
    readonly end = bytes.length,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  fail(message: string): never {
    throw new NDArrayFileError(this.source, message);
  }
  get left(): number {
    return this.end - this.pos;
  }
  /** Refuses unless `n` more bytes exist; `what` names the field in the error. */
  need(n: number, what: string): void {
    if (!(n <= this.left)) {
      this.fail(`truncated: ${what} needs ${n} bytes at offset ${this.pos}, only ${this.left} left`);
    }
  }
  u32(what: string): number {
    this.need(4, what);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }
  i32(what: string): number {
    this.need(4, what);
    const v = this.view.getInt32(this.pos, true);
    this.pos += 4;
    return v;
  }
  /** A signed 64-bit integer as a number, refused when beyond ±2^53 (no file can need more). */
  i64(what: string): number {
    this.need(8, what);
    const v = this.view.getBigInt64(this.pos, true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)) {
      this.fail(`${what} at offset ${this.pos} is ${v}, beyond any possible size`);
    }
    this.pos += 8;
    return Number(v);
  }
  /** An unsigned 64-bit integer as a number, refused when beyond 2^53. */
  u64(what: string): number {
    this.need(8, what);
    const v = this.view.getBigUint64(this.pos, true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) {
      this.fail(`${what} at offset ${this.pos} is ${v}, beyond any possible size`);
    }
    this.pos += 8;
    return Number(v);
  }
  /** `length` bytes decoded as strict UTF-8. */
  utf8(length: number, what: string): string {
    this.need(length, what);
    let s = '';
    try {
      s = new TextDecoder('utf-8', { fatal: true }).decode(this.bytes.subarray(this.pos, this.pos + length));
    } catch {
      this.fail(`${what} at offset ${this.pos} is not valid UTF-8`);
    }
    this.pos += length;
    return s;
  }
  /**
   * Reads an array of `dtype` and `shape` stored little-endian at the cursor. The byte count is
   * checked against the bytes left before the array is allocated.
   */
  array(dtype: DType, shape: readonly number[], what: string): NDArray {
    const width = BYTES_PER_ELEMENT[dtype];
    const size = elementCount(shape);
    this.need(size * width, `${what} of shape ${shapeToString(shape)} (${dtype})`);
    const data = allocate(dtype, size);
    readElements(this.bytes, this.pos, data, dtype);
    this.pos += size * width;
    return new NDArray(data, shape.slice());
  }
}

/** Copies `data`'s elements from `bytes` at `pos` (little-endian). */
function readElements(bytes: Uint8Array, pos: number, data: NDArray['data'], dtype: DType): void {
  const width = BYTES_PER_ELEMENT[dtype];
  if (LITTLE_ENDIAN_HOST) {
    new Uint8Array(data.buffer, data.byteOffset, data.length * width).set(
      bytes.subarray(pos, pos + data.length * width),
    );
    return;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < data.length; i++) {
    if (dtype === 'float32') data[i] = view.getFloat32(pos + 4 * i, true);
    else if (dtype === 'float64') data[i] = view.getFloat64(pos + 8 * i, true);
    else if (dtype === 'int32') data[i] = view.getInt32(pos + 4 * i, true);
    else data[i] = view.getUint8(pos + i);
  }
}

/** Writes `arr`'s elements into `out` at `pos` (little-endian); returns the position after them. */
export function writeElements(out: Uint8Array, pos: number, arr: NDArray): number {
  const d = arr.data;
  const width = BYTES_PER_ELEMENT[arr.dtype];
  if (LITTLE_ENDIAN_HOST) {
    out.set(new Uint8Array(d.buffer, d.byteOffset, d.length * width), pos);
    return pos + d.length * width;
  }
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  for (let i = 0; i < d.length; i++) {
    if (arr.dtype === 'float32') view.setFloat32(pos + 4 * i, d[i], true);
    else if (arr.dtype === 'float64') view.setFloat64(pos + 8 * i, d[i], true);
    else if (arr.dtype === 'int32') view.setInt32(pos + 4 * i, d[i], true);
    else view.setUint8(pos + i, d[i]);
  }
  return pos + d.length * width;
}
