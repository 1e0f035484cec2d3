/**
 * Test helpers: small fake MNIST-format data sets written as gzipped IDX files, and a local HTTP
 * server on 127.0.0.1 that serves them with faults on demand (404, truncated body, dropped
 * connection, wrong content, stall). Used by this package's tests; never talks to the internet.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { FileSpec } from '../checksum.js';
import { encodeIdx } from '../idx.js';

/** A temporary folder, removed by the returned cleanup function. */
export function tempDir(prefix = 'minimx-datasets-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A fake split: `n` images of `h`x`w` whose pixel (i, r, c) = (i + r + c) % 256, labels i % 10. */
export function fakeSplit(n: number, h = 28, w = 28) {
  const images = new Uint8Array(n * h * w);
  for (let i = 0; i < n; i++)
    for (let r = 0; r < h; r++) for (let c = 0; c < w; c++) images[(i * h + r) * w + c] = (i + r + c) % 256;
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) labels[i] = i % 10;
  return {
    images: gzipSync(encodeIdx({ dtype: 'uint8', shape: [n, h, w], data: images })),
    labels: gzipSync(encodeIdx({ dtype: 'uint8', shape: [n], data: labels })),
    rawImages: images,
    rawLabels: labels,
  };
}

/** Fault modes of {@link startServer}, per URL path. */
export type Fault = 'ok' | '404' | 'truncate' | 'drop' | 'wrong' | 'stall' | '500';

/** A local HTTP server over a map from URL path to file bytes, with per-path faults and hit counts. */
export async function startServer(files: Map<string, Uint8Array>) {
  const faults = new Map<string, Fault | Fault[]>();
  const hits = new Map<string, number>();
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((req, res) => {
    const p = req.url ?? '/';
    const n = hits.get(p) ?? 0;
    hits.set(p, n + 1);
    const f = faults.get(p) ?? 'ok';
    const fault = Array.isArray(f) ? (f[n] ?? f[f.length - 1]) : f;
    const body = files.get(p);
    if (body === undefined || fault === '404') {
      res.writeHead(404).end('not found');
      return;
    }
    if (fault === '500') {
      res.writeHead(500).end('boom');
      return;
    }
    if (fault === 'wrong') {
      const wrong = gzipSync(Buffer.from('<html>this is not the file you want</html>'));
      res.writeHead(200, { 'content-length': wrong.length }).end(wrong);
      return;
    }
    res.writeHead(200, { 'content-length': body.length });
    const half = body.subarray(0, Math.floor(body.length / 2));
    if (fault === 'truncate') {
      // Claims the whole length, sends half, then ends the response cleanly at the TCP level.
      res.write(half, () => res.socket?.end());
      return;
    }
    if (fault === 'drop') {
      res.write(half, () => res.socket?.destroy());
      return;
    }
    if (fault === 'stall') {
      res.write(half);
      return;
    }
    res.end(body);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    faults,
    hits,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** File specs (no digest) for a fake data set of `nTrain`/`nTest` items of 28x28. */
export function fakeSpecs(nTrain: number, nTest: number) {
  return {
    trainImages: { name: 'train-images-idx3-ubyte.gz', shape: [nTrain, 28, 28] },
    trainLabels: { name: 'train-labels-idx1-ubyte.gz', shape: [nTrain] },
    testImages: { name: 't10k-images-idx3-ubyte.gz', shape: [nTest, 28, 28] },
    testLabels: { name: 't10k-labels-idx1-ubyte.gz', shape: [nTest] },
  } satisfies Record<string, FileSpec>;
}
