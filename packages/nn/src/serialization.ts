/**
 * Parameter files: the binary format `saveParameters` writes and `loadParameters` reads, a
 * defensive parser, and the atomic load into a network. Files are data, never code: the parser
 * checks every length against the bytes left before allocating, decodes names as strict UTF-8,
 * keeps entries in a Map (a name like `__proto__` is just a name) and verifies a CRC-32.
 *
 * Format, version 1 (all integers unsigned little-endian):
 *
 *     magic    4 bytes  "MMXP"
 *     version  u32      1
 *     count    u32      number of entries
 *     entries  count ×  { nameLength u32, name (UTF-8, nameLength bytes), dtype u8
 *                         (0 float32, 1 float64, 2 int32, 3 uint8), ndim u8 (≤ 32),
 *                         dims u32 × ndim, data: product(dims) elements, little-endian }
 *     crc32    u32      CRC-32 (IEEE) of every byte before it
 *
 * Names are structural (`0.weight`, `hidden.bias`), as in Gluon's `save_parameters`.
 */
import { type DType, type NDArray, nd } from '@minimx/ndarray';
import type { Parameter } from './parameter.js';
import { formatShape } from './shape-format.js';

const MAGIC = [0x4d, 0x4d, 0x58, 0x50]; // "MMXP"
const VERSION = 1;
const MAX_NDIM = 32;
const DTYPE_CODES: readonly DType[] = ['float32', 'float64', 'int32', 'uint8'];
const BYTES_PER_ELEMENT: Record<DType, number> = { float32: 4, float64: 8, int32: 4, uint8: 1 };
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A corrupt, truncated or otherwise unreadable parameter file; `source` names the file. */
export class ParameterFileError extends Error {
  override name = 'ParameterFileError';
  constructor(
    readonly source: string,
    message: string,
  ) {
    super(`${source}: ${message}`);
  }
}

let crcTable: Uint32Array | null = null;

/** CRC-32 (IEEE 802.3, as zlib's) of `bytes`. @example crc32(new TextEncoder().encode('123456789')) // 0xcbf43926 */
export function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = crcTable[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * Encodes named arrays in the parameter-file format (float32 bits kept exactly).
 * @example const bytes = encodeParameterFile(new Map([['0.weight', w]]));
 */
export function encodeParameterFile(entries: ReadonlyMap<string, NDArray>): Uint8Array {
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
    const width = BYTES_PER_ELEMENT[arr.dtype];
    if (LITTLE_ENDIAN_HOST) {
      out.set(new Uint8Array(arr.data.buffer, arr.data.byteOffset, arr.size * width), pos);
    } else {
      writeElementsPortable(view, pos, arr);
    }
    pos += arr.size * width;
  }
  view.setUint32(pos, crc32(out.subarray(0, pos)), true);
  return out;
}

function writeElementsPortable(view: DataView, pos: number, arr: NDArray): void {
  const d = arr.data;
  for (let i = 0; i < d.length; i++) {
    if (arr.dtype === 'float32') view.setFloat32(pos + 4 * i, d[i], true);
    else if (arr.dtype === 'float64') view.setFloat64(pos + 8 * i, d[i], true);
    else if (arr.dtype === 'int32') view.setInt32(pos + 4 * i, d[i], true);
    else view.setUint8(pos + i, d[i]);
  }
}

/**
 * Parses a parameter file into a Map from name to array, or throws a `ParameterFileError` naming
 * `source` and what is wrong (bad magic, unsupported version, truncated entry, length beyond the
 * end, invalid UTF-8, duplicate name, checksum mismatch, trailing bytes). Never allocates more
 * than the input's size.
 * @example const arrays = parseParameterFile(bytes, 'mlp.params'); arrays.get('0.weight')
 */
