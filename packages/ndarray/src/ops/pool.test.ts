// Tests of nd.pooling: max and average pooling against PyTorch (valid and full/ceil conventions,
// with and without countIncludePad), the d2l 5.4 examples, MXNet's semantics where PyTorch
// differs (windows wholly in padding), global pooling, numerical gradient checks, second order
// for average pooling, and every bad input.
import { describe, expect, it } from 'vitest';
import { autograd, type NDArray, nd, testing } from '../index.js';
import type { PoolingOptions } from './pool.js';

const { assertAllClose, checkGradient } = testing;

/** ((i·37) mod 101) / 10 - 5: no two elements of a window tie. */
function distinct(shape: number[], dtype: 'float32' | 'float64' = 'float64'): NDArray {
  const n = shape.reduce((p, q) => p * q, 1);
  const v = Float64Array.from({ length: n }, (_, i) => ((i * 37) % 101) / 10 - 5);
  return nd.fromTypedArray(dtype === 'float64' ? v : Float32Array.from(v), shape);
}
/** ((i·13) mod 17 - 8) / 8, the head gradient. */
function head(shape: readonly number[], dtype: 'float32' | 'float64' = 'float64'): NDArray {
  const n = shape.reduce((p, q) => p * q, 1);
  const v = Float64Array.from({ length: n }, (_, i) => (((i * 13) % 17) - 8) / 8);
  return nd.fromTypedArray(dtype === 'float64' ? v : Float32Array.from(v), [...shape]);
}
const f64 = (v: number[], shape: number[]) => nd.array(v, { dtype: 'float64' }).reshape(shape);

