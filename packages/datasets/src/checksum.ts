/**
 * Verifying a data file in Node: `verifyIdxFile` checks a file's bytes against its spec (files.ts:
 * the IDX shape it must have and, where known, the SHA-256 digest of its *decompressed* content;
 * decompressed, because the same data is shipped with different gzip bytes, Debian recompressing
 * the upstream files) and says exactly what is wrong.
 */
import { createHash } from 'node:crypto';
import type { FileSpec } from './files.js';
import { gunzip } from './gzip.js';
import { type IdxArray, parseIdx } from './idx.js';

export { FASHION_MNIST_FILES, type FileSpec, MNIST_FILES } from './files.js';

/**
 * Hex SHA-256 of some bytes.
 *
 * MXNet counterpart: `gluon.utils.check_sha1` (which hashes with SHA-1, of the compressed file).
 *
 * @example
 * ```ts
 * sha256Hex(new TextEncoder().encode('abc')); // 'ba7816bf...'
 * ```
 */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Decompresses, hashes and parses one data file against its spec; returns the parsed IDX array
 * (a file whose `.gz` bytes have the spec's `gzSha1` passes the digest test too; with no `sha256`,
 * as for MNIST, the `gzSha1` must match), or throws an error naming `path` and what is wrong (corrupt gzip, truncated, wrong digest, wrong
 * shape). Decompression is capped at the size the spec implies, plus slack for the header.
 *
 * MXNet counterpart: the `check_sha1` test inside `gluon.utils.download`.
 *
 * @example
 * ```ts
 * const labels = verifyIdxFile(readFileSync(p), p, FASHION_MNIST_FILES.trainLabels);
 * labels.shape; // [60000]
 * ```
 */
export function verifyIdxFile(fileBytes: Uint8Array, path: string, spec: FileSpec): IdxArray {
  const expectedBytes = spec.shape.reduce((a, b) => a * b, 1) + 4 + 4 * spec.shape.length;
  const raw = gunzip(fileBytes, path, expectedBytes + 1024);
  const idx = parseIdx(raw, path);
  if (idx.dtype !== 'uint8' || idx.shape.join(',') !== spec.shape.join(',')) {
    throw new Error(
      `${path}: expected IDX uint8 (${spec.shape.join(',')}) for ${spec.name}, found ${idx.dtype} (${idx.shape.join(',')})`,
    );
  }
  const gzSha1 = () => createHash('sha1').update(fileBytes).digest('hex');
  if (spec.sha256 !== undefined) {
    const digest = sha256Hex(raw);
    const mxnetCopy = () => spec.gzSha1 !== undefined && gzSha1() === spec.gzSha1;
    if (digest !== spec.sha256 && !mxnetCopy()) {
      throw new Error(
        `${path}: checksum mismatch: the decompressed content has SHA-256 ${digest}, expected ${spec.sha256}`,
      );
    }
  } else if (spec.gzSha1 !== undefined) {
    const digest = gzSha1();
    if (digest !== spec.gzSha1) {
      throw new Error(
        `${path}: checksum mismatch: the file has SHA-1 ${digest}, expected ${spec.gzSha1} (the digest MXNet ` +
          `publishes for ${spec.name}; a file of another data set, a relabelled or a recompressed copy differs)`,
      );
    }
  }
  return idx;
}
