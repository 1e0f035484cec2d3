/**
 * Downloading one file into the cache, safely: the body is streamed into a temporary file through
 * the repository's one atomic write (`writeFileAtomic` of @minimx/ndarray/internal), checked (length,
 * and an optional `verify` of the content), fsynced, then renamed over the final name, so the
 * final name only ever holds a complete, verified file; a killed process leaves at most a temp
 * file (`<name>.tmp-minimx-<pid>-<hex>`), which the next download removes. Requests go through the
 * global `fetch` (undici in Node), or through the proxy that `HTTPS_PROXY` / `HTTP_PROXY` name
 * unless `NO_PROXY` lists the host (proxy.ts). Each attempt has an idle timeout and an overall
 * deadline; failed attempts are retried a few times; a progress bar is drawn on a terminal only;
 * errors name the URL.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { removeStaleSaveFiles, type TempFileHandle, writeFileAtomic } from '@minimx/ndarray/internal';
import { ProgressBar } from './progress.js';
import { fetchViaProxy, ProxyError, proxyForUrl } from './proxy.js';

/** The temp file's handle that a download streams into (Node's `FileHandle`). */
type FileHandle = TempFileHandle;

/** Options of {@link downloadFile}. */
export interface DownloadOptions {
  /** Attempts in all, at least 1 (default 3). */
  retries?: number;
  /** Milliseconds to wait between attempts (default 1000, doubled each time). */
  retryDelayMs?: number;
  /** Milliseconds without any data after which a connection is abandoned (default 30000). */
  timeoutMs?: number;
  /**
   * Milliseconds one attempt may take in all, connection to last byte (default 1200000, 20
   * minutes). A mirror that trickles data never trips `timeoutMs`; this deadline ends it with an
   * error saying how much arrived. Not retried.
   */
  deadlineMs?: number;
  /** Draw a progress bar on stderr (default: only when stderr is a terminal). */
  progress?: boolean;
  /**
   * The largest body accepted, in bytes (default: no limit). A larger Content-Length is refused
   * before reading, a body that grows past it is cut off; neither is retried.
   */
  maxBytes?: number;
  /**
   * Checks the downloaded content before it is moved into place; throw to reject it (the attempt
   * then counts as failed). Receives the temporary file's path and its bytes.
   */
  verify?: (tempPath: string, bytes: Buffer) => void;
}

/** An HTTP answer other than 200: retrying will not help for 4xx. */
class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Removes temporary files of earlier downloads of `dest` whose process is gone (killed
 * mid-download): only files named exactly as minimx names them (`<name>.tmp-minimx-<pid>-<12
 * hex>`, see `removeStaleSaveFiles`). Returns the paths removed. Never touches files of a live
 * download, nor any other file.
 *
 * MXNet counterpart: none (MXNet's `download` writes `<name>.<uuid>` temp files and leaves them).
 *
 * @example
 * ```ts
 * await cleanStaleTempFiles('/home/me/.minimx/datasets/fashion-mnist/train-images-idx3-ubyte.gz');
 * ```
 */
export function cleanStaleTempFiles(dest: string): Promise<string[]> {
  return removeStaleSaveFiles(dest);
}

function formatMB(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}

/** The download's bar: `Downloading f.gz [=====     ]  42% 1.2/3.4 MB` (just the MB when the size is unknown). */
function progressBar(label: string, total: number, enabled: boolean): ProgressBar {
  return new ProgressBar(label, total > 0 ? total : undefined, {
    enabled,
    width: 30,
    chars: ['=', ' '],
    formatCount: (received, size) =>
      size
        ? `${((Math.min(1, received / size) * 100).toFixed(0)).padStart(3)}% ${formatMB(received)}/${formatMB(size)} MB`
        : `${formatMB(received)} MB`,
  });
}

const REQUEST_HEADERS = { 'user-agent': 'minimx-datasets', 'accept-encoding': 'identity' };

/**
 * One GET of `url`, redirects not followed: the global `fetch`, or {@link fetchViaProxy} when the
 * environment names a proxy for the URL (Node 20's `fetch` reads no proxy variables).
 */
async function request(url: string, signal: AbortSignal): Promise<Response> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new HttpStatusError(0, 'not a valid URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new HttpStatusError(0, `unsupported protocol ${parsed.protocol} (use http: or https:)`);
  }
  let proxy: URL | undefined;
  try {
    proxy = proxyForUrl(parsed);
  } catch (err) {
    throw new HttpStatusError(0, (err as Error).message);
  }
  try {
    if (proxy !== undefined) return await fetchViaProxy(url, { headers: REQUEST_HEADERS, signal }, proxy);
    return await fetch(url, { headers: REQUEST_HEADERS, signal, redirect: 'manual' });
  } catch (err) {
    if (signal.aborted) throw err;
    if (err instanceof ProxyError) {
      // A proxy that refuses (403, 407) will refuse again; one that is down or failing (5xx) may recover.
      throw err.status >= 400 && err.status < 500 ? new HttpStatusError(err.status, err.message) : err;
    }
    const cause = (err as { cause?: Error }).cause;
    throw new Error(cause?.message ? `cannot connect: ${cause.message}` : (err as Error).message);
  }
}

