/**
 * `minimx/d2l`: the d2lzh helpers of "Dive into Deep Learning" (MXNet edition), the same module as
 * `@minimx/d2l`, reachable from the umbrella package as the book's `import d2lzh as d2l`.
 * @packageDocumentation
 * @module minimx/d2l
 * @example
 * import * as d2l from 'minimx/d2l';
 * const ctx = d2l.tryGpu(); // cpu(0)
 */
export * from '@minimx/d2l';
