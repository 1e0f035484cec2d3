import { type NDArray, nd } from '@minimx/ndarray';
import { beforeEach, describe, expect, it } from 'vitest';
import { init, nn, Parameter } from './index.js';

beforeEach(() => nn.resetNameCounters());

function stats(a: NDArray) {
  const d = Array.from(a.data);
  const mean = d.reduce((s, v) => s + v, 0) / d.length;
  const std = Math.sqrt(d.reduce((s, v) => s + (v - mean) ** 2, 0) / d.length);
  return { mean, std, min: Math.min(...d), max: Math.max(...d) };
}

function initialized(shape: number[], initializer: init.Initializer, name = 'w_weight') {
  const p = new Parameter(name, { shape });
  p.initialize(initializer);
  return p.data();
}

describe('initializers', () => {
  it('Uniform defaults to U(-0.07, 0.07) and is the default of initialize', () => {
    nd.random.seed(1);
    const s = stats(initialized([200, 100], new init.Uniform()));
    expect(s.min).toBeGreaterThanOrEqual(-0.07);
    expect(s.max).toBeLessThanOrEqual(0.07);
    expect(s.std).toBeCloseTo(0.07 / Math.sqrt(3), 3);
    const p = new Parameter('x_weight', { shape: [100, 100] });
    p.initialize();
    expect(stats(p.data()).max).toBeLessThanOrEqual(0.07);
  });

  it('Normal draws N(0, sigma²)', () => {
    nd.random.seed(2);
    const s = stats(initialized([200, 100], new init.Normal({ sigma: 0.5 })));
    expect(Math.abs(s.mean)).toBeLessThan(0.01);
    expect(s.std).toBeCloseTo(0.5, 2);
  });

  it('Constant, Zero and One fill', () => {
    expect(Array.from(initialized([3], new init.Constant(2.5)).data)).toEqual([2.5, 2.5, 2.5]);
    expect(Array.from(initialized([2], new init.Constant({ value: -1 })).data)).toEqual([-1, -1]);
    expect(Array.from(initialized([2], new init.Zero()).data)).toEqual([0, 0]);
    expect(Array.from(initialized([2], new init.One()).data)).toEqual([1, 1]);
    expect(Array.from(initialized([2], new init.Constant(3), 'dense0_bias').data)).toEqual([3, 3]);
  });

  it('dispatches on names: a block-wide Normal leaves biases at zero, gammas at one', () => {
    expect(Array.from(initialized([3], new init.Normal(), 'dense0_bias').data)).toEqual([0, 0, 0]);
    expect(Array.from(initialized([2], new init.Normal(), 'bn0_gamma').data)).toEqual([1, 1]);
  });

  it('Xavier uses sqrt(magnitude / fan) as MXNet (by hand: 3/((100+50)/2) -> 0.2)', () => {
    nd.random.seed(3);
    const u = stats(initialized([50, 100], new init.Xavier()));
    expect(u.max).toBeLessThanOrEqual(0.2);
    expect(u.min).toBeGreaterThanOrEqual(-0.2);
    expect(u.std).toBeCloseTo(0.2 / Math.sqrt(3), 2);
    // gaussian, factor 'in' with hw = 3·3: scale = sqrt(2 / (16·9))
    const g = stats(
      initialized([64, 16, 3, 3], new init.Xavier({ rndType: 'gaussian', factorType: 'in', magnitude: 2 })),
    );
    expect(g.std).toBeCloseTo(Math.sqrt(2 / 144), 2);
    expect(() => initialized([5], new init.Xavier())).toThrow(
      "init.Xavier: cannot initialize 'w_weight' of shape (5,): it needs at least 2 axes",
    );
    expect(() => new init.Xavier({ factorType: 'mean' as 'avg' })).toThrow(/factorType/);
  });

  it('create accepts names', () => {
    expect(init.create('zeros')).toBeInstanceOf(init.Zero);
    expect(init.create('xavier')).toBeInstanceOf(init.Xavier);
    expect(() => init.create('he' as 'zeros')).toThrow(/unknown initializer "he"/);
    expect(new init.Normal({ sigma: 0.01 }).toString()).toBe('normal(sigma=0.01)');
  });
});
