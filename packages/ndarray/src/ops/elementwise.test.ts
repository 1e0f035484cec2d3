// Tests of element-wise ops: values, broadcasting, scalars, dtypes, IEEE behaviour, errors, gradients.
import { describe, expect, it } from 'vitest';
import { nd, testing } from '../index.js';

const { assertAllClose, checkGradient } = testing;
const normal = (shape: number[]) => nd.random.normal({ shape });
const positive = (shape: number[]) => nd.random.uniform({ low: 0.5, high: 2, shape });

describe('binary arithmetic with broadcasting', () => {
  const a = nd.array([
    [1, 2, 3],
    [4, 5, 6],
  ]);
  const b = nd.array([10, 20, 30]);
  it('add, sub, mul, div, pow by hand', () => {
    expect(a.add(b).toArray()).toEqual([
      [11, 22, 33],
      [14, 25, 36],
    ]);
    expect(nd.subtract(a, nd.array([[1], [2]])).toArray()).toEqual([
      [0, 1, 2],
      [2, 3, 4],
    ]);
    expect(a.mul(2).toArray()).toEqual([
      [2, 4, 6],
      [8, 10, 12],
    ]);
    expect(nd.divide(6, nd.array([1, 2, 3])).toArray()).toEqual([6, 3, 2]);
    expect(a.pow(2).toArray()).toEqual([
      [1, 4, 9],
      [16, 25, 36],
    ]);
    expect(nd.power(2, nd.array([0, 1, 3])).toArray()).toEqual([1, 2, 8]);
  });
  it('maximum and minimum, with scalars', () => {
    expect(nd.maximum(nd.array([-1, 2]), 0).toArray()).toEqual([0, 2]);
    expect(
      nd
        .array([-1, 2])
        .minimum(nd.array([[0], [3]]))
        .toArray(),
    ).toEqual([
      [-1, 0],
      [-1, 2],
    ]);
  });
  it('broadcasts (3,1) with (1,4), size-1 and empty axes', () => {
    expect(nd.ones([3, 1]).add(nd.ones([1, 4])).shape).toEqual([3, 4]);
    expect(nd.zeros([0, 3]).add(nd.ones([3])).shape).toEqual([0, 3]);
    expect(nd.zeros([2, 1, 3]).mul(nd.zeros([4, 1])).shape).toEqual([2, 4, 3]);
  });
  it('rejects incompatible shapes naming the op and both shapes', () => {
    expect(() => nd.zeros([2, 3]).add(nd.zeros([2]))).toThrow(
      'add: shapes (2,3) and (2,) cannot be broadcast together',
    );
    expect(() => nd.multiply(nd.zeros([4]), nd.zeros([3]))).toThrow(/mul: shapes \(4,\) and \(3,\)/);
    // @ts-expect-error a string is not an operand
    expect(() => nd.add(nd.zeros([1]), 'x')).toThrow(/add: expected an NDArray or a number, got string/);
  });
  it('promotes dtypes; integer division gives float32; scalars keep the array dtype', () => {
    const i = nd.array([1, 2], { dtype: 'int32' });
    expect(i.add(nd.array([0.5, 0.5])).dtype).toBe('float32');
    expect(i.add(1).dtype).toBe('int32');
    expect(i.div(2).toArray()).toEqual([0.5, 1]);
    expect(nd.array([1], { dtype: 'float64' }).add(nd.array([1])).dtype).toBe('float64');
    expect(nd.array([1], { dtype: 'uint8' }).add(nd.array([1], { dtype: 'int32' })).dtype).toBe('int32');
  });
  it('follows IEEE for NaN and Infinity', () => {
    const x = nd.array([1, 0, -1, NaN]).div(0);
    expect(Array.from(x.data)).toEqual([Infinity, NaN, -Infinity, NaN]);
    expect(Array.from(nd.maximum(nd.array([NaN, 1]), 0).data)).toEqual([NaN, 1]);
    expect(Array.from(nd.array([Infinity]).sub(Infinity).data)).toEqual([NaN]);
  });
});

describe('comparisons return float32 0/1', () => {
  it('all six, broadcasting and on int inputs', () => {
    const x = nd.array([1, 2, 3], { dtype: 'int32' });
    expect(x.equal(2).toArray()).toEqual([0, 1, 0]);
    expect(x.equal(2).dtype).toBe('float32');
    expect(x.notEqual(2).toArray()).toEqual([1, 0, 1]);
    expect(x.greater(2).toArray()).toEqual([0, 0, 1]);
    expect(x.greaterEqual(2).toArray()).toEqual([0, 1, 1]);
    expect(x.less(2).toArray()).toEqual([1, 0, 0]);
    expect(x.lessEqual(2).toArray()).toEqual([1, 1, 0]);
    expect(nd.equal(nd.array([[1], [2]]), nd.array([1, 2])).toArray()).toEqual([
      [1, 0],
      [0, 1],
    ]);
    expect(nd.array([NaN]).equal(NaN).toArray()).toEqual([0]);
  });
});

