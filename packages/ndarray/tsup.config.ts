// Build: ESM and CJS bundles with .d.ts, from src/index.ts and src/internal.ts.
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

const common = {
  format: ['esm', 'cjs'] as const,
  target: 'es2022',
  platform: 'neutral',
  external: [/^node:/, /^@minimx\//],
  // The folder is emptied once, below, before both builds run (they run at the same time).
  clean: false,
} as const;

export default defineConfig(() => {
  rmSync('dist', { recursive: true, force: true });
  return [
    {
      ...common,
      // src/internal.ts: @minimx/ndarray/internal, what nn and datasets share (not public API).
      // ESM splitting puts the modules both entries load into shared chunks: one NDArray class.
      entry: ['src/index.ts', 'src/internal.ts'],
      format: ['esm', 'cjs'],
      // Types of index.ts alone: bundled together with internal.ts's, the declarations shared
      // through a chunk came out of the `nd` and `io` namespaces as values (`declare const
      // nd_SliceTuple: typeof SliceTuple`, TS2693 in every consumer), a rollup-plugin-dts bug.
      dts: { entry: { index: 'src/index.ts' }, compilerOptions: { paths: {} } },
      sourcemap: true,
      onSuccess: async () => cjsShims(['index', 'internal'])(),
    },
    {
      ...common,
      // internal.d.ts on its own: it declares NDArray again, structurally the same class as
      // index.d.ts's (no private members), so arrays pass between the two types either way.
      entry: { internal: 'src/internal.ts' },
      format: ['esm', 'cjs'],
      dts: { only: true, compilerOptions: { paths: {} } },
    },
  ];
});
