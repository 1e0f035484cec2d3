/**
 * `npm run demo`: bundles the demo page (main.ts and its worker, worker.ts) with esbuild from the
 * packages' sources (the browser entry of @minimx/datasets), and serves it on 127.0.0.1 with the
 * four Fashion-MNIST files under /data/, from the first folder that has them: `--data <dir>`,
 * `$MINIMX_DEMO_DATA`, Debian's `/usr/share/datasets/fashion-mnist` (`apt-get install
 * dataset-fashion-mnist`), or minimx's cache (`~/.minimx/datasets/fashion-mnist`, filled by
 * `vision.FashionMNIST.download()`). Without any, the page still opens: point its data field (or
 * `?data=<url>`) at a mirror that allows cross-origin requests. Flags: `--port N` (default 8080,
 * 0 for any), `--data <dir>`.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const FILES = [
  'train-images-idx3-ubyte.gz',
  'train-labels-idx1-ubyte.gz',
  't10k-images-idx3-ubyte.gz',
  't10k-labels-idx1-ubyte.gz',
];

/** The page's two scripts, bundled for browsers: `{ 'main.js': ..., 'worker.js': ... }`. */
export async function buildDemo(): Promise<Record<string, Uint8Array>> {
  const src = (pkg: string, file = 'index.ts') => path.join(repo, 'packages', pkg, 'src', file);
  const result = await build({
    entryPoints: { main: path.join(here, 'main.ts'), worker: path.join(here, 'worker.ts') },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    outdir: path.join(here, 'dist'),
    alias: {
      '@minimx/ndarray': src('ndarray'),
      '@minimx/ndarray/internal': src('ndarray', 'internal.ts'),
      '@minimx/nn': src('nn'),
      '@minimx/datasets': src('datasets', 'browser.ts'),
    },
    logLevel: 'silent',
  });
  return Object.fromEntries(result.outputFiles.map((f) => [path.basename(f.path), f.contents]));
}

/** The first folder holding all four files, or undefined. */
export function findDataDir(preferred?: string): string | undefined {
  const home = process.env.MINIMX_HOME || path.join(os.homedir(), '.minimx');
  const candidates = [
    preferred,
    process.env.MINIMX_DEMO_DATA,
    '/usr/share/datasets/fashion-mnist',
    path.join(home, 'datasets', 'fashion-mnist'),
  ];
  return candidates.find(
    (dir) => dir !== undefined && dir !== '' && FILES.every((f) => fs.existsSync(path.join(dir, f))),
  );
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.gz': 'application/octet-stream',
};

/**
 * Builds the demo and serves it on `host:port`; resolves once listening.
 * @example const demo = await startDemoServer({ port: 0 }); console.log(demo.url); await demo.close();
 */
export async function startDemoServer(options: { port?: number; host?: string; dataDir?: string } = {}) {
  const scripts = await buildDemo();
  const html = fs.readFileSync(path.join(here, 'index.html'));
  const dataDir = findDataDir(options.dataDir);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const name = url.pathname === '/' ? 'index.html' : url.pathname.slice(1);
    let body: Uint8Array | fs.ReadStream | undefined;
    let size: number | undefined;
    if (name === 'index.html') body = html;
    else if (name in scripts) body = scripts[name];
    else if (name.startsWith('data/') && FILES.includes(name.slice(5)) && dataDir !== undefined) {
      const file = path.join(dataDir, name.slice(5));
      size = fs.statSync(file).size;
      body = fs.createReadStream(file);
    }
    if (body === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${url.pathname}`);
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[path.extname(name)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
      ...(size !== undefined ? { 'content-length': size } : {}),
    });
    if (body instanceof fs.ReadStream) body.pipe(res);
    else res.end(body);
  });
  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 8080, options.host ?? '127.0.0.1', resolve),
  );
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.address}:${address.port}/`,
    dataDir,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const flag = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const demo = await startDemoServer({ port: Number(flag('port') ?? 8080), dataDir: flag('data') });
  console.log(`minimx demo: ${demo.url}`);
  console.log(
    demo.dataDir !== undefined
      ? `Fashion-MNIST served from ${demo.dataDir} at ${demo.url}data/`
      : 'No local Fashion-MNIST found (apt-get install dataset-fashion-mnist, or --data <dir>); ' +
          'set the data URL in the page to a mirror that allows cross-origin requests.',
  );
  console.log('Ctrl-C stops the server.');
}
