/**
 * The browser data path of @minimx/datasets in headless Chromium: its browser entry, bundled with
 * esbuild from source, loads Debian's Fashion-MNIST files from a server on 127.0.0.1 with
 * `vision.FashionMNIST.load({ url })` (a folder) and `{ repoUrl }` (the Gluon layout), and from bytes
 * with `fromBytes`, verifying them with DecompressionStream and crypto.subtle; a truncated file and
 * one whose content differs by one pixel are refused with errors naming their URLs; DataLoader with
 * ToTensor yields the book's batch shapes. Skipped without Chromium or the data set, except under CI.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, openPage } from './chromium.js';

const root = resolve(__dirname, '..');
const debian = '/usr/share/datasets/fashion-mnist';
const ready = existsSync(CHROMIUM) && existsSync(join(debian, 't10k-images-idx3-ubyte.gz'));
if (!ready && process.env.CI) {
  throw new Error('browser datasets test: needs /usr/bin/chromium and dataset-fashion-mnist');
}

const page = `<!doctype html><title>datasets</title><script type="module">
import { DataLoader, transforms, vision } from '/datasets.js';
const report = {};
const failure = (p) => p.then(() => 'no error', (e) => String(e.message));
try {
  const train = await vision.FashionMNIST.load({ train: true, url: '/data/' });
  report.train = { length: train.length, first: Array.from(train.labels.slice(0, 9)), source: train.sources.images };
  const test = await vision.FashionMNIST.load({ train: false, repoUrl: location.origin + '/repo' });
  report.test = { length: test.length, source: test.sources.labels };
  const [X, y] = new DataLoader(test.transformFirst(new transforms.ToTensor()), { batchSize: 256 })[Symbol.iterator]().next().value;
  report.batch = { x: X.shape, dtype: X.dtype, y: y.shape, ydtype: y.dtype, max: Math.max(...X.data.slice(0, 784)) };
  const bytes = async (u) => new Uint8Array(await (await fetch(u)).arrayBuffer());
  const fromBytes = await vision.FashionMNIST.fromBytes(
    { images: await bytes('/data/t10k-images-idx3-ubyte.gz'), labels: (await bytes('/data/t10k-labels-idx1-ubyte.gz')).buffer },
    { train: false },
  );
  report.fromBytes = { length: fromBytes.length, source: fromBytes.sources.images, same: fromBytes.labels.every((v, i) => v === test.labels[i]) };
  report.truncated = await failure(vision.FashionMNIST.load({ train: false, url: '/truncated/' }));
  report.onePixel = await failure(vision.FashionMNIST.load({ train: false, url: '/one-pixel/' }));
  report.missing = await failure(vision.FashionMNIST.load({ train: false, url: '/nowhere/' }));
} catch (e) {
  report.error = String(e && e.stack || e);
}
window.report = report;
</script>`;

describe.skipIf(!ready)(
  'vision.FashionMNIST in headless Chromium (fetch, DecompressionStream, crypto.subtle)',
  () => {
    let server: Server;
    let url = '';
    beforeAll(async () => {
      const bundle = await build({
        entryPoints: [join(root, 'packages', 'datasets', 'src', 'browser.ts')],
        bundle: true,
        format: 'esm',
        platform: 'browser',
        write: false,
        alias: {
          '@minimx/ndarray': join(root, 'packages', 'ndarray', 'src', 'index.ts'),
          '@minimx/ndarray/internal': join(root, 'packages', 'ndarray', 'src', 'internal.ts'),
        },
        logLevel: 'silent',
      });
      const file = (name: string) => readFileSync(join(debian, name));
      const testImages = file('t10k-images-idx3-ubyte.gz');
      const changed = gunzipSync(testImages);
      changed[changed.length - 1] ^= 1;
      const routes = new Map<string, Uint8Array | string>([
        ['/', page],
        ['/datasets.js', bundle.outputFiles[0].contents],
        ['/truncated/t10k-images-idx3-ubyte.gz', testImages.subarray(0, testImages.length >> 1)],
        ['/one-pixel/t10k-images-idx3-ubyte.gz', gzipSync(changed)],
      ]);
      for (const name of [
        'train-images-idx3-ubyte.gz',
        'train-labels-idx1-ubyte.gz',
        't10k-images-idx3-ubyte.gz',
        't10k-labels-idx1-ubyte.gz',
      ]) {
        routes.set(`/data/${name}`, file(name));
        routes.set(`/repo/gluon/dataset/fashion-mnist/${name}`, file(name));
        if (name.startsWith('t10k-labels'))
          for (const dir of ['truncated', 'one-pixel']) routes.set(`/${dir}/${name}`, file(name));
      }
      server = createServer((req, res) => {
        const body = routes.get(req.url ?? '/');
        if (body === undefined) {
          res.writeHead(404).end('not found');
          return;
        }
        const type =
          req.url === '/'
            ? 'text/html'
            : req.url?.endsWith('.js')
              ? 'text/javascript'
              : 'application/octet-stream';
        res.writeHead(200, { 'content-type': type }).end(body);
      });
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => {
      server?.close();
    });

    it('loads, verifies and refuses the files as in Node', async () => {
      const browser = await openPage(`${url}/`);
      try {
        // biome-ignore lint/suspicious/noExplicitAny: the page's report, checked field by field below
        const report = await browser.waitFor<any>('window.report', 60_000);
        expect(report.error, browser.console.join('\n')).toBeUndefined();
        expect(report.train).toEqual({
          length: 60000,
          first: [9, 0, 0, 3, 0, 2, 7, 2, 5],
          source: `${url}/data/train-images-idx3-ubyte.gz`,
        });
        expect(report.test).toEqual({
          length: 10000,
          source: `${url}/repo/gluon/dataset/fashion-mnist/t10k-labels-idx1-ubyte.gz`,
        });
        expect(report.batch).toEqual({
          x: [256, 1, 28, 28],
          dtype: 'float32',
          y: [256],
          ydtype: 'int32',
          max: 1,
        });
        expect(report.fromBytes).toEqual({ length: 10000, source: 'bytes', same: true });
        expect(report.truncated).toMatch(
          new RegExp(
            `^download of ${url}/truncated/t10k-images-idx3-ubyte\\.gz failed: gzip file .* is corrupt`,
          ),
        );
        expect(report.onePixel).toMatch(
          /one-pixel\/t10k-images-idx3-ubyte\.gz: checksum mismatch: the decompressed content has SHA-256 [0-9a-f]{64}, expected 5b4141f0/,
        );
        expect(report.missing).toMatch(/nowhere\/t10k-(images|labels)-idx[13]-ubyte\.gz failed: HTTP 404/);
      } finally {
        await browser.close();
      }
    }, 90_000);
  },
);