/** True for the errors fetch and node:http raise when the connection ends before the body does. */
function isDroppedConnection(err: unknown): boolean {
  const e = err as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  const codes = [e.code, e.cause?.code];
  return (
    codes.includes('ECONNRESET') ||
    codes.includes('UND_ERR_SOCKET') ||
    e.message === 'terminated' ||
    e.message === 'aborted'
  );
}

/**
 * Streams `url` (following up to 5 redirects) into `fh`, within the deadline of one attempt and
 * the idle timeout (both through one AbortSignal); returns the bytes written.
 */
async function fetchToFile(url: string, fh: FileHandle, options: Required<Omit<DownloadOptions, 'verify'>>) {
  const deadline = new AbortController();
  const idle = new AbortController();
  let received = 0;
  const deadlineTimer = setTimeout(() => deadline.abort(), options.deadlineMs);
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  const touch = () => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => idle.abort(), options.timeoutMs);
  };
  touch();
  try {
    return await fetchWithin(url, fh, options, AbortSignal.any([deadline.signal, idle.signal]), (n) => {
      received = n;
      touch();
    });
  } catch (err) {
    if (deadline.signal.aborted) {
      throw new HttpStatusError(
        0,
        `too slow: ${received} bytes arrived in the ${options.deadlineMs} ms one attempt may take (the deadlineMs option)`,
      );
    }
    if (idle.signal.aborted) throw new Error(`no data for ${options.timeoutMs} ms (timed out)`);
    throw err;
  } finally {
    clearTimeout(deadlineTimer);
    clearTimeout(idleTimer);
  }
}

async function discard(res: Response): Promise<void> {
  await res.body?.cancel().catch(() => {});
}

async function fetchWithin(
  url: string,
  fh: FileHandle,
  options: Required<Omit<DownloadOptions, 'verify'>>,
  signal: AbortSignal,
  progress: (received: number) => void,
) {
  let res = await request(url, signal);
  for (let hops = 0; res.status >= 300 && res.status < 400; hops++) {
    const location = res.headers.get('location');
    await discard(res);
    if (location === null || hops >= 5) {
      throw new Error(`HTTP ${res.status} redirect ${location === null ? 'without a Location' : 'loop'}`);
    }
    url = new URL(location, url).toString();
    progress(0);
    res = await request(url, signal);
  }
  if (res.status !== 200 || res.body === null) {
    await discard(res);
    throw new HttpStatusError(res.status, `HTTP ${res.status} ${res.statusText}`.trim());
  }
  // A server that compresses on the fly despite `accept-encoding: identity` gets its body decoded by
  // fetch, so its Content-Length (of the encoded bytes) says nothing about what arrives.
  const encoding = res.headers.get('content-encoding');
  const lengthHeader =
    encoding !== null && encoding !== 'identity' ? null : res.headers.get('content-length');
  const total = lengthHeader === null ? -1 : Number(lengthHeader);
  if (total > options.maxBytes) {
    await discard(res);
    throw new HttpStatusError(0, `refused: Content-Length ${total} is more than ${options.maxBytes} bytes`);
  }
  const bar = progressBar(`Downloading ${path.basename(new URL(url).pathname)}`, total, options.progress);
  const reader = res.body.getReader();
  let received = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (received + value.length > options.maxBytes) {
        throw new HttpStatusError(0, `refused: the body grew to more than ${options.maxBytes} bytes`);
      }
      await fh.write(value);
      received += value.length;
      progress(received);
      bar.update(received);
    }
    if (total >= 0 && received !== total) {
      throw new Error(`truncated: received ${received} of ${total} bytes`);
    }
  } catch (err) {
    await reader.cancel().catch(() => {});
    if (!signal.aborted && isDroppedConnection(err)) {
      throw new Error(`the connection dropped after ${received}${total >= 0 ? ` of ${total}` : ''} bytes`);
    }
    throw err;
  } finally {
    bar.done(true);
  }
  return received;
}

