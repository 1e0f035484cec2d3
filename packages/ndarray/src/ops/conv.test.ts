// Tests of nd.convolution: values and gradients against PyTorch, numerical gradient checks over
// strides, padding, dilation, groups (depthwise too), non-square kernels, bias and no bias, a
// second-order check through the bilinear adjoint primitives, dtypes, and every bad input.
import { describe, expect, it } from 'vitest';
import { autograd, type NDArray, nd, testing } from '../index.js';
import type { ConvolutionOptions } from './conv.js';

const { assertAllClose, checkGradient } = testing;

/** The inputs the PyTorch script built: element i of an array is ((i·a) mod m - off) / div, in float64. */
function formula(
  shape: number[],
  a = 7,
  m = 11,
  off = 5,
  div = 4,
  dtype: 'float32' | 'float64' = 'float64',
): NDArray {
  const n = shape.reduce((p, q) => p * q, 1);
  const v = Float64Array.from({ length: n }, (_, i) => (((i * a) % m) - off) / div);
  return nd.fromTypedArray(dtype === 'float64' ? v : Float32Array.from(v), shape);
}
const head = (shape: readonly number[], dtype: 'float32' | 'float64' = 'float64') =>
  formula([...shape], 13, 17, 8, 8, dtype);

// Computed once with PyTorch 1.13 (float64), /usr/bin/python3:
//   fx = lambda shape, a=7, m=11, off=5, div=4: tensor([((i*a) % m - off) / div for i in range(prod(shape))]).reshape(shape)
//   head = lambda shape: fx(shape, 13, 17, 8, 8)
//   convA: x = fx([2,2,4,5]); w = fx([4,1,2,3], 5, 9, 4, 3); b = tensor([0.5, -1, 0.25, 2])
//          y = F.conv2d(x, w, b, stride=(2,1), padding=(1,2), dilation=(1,2), groups=2); y.backward(head(y.shape))
//   convB: x = fx([1,3,4,4]); w = fx([2,3,3,3], 5, 9, 4, 3); y = F.conv2d(x, w, None, padding=1); y.backward(head(y.shape))
// and printed as y.flatten().tolist(), x.grad..., w.grad..., b.grad.
const TORCH_CONV = {
  convA: {
    shape: [2, 4, 3, 5],
    y: [
      0.8333333333333333, 1.4166666666666667, 0.25000000000000006, 0, 0, 0.9166666666666666,
      2.1666666666666665, 1.5, -1.6666666666666665, 0.25, -0.41666666666666663, 0.25, 1.5, 1.5,
      -1.1666666666666665, -0.9166666666666666, -2.083333333333333, 0.24999999999999978, -1.25, -0.25,
      -2.583333333333333, 0.4166666666666665, -1.5, -1.1666666666666665, -0.25, -0.6666666666666667, -2, 0.25,
      -0.75, -2.6666666666666665, 1.25, -0.08333333333333331, -1.6666666666666665, 1, 0, -2.6666666666666665,
      2.083333333333333, 1.5833333333333333, -2.1666666666666665, 0.49999999999999994, 0.8333333333333333,
      -1.3333333333333333, 0.75, 1.5833333333333333, -0.25, 0.25, 2.6666666666666665, 2.833333333333333, 1.5,
      1.5, 3.583333333333333, -0.6666666666666665, 0.08333333333333348, 3.333333333333333, 2.5,
      1.5833333333333335, 3.1666666666666665, 1.75, 0.08333333333333348, 2, 1.25, 0.9166666666666666, -1.25,
      0, 1.8333333333333333, -2.25, 0.8333333333333334, 2.083333333333333, 0.75, -1.9166666666666665,
      0.5833333333333334, -0.5833333333333333, 1.7499999999999998, 0.25, 1.25, -1.75, -1.0833333333333333,
      0.5, 0.25, -2.416666666666667, 1, -2.4166666666666665, -0.9166666666666665, -0.25, -1.1666666666666665,
      -2.6666666666666665, -0.33333333333333337, -1.25, 0.5, -0.5, -0.75, 1.5833333333333333, 0.5,
      -1.4166666666666665, 1.25, 1.25, -0.41666666666666674, 2.25, 5.551115123125783e-17, -1.9166666666666665,
      -1.5, 0.9166666666666666, 1.0833333333333333, -0.25, -0.24999999999999994, 2.5, 0.3333333333333335,
      2.25, 3.333333333333333, 1.5, 2.25, 2.5833333333333335, -0.25, 3, 3.083333333333333, 3.5,
      1.4166666666666665, 1.0833333333333333, 2.5, 3.5,
    ],
    dx: [
      2.083333333333333, -1.6666666666666665, -2.1666666666666665, 1.5833333333333333, 1.75,
      -0.16666666666666663, -0.16666666666666663, -0.9166666666666666, -0.16666666666666669,
      0.20833333333333331, -1.7916666666666665, -1.2916666666666665, 2.458333333333333, 1.7083333333333335,
      -1.6666666666666665, -0.16666666666666674, -0.16666666666666652, -0.5416666666666667,
      0.29166666666666663, -0.04166666666666663, 2.083333333333333, 1.5833333333333333, -0.4583333333333333,
      -1.625, -0.33333333333333326, -1.6666666666666665, -1.1666666666666665, 2.583333333333333, 1.75, -1.625,
      1.708333333333333, 1.2083333333333333, -1.9166666666666665, -2.25, 1.875, -1.2916666666666665,
      1.333333333333333, 2.9583333333333335, -1.6666666666666665, -1.5, -1.9166666666666665,
      -1.4166666666666665, 2.333333333333333, 1.6666666666666665, -1.7083333333333333, -0.16666666666666663,
      2.6666666666666665, -0.6666666666666666, -0.3333333333333333, 0.041666666666666685, -1.5416666666666665,
      -0.3333333333333333, 2.708333333333333, -0.33333333333333337, -1.5833333333333333, -0.16666666666666674,
      -0.16666666666666674, -0.29166666666666663, 0.12500000000000003, -0.20833333333333326,
      1.8333333333333333, 1.3333333333333333, -1.6666666666666665, -2.041666666666667, 2.083333333333333,
      -1.4166666666666665, 1.2083333333333333, 2.833333333333333, -1.7083333333333333, -1.5416666666666665,
      1.4583333333333333, -1.1666666666666665, -2.4166666666666665, 2.2916666666666665, 1.4583333333333333,
      -0.3333333333333333, 1.5833333333333333, 1.083333333333333, -1.5833333333333333, -1.4166666666666665,
    ],
    dw: [
      1.40625, 0.15625, 0.8125, 1.78125, 0.1875, 1.59375, -1.03125, 0.125, 0.71875, 1.40625, 2.65625, 0.46875,
      -1.59375, 0.8125, -1.125, -0.0625, 2.0625, -0.9375, 1.59375, -0.90625, -2.5, -0.5625, -2.5625, 1.34375,
    ],
    db: [1.5, -2.5, 2, -2],
  },
  convB: {
    shape: [1, 2, 4, 4],
    y: [
      4.75, -3.4166666666666656, -1.1666666666666659, 2.5, -5.249999999999999, 5.916666666666666,
      2.2500000000000004, -4.999999999999999, 3.8333333333333335, -3.25, -3.249999999999999,
      6.916666666666667, -1.666666666666666, 1.5000000000000004, 3.583333333333334, -3.416666666666667, 4.75,
      -3.4166666666666656, -1.1666666666666659, 2.5, -5.249999999999999, 5.916666666666666,
      2.2500000000000004, -4.999999999999999, 3.8333333333333335, -3.25, -3.249999999999999,
      6.916666666666667, -1.666666666666666, 1.5000000000000004, 3.583333333333334, -3.416666666666667,
    ],
    dx: [
      0.5, -0.875, -0.5833333333333334, -0.08333333333333326, -1.625, -1.8749999999999998, 0.2500000000000001,
      -0.5000000000000001, -1.625, -1.8749999999999998, 0.25, -0.25, -0.6249999999999999,
      -0.25000000000000006, 1.2916666666666665, 1.5, 0.5, -0.875, -0.5833333333333334, -0.08333333333333326,
      -1.625, -1.8749999999999998, 0.2500000000000001, -0.5000000000000001, -1.625, -1.8749999999999998, 0.25,
      -0.25, -0.6249999999999999, -0.25000000000000006, 1.2916666666666665, 1.5, 0.5, -0.875,
      -0.5833333333333334, -0.08333333333333326, -1.625, -1.8749999999999998, 0.2500000000000001,
      -0.5000000000000001, -1.625, -1.8749999999999998, 0.25, -0.25, -0.6249999999999999,
      -0.25000000000000006, 1.2916666666666665, 1.5,
    ],
    dw: [
      -1.5, 1.8125, -0.40625, -1.09375, 1.78125, 1.1875, -0.71875, 0.71875, 1.78125, 0.53125, 2.03125, -2.75,
      1.46875, 1, -3.34375, 1.78125, -0.84375, -2.15625, 0.15625, -2.21875, 2.125, -0.78125, -1.15625,
      2.09375, -0.1875, -1.03125, 0.4375, 2.125, 0.125, -0.5625, 2.09375, 1.90625, -1.125, 0.4375, 1.90625,
      -2.21875, 1.84375, -2.59375, -0.75, 0.65625, -3.25, 0.65625, -0.75, -2.59375, 1.84375, -2.21875,
      1.90625, 0.4375, -1.125, 1.90625, 2.09375, -0.5625, 0.125, 2.125,
    ],
  },
};

