// Build: ESM and CJS bundles with .d.ts, from src/index.ts (Node), src/browser.ts (the `browser`
// condition of `.`: no Node module) and src/raster.ts (the browser-safe `@minimx/datasets/raster`
// subpath).
import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/browser.ts', 'src/raster.ts'],
  format: ['esm', 'cjs'],
  dts: { compilerOptions: { paths: {} } },
  sourcemap: true,
  clean: true,
  target: 'es2022',
  platform: 'neutral',
  external: [/^node:/, /^@minimx\//],
});
