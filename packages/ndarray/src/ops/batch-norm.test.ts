// Tests of nd.batchNorm: training-mode output, gradients and moving-statistic update against
// PyTorch (with MXNet's biased-variance update), prediction with the moving statistics,
// useGlobalStats, fixGamma, other axes, numerical gradient checks, and bad input.
import { describe, expect, it } from 'vitest';
import { autograd, type NDArray, nd, testing } from '../index.js';
import type { BatchNormOptions } from './batch-norm.js';

const { assertAllClose, checkGradient } = testing;

/** Element i is ((i·a) mod m - off) / div, in float64 (the PyTorch script's inputs). */
function formula(shape: number[], a = 7, m = 11, off = 5, div = 4): NDArray {
  const n = shape.reduce((p, q) => p * q, 1);
  return nd.fromTypedArray(
    Float64Array.from({ length: n }, (_, i) => (((i * a) % m) - off) / div),
    shape,
  );
}
const f64 = (v: number[], shape?: number[]) => {
  const a = nd.array(v, { dtype: 'float64' });
  return shape ? a.reshape(shape) : a;
};

// Computed once with PyTorch 1.13 (float64), /usr/bin/python3, for shape in ([4,3], [2,3,2,2]):
//   x = fx(shape) (element i = ((7i) % 11 - 5) / 4); g = tensor([1.5, -0.5, 2.0]); be = tensor([0.1, 0.2, -0.3])
//   rm = tensor([0.5, -0.25, 1.0]); rv = tensor([2.0, 0.5, 1.5])
//   y = F.batch_norm(x, rm, rv, g, be, training=True, momentum=0.1, eps=1e-3)
//   y.backward(fx(y.shape, 13, 17, 8, 8))
// PyTorch's momentum 0.1 is MXNet's 0.9. PyTorch's running_var update uses the unbiased batch
// variance (torchRunningVar, kept for reference only); MXNet's uses the biased one:
//   mxnetMovingVar = 0.9 * rv + 0.1 * x.var(dim=all but 1, unbiased=False), which is what we test.
const TORCH_BN = {
  bn2d: {
    y: [
      -2.455034698705008, -0.4665679231770239, 2.3662716927080956, 1.330201891969078, -0.022189307725674623,
      0.5887572309026985, 0.9516782329016693, 0.42218930772567465, -1.1887572309026986, 0.5731545738342607,
      0.8665679231770239, -2.9662716927080957,
    ],
    dx: [
      -0.2500230301319254, -1.1335866813587143, -1.4805600315748748, -1.0362186104202287, 1.510746888548663,
      4.542770964590334, 0.08334101004397519, 0.3778622271195715, -4.542770964590334, 1.2029006305081789,
      -0.75502243430952, 1.4805600315748748,
    ],
    dgamma: [1.8137591996979994, 0.05554732693141866, 0.9998518847655359],
    dbeta: [-0.25, -0.125, 0],
    runningMean: [0.49375, -0.2125, 0.8125],
    torchRunningVar: [1.9307291666666666, 0.4604166666666667, 1.3604166666666668],
    mxnetMovingVar: [1.8980468750000001, 0.4578125, 1.3578125],
  },
  bn4d: {
    y: [
      -2.506049421351187, 0.6665324829024319, -1.1463714623853503, 2.0262104418682685, 0.005633955674088809,
      0.6967132243884397, -0.5126754958616744, 0.17840377285267656, -2.1726241522695777, 2.1968322030261036,
      -0.3, -2.7968322030261032, 0.6665324829024319, -1.1463714623853503, 2.0262104418682685,
      0.2133064965804864, 0.6967132243884397, -0.5126754958616744, 0.17840377285267656, 0.8694830415670276,
      2.1968322030261036, -0.3, -2.7968322030261032, 1.5726241522695776,
    ],
    dx: [
      -1.4903732555419222, 0.993980426637207, 0.35130858480103977, -1.0167586167563682, 0.4683708958099344,
      -0.4386803138971417, -0.47105773295901865, 0.09043450335190109, -1.6836242789235505, 1.8416980057844774,
      0.8972990729625059, -0.047099859859465666, -1.2721495049725209, 1.9375995369278494, 0.5695323353704413,
      -0.07313950646572595, 0.42516877199579706, 0.3927913529339201, -0.514259856773156, 0.04723237953776373,
      -1.279342247998152, -2.2237411808201233, 2.137628317788375, 0.35718217106593286,
    ],
    dgamma: [0.9631052209341343, -1.8086840235883406, 0.7802600634456573],
    dbeta: [0.25, -0.875, 0.125],
    runningMean: [0.46875, -0.228125, 0.875],
    torchRunningVar: [1.878125, 0.5097098214285715, 1.4232142857142858],
    mxnetMovingVar: [1.868359375, 0.50224609375, 1.4140625],
  },
};