function run(
  dtype: 'float32' | 'float64',
  xShape: number[],
  wShape: number[],
  withBias: boolean,
  options: ConvolutionOptions,
) {
  const x = formula(xShape, 7, 11, 5, 4, dtype);
  const w = formula(wShape, 5, 9, 4, 3, dtype);
  const b = nd.array([0.5, -1, 0.25, 2], { dtype });
  x.attachGrad();
  w.attachGrad();
  b.attachGrad();
  const y = autograd.record(() => nd.convolution(x, w, withBias ? b : null, options));
  y.backward(head(y.shape, dtype));
  return { x, w, b, y };
}

describe('convolution', () => {
  it('matches PyTorch with groups, stride, padding, dilation, a non-square kernel and a bias', () => {
    for (const dtype of ['float64', 'float32'] as const) {
      const tol = dtype === 'float64' ? { rtol: 1e-12, atol: 1e-12 } : { rtol: 1e-5, atol: 1e-5 };
      const { x, w, b, y } = run(dtype, [2, 2, 4, 5], [4, 1, 2, 3], true, {
        stride: [2, 1],
        pad: [1, 2],
        dilate: [1, 2],
        numGroup: 2,
      });
      const t = TORCH_CONV.convA;
      expect(y.shape).toEqual(t.shape);
      expect(y.dtype).toBe(dtype);
      assertAllClose(y, nd.array(t.y, { dtype: 'float64' }).reshape(t.shape), tol);
      assertAllClose(x.grad as NDArray, nd.array(t.dx, { dtype: 'float64' }).reshape(x.shape), tol);
      assertAllClose(w.grad as NDArray, nd.array(t.dw, { dtype: 'float64' }).reshape(w.shape), tol);
      assertAllClose(b.grad as NDArray, nd.array(t.db, { dtype: 'float64' }), tol);
    }
  });

  it('matches PyTorch summing over three input channels with pad 1 and no bias', () => {
    const { x, w, y } = run('float64', [1, 3, 4, 4], [2, 3, 3, 3], false, {
      pad: 1,
      kernel: 3,
      numFilter: 2,
    });
    const t = TORCH_CONV.convB;
    assertAllClose(y, nd.array(t.y, { dtype: 'float64' }).reshape(t.shape), { rtol: 1e-12, atol: 1e-12 });
    assertAllClose(x.grad as NDArray, nd.array(t.dx, { dtype: 'float64' }).reshape(x.shape), {
      rtol: 1e-12,
      atol: 1e-12,
    });
    assertAllClose(w.grad as NDArray, nd.array(t.dw, { dtype: 'float64' }).reshape(w.shape), {
      rtol: 1e-12,
      atol: 1e-12,
    });
  });

  it("gives d2l 5.1's cross-correlation of the 3x3 example with a 2x2 kernel", () => {
    // d2l 5.1: corr2d([[0,1,2],[3,4,5],[6,7,8]], [[0,1],[2,3]]) = [[19, 25], [37, 43]]
    const X = nd.arange(9).reshape(1, 1, 3, 3);
    const K = nd.arange(4).reshape(1, 1, 2, 2);
    assertAllClose(nd.convolution(X, K), [
      [
        [
          [19, 25],
          [37, 43],
        ],
      ],
    ]);
  });

  it('keeps float32 in float32 and casts integer data to float32; a bias shifts every output of its filter', () => {
    const x = nd.ones([1, 2, 3, 3], { dtype: 'int32' });
    const y = nd.convolution(x, nd.ones([3, 2, 2, 2]), nd.array([0, 1, -1]));
    expect(y.dtype).toBe('float32');
    expect(y.shape).toEqual([1, 3, 2, 2]);
    assertAllClose(y.reshape(3, 4), [
      [8, 8, 8, 8],
      [9, 9, 9, 9],
      [7, 7, 7, 7],
    ]);
    // noBias ignores a given bias
    assertAllClose(nd.convolution(x, nd.ones([3, 2, 2, 2]), nd.array([0, 1, -1]), { noBias: true }), 8);
  });

  it('handles an empty batch', () => {
    expect(nd.convolution(nd.zeros([0, 2, 4, 4]), nd.ones([3, 2, 3, 3])).shape).toEqual([0, 3, 2, 2]);
  });
});