// Computed once with PyTorch 1.13 (float64), /usr/bin/python3: x = distinct([1,2,5,6]) as above,
//   maxValid = F.max_pool2d(x, 3, 2, 1), maxFull = F.max_pool2d(x, 3, 2, 1, ceil_mode=True),
//   avg{Valid,Full}{Inc,Exc} = F.avg_pool2d(x, 3, 2, 1, ceil_mode=False/True, count_include_pad=True/False);
//   y.backward(head(y.shape)); printed y.flatten().tolist() and x.grad.flatten().tolist().
// Here PyTorch's ceil_mode and MXNet's 'full' convention agree (the last window of the width starts
// inside the input), and so does the divisor of the window that reaches past the padding (2 columns).
const TORCH_POOL = {
  maxValid: {
    shape: [1, 2, 3, 3],
    y: [
      0.7000000000000002, 4.4, 3.4000000000000004, 4.699999999999999, 4.699999999999999, 3.6999999999999993,
      4.699999999999999, 4.699999999999999, 4, 5, 4.300000000000001, 3.3000000000000007, 4.6, 4.6,
      3.5999999999999996, 4.6, 4.6, 3.9000000000000004,
    ],
    dx: [
      0, 0, 0, 0, 0, 0.125, 0, -1, 0.625, 0, 0, 0, 0, 0, 0, 0, 0.75, 0, 0, -1.25, 0, 0, 0, 0, 0, 0, 0, -0.75,
      0, 0, 0.875, 0, 0, 0, 0, -0.125, 0, 0, 0.375, 0, 0, 0, 0, 0, 0, 0, 0.5, 0, 0, -0.125, 0, 0, 0, 0, 0, 0,
      0, -1, 0, 0,
    ],
  },
  maxFull: {
    shape: [1, 2, 3, 4],
    y: [
      0.7000000000000002, 4.4, 3.4000000000000004, 3.4000000000000004, 4.699999999999999, 4.699999999999999,
      3.6999999999999993, -0.7000000000000002, 4.699999999999999, 4.699999999999999, 4, 1.2999999999999998, 5,
      4.300000000000001, 3.3000000000000007, 3.3000000000000007, 4.6, 4.6, 3.5999999999999996,
      -0.7999999999999998, 4.6, 4.6, 3.9000000000000004, 1.2000000000000002,
    ],
    dx: [
      0, 0, 0, 0, 0, -0.25, 0, -1, 0.625, 0, 0, 0, 0, 0, 0, 0, 0.25, 0, 0, 0, 0, 0, 0, -0.25, 0, 0, 0, 0.375,
      0, -0.125, -0.625, 0, 0, 0, 0, 0.5, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0.625, 0, 0, -2.75, 0, 0, 0, 0.125, 0,
      0, 0, 0.75, 0, 0.25,
    ],
  },
  avgValidInc: {
    shape: [1, 2, 3, 3],
    y: [
      -0.9555555555555557, 0.02222222222222234, -0.6555555555555554, 0.5666666666666667, 0.7888888888888889,
      -0.7888888888888891, 0.5888888888888888, 0.6555555555555554, -0.022222222222222292, 0.12222222222222218,
      -0.044444444444444384, -0.7222222222222222, 0.4999999999999999, 0.688888888888889, -0.8888888888888888,
      0.5444444444444445, 0.588888888888889, -0.08888888888888877,
    ],
    dx: [
      -0.1111111111111111, -0.04166666666666666, 0.06944444444444445, 0.08333333333333334,
      0.013888888888888888, 0.013888888888888888, -0.15277777777777776, -0.18055555555555552,
      -0.027777777777777776, 0.06944444444444445, 0.09722222222222221, 0.09722222222222221,
      -0.041666666666666664, -0.1388888888888889, -0.09722222222222222, -0.013888888888888895,
      0.08333333333333333, 0.08333333333333333, -0.013888888888888888, -0.1388888888888889, -0.125, -0.125, 0,
      0, 0.027777777777777776, 0, -0.027777777777777776, -0.1111111111111111, -0.08333333333333333,
      -0.08333333333333333, 0.09722222222222222, 0.1388888888888889, 0.041666666666666664,
      0.027777777777777776, -0.013888888888888888, -0.013888888888888888, 0.027777777777777776,
      0.18055555555555555, 0.15277777777777776, 0.19444444444444445, 0.041666666666666664,
      0.041666666666666664, -0.06944444444444445, 0.04166666666666666, 0.1111111111111111,
      0.16666666666666666, 0.05555555555555555, 0.05555555555555555, -0.06944444444444445,
      -0.013888888888888895, 0.05555555555555555, 0, -0.05555555555555555, -0.05555555555555555, 0,
      -0.05555555555555555, -0.05555555555555555, -0.16666666666666666, -0.1111111111111111,
      -0.1111111111111111,
    ],
  },
  avgValidExc: {
    shape: [1, 2, 3, 3],
    y: [
      -2.1500000000000004, 0.03333333333333351, -0.9833333333333333, 0.85, 0.7888888888888889,
      -0.7888888888888891, 1.3249999999999997, 0.9833333333333331, -0.03333333333333344, 0.2749999999999999,
      -0.06666666666666658, -1.0833333333333333, 0.7499999999999999, 0.688888888888889, -0.8888888888888888,
      1.225, 0.8833333333333334, -0.13333333333333316,
    ],
    dx: [
      -0.25, -0.14583333333333331, 0.10416666666666667, 0.125, 0.020833333333333332, 0.020833333333333332,
      -0.3125, -0.3055555555555555, 0.0069444444444444475, 0.1111111111111111, 0.10416666666666666,
      0.10416666666666666, -0.0625, -0.1597222222222222, -0.09722222222222222, -0.013888888888888895,
      0.08333333333333333, 0.08333333333333333, 0, -0.13888888888888887, -0.1388888888888889,
      -0.18055555555555555, -0.04166666666666667, -0.04166666666666667, 0.0625, 0.020833333333333336,
      -0.041666666666666664, -0.16666666666666666, -0.125, -0.125, 0.21875, 0.28125, 0.0625,
      0.04166666666666667, -0.020833333333333332, -0.020833333333333332, 0.11458333333333333,
      0.2881944444444444, 0.1736111111111111, 0.20833333333333334, 0.034722222222222224, 0.034722222222222224,
      -0.10416666666666667, 0.006944444444444434, 0.1111111111111111, 0.16666666666666666,
      0.05555555555555555, 0.05555555555555555, -0.10416666666666667, -0.0763888888888889,
      0.027777777777777776, -0.08333333333333333, -0.1111111111111111, -0.1111111111111111, 0,
      -0.08333333333333333, -0.08333333333333333, -0.25, -0.16666666666666666, -0.16666666666666666,
    ],
  },
  avgFullInc: {
    shape: [1, 2, 3, 4],
    y: [
      -0.9555555555555557, 0.02222222222222234, -0.6555555555555554, -0.21666666666666665, 0.5666666666666667,
      0.7888888888888889, -0.7888888888888891, -1.3500000000000003, 0.5888888888888888, 0.6555555555555554,
      -0.022222222222222292, 0.09999999999999994, 0.12222222222222218, -0.044444444444444384,
      -0.7222222222222222, -0.24999999999999986, 0.4999999999999999, 0.688888888888889, -0.8888888888888888,
      -1.3999999999999997, 0.5444444444444445, 0.588888888888889, -0.08888888888888877, 0.06666666666666672,
    ],
    dx: [
      -0.1111111111111111, -0.04166666666666666, 0.06944444444444445, 0.08333333333333334,
      0.013888888888888888, -0.04861111111111111, -0.20833333333333331, -0.055555555555555566,
      0.1527777777777778, 0.19444444444444448, 0.041666666666666664, -0.0625, -0.09722222222222222,
      -0.013888888888888895, 0.08333333333333333, 0.1111111111111111, 0.027777777777777776,
      -0.013888888888888888, -0.18055555555555555, 0, 0.18055555555555555, 0.24999999999999997,
      0.06944444444444445, 0.006944444444444444, -0.08333333333333333, 0.013888888888888895,
      0.09722222222222222, 0.1388888888888889, 0.041666666666666664, 0.020833333333333332,
      -0.06944444444444445, 0.04166666666666666, 0.1111111111111111, 0.16666666666666666, 0.05555555555555555,
      0.05555555555555555, -0.125, -0.125, 0, 0.125, 0.125, 0.14583333333333334, -0.05555555555555555,
      -0.16666666666666666, -0.1111111111111111, -0.04166666666666666, 0.06944444444444445,
      0.09027777777777778, -0.09722222222222221, -0.3055555555555555, -0.20833333333333331,
      -0.055555555555555566, 0.1527777777777778, 0.21527777777777776, -0.041666666666666664,
      -0.1388888888888889, -0.09722222222222222, -0.013888888888888895, 0.08333333333333333, 0.125,
    ],
  },
  avgFullExc: {
    shape: [1, 2, 3, 4],
    y: [
      -2.1500000000000004, 0.03333333333333351, -0.9833333333333333, -0.6499999999999999, 0.85,
      0.7888888888888889, -0.7888888888888891, -2.7000000000000006, 1.3249999999999997, 0.9833333333333331,
      -0.03333333333333344, 0.2999999999999998, 0.2749999999999999, -0.06666666666666658, -1.0833333333333333,
      -0.7499999999999996, 0.7499999999999999, 0.688888888888889, -0.8888888888888888, -2.7999999999999994,
      1.225, 0.8833333333333334, -0.13333333333333316, 0.20000000000000018,
    ],
    dx: [
      -0.25, -0.14583333333333331, 0.10416666666666667, 0.125, 0.020833333333333332, -0.16666666666666666,
      -0.39583333333333337, -0.20833333333333331, 0.1875, 0.2361111111111111, 0.048611111111111105,
      -0.2222222222222222, -0.14583333333333334, -0.06250000000000001, 0.08333333333333333,
      0.1111111111111111, 0.027777777777777776, -0.05555555555555555, -0.33333333333333337,
      -0.10416666666666666, 0.22916666666666669, 0.3194444444444444, 0.09027777777777778,
      -0.05555555555555555, -0.1875, -0.04166666666666666, 0.14583333333333334, 0.20833333333333334, 0.0625,
      0, -0.15625, 0.010416666666666657, 0.16666666666666666, 0.25, 0.08333333333333333, 0.08333333333333333,
      -0.23958333333333331, -0.1840277777777778, 0.05555555555555555, 0.20833333333333334, 0.1527777777777778,
      0.19444444444444445, -0.08333333333333333, -0.19444444444444442, -0.1111111111111111,
      -0.04166666666666666, 0.06944444444444445, 0.1111111111111111, -0.17708333333333331,
      -0.4340277777777778, -0.2569444444444444, -0.0625, 0.19444444444444445, 0.3611111111111111, -0.09375,
      -0.23958333333333334, -0.14583333333333334, -0.020833333333333343, 0.125, 0.25,
    ],
  },
};

