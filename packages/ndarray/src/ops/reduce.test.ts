// Tests of reductions: sum, mean, max, min, prod, norm, argmax, argmin (axes, keepdims, (1,) rule, gradients).
import { describe, expect, it } from 'vitest';
import { nd, testing } from '../index.js';

const { assertAllClose, checkGradient } = testing;
const x = nd.array([
  [1, 5, 3],
  [4, 2, 6],
]);

describe('sum, mean, max, min, prod', () => {
  it('over everything gives shape (1,), as MXNet legacy nd', () => {
    expect(x.sum().shape).toEqual([1]);
    expect(x.sum().asScalar()).toBe(21);
    expect(x.mean().asScalar()).toBe(3.5);
    expect(x.max().toArray()).toEqual([6]);
    expect(x.min().toArray()).toEqual([1]);
    expect(x.prod().toArray()).toEqual([720]);
    expect(x.sum({ keepdims: true }).shape).toEqual([1, 1]);
  });
  it('over one axis, negative axes and lists', () => {
    expect(x.sum({ axis: 0 }).toArray()).toEqual([5, 7, 9]);
    expect(x.sum({ axis: -1 }).toArray()).toEqual([9, 12]);
    expect(x.sum({ axis: 1, keepdims: true }).toArray()).toEqual([[9], [12]]);
    expect(x.max({ axis: 0 }).toArray()).toEqual([4, 5, 6]);
    expect(x.min({ axis: 1 }).toArray()).toEqual([1, 2]);
    expect(nd.mean(x, { axis: 0 }).toArray()).toEqual([2.5, 3.5, 4.5]);
    expect(nd.prod(x, { axis: 1 }).toArray()).toEqual([15, 48]);
    expect(x.sum({ axis: [0, 1] }).toArray()).toEqual([21]);
    const y = nd.arange(24).reshape(2, 3, 4);
    expect(y.sum({ axis: [0, 2] }).toArray()).toEqual([60, 92, 124]);
    expect(y.max({ axis: 1 }).shape).toEqual([2, 4]);
  });
  it('size-1 and empty axes', () => {
    expect(nd.ones([3, 1]).sum({ axis: 1 }).toArray()).toEqual([1, 1, 1]);
    expect(nd.zeros([0, 3]).sum({ axis: 0 }).toArray()).toEqual([0, 0, 0]);
    expect(nd.zeros([0]).sum().toArray()).toEqual([0]);
    expect(Number.isNaN(nd.zeros([0]).mean().asScalar())).toBe(true);
    expect(() => nd.zeros([0]).max()).toThrow('max: cannot reduce an empty array of shape (0,)');
    expect(() => nd.zeros([0, 3]).min({ axis: 0 })).toThrow(
      'min: cannot reduce an empty array of shape (0,3)',
    );
    expect(nd.zeros([0, 3]).max({ axis: 1 }).shape).toEqual([0]);
  });
  it('mean of integers is float32; NaN propagates through max', () => {
    expect(nd.array([1, 2], { dtype: 'int32' }).mean().toArray()).toEqual([1.5]);
    expect(Number.isNaN(nd.array([1, NaN, 3]).max().asScalar())).toBe(true);
  });
  it('errors name the op and the axis', () => {
    expect(() => x.sum({ axis: 2 })).toThrow('sum: axis 2 is out of range for an array of 2 dimension(s)');
    expect(() => x.mean({ axis: -3 })).toThrow(/mean: axis -3 is out of range/);
    expect(() => x.sum({ axis: [0, -2] })).toThrow(/sum: repeated axis/);
  });
  it('gradients', () => {
    const r = nd.random.normal({ shape: [2, 3, 4] });
    checkGradient((v) => v.sum(), [r]);
    checkGradient((v) => v.sum({ axis: [0, 2] }), [r]);
    checkGradient((v) => v.mean({ axis: -1, keepdims: true }), [r]);
    checkGradient((v) => v.max({ axis: 1 }), [r]);
    checkGradient((v) => v.min(), [r]);
    checkGradient((v) => v.prod({ axis: 1 }), [nd.random.uniform({ low: 0.5, high: 1.5, shape: [2, 3] })]);
  });
});

describe('norm', () => {
  it('L2 by default over everything, L1, axis and keepdims', () => {
    expect(nd.norm(nd.array([3, 4])).toArray()).toEqual([5]);
    expect(
      nd
        .array([[3, -4]])
        .norm({ ord: 1 })
        .toArray(),
    ).toEqual([7]);
    assertAllClose(
      nd.norm(
        nd.array([
          [3, 4],
          [6, 8],
        ]),
        { axis: 1 },
      ),
      [5, 10],
    );
    expect(nd.norm(nd.array([[3, 4]]), { axis: 1, keepdims: true }).shape).toEqual([1, 1]);
    expect(() => nd.norm(x, { ord: 3 as 2 })).toThrow('norm: ord must be 1 or 2, got 3');
    expect(() => nd.norm(x, { axis: 5 })).toThrow(/norm: axis 5 is out of range/);
  });
  it('gradients', () => {
    checkGradient((v) => v.norm(), [nd.random.normal({ shape: [3, 2] })]);
    checkGradient(
      (v) => v.norm({ ord: 1, axis: 0 }),
      [
        nd.array([
          [1, -2],
          [0.5, 3],
        ]),
      ],
    );
  });
});

describe('argmax and argmin', () => {
  it('return float32 indices, first on ties, (1,) without axis', () => {
    expect(x.argmax({ axis: 1 }).toArray()).toEqual([1, 2]);
    expect(x.argmax({ axis: 1 }).dtype).toBe('float32');
    expect(x.argmin({ axis: 0 }).toArray()).toEqual([0, 1, 0]);
    expect(x.argmax().toArray()).toEqual([5]);
    expect(nd.argmax(nd.array([2, 7, 7])).toArray()).toEqual([1]);
    expect(x.argmax({ axis: -1, keepdims: true }).shape).toEqual([2, 1]);
    expect(nd.argmax(nd.array([1, NaN, 3])).toArray()).toEqual([1]);
  });
  it('give the same indices along the last axis (contiguous rows) as along a strided axis', () => {
    // Small integers make ties common; a few NaNs, also in first position, test the NaN rule.
    const rows = 64;
    const cols = 7;
    const values = Array.from({ length: rows * cols }, (_, i) => ((i * 7919) % 13) - 6);
    for (const i of [0, 15, 22, 100, 101, 300]) values[i] = Number.NaN;
    const a = nd.array(values).reshape([rows, cols]);
    const t = a.T.copy(); // the same rows, now along axis 0
    for (const op of ['argmax', 'argmin'] as const) {
      expect(a[op]({ axis: 1 }).toArray()).toEqual(t[op]({ axis: 0 }).toArray());
    }
    expect(a.argmax({ axis: 1 }).data[0]).toBe(0); // NaN first
    expect(a.argmax({ axis: 1 }).data[2]).toBe(1); // element 15 is row 2, column 1
  });
  it('reject empty axes and bad axes', () => {
    expect(() => nd.zeros([2, 0]).argmax({ axis: 1 })).toThrow('argmax: axis 1 of shape (2,0) is empty');
    expect(() => x.argmin({ axis: 3 })).toThrow(/argmin: axis 3 is out of range/);
  });
});