describe('convolution gradients (numerical checks, float64)', () => {
  const cases: Array<[string, number[], number[], boolean, ConvolutionOptions]> = [
    ['plain 3x3, batch 2, bias', [2, 2, 5, 5], [3, 2, 3, 3], true, {}],
    ['stride 2, pad 1, bias', [2, 3, 6, 5], [4, 3, 3, 3], true, { stride: 2, pad: 1 }],
    ['non-square kernel, stride and pad', [1, 2, 6, 7], [3, 2, 2, 3], false, { stride: [2, 1], pad: [0, 1] }],
    ['dilation 2 with pad 2', [2, 2, 6, 6], [2, 2, 3, 3], true, { dilate: 2, pad: 2 }],
    [
      'non-square dilation, stride larger than the kernel',
      [1, 2, 7, 9],
      [2, 2, 2, 2],
      false,
      { dilate: [2, 3], stride: 3 },
    ],
    ['groups 2', [2, 4, 5, 5], [6, 2, 3, 3], true, { numGroup: 2, pad: 1 }],
    ['depthwise', [2, 3, 5, 5], [3, 1, 3, 3], true, { numGroup: 3, pad: 1 }],
    [
      'depthwise with a channel multiplier of 2',
      [1, 3, 5, 4],
      [6, 1, 2, 2],
      false,
      { numGroup: 3, stride: 2 },
    ],
    ['1x1, stride 2', [2, 4, 5, 5], [3, 4, 1, 1], true, { stride: 2 }],
    [
      'groups 2 with dilation, stride and pad together, non-square kernel',
      [2, 4, 7, 8],
      [4, 2, 2, 3],
      true,
      { numGroup: 2, dilate: [2, 1], stride: [2, 3], pad: [1, 2] },
    ],
    [
      'depthwise with dilation 2 and stride 2',
      [1, 2, 7, 7],
      [2, 1, 3, 3],
      false,
      { numGroup: 2, dilate: 2, stride: 2, pad: 2 },
    ],
  ];
  for (const [name, xShape, wShape, withBias, options] of cases) {
    it(name, () => {
      const inputs = [nd.random.normal({ shape: xShape }), nd.random.normal({ shape: wShape })];
      if (withBias) inputs.push(nd.random.normal({ shape: [wShape[0]] }));
      checkGradient((x, w, b) => nd.convolution(x, w, b ?? null, options), inputs);
    });
  }

  it('second order: gradients of the gradients (through conv2dBackwardData and conv2dBackwardFilter)', () => {
    const options: ConvolutionOptions = { stride: 2, pad: 1, numGroup: 2 };
    const inputs = [nd.random.normal({ shape: [2, 2, 5, 4] }), nd.random.normal({ shape: [4, 1, 3, 2] })];
    const grads = (x: NDArray, w: NDArray) =>
      autograd.grad(
        autograd.record(() => nd.convolution(x, w, null, options).square().sum()),
        [x, w],
        { createGraph: true },
      );
    checkGradient((x, w) => grads(x, w)[0], inputs);
    checkGradient((x, w) => grads(x, w)[1], inputs);
  });

  it('skips the data gradient when the data needs none', () => {
    const x = nd.random.normal({ shape: [2, 2, 4, 4] });
    const w = nd.random.normal({ shape: [3, 2, 3, 3] });
    w.attachGrad();
    const y = autograd.record(() => nd.convolution(x, w));
    y.backward();
    expect(w.grad?.shape).toEqual([3, 2, 3, 3]);
    expect(x.grad).toBeNull();
  });
});