export function parseParameterFile(bytes: Uint8Array, source = '<bytes>'): Map<string, NDArray> {
  const fail = (message: string): never => {
    throw new ParameterFileError(source, message);
  };
  if (!(bytes instanceof Uint8Array)) fail('expected a Uint8Array of file contents');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 16) fail(`too short to be a parameter file (${bytes.length} bytes)`);
  if (MAGIC.some((b, i) => bytes[i] !== b)) fail('not a minimx parameter file (bad magic bytes)');
  const version = view.getUint32(4, true);
  if (version !== VERSION) fail(`unsupported format version ${version} (this reader knows ${VERSION})`);
  const end = bytes.length - 4;
  const stored = view.getUint32(end, true);
  const actual = crc32(bytes.subarray(0, end));
  if (stored !== actual) fail('checksum mismatch: the file is corrupt or truncated');
  const count = view.getUint32(8, true);
  // The smallest entry is 6 bytes (empty name, 0-d uint8 has 1 element: 7); reject impossible counts early.
  if (count * 6 > end - 12) fail(`header claims ${count} entries, more than ${end - 12} bytes can hold`);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const out = new Map<string, NDArray>();
  let pos = 12;
  const need = (n: number, what: string): void => {
    if (n > end - pos) fail(`truncated: ${what} needs ${n} bytes at offset ${pos}, only ${end - pos} left`);
  };
  for (let e = 0; e < count; e++) {
    need(4, `entry ${e} name length`);
    const nameLength = view.getUint32(pos, true);
    pos += 4;
    need(nameLength, `entry ${e} name`);
    let name = '';
    try {
      name = decoder.decode(bytes.subarray(pos, pos + nameLength));
    } catch {
      fail(`entry ${e}: name is not valid UTF-8`);
    }
    pos += nameLength;
    if (out.has(name)) fail(`duplicate parameter name '${name}'`);
    need(2, `'${name}' dtype and ndim`);
    const code = bytes[pos++];
    const ndim = bytes[pos++];
    const dtype = DTYPE_CODES[code];
    if (dtype === undefined) fail(`'${name}': unknown dtype code ${code}`);
    if (ndim > MAX_NDIM) fail(`'${name}': ndim ${ndim} exceeds ${MAX_NDIM}`);
    need(4 * ndim, `'${name}' shape`);
    const shape: number[] = [];
    let size = 1;
    for (let i = 0; i < ndim; i++) {
      const d = view.getUint32(pos, true);
      pos += 4;
      shape.push(d);
      size *= d;
    }
    const byteLength = size * BYTES_PER_ELEMENT[dtype];
    need(byteLength, `'${name}' data of shape ${formatShape(shape)} (${dtype})`);
    const arr = nd.zeros(shape, { dtype });
    if (LITTLE_ENDIAN_HOST) {
      new Uint8Array(arr.data.buffer, arr.data.byteOffset, byteLength).set(
        bytes.subarray(pos, pos + byteLength),
      );
    } else {
      readElementsPortable(view, pos, arr);
    }
    pos += byteLength;
    out.set(name, arr);
  }
  if (pos !== end) fail(`${end - pos} unexpected bytes after the last entry`);
  return out;
}

function readElementsPortable(view: DataView, pos: number, arr: NDArray): void {
  const d = arr.data;
  for (let i = 0; i < d.length; i++) {
    if (arr.dtype === 'float32') d[i] = view.getFloat32(pos + 4 * i, true);
    else if (arr.dtype === 'float64') d[i] = view.getFloat64(pos + 8 * i, true);
    else if (arr.dtype === 'int32') d[i] = view.getInt32(pos + 4 * i, true);
    else d[i] = view.getUint8(pos + i);
  }
}

/** Options of `loadParameters`, as Gluon's `allow_missing` and `ignore_extra`. */
export interface LoadParametersOptions {
  /** Leave parameters absent from the file as they are (default false: error). */
  allowMissing?: boolean;
  /** Ignore names in the file that the network does not have (default false: error). */
  ignoreExtra?: boolean;
}

/** Collects the values of `params` (structural names) for saving; every one must be initialized. */
export function saveParametersToBytes(params: ReadonlyMap<string, Parameter>): Uint8Array {
  const arrays = new Map<string, NDArray>();
  for (const [name, p] of params) {
    if (!p.isInitialized) {
      throw new Error(
        `saveParameters: parameter '${name}' (${p.name}) has no value yet${p.isDeferred ? ' (its shape is inferred on the first forward)' : ''}; initialize the network and run a forward pass first`,
      );
    }
    arrays.set(name, p.data());
  }
  return encodeParameterFile(arrays);
}

