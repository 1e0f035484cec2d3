/**
 * Hostile or broken mirrors: the download path must not be made to write or read gigabytes
 * because a server says so. A server that declares an 8 GiB Content-Length, or streams an endless
 * chunked body, must be cut off soon after the size the expected file can have, with an error
 * naming the URL, and leave nothing in the cache folder (neither the final name nor a `.part`).
 * Extends packages/datasets/src/download.test.ts (faults: 404, truncation, drops, stalls, kill
 * mid-download), which does not cover oversized answers.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { downloadFile, fetchFile } from '@minimx/datasets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const MiB = 1024 * 1024;
/** The most a test server ever sends, so a missing limit shows as a failure instead of a full disk. */
const SERVER_CAP = 64 * MiB;

let server: http.Server;
let base = '';
let sent = 0;
const sockets = new Set<import('node:net').Socket>();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunk = Buffer.alloc(64 * 1024, 0x1f);
    const declared = req.url?.includes('declared') ? { 'content-length': String(8 * 1024 * MiB) } : {};
    res.writeHead(200, declared);
    const pump = () => {
      while (sent < SERVER_CAP) {
        sent += chunk.length;
        if (!res.write(chunk)) {
          res.once('drain', pump);
          return;
        }
      }
      res.destroy();
    };
    res.on('close', () => res.removeAllListeners('drain'));
    pump();
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('oversized answers from a mirror', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minimx-fuzz-download-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const kind of ['declared', 'endless'] as const) {
    it(`downloadFile with maxBytes refuses an ${kind === 'declared' ? '8 GiB Content-Length' : 'endless chunked body'} early, leaving nothing`, async () => {
      sent = 0;
      const dest = path.join(dir, kind, 'file.gz');
      await expect(
        downloadFile(`${base}/${kind}/file.gz`, dest, { maxBytes: MiB, retries: 2, retryDelayMs: 1 }),
      ).rejects.toThrow(new RegExp(`${base}/${kind}/file.gz.*\\(1 attempts\\).*more than ${MiB} bytes`));
      expect(sent).toBeLessThan(SERVER_CAP / 2);
      expect(fs.readdirSync(path.dirname(dest))).toEqual([]);
    });
  }

  it('fetchFile caps the download at what the spec can compress to', async () => {
    sent = 0;
    const root = path.join(dir, 'cache');
    const spec = { name: 't10k-labels-idx1-ubyte.gz', shape: [10000] };
    await expect(
      fetchFile('fashion-mnist', spec, {
        root,
        systemDirs: [],
        repoUrl: `${base}/endless/`,
        download: { retries: 1, retryDelayMs: 1 },
        log: () => {},
      }),
    ).rejects.toThrow(/more than \d+ bytes/);
    expect(sent).toBeLessThan(SERVER_CAP / 2);
    expect(fs.existsSync(root) ? fs.readdirSync(root) : []).toEqual([]);
  });
});
