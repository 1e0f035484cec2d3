/**
 * The parameter-file format minimx wrote before it wrote MXNet's ("MMXP", version 1), kept so
 * that such files still load. All integers unsigned little-endian:
 *
 *     magic    4 bytes  "MMXP"
 *     version  u32      1
 *     count    u32      number of entries
 *     entries  count ×  { nameLength u32, name (UTF-8, nameLength bytes), dtype u8
 *                         (0 float32, 1 float64, 2 int32, 3 uint8), ndim u8 (≤ 32),
 *                         dims u32 × ndim, data: product(dims) elements, little-endian }
 *     crc32    u32      CRC-32 (IEEE) of every byte before it
 *
 * The decoder checks the CRC first, then every length against the bytes left before it
 * allocates, decodes names as strict UTF-8 and keeps entries in a Map (a name like `__proto__`
 * is just a name). Pure: no Node import.
 */
import type { DType } from '../dtype.js';
import type { NDArray } from '../ndarray.js';
import { BYTES_PER_ELEMENT, ByteReader, crc32, MAX_NDIM, NDArrayFileError, writeElements } from './binary.js';

const MAGIC = [0x4d, 0x4d, 0x58, 0x50]; // "MMXP"
const VERSION = 1;
const DTYPE_CODES: readonly DType[] = ['float32', 'float64', 'int32', 'uint8'];

/** True when `bytes` begin with "MMXP". @example isMinimxParameterFile(bytes) */
export function isMinimxParameterFile(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && MAGIC.every((b, i) => bytes[i] === b);
}

/**
 * Encodes named arrays in minimx's legacy "MMXP" format (float32 bits kept exactly). New files
 * use MXNet's format (`encodeNDArrayList`); this stays for tests and tools that need the old one.
 * @example const bytes = encodeMinimxParameterFile(new Map([['0.weight', w]]));
 */
export function encodeMinimxParameterFile(entries: ReadonlyMap<string, NDArray>): Uint8Array {
  const encoder = new TextEncoder();
  const names = new Map<string, Uint8Array>();
  let total = 12 + 4;
  for (const [name, arr] of entries) {
    if (arr.ndim > MAX_NDIM)
      throw new RangeError(`encodeParameterFile: '${name}' has more than ${MAX_NDIM} axes`);
    const encoded = encoder.encode(name);
    names.set(name, encoded);
    total += 4 + encoded.length + 2 + 4 * arr.ndim + arr.size * BYTES_PER_ELEMENT[arr.dtype];
  }
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  view.setUint32(4, VERSION, true);
  view.setUint32(8, entries.size, true);
  let pos = 12;
  for (const [name, arr] of entries) {
    const encoded = names.get(name)!;
    view.setUint32(pos, encoded.length, true);
    out.set(encoded, pos + 4);
    pos += 4 + encoded.length;
    out[pos++] = DTYPE_CODES.indexOf(arr.dtype);
    out[pos++] = arr.ndim;
    for (const d of arr.shape) {
      view.setUint32(pos, d, true);
      pos += 4;
    }
    pos = writeElements(out, pos, arr);
  }
  view.setUint32(pos, crc32(out.subarray(0, pos)), true);
  return out;
}

/**
 * Decodes an "MMXP" file into a Map from name to array, or throws an `NDArrayFileError` naming
 * `source` and what is wrong (bad magic, unsupported version, truncated entry, length beyond the
 * end, invalid UTF-8, duplicate name, checksum mismatch, trailing bytes).
 * @example const arrays = decodeMinimxParameterFile(bytes, 'mlp.params'); arrays.get('0.weight')
 */
export function decodeMinimxParameterFile(bytes: Uint8Array, source = '<bytes>'): Map<string, NDArray> {
  if (!(bytes instanceof Uint8Array))
    throw new NDArrayFileError(source, 'expected a Uint8Array of file contents');
  if (bytes.length < 16)
    throw new NDArrayFileError(source, `too short to be a parameter file (${bytes.length} bytes)`);
  const end = bytes.length - 4;
  const r: ByteReader = new ByteReader(bytes, source, end);
  if (!isMinimxParameterFile(bytes)) r.fail('not a minimx parameter file (bad magic bytes)');
  const version = r.view.getUint32(4, true);
  if (version !== VERSION) r.fail(`unsupported format version ${version} (this reader knows ${VERSION})`);
  if (r.view.getUint32(end, true) !== crc32(bytes.subarray(0, end))) {
    r.fail('checksum mismatch: the file is corrupt or truncated');
  }
  const count = r.view.getUint32(8, true);
  // The smallest entry is 6 bytes (empty name, 0-d uint8 has 1 element: 7); reject impossible counts early.
  if (count * 6 > end - 12) r.fail(`header claims ${count} entries, more than ${end - 12} bytes can hold`);
  const out = new Map<string, NDArray>();
  r.pos = 12;
  for (let e = 0; e < count; e++) {
    const nameLength = r.u32(`entry ${e} name length`);
    r.need(nameLength, `entry ${e} name`);
    let name = '';
    try {
      name = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(r.pos, r.pos + nameLength));
    } catch {
      r.fail(`entry ${e}: name is not valid UTF-8`);
    }
    r.pos += nameLength;
    if (out.has(name)) r.fail(`duplicate parameter name '${name}'`);
    r.need(2, `'${name}' dtype and ndim`);
    const code = bytes[r.pos++];
    const ndim = bytes[r.pos++];
    const dtype = DTYPE_CODES[code];
    if (dtype === undefined) r.fail(`'${name}': unknown dtype code ${code}`);
    if (ndim > MAX_NDIM) r.fail(`'${name}': ndim ${ndim} exceeds ${MAX_NDIM}`);
    r.need(4 * ndim, `'${name}' shape`);
    const shape: number[] = [];
    for (let i = 0; i < ndim; i++) shape.push(r.u32(`'${name}' shape`));
    out.set(name, r.array(dtype, shape, `'${name}' data`));
  }
  if (r.pos !== end) r.fail(`${end - r.pos} unexpected bytes after the last entry`);
  return out;
}
