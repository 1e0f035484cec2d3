// Tests of indexing: pick, take, get/slice/sliceAxis (reading regions) and set (in-place assignment).
import { describe, expect, it } from 'vitest';
import { autograd, nd, testing } from '../index.js';

const { checkGradient } = testing;
const normal = (shape: number[]) => nd.random.normal({ shape });
const grid = () => nd.arange(12).reshape(3, 4); // [[0 1 2 3] [4 5 6 7] [8 9 10 11]]

describe('pick (MXNet semantics)', () => {
  const data = nd.array([
    [1, 2],
    [3, 4],
    [5, 6],
  ]);
  it('picks along the last axis by default, clips out-of-range indices', () => {
    expect(nd.pick(data, nd.array([0, 1, 0])).toArray()).toEqual([1, 4, 5]);
    expect(nd.pick(data, nd.array([5, -3, 1], { dtype: 'int32' })).toArray()).toEqual([2, 3, 6]);
    expect(data.pick(nd.array([1, 0]), { axis: 0 }).toArray()).toEqual([3, 2]);
    expect(nd.pick(data, nd.array([0, 1, 0]), { keepdims: true }).shape).toEqual([3, 1]);
    expect(nd.pick(data, nd.array([2, 3, -1]), { mode: 'wrap' }).toArray()).toEqual([1, 4, 6]);
  });
  it('size-1 axes, empty batches and 1-D data', () => {
    expect(nd.pick(nd.array([[7], [8]]), nd.array([0, 3])).toArray()).toEqual([7, 8]);
    expect(nd.pick(nd.zeros([0, 3]), nd.zeros([0])).shape).toEqual([0]);
    expect(nd.pick(nd.array([4, 5, 6]), nd.array([2])).toArray()).toEqual([6]);
  });
  it('rejects bad index shapes and non-integer indices', () => {
    expect(() => nd.pick(data, nd.array([0, 1]))).toThrow(
      /pick: index of shape \(2,\) does not match data \(3,2\)/,
    );
    expect(() => nd.pick(data, nd.array([0.5, 1, 0]))).toThrow(
      'pick: index 0.5 at position 0 is not an integer',
    );
    expect(() => nd.pick(data, nd.array([0, 1, 0]), { axis: 2 })).toThrow(/pick: axis 2 is out of range/);
  });
  it('gradient scatters back (clipped indices too)', () => {
    checkGradient((x) => nd.pick(x, nd.array([0, 2, 1])), [normal([3, 3])]);
    checkGradient((x) => nd.pick(x, nd.array([[1, 0]]), { axis: 1, keepdims: true }), [normal([1, 2, 2])]);
  });
});

describe('take', () => {
  it('takes rows (axis 0 default) and columns; result shape follows the indices', () => {
    const x = grid();
    expect(nd.take(x, nd.array([2, 0])).toArray()).toEqual([
      [8, 9, 10, 11],
      [0, 1, 2, 3],
    ]);
    expect(x.take(nd.array([[1], [3]]), { axis: 1 }).shape).toEqual([3, 2, 1]);
    expect(
      x
        .take(nd.array([5, -1]), { axis: 0 })
        .get(':, 0')
        .toArray(),
    ).toEqual([8, 0]);
    expect(
      x
        .take(nd.array([4]), { mode: 'wrap' })
        .get(':, 0')
        .toArray(),
    ).toEqual([4]);
    expect(() => x.take(nd.array([3]), { mode: 'raise' })).toThrow(
      'take: index 3 is out of range for an axis of length 3',
    );
  });
  it('empty indices and size-1 axes', () => {
    expect(nd.take(grid(), nd.zeros([0])).shape).toEqual([0, 4]);
    expect(nd.take(nd.array([[1], [2]]), nd.array([0, 0]), { axis: 1 }).toArray()).toEqual([
      [1, 1],
      [2, 2],
    ]);
    expect(() => nd.take(grid(), nd.array([0]), { axis: 2 })).toThrow(/take: axis 2 is out of range/);
  });
  it('gradient adds repeated indices', () => {
    checkGradient((x) => nd.take(x, nd.array([1, 1, 0])), [normal([3, 2])]);
    checkGradient((x) => nd.take(x, nd.array([[0, 2]]), { axis: -1 }), [normal([2, 3])]);
  });
});

