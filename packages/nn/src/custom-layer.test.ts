import { readFileSync } from 'node:fs';
import { autograd, nd } from '@minimx/ndarray';
import { beforeEach, describe, expect, it } from 'vitest';
import { CenteredLayer, MLP, MyDense, MyInit, MyLazyDense } from './examples/custom-layers.js';
import { nn } from './index.js';
import { checkGradients, expectClose } from './test-helpers.js';

beforeEach(() => nn.resetNameCounters());

describe('custom layers (d2l 4.1, 4.3-4.4)', () => {
  it('MLP registers its field children in order and computes (2,20) -> (2,10)', () => {
    const net = new MLP();
    expect([...net.children.keys()]).toEqual(['hidden', 'output']);
    net.initialize();
    expect(net(nd.random.uniform({ shape: [2, 20] })).shape).toEqual([2, 10]);
    expect(net.toString()).toBe(
      'MLP(\n  (hidden): Dense(20 -> 256, Activation(relu))\n  (output): Dense(256 -> 10, linear)\n)',
    );
  });

  it('CenteredLayer centers, alone and inside a Sequential', () => {
    expectClose(new CenteredLayer()(nd.array([1, 2, 3, 4, 5])), [-2, -1, 0, 1, 2]);
    const net = new nn.Sequential();
    net.add(new nn.Dense(128), new CenteredLayer());
    net.initialize();
    const y = net(nd.random.uniform({ shape: [4, 8] }));
    expect(Math.abs(y.mean().asScalar())).toBeLessThan(1e-6);
  });

  it('MyDense has prefixed parameters, computes relu(x·W + b) and trains', () => {
    const dense = new MyDense(3, 5);
    expect(dense.params.toString()).toBe(
      'mydense0_ (\n  Parameter mydense0_weight (shape=(5, 3), dtype=float32)\n  Parameter mydense0_bias (shape=(3,), dtype=float32)\n)',
    );
    dense.initialize();
    const x = nd.random.uniform({ shape: [2, 5] });
    const expected = nd.relu(nd.dot(x, dense.weight.data()).add(dense.bias.data()));
    expect(Array.from(dense(x).data)).toEqual(Array.from(expected.data));
    const net = new nn.Sequential();
    net.add(new MyDense(8, 64), new MyDense(1, 8));
    net.initialize();
    expect(net(nd.random.uniform({ shape: [2, 64] })).shape).toEqual([2, 1]);
    expect([...net.structuralParams().keys()]).toEqual(['0.weight', '0.bias', '1.weight', '1.bias']);
  });

  it('MyLazyDense infers its input size on the first forward and has correct gradients', () => {
    const layer = new MyLazyDense(2);
    layer.initialize();
    expect(layer.weight.isDeferred).toBe(true);
    const x = nd.random.normal({ shape: [3, 4] });
    expect(layer(x).shape).toEqual([3, 2]);
    expect(layer.weight.shape).toEqual([4, 2]);
    const xd = x.astype('float64');
    const w = layer.weight.data().astype('float64');
    checkGradients(() => nd.dot(xd, w).square().sum(), [xd, w]);
    autograd.record(() => layer(x).sum()).backward();
    expect(layer.weight.grad().shape).toEqual([4, 2]);
  });

  it('MyInit sees each weight by name and leaves only |w| >= 5 (biases stay zero)', () => {
    const net = new nn.Sequential();
    net.add(new nn.Dense(256, { activation: 'relu', inUnits: 20 }), new nn.Dense(10, { inUnits: 256 }));
    const myInit = new MyInit();
    net.initialize(myInit, { forceReinit: true });
    expect(myInit.seen).toEqual(['Init dense0_weight (256, 20)', 'Init dense1_weight (10, 256)']);
    const w = Array.from(net.at<nn.Dense>(0).weight.data().data);
    expect(w.every((v) => v === 0 || (Math.abs(v) >= 5 && Math.abs(v) <= 10))).toBe(true);
    expect(Array.from(net.at<nn.Dense>(0).bias!.data().data).every((v) => v === 0)).toBe(true);
  });

  it('docs/adding-a-layer.md quotes every example region verbatim', () => {
    const source = readFileSync(new URL('./examples/custom-layers.ts', import.meta.url), 'utf8');
    const doc = readFileSync(new URL('../../../docs/adding-a-layer.md', import.meta.url), 'utf8');
    const regions = [...source.matchAll(/\/\/ #region (\w+)\n([\s\S]*?)\/\/ #endregion/g)];
    expect(regions.map((r) => r[1])).toEqual(['MLP', 'CenteredLayer', 'MyDense', 'MyLazyDense', 'MyInit']);
    for (const [, name, code] of regions) expect(doc, `region ${name}`).toContain(code.trimEnd());
  });
});
