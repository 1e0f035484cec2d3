// Tests of array creation: array, fromTypedArray, full/zeros/ones(/Like), arange, oneHot, dtypes.
import { describe, expect, it } from 'vitest';
import { autograd, NDArray, nd, testing } from '../index.js';

describe('nd.array', () => {
  it('infers the shape of nested arrays, float32 by default', () => {
    const x = nd.array([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(x.shape).toEqual([2, 3]);
    expect(x.size).toBe(6);
    expect(x.ndim).toBe(2);
    expect(x.dtype).toBe('float32');
    expect(x.toArray()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });
  it('honours dtype: int32 truncates, uint8 refuses 256 (as NumPy 2), float64 keeps precision', () => {
    expect(nd.array([1.7, -1.7], { dtype: 'int32' }).toArray()).toEqual([1, -1]);
    expect(() => nd.array([256, 3], { dtype: 'uint8' })).toThrow(
      'array: 256 does not fit in uint8 (0 to 255)',
    );
    expect(nd.array([255, 3], { dtype: 'uint8' }).toArray()).toEqual([255, 3]);
    expect(nd.array([0.1], { dtype: 'float64' }).data[0]).toBe(0.1);
  });
  it('copies typed arrays (keeping their dtype) and NDArrays', () => {
    const src = new Int32Array([1, 2]);
    const x = nd.array(src);
    src[0] = 9;
    expect(x.dtype).toBe('int32');
    expect(x.toArray()).toEqual([1, 2]);
    const y = nd.array(x);
    y.data[1] = 7;
    expect(x.data[1]).toBe(2);
  });
  it('accepts empty arrays and numbers', () => {
    expect(nd.array([]).shape).toEqual([0]);
    expect(nd.array([[], []]).shape).toEqual([2, 0]);
    expect(nd.array(3).shape).toEqual([]);
  });
  it('rejects ragged input and unknown dtypes, naming the op', () => {
    expect(() => nd.array([[1, 2], [3]])).toThrow(/array: ragged nested array/);
    // @ts-expect-error a dtype that does not exist
    expect(() => nd.array([1], { dtype: 'float16' })).toThrow(/array: unknown dtype "float16"/);
  });
});

describe('fromTypedArray', () => {
  it('shares memory and checks the size', () => {
    const data = new Float32Array(6);
    const x = nd.fromTypedArray(data, [2, 3]);
    data[5] = 1;
    expect(x.data[5]).toBe(1);
    expect(() => nd.fromTypedArray(data, [4, 2])).toThrow(
      /fromTypedArray: 6 elements cannot have shape \(4,2\)/,
    );
  });
});

describe('full, zeros, ones and the Like variants', () => {
  it('fill and shape', () => {
    expect(nd.full([2, 2], 7).toArray()).toEqual([
      [7, 7],
      [7, 7],
    ]);
    expect(nd.zeros([10]).shape).toEqual([10]);
    expect(nd.zeros(3).toArray()).toEqual([0, 0, 0]);
    expect(nd.ones([2, 3], { dtype: 'int32' }).dtype).toBe('int32');
    expect(nd.zeros([0, 4]).size).toBe(0);
    const x = nd.array([[1, 2]], { dtype: 'float64' });
    expect(nd.zerosLike(x).dtype).toBe('float64');
    expect(nd.onesLike(x).toArray()).toEqual([[1, 1]]);
  });
  it('reject bad shapes', () => {
    expect(() => nd.zeros([2, -1])).toThrow(/zeros: shape must hold non-negative integers/);
    expect(() => nd.ones([1.5])).toThrow(/ones: shape/);
  });
});

describe('arange', () => {
  it('follows MXNet: one argument is stop, float32 default', () => {
    expect(nd.arange(5).toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(nd.arange(5).dtype).toBe('float32');
    expect(nd.arange(1, 2, 0.25).toArray()).toEqual([1, 1.25, 1.5, 1.75]);
    expect(nd.arange(5, 0, -2).toArray()).toEqual([5, 3, 1]);
    expect(nd.arange(3, 3).shape).toEqual([0]);
    expect(nd.arange(0, 3, 1, { dtype: 'int32' }).dtype).toBe('int32');
    expect(nd.arange(0, 2, 1, { repeat: 2 }).toArray()).toEqual([0, 0, 1, 1]);
  });
  it('rejects a zero step', () => {
    expect(() => nd.arange(0, 3, 0)).toThrow(/arange: .*non-zero step/);
  });
});

describe('oneHot', () => {
  it('encodes with on/off values; out-of-range rows are off', () => {
    expect(nd.oneHot(nd.array([0, 2, 5, -1]), 3).toArray()).toEqual([
      [1, 0, 0],
      [0, 0, 1],
      [0, 0, 0],
      [0, 0, 0],
    ]);
    const y = nd
      .array([[1], [0]], { dtype: 'int32' })
      .oneHot(2, { onValue: 5, offValue: -1, dtype: 'int32' });
    expect(y.shape).toEqual([2, 1, 2]);
    expect(y.dtype).toBe('int32');
    expect(y.toArray()).toEqual([[[-1, 5]], [[5, -1]]]);
    expect(nd.oneHot(nd.zeros([0]), 4).shape).toEqual([0, 4]);
  });
  it('rejects non-integer indices and depths', () => {
    expect(() => nd.oneHot(nd.array([0.5]), 3)).toThrow(/oneHot: index 0.5 at position 0/);
    expect(() => nd.oneHot(nd.array([0]), -1)).toThrow(/oneHot: depth/);
  });
});

describe('NDArray basics', () => {
  it('asScalar, T, copy, detach, astype', () => {
    expect(nd.array([[3]]).asScalar()).toBe(3);
    expect(() => nd.zeros([2]).asScalar()).toThrow(/asScalar: .*exactly one element, got shape \(2,\)/);
    const x = nd.array([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(x.T.toArray()).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    const c = x.copy();
    c.data[0] = 9;
    expect(x.data[0]).toBe(1);
    const d = x.detach();
    expect(d.data).toBe(x.data);
    expect(x.astype('int32').dtype).toBe('int32');
    expect(nd.array([-1.5, 2.7]).astype('int32').toArray()).toEqual([-1, 2]);
    expect(() => x.astype('bogus' as 'float32')).toThrow(/astype: unknown dtype "bogus"/);
  });
  it('copy and float casts pass the gradient through; detach cuts it', () => {
    // eps = 2^-10 keeps x ± eps exact in float32, so the float32 round trip is smooth here
    testing.checkGradient(
      (v) => v.copy().mul(v.astype('float32').astype('float64')),
      [nd.array([0.5, -1.5])],
      {
        eps: 2 ** -10,
      },
    );
    const x = nd.array([1, 2]);
    x.attachGrad();
    autograd.record(() => x.mul(x.detach()).sum()).backward();
    expect(x.grad?.toArray()).toEqual([1, 2]);
  });
  it('rejects a typed array of the wrong size', () => {
    expect(() => new NDArray(new Float32Array(3), [2, 2])).toThrow(
      /NDArray: 3 elements cannot have shape \(2,2\)/,
    );
  });
});
