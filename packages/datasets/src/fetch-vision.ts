/**
 * `vision.MNIST` and `vision.FashionMNIST` for browsers (and any runtime with `fetch`,
 * `DecompressionStream` and `crypto.subtle`, such as a Web Worker): `await FashionMNIST.load({ url })`
 * fetches the two files of a split, `await FashionMNIST.fromBytes({ images, labels })` takes bytes
 * already in hand. Either way each file is checked as in Node: gzip integrity with decompression
 * capped near the expected size, the SHA-256 of the decompressed content (or MXNet's SHA-1 of the
 * `.gz` bytes), and a strict IDX parse; errors name the URL. No Node module, no cache: a page
 * that wants one keeps the bytes itself (Cache Storage, IndexedDB) and calls `fromBytes`.
 */
import {
  DEFAULT_GLUON_REPO,
  FASHION_MNIST_FILES,
  type FileSpec,
  folderFileUrl,
  MNIST_FILES,
  type SplitSpecs,
  UPSTREAM_MIRRORS,
} from './files.js';
import { type IdxArray, parseIdx } from './idx.js';
import { type ItemTransform, VisionArrays } from './vision-base.js';

/** Progress of one file's download, for a loading bar. */
export interface FetchProgress {
  /** The file's name, e.g. `train-images-idx3-ubyte.gz`. */
  file: string;
  /** The URL being fetched. */
  url: string;
  /** Bytes received so far. */
  received: number;
  /** The Content-Length, when the server sent one. */
  total?: number;
}

/** Options of the browser `MNIST.load` / `FashionMNIST.load` (and, for `train` and `transform`, `fromBytes`). */
export interface FetchVisionOptions {
  /** The training split (default `true`) or the test split (`false`). */
  train?: boolean;
  /** A function of `(data, label)` returning the transformed `[data, label]` for each item, as in Gluon. */
  transform?: ItemTransform;
  /**
   * The URL of a folder holding the files themselves (`<url><file name>`), relative to the page if
   * relative; when set, the only place fetched from. The server must be the page's origin or send
   * CORS headers.
   */
  url?: string;
  /**
   * Base URL of a Gluon-style mirror (`<repoUrl>gluon/dataset/<name>/<file name>`). Without `url` or
   * `repoUrl`: the upstream mirror, then MXNet's repo (which must allow the page's origin).
   */
  repoUrl?: string;
  /** The `fetch` to use (default: the global one). */
  fetch?: (url: string, init: { signal?: AbortSignal }) => Promise<Response>;
  /** Aborts the downloads. */
  signal?: AbortSignal;
  /** Called as bytes arrive. */
  onProgress?: (progress: FetchProgress) => void;
}

/** A verified file of a split and where it came from (a URL, or `'bytes'`). */
export interface FetchedFile {
  /** The URL the file came from (the first candidate that gave a valid file), or `'bytes'`. */
  source: string;
  /** The file's IDX array, decompressed, checked against its spec's hash and parsed. */
  idx: IdxArray;
}

/** True when `bytes` starts with the gzip magic number 1f 8b. */
function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Reads a byte stream to its end, refusing more than `max` bytes (`tooMany` builds the error). */
async function readCapped(
  stream: ReadableStream<Uint8Array>,
  max: number,
  tooMany: () => Error,
  onChunk?: (received: number) => void,
): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > max) {
      await reader.cancel().catch(() => {});
      throw tooMany();
    }
    chunks.push(value);
    onChunk?.(size);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Gunzip with `DecompressionStream`, capped at `maxOutputBytes`; non-gzip bytes are returned as they are. */
async function gunzipWeb(bytes: Uint8Array, name: string, maxOutputBytes: number): Promise<Uint8Array> {
  if (!isGzip(bytes)) return bytes;
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('gzip'));
  try {
    return await readCapped(
      stream,
      maxOutputBytes,
      () =>
        new RangeError(
          `gzip file ${name} decompresses to more than ${maxOutputBytes} bytes; refusing to read it`,
        ),
    );
  } catch (err) {
    if (err instanceof RangeError) throw err;
    throw new Error(`gzip file ${name} is corrupt: ${(err as Error).message}`);
  }
}

