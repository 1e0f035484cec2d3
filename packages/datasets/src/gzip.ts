/**
 * Gunzip with a cap on the output size, so a corrupt or hostile file cannot make us allocate
 * gigabytes, and errors that name the file. Bytes that do not start with the gzip magic number are
 * returned as they are (an already decompressed IDX file is accepted).
 */
import { gunzipSync as zlibGunzipSync } from 'node:zlib';

/** The default cap on a decompressed file: 256 MiB, five times Fashion-MNIST's largest file. */
export const DEFAULT_MAX_OUTPUT_BYTES = 256 * 1024 * 1024;

/** True when `bytes` starts with the gzip magic number 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Decompresses gzip bytes (one or more members), refusing to produce more than `maxOutputBytes`
 * (default 256 MiB).
 * `name` (a path or URL) is used in error messages. Non-gzip bytes are returned unchanged.
 *
 * MXNet counterpart: `gzip.open(path, 'rb').read()` in `gluon.data.vision.MNIST._get_data`.
 *
 * @example
 * ```ts
 * const idx = gunzip(readFileSync('t10k-labels-idx1-ubyte.gz'), 't10k-labels-idx1-ubyte.gz');
 * idx.length; // 10008
 * ```
 */
export function gunzip(
  bytes: Uint8Array,
  name = '<buffer>',
  maxOutputBytes = DEFAULT_MAX_OUTPUT_BYTES,
): Uint8Array {
  if (!isGzip(bytes)) return bytes;
  try {
    return zlibGunzipSync(bytes, { maxOutputLength: maxOutputBytes });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) {
      throw new Error(
        `gzip file ${name} decompresses to more than ${maxOutputBytes} bytes; refusing to read it`,
      );
    }
    const reason = e.code === 'Z_BUF_ERROR' ? 'it is truncated (unexpected end of data)' : e.message;
    throw new Error(`gzip file ${name} is corrupt: ${reason}`);
  }
}
