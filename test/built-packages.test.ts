/**
 * The built packages are importable by a plain Node script outside the repo, as an npm user
 * would import them: ESM `import` and CJS `require` of each package's dist output, resolved
 * through each package.json's `exports` map. Needs `npm run build` first (CI runs it before the
 * tests); without a build the test is skipped locally and fails under CI.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(__dirname, '..');
const packages = {
  '@minimx/ndarray': 'ndarray',
  '@minimx/nn': 'nn',
  '@minimx/datasets': 'datasets',
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
});