const TORCH_OPTIONS: Record<keyof typeof TORCH_POOL, PoolingOptions> = {
  maxValid: { poolType: 'max' },
  maxFull: { poolType: 'max', poolingConvention: 'full' },
  avgValidInc: { poolType: 'avg' },
  avgValidExc: { poolType: 'avg', countIncludePad: false },
  avgFullInc: { poolType: 'avg', poolingConvention: 'full', countIncludePad: true },
  avgFullExc: { poolType: 'avg', poolingConvention: 'full', countIncludePad: false },
};

describe('pooling', () => {
  for (const [name, extra] of Object.entries(TORCH_OPTIONS) as Array<
    [keyof typeof TORCH_POOL, PoolingOptions]
  >) {
    it(`matches PyTorch: ${name}`, () => {
      for (const dtype of ['float64', 'float32'] as const) {
        const tol = dtype === 'float64' ? { rtol: 1e-12, atol: 1e-12 } : { rtol: 1e-6, atol: 1e-6 };
        const t = TORCH_POOL[name];
        const x = distinct([1, 2, 5, 6], dtype);
        x.attachGrad();
        const y = autograd.record(() => nd.pooling(x, { kernel: 3, stride: 2, pad: 1, ...extra }));
        expect(y.shape).toEqual(t.shape);
        expect(y.dtype).toBe(dtype);
        y.backward(head(y.shape, dtype));
        assertAllClose(y, f64(t.y, t.shape), tol);
        assertAllClose(x.grad as NDArray, f64(t.dx, [1, 2, 5, 6]), tol);
      }
    });
  }

  it("prints d2l 5.4's max pooling examples", () => {
    const X = nd.arange(16).reshape(1, 1, 4, 4);
    // nn.MaxPool2D(3): strides default to the pool size
    assertAllClose(nd.pooling(X, { kernel: 3, stride: 3 }), [[[[10]]]]);
    // nn.MaxPool2D(3, padding=1, strides=2)
    assertAllClose(nd.pooling(X, { kernel: 3, pad: 1, stride: 2 }), [
      [
        [
          [5, 7],
          [13, 15],
        ],
      ],
    ]);
    // nn.MaxPool2D((2, 3), padding=(1, 2), strides=(2, 3))
    assertAllClose(nd.pooling(X, { kernel: [2, 3], pad: [1, 2], stride: [2, 3] }), [
      [
        [
          [0, 3],
          [8, 11],
          [12, 15],
        ],
      ],
    ]);
    // d2l 5.4's 3x3 example: pool2d(X, (2, 2)) max and avg with stride 1 (nd.Pooling's default)
    const Y = nd.arange(9).reshape(1, 1, 3, 3);
    assertAllClose(nd.pooling(Y, { kernel: 2 }), [
      [
        [
          [4, 5],
          [7, 8],
        ],
      ],
    ]);
    assertAllClose(nd.pooling(Y, { kernel: 2, poolType: 'avg' }), [
      [
        [
          [2, 3],
          [5, 6],
        ],
      ],
    ]);
  });

  it("'full' keeps a last window wholly in padding, as MXNet does (PyTorch's ceil_mode drops it)", () => {
    // in 5, kernel 2, stride 2, pad 1: ceil((5 + 2 - 2) / 2) + 1 = 4 windows, the last one starting
    // at 5 (the right padding). Values by hand from MXNet's pool.h: its max is MinValue (the lowest
    // finite float32), its average 0 with countIncludePad (divisor 1: the window clipped to the padded
    // extent) and NaN without (no element to count).
    const x = nd.arange(1, 6).reshape(1, 1, 1, 5);
    const opts: PoolingOptions = { kernel: [1, 2], stride: [1, 2], pad: [0, 1], poolingConvention: 'full' };
    assertAllClose(nd.pooling(x, opts), [[[[1, 3, 5, -3.4028234663852886e38]]]]);
    assertAllClose(nd.pooling(x, { ...opts, poolType: 'avg' }), [[[[0.5, 2.5, 4.5, 0]]]]);
    assertAllClose(nd.pooling(x, { ...opts, poolType: 'avg', countIncludePad: false }), [
      [[[1, 2.5, 4.5, Number.NaN]]],
    ]);
    expect(nd.pooling(x.astype('float64'), opts).data[3]).toBe(-Number.MAX_VALUE);
    // the 'valid' convention gives 3 windows
    expect(nd.pooling(x, { ...opts, poolingConvention: 'valid' }).shape).toEqual([1, 1, 1, 3]);
    // and the gradient of the empty window goes nowhere
    x.attachGrad();
    autograd.record(() => nd.pooling(x, opts)).backward();
    assertAllClose(x.grad as NDArray, [[[[1, 0, 1, 0, 1]]]]);
  });

  it('pad as large as the kernel is accepted, as MXNet accepts it', () => {
    const x = nd.arange(4).reshape(1, 1, 2, 2);
    const y = nd.pooling(x, { kernel: 1, pad: 1, poolType: 'avg', countIncludePad: false });
    expect(y.shape).toEqual([1, 1, 4, 4]);
    assertAllClose(y.reshape(16).sliceAxis(0, 5, 7), [0, 1]);
    expect(Number.isNaN(y.data[0])).toBe(true);
  });

  it('global pooling reduces every image to one value, ignoring kernel, stride and pad', () => {
    const x = distinct([2, 3, 4, 5]);
    assertAllClose(
      nd.pooling(x, { globalPool: true, poolType: 'avg' }),
      x.mean({ axis: [2, 3], keepdims: true }),
      {
        rtol: 1e-12,
      },
    );
    assertAllClose(
      nd.pooling(x, { globalPool: true, kernel: 2, stride: 5, pad: 1 }),
      x.max({ axis: [2, 3], keepdims: true }),
    );
    expect(nd.pooling(x, { globalPool: true }).shape).toEqual([2, 3, 1, 1]);
  });

  it('casts integer data to float32 and handles an empty batch', () => {
    const y = nd.pooling(nd.arange(0, 16, 1, { dtype: 'int32' }).reshape(1, 1, 4, 4), {
      kernel: 2,
      stride: 2,
      poolType: 'avg',
    });
    expect(y.dtype).toBe('float32');
    assertAllClose(y, [
      [
        [
          [2.5, 4.5],
          [10.5, 12.5],
        ],
      ],
    ]);
    expect(nd.pooling(nd.zeros([0, 2, 4, 4]), { kernel: 2 }).shape).toEqual([0, 2, 3, 3]);
  });
});

