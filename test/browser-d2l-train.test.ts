/**
 * `import * as d2l from '@minimx/d2l'` in a page: esbuild bundles the page from the built packages
 * as an app would (`platform: 'browser'`, so the `browser` condition picks d2l's and datasets'
 * browser entries; no Node built-in may be left), headless Chromium loads it from a server on
 * 127.0.0.1 that also serves Debian's Fashion-MNIST files (the dataset-fashion-mnist package), and
 * the page trains softmax regression from scratch (d2l 3.6) with d2l's helpers:
 * `loadDataFashionMnist(256, { url })`, `limitBatches`, `trainCh3` with `sgd`, `evaluateAccuracy`,
 * `getFashionMnistLabels`, `historyFigure`. The loss on a fixed batch must fall, the accuracies
 * must be fractions above chance, and the Node-only `showFashionMnist` must refuse naming the
 * alternative. Skipped without Chromium, the data set or the build, except under CI.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, openPage } from './chromium.js';

const root = resolve(__dirname, '..');
const debian = '/usr/share/datasets/fashion-mnist';
const built = [
  'ndarray/dist/index.js',
  'nn/dist/index.js',
  'datasets/dist/browser.js',
  'd2l/dist/browser.js',
].every((f) => existsSync(join(root, 'packages', f)));
const ready = existsSync(CHROMIUM) && existsSync(join(debian, 'train-images-idx3-ubyte.gz')) && built;
if (!ready && process.env.CI) {
  throw new Error(
    'browser d2l training test: needs /usr/bin/chromium, dataset-fashion-mnist and `npm run build`',
  );
}

/** The page's program: the book's softmax regression from scratch, on d2l's browser helpers. */
const app = `import * as d2l from '@minimx/d2l';
import { nd } from '@minimx/ndarray';
const report = {};
try {
  nd.random.seed(1);
  d2l.limitBatches(30); // every pass, the test pass too, stops after 30 batches of 256
  const loading = d2l.loadDataFashionMnist(256, { url: '/data/' });
  report.async = loading instanceof Promise;
  const [trainIter, testIter] = await loading;
  report.lengths = [trainIter.length, testIter.length];
  const W = nd.random.normal({ scale: 0.01, shape: [784, 10] });
  const b = nd.zeros(10);
  W.attachGrad();
  b.attachGrad();
  const softmax = (X) => { const e = X.exp(); return e.div(e.sum({ axis: 1, keepdims: true })); };
  const net = (X) => softmax(nd.dot(X.reshape(-1, 784), W).add(b));
  const crossEntropy = (yHat, y) => nd.pick(yHat, y).log().neg();
  const [X0, y0] = testIter[Symbol.iterator]().next().value;
  report.batch = [X0.shape, X0.dtype, y0.shape, y0.dtype];
  const lossOn = () => crossEntropy(net(X0), y0).mean().asScalar();
  report.lossBefore = lossOn();
  report.accBefore = d2l.evaluateAccuracy(testIter, net);
  const epochs = [];
  const history = d2l.trainCh3(net, trainIter, testIter, crossEntropy, 2, 256, [W, b], 0.1, null, {
    quiet: true,
    onEpoch: (e) => epochs.push(e.epoch),
  });
  report.lossAfter = lossOn();
  report.history = { loss: history.loss, trainAcc: history.trainAcc, testAcc: history.testAcc, epochs };
  report.accAfter = d2l.evaluateAccuracy(testIter, net);
  report.labels = d2l.getFashionMnistLabels(y0.slice(0, 3));
  report.predicted = d2l.getFashionMnistLabels(net(X0.slice(0, 3)).argmax({ axis: 1 })).length;
  report.svg = d2l.historyFigure(history).toSvg().slice(0, 4);
  try { d2l.showFashionMnist(X0.slice(0, 2), report.labels.slice(0, 2)); report.show = 'no error'; }
  catch (e) { report.show = String(e.message); }
} catch (e) {
  report.error = String((e && e.stack) || e);
}
window.report = report;
`;

