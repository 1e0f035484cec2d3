// Tests of dot and batchDot: vector/matrix/N-d cases, transposes, (1,) for vectors, errors, gradients.
import { describe, expect, it } from 'vitest';
import { kernels } from '../backend/registry.js';
import { autograd, getBackend, nd, registerBackend, setBackend, testing } from '../index.js';

const { assertAllClose, checkGradient } = testing;
const normal = (shape: number[]) => nd.random.normal({ shape });
const A = nd.array([
  [1, 2, 3],
  [4, 5, 6],
]);
const B = nd.array([
  [1, 0],
  [0, 1],
  [1, 1],
]);

describe('dot', () => {
  it('matrix by matrix, with transposes', () => {
    expect(nd.dot(A, B).toArray()).toEqual([
      [4, 5],
      [10, 11],
    ]);
    expect(nd.dot(A, A, { transposeB: true }).toArray()).toEqual([
      [14, 32],
      [32, 77],
    ]);
    expect(nd.dot(A, A, { transposeA: true }).shape).toEqual([3, 3]);
    expect(nd.dot(B, A, { transposeA: true, transposeB: true }).toArray()).toEqual([
      [4, 10],
      [5, 11],
    ]);
  });
  it('vectors give (1,), matrix-vector and vector-matrix drop the vector axis', () => {
    expect(nd.dot(nd.array([1, 2, 3]), nd.array([4, 5, 6])).toArray()).toEqual([32]);
    expect(nd.dot(A, nd.array([1, 1, 1])).toArray()).toEqual([6, 15]);
    expect(nd.dot(nd.array([1, 1]), A).toArray()).toEqual([5, 7, 9]);
  });
  it('N-d contracts the last axis of a with the first of b', () => {
    expect(nd.dot(nd.ones([2, 3, 4]), nd.ones([4, 5])).shape).toEqual([2, 3, 5]);
    expect(nd.dot(nd.ones([2, 4]), nd.ones([4, 3, 2])).shape).toEqual([2, 3, 2]);
  });
  it('empty inner dimension gives zeros; dtypes promote', () => {
    expect(nd.dot(nd.zeros([2, 0]), nd.zeros([0, 3])).toArray()).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expect(nd.dot(A.astype('float64'), B).dtype).toBe('float64');
  });
  it('rejects mismatched shapes naming both', () => {
    expect(() => nd.dot(nd.zeros([256, 784]), nd.zeros([10, 784]))).toThrow(
      'dot: cannot multiply (256,784) by (10,784)',
    );
    expect(() => nd.dot(nd.zeros([3]), nd.zeros([4]))).toThrow('dot: cannot multiply (3,) by (4,)');
  });
  it('gradients for every transpose combination and vectors', () => {
    checkGradient((a, b) => nd.dot(a, b), [normal([2, 3]), normal([3, 4])]);
    checkGradient((a, b) => nd.dot(a, b, { transposeA: true }), [normal([3, 2]), normal([3, 4])]);
    checkGradient((a, b) => nd.dot(a, b, { transposeB: true }), [normal([2, 3]), normal([4, 3])]);
    checkGradient(
      (a, b) => nd.dot(a, b, { transposeA: true, transposeB: true }),
      [normal([3, 2]), normal([4, 3])],
    );
    checkGradient((a, b) => nd.dot(a, b), [normal([3]), normal([3])]);
    checkGradient((a, b) => nd.dot(a, b), [normal([2, 2, 3]), normal([3, 2])]);
  });
});

describe('batchDot', () => {
  it('multiplies batch by batch', () => {
    const x = nd.stack([A, A.mul(2)]);
    const y = nd.stack([B, B]);
    expect(nd.batchDot(x, y).toArray()).toEqual([
      [
        [4, 5],
        [10, 11],
      ],
      [
        [8, 10],
        [20, 22],
      ],
    ]);
    assertAllClose(nd.batchDot(x, x, { transposeB: true }).get('0'), nd.dot(A, A, { transposeB: true }));
  });
  it('rejects non-3-D and mismatched batches', () => {
    expect(() => nd.batchDot(A, B)).toThrow('batchDot: expected two 3-D arrays, got (2,3) and (3,2)');
    expect(() => nd.batchDot(nd.zeros([2, 2, 3]), nd.zeros([3, 3, 2]))).toThrow(
      'batchDot: cannot multiply (2,2,3) by (3,3,2)',
    );
  });
  it('gradients', () => {
    checkGradient((a, b) => nd.batchDot(a, b), [normal([2, 2, 3]), normal([2, 3, 4])]);
    checkGradient(
      (a, b) => nd.batchDot(a, b, { transposeA: true, transposeB: true }),
      [normal([2, 3, 2]), normal([2, 4, 3])],
    );
  });
});

describe('matmul gradient skips operands that need no gradient', () => {
  it('runs one forward and one backward product when only W is a variable', () => {
    const calls: string[] = [];
    const previous = getBackend();
    const base = kernels();
    registerBackend({
      name: 'count-matmul',
      matmul: (...args: Parameters<typeof base.matmul>) => {
        calls.push(`${args[7] ? 'T' : 'N'}${args[8] ? 'T' : 'N'}`);
        base.matmul(...args);
      },
    });
    setBackend('count-matmul');
    try {
      const X = nd.random.uniform({ shape: [4, 3] });
      const W = nd.random.uniform({ shape: [3, 2] });
      W.attachGrad();
      autograd.record(() => nd.dot(X, W).sum()).backward();
      // forward X·W, then dW = Xᵀ·dY only: no dX = dY·Wᵀ
      expect(calls).toEqual(['NN', 'TN']);
      testing.assertAllClose(W.grad!, nd.dot(X, nd.ones([4, 2]), { transposeA: true }));
    } finally {
      setBackend(previous);
    }
  });
});
