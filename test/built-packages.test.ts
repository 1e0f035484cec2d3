/**
 * The built packages are importable by a plain Node script outside the repo, as an npm user
 * would import them: ESM `import` and CJS `require` of each package's dist output, resolved
 * through each package.json's `exports` map (`minimx/d2l` and `@minimx/ndarray/internal`
 * included). Then the packages are packed with `npm pack` and installed from their tarballs into
 * an empty folder (offline: they depend only on each other), and `@minimx/d2l`'s `trainCh3` trains there, on a tiny synthetic dataset and,
 * when the system copy exists, on two batches of Fashion-MNIST. Needs `npm run build` first (CI runs
 * it before the tests); without a build the test is skipped locally and fails under CI.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(__dirname, '..');
const packages = {
  '@minimx/ndarray': 'ndarray',
  '@minimx/nn': 'nn',
  '@minimx/datasets': 'datasets',
  '@minimx/d2l': 'd2l',
  minimx: 'minimx',
};
const built = Object.values(packages).every((dir) =>
  existsSync(join(root, 'packages', dir, 'dist', 'index.js')),
);

if (!built && process.env.CI) {
  throw new Error('built-packages: packages/*/dist is missing; run `npm run build` before the tests');
}

describe.skipIf(!built)('built packages (dist) import from outside the repo', () => {
  const dir = mkdtempSync(join(tmpdir(), 'minimx-consumer-'));
  for (const [name, folder] of Object.entries(packages)) {
    const target = join(dir, 'node_modules', name);
    mkdirSync(resolve(target, '..'), { recursive: true });
    symlinkSync(join(root, 'packages', folder), target, 'dir');
  }
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = (file: string, source: string): string => {
    writeFileSync(join(dir, file), source);
    return execFileSync(process.execPath, ['--preserve-symlinks', join(dir, file)], {
      cwd: dir,
      encoding: 'utf8',
    });
  };

  it('ESM: trains one autograd step with @minimx/ndarray', () => {
    const out = run(
      'consumer.mjs',
      `import { nd, autograd } from '@minimx/ndarray';
const w = nd.array([1, 2, 3]);
w.attachGrad();
const l = autograd.record(() => w.mul(w).sum());
l.backward();
console.log(JSON.stringify({ loss: l.asScalar(), grad: w.grad.toArray() }));`,
    );
    expect(JSON.parse(out)).toEqual({ loss: 14, grad: [2, 4, 6] });
  });

  it('CJS: require() of every package', () => {
    const out = run(
      'consumer.cjs',
      `const { nd } = require('@minimx/ndarray');
const nn = require('@minimx/nn');
const datasets = require('@minimx/datasets');
const mx = require('minimx');
console.log(JSON.stringify({ sum: nd.ones([2, 3]).sum().asScalar(), nn: Object.keys(nn).length > 0,
  datasets: Object.keys(datasets).length > 0, mx: typeof mx.nd.array }));`,
    );
    expect(JSON.parse(out)).toEqual({ sum: 6, nn: true, datasets: true, mx: 'function' });
  });

  it('one runtime copy: an array made by import goes into a Dense loaded by require()', () => {
    const out = run(
      'mixed.mjs',
      `import { createRequire } from 'node:module';
import { NDArray, nd } from '@minimx/ndarray';
const require = createRequire(import.meta.url);
const cjs = require('@minimx/ndarray');
const { nn } = require('@minimx/nn');
const net = new nn.Dense(2, { inUnits: 3 });
net.initialize();
const y = net.forward(nd.ones([4, 3]));
console.log(JSON.stringify({ same: cjs.NDArray === NDArray, esmOut: y instanceof NDArray, shape: y.shape }));`,
    );
    expect(JSON.parse(out)).toEqual({ same: true, esmOut: true, shape: [4, 2] });
  });

  it('@minimx/ndarray/internal (import and require) shares one runtime copy with @minimx/ndarray, whose io lacks it', () => {
    const out = run(
      'internal.mjs',
      `import { createRequire } from 'node:module';
import { io, NDArray, NDArrayFileError, nd } from '@minimx/ndarray';
import * as internal from '@minimx/ndarray/internal';
const require = createRequire(import.meta.url);
const cjs = require('@minimx/ndarray/internal');
const file = internal.readArrayFile(nd.saveToBuffer({ x: nd.ones([2]) }));
let error = null;
try { cjs.readArrayFile(new Uint8Array(3), 'bad.params'); } catch (e) { error = e instanceof NDArrayFileError; }
const moved = ['crc32', 'normalizeSaveData', 'readArrayFile', 'writeFileAtomic', 'readRegularFileSync',
  'encodeMinimxParameterFile', 'decodeMinimxParameterFile'];
console.log(JSON.stringify({
  crc: internal.crc32(new TextEncoder().encode('123456789')),
  sameModule: cjs.readArrayFile === internal.readArrayFile,
  sameClass: file.arrays[0] instanceof NDArray && file.names[0] === 'x',
  error,
  inIo: moved.filter((n) => n in io || n in require('@minimx/ndarray').io),
  inMain: moved.filter((n) => n in require('@minimx/ndarray')),
}));`,
    );
    expect(JSON.parse(out)).toEqual({
      crc: 0xcbf43926,
      sameModule: true,
      sameClass: true,
      error: true,
      inIo: [],
      inMain: [],
    });
  });

  it('ESM and CJS: @minimx/d2l and the umbrella subpath minimx/d2l', () => {
    const esm = run(
      'd2l.mjs',
      `import * as d2l from '@minimx/d2l';
import * as sub from 'minimx/d2l';
import { nd } from '@minimx/ndarray';
const Y = d2l.corr2d(nd.arange(9).reshape(3, 3), nd.arange(4).reshape(2, 2));
console.log(JSON.stringify({ Y: Y.toArray(), same: sub.corr2d === d2l.corr2d, ctx: String(d2l.tryGpu()) }));`,
    );
    expect(JSON.parse(esm)).toEqual({
      Y: [
        [19, 25],
        [37, 43],
      ],
      same: true,
      ctx: 'cpu(0)',
    });
    const cjs = run(
      'd2l.cjs',
      `const d2l = require('minimx/d2l');
const figure = require('@minimx/d2l/figure');
const raster = require('@minimx/datasets/raster');
console.log(JSON.stringify({ trainCh3: typeof d2l.trainCh3, Residual: typeof d2l.Residual,
  plt: figure.plt === d2l.plt, Canvas: typeof raster.Canvas }));`,
    );
    expect(JSON.parse(cjs)).toEqual({
      trainCh3: 'function',
      Residual: 'function',
      plt: true,
      Canvas: 'function',
    });
  });
});

