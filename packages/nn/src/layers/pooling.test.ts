import { autograd, type NDArray, nd } from '@minimx/ndarray';
import { beforeEach, describe, expect, it } from 'vitest';
import { nn } from '../index.js';
import { checkGradients, expectClose } from '../test-helpers.js';

beforeEach(() => nn.resetNameCounters());

/** Deterministic test values ((i·a) mod m)/d − 1, the same formula the PyTorch reference used. */
function seq(shape: number[], a: number, m: number, d: number): NDArray {
  const n = shape.reduce((p, q) => p * q, 1);
  return nd
    .array(
      Array.from({ length: n }, (_, i) => ((i * a) % m) / d - 1),
      { dtype: 'float64' },
    )
    .reshape(...shape);
}

// x = seq([1, 1, 5, 5], 7, 11, 5):
// [[-1.0,  0.4, -0.4,  1.0,  0.2],
//  [-0.6,  0.8,  0.0, -0.8,  0.6],
//  [-0.2, -1.0,  0.4, -0.4,  1.0],
//  [ 0.2, -0.6,  0.8,  0.0, -0.8],
//  [ 0.6, -0.2, -1.0,  0.4, -0.4]]
const x5 = () => seq([1, 1, 5, 5], 7, 11, 5);

describe('MaxPool2D and AvgPool2D', () => {
  it('default to a 2x2 window with strides equal to the pool size (also for strides null)', () => {
    const x = nd.ones([2, 3, 8, 6]);
    expect(new nn.MaxPool2D().forward(x).shape).toEqual([2, 3, 4, 3]);
    expect(new nn.MaxPool2D({ poolSize: 3 }).strides).toEqual([3, 3]);
    expect(new nn.MaxPool2D({ poolSize: [3, 2], strides: null }).forward(x).shape).toEqual([2, 3, 2, 3]);
    expect(new nn.AvgPool2D({ poolSize: 3, strides: 1, padding: 1 }).forward(x).shape).toEqual([2, 3, 8, 6]);
    expect(new nn.MaxPool2D({ poolSize: 3, strides: 2, padding: 1 }).forward(x).shape).toEqual([2, 3, 4, 3]);
    // ceilMode: MXNet's 'full' convention, ceil((H + 2p - k)/s) + 1.
    expect(new nn.MaxPool2D({ poolSize: 2, ceilMode: true }).forward(nd.ones([1, 1, 5, 7])).shape).toEqual([
      1, 1, 3, 4,
    ]);
  });

  it('compute the values PyTorch gives (max, ceil mode, average with and without padding counted)', () => {
    // torch.nn.functional max_pool2d / avg_pool2d on x5() in float64 (torch 1.13).
    const max = new nn.MaxPool2D({ poolSize: 2 }).forward(x5());
    expect(max.shape).toEqual([1, 1, 2, 2]);
    expectClose(max, [0.8, 1.0, 0.2, 0.8], 1e-12);
    const ceil = new nn.MaxPool2D({ poolSize: 2, strides: 2, ceilMode: true }).forward(x5());
    expect(ceil.shape).toEqual([1, 1, 3, 3]);
    expectClose(ceil, [0.8, 1.0, 0.6, 0.2, 0.8, 1.0, 0.6, 0.4, -0.4], 1e-12);
    expectClose(
      new nn.AvgPool2D({ poolSize: 3, strides: 1, padding: 1 }).forward(x5()),
      [
        -0.0444444444, -0.0888888889, 0.1111111111, 0.0666666667, 0.1111111111, -0.1777777778, -0.1777777778,
        0, 0.1777777778, 0.1777777778, -0.1555555556, -0.0222222222, -0.0888888889, 0.0888888889,
        -0.0444444444, -0.1333333333, -0.1111111111, -0.1777777778, 0, -0.0222222222, 0, -0.0222222222,
        -0.0666666667, -0.1111111111, -0.0888888889,
      ],
      1e-9,
    );
    expectClose(
      new nn.AvgPool2D({ poolSize: 3, strides: 1, padding: 1, countIncludePad: false }).forward(x5()),
      [
        -0.1, -0.1333333333, 0.1666666667, 0.1, 0.25, -0.2666666667, -0.1777777778, 0, 0.1777777778,
        0.2666666667, -0.2333333333, -0.0222222222, -0.0888888889, 0.0888888889, -0.0666666667, -0.2,
        -0.1111111111, -0.1777777778, 0, -0.0333333333, 0, -0.0333333333, -0.1, -0.1666666667, -0.2,
      ],
      1e-9,
    );
    expectClose(
      new nn.AvgPool2D({ poolSize: 3, strides: 2 }).forward(x5()),
      [-0.1777777778, 0.1777777778, -0.1111111111, 0],
      1e-9,
    );
  });

  it('route the max-pooling gradient to each window maximum; average pooling passes a gradient check', () => {
    const x = x5();
    x.attachGrad();
    autograd.record(() => new nn.MaxPool2D({ poolSize: 2 }).forward(x).sum()).backward();
    // torch: x.grad after max_pool2d(x, 2, 2).sum().backward().
    expect(Array.from(x.grad!.data)).toEqual([
      0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0,
    ]);
    autograd.record(() => new nn.MaxPool2D({ poolSize: 2, ceilMode: true }).forward(x).sum()).backward();
    expect(Array.from(x.grad!.data)).toEqual([
      0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 1, 0, 0, 1, 0, 0, 1, 1,
    ]);
    nd.random.seed(11);
    const y = nd.random.normal({ shape: [2, 2, 5, 4], dtype: 'float64' });
    const w = nd.random.normal({ shape: [2, 2, 3, 2], dtype: 'float64' });
    const avg = new nn.AvgPool2D({
      poolSize: [2, 3],
      strides: [2, 1],
      padding: [1, 0],
      countIncludePad: false,
    });
    checkGradients(() => avg.forward(y).mul(w).sum(), [y]);
    const max = new nn.MaxPool2D({ poolSize: 3, strides: 2, padding: 1 });
    checkGradients(() => max.forward(y).mul(w).sum(), [y]);
  });
});

