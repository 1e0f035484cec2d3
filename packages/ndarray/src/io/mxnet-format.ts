/**
 * MXNet's NDArray-list binary format, the bytes of `mx.nd.save` / `mx.nd.load` and of Gluon's
 * `save_parameters`, encoded and decoded here from MXNet 1.x's source description
 * (src/ndarray/ndarray.cc `NDArray::Save/Load`, src/c_api/c_api.cc `MXNDArraySave/Load`, dmlc's
 * vector and string serialisers). Every integer is little-endian:
 *
 *     list     u64 0x112 (magic), u64 reserved (0), u64 count, count × array,
 *              u64 nameCount (0, or count), nameCount × { u64 length, UTF-8 bytes }
 *     array    u32 magic: 0xF993FAC9 (V2) or 0xF993FACA (V3, NumPy shape semantics)
 *              i32 storage type (0 dense; 1 row_sparse and 2 csr are refused here)
 *              shape: i32 ndim, i64 × ndim
 *              context: i32 dev_type (1 cpu, 2 gpu, 3 cpu_pinned, 5 cpu_shared), i32 dev_id
 *              i32 type flag (0 float32, 1 float64, 2 float16, 3 uint8, 4 int32, 5 int8, 6 int64, ...)
 *              data: product(shape) elements, raw little-endian
 *
 * MXNet 1.9 writes V2 outside NumPy semantics, where ndim 0 means "no array": a 0-d array exists
 * only under `npx.set_np()`, where V3 is written. So the encoder writes V2, and V3 for every array
 * of a list that holds a 0-d one (what `npx.save` writes; MXNet loads such a file inside NumPy
 * semantics). The decoder also reads the older headers MXNet 1.x reads: V1 (0xF993FAC8: no
 * storage type) and the first format, whose magic is the ndim itself with u32 extents.
 *
 * minimx's extension: `{ checksum: true }` appends 8 bytes, "MMXC" and the CRC-32 of every byte
 * before them. MXNet's reader stops after the names and ignores them; this reader verifies them,
 * so parameter files keep the corruption check minimx's own format had. Any other trailing byte
 * is refused. Pure: no Node import.
 */
import type { DType } from '../dtype.js';
import type { NDArray } from '../ndarray.js';
import { BYTES_PER_ELEMENT, ByteReader, crc32, MAX_NDIM, NDArrayFileError, writeElements } from './binary.js';

/** The u64 that opens an NDArray-list file (`kMXAPINDArrayListMagic`). */
export const NDARRAY_LIST_MAGIC = 0x112;
const V1_MAGIC = 0xf993fac8;
const V2_MAGIC = 0xf993fac9;
const V3_MAGIC = 0xf993faca;
const TRAILER = [0x4d, 0x4d, 0x58, 0x43]; // "MMXC"
const TYPE_FLAG: Readonly<Record<DType, number>> = { float32: 0, float64: 1, uint8: 3, int32: 4 };
const FLAG_DTYPE: ReadonlyArray<DType | undefined> = ['float32', 'float64', undefined, 'uint8', 'int32'];
/** MXNet 1.x's type flags (mshadow `TypeFlag`), for error messages. */
const FLAG_NAMES = [
  'float32',
  'float64',
  'float16',
  'uint8',
  'int32',
  'int8',
  'int64',
  'bool',
  'int16',
  'uint16',
  'uint32',
  'uint64',
  'bfloat16',
];
const STORAGE_NAMES: Record<number, string> = { [-1]: 'undefined', 1: 'row_sparse', 2: 'csr' };
const DEV_TYPES: Record<number, string> = { 1: 'cpu', 2: 'gpu', 3: 'cpu_pinned', 5: 'cpu_shared' };

/** Options of `encodeNDArrayList`. */
export interface EncodeNDArrayListOptions {
  /** Append minimx's "MMXC" + CRC-32 trailer (MXNet ignores it). Default false: MXNet's bytes exactly. */
  checksum?: boolean;
}

/** What `decodeNDArrayList` returns: the arrays in file order, their names (empty when unnamed). */
export interface NDArrayList {
  /** The arrays, in file order. */
  arrays: NDArray[];
  /** One name per array (empty for a list saved without names). */
  names: string[];
  /** True when the file carried minimx's checksum trailer (and it matched). */
  checksum: boolean;
}

/** True when `bytes` begin with the NDArray-list magic. @example isNDArrayList(bytes) */
export function isNDArrayList(bytes: Uint8Array): boolean {
  if (bytes.length < 8) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, 8);
  return view.getUint32(0, true) === NDARRAY_LIST_MAGIC && view.getUint32(4, true) === 0;
}