async function digestHex(algorithm: 'SHA-256' | 'SHA-1', bytes: Uint8Array): Promise<string> {
  if (globalThis.crypto?.subtle === undefined) {
    throw new Error(
      'crypto.subtle is not available to check the files: a page must be a secure context (https:, or http://localhost / 127.0.0.1)',
    );
  }
  const digest = new Uint8Array(await crypto.subtle.digest(algorithm, bytes as BufferSource));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Decompresses, hashes and parses one data file against its spec, as `verifyIdxFile` does in Node,
 * with `DecompressionStream` and `crypto.subtle`; returns the IDX array or throws an error naming
 * `name` and what is wrong.
 *
 * MXNet counterpart: the `check_sha1` test inside `gluon.utils.download`.
 *
 * @example
 * ```ts
 * const labels = await verifyIdxBytes(bytes, 't10k-labels-idx1-ubyte.gz', FASHION_MNIST_FILES.testLabels);
 * labels.shape; // [10000]
 * ```
 */
export async function verifyIdxBytes(fileBytes: Uint8Array, name: string, spec: FileSpec): Promise<IdxArray> {
  const expectedBytes = spec.shape.reduce((a, b) => a * b, 1) + 4 + 4 * spec.shape.length;
  const raw = await gunzipWeb(fileBytes, name, expectedBytes + 1024);
  const idx = parseIdx(raw, name);
  if (idx.dtype !== 'uint8' || idx.shape.join(',') !== spec.shape.join(',')) {
    throw new Error(
      `${name}: expected IDX uint8 (${spec.shape.join(',')}) for ${spec.name}, found ${idx.dtype} (${idx.shape.join(',')})`,
    );
  }
  if (spec.sha256 !== undefined) {
    const digest = await digestHex('SHA-256', raw);
    if (
      digest !== spec.sha256 &&
      !(spec.gzSha1 !== undefined && (await digestHex('SHA-1', fileBytes)) === spec.gzSha1)
    ) {
      throw new Error(
        `${name}: checksum mismatch: the decompressed content has SHA-256 ${digest}, expected ${spec.sha256}`,
      );
    }
  } else if (spec.gzSha1 !== undefined) {
    const digest = await digestHex('SHA-1', fileBytes);
    if (digest !== spec.gzSha1) {
      throw new Error(
        `${name}: checksum mismatch: the file has SHA-1 ${digest}, expected ${spec.gzSha1} (the digest MXNet ` +
          `publishes for ${spec.name}; a file of another data set, a relabelled or a recompressed copy differs)`,
      );
    }
  }
  return idx;
}

/** The largest download of `spec` accepted: its IDX size, gzipped or not, plus slack (as in Node). */
function largestDownload(spec: FileSpec): number {
  const raw = spec.shape.reduce((a, b) => a * b, 1) + 4 + 4 * spec.shape.length;
  return raw + Math.ceil(raw / 16384) * 5 + 1024;
}

/** The URLs tried for a file, in order: `url`, else `repoUrl`, else the upstream mirror then MXNet's repo. */
function candidateUrls(namespace: string, name: string, options: FetchVisionOptions): string[] {
  if (options.url !== undefined) return [folderFileUrl(options.url, name)];
  const repo = (base: string) => folderFileUrl(base, `gluon/dataset/${namespace}/${name}`);
  if (options.repoUrl !== undefined) return [repo(options.repoUrl)];
  return [...(UPSTREAM_MIRRORS[namespace] ?? []).map((base) => `${base}${name}`), repo(DEFAULT_GLUON_REPO)];
}

/** Fetches one URL's bytes within `maxBytes`; errors name the URL. */
async function fetchBytes(url: string, spec: FileSpec, options: FetchVisionOptions): Promise<Uint8Array> {
  const doFetch = options.fetch ?? ((u: string, init: RequestInit) => globalThis.fetch(u, init));
  let res: Response;
  try {
    res = await doFetch(url, { signal: options.signal });
  } catch (err) {
    if (options.signal?.aborted) throw err;
    throw new Error(
      `${(err as Error).message} (the server must be the page's origin or send CORS headers; a page on https: cannot fetch http:)`,
    );
  }
  if (!res.ok) {
    await res.body?.cancel().catch(() => {});
    throw new Error(`HTTP ${res.status} ${res.statusText}`.trim());
  }
  const max = largestDownload(spec);
  const encoding = res.headers.get('content-encoding');
  const lengthHeader =
    encoding !== null && encoding !== 'identity' ? null : res.headers.get('content-length');
  const total = lengthHeader === null ? undefined : Number(lengthHeader);
  if (total !== undefined && total > max) {
    await res.body?.cancel().catch(() => {});
    throw new Error(`refused: Content-Length ${total} is more than ${max} bytes`);
  }
  if (res.body === null) return new Uint8Array(0);
  const bytes = await readCapped(
    res.body,
    max,
    () => new Error(`refused: the body grew to more than ${max} bytes`),
    (received) => options.onProgress?.({ file: spec.name, url, received, total }),
  );
  if (total !== undefined && bytes.length !== total) {
    throw new Error(`truncated: received ${bytes.length} of ${total} bytes`);
  }
  return bytes;
}

/** Fetches and verifies one file, trying each candidate URL; one error lists every URL's failure. */
async function fetchVerified(
  namespace: string,
  spec: FileSpec,
  options: FetchVisionOptions,
): Promise<FetchedFile> {
  const errors: string[] = [];
  for (const url of candidateUrls(namespace, spec.name, options)) {
    try {
      const bytes = await fetchBytes(url, spec, options);
      return { source: url, idx: await verifyIdxBytes(bytes, url, spec) };
    } catch (err) {
      if (options.signal?.aborted) throw err;
      errors.push(`download of ${url} failed: ${(err as Error).message}`);
    }
  }
  throw new Error(
    errors.length === 1 ? errors[0] : `all mirrors failed for ${spec.name}:\n  ${errors.join('\n  ')}`,
  );
}

function checkOptions(what: string, options: unknown): asserts options is FetchVisionOptions {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`${what}: options must be an object like { train: true, url: '/data/' }`);
  }
  const { train, transform } = options as FetchVisionOptions;
  if (train !== undefined && typeof train !== 'boolean') {
    throw new TypeError(`${what}: train must be true or false, got ${String(train)}`);
  }
  if (transform !== undefined && typeof transform !== 'function') {
    throw new TypeError(`${what}: transform must be a function of (data, label)`);
  }
}

