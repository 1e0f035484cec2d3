import { autograd, type NDArray, nd } from '@minimx/ndarray';
import { beforeEach, describe, expect, it } from 'vitest';
import { loss as gloss, init, nn, parseParameterFile, Trainer } from '../index.js';
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

const f64 = (values: number[]) => nd.array(values, { dtype: 'float64' });

/** A (4, 3) batch: seq([4, 3], 7, 11, 5) * 2 + 0.5. */
const batch2d = () => seq([4, 3], 7, 11, 5).mul(2).add(0.5);

/** A float64 BatchNorm over 3 channels with gamma [1.5, -0.5, 2] and beta [0.1, 0.2, -0.3]. */
function bn3(options: nn.BatchNormOptions = {}): nn.BatchNorm {
  const bn = new nn.BatchNorm({ dtype: 'float64', ...options });
  bn.initialize();
  bn.forward(nd.zeros([1, 3], { dtype: 'float64' })); // infers C = 3 (predict mode: no update)
  bn.gamma.setData(f64([1.5, -0.5, 2]));
  bn.beta.setData(f64([0.1, 0.2, -0.3]));
  return bn;
}

/** The book's LeNet with batch normalization (d2l 5.10, Gluon version). */
function lenetBN(): nn.Sequential {
  const net = new nn.Sequential();
  net.add(
    new nn.Conv2D(6, { kernelSize: 5 }),
    new nn.BatchNorm(),
    new nn.Activation('sigmoid'),
    new nn.MaxPool2D({ poolSize: 2, strides: 2 }),
    new nn.Conv2D(16, { kernelSize: 5 }),
    new nn.BatchNorm(),
    new nn.Activation('sigmoid'),
    new nn.MaxPool2D({ poolSize: 2, strides: 2 }),
    new nn.Dense(120),
    new nn.BatchNorm(),
    new nn.Activation('sigmoid'),
    new nn.Dense(84),
    new nn.BatchNorm(),
    new nn.Activation('sigmoid'),
    new nn.Dense(10),
  );
  return net;
}

