/**
 * The figure API of @minimx/d2l runs in a browser: headless Chromium loads the built
 * `@minimx/d2l/figure` (with `@minimx/ndarray` and `@minimx/datasets/raster`, the modules it
 * imports) through an import map from a server on 127.0.0.1, draws a line, a dotted line and a
 * scatter of NDArray values, and gets SVG text back from `show()`, `semilogy` and `xyplot`, and
 * PNG bytes from `toPng()` (stored uncompressed, there being no zlib); `savefig` refuses with a
 * reason. Skipped when Chromium or the build is missing, except under CI, where that is an error.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, readPageOut } from './chromium.js';

const root = resolve(__dirname, '..');
const built = ['ndarray/dist/index.js', 'datasets/dist/raster.js', 'd2l/dist/figure.js'].every((f) =>
  existsSync(join(root, 'packages', f)),
);
const ready = existsSync(CHROMIUM) && built;

if (!ready && process.env.CI) {
  throw new Error('browser-d2l test: needs /usr/bin/chromium (apt-get install chromium) and `npm run build`');
}

const page = `<!doctype html>
<script type="importmap">{ "imports": {
  "@minimx/ndarray": "/ndarray/index.js",
  "@minimx/datasets/raster": "/datasets/raster.js",
  "@minimx/d2l/figure": "/d2l/figure.js"
} }</script>
<pre id="out">running</pre>
<script type="module">
const out = document.getElementById('out');
try {
  const { nd } = await import('@minimx/ndarray');
  const d2l = await import('@minimx/d2l/figure');
  d2l.useSvgDisplay();
  d2l.setFigsize([3.5, 2.5]);
  const x = nd.arange(0, 20);
  d2l.plt.plot(x, x.mul(0.3).tanh(), { label: 'tanh' });
  d2l.plt.plot(x, x.mul(0.3).exp().mul(0.01), { label: 'exp', linestyle: ':' });
  d2l.plt.scatter(x, x.mul(0.3).tanh().add(0.1), 4);
  d2l.plt.xlabel('x');
  d2l.plt.legend();
  const svg = d2l.plt.show();
  const semi = d2l.semilogy([1, 2, 3], [1, 0.1, 0.01], 'epochs', 'loss');
  const xy = d2l.xyplot(x, x.relu(), 'relu');
  const png = new d2l.Figure().plot([1, 2], [2, 1]).toPng();
  let refused = '';
  try { new d2l.Figure().plot([1, 2], [2, 1]).savefig('a.svg'); } catch (e) { refused = String(e.message); }
  out.textContent = JSON.stringify({
    svg: svg.slice(0, 40), paths: (svg.match(/<path /g) || []).length, dots: (svg.match(/<circle /g) || []).length,
    legend: svg.includes('>exp</text>'), semi: semi.slice(0, 40), xy: xy.includes('>relu(x)</text>'),
    png: Array.from(png.slice(0, 8)), pngLength: png.length, refused,
  });
} catch (e) {
  out.textContent = JSON.stringify({ error: String(e && e.stack || e) });
}
</script>`;

describe.skipIf(!ready)('@minimx/d2l/figure in headless Chromium', () => {
  let server: Server;
  let url = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      const path = req.url ?? '/';
      const match = /^\/(ndarray|datasets|d2l)\/([\w.-]+\.js(?:\.map)?)$/.exec(path);
      const file = match ? join(root, 'packages', match[1], 'dist', match[2]) : '';
      const body = path === '/' ? page : match && existsSync(file) ? readFileSync(file) : null;
      if (body === null) {
        res.writeHead(404).end();
        return;
      }
      const type =
        extname(path) === '.js' ? 'text/javascript' : path === '/' ? 'text/html' : 'application/json';
      res.writeHead(200, { 'content-type': type }).end(body);
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => {
    server?.close();
  });

  it('draws lines and a scatter and returns SVG text; PNG bytes without zlib; savefig refuses', async () => {
    // biome-ignore lint/suspicious/noExplicitAny: the page's JSON, checked field by field below
    const result = await readPageOut<any>(url);
    expect(result.error).toBeUndefined();
    expect(result.svg).toBe('<svg xmlns="http://www.w3.org/2000/svg" ');
    expect(result.paths).toBe(2);
    expect(result.dots).toBe(20);
    expect(result.legend).toBe(true);
    expect(result.semi).toBe('<svg xmlns="http://www.w3.org/2000/svg" ');
    expect(result.xy).toBe(true);
    expect(result.png).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    expect(result.pngLength).toBeGreaterThan(480 * 343 * 4 * 3); // twice the size, RGB, stored
    expect(result.refused).toMatch(/savefig: no file system here/);
  }, 120_000);
});
