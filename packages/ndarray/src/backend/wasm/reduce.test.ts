// The float32 sums of the wasm backend must agree bit for bit with the reference reduce kernel,
// on the axes they specialise (leading, trailing) and on the ones they hand back to it.
import { describe, expect, it } from 'vitest';
import type { Shape } from '../../shape.js';
import { reduce as cpuReduce } from '../cpu/reduce.js';
import type { ReduceOp } from '../kernels.js';
import { reduce } from './reduce.js';

function values(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 31 - 1) * 1e3 + (s % 7 === 0 ? 1e7 : 0); // large and small terms: order matters
  });
}

function outSize(shape: Shape, axes: number[]): number {
  return shape.reduce((acc, d, i) => (axes.includes(i) ? acc : acc * d), 1);
}

describe('wasm backend float32 sums', () => {
  const cases: Array<[Shape, number[]]> = [
    [[256, 10], [1]],
    [[256, 256], [0]],
    [
      [4, 5, 6],
      [1, 2],
    ],
    [
      [4, 5, 6],
      [0, 1],
    ],
    [
      [4, 5, 6],
      [0, 2],
    ],
    [
      [4, 5, 6],
      [0, 1, 2],
    ],
    [[7], [0]],
    [[3, 1, 2], []],
    // A convolution's bias gradient (sum over all axes but the channels), channel counts around 4.
    [
      [8, 6, 5, 5],
      [0, 2, 3],
    ],
    [
      [3, 9, 7],
      [0, 2],
    ],
    [
      [2, 3, 4, 2, 3],
      [0, 1, 4],
    ],
    [
      [1, 16, 3, 3],
      [0, 2, 3],
    ],
  ];
  it('match the reference bit for bit on every axis pattern', () => {
    for (const [shape, axes] of cases) {
      const x = values(
        shape.reduce((a, b) => a * b, 1),
        shape.length * 31 + axes.length,
      );
      for (const op of ['sum', 'max'] as ReduceOp[]) {
        const mine = new Float32Array(outSize(shape, axes));
        const ref = new Float32Array(mine.length);
        reduce(op, x, shape, axes, mine);
        cpuReduce(op, x, shape, axes, ref);
        expect(Array.from(mine), `${op} over ${axes} of (${shape})`).toEqual(Array.from(ref));
      }
    }
  });
  it('propagate NaN and infinities as the reference does', () => {
    const x = Float32Array.from([1, Number.NaN, 2, 3, Infinity, -Infinity, 5, 6]);
    for (const axes of [[0], [1]]) {
      const mine = new Float32Array(axes[0] === 0 ? 2 : 4);
      const ref = new Float32Array(mine.length);
      reduce('sum', x, [4, 2], axes, mine);
      cpuReduce('sum', x, [4, 2], axes, ref);
      expect(Array.from(mine)).toEqual(Array.from(ref));
    }
  });
  it('leave other dtypes to the reference', () => {
    const x = Int32Array.from([1, 2, 3, 4]);
    const out = new Int32Array(2);
    reduce('sum', x, [2, 2], [1], out);
    expect(Array.from(out)).toEqual([3, 7]);
  });
});
