/**
 * Array files in memory: `saveToBuffer` / `loadFromBuffer` (the pure halves of `nd.save` and
 * `nd.load`), the choice of format (MXNet's NDArray list by default, safetensors for a
 * `.safetensors` path or `{ format: 'safetensors' }`), and `readArrayFile`, which recognises
 * a file by its first bytes (MXNet list magic, minimx's "MMXP", or a safetensors header).
 * Pure: no Node import, so the browser build can read and write the same bytes.
 */
import { NDArray } from '../ndarray.js';
import { NDArrayFileError } from './binary.js';
import { decodeMinimxParameterFile, isMinimxParameterFile } from './minimx-format.js';
import { decodeNDArrayList, encodeNDArrayList, isNDArrayList } from './mxnet-format.js';
import { decodeSafetensors, encodeSafetensors, isSafetensors } from './safetensors.js';

/** The formats `nd.save` writes: MXNet's NDArray list (`.params`, `.nd`, anything) or safetensors. */
export type ArrayFileFormat = 'mxnet' | 'safetensors';

/** What `nd.save` accepts, as MXNet's `nd.save`: one array, a list, or named arrays. */
export type SaveData =
  | NDArray
  | readonly NDArray[]
  | Readonly<Record<string, NDArray>>
  | ReadonlyMap<string, NDArray>;

/** What `nd.load` returns: a list when the file has no names, named arrays when it has. */
export type LoadResult = NDArray[] | Record<string, NDArray>;

/** Options of `nd.save` and `nd.saveToBuffer`. */
export interface SaveOptions {
  /** The file format; default: safetensors for a path ending in `.safetensors`, MXNet's otherwise. */
  format?: ArrayFileFormat;
  /** Safetensors only: the `__metadata__` string map stored in the header. */
  metadata?: Record<string, string>;
  /** MXNet format only: append minimx's CRC-32 trailer, which MXNet ignores (default false). */
  checksum?: boolean;
}

/** Options of `nd.load` and `nd.loadFromBuffer`. */
export interface LoadOptions {
  /** Read the bytes as this format instead of recognising them by their first bytes. */
  format?: ArrayFileFormat | 'minimx';
  /** The name errors give the bytes (default `<bytes>`; `nd.load` passes the path). */
  source?: string;
}

/** A decoded array file, whatever its format. */
export interface ArrayFile {
  /** The format the bytes were in (detected from their first bytes). */
  format: ArrayFileFormat | 'minimx';
  /** The arrays, in file order. */
  arrays: NDArray[];
  /** One name per array, or null for an MXNet list saved without names. */
  names: string[] | null;
  /** Safetensors `__metadata__`, if present. */
  metadata: Record<string, string> | null;
  /** True when the file carried a checksum and it matched (minimx's formats). */
  checksum: boolean;
}

/** `safetensors` for a path ending in `.safetensors` (any case), `mxnet` otherwise. @example formatForPath('net.safetensors') // 'safetensors' */
export function formatForPath(path: string): ArrayFileFormat {
  return /\.safetensors$/i.test(path) ? 'safetensors' : 'mxnet';
}

/** Splits `data` into arrays and names (null for a list), checking every value is an NDArray. */
export function normalizeSaveData(op: string, data: SaveData): { arrays: NDArray[]; names: string[] | null } {
  const check = (v: unknown, where: string): NDArray => {
    if (!(v instanceof NDArray)) {
      throw new TypeError(`${op}: ${where} is not an NDArray (got ${v === null ? 'null' : typeof v})`);
    }
    return v;
  };
  if (data instanceof NDArray) return { arrays: [data], names: null };
  if (Array.isArray(data)) return { arrays: data.map((v, i) => check(v, `element ${i}`)), names: null };
  if (data instanceof Map) {
    const names: string[] = [];
    const arrays: NDArray[] = [];
    for (const [k, v] of data) {
      if (typeof k !== 'string') throw new TypeError(`${op}: Map keys must be strings, got ${typeof k}`);
      names.push(k);
      arrays.push(check(v, `'${k}'`));
    }
    return { arrays, names };
  }
  if (typeof data === 'object' && data !== null) {
    const names = Object.keys(data);
    const record = data as Record<string, unknown>;
    return { arrays: names.map((k) => check(record[k], `'${k}'`)), names };
  }
  throw new TypeError(
    `${op}: data must be an NDArray, a list of NDArrays or an object of them, got ${typeof data}`,
  );
}

