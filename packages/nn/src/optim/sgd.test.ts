// SGD's plain update (no momentum, no clipping) runs four elements per iteration: every element,
// the tail included, must equal w - lr·(rescale·g + wd·w) computed once in float64 and rounded;
// without weight decay the loop drops the wd·w term, which must change no finite weight (signed
// zeros included).
import { getBackend, listBackends, nd, setBackend } from '@minimx/ndarray';
import { afterEach, describe, expect, it } from 'vitest';
import { SGD } from './sgd.js';

const initialBackend = getBackend();
afterEach(() => {
  setBackend(initialBackend);
});

describe('SGD update', () => {
  it.each([1, 3, 4, 7, 8, 13])('updates all %i elements exactly', (n) => {
    const w0 = Float32Array.from({ length: n }, (_, i) => Math.sin(i + 1) * 3);
    const g = Float32Array.from({ length: n }, (_, i) => Math.cos(i * 7) * 50);
    const w = nd.fromTypedArray(w0.slice(), [n]);
    const opt = new SGD({ learningRate: 0.3, wd: 0.01, rescaleGrad: 1 / 256 });
    opt.update(0, w, nd.fromTypedArray(g, [n]), opt.createState(w));
    const expected = Array.from(w0, (v, i) => Math.fround(v - 0.3 * ((1 / 256) * g[i] + 0.01 * v)));
    expect(Array.from(w.data)).toEqual(expected);
  });

  it.each([
    [1, 1 / 256],
    [7, 1 / 256],
    [13, 0.3],
  ])('without weight decay updates all %i elements as the general expression (rescale %f)', (n, r) => {
    const specials = [0, -0, 1e-45, -1e-45, 3, -3];
    const w0 = Float32Array.from({ length: n }, (_, i) => specials[i % 6] * (i < 6 ? 1 : Math.sin(i)));
    const g = Float32Array.from({ length: n }, (_, i) => specials[(i * 5 + 1) % 6] * Math.cos(i));
    const w = nd.fromTypedArray(w0.slice(), [n]);
    for (const lr of [0.5, -0.25]) {
      const before = Float32Array.from(w.data);
      const opt = new SGD({ learningRate: lr, rescaleGrad: r });
      opt.update(0, w, nd.fromTypedArray(g, [n]), opt.createState(w));
      const expected = Array.from(before, (v, i) => Math.fround(v - lr * (r * g[i] + 0 * v)));
      const same = Array.from(w.data).map((v, i) => Object.is(v, expected[i]));
      expect(same).toEqual(Array.from({ length: n }, () => true));
    }
  });

  it('without weight decay leaves an infinite weight infinite, as MXNet does', () => {
    const w = nd.array([Number.POSITIVE_INFINITY, 1]);
    const opt = new SGD({ learningRate: 0.1 });
    opt.update(0, w, nd.array([1, 1]), opt.createState(w));
    expect(Array.from(w.data)).toEqual([Number.POSITIVE_INFINITY, Math.fround(1 - 0.1)]);
  });

  it.each(['wasm', 'cpu'])('the step on the %s backend equals the JavaScript loop bit for bit', (backend) => {
    expect(listBackends()).toContain(backend);
    setBackend(backend);
    // Sizes around the 4-float step and the 16384-float chunk; specials among the values.
    const specials = [0, -0, 1e-45, -3e-39, 3.4e38, Number.POSITIVE_INFINITY, 1, -1];
    for (const n of [1, 2, 3, 4, 5, 255, 256, 16383, 16384, 16385, 40003]) {
      const w0 = Float32Array.from({ length: n }, (_, i) => (i < 8 ? specials[i] : Math.sin(i) * 7));
      const g = Float32Array.from({ length: n }, (_, i) => (i < 8 ? specials[7 - i] : Math.cos(i * 3) * 90));
      for (const [lr, r] of [
        [0.5, 1 / 256],
        [0.1, 0.3],
        [-2, 1e-30],
      ]) {
        const js = w0.slice();
        for (let i = 0; i < n; i++) js[i] -= lr * (r * g[i]);
        const w = nd.fromTypedArray(w0.slice(), [n]);
        const opt = new SGD({ learningRate: lr, rescaleGrad: r });
        opt.update(0, w, nd.fromTypedArray(g, [n]), opt.createState(w));
        const wasm = w.data as Float32Array;
        const same = Array.from(
          wasm,
          (v, i) => Object.is(v, js[i]) || (Number.isNaN(v) && Number.isNaN(js[i])),
        );
        expect(same.every(Boolean)).toBe(true);
      }
    }
  });
});