describe('pooling gradients (numerical checks, float64)', () => {
  const cases: Array<[string, number[], PoolingOptions]> = [
    ['max 2x2 stride 2 (LeNet)', [2, 2, 6, 6], { kernel: 2, stride: 2 }],
    ['max 3x3 stride 2 pad 1', [1, 2, 5, 6], { kernel: 3, stride: 2, pad: 1 }],
    ['max non-square, full', [1, 2, 5, 8], { kernel: [2, 3], stride: 2, poolingConvention: 'full' }],
    ['max overlapping, stride 1', [2, 1, 4, 5], { kernel: 3 }],
    ['avg with countIncludePad, valid', [2, 2, 5, 6], { poolType: 'avg', kernel: 3, stride: 2, pad: 1 }],
    [
      'avg without countIncludePad, valid',
      [2, 2, 5, 6],
      { poolType: 'avg', kernel: 3, stride: 2, pad: 1, countIncludePad: false },
    ],
    [
      'avg with countIncludePad, full',
      [1, 2, 6, 7],
      { poolType: 'avg', kernel: [3, 2], stride: [2, 3], pad: [1, 0], poolingConvention: 'full' },
    ],
    [
      'avg without countIncludePad, full',
      [1, 2, 6, 7],
      {
        poolType: 'avg',
        kernel: [3, 2],
        stride: [2, 3],
        pad: [1, 0],
        poolingConvention: 'full',
        countIncludePad: false,
      },
    ],
    ['global max', [2, 3, 3, 4], { globalPool: true }],
    ['global avg', [2, 3, 3, 4], { globalPool: true, poolType: 'avg' }],
  ];
  for (const [name, shape, options] of cases) {
    it(name, () => {
      // every window keeps an element of the input (no NaN or lowest-float outputs)
      expect(nd.pooling(distinct(shape), options).abs().max().asScalar()).toBeLessThan(10);
      // distinct values (spaced 0.1 apart at least) keep max pooling away from ties
      checkGradient((x) => nd.pooling(x, options), [distinct(shape)]);
    });
  }

  it('second order for average pooling: the gradient of its backward pass', () => {
    const options: PoolingOptions = { poolType: 'avg', kernel: 3, stride: 2, pad: 1, countIncludePad: false };
    checkGradient(
      (x) => {
        const [g] = autograd.grad(
          autograd.record(() => nd.pooling(x, options).square().sum()),
          [x],
          { createGraph: true },
        );
        return g;
      },
      [distinct([1, 2, 5, 6])],
    );
  });

  it('second order for max pooling is refused with a clear error', () => {
    const x = distinct([1, 1, 4, 4]);
    x.attachGrad();
    const [g] = autograd.grad(
      autograd.record(() => nd.pooling(x, { kernel: 2 }).square().sum()),
      [x],
      { createGraph: true },
    );
    expect(() => autograd.record(() => g.sum()).backward()).toThrow(
      'pooling: second-order gradients of max pooling are not supported',
    );
  });
});

