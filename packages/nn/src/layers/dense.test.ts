import { autograd, nd } from '@minimx/ndarray';
import { beforeEach, describe, expect, it } from 'vitest';
import { DeferredInitializationError, init, nn } from '../index.js';
import { checkGradients, expectClose } from '../test-helpers.js';

// Reference values: PyTorch 1.13 (float64), y = x @ W.T + b and the gradients of sum(y * G),
// computed once with /usr/bin/python3 and pasted here.
const x = [
  [0.5, -1.0, 2.0],
  [1.5, 0.25, -0.75],
];
const W = [
  [0.1, -0.2, 0.3],
  [0.4, 0.5, -0.6],
  [-0.7, 0.8, 0.9],
  [0.05, -0.15, 0.25],
];
const b = [0.01, -0.02, 0.03, -0.04];
const G = [
  [1.0, -2.0, 0.5, 3.0],
  [-1.5, 0.25, 2.0, -0.5],
];
const torchLinear = {
  y: [
    [0.86, -1.52, 0.68, 0.635],
    [-0.115, 1.155, -1.495, -0.19],
  ],
  dx: [
    [-0.9, -1.25, 2.7],
    [-1.475, 2.1, 1.075],
  ],
  dW: [
    [-1.75, -1.375, 3.125],
    [-0.625, 2.0625, -4.1875],
    [3.25, 0.0, -0.5],
    [0.75, -3.125, 6.375],
  ],
  db: [-0.5, -1.75, 2.5, 2.5],
};
const torchRelu = {
  y: [
    [0.86, 0.0, 0.68, 0.635],
    [0.0, 1.155, 0.0, 0.0],
  ],
  dx: [
    [-0.1, -0.25, 1.5],
    [0.1, 0.125, -0.15],
  ],
  dW: [
    [0.5, -1.0, 2.0],
    [0.375, 0.0625, -0.1875],
    [0.25, -0.5, 1.0],
    [1.5, -3.0, 6.0],
  ],
  db: [1.0, 0.25, 0.5, 3.0],
};

function makeDense(activation: 'relu' | null = null) {
  const layer = new nn.Dense(4, { activation, dtype: 'float64' });
  layer.initialize();
  const X = nd.array(x, { dtype: 'float64' });
  layer.forward(X);
  layer.weight.setData(nd.array(W, { dtype: 'float64' }));
  layer.bias!.setData(nd.array(b, { dtype: 'float64' }));
  return { layer, X };
}

beforeEach(() => nn.resetNameCounters());

describe('Dense', () => {
  it('matches PyTorch forward and backward (linear and relu)', () => {
    for (const [act, ref] of [
      [null, torchLinear],
      ['relu', torchRelu],
    ] as const) {
      const { layer, X } = makeDense(act);
      X.attachGrad();
      const y = autograd.record(() => layer.forward(X));
      expectClose(y, ref.y, 1e-12);
      autograd
        .record(() =>
          layer
            .forward(X)
            .mul(nd.array(G, { dtype: 'float64' }))
            .sum(),
        )
        .backward();
      expectClose(X.grad!, ref.dx, 1e-12);
      expectClose(layer.weight.grad(), ref.dW, 1e-12);
      expectClose(layer.bias!.grad(), ref.db, 1e-12);
    }
  });

  it('passes a numerical gradient check', () => {
    const { layer, X } = makeDense(null);
    const layer2 = new nn.Dense(2, { activation: 'tanh', dtype: 'float64', inUnits: 4 });
    layer2.initialize(new init.Normal({ sigma: 0.5 }));
    const Gd = nd.array(
      [
        [1, -2],
        [0.5, 3],
      ],
      { dtype: 'float64' },
    );
    checkGradients(
      () => layer2.forward(layer.forward(X)).mul(Gd).sum(),
      [X, layer.weight.data(), layer.bias!.data(), layer2.weight.data()],
    );
  });

  it('infers the input size on the first forward and flattens by default', () => {
    const layer = new nn.Dense(10);
    expect(layer.weight.shape).toEqual([10, 0]);
    expect(layer.toString()).toBe('Dense(None -> 10, linear)');
    layer.initialize();
    expect(() => layer.weight.data()).toThrow(DeferredInitializationError);
    expect(() => layer.weight.data()).toThrow(/dense0_weight.*deferred.*\(10,0\)/);
    const y = layer.forward(nd.ones([2, 1, 28, 28]));
    expect(y.shape).toEqual([2, 10]);
    expect(layer.weight.data().shape).toEqual([10, 784]);
    expect(layer.toString()).toBe('Dense(784 -> 10, linear)');
    expect(Array.from(layer.bias!.data().data)).toEqual(new Array(10).fill(0));
    const w = layer.weight.data().data;
    expect(Math.max(...w)).toBeLessThanOrEqual(0.07);
    expect(Math.min(...w)).toBeGreaterThanOrEqual(-0.07);
    expect(new nn.Dense(256, { activation: 'relu', inUnits: 784 }).toString()).toBe(
      'Dense(784 -> 256, Activation(relu))',
    );
  });

  it('with flatten false acts on the last axis', () => {
    const layer = new nn.Dense(3, { flatten: false, useBias: false });
    layer.initialize(new init.One());
    const y = layer.forward(nd.ones([2, 5, 4]));
    expect(y.shape).toEqual([2, 5, 3]);
    expect(y.data.every((v) => v === 4)).toBe(true);
    expect(layer.bias).toBeNull();
  });

  it('names the layer and both shapes on a shape mismatch', () => {
    const layer = new nn.Dense(10, { inUnits: 784 });
    layer.initialize();
    expect(() => layer.forward(nd.ones([256, 100]))).toThrow(
      'dense0: expected input with 784 features (weight (10,784)), got (256,100)',
    );
  });

  it('refuses to run before initialize with a clear error', () => {
    const layer = new nn.Dense(3);
    expect(() => layer.forward(nd.ones([2, 4]))).toThrow(
      /dense0_weight.*not been initialized.*initialize\(\)/,
    );
  });

  it('validates its options', () => {
    expect(() => new nn.Dense(0)).toThrow(/units/);
    expect(() => new nn.Dense(3, { inUnits: -1 })).toThrow(/inUnits/);
    expect(() => new nn.Dense(3, { activation: 'gelu' as 'relu' })).toThrow(/unknown activation "gelu"/);
  });
});