/**
 * The MNIST handwritten digits in a browser: 60000 training and 10000 test items `[image uint8
 * (28,28,1), label]`. Made by `await MNIST.load({ url })` or `await MNIST.fromBytes(...)`; the files
 * must have the `.gz` SHA-1s MXNet publishes.
 *
 * MXNet counterpart: `mxnet.gluon.data.vision.MNIST(root, train=True, transform=None)`.
 *
 * @example
 * ```ts
 * const mnistTest = await vision.MNIST.load({ train: false, url: '/data/mnist/' });
 * ```
 */
export class MNIST extends VisionArrays {
  /** The folder name in the mirror. */
  static readonly namespace: string = 'mnist';
  /** The four files and how to verify them. */
  static readonly files: SplitSpecs = MNIST_FILES;

  /** Where the image and label files came from: their URLs, or `'bytes'`. */
  readonly sources: {
    /** The image file's URL, or `'bytes'`. */
    images: string;
    /** The label file's URL, or `'bytes'`. */
    labels: string;
  };

  /**
   * Wraps verified files (what `load` and `fromBytes` pass). In a browser there is no local copy to
   * read, so without `loaded` this throws an error saying to `await load(...)`.
   */
  constructor(options: FetchVisionOptions = {}, loaded?: { images: FetchedFile; labels: FetchedFile }) {
    const what = new.target.name;
    checkOptions(what, options);
    if (loaded === undefined) {
      throw new Error(
        `${what}: a browser has no local copy to read; use \`await vision.${what}.load({ train: ${options.train ?? true}, url })\` ` +
          `or \`await vision.${what}.fromBytes({ images, labels })\``,
      );
    }
    super(
      options.train ?? true,
      { ...loaded.images.idx, from: loaded.images.source },
      { ...loaded.labels.idx, from: loaded.labels.source },
      options.transform,
      what,
    );
    this.sources = { images: loaded.images.source, labels: loaded.labels.source };
  }

  /**
   * Fetches and verifies the split's two files (from `url`, `repoUrl`, or the default mirrors).
   *
   * MXNet counterpart: the `MNIST(...)` constructor, which downloads as needed.
   *
   * @example
   * ```ts
   * const mnistTrain = await vision.MNIST.load({ train: true, url: 'https://my.mirror/mnist/' });
   * ```
   */
  static async load(options: FetchVisionOptions = {}): Promise<MNIST> {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the subclass load was called on
    return loadAs(this, options);
  }

  /**
   * Verifies bytes already in hand (gzipped or not) as the split's image and label files.
   *
   * MXNet counterpart: none.
   *
   * @example
   * ```ts
   * const test = await vision.MNIST.fromBytes({ images, labels }, { train: false });
   * ```
   */
  static async fromBytes(
    files: { images: Uint8Array | ArrayBuffer; labels: Uint8Array | ArrayBuffer },
    options: Pick<FetchVisionOptions, 'train' | 'transform'> = {},
  ): Promise<MNIST> {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the subclass fromBytes was called on
    return fromBytesAs(this, files, options);
  }
}

