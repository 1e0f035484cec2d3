/**
 * What a good data file is: for each file of MNIST and Fashion-MNIST, the IDX shape it must have and,
 * where known, the SHA-256 digest of its *decompressed* content. Decompressed, because the same data
 * is shipped with different gzip bytes (Debian recompresses the upstream files). `verifyIdxFile`
 * checks a file's bytes against its spec and says exactly what is wrong.
 */
import { createHash } from 'node:crypto';
import { gunzip } from './gzip.js';
import { type IdxArray, parseIdx } from './idx.js';

/** One data file: its name in the mirror and on disk, its IDX shape, and its digest if known. */
export interface FileSpec {
  /** File name, e.g. `train-images-idx3-ubyte.gz`. */
  name: string;
  /** The IDX shape the file must have, e.g. `[60000, 28, 28]`. */
  shape: readonly number[];
  /** Hex SHA-256 of the decompressed content, or `undefined` where no trusted digest is known. */
  sha256?: string;
  /**
   * Hex SHA-1 of the exact `.gz` bytes that MXNet's Gluon mirror serves, as published in MXNet's
   * `gluon/data/vision/datasets.py`. A file with these bytes is accepted too: MXNet's mirror holds
   * its own copy of the data (for Fashion-MNIST, in another order than the upstream files).
   */
  gzSha1?: string;
}

/**
 * Fashion-MNIST. The SHA-256 digests were computed once, on the machine that wrote this file, with
 * `zcat /usr/share/datasets/fashion-mnist/<name> | sha256sum` over the files of Debian's
 * `dataset-fashion-mnist` package (whose decompressed bytes equal the upstream files'; the
 * decompressed lengths are 47040016, 60008, 7840016 and 10008 bytes). The `gzSha1` values are
 * the ones MXNet publishes for the `.gz` files of its own mirror, whose training set is ordered
 * differently (its first training label is 2; the upstream files' is 9).
 */
export const FASHION_MNIST_FILES = {
  trainImages: {
    name: 'train-images-idx3-ubyte.gz',
    shape: [60000, 28, 28],
    sha256: 'c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888',
    gzSha1: '0cf37b0d40ed5169c6b3aba31069a9770ac9043d',
  },
  trainLabels: {
    name: 'train-labels-idx1-ubyte.gz',
    shape: [60000],
    sha256: 'bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9',
    gzSha1: '236021d52f1e40852b06a4c3008d8de8aef1e40b',
  },
  testImages: {
    name: 't10k-images-idx3-ubyte.gz',
    shape: [10000, 28, 28],
    sha256: '5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b',
    gzSha1: '626ed6a7c06dd17c0eec72fa3be1740f146a2863',
  },
  testLabels: {
    name: 't10k-labels-idx1-ubyte.gz',
    shape: [10000],
    sha256: '0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34',
    gzSha1: '17f9ab60e7257a1620f4ad76bbbaf857c3920701',
  },
} as const satisfies Record<string, FileSpec>;

/**
 * MNIST. No copy of MNIST was available where this was written, so the digests of its decompressed
 * content are unknown here and deliberately not filled in. The `gzSha1` values are the SHA-1s
 * MXNet publishes for the `.gz` bytes of its mirror (`gluon/data/vision/datasets.py`), which are
 * also those of Yann LeCun's original files and of the upstream mirror minimx tries first. A file
 * must have these bytes: a structurally valid file with other content (Fashion-MNIST's, which has
 * the same names and shapes, or a mirror's relabelled copy) is refused, and so is a recompressed
 * copy of the right data, whose `.gz` bytes differ.
 */
export const MNIST_FILES = {
  trainImages: {
    name: 'train-images-idx3-ubyte.gz',
    shape: [60000, 28, 28],
    gzSha1: '6c95f4b05d2bf285e1bfb0e7960c31bd3b3f8a7d',
  },
  trainLabels: {
    name: 'train-labels-idx1-ubyte.gz',
    shape: [60000],
    gzSha1: '2a80914081dc54586dbdf242f9805a6b8d2a15fc',
  },
  testImages: {
    name: 't10k-images-idx3-ubyte.gz',
    shape: [10000, 28, 28],
    gzSha1: 'c3a25af1f52dad7f726cce8cacb138654b760d48',
  },
  testLabels: {
    name: 't10k-labels-idx1-ubyte.gz',
    shape: [10000],
    gzSha1: '763e7fa3757d93b0cdec073cef058b2004252c17',
  },
} as const satisfies Record<string, FileSpec>;

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