/** Named arrays as a plain object whose keys are own data properties (`__proto__` is just a key). */
export function toRecord(names: readonly string[], arrays: readonly NDArray[]): Record<string, NDArray> {
  const out: Record<string, NDArray> = {};
  names.forEach((name, i) => {
    Object.defineProperty(out, name, {
      value: arrays[i],
      enumerable: true,
      writable: true,
      configurable: true,
    });
  });
  return out;
}

/**
 * Encodes `data` as `nd.save` writes it, in memory (for browsers, or custom storage).
 * No MXNet counterpart (MXNet saves to files only).
 * @example const bytes = nd.saveToBuffer({ x, y }); const st = nd.saveToBuffer({ w }, { format: 'safetensors' });
 */
export function saveToBuffer(data: SaveData, options: SaveOptions = {}): Uint8Array {
  const { arrays, names } = normalizeSaveData('nd.save', data);
  const format = options.format ?? 'mxnet';
  if (format === 'safetensors') {
    if (names === null) {
      throw new TypeError(
        'nd.save: a safetensors file names every tensor; pass { name: array } instead of a list or a single array',
      );
    }
    return encodeSafetensors(new Map(names.map((n, i) => [n, arrays[i]])), options.metadata);
  }
  if (format !== 'mxnet')
    throw new TypeError(
      `nd.save: unknown format ${JSON.stringify(format)}; expected 'mxnet' or 'safetensors'`,
    );
  if (options.metadata) throw new TypeError("nd.save: metadata is stored only by the 'safetensors' format");
  return encodeNDArrayList(arrays, names ?? undefined, { checksum: options.checksum });
}

/**
 * Decodes any array file minimx reads: MXNet's NDArray list (V1/V2/V3 and the first format),
 * safetensors, or minimx's legacy "MMXP" parameter file, recognised by the first bytes unless
 * `format` says which. Throws an `NDArrayFileError` naming `source`.
 * @example const file = readArrayFile(bytes, 'net.params'); file.names // ['0.weight', ...]
 */
export function readArrayFile(
  bytes: Uint8Array,
  source = '<bytes>',
  format?: LoadOptions['format'],
): ArrayFile {
  if (!(bytes instanceof Uint8Array))
    throw new NDArrayFileError(source, 'expected a Uint8Array of file contents');
  const kind =
    format ??
    (isMinimxParameterFile(bytes)
      ? 'minimx'
      : isNDArrayList(bytes)
        ? 'mxnet'
        : isSafetensors(bytes)
          ? 'safetensors'
          : null);
  if (kind === 'minimx') {
    const map = decodeMinimxParameterFile(bytes, source);
    return {
      format: kind,
      arrays: [...map.values()],
      names: [...map.keys()],
      metadata: null,
      checksum: true,
    };
  }
  if (kind === 'mxnet') {
    const list = decodeNDArrayList(bytes, source);
    const names = list.names.length === 0 ? null : list.names; // MXNet: no names, a list
    return { format: kind, arrays: list.arrays, names, metadata: null, checksum: list.checksum };
  }
  if (kind === 'safetensors') {
    const st = decodeSafetensors(bytes, source);
    return {
      format: kind,
      arrays: [...st.tensors.values()],
      names: [...st.tensors.keys()],
      metadata: st.metadata,
      checksum: false,
    };
  }
  if (kind !== null) throw new TypeError(`nd.load: unknown format ${JSON.stringify(kind)}`);
  throw new NDArrayFileError(
    source,
    bytes.length < 9
      ? `too short to be an array file (${bytes.length} bytes)`
      : 'not an array file minimx knows (bad magic bytes: neither an MXNet NDArray list, a safetensors file nor a minimx parameter file)',
  );
}

/**
 * Decodes bytes written by `nd.save` / `mx.nd.save` / safetensors: a list when saved without
 * names, named arrays otherwise (the type parameter only narrows the declared result).
 * MXNet: `nd.load_frombuffer(buf)`.
 * @example const { x, y } = nd.loadFromBuffer<Record<string, NDArray>>(bytes);
 */
export function loadFromBuffer<T extends LoadResult = LoadResult>(
  bytes: Uint8Array,
  options: LoadOptions = {},
): T {
  const file = readArrayFile(bytes, options.source ?? '<bytes>', options.format);
  return (file.names === null ? file.arrays : toRecord(file.names, file.arrays)) as T;
}
