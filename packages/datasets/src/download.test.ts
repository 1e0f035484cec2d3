import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyIdxFile } from './checksum.js';
import { cleanStaleTempFiles, downloadFile } from './download.js';
import { fakeSpecs, fakeSplit, startServer, tempDir } from './testing/fixtures.js';

const split = fakeSplit(50);
const spec = fakeSpecs(50, 10).trainImages;
let server: Awaited<ReturnType<typeof startServer>>;
const quick = { retryDelayMs: 5, timeoutMs: 2000, progress: false };
const verify = (p: string, bytes: Buffer) => {
  verifyIdxFile(bytes, p, spec);
};

beforeAll(async () => {
  server = await startServer(
    new Map([
      ['/good.gz', split.images],
      ['/flaky.gz', split.images],
      ['/trunc.gz', split.images],
      ['/drop.gz', split.images],
      ['/wrong.gz', split.images],
      ['/stall.gz', split.images],
      ['/err.gz', split.images],
    ]),
  );
  server.faults.set('/flaky.gz', ['drop', 'truncate', 'ok']);
  server.faults.set('/trunc.gz', 'truncate');
  server.faults.set('/drop.gz', 'drop');
  server.faults.set('/wrong.gz', 'wrong');
  server.faults.set('/stall.gz', 'stall');
  server.faults.set('/err.gz', '500');
});
afterAll(async () => {
  await server.close();
});

function listing(dir: string) {
  return fs.readdirSync(dir).sort();
}