describe('get and slice (reading)', () => {
  it("row slices like Python's x[1:3], negative and stepped", () => {
    const x = grid();
    expect(x.slice(1, 3).toArray()).toEqual([
      [4, 5, 6, 7],
      [8, 9, 10, 11],
    ]);
    expect(x.get('1:3').toArray()).toEqual(x.slice(1, 3).toArray());
    expect(x.get('-1').toArray()).toEqual([8, 9, 10, 11]);
    expect(x.get('::2, ::-1').toArray()).toEqual([
      [3, 2, 1, 0],
      [11, 10, 9, 8],
    ]);
    expect(x.get(':, 2:6').toArray()).toEqual([
      [2, 3],
      [6, 7],
      [10, 11],
    ]);
    expect(x.get('5:').shape).toEqual([0, 4]);
  });
  it('integers drop axes; all integers give (1,) as MXNet', () => {
    const x = grid();
    expect(x.get('1, 2').toArray()).toEqual([6]);
    expect(x.get([1, 2]).shape).toEqual([1]);
    expect(x.get(1).toArray()).toEqual([4, 5, 6, 7]);
    expect(x.get([null, [1, 3]]).toArray()).toEqual([
      [1, 2],
      [5, 6],
      [9, 10],
    ]);
    expect(x.get([1, [null, null, 2]]).toArray()).toEqual([4, 6]);
    expect(nd.arange(24).reshape(2, 3, 4).get('..., 1').shape).toEqual([2, 3]);
  });
  it('returns a copy', () => {
    const x = grid();
    const row = x.get('0');
    row.data[0] = 99;
    expect(x.data[0]).toBe(0);
  });
  it('slice with per-axis lists (MXNet nd.slice) and sliceAxis', () => {
    const x = grid();
    expect(nd.slice(x, [0, 1], [2, null]).toArray()).toEqual([
      [1, 2, 3],
      [5, 6, 7],
    ]);
    expect(nd.slice(x, [null, null], [null, null], [-1, 2]).get(':, 0').toArray()).toEqual([8, 4, 0]);
    expect(nd.sliceAxis(x, 1, 2, null).shape).toEqual([3, 2]);
    expect(x.sliceAxis(-2, -2, -1).toArray()).toEqual([[4, 5, 6, 7]]);
  });
  it('rejects bad indices naming the op and values', () => {
    const x = grid();
    expect(() => x.get('3')).toThrow('get: index 3 is out of range for axis 0 of length 3 (shape (3,4))');
    expect(() => x.get('0, 0, 0')).toThrow('get: too many indices (3) for an array of shape (3,4)');
    expect(() => x.get('::0')).toThrow('get: slice step cannot be zero');
    expect(() => x.get('a:b')).toThrow("get: cannot parse 'a' in index 'a:b'");
    expect(() => x.get([1.5])).toThrow('get: index 1.5 on axis 0 is not an integer');
    expect(() => nd.slice(x, [0], [1, 2])).toThrow(/slice: begin \[0\], end \[1, 2\]/);
  });
  it('gradient scatters into the region', () => {
    checkGradient((x) => x.get('1:, ::-2'), [normal([3, 4])]);
    checkGradient((x) => x.get('0, 1:3'), [normal([2, 4])]);
    checkGradient((x) => x.slice(0, 1).add(x.get('1:2')), [normal([2, 3])]);
  });
});

describe('set (in-place assignment)', () => {
  it('x[1, 2] = 9, x[:, 2:6] = 0, param[:] = value', () => {
    const x = grid();
    x.set('1, 2', 9);
    expect(x.get('1').toArray()).toEqual([4, 5, 9, 7]);
    x.set(':, 2:6', 0);
    expect(x.toArray()).toEqual([
      [0, 1, 0, 0],
      [4, 5, 0, 0],
      [8, 9, 0, 0],
    ]);
    x.set(nd.array([1, 2, 3, 4]));
    expect(x.get('2').toArray()).toEqual([1, 2, 3, 4]);
    x.set(7);
    expect(x.sum().asScalar()).toBe(84);
  });
  it('broadcasts arrays into the region, steps and negative indices', () => {
    const x = nd.zeros([3, 4]);
    x.set([null, [null, null, 2]], nd.array([[1], [2], [3]]));
    expect(x.toArray()).toEqual([
      [1, 0, 1, 0],
      [2, 0, 2, 0],
      [3, 0, 3, 0],
    ]);
    x.set('-1', nd.array([5, 6, 7, 8]));
    expect(x.get('2').toArray()).toEqual([5, 6, 7, 8]);
  });
  it('handles assigning an overlapping view of itself', () => {
    const x = nd.arange(4);
    x.set('1:', x.reshape(4).get('0:3'));
    expect(x.toArray()).toEqual([0, 0, 1, 2]);
    const y = nd.arange(4);
    y.set(y.reshape(2, 2).T.reshape(4));
    expect(y.toArray()).toEqual([0, 2, 1, 3]);
  });
  it('casts to the target dtype', () => {
    const x = nd.zeros([2], { dtype: 'int32' });
    x.set(nd.array([1.7, -2.7]));
    expect(x.toArray()).toEqual([1, -2]);
  });
  it('rejects shapes that do not fit and writes during recording', () => {
    const x = nd.zeros([2, 3]);
    expect(() => x.set(':, 0', nd.zeros([3]))).toThrow(
      'set: shapes (3,) and (2,) cannot be broadcast together',
    );
    expect(() => x.set(nd.zeros([3, 3]))).toThrow(/set: shapes \(3,3\) and \(2,3\)/);
    // same size, other shape: must not be copied element by element
    expect(() => x.set(nd.zeros([3, 2]))).toThrow('set: shapes (3,2) and (2,3) cannot be broadcast together');
    const w = nd.zeros([2]);
    w.attachGrad();
    expect(() => autograd.record(() => w.set(1))).toThrow(
      /set: Inplace operations \(\+=, -=, x\[:\]=, etc\) are not supported when recording with autograd \(the target of shape \(2,\) is a variable\)/,
    );
  });
});