/**
 * Fashion-MNIST in a browser: Zalando's 60000 training and 10000 test images of clothing, items
 * `[image uint8 (28,28,1), label]` (see {@link getFashionMnistLabels}); the same files, checks and
 * order as in Node (the first training label is 9 in the upstream files and Debian's, 2 in MXNet's
 * mirror).
 *
 * MXNet counterpart: `mxnet.gluon.data.vision.FashionMNIST(root, train=True, transform=None)`.
 *
 * @example
 * ```ts
 * const mnistTrain = await vision.FashionMNIST.load({ train: true, url: '/data/fashion-mnist/' });
 * const mnistTest = await vision.FashionMNIST.load({ train: false, url: '/data/fashion-mnist/' });
 * mnistTrain.length; // 60000
 * ```
 */
export class FashionMNIST extends MNIST {
  static override readonly namespace: string = 'fashion-mnist';
  static override readonly files: SplitSpecs = FASHION_MNIST_FILES;

  /**
   * Fetches and verifies the split's two files (see {@link MNIST.load}).
   *
   * MXNet counterpart: `gluon.data.vision.FashionMNIST(train=...)`, which downloads as needed.
   *
   * @example
   * ```ts
   * const mnistTest = await vision.FashionMNIST.load({ train: false, url: '/data/fashion-mnist/' });
   * ```
   */
  static override async load(options: FetchVisionOptions = {}): Promise<FashionMNIST> {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the subclass load was called on
    return loadAs(this, options);
  }

  /**
   * Verifies bytes already in hand as the split's files (see {@link MNIST.fromBytes}).
   *
   * MXNet counterpart: none.
   *
   * @example
   * ```ts
   * const test = await vision.FashionMNIST.fromBytes({ images, labels }, { train: false });
   * ```
   */
  static override async fromBytes(
    files: { images: Uint8Array | ArrayBuffer; labels: Uint8Array | ArrayBuffer },
    options: Pick<FetchVisionOptions, 'train' | 'transform'> = {},
  ): Promise<FashionMNIST> {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the subclass fromBytes was called on
    return fromBytesAs(this, files, options);
  }
}

function splitSpecs(cls: typeof MNIST, train: boolean): { images: FileSpec; labels: FileSpec } {
  return train
    ? { images: cls.files.trainImages, labels: cls.files.trainLabels }
    : { images: cls.files.testImages, labels: cls.files.testLabels };
}

async function loadAs<C extends typeof MNIST>(cls: C, options: FetchVisionOptions): Promise<InstanceType<C>> {
  checkOptions(`${cls.name}.load`, options);
  const specs = splitSpecs(cls, options.train ?? true);
  const [images, labels] = await Promise.all([
    fetchVerified(cls.namespace, specs.images, options),
    fetchVerified(cls.namespace, specs.labels, options),
  ]);
  return new cls(options, { images, labels }) as InstanceType<C>;
}

async function fromBytesAs<C extends typeof MNIST>(
  cls: C,
  files: { images: Uint8Array | ArrayBuffer; labels: Uint8Array | ArrayBuffer },
  options: Pick<FetchVisionOptions, 'train' | 'transform'>,
): Promise<InstanceType<C>> {
  checkOptions(`${cls.name}.fromBytes`, options);
  if (files === null || typeof files !== 'object') {
    throw new TypeError(`${cls.name}.fromBytes: pass { images, labels }, the bytes of the two files`);
  }
  const specs = splitSpecs(cls, options.train ?? true);
  const bytes = (b: Uint8Array | ArrayBuffer, key: string) => {
    if (b instanceof Uint8Array) return b;
    if (b instanceof ArrayBuffer) return new Uint8Array(b);
    throw new TypeError(`${cls.name}.fromBytes: ${key} must be a Uint8Array or an ArrayBuffer`);
  };
  const [images, labels] = await Promise.all([
    verifyIdxBytes(bytes(files.images, 'images'), `${specs.images.name} (bytes)`, specs.images),
    verifyIdxBytes(bytes(files.labels, 'labels'), `${specs.labels.name} (bytes)`, specs.labels),
  ]);
  return new cls(options, {
    images: { source: 'bytes', idx: images },
    labels: { source: 'bytes', idx: labels },
  }) as InstanceType<C>;
}