/**
 * Encodes arrays, with names or without, in MXNet's NDArray-list format: the bytes MXNet 1.9's
 * `mx.nd.save(fname, data)` writes for the same arrays on cpu(0). MXNet counterpart: the
 * `MXNDArraySave` half of `nd.save`.
 * @example const bytes = encodeNDArrayList([x, y]); const named = encodeNDArrayList([w, b], ['weight', 'bias']);
 */
export function encodeNDArrayList(
  arrays: readonly NDArray[],
  names?: readonly string[],
  options: EncodeNDArrayListOptions = {},
): Uint8Array {
  if (names !== undefined && names.length !== arrays.length) {
    throw new RangeError(`encodeNDArrayList: ${names.length} names for ${arrays.length} arrays`);
  }
  if (names !== undefined && new Set(names).size !== names.length) {
    throw new RangeError('encodeNDArrayList: names must be distinct (the reader refuses duplicates)');
  }
  for (const [i, a] of arrays.entries()) {
    if (a.ndim > MAX_NDIM) {
      throw new RangeError(
        `encodeNDArrayList: array ${i} has ${a.ndim} axes, more than the ${MAX_NDIM} readers accept`,
      );
    }
  }
  const encoder = new TextEncoder();
  const encodedNames = (names ?? []).map((n) => encoder.encode(n));
  const magic = arrays.some((a) => a.ndim === 0) ? V3_MAGIC : V2_MAGIC;
  let total = 24 + 8;
  for (const a of arrays) total += 4 + 4 + 4 + 8 * a.ndim + 8 + 4 + a.size * BYTES_PER_ELEMENT[a.dtype];
  for (const n of encodedNames) total += 8 + n.length;
  if (options.checksum) total += 8;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let pos = 0;
  const u32 = (v: number) => {
    view.setUint32(pos, v, true);
    pos += 4;
  };
  const u64 = (v: number) => {
    view.setBigUint64(pos, BigInt(v), true);
    pos += 8;
  };
  u64(NDARRAY_LIST_MAGIC);
  u64(0);
  u64(arrays.length);
  for (const a of arrays) {
    u32(magic);
    u32(0); // dense storage
    u32(a.ndim);
    for (const d of a.shape) u64(d);
    u32(1); // cpu
    u32(0); // dev_id 0
    u32(TYPE_FLAG[a.dtype]);
    pos = writeElements(out, pos, a);
  }
  u64(encodedNames.length);
  for (const n of encodedNames) {
    u64(n.length);
    out.set(n, pos);
    pos += n.length;
  }
  if (options.checksum) {
    const crc = crc32(out.subarray(0, pos));
    out.set(TRAILER, pos);
    view.setUint32(pos + 4, crc, true);
  }
  return out;
}

/**
 * Decodes an NDArray-list file (written by MXNet 1.x or by `encodeNDArrayList`). Throws an
 * `NDArrayFileError` naming `source`, the offset and the field on anything it cannot read:
 * bad magic, truncation, a length beyond the end, sparse storage, a dtype minimx lacks, a names
 * count that is neither 0 nor the array count, invalid UTF-8, trailing bytes, a bad checksum.
 * Never allocates more than the input's size. MXNet counterpart: `MXNDArrayLoad`.
 * @example const { arrays, names } = decodeNDArrayList(bytes, 'x-file');
 */
export function decodeNDArrayList(bytes: Uint8Array, source = '<bytes>'): NDArrayList {
  if (!(bytes instanceof Uint8Array))
    throw new NDArrayFileError(source, 'expected a Uint8Array of file contents');
  const n = bytes.length;
  const hasTrailer = n >= 32 && TRAILER.every((b, i) => bytes[n - 8 + i] === b);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (hasTrailer && view.getUint32(n - 4, true) === crc32(bytes.subarray(0, n - 8))) {
    return { ...decodeBody(bytes, source, n - 8), checksum: true };
  }
  try {
    return { ...decodeBody(bytes, source, n), checksum: false };
  } catch (err) {
    // A file ending in a trailer whose CRC does not match, and that does not parse without it either.
    if (hasTrailer && err instanceof NDArrayFileError) {
      throw new NDArrayFileError(source, 'checksum mismatch: the file is corrupt');
    }
    throw err;
  }
}

