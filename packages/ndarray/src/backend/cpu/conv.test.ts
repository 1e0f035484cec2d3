// Tests of the reference conv2d kernels against the definition (a zero-padded direct sum, and
// gradients as the response to each basis vector, which is exact since conv2d is bilinear), and
// of the active backend's conv kernels against the reference on the shared cases.
import { describe, expect, it } from 'vitest';
import { compareConvKernels, conv2dCases, convGeometry, seededValues } from '../../testing/kernel-cases.js';
import type { Conv2dGeometry } from '../kernels.js';
import { kernels } from '../registry.js';
import { cpuBackend } from './index.js';

/** The definition: pad x with zeros, then out[n,o,i,j] = Σ x_pad[n, c, i s + kh d, j s + kw d] w[o, c, kh, kw]. */
function direct(x: Float64Array, w: Float64Array, g: Conv2dGeometry): Float64Array {
  const ph = g.inH + 2 * g.padH;
  const pw = g.inW + 2 * g.padW;
  const padded = new Float64Array(g.batch * g.inChannels * ph * pw);
  for (let n = 0; n < g.batch * g.inChannels; n++)
    for (let i = 0; i < g.inH; i++)
      for (let j = 0; j < g.inW; j++)
        padded[(n * ph + i + g.padH) * pw + j + g.padW] = x[(n * g.inH + i) * g.inW + j];
  const cinG = g.inChannels / g.groups;
  const coutG = g.outChannels / g.groups;
  const out = new Float64Array(g.batch * g.outChannels * g.outH * g.outW);
  let k = 0;
  for (let n = 0; n < g.batch; n++)
    for (let o = 0; o < g.outChannels; o++)
      for (let i = 0; i < g.outH; i++)
        for (let j = 0; j < g.outW; j++) {
          let s = 0;
          for (let c = 0; c < cinG; c++) {
            const ic = Math.floor(o / coutG) * cinG + c;
            for (let a = 0; a < g.kernelH; a++)
              for (let b = 0; b < g.kernelW; b++) {
                const r = i * g.strideH + a * g.dilationH;
                const q = j * g.strideW + b * g.dilationW;
                s +=
                  padded[((n * g.inChannels + ic) * ph + r) * pw + q] *
                  w[((o * cinG + c) * g.kernelH + a) * g.kernelW + b];
              }
          }
          out[k++] = s;
        }
  return out;
}

const dotOf = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-12): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) expect(Math.abs(actual[i] - expected[i])).toBeLessThanOrEqual(tol);
}

const small: Conv2dGeometry[] = [
  convGeometry({
    batch: 2,
    inChannels: 2,
    in: [4, 5],
    outChannels: 4,
    kernel: [2, 3],
    stride: [2, 1],
    pad: [1, 2],
    dilation: [1, 2],
    groups: 2,
  }),
  convGeometry({ batch: 1, inChannels: 3, in: 4, outChannels: 2, kernel: 3, pad: 1 }),
  convGeometry({ batch: 1, inChannels: 3, in: 5, outChannels: 3, kernel: 2, stride: 3, groups: 3 }),
  convGeometry({ batch: 1, inChannels: 1, in: 3, outChannels: 2, kernel: 2, pad: 3 }),
];

describe('reference conv2d kernels', () => {
  it('conv2d matches the zero-padded direct sum on every shared case', () => {
    for (const g of conv2dCases) {
      const x = seededValues(g.batch * g.inChannels * g.inH * g.inW, 5, 'float64') as Float64Array;
      const w = seededValues(
        g.outChannels * (g.inChannels / g.groups) * g.kernelH * g.kernelW,
        6,
        'float64',
      ) as Float64Array;
      const out = new Float64Array(g.batch * g.outChannels * g.outH * g.outW).fill(Number.NaN);
      cpuBackend.conv2d(x, w, out, g);
      expectClose(out, direct(x, w, g));
    }
  });

  it('the backward kernels give the response of <conv2d(x, w), dy> to each basis vector', () => {
    for (const g of small) {
      const xs = g.batch * g.inChannels * g.inH * g.inW;
      const wsz = g.outChannels * (g.inChannels / g.groups) * g.kernelH * g.kernelW;
      const x = seededValues(xs, 1, 'float64') as Float64Array;
      const w = seededValues(wsz, 2, 'float64') as Float64Array;
      const dy = seededValues(g.batch * g.outChannels * g.outH * g.outW, 3, 'float64') as Float64Array;
      const dx = new Float64Array(xs).fill(7);
      const dw = new Float64Array(wsz).fill(7);
      cpuBackend.conv2dBackwardData(dy, w, dx, g);
      cpuBackend.conv2dBackwardFilter(x, dy, dw, g);
      const e = (n: number, i: number) => {
        const v = new Float64Array(n);
        v[i] = 1;
        return v;
      };
      expectClose(
        dx,
        Array.from({ length: xs }, (_, i) => dotOf(direct(e(xs, i), w, g), dy)),
      );
      expectClose(
        dw,
        Array.from({ length: wsz }, (_, i) => dotOf(direct(x, e(wsz, i), g), dy)),
      );
    }
  });

  it('float32 arrays give the float64 sums rounded once', () => {
    const g = conv2dCases[2];
    const x = seededValues(g.batch * g.inChannels * g.inH * g.inW, 5) as Float32Array;
    const w = seededValues(g.outChannels * g.inChannels * g.kernelH * g.kernelW, 6) as Float32Array;
    const out = new Float32Array(g.batch * g.outChannels * g.outH * g.outW);
    cpuBackend.conv2d(x, w, out, g);
    expect(Array.from(out)).toEqual(
      Array.from(Float32Array.from(direct(Float64Array.from(x), Float64Array.from(w), g))),
    );
  });
});

describe(`the active backend's conv2d kernels (${kernels().name})`, () => {
  it('agree with the reference kernels on every shared case, float32 and float64', () => {
    compareConvKernels(kernels(), cpuBackend, conv2dCases);
    compareConvKernels(kernels(), cpuBackend, conv2dCases, { dtype: 'float64' });
  });
  it('the comparison can fail', () => {
    const broken = { ...cpuBackend, name: 'broken', conv2dBackwardFilter: () => {} };
    expect(() => compareConvKernels(broken, cpuBackend, conv2dCases.slice(0, 1))).toThrow(
      /conv2dBackwardFilter/,
    );
  });
});
