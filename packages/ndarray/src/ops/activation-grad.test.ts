// Tests of the fused sigmoid gradient: values against the composite dy·y(1-y), errors, dtypes, and
// numerical checks of its own rule (first order) and of the sigmoid's second and third derivatives.
import { describe, expect, it } from 'vitest';
import { autograd, type NDArray, nd, testing } from '../index.js';
import { sigmoidBackward } from './activation-grad.js';

const { assertAllClose, checkGradient } = testing;

describe('sigmoidBackward', () => {
  it('is dy · y · (1 - y), by hand and against the composite', () => {
    const y = nd.array([0, 0.25, 0.5, 1]);
    const dy = nd.array([1, 2, -4, 3]);
    expect(sigmoidBackward(y, dy).toArray()).toEqual([0, 0.375, -1, 0]);
    const x = nd.random.normal({ shape: [3, 301] }).sigmoid();
    const g = nd.random.normal({ shape: [3, 301] });
    assertAllClose(sigmoidBackward(x, g), g.mul(x.mul(x.neg().add(1))), { rtol: 1e-6, atol: 1e-7 });
  });

  it('keeps float64, widens mixed dtypes and gives float32 for integers', () => {
    const y64 = nd.array([0.5], { dtype: 'float64' });
    expect(sigmoidBackward(y64, nd.array([1])).dtype).toBe('float64');
    expect(sigmoidBackward(nd.array([0.5]), nd.array([1])).dtype).toBe('float32');
    expect(sigmoidBackward(nd.array([0], { dtype: 'int32' }), nd.array([1], { dtype: 'int32' })).dtype).toBe(
      'float32',
    );
  });

  it('refuses operands of different shapes, naming both', () => {
    expect(() => sigmoidBackward(nd.zeros([2, 3]), nd.zeros([3]))).toThrow(
      'sigmoidBackward: y has shape (2,3) but dy has shape (3,)',
    );
  });

  it('has a gradient in both inputs (first order)', () => {
    const y = nd.random.uniform({ low: 0.05, high: 0.95, shape: [3, 4] });
    const dy = nd.random.normal({ shape: [3, 4] });
    checkGradient((a, b) => sigmoidBackward(a, b), [y, dy]);
  });

  it("gives the sigmoid's second and third derivatives", () => {
    const x = nd.random.normal({ shape: [2, 5] });
    const grad = (v: NDArray) =>
      autograd.grad(
        autograd.record(() => v.sigmoid().sum()),
        [v],
        { createGraph: true },
      )[0];
    // first order through the fused rule, then gradients of the gradient (d²σ and d³σ)
    checkGradient((v) => grad(v), [x]);
    checkGradient(
      (v) =>
        autograd.grad(
          autograd.record(() => grad(v).sum()),
          [v],
          { createGraph: true },
        )[0],
      [x],
    );
    // σ'' = σ'(1 - 2σ) by hand
    const s = nd.array([0.3], { dtype: 'float64' });
    s.attachGrad();
    const d2 = autograd.grad(
      autograd.record(() => grad(s).sum()),
      [s],
    )[0];
    const v = 1 / (1 + Math.exp(-0.3));
    expect(d2.data[0]).toBeCloseTo(v * (1 - v) * (1 - 2 * v), 12);
  });
});
