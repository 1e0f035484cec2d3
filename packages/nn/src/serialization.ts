/**
 * Parameter files: what `saveParameters` writes and `loadParameters` reads, and the atomic load
 * into a network. Files are written in MXNet's NDArray-list format, keyed by structural names
 * (`0.weight`, `hidden.bias`) as Gluon 1.x's `save_parameters` writes them, so MXNet's
 * `net.load_parameters` reads a file saved here and the other way round; a path ending in
 * `.safetensors` (or `{ format: 'safetensors' }`) writes safetensors instead, for PyTorch.
 * minimx appends an 8-byte CRC-32 trailer that MXNet ignores, so corruption is still caught.
 *
 * Reading recognises the format by its first bytes: MXNet's list, safetensors, or the "MMXP"
 * format minimx wrote before (still read, and still written by `encodeParameterFile`). The
 * codecs live in `@minimx/ndarray`'s `io` (pure, browser-safe); the legacy codec, CRC-32, the
 * atomic write and the checked read (Node only) in `@minimx/ndarray/internal`. Every length is
 * checked against the bytes left before anything is allocated; names stay data (a Map,
 * `__proto__` is just a name).
 */
import { io, type NDArray } from '@minimx/ndarray';
import * as internal from '@minimx/ndarray/internal';
import type { Parameter } from './parameter.js';
import { formatShape } from './shape-format.js';

/** A corrupt, truncated or otherwise unreadable parameter file; `source` names the file. */
export class ParameterFileError extends io.NDArrayFileError {
  /** The error's class name, `'ParameterFileError'`. */
  override name = 'ParameterFileError';
}

/** CRC-32 (IEEE 802.3, as zlib's) of `bytes`. @example crc32(new TextEncoder().encode('123456789')) // 0xcbf43926 */
export const crc32: (bytes: Uint8Array) => number = internal.crc32;

/** The formats `saveParameters` writes. */
export type ParameterFileFormat = 'mxnet' | 'safetensors';

/** Options of `saveParameters` / `saveParametersToBytes`. */
export interface SaveParametersOptions {
  /** Default: `safetensors` for a path ending in `.safetensors`, MXNet's format otherwise. */
  format?: ParameterFileFormat;
}

/** Rethrows a codec error as a `ParameterFileError` with the same source and detail. */
function asParameterFileError(err: unknown): never {
  if (err instanceof io.NDArrayFileError && !(err instanceof ParameterFileError)) {
    throw new ParameterFileError(err.source, err.detail);
  }
  throw err;
}

/**
 * Encodes named arrays in minimx's legacy "MMXP" format (the format `saveParameters` wrote
 * before it wrote MXNet's; `loadParameters` still reads it).
 * @example const bytes = encodeParameterFile(new Map([['0.weight', w]]));
 */
export function encodeParameterFile(entries: ReadonlyMap<string, NDArray>): Uint8Array {
  return internal.encodeMinimxParameterFile(entries);
}

/**
 * Parses a parameter file (MXNet's format as Gluon writes it, safetensors, or minimx's legacy
 * "MMXP") into a Map from name to array, or throws a `ParameterFileError` naming `source` and
 * what is wrong: bad magic, truncation with the offset and the field, a length beyond the end,
 * invalid UTF-8, a duplicate name, a checksum mismatch, trailing bytes, sparse storage, a dtype
 * minimx lacks, or a list saved without names. Never allocates more than the input's size.
 * @example const arrays = parseParameterFile(bytes, 'mlp.params'); arrays.get('0.weight')
 */
export function parseParameterFile(bytes: Uint8Array, source = '<bytes>'): Map<string, NDArray> {
  let file: internal.ArrayFile;
  try {
    file = internal.readArrayFile(bytes, source);
  } catch (err) {
    asParameterFileError(err);
  }
  if (file.names === null) {
    if (file.arrays.length === 0) return new Map();
    throw new ParameterFileError(
      source,
      `holds ${file.arrays.length} arrays without names (saved by nd.save with a list?); a parameter file names each parameter`,
    );
  }
  return new Map(file.names.map((n, i) => [n, file.arrays[i]]));
}