describe('GlobalMaxPool2D and GlobalAvgPool2D', () => {
  it('reduce each channel plane to (N, C, 1, 1) (values from PyTorch amax / mean)', () => {
    const x = seq([2, 2, 3, 3], 7, 11, 5);
    const max = new nn.GlobalMaxPool2D().forward(x);
    expect(max.shape).toEqual([2, 2, 1, 1]);
    expectClose(max, [1, 1, 1, 0.8], 1e-12);
    const avg = new nn.GlobalAvgPool2D().forward(x);
    expect(avg.shape).toEqual([2, 2, 1, 1]);
    expectClose(avg, [-0.0444444444, 0.0888888889, -0.0222222222, -0.1333333333], 1e-9);
    expect(new nn.GlobalAvgPool2D().forward(nd.ones([1, 512, 3, 3])).shape).toEqual([1, 512, 1, 1]);
  });
});

describe('pooling layers', () => {
  it("share Gluon's name prefix pool (pool0, pool1, ...) and have no parameters", () => {
    const layers = [
      new nn.MaxPool2D(),
      new nn.AvgPool2D(),
      new nn.GlobalMaxPool2D(),
      new nn.GlobalAvgPool2D(),
    ];
    expect(layers.map((l) => l.name)).toEqual(['pool0', 'pool1', 'pool2', 'pool3']);
    expect(layers.map((l) => l.collectParams().size)).toEqual([0, 0, 0, 0]);
  });

  it("print Gluon's form", () => {
    expect(new nn.MaxPool2D({ poolSize: 2, strides: 2 }).toString()).toBe(
      'MaxPool2D(size=(2, 2), stride=(2, 2), padding=(0, 0), ceil_mode=False, global_pool=False, pool_type=max, layout=NCHW)',
    );
    expect(new nn.MaxPool2D({ poolSize: 3, strides: 2, padding: 1, ceilMode: true }).toString()).toBe(
      'MaxPool2D(size=(3, 3), stride=(2, 2), padding=(1, 1), ceil_mode=True, global_pool=False, pool_type=max, layout=NCHW)',
    );
    expect(new nn.AvgPool2D({ poolSize: [3, 1], strides: 1, countIncludePad: false }).toString()).toBe(
      'AvgPool2D(size=(3, 1), stride=(1, 1), padding=(0, 0), ceil_mode=False, global_pool=False, pool_type=avg, layout=NCHW)',
    );
    expect(new nn.GlobalAvgPool2D().toString()).toBe(
      'GlobalAvgPool2D(size=(1, 1), stride=(1, 1), padding=(0, 0), ceil_mode=True, global_pool=True, pool_type=avg, layout=NCHW)',
    );
    expect(new nn.GlobalMaxPool2D().toString()).toBe(
      'GlobalMaxPool2D(size=(1, 1), stride=(1, 1), padding=(0, 0), ceil_mode=True, global_pool=True, pool_type=max, layout=NCHW)',
    );
  });

  it('reject bad options and inputs with errors naming the layer, the shapes and the option', () => {
    const pool = new nn.MaxPool2D({ poolSize: 3 });
    expect(() => pool.forward(nd.ones([6, 12, 12]))).toThrow(
      'pool0: expected a 4-D input (N, C, H, W) for layout NCHW, got 3-D input (6,12,12)',
    );
    expect(() => pool.forward(nd.ones([1, 1, 2, 5]))).toThrow(
      'pool0: pool_size=(3, 3) is larger than the padded input 2x5 (input (1,1,2,5), padding=(0, 0))',
    );
    expect(() => new nn.GlobalAvgPool2D().forward(nd.ones([2, 3]))).toThrow(
      'pool1: expected a 4-D input (N, C, H, W) for layout NCHW, got 2-D input (2,3)',
    );
    expect(() => new nn.MaxPool2D({ strides: 0 })).toThrow(
      'pool2: strides must be an integer >= 1 or a pair of them, got 0',
    );
    expect(() => new nn.AvgPool2D({ poolSize: [2, 0] })).toThrow(
      'pool3: poolSize must be an integer >= 1 or a pair of them, got [2, 0]',
    );
    expect(() => new nn.AvgPool2D({ padding: -1 })).toThrow(
      'pool4: padding must be an integer >= 0 or a pair of them, got -1',
    );
    expect(() => new nn.MaxPool2D({ layout: 'NHWC' as 'NCHW' })).toThrow(
      `pool5: layout "NHWC" is not supported; only 'NCHW' is implemented`,
    );
  });

  it('gives the same errors for every pooling layer: average, global, negative strides, booleans', () => {
    const avg = new nn.AvgPool2D({ poolSize: 3, padding: 1 });
    expect(() => avg.forward(nd.ones([1, 6, 6]))).toThrow(
      'pool0: expected a 4-D input (N, C, H, W) for layout NCHW, got 3-D input (1,6,6)',
    );
    expect(() => avg.forward(nd.ones([1, 1, 1, 1, 6]))).toThrow(/^pool0: expected a 4-D input .*got 5-D/);
    expect(() => new nn.AvgPool2D({ poolSize: 4 }).forward(nd.ones([1, 1, 3, 8]))).toThrow(
      'pool1: pool_size=(4, 4) is larger than the padded input 3x8 (input (1,1,3,8), padding=(0, 0))',
    );
    // with padding the same window fits
    expect(new nn.AvgPool2D({ poolSize: 4, padding: 1 }).forward(nd.ones([1, 1, 3, 8])).shape).toEqual([
      1, 1, 1, 2,
    ]);
    expect(() => new nn.GlobalMaxPool2D().forward(nd.ones([6, 6]))).toThrow(
      'pool3: expected a 4-D input (N, C, H, W) for layout NCHW, got 2-D input (6,6)',
    );
    expect(() => new nn.MaxPool2D({ strides: -2 })).toThrow(
      'pool4: strides must be an integer >= 1 or a pair of them, got -2',
    );
    expect(() => new nn.AvgPool2D({ strides: [1, 0] })).toThrow(
      'pool5: strides must be an integer >= 1 or a pair of them, got [1, 0]',
    );
    expect(() => new nn.AvgPool2D({ strides: 1.5 })).toThrow(/^pool6: strides must be an integer >= 1/);
    expect(() => new nn.AvgPool2D({ countIncludePad: 'no' as unknown as boolean })).toThrow(
      'pool7: countIncludePad must be true or false, got "no"',
    );
    expect(() => new nn.MaxPool2D({ ceilMode: 1 as unknown as boolean })).toThrow(
      'pool8: ceilMode must be true or false, got 1',
    );
  });
});
