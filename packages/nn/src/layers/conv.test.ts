import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { autograd, type NDArray, nd } from '@minimx/ndarray';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { DeferredInitializationError, init, nn } from '../index.js';
import { checkGradients, expectClose } from '../test-helpers.js';

beforeEach(() => nn.resetNameCounters());
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minimx-conv-layers-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

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

/** The book's LeNet (d2l 5.5). */
function lenet(): nn.Sequential {
  const net = new nn.Sequential();
  net.add(
    new nn.Conv2D(6, { kernelSize: 5, activation: 'sigmoid' }),
    new nn.MaxPool2D({ poolSize: 2, strides: 2 }),
    new nn.Conv2D(16, { kernelSize: 5, activation: 'sigmoid' }),
    new nn.MaxPool2D({ poolSize: 2, strides: 2 }),
    new nn.Dense(120, { activation: 'sigmoid' }),
    new nn.Dense(84, { activation: 'sigmoid' }),
    new nn.Dense(10),
  );
  return net;
}

describe('Conv2D', () => {
  it("gives the book's LeNet layer-by-layer output shapes for a (1,1,28,28) input (d2l 5.5)", () => {
    const net = lenet();
    net.initialize();
    let X = nd.random.uniform({ shape: [1, 1, 28, 28] });
    const printed: string[] = [];
    for (const layer of net) {
      X = layer(X); // Gluon's `X = layer(X)`: blocks are callable
      printed.push(`${layer.name} output shape:\t (${X.shape.join(', ')})`);
    }
    expect(printed).toEqual([
      'conv0 output shape:\t (1, 6, 24, 24)',
      'pool0 output shape:\t (1, 6, 12, 12)',
      'conv1 output shape:\t (1, 16, 8, 8)',
      'pool1 output shape:\t (1, 16, 4, 4)',
      'dense0 output shape:\t (1, 120)',
      'dense1 output shape:\t (1, 84)',
      'dense2 output shape:\t (1, 10)',
    ]);
  });

  it('infers the input channels on the first forward (deferred initialization)', () => {
    const conv = new nn.Conv2D(6, { kernelSize: 5 });
    expect(conv.weight.shape).toEqual([6, 0, 5, 5]);
    conv.initialize();
    expect(conv.weight.isDeferred).toBe(true);
    expect(() => conv.weight.data()).toThrow(DeferredInitializationError);
    expect(conv.toString()).toBe('Conv2D(None -> 6, kernel_size=(5, 5), stride=(1, 1))');
    expect(conv.forward(nd.ones([2, 3, 8, 8])).shape).toEqual([2, 6, 4, 4]);
    expect(conv.weight.data().shape).toEqual([6, 3, 5, 5]);
    expect(conv.bias!.data().shape).toEqual([6]);
    expect(conv.inChannels).toBe(3);
    expect(conv.toString()).toBe('Conv2D(3 -> 6, kernel_size=(5, 5), stride=(1, 1))');

    // With inChannels given the weight is created by initialize, before any forward.
    const known = new nn.Conv2D(4, { kernelSize: [3, 2], inChannels: 2 });
    known.initialize();
    expect(known.weight.data().shape).toEqual([4, 2, 3, 2]);
    // groups: the weight holds inChannels/groups input channels.
    const grouped = new nn.Conv2D(4, { kernelSize: 3, groups: 2 });
    grouped.initialize();
    grouped.forward(nd.ones([1, 6, 5, 5]));
    expect(grouped.weight.data().shape).toEqual([4, 3, 3, 3]);
    expect(grouped.inChannels).toBe(6);
    // Own initializers win over the network's, as Dense's do; without them the network's applies.
    const own = new nn.Conv2D(2, {
      kernelSize: 1,
      weightInitializer: new init.Constant(0.5),
      biasInitializer: 'ones',
    });
    own.initialize(new init.Normal({ sigma: 1 }));
    own.forward(nd.ones([1, 3, 2, 2]));
    expect(Array.from(own.weight.data().data)).toEqual([0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    expect(Array.from(own.bias!.data().data)).toEqual([1, 1]);
    const global = new nn.Conv2D(2, { kernelSize: 1, inChannels: 3 });
    global.initialize(new init.Constant(0.25));
    expect(Array.from(global.weight.data().data)).toEqual([0.25, 0.25, 0.25, 0.25, 0.25, 0.25]);
    expect(Array.from(global.bias!.data().data)).toEqual([0, 0]); // biasInitializer defaults to 'zeros', as in Gluon
  });

  it("uses Gluon's names: conv0, conv1, conv0_weight, conv0_bias; structural names in a Sequential", () => {
    const net = lenet();
    expect([...net].map((b) => b.name)).toEqual([
      'conv0',
      'pool0',
      'conv1',
      'pool1',
      'dense0',
      'dense1',
      'dense2',
    ]);
    expect([...net.collectParams().keys()]).toEqual([
      'conv0_weight',
      'conv0_bias',
      'conv1_weight',
      'conv1_bias',
      'dense0_weight',
      'dense0_bias',
      'dense1_weight',
      'dense1_bias',
      'dense2_weight',
      'dense2_bias',
    ]);
    expect([...net.structuralParams().keys()].slice(0, 4)).toEqual([
      '0.weight',
      '0.bias',
      '2.weight',
      '2.bias',
    ]);
    expect([...new nn.Conv2D(2, { kernelSize: 1, useBias: false }).collectParams().keys()]).toEqual([
      'conv2_weight',
    ]);
  });

  it("prints Gluon's form, showing padding, dilation, groups and bias=False only when set", () => {
    const net = lenet();
    const expected = [
      'Sequential(',
      '  (0): Conv2D(None -> 6, kernel_size=(5, 5), stride=(1, 1), Activation(sigmoid))',
      '  (1): MaxPool2D(size=(2, 2), stride=(2, 2), padding=(0, 0), ceil_mode=False, global_pool=False, pool_type=max, layout=NCHW)',
      '  (2): Conv2D(None -> 16, kernel_size=(5, 5), stride=(1, 1), Activation(sigmoid))',
      '  (3): MaxPool2D(size=(2, 2), stride=(2, 2), padding=(0, 0), ceil_mode=False, global_pool=False, pool_type=max, layout=NCHW)',
      '  (4): Dense(None -> 120, Activation(sigmoid))',
      '  (5): Dense(None -> 84, Activation(sigmoid))',
      '  (6): Dense(None -> 10, linear)',
      ')',
    ];
    expect(net.toString()).toBe(expected.join('\n'));
    net.initialize();
    net.forward(nd.ones([1, 1, 28, 28]));
    expect(net.at(0).toString()).toBe(
      'Conv2D(1 -> 6, kernel_size=(5, 5), stride=(1, 1), Activation(sigmoid))',
    );
    expect(net.at(2).toString()).toBe(
      'Conv2D(6 -> 16, kernel_size=(5, 5), stride=(1, 1), Activation(sigmoid))',
    );
    const fancy = new nn.Conv2D(8, {
      kernelSize: [3, 1],
      strides: 2,
      padding: [1, 0],
      dilation: 2,
      groups: 2,
      useBias: false,
      inChannels: 4,
      activation: 'relu',
    });
    // Gluon prints the weight's second extent, inChannels/groups.
    expect(fancy.toString()).toBe(
      'Conv2D(2 -> 8, kernel_size=(3, 1), stride=(2, 2), padding=(1, 0), dilation=(2, 2), groups=2, bias=False, Activation(relu))',
    );
  });

  it('computes the values PyTorch gives: stride 2, padding 1, bias', () => {
    const conv = new nn.Conv2D(2, { kernelSize: 2, strides: 2, padding: 1, inChannels: 2, dtype: 'float64' });
    conv.weight.setData(seq([2, 2, 2, 2], 5, 13, 6));
    conv.bias!.setData(nd.array([0.1, -0.2], { dtype: 'float64' }));
    const y = conv.forward(seq([1, 2, 3, 3], 7, 11, 5));
    expect(y.shape).toEqual([1, 2, 2, 2]);
    // torch.nn.functional.conv2d(x, w, b, stride=2, padding=1) in float64 (torch 1.13), x and w from seq().
    expectClose(y, [1.0666666667, 0.2, -0.1, 2.0666666667, 0.7, -0.3, -0.8666666667, -0.4666666667], 1e-9);
  });

  it('computes the values PyTorch gives: groups 2, dilation 2, no bias', () => {
    const conv = new nn.Conv2D(2, {
      kernelSize: 2,
      dilation: 2,
      groups: 2,
      useBias: false,
      dtype: 'float64',
    });
    conv.initialize();
    const x = seq([1, 2, 5, 5], 7, 11, 5);
    conv.forward(x);
    conv.weight.setData(seq([2, 1, 2, 2], 5, 13, 6));
    const y = conv.forward(x);
    expect(y.shape).toEqual([1, 2, 3, 3]);
    // torch.nn.functional.conv2d(x, w, None, dilation=2, groups=2) in float64 (torch 1.13).
    expectClose(
      y,
      [
        0.6666666667, -0.9666666667, -0.0333333333, 0.2, -1.0666666667, 0.9666666667, 1.2, 0.6666666667,
        -0.9666666667, -0.2, 0.2, 0.2333333333, -0.0333333333, -0.7333333333, -0.3333333333, 0.5, -0.2, 0.2,
      ],
      1e-9,
    );
  });

  it('passes a numerical gradient check through the layer (input, weight, bias; with activation)', () => {
    const conv = new nn.Conv2D(3, {
      kernelSize: [2, 3],
      strides: [1, 2],
      padding: 1,
      activation: 'tanh',
      inChannels: 2,
      dtype: 'float64',
    });
    nd.random.seed(3);
    conv.initialize(new init.Normal({ sigma: 0.5 }));
    conv.bias!.setData(nd.array([0.1, -0.3, 0.2], { dtype: 'float64' }));
    const x = nd.random.normal({ shape: [2, 2, 4, 5], dtype: 'float64' });
    const y0 = conv.forward(x);
    const mix = nd.random.normal({ shape: y0.shape, dtype: 'float64' });
    checkGradients(() => conv.forward(x).mul(mix).sum(), [x, conv.weight.data(), conv.bias!.data()]);
  });

  it('rejects bad options and inputs with errors naming the layer, the shapes and the option', () => {
    // A wrong channel count after initialization (inferred, then declared).
    const conv = new nn.Conv2D(6, { kernelSize: 5 });
    conv.initialize();
    conv.forward(nd.ones([1, 1, 28, 28]));
    expect(() => conv.forward(nd.ones([1, 3, 28, 28]))).toThrow(
      'conv0: expected input with 1 channels (weight (6,1,5,5)), got (1,3,28,28)',
    );
    const declared = new nn.Conv2D(4, { kernelSize: 3, inChannels: 2 });
    declared.initialize();
    expect(() => declared.forward(nd.ones([1, 5, 8, 8]))).toThrow(
      'conv1: expected input with 2 channels (weight (4,2,3,3)), got (1,5,8,8)',
    );
    // A kernel larger than the padded input; a failed first forward leaves the weight deferred.
    const big = new nn.Conv2D(2, { kernelSize: 5, padding: 1 });
    big.initialize();
    expect(() => big.forward(nd.ones([1, 1, 2, 8]))).toThrow(
      'conv2: kernel_size=(5, 5) with dilation=(1, 1) spans 5x5, larger than the padded input 4x10 (input (1,1,2,8), padding=(1, 1))',
    );
    expect(big.weight.isDeferred).toBe(true);
    const dilated = new nn.Conv2D(2, { kernelSize: 3, dilation: [1, 3] });
    expect(() => dilated.forward(nd.ones([1, 1, 6, 6]))).toThrow(
      /conv3: kernel_size=\(3, 3\) with dilation=\(1, 3\) spans 3x7, larger than the padded input 6x6/,
    );
    // Input that is not 4-D.
    expect(() => conv.forward(nd.ones([1, 28, 28]))).toThrow(
      'conv0: expected a 4-D input (N, C, H, W) for layout NCHW, got 3-D input (1,28,28)',
    );
    expect(() => conv.forward(nd.ones([28]))).toThrow(/conv0: expected a 4-D input .* got 1-D input \(28,\)/);
    // Non-positive strides, bad dilation, padding and kernel sizes.
    expect(() => new nn.Conv2D(6, { kernelSize: 5, strides: 0 })).toThrow(
      'conv4: strides must be an integer >= 1 or a pair of them, got 0',
    );
    expect(() => new nn.Conv2D(6, { kernelSize: 5, strides: [2, -1] })).toThrow(
      'conv5: strides must be an integer >= 1 or a pair of them, got [2, -1]',
    );
    expect(() => new nn.Conv2D(6, { kernelSize: 5, dilation: 0 })).toThrow(
      /conv6: dilation must be an integer >= 1/,
    );
    expect(() => new nn.Conv2D(6, { kernelSize: 5, padding: -1 })).toThrow(
      /conv7: padding must be an integer >= 0/,
    );
    expect(() => new nn.Conv2D(6, { kernelSize: [5, 5, 5] as unknown as [number, number] })).toThrow(
      'conv8: kernelSize must be an integer >= 1 or a pair of them, got [5, 5, 5]',
    );
    expect(() => new nn.Conv2D(6, {} as nn.Conv2DOptions)).toThrow(/conv9: kernelSize is required/);
    expect(() => new nn.Conv2D(0, { kernelSize: 1 })).toThrow(
      /conv10: channels must be a positive integer, got 0/,
    );
    // Groups that do not divide.
    expect(() => new nn.Conv2D(6, { kernelSize: 3, groups: 4 })).toThrow(
      'conv11: groups=4 does not divide channels=6',
    );
    expect(() => new nn.Conv2D(6, { kernelSize: 3, groups: 2, inChannels: 3 })).toThrow(
      'conv12: groups=2 does not divide inChannels=3',
    );
    const grouped = new nn.Conv2D(6, { kernelSize: 3, groups: 3 });
    grouped.initialize();
    expect(() => grouped.forward(nd.ones([1, 4, 8, 8]))).toThrow(
      "conv13: groups=3 does not divide the input's 4 channels (input (1,4,8,8))",
    );
    expect(grouped.weight.isDeferred).toBe(true);
    // Layouts other than NCHW.
    expect(() => new nn.Conv2D(6, { kernelSize: 3, layout: 'NHWC' as 'NCHW' })).toThrow(
      `conv14: layout "NHWC" is not supported; only 'NCHW' is implemented`,
    );
    // Forgetting initialize() is the parameter's own error, not wrapped.
    expect(() => new nn.Conv2D(2, { kernelSize: 1, inChannels: 1 }).forward(nd.ones([1, 1, 2, 2]))).toThrow(
      /^Parameter 'conv15_weight' has not been initialized: call net.initialize\(\)/,
    );
    expect(() => new nn.Conv2D(6, { kernelSize: 3, activation: 'gelu' as 'relu' })).toThrow(
      /conv16: unknown activation "gelu"/,
    );
  });

  it("learns the book's edge-detection kernel [[1, -1]] from data (d2l 5.1)", () => {
    nd.random.seed(1);
    const X = nd.ones([6, 8]);
    for (let i = 0; i < 6; i++) for (let j = 2; j < 6; j++) X.data[i * 8 + j] = 0;
    const Y = nd.zeros([6, 7]);
    for (let i = 0; i < 6; i++)
      for (let j = 0; j < 7; j++) Y.data[i * 7 + j] = X.data[i * 8 + j] - X.data[i * 8 + j + 1];
    const conv2d = new nn.Conv2D(1, { kernelSize: [1, 2] });
    conv2d.initialize();
    const Xb = X.reshape(1, 1, 6, 8);
    const Yb = Y.reshape(1, 1, 6, 7);
    const losses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const l = autograd.record(() => conv2d.forward(Xb).sub(Yb).square());
      l.backward();
      const w = conv2d.weight.data();
      w.set(w.sub(conv2d.weight.grad().mul(3e-2)));
      losses.push(l.sum().asScalar());
    }
    expect(losses[9]).toBeLessThan(losses[0] / 20);
    expect(losses.every((v, i) => i === 0 || v < losses[i - 1])).toBe(true);
    const k = Array.from(conv2d.weight.data().data);
    expect(Math.abs(k[0] - 1)).toBeLessThan(0.2);
    expect(Math.abs(k[1] + 1)).toBeLessThan(0.2);
  });

  it('round-trips an initialized LeNet through a parameter file (structural names)', async () => {
    nd.random.seed(2);
    const net = lenet();
    net.initialize(new init.Xavier());
    const X = nd.random.uniform({ shape: [2, 1, 28, 28] });
    const before = net.forward(X);
    const file = path.join(dir, 'lenet.params');
    await net.saveParameters(file);
    const copy = lenet();
    expect(copy.at<nn.Conv2D>(0).weight.shape).toEqual([6, 0, 5, 5]);
    await copy.loadParameters(file);
    expect(copy.at<nn.Conv2D>(0).weight.data().shape).toEqual([6, 1, 5, 5]);
    expect(copy.at<nn.Conv2D>(2).weight.data().shape).toEqual([16, 6, 5, 5]);
    expect(Array.from(copy.forward(X).data)).toEqual(Array.from(before.data));
    expect([...copy.structuralParams().keys()]).toEqual([
      '0.weight',
      '0.bias',
      '2.weight',
      '2.bias',
      '4.weight',
      '4.bias',
      '5.weight',
      '5.bias',
      '6.weight',
      '6.bias',
    ]);
    // A network whose first conv has a different kernel refuses the file, naming the parameter.
    const other = new nn.Sequential();
    other.add(new nn.Conv2D(6, { kernelSize: 3, inChannels: 1 }));
    other.initialize();
    expect(() => other.loadParametersFromBytes(net.saveParametersToBytes(), { ignoreExtra: true })).toThrow(
      /0\.weight/,
    );
  });
});

describe('HybridSequential', () => {
  it("is Sequential under Gluon's name: hybridsequential0, printed HybridSequential(...), hybridize() a no-op", () => {
    const net = new nn.HybridSequential();
    net.add(
      new nn.Conv2D(6, { kernelSize: 5, activation: 'sigmoid' }),
      new nn.GlobalAvgPool2D(),
      new nn.Dense(10),
    );
    expect(net.name).toBe('hybridsequential0');
    expect(net).toBeInstanceOf(nn.Sequential);
    expect(net.length).toBe(3);
    net.hybridize();
    net.initialize();
    expect(net.forward(nd.ones([2, 1, 12, 12])).shape).toEqual([2, 10]);
    expect(net.toString()).toBe(
      [
        'HybridSequential(',
        '  (0): Conv2D(1 -> 6, kernel_size=(5, 5), stride=(1, 1), Activation(sigmoid))',
        '  (1): GlobalAvgPool2D(size=(1, 1), stride=(1, 1), padding=(0, 0), ceil_mode=True, global_pool=True, pool_type=avg, layout=NCHW)',
        '  (2): Dense(6 -> 10, linear)',
        ')',
      ].join('\n'),
    );
    const outer = new nn.HybridSequential();
    outer.add(net);
    expect(outer.toString().split('\n').slice(0, 2)).toEqual([
      'HybridSequential(',
      '  (0): HybridSequential(',
    ]);
    expect([...outer.structuralParams().keys()][0]).toBe('0.0.weight');
  });
});
