/**
 * Where data files come from, in order: the cache folder (`root`, by default
 * `$MINIMX_HOME/datasets/<name>`, `~/.minimx/datasets/<name>` when MINIMX_HOME is unset, as MXNet
 * uses MXNET_HOME), then a system copy (`/usr/share/datasets/<name>`, installed by Debian's
 * `dataset-<name>` package), then a download from the mirror (`$MINIMX_GLUON_REPO`, like
 * MXNET_GLUON_REPO) into the cache. Every file is verified before use; a bad file in the cache is
 * reported, removed and replaced from the next source.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type FileSpec, verifyIdxFile } from './checksum.js';
import { type DownloadOptions, downloadFile } from './download.js';
import type { IdxArray } from './idx.js';

/** The default mirror, the one MXNet's Gluon uses (files live under `gluon/dataset/<name>/`). */
export const DEFAULT_GLUON_REPO = 'https://apache-mxnet.s3-accelerate.dualstack.amazonaws.com/';

/** Where Debian's `dataset-*` packages install data sets. */
export const SYSTEM_DATASETS_DIR = '/usr/share/datasets';

/**
 * The minimx data folder: `$MINIMX_HOME`, or `~/.minimx`.
 *
 * MXNet counterpart: `mxnet.base.data_dir()` (`$MXNET_HOME`, or `~/.mxnet`).
 *
 * @example
 * ```ts
 * dataDir(); // '/home/me/.minimx'
 * ```
 */
export function dataDir(): string {
  const home = process.env.MINIMX_HOME;
  return home !== undefined && home !== '' ? home : path.join(os.homedir(), '.minimx');
}

/**
 * The default cache folder of a data set: `<dataDir()>/datasets/<namespace>`.
 *
 * MXNet counterpart: the default `root` of `gluon.data.vision.FashionMNIST`.
 *
 * @example
 * ```ts
 * defaultRoot('fashion-mnist'); // '/home/me/.minimx/datasets/fashion-mnist'
 * ```
 */
export function defaultRoot(namespace: string): string {
  return path.join(dataDir(), 'datasets', namespace);
}

/**
 * The base URL of the data set mirror: `repoUrl`, else `$MINIMX_GLUON_REPO`, else
 * {@link DEFAULT_GLUON_REPO}; always ending in `/`.
 *
 * MXNet counterpart: `gluon.utils._get_repo_url()` (`$MXNET_GLUON_REPO`).
 *
 * @example
 * ```ts
 * gluonRepoUrl('http://127.0.0.1:8080'); // 'http://127.0.0.1:8080/'
 * ```
 */
export function gluonRepoUrl(repoUrl?: string): string {
  const env = process.env.MINIMX_GLUON_REPO;
  const base = repoUrl ?? (env !== undefined && env !== '' ? env : DEFAULT_GLUON_REPO);
  return base.endsWith('/') ? base : `${base}/`;
}

/** Options that say where to look for, and how to fetch, a data set's files. */
export interface LocateOptions {
  /** The cache folder (default `$MINIMX_HOME/datasets/<namespace>`). Downloads go here. */
  root?: string;
  /** Folders holding a system copy, searched after `root` (default `/usr/share/datasets/<namespace>`). */
  systemDirs?: string[];
  /** Base URL of the mirror (default `$MINIMX_GLUON_REPO`, else {@link DEFAULT_GLUON_REPO}). */
  repoUrl?: string;
  /** Download options (retries, timeout, progress bar). */
  download?: Omit<DownloadOptions, 'verify'>;
  /** Where warnings go, e.g. about a corrupt cached file (default: stderr). */
  log?: (message: string) => void;
}

/** A verified data file and where it was found. */
export interface LocatedFile {
  path: string;
  source: 'cache' | 'system' | 'download';
  idx: IdxArray;
}

const defaultLog = (message: string) => {
  process.stderr.write(`minimx: ${message}\n`);
};

/** Checks `root` and returns it resolved; the error names the option and what is wrong. */
export function checkRoot(root: unknown, what: string): string {
  if (typeof root !== 'string' || root.trim() === '') {
    throw new TypeError(`${what}: root must be a non-empty folder path, got ${JSON.stringify(root)}`);
  }
  const resolved = path.resolve(root.startsWith('~/') ? path.join(os.homedir(), root.slice(2)) : root);
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(resolved);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new Error(`${what}: cannot use root ${resolved}: ${(err as Error).message}`);
    }
  }
  if (stat !== undefined && !stat.isDirectory()) {
    throw new Error(`${what}: root ${resolved} exists but is not a folder`);
  }
  return resolved;
}

function readIfPresent(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') return undefined;
    throw new Error(`cannot read ${file}: ${e.code ?? ''} ${e.message}`.trim());
  }
}

/**
 * Looks for a verified copy of `spec` in the cache, then in the system folders, without any
 * network access. A corrupt or truncated cached file is reported through `log`, removed, and the
 * search goes on; a corrupt system copy is reported and skipped. Returns `undefined` if none is good.
 *
 * MXNet counterpart: the `os.path.exists(path) and check_sha1(path, sha1)` test in `gluon.utils.download`.
 *
 * @example
 * ```ts
 * const f = findLocalFile('fashion-mnist', FASHION_MNIST_FILES.trainLabels);
 * f?.source; // 'system' on a machine with Debian's dataset-fashion-mnist
 * ```
 */
