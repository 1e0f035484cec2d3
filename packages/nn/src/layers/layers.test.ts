import { autograd, nd } from '@minimx/ndarray';
import { beforeEach, describe, expect, it } from 'vitest';
import { nn } from '../index.js';
import { checkGradients, expectClose } from '../test-helpers.js';

beforeEach(() => nn.resetNameCounters());

describe('Activation', () => {
  it('computes relu, sigmoid, tanh, softrelu and softsign (values by hand)', () => {
    const x = nd.array([-2, 0, 1.5], { dtype: 'float64' });
    const act = (t: nn.ActivationType) => new nn.Activation(t).forward(x);
    expectClose(act('relu'), [0, 0, 1.5]);
    expectClose(act('sigmoid'), [1 / (1 + Math.exp(2)), 0.5, 1 / (1 + Math.exp(-1.5))], 1e-12);
    expectClose(act('tanh'), [Math.tanh(-2), 0, Math.tanh(1.5)], 1e-12);
    expectClose(act('softrelu'), [Math.log1p(Math.exp(-2)), Math.log(2), Math.log1p(Math.exp(1.5))], 1e-12);
    expectClose(act('softsign'), [-2 / 3, 0, 0.6], 1e-12);
    expect(new nn.Activation('relu').toString()).toBe('Activation(relu)');
    expect(() => new nn.Activation('gelu' as 'relu')).toThrow(
      /unknown activation "gelu"; expected one of relu/,
    );
  });

  it('passes numerical gradient checks (away from the relu kink)', () => {
    for (const t of ['relu', 'sigmoid', 'tanh', 'softrelu', 'softsign'] as const) {
      const x = nd.array([-2, -0.5, 0.7, 1.5], { dtype: 'float64' });
      const layer = new nn.Activation(t);
      checkGradients(
        () =>
          layer
            .forward(x)
            .mul(nd.array([1, 2, -1, 0.5], { dtype: 'float64' }))
            .sum(),
        [x],
      );
    }
  });
});

describe('Dropout', () => {
  it('is the identity outside training and in predict mode', () => {
    const x = nd.ones([4, 5]);
    const d = new nn.Dropout(0.5);
    expect(d.forward(x)).toBe(x);
    expect(autograd.record(() => d.forward(x), { trainMode: false })).toBe(x);
  });

  it('zeroes about rate of the elements in training and scales the rest by 1/(1-rate)', () => {
    nd.random.seed(5);
    const x = nd.ones([100, 100]);
    const y = autograd.record(() => new nn.Dropout(0.3).forward(x));
    const values = new Set(Array.from(y.data).map((v) => Math.fround(v)));
    expect([...values].sort()).toEqual([0, Math.fround(1 / 0.7)].sort());
    const zeros = Array.from(y.data).filter((v) => v === 0).length / y.size;
    expect(Math.abs(zeros - 0.3)).toBeLessThan(0.03);
    expect(Math.abs(y.mean().asScalar() - 1)).toBeLessThan(0.05);
  });

  it('passes the gradient through the kept elements only, and is repeatable under a seed', () => {
    const x = nd.random.normal({ shape: [3, 4] });
    x.attachGrad();
    nd.random.seed(9);
    const y = autograd.record(() => new nn.Dropout(0.5).forward(x));
    nd.random.seed(9);
    autograd.record(() => new nn.Dropout(0.5).forward(x).sum()).backward();
    Array.from(x.grad!.data).forEach((g, i) => {
      expect(g).toBeCloseTo(y.data[i] === 0 ? 0 : 2, 6);
    });
  });

  it('validates the rate', () => {
    expect(() => new nn.Dropout(1)).toThrow('Dropout: rate must be in [0, 1), got 1');
    expect(() => new nn.Dropout(-0.1)).toThrow(/rate/);
    const x = nd.ones([2]);
    expect(autograd.record(() => new nn.Dropout(0).forward(x))).toBe(x);
  });
});

describe('Flatten', () => {
  it('collapses all axes but the first and keeps gradients', () => {
    const x = nd.random.normal({ shape: [2, 1, 3, 4], dtype: 'float64' });
    const f = new nn.Flatten();
    expect(f.forward(x).shape).toEqual([2, 12]);
    expect(f.toString()).toBe('Flatten');
    checkGradients(() => f.forward(x).square().sum(), [x]);
  });
});