describe('pooling errors', () => {
  const x = nd.zeros([2, 3, 5, 5]);
  it('names the op, the shapes and the option', () => {
    expect(() => nd.pooling(nd.zeros([3, 5, 5]), { kernel: 2 })).toThrow(
      'pooling: data must be 4-D (batch, channels, height, width), got shape (3,5,5)',
    );
    expect(() => nd.pooling(x, { kernel: 6 })).toThrow(
      'pooling: kernel (6,6) is larger than the padded input 5x5 (data (2,3,5,5), pad (0,0))',
    );
    expect(nd.pooling(x, { kernel: 6, pad: 1 }).shape).toEqual([2, 3, 2, 2]);
    expect(() => nd.pooling(x, { kernel: [2, 8], pad: [0, 1] })).toThrow(
      'pooling: kernel (2,8) is larger than the padded input 5x7 (data (2,3,5,5), pad (0,1))',
    );
    expect(() => nd.pooling(x, {})).toThrow('pooling: kernel is required unless globalPool is set');
    expect(() => nd.pooling(x, { kernel: 0 })).toThrow(/^pooling: kernel must be positive integers.*got 0/);
    expect(() => nd.pooling(x, { kernel: 2, stride: [1, 0] })).toThrow(
      /^pooling: stride must be positive integers.*got \(1,0\)/,
    );
    expect(() => nd.pooling(x, { kernel: 2, pad: -1 })).toThrow(
      /^pooling: pad must be non-negative integers/,
    );
    expect(() => nd.pooling(x, { kernel: 2, poolType: 'sum' as 'max' })).toThrow(
      "pooling: poolType must be 'max' or 'avg', got 'sum'",
    );
    expect(() => nd.pooling(x, { kernel: 2, poolingConvention: 'same' as 'full' })).toThrow(
      "pooling: poolingConvention must be 'valid' or 'full', got 'same'",
    );
    expect(() => nd.pooling(nd.zeros([1, 1, 0, 3]), { globalPool: true })).toThrow(
      'pooling: global pooling needs a non-empty image, got data (1,1,0,3)',
    );
    expect(() => nd.pooling([1, 2] as unknown as NDArray, { kernel: 1 })).toThrow(
      'pooling: data must be an NDArray',
    );
  });
});
