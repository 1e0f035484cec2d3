// The float32 element-wise loops of the wasm backend must agree bit for bit with the reference
// kernels, for every op, every operand pattern they specialise, and IEEE special values.
import { describe, expect, it } from 'vitest';
import type { Shape } from '../../shape.js';
import { binary as cpuBinary, unary as cpuUnary } from '../cpu/elementwise.js';
import type { BinaryOp, UnaryOp } from '../kernels.js';
import { binary, unary } from './elementwise.js';

const specials = [0, -0, 1, -1, 0.5, -2.5, 3, 20.5, -30, 1e-3, 88, -104, Infinity, -Infinity, Number.NaN];

function values(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, (_, i) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return i % 3 === 0 ? specials[s % specials.length] : (s / 2 ** 31 - 1) * 4;
  });
}

const size = (s: Shape) => s.reduce((a, b) => a * b, 1);

function same(x: Float32Array, y: Float32Array): boolean {
  return x.length === y.length && x.every((v, i) => Object.is(v, y[i]));
}

const unaryOps: UnaryOp[] = [
  'neg',
  'exp',
  'log',
  'abs',
  'sqrt',
  'square',
  'relu',
  'sigmoid',
  'tanh',
  'sign',
  'reciprocal',
  'softrelu',
  'floor',
  'round',
];
const binaryOps: BinaryOp[] = [
  'add',
  'sub',
  'mul',
  'div',
  'pow',
  'maximum',
  'minimum',
  'equal',
  'notEqual',
  'greater',
  'greaterEqual',
  'less',
  'lessEqual',
];

describe('wasm backend element-wise kernels', () => {
  it('unary ops match the reference bit for bit', () => {
    for (const x of [
      values(301, 5),
      values(17, 6),
      values(99, 4),
      values(1024, 7),
      values(303, 8),
      values(302, 9),
    ])
      for (const op of unaryOps) {
        const want = new Float32Array(x.length);
        const got = new Float32Array(x.length);
        cpuUnary(op, x, want);
        unary(op, x, got);
        expect(same(got, want), op).toBe(true);
      }
  });

  it('binary ops match the reference in every broadcasting pattern', () => {
    const cases: [Shape, Shape, Shape][] = [
      [
        [7, 5],
        [7, 5],
        [7, 5],
      ],
      [[7, 5], [1], [7, 5]],
      [[1], [7, 5], [7, 5]],
      [[7, 5], [], [7, 5]],
      [[7, 5], [5], [7, 5]],
      [[5], [7, 5], [7, 5]],
      [
        [7, 5],
        [1, 5],
        [7, 5],
      ],
      [
        [7, 5],
        [7, 1],
        [7, 5],
      ],
      [
        [7, 1],
        [7, 5],
        [7, 5],
      ],
      [
        [2, 3, 4],
        [3, 4],
        [2, 3, 4],
      ],
      [
        [2, 3, 4],
        [2, 3, 1],
        [2, 3, 4],
      ],
      [
        [2, 3, 4],
        [2, 1, 4],
        [2, 3, 4],
      ],
      [
        [7, 1],
        [1, 5],
        [7, 5],
      ],
      [[0, 5], [5], [0, 5]],
      // long enough for the WebAssembly kernels, with rows that are not a multiple of 4 lanes
      [
        [37, 11],
        [37, 11],
        [37, 11],
      ],
      [[37, 11], [1], [37, 11]],
      [[1], [37, 11], [37, 11]],
      [[37, 11], [11], [37, 11]],
      [[11], [37, 11], [37, 11]],
      [
        [37, 11],
        [37, 1],
        [37, 11],
      ],
      [
        [37, 1],
        [37, 11],
        [37, 11],
      ],
      [
        [4, 9, 8],
        [9, 8],
        [4, 9, 8],
      ],
      [
        [16, 16],
        [16, 16],
        [16, 16],
      ],
    ];
    let seed = 1;
    // The same patterns at 99 elements: above the reference-kernel cutoff, below the WebAssembly one,
    // so the compiled JavaScript loops are checked too.
    const midSized = cases
      .filter(([, , os]) => os[0] === 37)
      .map(([as, bs, os]): [Shape, Shape, Shape] => {
        const shrink = (s: Shape): Shape => s.map((d) => (d === 37 ? 9 : d));
        return [shrink(as), shrink(bs), shrink(os)];
      });
    for (const [as, bs, os] of [...cases, ...midSized])
      for (const op of binaryOps) {
        const a = values(size(as), seed++);
        const b = values(size(bs), seed++);
        const want = new Float32Array(size(os));
        const got = new Float32Array(size(os));
        cpuBinary(op, a, as, b, bs, want, os);
        binary(op, a, as, b, bs, got, os);
        expect(same(got, want), `${op} ${JSON.stringify([as, bs])}`).toBe(true);
      }
  });

  it('leaves other dtypes to the reference kernels', () => {
    const out = new Int32Array(3);
    binary('add', new Int32Array([1, 2, 3]), [3], new Int32Array([5]), [1], out, [3]);
    expect([...out]).toEqual([6, 7, 8]);
    const u = new Float64Array(2);
    unary('neg', new Float64Array([1, -2]), u);
    expect([...u]).toEqual([-1, 2]);
  });
});
