// expForFloat32 must give the float32 results Math.exp gives: checked on a dense, evenly spread
// sample of float32 bit patterns over the whole range where e^x is neither 0 nor Infinity in
// float32, at the edges of that range, and on IEEE special values.
import { describe, expect, it } from 'vitest';
import { nd } from '../../index.js';
import { expForFloat32 } from './exp-float32.js';

const reference = (x: number) => Math.fround(Math.exp(x));

describe('expForFloat32', () => {
  it('rounds to the same float32 as Math.exp on 2.2 million float32 inputs in [-110, 90]', () => {
    const f32 = new Float32Array(1);
    const bits = new Uint32Array(f32.buffer);
    let checked = 0;
    const mismatches: number[] = [];
    for (let pattern = 0; pattern < 2 ** 32; pattern += 997) {
      bits[0] = pattern;
      const x = f32[0];
      if (!(x > -110 && x < 90)) continue;
      checked++;
      if (Math.fround(expForFloat32(x)) !== reference(x)) mismatches.push(x);
    }
    expect(checked).toBeGreaterThan(2_000_000);
    expect(mismatches).toEqual([]);
  });
  it('handles the overflow and underflow edges and special values', () => {
    const edges = [
      88.72283, 88.72284, 88.7229, 89, 89.5, -103.97, -103.972, -103.98, -104, -104.5, -87.3, -87.34,
    ];
    for (const x of [...edges, 0, -0, 1, -1, 1e-8, -1e-8, 20, -20].map(Math.fround)) {
      expect(Math.fround(expForFloat32(x)), `exp(${x})`).toBe(reference(x));
    }
    expect(expForFloat32(Number.NaN)).toBeNaN();
    expect(expForFloat32(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
    expect(expForFloat32(Number.NEGATIVE_INFINITY)).toBe(0);
  });
  it('is what float32 exp and softmax use, and float64 keeps Math.exp', () => {
    const xs = [-3.25, 0.5, 7, 60];
    expect(Array.from(nd.array(xs).exp().data)).toEqual(xs.map(reference));
    expect(Array.from(nd.array(xs, { dtype: 'float64' }).exp().data)).toEqual(xs.map(Math.exp));
    const p = nd.softmax(nd.array([xs])).data;
    const e = xs.map((x) => Math.exp(x - 60));
    const total = e.reduce((a, b) => a + b);
    expect(Array.from(p)).toEqual(e.map((v) => Math.fround(Math.fround(v) / total)));
  });
});
