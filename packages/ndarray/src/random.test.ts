// Tests of nd.random: seeding makes runs repeatable, distributions have the right moments and ranges.
import { describe, expect, it } from 'vitest';
import { nd } from './index.js';

describe('nd.random', () => {
  it('seed makes draws repeatable across every sampler', () => {
    const draw = () => [
      nd.random.normal({ shape: [5] }).toArray(),
      nd.random.uniform({ low: -1, high: 1, shape: [2, 2] }).toArray(),
      nd.random.randint(0, 10, { shape: [4] }).toArray(),
      Array.from(nd.random.shuffleIndices(6)),
    ];
    nd.random.seed(123);
    const a = draw();
    nd.random.seed(123);
    expect(draw()).toEqual(a);
    nd.random.seed(124);
    expect(draw()).not.toEqual(a);
  });
  it('normal has the requested mean and scale', () => {
    nd.random.seed(1);
    const x = nd.random.normal({ loc: 2, scale: 0.5, shape: [20000] });
    expect(x.dtype).toBe('float32');
    expect(Math.abs(x.mean().asScalar() - 2)).toBeLessThan(0.02);
    const sd = Math.sqrt(x.sub(2).square().mean().asScalar());
    expect(Math.abs(sd - 0.5)).toBeLessThan(0.02);
    expect(nd.random.normal({ scale: 0.01, shape: [784, 10] }).shape).toEqual([784, 10]);
    expect(nd.random.normal().shape).toEqual([1]);
  });
  it('uniform stays in [low, high) with the right mean', () => {
    nd.random.seed(2);
    const u = nd.random.uniform({ low: -0.07, high: 0.07, shape: [10000], dtype: 'float64' });
    expect(u.dtype).toBe('float64');
    expect(u.min().asScalar()).toBeGreaterThanOrEqual(-0.07);
    expect(u.max().asScalar()).toBeLessThan(0.07);
    expect(Math.abs(u.mean().asScalar())).toBeLessThan(0.003);
  });
  it('randint, shuffle and shuffleIndices', () => {
    const r = nd.random.randint(3, 5, { shape: [100] });
    expect(r.dtype).toBe('int32');
    expect(r.min().asScalar()).toBe(3);
    expect(r.max().asScalar()).toBe(4);
    const p = Array.from(nd.random.shuffleIndices(10)).sort((a, b) => a - b);
    expect(p).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const rows = nd.random.shuffle(nd.arange(6).reshape(3, 2));
    expect(rows.get(':, 1').sub(rows.get(':, 0')).toArray()).toEqual([1, 1, 1]);
    expect(rows.sum().asScalar()).toBe(15);
  });
  it('rejects bad arguments naming the sampler', () => {
    expect(() => nd.random.seed(1.5)).toThrow('random.seed: seed must be an integer, got 1.5');
    expect(() => nd.random.normal({ scale: -1 })).toThrow('random.normal: scale must be >= 0, got -1');
    expect(() => nd.random.uniform({ low: 1, high: 0 })).toThrow(
      /random.uniform: high \(0\) must be >= low \(1\)/,
    );
    expect(() => nd.random.uniform({ dtype: 'int32' })).toThrow(
      /random.uniform: dtype must be float32 or float64/,
    );
    expect(() => nd.random.randint(5, 5)).toThrow(/random.randint: need integers low < high/);
  });
  it("accepts MXNet's positional form (loc, scale, shape) / (low, high, shape)", () => {
    nd.random.seed(5);
    const a = nd.random.normal(0, 1, [3, 4]);
    nd.random.seed(5);
    expect(nd.random.normal({ loc: 0, scale: 1, shape: [3, 4] }).toArray()).toEqual(a.toArray());
    expect(nd.random.normal(2).shape).toEqual([1]);
    const u = nd.random.uniform(0, 1, [2, 8], { dtype: 'float64' });
    expect(u.shape).toEqual([2, 8]);
    expect(u.dtype).toBe('float64');
    expect(nd.random.uniform(5, 6, 3).min().asScalar()).toBeGreaterThanOrEqual(5);
  });
  it('multinomial draws categories in proportion to the probabilities', () => {
    nd.random.seed(3);
    const rolls = nd.random.multinomial(nd.array([0.2, 0, 0.8]), { shape: 5000 });
    expect(rolls.shape).toEqual([5000]);
    expect(rolls.dtype).toBe('int32');
    expect(rolls.equal(1).sum().asScalar()).toBe(0);
    expect(Math.abs(rolls.equal(2).mean().asScalar() - 0.8)).toBeLessThan(0.03);
    expect(nd.random.multinomial(nd.ones([6]).div(6)).shape).toEqual([1]);
    expect(
      nd.random
        .multinomial(
          nd.array([
            [1, 0],
            [0, 1],
          ]),
          { shape: [2] },
        )
        .toArray(),
    ).toEqual([
      [0, 0],
      [1, 1],
    ]);
    expect(() => nd.random.multinomial(nd.array([0.5, -1]))).toThrow(
      /random.multinomial: probabilities must be >= 0, got -1/,
    );
  });
});
