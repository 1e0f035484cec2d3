// Tests of shape ops: reshape, transpose, expandDims, squeeze, flatten, broadcastTo, concat, stack.
import { describe, expect, it } from 'vitest';
import { nd, testing } from '../index.js';

const { checkGradient } = testing;
const normal = (shape: number[]) => nd.random.normal({ shape });

describe('reshape', () => {
  const x = nd.arange(6);
  it('takes varargs or a list, infers -1, shares data', () => {
    expect(x.reshape(2, 3).toArray()).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    expect(x.reshape([3, -1]).shape).toEqual([3, 2]);
    expect(nd.reshape(x, [-1]).shape).toEqual([6]);
    expect(nd.zeros([0, 3]).reshape(-1, 3).shape).toEqual([0, 3]);
    const y = x.reshape(2, 3);
    y.data[0] = 9;
    expect(x.data[0]).toBe(9);
  });
  it('rejects wrong sizes and two -1', () => {
    expect(() => x.reshape(4, 2)).toThrow('reshape: cannot reshape array of shape (6,) (size 6) into (4,2)');
    expect(() => x.reshape(-1, 4)).toThrow(/reshape: cannot reshape array of shape \(6,\) into \[-1, 4\]/);
    expect(() => x.reshape(-1, -1)).toThrow(/reshape: only one -1/);
  });
  it('gradient', () => {
    checkGradient((v) => v.reshape(3, 2).mul(nd.arange(6).reshape(3, 2)), [normal([2, 3])]);
  });
});

describe('transpose', () => {
  it('reverses by default, permutes with axes (negative allowed)', () => {
    const x = nd.arange(24).reshape(2, 3, 4);
    expect(x.transpose().shape).toEqual([4, 3, 2]);
    const y = nd.transpose(x, [1, 0, -1]);
    expect(y.shape).toEqual([3, 2, 4]);
    expect(y.get('2, 1, 3').asScalar()).toBe(x.get('1, 2, 3').asScalar());
    expect(() => x.transpose([0, 0, 1])).toThrow(
      /transpose: axes \[0, 0, 1\] are not a permutation of the 3 axes of \(2,3,4\)/,
    );
  });
  it('gradient', () => {
    checkGradient((v) => v.transpose([2, 0, 1]), [normal([2, 3, 2])]);
    checkGradient((v) => v.T, [normal([2, 3])]);
  });
});

describe('expandDims, squeeze, flatten', () => {
  it('expandDims inserts an axis anywhere, negative from the end', () => {
    const x = nd.zeros([2, 3]);
    expect(nd.expandDims(x, 0).shape).toEqual([1, 2, 3]);
    expect(x.expandDims(2).shape).toEqual([2, 3, 1]);
    expect(x.expandDims(-1).shape).toEqual([2, 3, 1]);
    expect(() => x.expandDims(3)).toThrow(/expandDims: axis 3 is out of range for an array of 3 dimension/);
  });
  it('squeeze removes size-1 axes; keeps (1,) when nothing is left', () => {
    expect(nd.zeros([1, 3, 1]).squeeze().shape).toEqual([3]);
    expect(nd.zeros([1, 3, 1]).squeeze({ axis: -1 }).shape).toEqual([1, 3]);
    expect(nd.zeros([1, 1]).squeeze().shape).toEqual([1]);
    expect(() => nd.zeros([2, 1]).squeeze({ axis: 0 })).toThrow(
      'squeeze: cannot remove axis 0 of length 2 from shape (2,1)',
    );
  });
  it('flatten collapses all axes but the first, as MXNet', () => {
    expect(nd.zeros([256, 1, 28, 28]).flatten().shape).toEqual([256, 784]);
    expect(nd.flatten(nd.zeros([5])).shape).toEqual([5, 1]);
    expect(nd.zeros([0, 3, 2]).flatten().shape).toEqual([0, 6]);
  });
  it('gradients', () => {
    checkGradient((v) => v.expandDims(1).squeeze().flatten(), [normal([2, 3])]);
  });
});

describe('broadcastTo', () => {
  it('broadcasts and rejects shapes it cannot reach', () => {
    expect(nd.array([1, 2]).broadcastTo([2, 2]).toArray()).toEqual([
      [1, 2],
      [1, 2],
    ]);
    expect(() => nd.broadcastTo(nd.zeros([3]), [2, 2])).toThrow(
      /broadcastTo: shapes \(3,\) and \(2,2\) cannot be broadcast/,
    );
    expect(() => nd.broadcastTo(nd.zeros([2, 1]), [1, 1])).toThrow(
      'broadcastTo: cannot broadcast (2,1) to (1,1)',
    );
  });
  it('copies values exactly along new and size-1 axes, -0 and integers included', () => {
    const col = nd.array([[-0], [3], [Number.NaN]]).broadcastTo([2, 3, 2]);
    expect(col.shape).toEqual([2, 3, 2]);
    expect(Array.from(col.data)).toEqual([-0, -0, 3, 3, NaN, NaN, -0, -0, 3, 3, NaN, NaN]);
    expect(Object.is(col.data[0], -0)).toBe(true);
    const ints = nd.array([7, 8], { dtype: 'int32' }).broadcastTo([3, 2]);
    expect(ints.dtype).toBe('int32');
    expect(Array.from(ints.data)).toEqual([7, 8, 7, 8, 7, 8]);
    expect(Array.from(nd.array([5]).broadcastTo([1, 1, 3]).data)).toEqual([5, 5, 5]);
  });
  it('gradient sums back to the input shape', () => {
    checkGradient((v) => nd.broadcastTo(v, [4, 2, 3]), [normal([2, 1])]);
  });
});

describe('concat and stack', () => {
  const a = nd.array([
    [1, 2],
    [3, 4],
  ]);
  const b = nd.array([[5, 6]]);
  it('concat joins along dim (MXNet default 1), list or varargs form', () => {
    expect(nd.concat([a, b], { dim: 0 }).toArray()).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(nd.concat(a, a).toArray()).toEqual([
      [1, 2, 1, 2],
      [3, 4, 3, 4],
    ]);
    expect(nd.concat(a, b, { axis: -2 }).shape).toEqual([3, 2]);
    expect(nd.concat([nd.zeros([0, 2]), a], { dim: 0 }).shape).toEqual([2, 2]);
    expect(nd.concat([a.astype('int32'), a], { dim: 0 }).dtype).toBe('float32');
  });
  it('concat rejects mismatched shapes and empty lists', () => {
    expect(() => nd.concat(a, b, { dim: 1 })).toThrow('concat: shapes (2,2), (1,2) differ outside axis 1');
    expect(() => nd.concat([])).toThrow('concat: needs at least one array');
  });
  it('stack adds a new axis', () => {
    expect(nd.stack([a, a]).shape).toEqual([2, 2, 2]);
    expect(nd.stack(a, a, { axis: -1 }).toArray()).toEqual([
      [
        [1, 1],
        [2, 2],
      ],
      [
        [3, 3],
        [4, 4],
      ],
    ]);
    expect(() => nd.stack(a, b)).toThrow('stack: all arrays must have the same shape, got (2,2), (1,2)');
  });
  it('gradients', () => {
    checkGradient((p, q) => nd.concat([p, q], { dim: 0 }), [normal([2, 3]), normal([1, 3])]);
    checkGradient((p, q) => nd.concat(p, q, p), [normal([2, 1]), normal([2, 2])]);
    checkGradient((p, q) => nd.stack([p, q], { axis: 1 }), [normal([2, 3]), normal([2, 3])]);
  });
});