describe('BatchNorm', () => {
  it("has Gluon's parameters gamma, beta, running_mean, running_var (the last two without gradient)", () => {
    const bn = new nn.BatchNorm();
    expect(bn.name).toBe('batchnorm0');
    expect([...bn.collectParams().keys()]).toEqual([
      'batchnorm0_gamma',
      'batchnorm0_beta',
      'batchnorm0_running_mean',
      'batchnorm0_running_var',
    ]);
    expect(bn.runningMean.name).toBe('batchnorm0_running_mean');
    expect(bn.runningVar.name).toBe('batchnorm0_running_var');
    expect([bn.gamma, bn.beta, bn.runningMean, bn.runningVar].map((p) => p.gradReq)).toEqual([
      'write',
      'write',
      'null',
      'null',
    ]);
    const fixed = new nn.BatchNorm({ center: false, scale: false });
    expect([fixed.gamma.gradReq, fixed.beta.gradReq]).toEqual(['null', 'null']);
    const net = new nn.Sequential();
    net.add(new nn.Dense(4), new nn.BatchNorm());
    expect([...net.structuralParams().keys()]).toEqual([
      '0.weight',
      '0.bias',
      '1.gamma',
      '1.beta',
      '1.running_mean',
      '1.running_var',
    ]);
  });

  it('infers the channels on the first forward, after a Dense (N, C) or a Conv2D (N, C, H, W)', () => {
    const net = new nn.Sequential();
    net.add(
      new nn.Conv2D(6, { kernelSize: 3 }),
      new nn.BatchNorm(),
      new nn.Flatten(),
      new nn.Dense(5),
      new nn.BatchNorm(),
    );
    // The layer's own initializers win over the network's, as in Gluon: gamma 1, beta 0, mean 0, var 1.
    net.initialize(new init.Xavier());
    const bn = net.at<nn.BatchNorm>(1);
    expect(bn.gamma.shape).toEqual([0]);
    expect(bn.toString()).toBe(
      'BatchNorm(axis=1, eps=1e-05, momentum=0.9, fix_gamma=False, use_global_stats=False, in_channels=None)',
    );
    expect(net.forward(nd.ones([2, 2, 5, 5])).shape).toEqual([2, 5]);
    expect(bn.inChannels).toBe(6);
    expect(Array.from(bn.gamma.data().data)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(Array.from(bn.beta.data().data)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(Array.from(bn.runningMean.data().data)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(Array.from(bn.runningVar.data().data)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(net.at<nn.BatchNorm>(4).runningVar.data().shape).toEqual([5]);
    expect(bn.toString()).toBe(
      'BatchNorm(axis=1, eps=1e-05, momentum=0.9, fix_gamma=False, use_global_stats=False, in_channels=6)',
    );
    const given = new nn.BatchNorm({ inChannels: 4 });
    given.initialize();
    expect(given.runningMean.data().shape).toEqual([4]);
  });

  it('normalizes with batch statistics while training and updates the running ones (values from PyTorch)', () => {
    const bn = bn3();
    const x = batch2d();
    const y = autograd.record(() => bn.forward(x));
    // torch.nn.functional.batch_norm(x, rm, rv, gamma, beta, training=True, eps=1e-5), float64.
    expectClose(
      y,
      [
        -2.4563322403, -0.4708036234, 2.3832144935, 1.3308266342, -0.0236012078, 0.5944048312, 0.9521107468,
        0.4236012078, -1.1944048312, 0.5733948593, 0.8708036234, -2.9832144935,
      ],
      1e-9,
    );
    // 0.9 * running + 0.1 * batch, with the batch's biased variance (x.var(0, unbiased=False) in
    // torch; PyTorch's own running_var would use the unbiased one).
    expectClose(bn.runningMean.data(), [0.12, 0.07, -0.09], 1e-12);
    expectClose(bn.runningVar.data(), [1.151, 0.92, 0.92], 1e-12);
    // Predicting uses the running statistics and leaves them alone:
    // torch batch_norm(x, rm1, rv1, gamma, beta, training=False, eps=1e-5).
    const predicted = [
      -2.1649922753, -0.4411783386, -0.7378778898, 3.4275812439, -0.2326650577, -1.5719310131, 2.868323892,
      -0.0241517769, -2.4059841364, 2.3090665401, 0.1843615039, -3.2400372598,
    ];
    expectClose(bn.forward(x), predicted, 1e-9);
    expectClose(
      autograd.record(() => bn.forward(x), { trainMode: false }),
      predicted,
      1e-9,
    );
    expectClose(
      autograd.predictMode(() => bn.forward(x)),
      predicted,
      1e-9,
    );
    expectClose(bn.runningMean.data(), [0.12, 0.07, -0.09], 1e-12);
    // A second training batch moves them again: 0.9 * 0.12 + 0.1 * mean = 0.108 + 0.1 * 1.2.
    autograd.record(() => bn.forward(x));
    expectClose(bn.runningMean.data(), [0.228, 0.133, -0.171], 1e-12);
  });

  it('normalizes each channel over (N, H, W) for convolution outputs (values from PyTorch)', () => {
    const bn = new nn.BatchNorm({ dtype: 'float64' });
    bn.initialize();
    const x = seq([2, 2, 2, 3], 5, 13, 3);
    const y = autograd.record(() => bn.forward(x));
    // torch batch_norm(x, zeros(2), ones(2), None, None, training=True, eps=1e-5), float64.
    expectClose(
      y,
      [
        -1.4685718849, -0.1727731629, 1.123025559, -0.9502523961, 0.3455463259, 1.6413450478, -0.6441243767,
        0.6885467475, -1.4437270511, -0.111055927, 1.2216151971, -0.9106586015, 0.6047060703, -1.4685718849,
        -0.1727731629, 1.123025559, -0.9502523961, 0.3455463259, 1.4881494219, -0.6441243767, 0.6885467475,
        -1.4437270511, -0.111055927, 1.2216151971,
      ],
      1e-9,
    );
    // 0.1 * x.mean((0, 2, 3)) and 0.9 + 0.1 * x.var((0, 2, 3), unbiased=False).
    expectClose(bn.runningMean.data(), [0.0888888889, 0.1138888889], 1e-9);
    expectClose(bn.runningVar.data(), [1.0654320988, 1.056404321], 1e-9);
  });

  it('normalizes over another axis, and with useGlobalStats uses the running statistics while training', () => {
    const x = batch2d();
    const byRows = new nn.BatchNorm({ axis: 0, dtype: 'float64' });
    byRows.initialize();
    const y = autograd.record(() => byRows.forward(x));
    expect(byRows.runningMean.data().shape).toEqual([4]);
    const row = Array.from(y.data).slice(0, 3);
    expect(Math.abs(row[0] + row[1] + row[2])).toBeLessThan(1e-12);

    const global = bn3({ useGlobalStats: true });
    global.runningMean.setData(f64([1, 2, 3]));
    global.runningVar.setData(f64([4, 1, 0.25]));
    const out = autograd.record(() => global.forward(x));
    const xs = Array.from(x.data);
    const expected = xs.map((v, i) => {
      const c = i % 3;
      return (
        ((v - [1, 2, 3][c]) / Math.sqrt([4, 1, 0.25][c] + 1e-5)) * [1.5, -0.5, 2][c] + [0.1, 0.2, -0.3][c]
      );
    });
    expectClose(out, expected, 1e-12);
    expectClose(global.runningMean.data(), [1, 2, 3], 0);
  });

  it('with scale=false fixes gamma at 1 (fix_gamma), with center=false keeps beta without gradient', () => {
    const x = batch2d();
    const plain = new nn.BatchNorm({ dtype: 'float64', scale: false, center: false });
    plain.initialize();
    const reference = autograd.record(() => plain.forward(x));
    const fixed = new nn.BatchNorm({ dtype: 'float64', scale: false, center: false, inChannels: 3 });
    fixed.initialize();
    fixed.gamma.setData(f64([2, 3, 4])); // ignored: fix_gamma
    x.attachGrad();
    let out = x;
    autograd
      .record(() => {
        out = fixed.forward(x);
        return out.mul(f64([1, 2, 3]));
      })
      .backward();
    expect(x.grad!.abs().sum().asScalar()).toBeGreaterThan(0);
    expect(Array.from(out.data)).toEqual(Array.from(reference.data));
    expect(() => fixed.gamma.grad()).toThrow(/gradReq is 'null'/);
    expect(() => fixed.beta.grad()).toThrow(/gradReq is 'null'/);
    expect(fixed.toString()).toBe(
      'BatchNorm(axis=1, eps=1e-05, momentum=0.9, fix_gamma=True, use_global_stats=False, in_channels=3)',
    );
    expect(
      new nn.BatchNorm({ axis: -1, epsilon: 0.001, momentum: 0.99, useGlobalStats: true }).toString(),
    ).toBe(
      'BatchNorm(axis=-1, eps=0.001, momentum=0.99, fix_gamma=False, use_global_stats=True, in_channels=None)',
    );
    expect(new nn.BatchNorm({ epsilon: 2e-5, momentum: 0 }).toString()).toMatch(
      /^BatchNorm\(axis=1, eps=2e-05, momentum=0\.0,/,
    );
  });

  it('passes a numerical gradient check in training mode (input, gamma, beta), for (N,C) and (N,C,H,W)', () => {
    nd.random.seed(5);
    const bn = bn3();
    const x = batch2d();
    const mix = nd.random.normal({ shape: [4, 3], dtype: 'float64' });
    checkGradients(
      () => autograd.trainMode(() => bn.forward(x).mul(mix).sum()),
      [x, bn.gamma.data(), bn.beta.data()],
      { tol: 1e-5 },
    );
    const bn4 = new nn.BatchNorm({ dtype: 'float64' });
    bn4.initialize();
    const x4 = nd.random.normal({ shape: [2, 2, 3, 2], dtype: 'float64' });
    const mix4 = nd.random.normal({ shape: [2, 2, 3, 2], dtype: 'float64' });
    bn4.forward(x4);
    checkGradients(() => autograd.trainMode(() => bn4.forward(x4).mul(mix4).sum()), [x4, bn4.gamma.data()], {
      tol: 1e-5,
    });
  });

  it('rejects inputs and options that do not fit, naming the layer and the shapes', () => {
    const bn = new nn.BatchNorm();
    bn.initialize();
    bn.forward(nd.ones([2, 6, 4, 4]));
    expect(() => bn.forward(nd.ones([2, 3, 4, 4]))).toThrow(
      'batchnorm0: expected input with 6 channels on axis 1 (gamma (6,)), got (2,3,4,4)',
    );
    expect(() => new nn.BatchNorm({ axis: 3 }).forward(nd.ones([2, 3]))).toThrow(
      'batchnorm1: axis=3 is out of range for a 2-D input (2,3)',
    );
    expect(() => new nn.BatchNorm({ momentum: 1.5 })).toThrow(
      'batchnorm2: momentum must be in [0, 1], got 1.5',
    );
    expect(() => new nn.BatchNorm({ epsilon: -1 })).toThrow(
      /batchnorm3: epsilon must be a non-negative number/,
    );
    expect(() => new nn.BatchNorm({ inChannels: -2 })).toThrow(
      /batchnorm4: inChannels must be a non-negative integer/,
    );
    const one = new nn.BatchNorm({ axis: 0 });
    one.initialize();
    expect(() => one.forward(nd.ones([5]))).toThrow(/^batchnorm5: batchNorm: data must have at least 2 axes/);
    // the channel check holds while training too, and for a declared inChannels
    expect(() => autograd.record(() => bn.forward(nd.ones([2, 3, 4, 4])))).toThrow(
      'batchnorm0: expected input with 6 channels on axis 1 (gamma (6,)), got (2,3,4,4)',
    );
    const declared = new nn.BatchNorm({ inChannels: 4 });
    declared.initialize();
    expect(() => declared.forward(nd.ones([2, 3]))).toThrow(
      'batchnorm6: expected input with 4 channels on axis 1 (gamma (4,)), got (2,3)',
    );
    expect(() => new nn.BatchNorm().forward(nd.ones([5]))).toThrow(
      'batchnorm7: axis=1 is out of range for a 1-D input (5,)',
    );
    expect(() => new nn.BatchNorm({ scale: 'yes' as unknown as boolean })).toThrow(
      'batchnorm8: scale must be true or false, got "yes"',
    );
  });

  it('saves and loads the running statistics in parameter files (1.running_mean), predicting identically', () => {
    nd.random.seed(8);
    const net = lenetBN();
    net.initialize(new init.Xavier());
    const X = nd.random.uniform({ shape: [4, 1, 28, 28] });
    autograd.record(() => net.forward(X)); // one training forward moves the running statistics
    const running = Array.from(net.at<nn.BatchNorm>(1).runningMean.data().data);
    expect(running.some((v) => v !== 0)).toBe(true);
    const bytes = net.saveParametersToBytes();
    const keys = [...parseParameterFile(bytes, 'lenet-bn').keys()];
    expect(keys.slice(0, 6)).toEqual([
      '0.weight',
      '0.bias',
      '1.gamma',
      '1.beta',
      '1.running_mean',
      '1.running_var',
    ]);
    expect(keys).toContain('12.running_var');
    const copy = lenetBN();
    copy.loadParametersFromBytes(bytes);
    expect(Array.from(copy.at<nn.BatchNorm>(1).runningMean.data().data)).toEqual(running);
    expect(Array.from(copy.forward(X).data)).toEqual(Array.from(net.forward(X).data));
    expect(copy.at<nn.BatchNorm>(9).toString()).toBe(
      'BatchNorm(axis=1, eps=1e-05, momentum=0.9, fix_gamma=False, use_global_stats=False, in_channels=120)',
    );
  });

  it('trains a tiny conv net with batch normalization: the loss falls and predictions are right', () => {
    // Images of one horizontal (class 0) or vertical (class 1) bar on an 8x8 grid, with noise.
    nd.random.seed(3);
    const n = 64;
    const labels = nd.random.randint(0, 2, { shape: [n] });
    const noise = nd.random.normal({ shape: [n, 1, 8, 8], scale: 0.2 });
    const X = nd.zeros([n, 1, 8, 8]);
    for (let s = 0; s < n; s++) {
      const at = 1 + (s % 6);
      for (let k = 0; k < 8; k++) {
        const [r, c] = labels.data[s] === 0 ? [at, k] : [k, at];
        X.data[s * 64 + r * 8 + c] = 1;
      }
      for (let i = 0; i < 64; i++) X.data[s * 64 + i] += noise.data[s * 64 + i];
    }
    const net = new nn.HybridSequential();
    net.add(
      new nn.Conv2D(4, { kernelSize: 3, padding: 1 }),
      new nn.BatchNorm(),
      new nn.Activation('relu'),
      new nn.MaxPool2D({ poolSize: 2, strides: 2 }),
      new nn.Conv2D(8, { kernelSize: 3 }),
      new nn.BatchNorm(),
      new nn.Activation('relu'),
      new nn.GlobalAvgPool2D(),
      new nn.Dense(2),
    );
    net.initialize(new init.Xavier());
    net.hybridize();
    const loss = new gloss.SoftmaxCrossEntropyLoss();
    const trainer = new Trainer(net.collectParams(), 'sgd', { learningRate: 0.3 });
    const losses: number[] = [];
    for (let step = 0; step < 25; step++) {
      const l = autograd.record(() => loss(net(X), labels));
      l.backward();
      trainer.step(n);
      losses.push(l.mean().asScalar());
    }
    expect(losses[24]).toBeLessThan(losses[0] * 0.5);
    const acc = net(X).argmax({ axis: 1 }).equal(labels).mean().asScalar();
    expect(acc).toBeGreaterThan(0.9);
  });
});
