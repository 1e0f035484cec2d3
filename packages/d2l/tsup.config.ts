// Build: ESM and CJS bundles with .d.ts, from src/index.ts (Node), src/browser.ts (the `browser`
// condition of `.`: no Node module, Fashion-MNIST fetched) and src/figure.ts (the browser-safe
// `@minimx/d2l/figure` subpath: the figure API alone).
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'tsup';

/**
 * One runtime copy per process: each CommonJS entry is replaced by a shim that loads the ES module
 * build through require(esm) (Node 20.19+), so `require()` and `import` share one NDArray class and
 * one autograd state (docs/architecture.md). The .d.cts types stay as tsup writes them.
 */
function cjsShims(entries: string[]): () => void {
  return () => {
    for (const file of readdirSync('dist'))
      if (file.endsWith('.cjs') || file.endsWith('.cjs.map')) rmSync(join('dist', file));
    for (const entry of entries)
      writeFileSync(
        join('dist', `${entry}.cjs`),
        `'use strict';
// The ES module build, so that require() and import share one copy (Node 20.19+: require(esm)).
try {
  module.exports = require('./${entry}.js');
} catch (e) {
  if (e && e.code === 'ERR_REQUIRE_ESM')
    throw new Error('minimx: require() of its packages needs Node 20.19 or newer (require of ES modules); use import, or upgrade Node');
  throw e;
}
`,
      );
  };
}

const dtsOptions = { compilerOptions: { paths: {} } };

/**
 * Two builds: the JavaScript of every entry in one (shared chunks, so one plt and one
 * limitBatches), and the browser entry's declarations on their own. In one declaration build the
 * browser's would import the shared ones from index.d.ts, which re-exports Node-only names of
 * @minimx/datasets that its browser types lack; built alone they need only browser-safe files
 * (figure.d.ts, written by both builds alike).
 */
export default defineConfig([
  {
    entry: ['src/index.ts', 'src/browser.ts', 'src/figure.ts'],
    format: ['esm', 'cjs'],
    dts: { ...dtsOptions, entry: ['src/index.ts', 'src/figure.ts'] },
    sourcemap: true,
    clean: true,
    splitting: true, // the entries share one figure module (one plt) and one data module (one limitBatches)
    target: 'es2022',
    platform: 'neutral',
    onSuccess: async () => cjsShims(['index', 'browser', 'figure'])(),
    external: [/^node:/, /^@minimx\//],
  },
  {
    entry: ['src/browser.ts', 'src/figure.ts'],
    format: ['esm', 'cjs'],
    dts: { ...dtsOptions, only: true },
    clean: false,
    target: 'es2022',
    platform: 'neutral',
    external: [/^node:/, /^@minimx\//],
  },
]);