/**
 * Downloads `url` to the file `dest`, atomically: `dest` either keeps what it had or becomes the
 * complete, verified download, even if the process is killed midway. Retries failed attempts
 * (except HTTP 4xx answers), then throws an error naming the URL and each attempt's failure.
 *
 * MXNet counterpart: `mxnet.gluon.utils.download(url, path, overwrite, sha1_hash, retries)`.
 *
 * @example
 * ```ts
 * await downloadFile('https://example.org/t10k-labels-idx1-ubyte.gz', '/tmp/data/t10k-labels-idx1-ubyte.gz', {
 *   verify: (p, bytes) => verifyIdxFile(bytes, p, FASHION_MNIST_FILES.testLabels),
 * });
 * ```
 */
export async function downloadFile(
  url: string,
  dest: string,
  options: DownloadOptions = {},
): Promise<string> {
  const retries = options.retries ?? 3;
  if (!Number.isInteger(retries) || retries < 1) {
    throw new RangeError(`downloadFile: retries must be an integer >= 1, got ${retries}`);
  }
  const opts = {
    retries,
    retryDelayMs: options.retryDelayMs ?? 1000,
    timeoutMs: options.timeoutMs ?? 30_000,
    deadlineMs: options.deadlineMs ?? 1_200_000,
    progress: options.progress ?? process.stderr.isTTY === true,
    maxBytes: options.maxBytes ?? Number.POSITIVE_INFINITY,
  };
  if (!(opts.deadlineMs > 0)) {
    throw new RangeError(`downloadFile: deadlineMs must be a positive number, got ${options.deadlineMs}`);
  }
  if (!(opts.maxBytes > 0)) {
    throw new RangeError(`downloadFile: maxBytes must be a positive number, got ${options.maxBytes}`);
  }
  const dir = path.dirname(dest);
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new Error(`download of ${url} failed: cannot create the folder ${dir}: ${(err as Error).message}`);
  }
  const failures: string[] = [];
  for (let attempt = 1; attempt <= opts.retries; attempt++) {
    let started = false;
    try {
      await writeFileAtomic(dest, async (fh, temp) => {
        started = true;
        await fetchToFile(url, fh, opts);
        if (options.verify !== undefined) options.verify(temp, fs.readFileSync(temp));
      });
      return dest;
    } catch (err) {
      failures.push(`attempt ${attempt}: ${(err as Error).message}`);
      if (!started) break; // dest cannot be written (a folder, not a regular file, ...): retrying will not help
      const status = err instanceof HttpStatusError ? err.status : 0;
      if (err instanceof HttpStatusError && (status === 0 || (status >= 400 && status < 500))) break;
      if (attempt < opts.retries)
        await new Promise((r) => setTimeout(r, opts.retryDelayMs * 2 ** (attempt - 1)));
    }
  }
  throw new Error(
    `download of ${url} to ${dest} failed (${failures.length} attempts): ${failures.join('; ')}`,
  );
}