const FASHION = existsSync('/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz');

describe.skipIf(!built)('packed packages install from their tarballs into an empty folder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'minimx-tarballs-'));
  const app = join(dir, 'app');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const node = (file: string, source: string): string => {
    writeFileSync(join(app, file), source);
    return execFileSync(process.execPath, [join(app, file)], { cwd: app, encoding: 'utf8', timeout: 60_000 });
  };

  it('npm pack + npm install --offline puts every package in node_modules', () => {
    for (const folder of Object.values(packages)) {
      execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], {
        cwd: join(root, 'packages', folder),
        stdio: ['ignore', 'ignore', 'inherit'],
      });
    }
    const tarballs = readdirSync(dir).filter((f) => f.endsWith('.tgz'));
    expect(tarballs.sort()).toEqual([
      'minimx-0.1.0.tgz',
      'minimx-d2l-0.1.0.tgz',
      'minimx-datasets-0.1.0.tgz',
      'minimx-ndarray-0.1.0.tgz',
      'minimx-nn-0.1.0.tgz',
    ]);
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), '{ "name": "app", "private": true, "type": "module" }\n');
    execFileSync(
      'npm',
      ['install', '--offline', '--no-audit', '--no-fund', ...tarballs.map((f) => join(dir, f))],
      { cwd: app, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    expect(readdirSync(join(app, 'node_modules', '@minimx')).sort()).toEqual([
      'd2l',
      'datasets',
      'ndarray',
      'nn',
    ]);
    expect(existsSync(join(app, 'node_modules', 'minimx', 'dist', 'd2l.js'))).toBe(true);
  });

  it('trainCh3 trains there on a tiny synthetic dataset, returning the history', () => {
    const out = node(
      'train-synthetic.mjs',
      `import * as d2l from '@minimx/d2l';
import { ArrayDataset, DataLoader } from '@minimx/datasets';
import { nd } from '@minimx/ndarray';
import { loss as gloss, nn, Trainer } from '@minimx/nn';
nd.random.seed(1);
const X = nd.random.normal({ shape: [64, 4] });
const y = X.get(':, 0').greater(0).astype('int32');
const data = new DataLoader(new ArrayDataset(X, y), { batchSize: 16, shuffle: true });
const net = new nn.Sequential();
net.add(new nn.Dense(2));
net.initialize();
const trainer = new Trainer(net.collectParams(), 'sgd', { learningRate: 0.5 });
const h = d2l.trainCh3(net, data, data, new gloss.SoftmaxCrossEntropyLoss(), 3, 16, undefined, undefined, trainer);
console.log(JSON.stringify({ epochs: h.epochs.length, falls: h.loss[2] < h.loss[0], acc: h.testAcc[2] }));`,
    );
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(4);
    for (const l of lines.slice(0, 3))
      expect(l).toMatch(/^epoch \d, loss \d\.\d{4}, train acc \d\.\d{3}, test acc \d\.\d{3}$/);
    const summary = JSON.parse(lines[3]);
    expect(summary.epochs).toBe(3);
    expect(summary.falls).toBe(true);
    expect(summary.acc).toBeGreaterThan(0.8);
  });

  it('@minimx/ndarray/internal resolves there (import and require), one copy with @minimx/ndarray', () => {
    const probe = (load: string) => `${load}
const file = internal.readArrayFile(main.nd.saveToBuffer([main.nd.ones([2])]));
console.log(JSON.stringify({ crc: internal.crc32(new Uint8Array([1])), shared: file.arrays[0] instanceof main.NDArray,
  inIo: 'crc32' in main.io }));`;
    const want = { crc: 0xa505df1b, shared: true, inIo: false };
    const esm = node(
      'internal.mjs',
      probe(
        "import * as main from '@minimx/ndarray';\nimport * as internal from '@minimx/ndarray/internal';",
      ),
    );
    expect(JSON.parse(esm)).toEqual(want);
    const cjs = node(
      'internal.cjs',
      probe(
        "const main = require('@minimx/ndarray');\nconst internal = require('@minimx/ndarray/internal');",
      ),
    );
    expect(JSON.parse(cjs)).toEqual(want);
  });

  it.skipIf(!FASHION)('trainCh3 trains there on two batches of the system Fashion-MNIST', () => {
    const out = node(
      'train-fashion.mjs',
      `import * as d2l from '@minimx/d2l';
import { loss as gloss, nn, Trainer } from '@minimx/nn';
d2l.limitBatches(2);
const [trainIter, testIter] = await d2l.loadDataFashionMnist(256, { root: ${JSON.stringify(join(dir, 'cache'))} });
const net = new nn.Sequential();
net.add(new nn.Dense(10));
net.initialize();
const trainer = new Trainer(net.collectParams(), 'sgd', { learningRate: 0.1 });
d2l.trainCh3(net, trainIter, testIter, new gloss.SoftmaxCrossEntropyLoss(), 1, 256, undefined, undefined, trainer);`,
    );
    expect(out.trim()).toMatch(/^epoch 1, loss \d\.\d{4}, train acc \d\.\d{3}, test acc \d\.\d{3}$/);
  });
});