const GAMMA = [1.5, -0.5, 2.0];
const BETA = [0.1, 0.2, -0.3];
const MOVING_MEAN = [0.5, -0.25, 1.0];
const MOVING_VAR = [2.0, 0.5, 1.5];

describe('batchNorm', () => {
  for (const [name, shape] of [
    ['bn2d', [4, 3]],
    ['bn4d', [2, 3, 2, 2]],
  ] as Array<[keyof typeof TORCH_BN, number[]]>) {
    it(`training: output, gradients and the moving-statistic update match PyTorch / MXNet (${shape.join('x')})`, () => {
      const t = TORCH_BN[name];
      const x = formula(shape);
      const gamma = f64(GAMMA);
      const beta = f64(BETA);
      const mm = f64(MOVING_MEAN);
      const mv = f64(MOVING_VAR);
      for (const v of [x, gamma, beta]) v.attachGrad();
      const y = autograd.record(() => nd.batchNorm(x, gamma, beta, mm, mv, { fixGamma: false }));
      y.backward(formula(shape, 13, 17, 8, 8));
      const tol = { rtol: 1e-10, atol: 1e-12 };
      assertAllClose(y, f64(t.y, shape), tol);
      assertAllClose(x.grad as NDArray, f64(t.dx, shape), tol);
      assertAllClose(gamma.grad as NDArray, f64(t.dgamma), tol);
      assertAllClose(beta.grad as NDArray, f64(t.dbeta), tol);
      assertAllClose(mm, f64(t.runningMean), tol);
      assertAllClose(mv, f64(t.mxnetMovingVar), tol);
      expect(() => assertAllClose(mv, f64(t.torchRunningVar), tol)).toThrow();
    });
  }

  it('predicting (outside record) normalises with the moving statistics and updates nothing', () => {
    const x = formula([2, 3, 2, 2]);
    const mm = f64(MOVING_MEAN);
    const mv = f64(MOVING_VAR);
    const y = nd.batchNorm(x, f64(GAMMA), f64(BETA), mm, mv, { fixGamma: false, eps: 1e-5 });
    const c = (v: number[]) => f64(v, [1, 3, 1, 1]);
    const expected = x.sub(c(MOVING_MEAN)).div(c(MOVING_VAR).add(1e-5).sqrt()).mul(c(GAMMA)).add(c(BETA));
    assertAllClose(y, expected, { rtol: 1e-12 });
    assertAllClose(mm, MOVING_MEAN);
    assertAllClose(mv, MOVING_VAR);
    // record(..., { trainMode: false }) predicts too
    const z = autograd.record(
      () => nd.batchNorm(x, f64(GAMMA), f64(BETA), mm, mv, { fixGamma: false, eps: 1e-5 }),
      {
        trainMode: false,
      },
    );
    assertAllClose(z, expected, { rtol: 1e-12 });
    // and trainMode outside record uses batch statistics
    const w = autograd.trainMode(() => nd.batchNorm(x, f64(GAMMA), f64(BETA), mm, mv, { fixGamma: false }));
    assertAllClose(w, f64(TORCH_BN.bn4d.y, [2, 3, 2, 2]), { rtol: 1e-10 });
  });

  it('useGlobalStats uses the moving statistics while training and updates nothing', () => {
    const x = formula([4, 3]);
    const mm = f64(MOVING_MEAN);
    const mv = f64(MOVING_VAR);
    const opts: BatchNormOptions = { fixGamma: false, useGlobalStats: true };
    const y = autograd.record(() => nd.batchNorm(x, f64(GAMMA), f64(BETA), mm, mv, opts));
    assertAllClose(y, nd.batchNorm(x, f64(GAMMA), f64(BETA), f64(MOVING_MEAN), f64(MOVING_VAR), opts), {
      rtol: 1e-12,
    });
    assertAllClose(mm, MOVING_MEAN);
    assertAllClose(mv, MOVING_VAR);
  });

  it('fixGamma (the default) treats gamma as 1 and gives it a zero gradient', () => {
    const x = formula([4, 3]);
    const gamma = f64(GAMMA);
    gamma.attachGrad();
    const y = autograd.record(() => nd.batchNorm(x, gamma, f64(BETA), f64(MOVING_MEAN), f64(MOVING_VAR)));
    y.backward();
    const ones = autograd.record(() =>
      nd.batchNorm(x, nd.ones([3], { dtype: 'float64' }), f64(BETA), f64(MOVING_MEAN), f64(MOVING_VAR), {
        fixGamma: false,
      }),
    );
    assertAllClose(y, ones, { rtol: 1e-12 });
    assertAllClose(gamma.grad as NDArray, [0, 0, 0]);
    assertAllClose(gamma, GAMMA);
  });

  it('normalises along another axis (channels last) as it does along axis 1 after a transpose', () => {
    const x = nd.random.normal({ shape: [2, 4, 3] });
    const args = (): [NDArray, NDArray, NDArray, NDArray] => [
      nd.array(GAMMA),
      nd.array(BETA),
      nd.array(MOVING_MEAN),
      nd.array(MOVING_VAR),
    ];
    const last = autograd.trainMode(() => nd.batchNorm(x, ...args(), { axis: -1, fixGamma: false }));
    const first = autograd.trainMode(() =>
      nd.batchNorm(x.transpose([0, 2, 1]), ...args(), { fixGamma: false }).transpose([0, 2, 1]),
    );
    assertAllClose(last, first, { rtol: 1e-5, atol: 1e-6 });
    expect(last.dtype).toBe('float32');
  });

  it('training output has zero mean and unit (biased) variance per channel before gamma and beta', () => {
    const x = nd.random.normal({ shape: [8, 3, 4, 4], loc: 3, scale: 2 });
    const y = autograd.trainMode(() =>
      nd.batchNorm(x, nd.ones([3]), nd.zeros([3]), nd.zeros([3]), nd.ones([3]), { eps: 0 }),
    );
    assertAllClose(y.mean({ axis: [0, 2, 3] }), [0, 0, 0], { atol: 1e-5 });
    assertAllClose(y.square().mean({ axis: [0, 2, 3] }), [1, 1, 1], { rtol: 1e-4 });
  });
});

