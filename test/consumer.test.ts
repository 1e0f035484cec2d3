/**
 * The published packages, seen by a consumer: every public package is packed with `npm pack` and
 * installed from its tarball into an empty folder (offline: they depend only on each other), then
 * - strict `tsc` with `skipLibCheck: false` (so the shipped .d.ts files are checked too) compiles a
 *   consumer of the umbrella (`minimx`, `minimx/gluon`, `minimx/d2l`) and of the scoped packages
 *   under `moduleResolution` node16 (an ESM and a CJS file) and bundler. The consumer carries
 *   `@ts-expect-error` typos (`mx.gluon.nn.Dens`, ...): if a type degrades to `any`, the directive
 *   goes unused and tsc fails;
 * - a browser-only consumer without `@types/node` (`types: []`, the `browser` condition) type-checks
 *   with the same strictness: no public .d.ts may need Node's types (`node:fs`, `Buffer`, `NodeJS.*`);
 * - esbuild bundles each browser-safe entry for `platform: 'browser'`: a Node built-in left in the
 *   graph fails the build (esbuild cannot resolve `node:fs` for a browser; a control importing
 *   `path` must fail), and the metafile is checked for any import marked external. The minified
 *   and gzipped sizes are printed (`@minimx/d2l`'s browser entry among them);
 * - webpack 5 (`target: 'web'`, which polyfills no built-in) and Vite (a production build) bundle
 *   the same entries in one build each: no error or warning, no external or ignored module, none
 *   of Vite's `__vite-browser-external` stand-ins for a built-in. A control entry importing `path`
 *   must be flagged by both, so the checks can fail; the umbrella's webpack production (minified)
 *   and Vite bundles train in headless Chromium too;
 * - the umbrella bundled for a browser trains in headless Chromium, and under a Content-Security-Policy
 *   without 'wasm-unsafe-eval' it falls back to the TypeScript kernels with one console warning;
 * - publint `--strict` (its API, over the same tarballs) reports nothing, not even a suggestion.
 * Needs `npm run build` first (CI runs it before the tests); skipped locally without a build.
 */
