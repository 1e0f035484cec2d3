// Tests of the testing helpers themselves: assertAllClose messages and checkGradient catching a wrong rule.
import { describe, expect, it } from 'vitest';
import { autograd, type NDArray, nd, testing } from '../index.js';

describe('assertAllClose', () => {
  it('accepts NDArrays, nested arrays and numbers; NaN matches NaN', () => {
    testing.assertAllClose(nd.array([1, 2]), [1, 2.000001]);
    testing.assertAllClose(nd.array([[NaN, Infinity]]), [[NaN, Infinity]]);
    testing.assertAllClose(nd.ones([2, 2]), 1);
    testing.assertAllClose(0.1 + 0.2, 0.3);
  });
  it('matches infinities exactly, as NumPy: a finite value or the other infinity is refused', () => {
    expect(() => testing.assertAllClose(nd.array([0]), [Infinity])).toThrow(/actual 0, expected Infinity/);
    expect(() => testing.assertAllClose(nd.array([1, -Infinity]), [1, Infinity])).toThrow(
      /1 of 2 elements differ/,
    );
    expect(() => testing.assertAllClose(nd.array([Infinity]), [1e300], { rtol: 1 })).toThrow(
      /expected 1e\+300/,
    );
    expect(() => testing.assertAllClose(nd.array([5]), -Infinity)).toThrow(/expected -Infinity/);
    expect(() => testing.assertAllClose(nd.array([NaN]), [1], { atol: Infinity })).toThrow(/actual NaN/);
    testing.assertAllClose(nd.array([-Infinity, 2]), [-Infinity, 2]);
  });
  it('names the worst element and its index', () => {
    expect(() =>
      testing.assertAllClose(
        nd.array([
          [1, 2],
          [3, 4],
        ]),
        [
          [1, 2],
          [3.5, 4.1],
        ],
      ),
    ).toThrow(
      /assertAllClose: 2 of 4 elements differ \(rtol=0.00001, atol=0.000001\); worst at \[1, 0\]: actual 3, expected 3.5/,
    );
    expect(() => testing.assertAllClose(nd.zeros([2]), [0, 0, 0])).toThrow(
      'assertAllClose: shape (2,) does not match expected (3,)',
    );
    expect(() => testing.assertAllClose(nd.array([1]), [1.1], { rtol: 0.2 })).not.toThrow();
  });
});

describe('checkGradient', () => {
  it('passes a correct rule and catches a wrong one', () => {
    testing.checkGradient((x) => x.square(), [nd.array([1, -2])]);
    class WrongSquare extends autograd.Function {
      forward(x: NDArray) {
        this.saveForBackward(x);
        return x.square();
      }
      backward(dy: NDArray) {
        return dy.mul(this.saved[0]); // should be 2x
      }
    }
    expect(() => testing.checkGradient((x) => new WrongSquare().apply(x), [nd.array([1, -2])])).toThrow(
      /checkGradient: input 0 \(2,\): assertAllClose/,
    );
  });
  it('insists on float64 outputs', () => {
    expect(() => testing.checkGradient((x) => x.astype('float32'), [nd.array([1])])).toThrow(
      'checkGradient: fn returned dtype float32; ops on float64 inputs must stay float64',
    );
  });
});
