/**
 * Where data files come from, in order: the cache folder (`root`, by default
 * `$MINIMX_HOME/datasets/<name>`, `~/.minimx/datasets/<name>` when MINIMX_HOME is unset, as MXNet
 * uses MXNET_HOME), then a system copy (`/usr/share/datasets/<name>`, installed by Debian's
 * `dataset-<name>` package), then a download from the mirror (`$MINIMX_GLUON_REPO`, like
 * MXNET_GLUON_REPO) into the cache. Every file is verified before use. A bad file is reported and
 * skipped, never removed: only a file in minimx's own cache folder (the default `root`) is
 * replaced, and only by a download that has been verified (atomically, by rename); a bad file in
 * a folder the user chose stays as it is and the error says so. Only regular files are read, and
 * no more bytes than the file's spec allows.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readRegularFileSync } from '@minimx/ndarray/internal';
import { type FileSpec, verifyIdxFile } from './checksum.js';
import { type DownloadOptions, downloadFile } from './download.js';
import { DEFAULT_GLUON_REPO, folderFileUrl, UPSTREAM_MIRRORS } from './files.js';
import type { IdxArray } from './idx.js';

export { DEFAULT_GLUON_REPO, UPSTREAM_MIRRORS } from './files.js';

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
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    const from = repoUrl !== undefined ? 'repoUrl' : 'MINIMX_GLUON_REPO';
    throw new TypeError(
      `${from} must be an http(s) URL like 'http://127.0.0.1:8080/', got ${JSON.stringify(base)}`,
    );
  }
  if (!url.pathname.endsWith('/')) url.pathname = `${url.pathname}/`;
  url.hash = '';
  return url.toString();
}

/** Options that say where to look for, and how to fetch, a data set's files. */
export interface LocateOptions {
  /** The cache folder (default `$MINIMX_HOME/datasets/<namespace>`). Downloads go here. */
  root?: string;
  /** Folders holding a system copy, searched after `root` (default `/usr/share/datasets/<namespace>`). */
  systemDirs?: string[];
  /** Base URL of the mirror (default `$MINIMX_GLUON_REPO`, else {@link DEFAULT_GLUON_REPO}). */
  repoUrl?: string;
  /**
   * The URL of a folder that holds the files themselves (`<url><file name>`, e.g. a local server
   * over Debian's `/usr/share/datasets/fashion-mnist`); when set, the only place downloaded from.
   */
  url?: string;
  /** Download options (retries, timeout, progress bar). */
  download?: Omit<DownloadOptions, 'verify'>;
  /** Where warnings go, e.g. about a corrupt cached file (default: stderr). */
  log?: (message: string) => void;
}

/** A verified data file and where it was found. */
export interface LocatedFile {
  /** The file's path on disk. */
  path: string;
  /** Where it was found: the cache folder, the system copy under `/usr/share/datasets`, or a fresh download. */
  source: 'cache' | 'system' | 'download';
  /** The file's parsed (and verified) contents. */
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

/**
 * The bytes of `file`, `undefined` when it does not exist, or an Error saying why it cannot be
 * used (not a regular file, such as a folder, a FIFO or a link to /dev/zero; larger than a good
 * copy can be; unreadable). Never blocks and never reads more than `maxBytes`.
 */
function readIfPresent(file: string, maxBytes: number): Uint8Array | Error | undefined {
  try {
    return readRegularFileSync(fs, file, { maxBytes });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return err as Error;
  }
}

/** True when `root` is minimx's own cache folder of `namespace` (the default root). */
function isOwnCache(namespace: string, root: string): boolean {
  return path.resolve(root) === path.resolve(defaultRoot(namespace));
}

/**
 * Looks for a verified copy of `spec` in the cache, then in the system folders, without any
 * network access. A file that is not a good copy (corrupt, truncated, another data set's, not a
 * regular file) is reported through `log` and skipped; nothing is removed or changed. Returns
 * `undefined` if none is good.
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
  const found = checkLocal(cached, spec);
  if (found instanceof Error) {
    const fate = isOwnCache(namespace, root)
      ? 'it stays until a verified download replaces it'
      : 'it is left as it is (minimx replaces files only in its own cache folder)';
    log(`skipping ${cached}, not a good copy of ${spec.name}: ${found.message}; ${fate}`);
  } else if (found !== undefined) {
    return { path: cached, source: 'cache', idx: found };
  }
  const systemDirs = options.systemDirs ?? [path.join(SYSTEM_DATASETS_DIR, namespace)];
  for (const dir of systemDirs) {
    const file = path.join(dir, spec.name);
    const sys = checkLocal(file, spec);
    if (sys === undefined) continue;
    if (sys instanceof Error) log(`ignoring the corrupt system copy ${file}: ${sys.message}`);
    else return { path: file, source: 'system', idx: sys };
  }
  return undefined;
}

/** The verified content of `file`, `undefined` if it is absent, or the Error saying why it is no good. */
function checkLocal(file: string, spec: FileSpec): IdxArray | Error | undefined {
  const bytes = readIfPresent(file, largestDownload(spec));
  if (bytes === undefined || bytes instanceof Error) return bytes;
  try {
    return verifyIdxFile(bytes, file, spec);
  } catch (err) {
    return err as Error;
  }
}

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
  // Joined onto the path, so a query string (a signed mirror URL) stays at the end.
  const url = new URL(gluonRepoUrl(repoUrl));
  url.pathname = `${url.pathname}gluon/dataset/${namespace}/${name}`;
  return url.toString();
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
  let existing: fs.Stats | undefined;
  try {
    existing = fs.lstatSync(dest);
  } catch {
    // absent (or unreachable, which the download reports)
  }
  if (existing !== undefined && (!existing.isFile() || !isOwnCache(namespace, root))) {
    const what = existing.isFile() ? 'a file' : existing.isSymbolicLink() ? 'a link' : 'not a regular file';
    const why = checkLocal(dest, spec);
    throw new Error(
      `${dest} is ${what} but not a good copy of ${spec.name} (${why instanceof Error ? why.message : 'unreadable'}); ` +
        `minimx replaces only regular files in its own cache folder ${defaultRoot(namespace)}, so it was left ` +
        'as it is. Move it away, or pass another root.',
    );
  }
  const errors: string[] = [];
  const urls =
    options.url !== undefined
      ? [folderFileUrl(options.url, spec.name)]
      : fileUrls(namespace, spec.name, options.repoUrl);
  for (const url of urls) {
    let idx: IdxArray | undefined;
    try {
      await downloadFile(url, dest, {
        ...options.download,
        maxBytes: options.download?.maxBytes ?? largestDownload(spec),
        verify: (temp, bytes) => {
          idx = verifyIdxFile(bytes, `${url} (downloaded to ${temp})`, spec);
        },
      });
      if (existing !== undefined)
        (options.log ?? defaultLog)(`replaced ${dest} by a verified download of ${url}`);
      return { path: dest, source: 'download', idx: idx! };
    } catch (err) {
      errors.push((err as Error).message);
    }
  }
  throw new Error(
    errors.length === 1 ? errors[0] : `all mirrors failed for ${spec.name}:\n  ${errors.join('\n  ')}`,
  );
}