import { execFile, execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { build as viteBuild } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import webpack from 'webpack';
import { CHROMIUM, readPageOut } from './chromium.js';

const root = resolve(__dirname, '..');
const packages = {
  '@minimx/ndarray': 'ndarray',
  '@minimx/nn': 'nn',
  '@minimx/datasets': 'datasets',
  '@minimx/d2l': 'd2l',
  minimx: 'minimx',
};
const built = Object.values(packages).every((dir) =>
  existsSync(join(root, 'packages', dir, 'dist', 'index.d.ts')),
);

if (!built && process.env.CI) {
  throw new Error('consumer: packages/*/dist is missing; run `npm run build` before the tests');
}

/** Uses every package through its types; each `@ts-expect-error` line must stay an error. */
const consumer = `import * as mx from 'minimx';
import * as gluon from 'minimx/gluon';
import * as d2lUmbrella from 'minimx/d2l';
import * as d2l from '@minimx/d2l';
import { Figure } from '@minimx/d2l/figure';
import { ArrayDataset, DataLoader, transforms, vision } from '@minimx/datasets';
import { Canvas } from '@minimx/datasets/raster';
import { autograd, type NDArray, nd } from '@minimx/ndarray';
import { loss as gloss, nn, Trainer } from '@minimx/nn';
import * as ndarray from '@minimx/ndarray';
import { readArrayFile, toRecord } from '@minimx/ndarray/internal';

const net: mx.gluon.nn.Sequential = new mx.gluon.nn.Sequential();
const dense: mx.gluon.nn.Dense = new mx.gluon.nn.Dense(3);
net.add(dense);
net.initialize(new mx.init.Normal({ sigma: 0.1 }));
// @ts-expect-error a misspelt layer is an error, not any
new mx.gluon.nn.Dens(3);
// @ts-expect-error Dense takes a number of units
new mx.gluon.nn.Dense('3');
const trainer: gluon.Trainer = new mx.gluon.Trainer(net.collectParams(), 'sgd', { learningRate: 0.1 });
const x: NDArray = mx.nd.ones([2, 4]);
const l: mx.NDArray = autograd.record(() => new gloss.L2Loss().forward(net.forward(x), nd.zeros([2, 3])));
l.backward();
trainer.step(2);
// @ts-expect-error NDArray has no attach_grad (it is attachGrad)
x.attach_grad();
// @ts-expect-error mx.nd.one is a typo of mx.nd.ones
mx.nd.one([2]);
const loader = new DataLoader(new ArrayDataset(x, nd.zeros([2])), { batchSize: 1 });
// @ts-expect-error batch_size is batchSize
new DataLoader(new ArrayDataset(x), { batch_size: 1 });
const same: boolean = mx.gluon.data.DataLoader === DataLoader && mx.gluon.data.vision === vision;
const t = new transforms.ToTensor();
// @ts-expect-error vision has FashionMNIST, not FashionMnist
vision.FashionMnist;
const ctx: mx.Context = d2l.tryGpu();
// @ts-expect-error tryGPU is tryGpu
d2lUmbrella.tryGPU();
const fig = new Figure();
const canvas = new Canvas(2, 2);
const layer: nn.Dense = dense;
export const used = [loader, same, t, ctx, fig, canvas, layer, Trainer, d2lUmbrella.corr2d];
// @ts-expect-error crc32 is not public API: it left io for @minimx/ndarray/internal
ndarray.io.crc32;
// internal.d.ts declares NDArray again: the two must pass for each other both ways
export const internalArrays: NDArray[] = readArrayFile(ndarray.io.saveToBuffer([x])).arrays;
export const internalRecord: Record<string, NDArray> = toRecord(['x'], [x]);
`;

/** A browser app's use of every browser entry: compiled with no Node types at all. */
const browserConsumer = `import * as mx from 'minimx';
import * as d2l from '@minimx/d2l';
import { Figure } from '@minimx/d2l/figure';
import { ArrayDataset, DataLoader, vision } from '@minimx/datasets';
import { Canvas } from '@minimx/datasets/raster';
import { type NDArray, nd } from '@minimx/ndarray';
import { readRegularFileSync, writeFileAtomic } from '@minimx/ndarray/internal';
import { nn, Trainer } from '@minimx/nn';

const x: NDArray = nd.ones([2, 4]);
const bytes: Uint8Array = nd.saveToBuffer({ x });
const net = new nn.Dense(3);
net.initialize();
// @ts-expect-error a misspelt layer is an error, not any
new mx.gluon.nn.Dens(3);
export const used = [bytes, net, Trainer, Figure, Canvas, vision, new DataLoader(new ArrayDataset(x), { batchSize: 1 })];
export const internal = [readRegularFileSync, writeFileAtomic]; // their .d.ts needs no Node types either
// d2l's browser entry: the fetching loader (a Promise of the two iterators) and the pure helpers.
const loaded: Promise<[d2l.DataIter, d2l.DataIter]> = d2l.loadDataFashionMnist(256, { resize: 32, url: '/data/' });
// @ts-expect-error the browser loader fetches from url or repoUrl: it has no root folder
d2l.loadDataFashionMnist(256, { root: '/tmp' });
export const d2lUsed = [loaded, d2l.trainCh3, d2l.evaluateAccuracy, d2l.sgd, d2l.historyFigure, d2l.getFashionMnistLabels];
`;

const tsconfig = (
  module: string,
  moduleResolution: string,
  include: string[],
  options: { types?: string[]; customConditions?: string[] } = {},
) =>
  `${JSON.stringify(
    {
      compilerOptions: {
        target: 'es2022',
        module,
        moduleResolution,
        strict: true,
        skipLibCheck: false,
        // TypeScript's own lib.*.d.ts are not checked (they are not ours and take half the time);
        // every .d.ts of the packages, and @types/node, is.
        skipDefaultLibCheck: true,
        noEmit: true,
        types: options.types ?? ['node'],
        ...(options.customConditions ? { customConditions: options.customConditions } : {}),
        lib: ['es2022', 'dom'],
      },
      include,
    },
    null,
    2,
  )}\n`;

/** Browser entries bundled with esbuild; each must resolve without any Node built-in. */
const browserEntries = [
  '@minimx/ndarray',
  '@minimx/ndarray/internal', // not public API, but nn and datasets import it
  '@minimx/nn',
  '@minimx/datasets', // its `browser` condition: the pure parts
  '@minimx/datasets/raster',
  '@minimx/d2l', // its `browser` condition: Fashion-MNIST fetched, no Node module
  '@minimx/d2l/figure',
  'minimx',
];

// Packaging does not depend on the kernels: the reruns of the suite on another backend or wasm build
// (test/setup-backend.ts) skip it.
const rerun = Boolean(process.env.MINIMX_TEST_BACKEND || process.env.MINIMX_TEST_WASM_BUILD);

/** Trains a Dense layer through the umbrella's names (gluon.data included) and reports to the page. */
const browserApp = `import * as mx from 'minimx';
const out = document.getElementById('out');
try {
  const { ArrayDataset, DataLoader } = mx.gluon.data;
  mx.random.seed(1);
  const X = mx.nd.random.normal({ shape: [64, 8] });
  const y = X.get(':, 0').greater(0).astype('int32');
  const loader = new DataLoader(new ArrayDataset(X, y), { batchSize: 16, shuffle: true });
  const net = new mx.gluon.nn.Dense(2);
  net.initialize();
  const trainer = new mx.gluon.Trainer(net.collectParams(), 'sgd', { learningRate: 0.5 });
  const ce = new mx.gluon.loss.SoftmaxCrossEntropyLoss();
  const losses = [];
  for (let epoch = 0; epoch < 5; epoch++) {
    let sum = 0;
    for (const [xb, yb] of loader) {
      const l = mx.autograd.record(() => ce.forward(net.forward(xb), yb));
      l.backward();
      trainer.step(16);
      sum += l.mean().asScalar();
    }
    losses.push(sum);
  }
  out.textContent = JSON.stringify({ backend: mx.getBackend(), first: losses[0], last: losses[4], warns: window.warnings });
} catch (e) {
  out.textContent = JSON.stringify({ error: String((e && e.stack) || e) });
}
`;
const recordWarnings = `window.warnings = [];
const warn = console.warn;
console.warn = (...args) => { window.warnings.push(args.map(String).join(' ')); warn(...args); };
`;
const browserPage = `<!doctype html>
<pre id="out">running</pre>
<script src="/pre.js"></script>
<script type="module" src="/app.js"></script>`;

interface PageResult {
  error?: string;
  backend: string;
  first: number;
  last: number;
  warns: string[];
}

/** Loads a page in headless Chromium and returns what its script wrote into #out. */
const inChromium = (url: string): Promise<PageResult> => readPageOut<PageResult>(url);

describe.skipIf(!built || rerun)('a consumer of the packed packages', () => {
  const dir = mkdtempSync(join(tmpdir(), 'minimx-consumer-check-'));
  const app = join(dir, 'app');
  const tarballs: Record<string, Buffer> = {};
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  beforeAll(() => {
    for (const [name, folder] of Object.entries(packages)) {
      const file = execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], {
        cwd: join(root, 'packages', folder),
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      }).trim();
      tarballs[name] = readFileSync(join(dir, file));
    }
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), '{ "name": "app", "private": true, "type": "module" }\n');
    execFileSync(
      'npm',
      [
        'install',
        '--offline',
        '--no-audit',
        '--no-fund',
        ...readdirSync(dir)
          .filter((f) => f.endsWith('.tgz'))
          .map((f) => join(dir, f)),
      ],
      { cwd: app, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    // The consumer's own dev tools: Node's types from this repository (tsc and esbuild run from here).
    mkdirSync(join(app, 'node_modules', '@types'), { recursive: true });
    symlinkSync(
      join(root, 'node_modules', '@types', 'node'),
      join(app, 'node_modules', '@types', 'node'),
      'dir',
    );
  }, 120_000);

  /** Runs tsc on a project of the app folder; resolves to its diagnostics, one per line. */
  const tsc = (project: string, ...flags: string[]): Promise<string[]> =>
    new Promise((done) => {
      execFile(
        process.execPath,
        [
          join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
          '-p',
          project,
          '--pretty',
          'false',
          ...flags,
        ],
        { cwd: app, encoding: 'utf8', maxBuffer: 16 << 20 },
        (_error, stdout) => done(stdout.split('\n').filter((line) => line.trim() !== '')),
      );
    });

  it('type-checks strictly, .d.ts files included, under node16 (ESM and CJS) and bundler resolution', async () => {
    writeFileSync(join(app, 'consumer.mts'), consumer);
    // The same consumer as a CommonJS module: `import` compiles to require(), so the `require` types apply.
    writeFileSync(join(app, 'consumer.cts'), consumer);
    writeFileSync(join(app, 'bundler.ts'), consumer);
    // The check can fail: with an `any`, a typo under @ts-expect-error is exactly this one error.
    writeFileSync(
      join(app, 'untyped.ts'),
      'declare const mx: any;\n// @ts-expect-error\nnew mx.gluon.nn.Dens(3);\n',
    );
    writeFileSync(
      join(app, 'tsconfig.node16.json'),
      tsconfig('node16', 'node16', ['consumer.mts', 'consumer.cts']),
    );
    writeFileSync(
      join(app, 'tsconfig.bundler.json'),
      tsconfig('esnext', 'bundler', ['bundler.ts', 'untyped.ts']),
    );
    // A browser app: no Node types in the program (`types: []`, and --listFiles must show none
    // pulled in by a `/// <reference types="node" />`), the datasets types of its `browser` condition.
    writeFileSync(join(app, 'browser-consumer.ts'), browserConsumer);
    writeFileSync(
      join(app, 'tsconfig.browser.json'),
      tsconfig('esnext', 'bundler', ['browser-consumer.ts'], { types: [], customConditions: ['browser'] }),
    );
    const [node16, bundler, browser] = await Promise.all([
      tsc('tsconfig.node16.json'),
      tsc('tsconfig.bundler.json'),
      tsc('tsconfig.browser.json', '--listFiles'),
    ]);
    expect(node16).toEqual([]);
    expect(bundler).toEqual(["untyped.ts(2,1): error TS2578: Unused '@ts-expect-error' directive."]);
    const programFiles = browser.filter((line) => line.startsWith('/'));
    expect(
      browser.filter((line) => !line.startsWith('/')),
      'the browser-only consumer (no @types/node)',
    ).toEqual([]);
    expect(programFiles.filter((f) => f.includes('/@types/node/'))).toEqual([]);
    expect(programFiles.some((f) => f.endsWith('/@minimx/datasets/dist/browser.d.ts'))).toBe(true);
    expect(programFiles.some((f) => f.endsWith('/@minimx/d2l/dist/browser.d.ts'))).toBe(true);
    expect(programFiles.some((f) => f.endsWith('/@minimx/d2l/dist/index.d.ts'))).toBe(false);
  }, 300_000);

  it('bundles each browser entry with esbuild (platform browser), no Node built-in left', async () => {
    const sizes: string[] = [];
    for (const entry of browserEntries) {
      const result = await build({
        stdin: { contents: `export * from '${entry}';`, resolveDir: app, loader: 'js' },
        bundle: true,
        platform: 'browser',
        format: 'esm',
        minify: true,
        write: false,
        metafile: true,
        logLevel: 'silent',
      }).catch((e: { errors?: { text: string }[] }) => {
        throw new Error(`${entry}: ${(e.errors ?? []).map((m) => m.text).join('; ') || e}`);
      });
      const imports = Object.values(result.metafile.inputs).flatMap((i) => i.imports);
      expect(
        imports.filter((i) => i.external).map((i) => i.path),
        entry,
      ).toEqual([]);
      const code = result.outputFiles[0].contents;
      sizes.push(
        `${entry}: ${(code.length / 1024).toFixed(1)} KB min, ${(gzipSync(code).length / 1024).toFixed(1)} KB gzip`,
      );
    }
    console.log(`browser bundles (esbuild, every export kept):\n  ${sizes.join('\n  ')}`);
    // The control: a Node built-in in the graph fails esbuild's browser build, so the check can fail.
    const control = await build({
      stdin: { contents: "export * as path from 'path';", resolveDir: app, loader: 'js' },
      bundle: true,
      platform: 'browser',
      write: false,
      logLevel: 'silent',
    }).then(
      () => 'bundled',
      (e: { errors?: { text: string }[] }) => (e.errors ?? []).map((m) => m.text).join('; '),
    );
    expect(control, 'esbuild flags the control').toMatch(/Could not resolve "path"/);
  });

  it('bundles each browser entry with webpack (target web) and Vite, no Node built-in left', async () => {
    // One build per bundler over every entry (shared modules are compiled once), plus a control
    // that imports a built-in and must be flagged by each.
    mkdirSync(join(app, 'entries'), { recursive: true });
    const input: Record<string, string> = {};
    for (const [i, entry] of [...browserEntries, 'control'].entries()) {
      const file = join(app, 'entries', entry === 'control' ? 'control.js' : `entry${i}.js`);
      writeFileSync(
        file,
        entry === 'control'
          ? "import * as path from 'path';\nexport { path };\n"
          : `export * from '${entry}';\n`,
      );
      input[entry === 'control' ? 'control' : `entry${i}`] = file;
    }
    const names = Object.fromEntries(Object.entries(input).map(([k, f]) => [f, k]));

    const stats = await new Promise<webpack.Stats>((done, fail) =>
      webpack(
        {
          context: app,
          entry: input,
          target: 'web',
          mode: 'production',
          devtool: false,
          optimization: { minimize: false },
          performance: { hints: false },
          output: { path: join(app, 'out-webpack'), library: { type: 'module' } },
          experiments: { outputModule: true },
        },
        (err, result) => (err || !result ? fail(err) : done(result)),
      ),
    );
    const info = stats.toJson({
      all: false,
      errors: true,
      warnings: true,
      modules: true,
      nestedModules: true,
    });
    const problems = [...(info.errors ?? []), ...(info.warnings ?? [])].map(
      (m) => `${m.moduleName ?? ''}: ${m.message.split('\n')[0]}`,
    );
    const modules = (info.modules ?? []).flatMap((m) => [m, ...(m.modules ?? [])]);
    const strays = modules
      .map((m) => m.name ?? '')
      .filter((name) => /^(external|ignored|node:)/.test(name) || name.includes('node-libs-browser'));
    expect(
      problems.filter((p) => !p.startsWith('./entries/control.js')),
      'webpack errors and warnings',
    ).toEqual([]);
    expect(strays, 'webpack: externals or ignored modules').toEqual([]);
    expect(problems.join('\n'), 'webpack flags the control').toMatch(
      /^\.\/entries\/control\.js: Module not found: .*'path'/,
    );

    const viteWarnings: string[] = [];
    const built = await viteBuild({
      configFile: false,
      root: app,
      logLevel: 'silent',
      build: {
        write: false,
        minify: false,
        rollupOptions: {
          input,
          preserveEntrySignatures: 'strict',
          onwarn: (w) => void viteWarnings.push(w.message),
        },
      },
    });
    const chunks = (Array.isArray(built) ? built : [built as Exclude<typeof built, unknown[]>])
      .flatMap((o) => ('output' in o ? o.output : []))
      .filter((o) => o.type === 'chunk');
    const fileNames = new Set(chunks.map((c) => c.fileName));
    const flagged = chunks.flatMap((c) =>
      [
        ...c.moduleIds.filter((id) => id.includes('__vite-browser-external') || id.startsWith('node:')),
        ...c.imports.filter((i) => !fileNames.has(i)), // an import that is not another chunk: external
      ].map((id) => `${c.facadeModuleId ? names[c.facadeModuleId] : c.fileName}: ${id}`),
    );
    expect(viteWarnings, 'Vite (rollup) warnings').toEqual([]);
    expect(flagged.filter((f) => !f.startsWith('control:'))).toEqual([]);
    expect(flagged.filter((f) => f.startsWith('control:')).join(' '), 'Vite flags the control').toContain(
      '__vite-browser-external',
    );
  }, 180_000);

  it.skipIf(!existsSync(CHROMIUM))(
    "the umbrella's browser bundle trains in headless Chromium; under a CSP without 'wasm-unsafe-eval' it says so once",
    async () => {
      const bundle = await build({
        stdin: { contents: browserApp, resolveDir: app, loader: 'js' },
        bundle: true,
        platform: 'browser',
        format: 'esm',
        write: false,
        logLevel: 'silent',
      });
      const files: Record<string, string | Uint8Array> = {
        '/pre.js': recordWarnings,
        '/app.js': bundle.outputFiles[0].contents,
      };
      const server = createServer((req, res) => {
        const path = req.url ?? '/';
        const body = path === '/' || path === '/strict' ? browserPage : files[path];
        if (body === undefined) return void res.writeHead(404).end();
        const headers: Record<string, string> = {
          'content-type': path.endsWith('.js') ? 'text/javascript' : 'text/html',
        };
        // A strict policy as a hardened site sends it: scripts from the origin only, no 'wasm-unsafe-eval'.
        if (path === '/strict') headers['content-security-policy'] = "script-src 'self'";
        res.writeHead(200, headers).end(body);
      });
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      try {
        const [open, strict] = [await inChromium(`${url}/`), await inChromium(`${url}/strict`)];
        expect(open.error).toBeUndefined();
        expect(open.backend).toBe('wasm');
        expect(open.last).toBeLessThan(open.first * 0.7);
        expect(open.warns).toEqual([]);
        expect(strict.error).toBeUndefined();
        expect(strict.backend).not.toBe('wasm');
        expect(strict.last).toBeLessThan(strict.first * 0.7);
        expect(strict.warns).toHaveLength(1);
        expect(strict.warns[0]).toContain("'wasm-unsafe-eval'");
      } finally {
        server.close();
      }
    },
    120_000,
  );

  it.skipIf(!existsSync(CHROMIUM))(
    "the umbrella's webpack (production, minified) and Vite bundles train in headless Chromium",
    async () => {
      const run = join(app, 'run');
      mkdirSync(run, { recursive: true });
      writeFileSync(join(run, 'app.js'), browserApp);
      const stats = await new Promise<webpack.Stats>((done, fail) =>
        webpack(
          {
            context: app,
            entry: join(run, 'app.js'),
            target: 'web',
            mode: 'production', // minified by terser, as a user's production build is
            devtool: false,
            performance: { hints: false },
            output: { path: join(run, 'webpack'), filename: 'app.js' },
          },
          (err, result) => (err || !result ? fail(err) : done(result)),
        ),
      );
      expect(stats.toJson({ all: false, errors: true }).errors ?? []).toEqual([]);
      const vite = await viteBuild({
        configFile: false,
        root: app,
        logLevel: 'silent',
        build: { write: false, rollupOptions: { input: join(run, 'app.js') } },
      });
      const files: Record<string, string | Uint8Array> = {
        '/pre.js': recordWarnings,
        '/webpack/app.js': readFileSync(join(run, 'webpack', 'app.js')),
      };
      let viteEntry = '';
      for (const o of (Array.isArray(vite) ? vite : [vite as Exclude<typeof vite, unknown[]>]).flatMap((b) =>
        'output' in b ? b.output : [],
      )) {
        files[`/vite/${o.fileName}`] = o.type === 'chunk' ? o.code : o.source;
        if (o.type === 'chunk' && o.isEntry) viteEntry = `/vite/${o.fileName}`;
      }
      const pageFor = (script: string) => browserPage.replace('/app.js', script);
      const server = createServer((req, res) => {
        const path = req.url ?? '/';
        const body =
          path === '/webpack'
            ? pageFor('/webpack/app.js')
            : path === '/vite'
              ? pageFor(viteEntry)
              : files[path];
        if (body === undefined) return void res.writeHead(404).end();
        res
          .writeHead(200, { 'content-type': path.endsWith('.js') ? 'text/javascript' : 'text/html' })
          .end(body);
      });
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      try {
        for (const bundler of ['webpack', 'vite']) {
          const result = await inChromium(`${url}/${bundler}`);
          expect(result.error, bundler).toBeUndefined();
          expect(result.backend, bundler).toBe('wasm');
          expect(result.last, bundler).toBeLessThan(result.first * 0.7);
          expect(result.warns, bundler).toEqual([]);
        }
      } finally {
        server.close();
      }
    },
    180_000,
  );

  it('publint --strict finds nothing in any tarball', async () => {
    for (const [name, tarball] of Object.entries(tarballs)) {
      const { messages, pkg } = await publint({
        pack: { tarball: new Uint8Array(tarball).buffer as ArrayBuffer },
        level: 'suggestion',
        strict: true,
      });
      expect(
        messages.map((m) => `${m.type}: ${formatMessage(m, pkg)}`),
        name,
      ).toEqual([]);
    }
  });

  it('the README examples of ndarray, nn and the umbrella run from the installed tarballs', () => {
    for (const name of ['@minimx/ndarray', '@minimx/nn', 'minimx']) {
      const readme = readFileSync(join(app, 'node_modules', name, 'README.md'), 'utf8');
      const example = /## Example\n\n```ts\n([\s\S]*?)```/.exec(readme)?.[1];
      expect(example, name).toBeDefined();
      const file = join(app, `readme-${name.replace(/\W/g, '_')}.mjs`);
      writeFileSync(file, example ?? '');
      const out = execFileSync(process.execPath, [file], { cwd: app, encoding: 'utf8', timeout: 30_000 });
      expect(out.trim().length, name).toBeGreaterThan(0);
    }
  });

  it('every tarball carries the LICENSE and the README', () => {
    for (const name of Object.keys(packages)) {
      const folder = join(app, 'node_modules', name);
      expect(readFileSync(join(folder, 'LICENSE'), 'utf8'), name).toMatch(/Apache License\s+Version 2\.0/);
      expect(existsSync(join(folder, 'README.md')), name).toBe(true);
    }
  });
});
