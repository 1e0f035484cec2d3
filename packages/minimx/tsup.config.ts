// Build: ESM and CJS bundles with .d.ts, from src/index.ts, src/gluon.ts and src/d2l.ts (the
// `minimx/gluon` and `minimx/d2l` subpaths). index.ts imports `minimx/gluon` by name (external).
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

export default defineConfig({
  entry: ['src/index.ts', 'src/gluon.ts', 'src/d2l.ts'],
  format: ['esm', 'cjs'],
  // The dts build type-checks index.ts against src/gluon.ts (dist/gluon.d.ts is not written yet).
  dts: { compilerOptions: { paths: { 'minimx/gluon': ['packages/minimx/src/gluon.ts'] } } },
  sourcemap: true,
  clean: true,
  target: 'es2022',
  platform: 'neutral',
  onSuccess: async () => cjsShims(['index', 'gluon', 'd2l'])(),
  external: [/^node:/, /^@minimx\//, /^minimx\//],
});