/**
 * Loads `bytes` into `params` (structural names) atomically: parses and checks every name,
 * shape and dtype first, and only then copies, so a failed load changes nothing.
 */
export function loadParametersInto(
  params: ReadonlyMap<string, Parameter>,
  bytes: Uint8Array,
  source: string,
  options: LoadParametersOptions,
): void {
  const arrays = parseParameterFile(bytes, source);
  if (!options.allowMissing) {
    for (const name of params.keys()) {
      if (!arrays.has(name)) {
        throw new Error(
          `loadParameters: parameter '${name}' is missing from ${source} (it has: ${[...arrays.keys()].join(', ') || 'nothing'}); pass { allowMissing: true } to keep its current value`,
        );
      }
    }
  }
  if (!options.ignoreExtra) {
    for (const name of arrays.keys()) {
      if (!params.has(name)) {
        throw new Error(
          `loadParameters: ${source} has parameter '${name}', which the network does not have (it has: ${[...params.keys()].join(', ')}); pass { ignoreExtra: true } to skip it`,
        );
      }
    }
  }
  const plan: Array<[Parameter, NDArray]> = [];
  for (const [name, p] of params) {
    const arr = arrays.get(name);
    if (!arr) continue;
    const declared = p.shape;
    const fits =
      declared.length === 0 ||
      (declared.length === arr.ndim && declared.every((d, i) => d === 0 || d === arr.shape[i]));
    if (!fits) {
      throw new RangeError(
        `loadParameters: parameter '${name}' (${p.name}) has shape ${formatShape(declared)} but ${source} stores ${formatShape(arr.shape)}`,
      );
    }
    if (arr.dtype !== p.dtype) {
      throw new TypeError(
        `loadParameters: parameter '${name}' (${p.name}) is ${p.dtype} but ${source} stores ${arr.dtype}`,
      );
    }
    plan.push([p, arr]);
  }
  for (const [p, arr] of plan) p.setData(arr);
}

/** True while process `pid` runs (a process we may not signal still counts as running). */
function processIsAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: string }).code === 'EPERM';
  }
}

/**
 * Removes temporary files that an earlier save of `path` left behind when its process was killed
 * (`<name>.tmp-<pid>-<id>` whose process is gone). Files of a save still running are kept.
 * Returns the paths removed. Node only.
 * @example await removeStaleSaveFiles('net.params')
 */
export async function removeStaleSaveFiles(path: string): Promise<string[]> {
  const fs = await import('node:fs/promises');
  const { basename, dirname, join } = await import('node:path');
  const prefix = `${basename(path)}.tmp-`;
  const removed: string[] = [];
  let names: string[];
  try {
    names = await fs.readdir(dirname(path));
  } catch {
    return removed;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length).split('-')[0]);
    if (Number.isInteger(pid) && pid > 0 && processIsAlive(pid)) continue;
    const full = join(dirname(path), name);
    await fs.rm(full, { force: true });
    removed.push(full);
  }
  return removed;
}

/**
 * Writes `bytes` to `path` atomically: a temp file in the same directory, flushed to disk, then
 * renamed over `path`, so a reader (or a crash) sees the old file or the new one, never a part.
 * Leftovers of saves killed earlier are removed first. Node only.
 */
export async function writeParameterFile(path: string, bytes: Uint8Array): Promise<void> {
  const fs = await import('node:fs/promises');
  await removeStaleSaveFiles(path);
  const temp = `${path}.tmp-${process.pid}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  try {
    const handle = await fs.open(temp, 'w');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, path);
  } catch (err) {
    await fs.rm(temp, { force: true });
    throw err;
  }
}

/** Reads a parameter file's bytes. Node only. */
export async function readParameterFile(path: string): Promise<Uint8Array> {
  const fs = await import('node:fs/promises');
  try {
    return new Uint8Array(await fs.readFile(path));
  } catch (err) {
    throw new ParameterFileError(path, `cannot read the file (${(err as Error).message})`);
  }
}