describe('convolution with a fused activation (actType)', () => {
  // Each case: data shape, weight shape, options; the direct kernel (stride 1, no padding), the
  // im2col route, planes that are not a multiple of 4, and outputs too small for the sigmoid kernel.
  const cases: [string, number[], number[], ConvolutionOptions][] = [
    ['direct, LeNet-like', [3, 3, 12, 12], [6, 3, 5, 5], {}],
    ['direct, 7x7 planes', [2, 2, 9, 9], [5, 2, 3, 3], {}],
    ['im2col: stride 2, pad 1, groups 2', [2, 4, 13, 12], [6, 2, 3, 3], { stride: 2, pad: 1, numGroup: 2 }],
    ['tiny output', [1, 1, 4, 4], [2, 1, 3, 3], {}],
  ];
  const bits = (a: NDArray | null) => Array.from(a?.data ?? []);
  for (const dtype of ['float32', 'float64'] as const)
    for (const act of ['sigmoid', 'relu'] as const)
      for (const [name, xShape, wShape, options] of cases)
        it(`${act}, ${dtype}, ${name}: the values and gradients of the separate ops, bit for bit (with and without dx)`, () => {
          const run = (fused: boolean, dataGrad: boolean) => {
            const x = formula(xShape, 7, 11, 5, 4, dtype);
            const w = formula(wShape, 5, 9, 4, 3, dtype);
            const b = formula([wShape[0]], 3, 7, 3, 5, dtype);
            for (const p of dataGrad ? [x, w, b] : [w, b]) p.attachGrad();
            const y = autograd.record(() => {
              const z = nd.convolution(x, w, b, fused ? { ...options, actType: act } : options);
              const out = fused ? z : act === 'relu' ? z.relu() : z.sigmoid();
              out.backward(head(out.shape, dtype));
              return out;
            });
            return [y, x.grad, w.grad, b.grad].map(bits);
          };
          for (const dataGrad of [true, false]) {
            const [fused, separate] = [run(true, dataGrad), run(false, dataGrad)];
            expect(fused[0].length).toBeGreaterThan(0);
            expect(fused[1].length).toBe(dataGrad ? xShape.reduce((p, q) => p * q) : 0);
            for (let i = 0; i < 4; i++) expect(fused[i]).toEqual(separate[i]);
          }
        });

  it('passes numerical gradient checks, with and without a bias, and to second order', () => {
    const x = nd.random.normal({ shape: [2, 2, 6, 6] });
    const w = nd.random.normal({ shape: [3, 2, 3, 3] });
    const b = nd.random.normal({ shape: [3] });
    checkGradient((x, w, b) => nd.convolution(x, w, b, { actType: 'sigmoid' }), [x, w, b]);
    checkGradient((x, w, b) => nd.convolution(x, w, b, { pad: 1, actType: 'relu' }), [x, w, b]);
    checkGradient((x, w) => nd.convolution(x, w, null, { stride: 2, actType: 'sigmoid' }), [x, w]);
    const grads = (x: NDArray, w: NDArray) =>
      autograd.grad(
        autograd.record(() => nd.convolution(x, w, null, { actType: 'sigmoid' }).square().sum()),
        [x, w],
        { createGraph: true },
      );
    checkGradient((x, w) => grads(x, w)[0], [x, w]);
    checkGradient((x, w) => grads(x, w)[1], [x, w]);
  });

  it('refuses an activation it does not fuse', () => {
    expect(() =>
      nd.convolution(nd.zeros([1, 1, 3, 3]), nd.zeros([1, 1, 2, 2]), null, {
        actType: 'tanh' as 'relu',
      }),
    ).toThrow("convolution: actType must be 'relu' or 'sigmoid', got tanh");
  });
});

