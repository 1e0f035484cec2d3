/**
 * The built @minimx/ndarray and @minimx/nn run in a browser: headless Chromium (Debian's `chromium`
 * package; .ci/run installs it) loads their dist ESM through an import map from a server on
 * 127.0.0.1, trains a few steps of a Dense layer with the default backend, and reports which
 * backend and WebAssembly build it got. In a browser there are no worker threads and no node:v8, so
 * this is the single-threaded WebAssembly path, with relaxed SIMD only if the browser ships it.
 * Skipped when Chromium or the build is missing, except under CI, where that is an error.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, readPageOut } from './chromium.js';

const root = resolve(__dirname, '..');
const dist = (pkg: string) => join(root, 'packages', pkg, 'dist', 'index.js');
const ready = existsSync(CHROMIUM) && existsSync(dist('ndarray')) && existsSync(dist('nn'));

if (!ready && process.env.CI) {
  throw new Error('browser test: needs /usr/bin/chromium (apt-get install chromium) and `npm run build`');
}

const page = `<!doctype html>
<script type="importmap">{ "imports": { "@minimx/ndarray": "/ndarray/index.js", "@minimx/ndarray/internal": "/ndarray/internal.js", "@minimx/nn": "/nn/index.js" } }</script>
<pre id="out">running</pre>
<script type="module">
const out = document.getElementById('out');
try {
  const { nd, autograd, getBackend, random } = await import('@minimx/ndarray');
  const { nn, Trainer, loss, init } = await import('@minimx/nn');
  random.seed(3);
  const X = nd.random.normal({ shape: [64, 20] });
  const y = nd.fromTypedArray(Int32Array.from({ length: 64 }, (_, i) => i % 4), [64]);
  const net = new nn.Dense(4);
  net.initialize(new init.Normal({ sigma: 0.1 }));
  const trainer = new Trainer(net.collectParams(), 'sgd', { learningRate: 0.5 });
  const ce = new loss.SoftmaxCrossEntropyLoss();
  const losses = [];
  for (let step = 0; step < 30; step++) {
    const l = autograd.record(() => ce.forward(net.forward(X), y));
    l.backward();
    trainer.step(64);
    losses.push(l.mean().asScalar());
  }
  const a = nd.random.normal({ shape: [64, 300] });
  const b = nd.random.normal({ shape: [300, 50] });
  const product = nd.dot(a, b).data;
  const expected = new Float64Array(64 * 50);
  for (let i = 0; i < 64; i++) for (let j = 0; j < 50; j++) {
    let s = 0;
    for (let p = 0; p < 300; p++) s += a.data[i * 300 + p] * b.data[p * 50 + j];
    expected[i * 50 + j] = s;
  }
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(product[i] - expected[i]));
  out.textContent = JSON.stringify({ backend: getBackend(), first: losses[0], last: losses[29], worst });
} catch (e) {
  out.textContent = JSON.stringify({ error: String(e && e.stack || e) });
}
</script>`;

const types: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.map': 'application/json',
};

describe.skipIf(!ready)('built packages in headless Chromium', () => {
  let server: Server;
  let url = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      const path = req.url ?? '/';
      // index.js, internal.js and the chunks they share
      const match = /^\/(ndarray|nn)\/([\w.-]+\.js(?:\.map)?)$/.exec(path);
      const file = match ? join(root, 'packages', match[1], 'dist', match[2]) : '';
      const body = path === '/' ? page : match && existsSync(file) ? readFileSync(file) : null;
      if (body === null) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': types[extname(path)] ?? 'text/html' }).end(body);
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => {
    server?.close();
  });

  it('trains a Dense layer and multiplies matrices with the default (wasm) backend', async () => {
    // biome-ignore lint/suspicious/noExplicitAny: the page's JSON, checked field by field below
    const result = await readPageOut<any>(url);
    expect(result.error).toBeUndefined();
    expect(result.backend).toBe('wasm');
    expect(result.last).toBeLessThan(result.first * 0.7);
    // float32 products of 300 terms of size ~1: a few 1e-5 at most against float64.
    expect(result.worst).toBeLessThan(1e-3);
  }, 120_000);
});
