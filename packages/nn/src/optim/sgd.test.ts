// SGD's plain update (no momentum, no clipping) runs four elements per iteration: every element,
// the tail included, must equal w - lr·(rescale·g + wd·w) computed once in float64 and rounded.
import { nd } from '@minimx/ndarray';
import { describe, expect, it } from 'vitest';
import { SGD } from './sgd.js';

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
});