export function findLocalFile(
  namespace: string,
  spec: FileSpec,
  options: LocateOptions = {},
): LocatedFile | undefined {
  const root = options.root ?? defaultRoot(namespace);
  const log = options.log ?? defaultLog;
  const cached = path.join(root, spec.name);
  const bytes = readIfPresent(cached);
  if (bytes !== undefined) {
    try {
      return { path: cached, source: 'cache', idx: verifyIdxFile(bytes, cached, spec) };
    } catch (err) {
      log(`ignoring the corrupt cached file ${cached} and removing it: ${(err as Error).message}`);
      fs.rmSync(cached, { force: true });
    }
  }
  const systemDirs = options.systemDirs ?? [path.join(SYSTEM_DATASETS_DIR, namespace)];
  for (const dir of systemDirs) {
    const file = path.join(dir, spec.name);
    const sys = readIfPresent(file);
    if (sys === undefined) continue;
    try {
      return { path: file, source: 'system', idx: verifyIdxFile(sys, file, spec) };
    } catch (err) {
      log(`ignoring the corrupt system copy ${file}: ${(err as Error).message}`);
    }
  }
  return undefined;
}

/** Upstream mirrors used when no repo URL is configured, by data set: `<base><file name>`. */
export const UPSTREAM_MIRRORS: Readonly<Record<string, readonly string[]>> = {
  'fashion-mnist': ['http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/'],
  mnist: ['https://ossci-datasets.s3.amazonaws.com/mnist/'],
};

/**
 * The mirror URL of a file in a Gluon-style repo: `<repo>gluon/dataset/<namespace>/<name>`.
 *
 * MXNet counterpart: `gluon.utils._get_repo_file_url(namespace, filename)`.
 *
 * @example
 * ```ts
 * fileUrl('fashion-mnist', 't10k-labels-idx1-ubyte.gz', 'http://127.0.0.1:8080/');
 * // 'http://127.0.0.1:8080/gluon/dataset/fashion-mnist/t10k-labels-idx1-ubyte.gz'
 * ```
 */
export function fileUrl(namespace: string, name: string, repoUrl?: string): string {
  return `${gluonRepoUrl(repoUrl)}gluon/dataset/${namespace}/${name}`;
}

/**
 * The URLs tried, in order, to download a file: only the configured repo when `repoUrl` or
 * `$MINIMX_GLUON_REPO` is set; otherwise the upstream mirror of the data set (whose content our
 * SHA-256 digests describe) and then MXNet's Gluon repo.
 *
 * MXNet counterpart: `_get_repo_file_url` (MXNet tries only its repo).
 *
 * @example
 * ```ts
 * fileUrls('fashion-mnist', 'train-labels-idx1-ubyte.gz').length; // 2
 * ```
 */
export function fileUrls(namespace: string, name: string, repoUrl?: string): string[] {
  const env = process.env.MINIMX_GLUON_REPO;
  if (repoUrl !== undefined || (env !== undefined && env !== '')) return [fileUrl(namespace, name, repoUrl)];
  const upstream = (UPSTREAM_MIRRORS[namespace] ?? []).map((base) => `${base}${name}`);
  return [...upstream, fileUrl(namespace, name, DEFAULT_GLUON_REPO)];
}

/**
 * The most bytes a download of `spec` can take: its IDX size, gzipped or not (deflate adds at most
 * 5 bytes per stored block), plus slack. A mirror sending more is refused instead of filling the disk.
 */
function largestDownload(spec: FileSpec): number {
  const raw = spec.shape.reduce((a, b) => a * b, 1) + 4 + 4 * spec.shape.length;
  return raw + Math.ceil(raw / 16384) * 5 + 1024;
}

/**
 * Finds a verified copy of `spec` locally ({@link findLocalFile}), or downloads it into the cache,
 * verifying it before it takes its final name.
 *
 * MXNet counterpart: `gluon.utils.download(_get_repo_file_url(namespace, name), path=root, sha1_hash=...)`.
 *
 * @example
 * ```ts
 * const f = await fetchFile('fashion-mnist', FASHION_MNIST_FILES.testLabels);
 * f.idx.shape; // [10000]
 * ```
 */
export async function fetchFile(
  namespace: string,
  spec: FileSpec,
  options: LocateOptions = {},
): Promise<LocatedFile> {
  const local = findLocalFile(namespace, spec, options);
  if (local !== undefined) return local;
  const root = options.root ?? defaultRoot(namespace);
  const dest = path.join(root, spec.name);
  const errors: string[] = [];
  for (const url of fileUrls(namespace, spec.name, options.repoUrl)) {
    let idx: IdxArray | undefined;
    try {
      await downloadFile(url, dest, {
        ...options.download,
        maxBytes: options.download?.maxBytes ?? largestDownload(spec),
        verify: (temp, bytes) => {
          idx = verifyIdxFile(bytes, `${url} (downloaded to ${temp})`, spec);
        },
      });
      return { path: dest, source: 'download', idx: idx! };
    } catch (err) {
      errors.push((err as Error).message);
    }
  }
  throw new Error(
    errors.length === 1 ? errors[0] : `all mirrors failed for ${spec.name}:\n  ${errors.join('\n  ')}`,
  );
}