describe('batchNorm gradients (numerical checks, float64, training mode)', () => {
  const cases: Array<[string, number[], BatchNormOptions]> = [
    ['2-D (N, C)', [5, 3], { fixGamma: false }],
    ['4-D (N, C, H, W)', [3, 2, 3, 2], { fixGamma: false }],
    ['4-D, fixGamma', [2, 3, 2, 2], {}],
    ['3-D, channels last', [2, 3, 4], { axis: 2, fixGamma: false, eps: 1e-5 }],
  ];
  for (const [name, shape, options] of cases) {
    it(name, () => {
      const channels = shape[options.axis ?? 1];
      checkGradient(
        (x, gamma, beta) =>
          autograd.trainMode(() =>
            nd.batchNorm(x, gamma, beta, nd.zeros([channels]), nd.ones([channels]), options),
          ),
        [
          nd.random.normal({ shape }),
          nd.random.uniform({ low: 0.5, high: 1.5, shape: [channels] }),
          nd.random.normal({ shape: [channels] }),
        ],
      );
    });
  }
  it('second order in training mode (the gradient recorded through ops)', () => {
    const grads = (x: NDArray, gamma: NDArray) =>
      autograd.grad(
        autograd.record(() =>
          nd
            .batchNorm(x, gamma, nd.zeros([2], { dtype: 'float64' }), nd.zeros([2]), nd.ones([2]), {
              fixGamma: false,
            })
            .square()
            .mul(x)
            .sum(),
        ),
        [x, gamma],
        { createGraph: true },
      );
    const inputs = [
      nd.random.normal({ shape: [4, 2, 3] }),
      nd.random.uniform({ low: 0.5, high: 1.5, shape: [2] }),
    ];
    // the recorded gradient (built from ops) equals the fused kernel's, which the checks above verify
    const [x, gamma] = inputs.map((v) => v.astype('float64'));
    x.attachGrad();
    gamma.attachGrad();
    const loss = () =>
      autograd.record(() =>
        nd
          .batchNorm(x, gamma, nd.zeros([2], { dtype: 'float64' }), nd.zeros([2]), nd.ones([2]), {
            fixGamma: false,
          })
          .square()
          .mul(x)
          .sum(),
      );
    const fused = autograd.grad(loss(), [x, gamma]);
    const recorded = autograd.grad(loss(), [x, gamma], { createGraph: true });
    assertAllClose(recorded[0], fused[0], { rtol: 1e-10, atol: 1e-12 });
    assertAllClose(recorded[1], fused[1], { rtol: 1e-10, atol: 1e-12 });
    checkGradient((x, gamma) => grads(x, gamma)[0], inputs, { rtol: 1e-3 });
    checkGradient((x, gamma) => grads(x, gamma)[1], inputs, { rtol: 1e-3 });
  });
  it('predict mode', () => {
    checkGradient(
      (x, gamma, beta) =>
        autograd.predictMode(() =>
          nd.batchNorm(x, gamma, beta, nd.array([0.1, -0.2]), nd.array([0.5, 2]), { fixGamma: false }),
        ),
      [
        nd.random.normal({ shape: [3, 2, 2, 2] }),
        nd.random.normal({ shape: [2] }),
        nd.random.normal({ shape: [2] }),
      ],
    );
  });
});