describe('downloadFile against a local server', () => {
  it('downloads a good file into place, creating the folder, leaving no temp file', async () => {
    const dir = path.join(tempDir(), 'a', 'b');
    const dest = path.join(dir, 'f.gz');
    await downloadFile(`${server.url}good.gz`, dest, { ...quick, verify });
    expect(fs.readFileSync(dest)).toEqual(Buffer.from(split.images));
    expect(listing(dir)).toEqual(['f.gz']);
  });

  it('retries a dropped and a truncated transfer, then succeeds', async () => {
    const dest = path.join(tempDir(), 'f.gz');
    await downloadFile(`${server.url}flaky.gz`, dest, { ...quick, retries: 3, verify });
    expect(server.hits.get('/flaky.gz')).toBe(3);
    expect(fs.readFileSync(dest)).toEqual(Buffer.from(split.images));
  });

  const failures: [string, RegExp, number][] = [
    ['trunc.gz', /truncated: received \d+ of \d+ bytes|connection (closed|dropped)/, 3],
    ['drop.gz', /connection dropped after \d+ of \d+ bytes|connection closed/, 3],
    ['wrong.gz', /checksum mismatch|wrong magic number/, 3],
    ['missing.gz', /HTTP 404/, 1],
    ['err.gz', /HTTP 500/, 3],
  ];
  for (const [name, reason, attempts] of failures) {
    it(`fails clearly on ${name}, naming the URL, and leaves nothing behind`, async () => {
      const dir = tempDir();
      const dest = path.join(dir, 'f.gz');
      fs.writeFileSync(dest, 'previous content');
      const url = `${server.url}${name}`;
      const err = await downloadFile(url, dest, { ...quick, retries: 3, verify }).catch((e: Error) => e);
      expect(err).toBeInstanceOf(Error);
      const msg = (err as Error).message;
      expect(msg).toContain(`download of ${url} to ${dest} failed (${attempts} attempts)`);
      expect(msg).toMatch(reason);
      expect(listing(dir)).toEqual(['f.gz']);
      expect(fs.readFileSync(dest, 'utf8')).toBe('previous content');
    });
  }

  it('times out on a stalled connection', async () => {
    const dir = tempDir();
    const err = await downloadFile(`${server.url}stall.gz`, path.join(dir, 'f.gz'), {
      ...quick,
      timeoutMs: 200,
      retries: 1,
    }).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/stall\.gz .*timed out/);
    expect(listing(dir)).toEqual([]);
  });

  it('rejects a bad URL and a bad retries option', async () => {
    const dir = tempDir();
    await expect(downloadFile('ftp://x/y', path.join(dir, 'f'), quick)).rejects.toThrow(
      /download of ftp:\/\/x\/y .*unsupported protocol ftp:/,
    );
    await expect(downloadFile(`${server.url}good.gz`, path.join(dir, 'f'), { retries: 0 })).rejects.toThrow(
      /retries must be an integer >= 1, got 0/,
    );
  });

  it('reports a destination folder it cannot create', async () => {
    const file = path.join(tempDir(), 'plain-file');
    fs.writeFileSync(file, 'x');
    await expect(downloadFile(`${server.url}good.gz`, path.join(file, 'f.gz'), quick)).rejects.toThrow(
      /cannot create the folder .*plain-file/,
    );
  });

  it('a process killed mid-download leaves only a temp file, which the next download removes', async () => {
    const dir = tempDir();
    const dest = path.join(dir, 'f.gz');
    const script = path.join(dir, 'child.mts');
    const here = path.dirname(fileURLToPath(import.meta.url));
    fs.writeFileSync(
      script,
      `import { downloadFile } from ${JSON.stringify(path.join(here, 'download.ts'))};\n` +
        `await downloadFile(${JSON.stringify(`${server.url}stall.gz`)}, ${JSON.stringify(dest)}, { progress: false });\n`,
    );
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const child = spawn(process.execPath, ['--import', tsx, script], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const deadline = Date.now() + 10_000;
    let part: string | undefined;
    while (Date.now() < deadline) {
      part = fs.readdirSync(dir).find((n) => n.includes('.tmp-minimx-'));
      if (part !== undefined && fs.statSync(path.join(dir, part)).size > 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(part, stderr).toBeDefined();
    const exited = new Promise((r) => child.on('exit', r));
    child.kill('SIGKILL');
    await exited;
    expect(fs.existsSync(dest)).toBe(false);
    expect(part).toMatch(new RegExp(`^f\\.gz\\.tmp-minimx-${child.pid}-[0-9a-f]{12}$`));
    await downloadFile(`${server.url}good.gz`, dest, { ...quick, verify });
    expect(listing(dir)).toEqual(['child.mts', 'f.gz']);
  });

  it('a mirror that trickles a byte every 50 ms is ended by the deadline of one attempt, not retried', async () => {
    const sockets = new Set<import('node:net').Socket>();
    let requests = 0;
    const trickle = http.createServer((_req, res) => {
      requests++;
      res.writeHead(200, { 'content-length': 10_000 });
      const timer = setInterval(() => res.write('x'), 50);
      res.on('close', () => clearInterval(timer));
    });
    trickle.on('connection', (s) => sockets.add(s));
    await new Promise<void>((r) => trickle.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(trickle.address() as AddressInfo).port}/slow.gz`;
    const dir = tempDir();
    try {
      const t0 = Date.now();
      const err = await downloadFile(url, path.join(dir, 'f.gz'), {
        ...quick,
        retries: 3,
        deadlineMs: 600,
      }).catch((e: Error) => e);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toMatch(
        new RegExp(
          `^download of ${url} to .*f\\.gz failed \\(1 attempts\\): attempt 1: too slow: \\d+ bytes arrived in the 600 ms one attempt may take \\(the deadlineMs option\\)$`,
        ),
      );
      expect(Date.now() - t0).toBeLessThan(3000);
      expect(requests).toBe(1);
      expect(listing(dir)).toEqual([]);
      await expect(downloadFile(url, path.join(dir, 'f.gz'), { deadlineMs: 0 })).rejects.toThrow(
        /deadlineMs must be a positive number, got 0/,
      );
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => trickle.close(r));
    }
  });

  it('cleanStaleTempFiles keeps the temp files of live processes and every file minimx did not name', async () => {
    const dir = tempDir();
    const dest = path.join(dir, 'f.gz');
    const live = path.join(dir, `f.gz.tmp-minimx-${process.pid}-abcdefabcdef`);
    const dead = path.join(dir, 'f.gz.tmp-minimx-999999999-abcdefabcdef');
    const others = ['.f.gz.999999999.abcd.part', '.f.gz.backup.part', 'f.gz.tmp-old', 'f.gz.tmp-minimx-copy'];
    for (const f of [live, dead, ...others.map((n) => path.join(dir, n))]) fs.writeFileSync(f, '');
    expect(await cleanStaleTempFiles(dest)).toEqual([dead]);
    expect(listing(dir)).toEqual([...others, path.basename(live)].sort());
  });
});
