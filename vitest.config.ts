// One vitest run over every package. Tests import the packages by name and resolve them
// from source (no build needed), through the aliases below.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@minimx\/ndarray$/, replacement: src('ndarray') },
      {
        find: /^@minimx\/ndarray\/internal$/,
        replacement: fileURLToPath(new URL('./packages/ndarray/src/internal.ts', import.meta.url)),
      },
      { find: /^@minimx\/nn$/, replacement: src('nn') },
      { find: /^@minimx\/datasets$/, replacement: src('datasets') },
      { find: /^@minimx\/d2l$/, replacement: src('d2l') },
      {
        find: /^@minimx\/datasets\/raster$/,
        replacement: fileURLToPath(new URL('./packages/datasets/src/raster.ts', import.meta.url)),
      },
      {
        find: /^@minimx\/d2l\/figure$/,
        replacement: fileURLToPath(new URL('./packages/d2l/src/figure.ts', import.meta.url)),
      },
      { find: /^minimx$/, replacement: src('minimx') },
      {
        find: /^minimx\/d2l$/,
        replacement: fileURLToPath(new URL('./packages/minimx/src/d2l.ts', import.meta.url)),
      },
      {
        find: /^minimx\/gluon$/,
        replacement: fileURLToPath(new URL('./packages/minimx/src/gluon.ts', import.meta.url)),
      },
    ],
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'examples/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    setupFiles: ['test/setup-backend.ts'],
    reporters: ['default'],
  },
});
