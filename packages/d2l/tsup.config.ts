// Build: ESM and CJS bundles with .d.ts, from src/index.ts and src/figure.ts (the browser-safe
// `@minimx/d2l/figure` subpath: the figure API without the Node-only data helpers).
import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/figure.ts'],
  format: ['esm', 'cjs'],
  dts: { compilerOptions: { paths: {} } },
  sourcemap: true,
  clean: true,
  splitting: true, // index and figure share one figure module (one plt) in CJS too
  target: 'es2022',
  platform: 'neutral',
  external: [/^node:/, /^@minimx\//],
});
