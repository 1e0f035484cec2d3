// Build: ESM and CJS bundles with .d.ts, from src/index.ts, src/gluon.ts and src/d2l.ts (the
// `minimx/gluon` and `minimx/d2l` subpaths). index.ts imports `minimx/gluon` by name (external).
import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/gluon.ts', 'src/d2l.ts'],
  format: ['esm', 'cjs'],
  // The dts build type-checks index.ts against src/gluon.ts (dist/gluon.d.ts is not written yet).
  dts: { compilerOptions: { paths: { 'minimx/gluon': ['packages/minimx/src/gluon.ts'] } } },
  sourcemap: true,
  clean: true,
  target: 'es2022',
  platform: 'neutral',
  external: [/^node:/, /^@minimx\//, /^minimx\//],
});
