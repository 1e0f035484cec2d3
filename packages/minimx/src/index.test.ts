// The umbrella package reads like `import mxnet as mx`: every namespace is reachable and is the
// very same object as in the package it comes from.
import * as datasets from '@minimx/datasets';
import * as ndarrayPackage from '@minimx/ndarray';
import { nd } from '@minimx/ndarray';
import * as nnPackage from '@minimx/nn';
import { describe, expect, it } from 'vitest';
import * as mx from './index.js';

describe('minimx umbrella (mx.*)', () => {
  it('exposes mx.nd, mx.autograd, mx.random, mx.init and mx.gluon as the packages do', () => {
    expect(mx.nd).toBe(nd);
    expect(mx.random).toBe(nd.random);
    expect(mx.init).toBe(nnPackage.init);
    expect(mx.gluon.nn).toBe(nnPackage.nn);
    expect(mx.gluon.Trainer).toBe(nnPackage.Trainer);
    expect(mx.gluon.loss).toBe(nnPackage.loss);
    expect(mx.gluon.data.vision).toBe(datasets.vision);
    expect(mx.gluon.data.DataLoader).toBe(datasets.DataLoader);
  });

  it('mx.gluon carries every public name of @minimx/nn, not its internals', () => {
    const internal = ['crc32', 'encodeParameterFile', 'gluon'];
    const expected = Object.keys(nnPackage)
      .filter((k) => !internal.includes(k))
      .concat('data')
      .sort();
    expect(Object.keys(mx.gluon).sort()).toEqual(expected);
    for (const k of internal) expect(k in mx.gluon).toBe(false);
  });

  it('trains one step through mx.* names only', () => {
    mx.random.seed(3);
    const net = new mx.gluon.nn.Sequential();
    net.add(new mx.gluon.nn.Dense(2));
    net.initialize(new mx.init.Normal({ sigma: 0.1 }));
    const trainer = new mx.gluon.Trainer(net.collectParams(), 'sgd', { learningRate: 0.05 });
    const loss = new mx.gluon.loss.L2Loss();
    const X = mx.nd.array([[1, 2, 3]]);
    const y = mx.nd.array([[1, -1]]);
    const before = loss.forward(net.forward(X), y).asScalar();
    mx.autograd.record(() => loss.forward(net.forward(X), y)).backward();
    trainer.step(1);
    expect(loss.forward(net.forward(X), y).asScalar()).toBeLessThan(before);
  });

  it('reaches the transforms where the book does: mx.gluon.data.vision.transforms', () => {
    const { transforms } = mx.gluon.data.vision;
    expect(transforms).toBe(datasets.transforms);
    const t = new transforms.Compose([new transforms.Resize(4), new transforms.ToTensor()]);
    const image = mx.nd.fromTypedArray(
      Uint8Array.from({ length: 2 * 2 }, (_, i) => i * 85),
      [2, 2, 1],
    );
    const x = t.forward(image);
    expect(x.shape).toEqual([1, 4, 4]);
    expect(x.dtype).toBe('float32');
    expect(x.max().asScalar()).toBeLessThanOrEqual(1);
  });

  it('has the devices: mx.cpu(), mx.gpu(), mx.context.numGpus(), mx.Context', () => {
    expect(mx.cpu()).toBe(ndarrayPackage.cpu());
    expect(mx.gpu(1).toString()).toBe('gpu(1)');
    expect(mx.context.numGpus()).toBe(0);
    expect(mx.context.cpu).toBe(ndarrayPackage.cpu);
    expect(mx.Context.default).toBe(mx.cpu());
    expect(mx.currentContext()).toBe(mx.cpu());
    expect(mx.nd.ones([2], { ctx: mx.cpu() }).context.toString()).toBe('cpu(0)');
    expect(() => mx.nd.zeros([1], { ctx: mx.gpu() })).toThrow(mx.DeviceUnavailableError);
  });
});