describe('unary ops', () => {
  it('values by hand and PyTorch', () => {
    const x = nd.array([-2, -0.5, 0, 1.5]);
    expect(x.neg().toArray()).toEqual([2, 0.5, -0, -1.5]);
    expect(x.abs().toArray()).toEqual([2, 0.5, 0, 1.5]);
    expect(x.square().toArray()).toEqual([4, 0.25, 0, 2.25]);
    expect(x.relu().toArray()).toEqual([0, 0, 0, 1.5]);
    expect(x.sign().toArray()).toEqual([-1, -1, 0, 1]);
    expect(nd.array([-2.5, -0.5, 0.5, 1.5]).round().toArray()).toEqual([-3, -1, 1, 2]);
    expect(nd.array([-1.5, 1.5]).floor().toArray()).toEqual([-2, 1]);
    assertAllClose(nd.array([4, 9]).sqrt(), [2, 3]);
    assertAllClose(nd.array([0, 1]).exp(), [1, Math.E]);
    assertAllClose(nd.array([1, Math.E]).log(), [0, 1]);
    assertAllClose(nd.array([2, 4]).reciprocal(), [0.5, 0.25]);
    // torch.sigmoid(tensor([1., 2., 3.])), torch.tanh(tensor([-1., 0.5]))
    assertAllClose(
      nd.array([1, 2, 3]).sigmoid(),
      [0.7310585975646973, 0.8807970285415649, 0.9525741338729858],
    );
    assertAllClose(nd.array([-1, 0.5]).tanh(), [-0.7615941762924194, 0.46211716532707214]);
    assertAllClose(nd.softrelu(nd.array([0, 100])), [Math.LN2, 100]);
  });
  it('sigmoid is stable for large |x|; log(0) is -Infinity; sqrt(-1) is NaN', () => {
    expect(nd.array([-1000, 1000]).sigmoid().toArray()).toEqual([0, 1]);
    expect(nd.array([0]).log().toArray()).toEqual([-Infinity]);
    expect(Number.isNaN(nd.array([-1]).sqrt().data[0])).toBe(true);
  });
  it('integer inputs: exp gives float32, neg/abs keep int32', () => {
    const i = nd.array([1, -2], { dtype: 'int32' });
    expect(i.exp().dtype).toBe('float32');
    expect(i.neg().dtype).toBe('int32');
    expect(i.abs().toArray()).toEqual([1, 2]);
  });
  it('empty arrays pass through', () => {
    expect(nd.zeros([0, 2]).exp().shape).toEqual([0, 2]);
  });
});

describe('clip and where', () => {
  it('clip limits values and checks its bounds', () => {
    expect(nd.array([-2, 0.5, 3]).clip(0, 1).toArray()).toEqual([0, 0.5, 1]);
    expect(() => nd.clip(nd.zeros([1]), 2, 1)).toThrow(/clip: need numbers min <= max, got 2 and 1/);
  });
  it('where selects with broadcasting and scalars', () => {
    const c = nd.array([1, 0, 1]);
    expect(nd.where(c, nd.array([1, 2, 3]), nd.array([10, 20, 30])).toArray()).toEqual([1, 20, 3]);
    expect(nd.where(nd.array([[1], [0]]), nd.array([1, 2]), 0).toArray()).toEqual([
      [1, 2],
      [0, 0],
    ]);
    expect(() => nd.where(nd.zeros([2]), nd.zeros([3]), 0)).toThrow(/where: shapes \(2,\) and \(3,\)/);
  });
});

describe('gradients (float64 central differences)', () => {
  it('add, sub, mul, div with broadcasting', () => {
    checkGradient((a, b) => a.add(b), [normal([2, 3]), normal([3])]);
    checkGradient((a, b) => a.sub(b), [normal([2, 1]), normal([1, 3])]);
    checkGradient((a, b) => a.mul(b), [normal([2, 3]), normal([2, 1])]);
    checkGradient((a, b) => a.div(b), [normal([3]), positive([2, 3])]);
  });
  it('pow in both arguments, with a scalar exponent', () => {
    checkGradient((a, b) => a.pow(b), [positive([2, 3]), normal([3])]);
    checkGradient((a) => a.pow(3), [normal([4])]);
    checkGradient((b) => nd.power(2, b), [normal([4])]);
  });
  it('maximum and minimum away from ties', () => {
    const a = nd.array([1, -1, 3, 0.5]);
    const b = nd.array([0, 2, 1, 0.2]);
    checkGradient((x, y) => x.maximum(y), [a, b]);
    checkGradient((x, y) => x.minimum(y), [a, b]);
  });
  it('every differentiable unary op', () => {
    const x = nd.array([
      [-1.3, -0.4, 0.7],
      [1.9, 0.2, -2.2],
    ]);
    const p = positive([2, 3]);
    checkGradient((v) => v.neg(), [x]);
    checkGradient((v) => v.exp(), [x]);
    checkGradient((v) => v.log(), [p]);
    checkGradient((v) => v.abs(), [x]);
    checkGradient((v) => v.sqrt(), [p]);
    checkGradient((v) => v.square(), [x]);
    checkGradient((v) => v.relu(), [x]);
    checkGradient((v) => v.sigmoid(), [x]);
    checkGradient((v) => v.tanh(), [x]);
    checkGradient((v) => nd.softrelu(v), [x]);
    checkGradient((v) => v.reciprocal(), [p]);
    checkGradient((v) => v.sign().add(v.floor()).add(v.round()).add(v), [x]);
  });
  it('clip and where', () => {
    checkGradient((v) => v.clip(-1, 1), [nd.array([-1.5, -0.3, 0.4, 2])]);
    const c = nd.array([1, 0, 1]);
    checkGradient((a, b) => nd.where(c, a, b), [normal([3]), normal([2, 3])]);
  });
  it('a value used twice accumulates both paths', () => {
    checkGradient((v) => v.mul(v).add(v.exp()), [normal([3])]);
  });
});
