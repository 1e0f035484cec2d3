/**
 * What the data files are, with no Node module, so the Node and the browser loaders share it: each
 * file's name, IDX shape and digests (`FileSpec`), for MNIST and Fashion-MNIST, and the mirrors
 * they are downloaded from. checksum.ts verifies a file against its spec in Node
 * (node:crypto, node:zlib), fetch-vision.ts in a browser (`crypto.subtle`, `DecompressionStream`).
 */

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

/** The four files of a data set: training/test images and labels. */
export interface SplitSpecs {
  /** The training images file. */
  trainImages: FileSpec;
  /** The training labels file. */
  trainLabels: FileSpec;
  /** The test images file. */
  testImages: FileSpec;
  /** The test labels file. */
  testLabels: FileSpec;
}

/**
 * Fashion-MNIST. The SHA-256 digests were computed once, on the machine that wrote this file, with
 * `zcat /usr/share/datasets/fashion-mnist/<name> | sha256sum` over the files of Debian's
 * `dataset-fashion-mnist` package (whose decompressed bytes equal the upstream files'; the
 * decompressed lengths are 47040016, 60008, 7840016 and 10008 bytes). The `gzSha1` values are
 * the ones MXNet publishes for the `.gz` files of its own mirror, whose training set is ordered
 * differently (its first training label is 2; the upstream files' is 9).
 */
export const FASHION_MNIST_FILES: SplitSpecs = {
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
};

/**
 * MNIST. No copy of MNIST was available where this was written, so the digests of its decompressed
 * content are unknown here and deliberately not filled in. The `gzSha1` values are the SHA-1s
 * MXNet publishes for the `.gz` bytes of its mirror (`gluon/data/vision/datasets.py`), which are
 * also those of Yann LeCun's original files and of the upstream mirror minimx tries first. A file
 * must have these bytes: a structurally valid file with other content (Fashion-MNIST's, which has
 * the same names and shapes, or a mirror's relabelled copy) is refused, and so is a recompressed
 * copy of the right data, whose `.gz` bytes differ.
 */
export const MNIST_FILES: SplitSpecs = {
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
};

/** The default mirror, the one MXNet's Gluon uses (files live under `gluon/dataset/<name>/`). */
export const DEFAULT_GLUON_REPO = 'https://apache-mxnet.s3-accelerate.dualstack.amazonaws.com/';

/** Upstream mirrors used when no repo URL is configured, by data set: `<base><file name>`. */
export const UPSTREAM_MIRRORS: Readonly<Record<string, readonly string[]>> = {
  'fashion-mnist': ['http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/'],
  mnist: ['https://ossci-datasets.s3.amazonaws.com/mnist/'],
};

/**
 * The URL of the file `name` in the folder `base` (`<base><name>`; a missing final `/` is added, a
 * query string stays at the end), or a TypeError naming the `url` option.
 *
 * MXNet counterpart: none (MXNet downloads only from its repo).
 *
 * @example
 * ```ts
 * folderFileUrl('http://127.0.0.1:8080/data', 't10k-labels-idx1-ubyte.gz');
 * // 'http://127.0.0.1:8080/data/t10k-labels-idx1-ubyte.gz'
 * ```
 */
export function folderFileUrl(base: string, name: string): string {
  let url: URL;
  try {
    url = new URL(base, globalThis.location?.href);
  } catch {
    throw new TypeError(
      `url must be the URL of a folder like 'http://127.0.0.1:8080/data/', got ${JSON.stringify(base)}`,
    );
  }
  if (!url.pathname.endsWith('/')) url.pathname = `${url.pathname}/`;
  url.hash = '';
  url.pathname = `${url.pathname}${name}`;
  return url.toString();
}