describe.skipIf(!ready)(
  '@minimx/d2l bundled for a browser trains softmax regression in headless Chromium',
  () => {
    let server: Server;
    let url = '';
    let inputs: string[] = [];
    beforeAll(async () => {
      // From the repository root: node_modules/@minimx/* are the workspace packages, read through
      // their package.json `exports` (the dist files). tsconfigRaw keeps esbuild from the root
      // tsconfig's paths, which point at the sources.
      const bundle = await build({
        stdin: { contents: app, resolveDir: root, loader: 'js', sourcefile: 'app.js' },
        bundle: true,
        platform: 'browser',
        format: 'esm',
        write: false,
        metafile: true,
        tsconfigRaw: {},
        logLevel: 'silent',
      });
      inputs = Object.keys(bundle.metafile.inputs);
      const routes = new Map<string, Uint8Array | string>([
        ['/', '<!doctype html><title>d2l</title><script type="module" src="/app.js"></script>'],
        ['/app.js', bundle.outputFiles[0].contents],
      ]);
      for (const name of [
        'train-images-idx3-ubyte.gz',
        'train-labels-idx1-ubyte.gz',
        't10k-images-idx3-ubyte.gz',
        't10k-labels-idx1-ubyte.gz',
      ])
        routes.set(`/data/${name}`, readFileSync(join(debian, name)));
      server = createServer((req, res) => {
        const body = routes.get(req.url ?? '/');
        if (body === undefined) return void res.writeHead(404).end('not found');
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
    }, 120_000);
    afterAll(() => {
      server?.close();
    });

    it('bundles the browser entries (no Node module), loads the data from the server, and the loss falls', async () => {
      expect(
        inputs.filter((f) => /packages\/(d2l|datasets)\/dist\/(browser|index)\.js$/.test(f)).sort(),
      ).toEqual(['packages/d2l/dist/browser.js', 'packages/datasets/dist/browser.js']);
      const page = await openPage(`${url}/`);
      try {
        // biome-ignore lint/suspicious/noExplicitAny: the page's report, checked field by field below
        const report = await page.waitFor<any>('window.report', 120_000);
        expect(report.error, page.console.join('\n')).toBeUndefined();
        expect(report.async).toBe(true);
        expect(report.lengths).toEqual([30, 30]);
        expect(report.batch).toEqual([[256, 1, 28, 28], 'float32', [256], 'int32']);
        // Debian's test split in order: its first labels are ankle boot, pullover, trouser.
        expect(report.labels).toEqual(['ankle boot', 'pullover', 'trouser']);
        expect(report.predicted).toBe(3);
        // Near ln(10) = 2.303 with W ~ N(0, 0.01^2) and b = 0; falls well below after 60 batches.
        expect(report.lossBefore).toBeGreaterThan(2.2);
        expect(report.lossBefore).toBeLessThan(2.4);
        expect(report.lossAfter).toBeLessThan(0.7 * report.lossBefore);
        const { loss, trainAcc, testAcc, epochs } = report.history;
        expect(epochs).toEqual([1, 2]);
        expect(loss[1]).toBeLessThan(loss[0]);
        expect(loss[0]).toBeLessThan(report.lossBefore);
        for (const acc of [...trainAcc, ...testAcc]) {
          expect(acc).toBeGreaterThan(0.5); // chance is 0.1
          expect(acc).toBeLessThanOrEqual(1);
        }
        expect(report.accBefore).toBeLessThan(0.3);
        // The test pass of the last epoch and a pass after it see the same 30 batches, in order.
        expect(report.accAfter).toBe(testAcc[1]);
        expect(report.svg).toBe('<svg');
        expect(report.show).toMatch(
          /^showFashionMnist: writes a picture file, which a browser cannot \(Node only\); .*<canvas>/,
        );
      } finally {
        await page.close();
      }
    }, 180_000);
  },
);