function decodeBody(bytes: Uint8Array, source: string, end: number): { arrays: NDArray[]; names: string[] } {
  const r: ByteReader = new ByteReader(bytes, source, end);
  r.need(24, 'the list header (magic, reserved, count)');
  if (!isNDArrayList(bytes)) {
    r.fail(
      `not an MXNet NDArray file: the first 8 bytes are not the list magic 0x112 (got ${hex(bytes.subarray(0, 8))})`,
    );
  }
  r.pos = 16; // magic and the reserved u64, which MXNet does not check either
  const count = r.u64('the array count');
  // The smallest readable array (a legacy 1-d empty one) takes 20 bytes: refuse counts the bytes cannot hold.
  if (count * 20 > r.left)
    r.fail(`the header claims ${count} arrays, more than the ${r.left} bytes left can hold`);
  const arrays: NDArray[] = [];
  for (let i = 0; i < count; i++) arrays.push(readArray(r, i));
  const nameCount = r.u64('the name count');
  if (nameCount !== 0 && nameCount !== count) {
    r.fail(`names count mismatch: ${nameCount} names for ${count} arrays (offset ${r.pos - 8})`);
  }
  const names: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < nameCount; i++) {
    const length = r.u64(`the length of name ${i}`);
    const name = r.utf8(length, `name ${i}`);
    if (seen.has(name)) r.fail(`duplicate name '${name}' (name ${i})`);
    seen.add(name);
    names.push(name);
  }
  if (r.left !== 0) r.fail(`${r.left} unexpected bytes after the names (from offset ${r.pos})`);
  return { arrays, names };
}

function readArray(r: ByteReader, i: number): NDArray {
  const what = `array ${i}`;
  const at = r.pos;
  const magic = r.u32(`${what} header`);
  let shape: number[];
  if (magic === V2_MAGIC || magic === V3_MAGIC) {
    const stype = r.i32(`${what} storage type`);
    if (stype !== 0) {
      const kind = STORAGE_NAMES[stype];
      r.fail(
        kind && stype > 0
          ? `${what}: ${kind} (sparse) storage is not supported, only dense arrays (offset ${r.pos - 4})`
          : `${what}: unknown storage type ${stype} (offset ${r.pos - 4})`,
      );
    }
    shape = readShape(r, what, magic === V3_MAGIC ? 'v3' : 'v2');
  } else if (magic === V1_MAGIC) {
    shape = readShape(r, what, 'v1');
  } else if (magic <= MAX_NDIM) {
    shape = readLegacyShape(r, what, magic);
  } else {
    r.fail(
      `${what}: unknown array header 0x${magic.toString(16)} at offset ${at} (not an NDArray V1/V2/V3 magic)`,
    );
  }
  const devType = r.i32(`${what} context dev_type`);
  const devId = r.i32(`${what} context dev_id`);
  if (DEV_TYPES[devType] === undefined || devId < 0) {
    r.fail(`${what}: invalid context (dev_type ${devType}, dev_id ${devId}) at offset ${r.pos - 8}`);
  }
  const flag = r.i32(`${what} type flag`);
  const dtype = FLAG_DTYPE[flag];
  if (dtype === undefined) {
    const name = FLAG_NAMES[flag];
    r.fail(
      name
        ? `${what}: dtype ${name} (type flag ${flag}) is not supported by minimx (it has float32, float64, int32, uint8)`
        : `${what}: unknown type flag ${flag} (offset ${r.pos - 4})`,
    );
  }
  return r.array(dtype, shape, `${what} data`);
}

function readShape(r: ByteReader, what: string, version: 'v1' | 'v2' | 'v3'): number[] {
  const ndim = r.i32(`${what} ndim`);
  if ((ndim === 0 && version !== 'v3') || ndim === -1) {
    r.fail(`${what} has no shape (ndim ${ndim} at offset ${r.pos - 4}: an empty MXNet NDArray handle)`);
  }
  if (ndim < 0 || ndim > MAX_NDIM)
    r.fail(`${what}: ndim ${ndim} at offset ${r.pos - 4} is not in 0..${MAX_NDIM}`);
  r.need(8 * ndim, `${what} shape`);
  const shape: number[] = [];
  for (let k = 0; k < ndim; k++) {
    const d = r.i64(`${what} extent ${k}`);
    if (d < 0) r.fail(`${what}: extent ${k} is ${d} (unknown or negative) at offset ${r.pos - 8}`);
    shape.push(d);
  }
  return shape;
}

function readLegacyShape(r: ByteReader, what: string, ndim: number): number[] {
  if (ndim === 0) r.fail(`${what} has no shape (an empty MXNet NDArray handle, offset ${r.pos - 4})`);
  r.need(4 * ndim, `${what} shape`);
  const shape: number[] = [];
  for (let k = 0; k < ndim; k++) shape.push(r.u32(`${what} extent ${k}`));
  return shape;
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}