describe('convolution errors', () => {
  const x = nd.zeros([2, 3, 5, 5]);
  const w = nd.zeros([8, 3, 3, 3]);
  it('names the op, the shapes and the option', () => {
    expect(() => nd.convolution(nd.zeros([3, 5, 5]), w)).toThrow(
      'convolution: data must be 4-D (batch, channels, height, width), got shape (3,5,5)',
    );
    expect(() => nd.convolution(x, nd.zeros([8, 3, 3]))).toThrow(
      /^convolution: weight must be 4-D .*got shape \(8,3,3\)/,
    );
    expect(() => nd.convolution(x, nd.zeros([8, 4, 3, 3]))).toThrow(
      'convolution: data (2,3,5,5) has 3 channels but weight (8,4,3,3) with numGroup 1 expects 4',
    );
    expect(() =>
      nd.convolution(nd.zeros([2, 4, 5, 5]), nd.zeros([8, 1, 3, 3]), null, { numGroup: 2 }),
    ).toThrow('convolution: data (2,4,5,5) has 4 channels but weight (8,1,3,3) with numGroup 2 expects 2');
    expect(() => nd.convolution(x, nd.zeros([8, 3, 7, 3]))).toThrow(
      'convolution: kernel (7,3) is larger than the padded input 5x5 (data (2,3,5,5), pad (0,0))',
    );
    expect(() => nd.convolution(x, w, null, { dilate: 3 })).toThrow(
      'convolution: kernel (3,3) with dilate (3,3) spans 7x7, which is larger than the padded input 5x5',
    );
    expect(nd.convolution(x, nd.zeros([8, 3, 7, 3]), null, { pad: [1, 0] }).shape).toEqual([2, 8, 1, 3]);
    expect(() => nd.convolution(x, w, null, { stride: 0 })).toThrow(
      'convolution: stride must be positive integers (one, or a pair for height and width), got 0',
    );
    expect(() => nd.convolution(x, w, null, { dilate: [1, -1] })).toThrow(
      /^convolution: dilate must be positive integers.*got \(1,-1\)/,
    );
    expect(() => nd.convolution(x, w, null, { pad: -1 })).toThrow(
      /^convolution: pad must be non-negative integers.*got -1/,
    );
    expect(() => nd.convolution(x, w, null, { stride: 1.5 })).toThrow(
      /^convolution: stride must be positive integers/,
    );
    expect(() => nd.convolution(x, w, null, { kernel: [3, 0] })).toThrow(
      /^convolution: kernel must be positive integers/,
    );
    expect(() => nd.convolution(x, w, null, { kernel: 5 })).toThrow(
      'convolution: kernel (5,5) does not match weight (8,3,3,3)',
    );
    expect(() => nd.convolution(x, w, null, { numFilter: 4 })).toThrow(
      'convolution: numFilter 4 does not match weight (8,3,3,3)',
    );
    expect(() => nd.convolution(x, nd.zeros([8, 1, 3, 3]), null, { numGroup: 2 })).toThrow(
      'convolution: numGroup 2 does not divide the 3 channels of data (2,3,5,5)',
    );
    expect(() =>
      nd.convolution(nd.zeros([2, 4, 5, 5]), nd.zeros([3, 2, 3, 3]), null, { numGroup: 2 }),
    ).toThrow('convolution: numGroup 2 does not divide the 3 filters of weight (3,2,3,3)');
    expect(() => nd.convolution(x, w, null, { numGroup: 0 })).toThrow(
      'convolution: numGroup must be a positive integer, got 0',
    );
    expect(() => nd.convolution(x, w, nd.zeros([3]))).toThrow(
      'convolution: bias (3,) must have shape (8,), one per filter of weight (8,3,3,3)',
    );
    expect(() => nd.convolution(x, w, nd.zeros([8, 1]))).toThrow(
      /^convolution: bias \(8,1\) must have shape \(8,\)/,
    );
    expect(() => nd.convolution(x, 3 as unknown as NDArray)).toThrow(
      'convolution: weight must be an NDArray, got number',
    );
    expect(() => nd.convolution(x, w, null, { pad: '1' as unknown as number })).toThrow(
      'convolution: pad must be a number or a pair of numbers, got 1',
    );
    expect(() => nd.convolution(x, w, null, { stride: [1, 1, 1] as unknown as [number, number] })).toThrow(
      /^convolution: stride must be positive integers .*got \(1,1,1\)/,
    );
  });
});
