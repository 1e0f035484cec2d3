/**
 * The `.safetensors` format (Hugging Face's; what PyTorch, JAX and most model hubs exchange
 * weights in), encoded and decoded without dependencies:
 *
 *     u64 N (little-endian), N bytes of UTF-8 JSON, then the data buffer
 *     JSON: { "__metadata__"?: { string: string }, name: { "dtype": "F32", "shape": [2, 3],
 *             "data_offsets": [begin, end] }, ... }   (offsets relative to the buffer)
 *
 * The encoder lays the file out as the reference implementation does: tensors sorted by dtype
 * (widest alignment first) then name, packed without gaps, the JSON compact and padded with
 * spaces to a multiple of 8 bytes. The decoder refuses, before allocating anything, a header
 * longer than 100 MB or than the file, JSON that is not an object, an unknown or unsupported
 * dtype, offsets that overlap, leave holes or disagree with shape × dtype, and bytes after the
 * last tensor. Pure: no Node import.
 */
import type { DType } from '../dtype.js';
import type { NDArray } from '../ndarray.js';
import {
  BYTES_PER_ELEMENT,
  ByteReader,
  elementCount,
  MAX_NDIM,
  NDArrayFileError,
  writeElements,
} from './binary.js';

const MAX_HEADER_BYTES = 100_000_000;
const CODES: Readonly<Record<DType, string>> = { float32: 'F32', float64: 'F64', int32: 'I32', uint8: 'U8' };
const DTYPES: Readonly<Record<string, DType>> = { F32: 'float32', F64: 'float64', I32: 'int32', U8: 'uint8' };
/** Every safetensors dtype, in the reference implementation's order (increasing alignment). */
const ORDER = [
  'BOOL',
  'U8',
  'I8',
  'F8_E5M2',
  'F8_E4M3',
  'I16',
  'U16',
  'F16',
  'BF16',
  'I32',
  'U32',
  'F32',
  'F64',
  'I64',
  'U64',
];

/** What `decodeSafetensors` returns: tensors in data order, and the `__metadata__` map if any. */
export interface SafetensorsContents {
  /** The tensors by name, in file order. */
  tensors: Map<string, NDArray>;
  /** The header's `__metadata__` string map, or null when absent. */
  metadata: Record<string, string> | null;
}

/** True when `bytes` look like a safetensors file (a header length below 2^32, then `{`). */
export function isSafetensors(bytes: Uint8Array): boolean {
  if (bytes.length < 9 || bytes[8] !== 0x7b) return false;
  return new DataView(bytes.buffer, bytes.byteOffset, 8).getUint32(4, true) === 0;
}

function compareUtf8(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/**
 * Encodes named arrays as a safetensors file, optionally with a `__metadata__` string map.
 * PyTorch reads it with `safetensors.torch.load_file`. No MXNet counterpart (MXNet predates
 * the format); the PyTorch one is `safetensors.torch.save_file(tensors, path, metadata)`.
 * @example const bytes = encodeSafetensors(new Map([['0.weight', w]]), { format: 'pt' });
 */
export function encodeSafetensors(
  tensors: ReadonlyMap<string, NDArray>,
  metadata?: Readonly<Record<string, string>> | null,
): Uint8Array {
  const encoder = new TextEncoder();
  const entries = [...tensors].map(([name, arr]) => {
    if (name === '__metadata__') {
      throw new TypeError("encodeSafetensors: '__metadata__' is reserved and cannot name a tensor");
    }
    return { name, arr, key: encoder.encode(name), rank: ORDER.indexOf(CODES[arr.dtype]) };
  });
  entries.sort((a, b) => b.rank - a.rank || compareUtf8(a.key, b.key));
  const parts: string[] = [];
  if (metadata) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') {
        throw new TypeError(`encodeSafetensors: metadata value of '${k}' must be a string, got ${typeof v}`);
      }
    }
    parts.push(`"__metadata__":${JSON.stringify(metadata)}`);
  }
  let offset = 0;
  for (const { name, arr } of entries) {
    const n = arr.size * BYTES_PER_ELEMENT[arr.dtype];
    parts.push(
      `${JSON.stringify(name)}:{"dtype":"${CODES[arr.dtype]}","shape":[${arr.shape.join(',')}],"data_offsets":[${offset},${offset + n}]}`,
    );
    offset += n;
  }
  const json = encoder.encode(`{${parts.join(',')}}`);
  const headerLength = json.length + ((8 - (json.length % 8)) % 8);
  const out = new Uint8Array(8 + headerLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength);
  let pos = 8 + headerLength;
  for (const { arr } of entries) pos = writeElements(out, pos, arr);
  return out;
}

