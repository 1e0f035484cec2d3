// Per-channel binary ops of the wasm backend (a convolution's bias) against the reference
// broadcasting kernel, bit for bit, on both operand orders, and the patterns it must leave alone.
import { describe, expect, it } from 'vitest';
import type { Shape } from '../../shape.js';
import { binary as cpuBinary } from '../cpu/elementwise.js';
import type { BinaryOp } from '../kernels.js';
import { channelBinary } from './broadcast.js';
import { binary } from './index.js';

function values(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 31 - 1) * 3;
  });
}

const size = (s: Shape) => s.reduce((a, b) => a * b, 1);

describe('wasm backend per-channel binary ops', () => {
  const cases: [Shape, Shape][] = [
    [
      [4, 6, 5, 5],
      [1, 6, 1, 1],
    ],
    [
      [3, 16, 8, 8],
      [16, 1, 1],
    ],
    [
      [2, 3, 4, 5, 6],
      [1, 3, 4, 1, 1],
    ],
    [
      [5, 7, 9],
      [7, 1],
    ],
  ];
  it('match the reference bit for bit, either operand broadcast', () => {
    for (const [big, small] of cases)
      for (const op of ['add', 'sub', 'mul', 'div'] as BinaryOp[])
        for (const swap of [false, true]) {
          const a = values(size(big), 1);
          const b = values(size(small), 2);
          b[0] = 0; // division by zero, as the reference does it
          const [x, xs, y, ys] = swap ? [b, small, a, big] : [a, big, b, small];
          const mine = new Float32Array(a.length);
          const ref = new Float32Array(a.length);
          expect(channelBinary(op, x, xs, y, ys, mine, big), `${op} (${xs}) (${ys})`).toBe(true);
          cpuBinary(op, x, xs, y, ys, ref, big);
          expect(Array.from(mine), `${op} (${xs}) (${ys})`).toEqual(Array.from(ref));
          // and through the backend's dispatch
          binary(op, x, xs, y, ys, mine.fill(0), big);
          expect(Array.from(mine)).toEqual(Array.from(ref));
        }
  });

  it('leave rows, columns, scalars, other ops and two-sided broadcasts to the other kernels', () => {
    const no = (op: BinaryOp, as: Shape, bs: Shape, os: Shape) =>
      expect(
        channelBinary(op, values(size(as), 1), as, values(size(bs), 2), bs, new Float32Array(size(os)), os),
      ).toBe(false);
    no('add', [4, 6, 5], [5], [4, 6, 5]); // a row
    no('add', [4, 6, 5], [4, 6, 1], [4, 6, 5]); // a column
    no('add', [4, 6, 5], [1], [4, 6, 5]); // a scalar
    no('add', [4, 6, 5], [4, 1, 1], [4, 6, 5]); // leading block only
    no('pow', [4, 6, 5], [1, 6, 1], [4, 6, 5]);
    no('add', [4, 1, 5], [1, 6, 1], [4, 6, 5]);
  });
});