describe('batchNorm edge cases', () => {
  it('a constant channel with eps 0 normalizes to 0, as MXNet (invstd 0 instead of 0/0)', () => {
    const x = nd.array([
      [1, 2],
      [1, 4],
    ]);
    const y = autograd.trainMode(() =>
      nd.batchNorm(x, nd.ones([2]), nd.array([0.5, 0]), nd.zeros([2]), nd.ones([2]), { eps: 0 }),
    );
    assertAllClose(y, [
      [0.5, -1],
      [0.5, 1],
    ]);
  });
  it('keeps float32 data in float32 and casts integer data to float32', () => {
    const p = nd.ones([2]);
    expect(autograd.trainMode(() => nd.batchNorm(nd.ones([3, 2]), p, p, p, p)).dtype).toBe('float32');
    expect(
      autograd.trainMode(() => nd.batchNorm(nd.ones([3, 2], { dtype: 'int32' }), p, p, p, p)).dtype,
    ).toBe('float32');
    expect(nd.batchNorm(nd.ones([3, 2], { dtype: 'float64' }), p, p, p, p).dtype).toBe('float64');
  });
});

describe('batchNorm errors', () => {
  it('names the op and the shapes', () => {
    const x = nd.zeros([2, 3, 4, 4]);
    const p = nd.zeros([3]);
    expect(() => nd.batchNorm(nd.zeros([3]), p, p, p, p)).toThrow(
      'batchNorm: data must have at least 2 axes (batch, channels, ...), got shape (3,)',
    );
    expect(() => nd.batchNorm(x, nd.zeros([4]), p, p, p)).toThrow(
      'batchNorm: gamma (4,) must have shape (3,), the size of axis 1 of data (2,3,4,4)',
    );
    expect(() => nd.batchNorm(x, p, p, p, nd.zeros([3, 1]))).toThrow(
      /^batchNorm: movingVar \(3,1\) must have shape \(3,\)/,
    );
    expect(() => nd.batchNorm(x, p, p, p, p, { axis: 4 })).toThrow(/^batchNorm: axis 4 is out of range/);
    expect(() => autograd.trainMode(() => nd.batchNorm(nd.zeros([0, 3]), p, p, p, p))).toThrow(
      'batchNorm: cannot take batch statistics of the empty data (0,3)',
    );
  });
});
