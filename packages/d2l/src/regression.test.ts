/**
 * Tests of the 3.2 helpers on hand-made data: `sgd` divides by the batch size, in place, and
 * refuses a parameter without a gradient; `squaredLoss` is per sample with y reshaped; `linreg`
 * is Xw + b.
 */
import { autograd, nd } from '@minimx/ndarray';
import { describe, expect, it } from 'vitest';
import * as d2l from './index.js';

describe('linreg, squaredLoss, sgd', () => {
  it('sgd: param -= lr * grad / batchSize, in place', () => {
    const w = nd.array([1, 2]);
    w.attachGrad();
    autograd.record(() => w.mul(nd.array([3, 4])).sum()).backward(); // grad = [3, 4]
    const data = w.data;
    d2l.sgd([w], 0.5, 2);
    expect(Array.from(w.data)).toEqual([1 - (0.5 * 3) / 2, 2 - (0.5 * 4) / 2]);
    expect(w.data).toBe(data);
  });

  it('sgd names a parameter without a gradient', () => {
    expect(() => d2l.sgd([nd.zeros([2, 3])], 0.1, 1)).toThrow(
      /sgd: a parameter of shape \(2,3\) has no gradient/,
    );
  });

  it('squaredLoss is (yHat - y)^2 / 2 per sample, y reshaped like yHat', () => {
    const l = d2l.squaredLoss(nd.array([[1], [3]]), nd.array([2, 0]));
    expect(l.shape).toEqual([2, 1]);
    expect(Array.from(l.data)).toEqual([0.5, 4.5]);
  });

  it('linreg is X·w + b', () => {
    const y = d2l.linreg(
      nd.array([
        [1, 2],
        [3, 4],
      ]),
      nd.array([[1], [-1]]),
      nd.array([0.5]),
    );
    expect(y.shape).toEqual([2, 1]);
    expect(Array.from(y.data)).toEqual([-0.5, -0.5]);
  });
});