/** Options of `loadParameters`, as Gluon's `allow_missing` and `ignore_extra`. */
export interface LoadParametersOptions {
  /** Leave parameters absent from the file as they are (default false: error). */
  allowMissing?: boolean;
  /** Ignore names in the file that the network does not have (default false: error). */
  ignoreExtra?: boolean;
}

/**
 * Collects the values of `params` (structural names) and encodes them: MXNet's format with
 * minimx's checksum trailer, or safetensors. Every parameter must be initialized.
 */
export function saveParametersToBytes(
  params: ReadonlyMap<string, Parameter>,
  options: SaveParametersOptions = {},
): Uint8Array {
  const names: string[] = [];
  const arrays: NDArray[] = [];
  for (const [name, p] of params) {
    if (!p.isInitialized) {
      throw new Error(
        `saveParameters: parameter '${name}' (${p.name}) has no value yet${p.isDeferred ? ' (its shape is inferred on the first forward)' : ''}; initialize the network and run a forward pass first`,
      );
    }
    names.push(name);
    arrays.push(p.data());
  }
  const format = options.format ?? 'mxnet';
  if (format === 'safetensors') return io.encodeSafetensors(new Map(names.map((n, i) => [n, arrays[i]])));
  if (format !== 'mxnet') {
    throw new TypeError(
      `saveParameters: unknown format ${JSON.stringify(format)}; expected 'mxnet' or 'safetensors'`,
    );
  }
  return io.encodeNDArrayList(arrays, names, { checksum: true });
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
        const flat =
          arrays.size > 0 && [...arrays.keys()].every((k) => !k.includes('.')) && name.includes('.');
        throw new Error(
          `loadParameters: parameter '${name}' is missing from ${source} (it has: ${[...arrays.keys()].join(', ') || 'nothing'}); pass { allowMissing: true } to keep its current value${flat ? ". The file's names have no dots: it may be an old save_params file keyed by full names, which loadParameters does not read" : ''}`,
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

/**
 * Removes temporary files that an earlier save of `path` left behind when its process was killed
 * (`<name>.tmp-minimx-<pid>-<12 hex>` whose process is gone; no other file). Node only.
 * @example await removeStaleSaveFiles('net.params')
 */
export const removeStaleSaveFiles: (path: string) => Promise<string[]> = internal.removeStaleSaveFiles;

/**
 * Writes `bytes` to `path` atomically (temp file, flush, rename; the one implementation is
 * `writeFileAtomic` of `@minimx/ndarray/internal`). Node only.
 */
export async function writeParameterFile(path: string, bytes: Uint8Array): Promise<void> {
  await internal.writeFileAtomic(path, bytes);
}

/** Reads a parameter file's bytes; a missing file or a directory is a `ParameterFileError`. Node only. */
export async function readParameterFile(path: string): Promise<Uint8Array> {
  try {
    return await internal.readFileBytes(path);
  } catch (err) {
    asParameterFileError(err);
  }
}

/** Saves `params` to `path` (format from the options or the extension), atomically. Node only. */
export async function saveParametersToFile(
  params: ReadonlyMap<string, Parameter>,
  path: string,
  options: SaveParametersOptions = {},
): Promise<void> {
  const bytes = saveParametersToBytes(params, { format: options.format ?? internal.formatForPath(path) });
  await writeParameterFile(path, bytes);
}

/** Reads `path` and loads it into `params` atomically (see `loadParametersInto`). Node only. */
export async function loadParametersFromFile(
  params: ReadonlyMap<string, Parameter>,
  path: string,
  options: LoadParametersOptions = {},
): Promise<void> {
  loadParametersInto(params, await readParameterFile(path), path, options);
}