interface Entry {
  name: string;
  dtype: DType;
  shape: number[];
  begin: number;
  end: number;
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/**
 * Decodes a safetensors file (from PyTorch's `safetensors.torch.save_file`, or
 * `encodeSafetensors`). Throws an `NDArrayFileError` naming `source`, the tensor and the field.
 * Tensors of dtypes minimx lacks (F16, BF16, I64, ...) are refused, naming the dtype.
 * @example const { tensors } = decodeSafetensors(bytes, 'model.safetensors'); tensors.get('0.weight')
 */
export function decodeSafetensors(bytes: Uint8Array, source = '<bytes>'): SafetensorsContents {
  if (!(bytes instanceof Uint8Array))
    throw new NDArrayFileError(source, 'expected a Uint8Array of file contents');
  const r: ByteReader = new ByteReader(bytes, source);
  const headerLength = r.u64('the safetensors header length');
  if (headerLength > MAX_HEADER_BYTES) {
    r.fail(
      `the header length ${headerLength} at offset 0 is more than the ${MAX_HEADER_BYTES} bytes allowed`,
    );
  }
  const text = r.utf8(headerLength, 'the JSON header');
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (err) {
    r.fail(`the header (offset 8, ${headerLength} bytes) is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    r.fail('the header is not a JSON object');
  }
  let metadata: Record<string, string> | null = null;
  const entries: Entry[] = [];
  for (const [name, info] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof info !== 'object' || info === null || Array.isArray(info)) {
        r.fail('__metadata__ must be an object of strings');
      }
      metadata = {};
      for (const [k, v] of Object.entries(info as Record<string, unknown>)) {
        if (typeof v !== 'string') r.fail(`__metadata__ value of '${k}' is not a string`);
        Object.defineProperty(metadata, k, {
          value: v,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      continue;
    }
    const what = `tensor '${name}'`;
    if (typeof info !== 'object' || info === null) r.fail(`${what}: its entry is not an object`);
    const { dtype: code, shape, data_offsets: offsets } = info as Record<string, unknown>;
    if (typeof code !== 'string') r.fail(`${what}: dtype is missing or not a string`);
    const dtype = DTYPES[code];
    if (dtype === undefined) {
      r.fail(
        ORDER.includes(code)
          ? `${what}: dtype ${code} is not supported by minimx (it has F32, F64, I32, U8)`
          : `${what}: unknown dtype ${JSON.stringify(code)}`,
      );
    }
    if (!Array.isArray(shape) || shape.length > MAX_NDIM || !shape.every(isCount)) {
      r.fail(`${what}: shape must be a list of at most ${MAX_NDIM} non-negative integers`);
    }
    if (
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      !offsets.every(isCount) ||
      offsets[0] > offsets[1]
    ) {
      r.fail(`${what}: data_offsets must be [begin, end] with 0 <= begin <= end`);
    }
    const [begin, end] = offsets as number[];
    const expected = elementCount(shape as number[]) * BYTES_PER_ELEMENT[dtype];
    if (end - begin !== expected) {
      r.fail(
        `${what}: data_offsets [${begin}, ${end}] hold ${end - begin} bytes, but shape [${(shape as number[]).join(', ')}] of ${code} needs ${expected}`,
      );
    }
    entries.push({ name, dtype, shape: shape as number[], begin, end });
  }
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  const base = 8 + headerLength;
  const dataBytes = bytes.length - base;
  let expectedBegin = 0;
  for (const e of entries) {
    if (e.begin !== expectedBegin) {
      r.fail(
        `tensor '${e.name}': data_offsets begin at ${e.begin}, expected ${expectedBegin} (tensors must be packed without gaps or overlaps)`,
      );
    }
    if (e.end > dataBytes) {
      r.fail(
        `truncated: tensor '${e.name}' ends at data offset ${e.end} (file offset ${base + e.end}), but the file has ${dataBytes} data bytes`,
      );
    }
    expectedBegin = e.end;
  }
  if (expectedBegin !== dataBytes) {
    r.fail(
      `${dataBytes - expectedBegin} unexpected bytes after the last tensor (from offset ${base + expectedBegin})`,
    );
  }
  const tensors = new Map<string, NDArray>();
  for (const e of entries) {
    r.pos = base + e.begin;
    tensors.set(e.name, r.array(e.dtype, e.shape, `tensor '${e.name}' data`));
  }
  return { tensors, metadata };
}
