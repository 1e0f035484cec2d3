/**
 * Downloading one file into the cache, safely: the body is streamed into a temporary file through
 * the repository's one atomic write (`io.writeFileAtomic` of @minimx/ndarray), checked (length,
 * and an optional `verify` of the content), fsynced, then renamed over the final name, so the
 * final name only ever holds a complete, verified file; a killed process leaves at most a temp
 * file (`<name>.tmp-minimx-<pid>-<hex>`), which the next download removes. Each attempt has an
 * idle timeout and an overall deadline; failed attempts are retried a few times; a progress bar
 * is drawn on a terminal only; errors name the URL.
 */

import * as fs from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import * as http from 'node:http';
import * as https from 'node:https';
import * as path from 'node:path';
import { io } from '@minimx/ndarray';
import { ProgressBar } from './progress.js';

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
 * hex>`, see `io.removeStaleSaveFiles`). Returns the paths removed. Never touches files of a live
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
  return io.removeStaleSaveFiles(dest);
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

function get(url: string, timeoutMs: number, signal: AbortSignal): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      reject(new Error(`not a valid URL`));
      return;
    }
    const lib = parsed.protocol === 'https:' ? https : parsed.protocol === 'http:' ? http : undefined;
    if (lib === undefined) {
      reject(new HttpStatusError(0, `unsupported protocol ${parsed.protocol} (use http: or https:)`));
      return;
    }
    const req = lib.get(parsed, { headers: { 'user-agent': 'minimx-datasets' }, signal }, resolve);
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no data for ${timeoutMs} ms (timed out)`)));
    req.on('error', reject);
  });
}

/** Streams `url` (following up to 5 redirects) into `fh`, within the deadline; returns the bytes written. */
async function fetchToFile(url: string, fh: FileHandle, options: Required<Omit<DownloadOptions, 'verify'>>) {
  const deadline = new AbortController();
  let received = 0;
  const timer = setTimeout(() => deadline.abort(), options.deadlineMs);
  try {
    return await fetchWithin(url, fh, options, deadline.signal, (n) => {
      received = n;
    });
  } catch (err) {
    if (!deadline.signal.aborted) throw err;
    throw new HttpStatusError(
      0,
      `too slow: ${received} bytes arrived in the ${options.deadlineMs} ms one attempt may take (the deadlineMs option)`,
    );
  } finally {
    clearTimeout(timer);
  }
}

async function fetchWithin(
  url: string,
  fh: FileHandle,
  options: Required<Omit<DownloadOptions, 'verify'>>,
  signal: AbortSignal,
  progress: (received: number) => void,
) {
  let res = await get(url, options.timeoutMs, signal);
  for (let hops = 0; res.statusCode !== undefined && res.statusCode >= 300 && res.statusCode < 400; hops++) {
    const location = res.headers.location;
    res.resume();
    if (location === undefined || hops >= 5) {
      throw new Error(
        `HTTP ${res.statusCode} redirect ${location === undefined ? 'without a Location' : 'loop'}`,
      );
    }
    url = new URL(location, url).toString();
    res = await get(url, options.timeoutMs, signal);
  }
  if (res.statusCode !== 200) {
    res.resume();
    throw new HttpStatusError(
      res.statusCode ?? 0,
      `HTTP ${res.statusCode} ${res.statusMessage ?? ''}`.trim(),
    );
  }
  const lengthHeader = res.headers['content-length'];
  const total = lengthHeader === undefined ? -1 : Number(lengthHeader);
  if (total > options.maxBytes) {
    res.destroy();
    throw new HttpStatusError(0, `refused: Content-Length ${total} is more than ${options.maxBytes} bytes`);
  }
  const bar = progressBar(`Downloading ${path.basename(new URL(url).pathname)}`, total, options.progress);
  let received = 0;
  try {
    res.setTimeout(options.timeoutMs, () =>
      res.destroy(new Error(`no data for ${options.timeoutMs} ms (timed out)`)),
    );
    for await (const chunk of res as AsyncIterable<Buffer>) {
      if (received + chunk.length > options.maxBytes) {
        throw new HttpStatusError(0, `refused: the body grew to more than ${options.maxBytes} bytes`);
      }
      await fh.write(chunk);
      received += chunk.length;
      progress(received);
      bar.update(received);
    }
    if (!res.complete) throw new Error(`the connection closed after ${received} bytes`);
    if (total >= 0 && received !== total) {
      throw new Error(`truncated: received ${received} of ${total} bytes`);
    }
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ECONNRESET' || e.message === 'aborted') {
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
      await io.writeFileAtomic(dest, async (fh, temp) => {
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
