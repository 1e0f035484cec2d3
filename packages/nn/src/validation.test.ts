// Tests of argument validation in the Trainer and the optimizers (every hyper-parameter, not only
// learningRate and wd), and that the Trainer's in-place updates cooperate with backward's version
// check: a normal loop (with BatchNorm's running statistics) never trips it, a step between a
// forward and its backward is refused.
import { autograd, nd } from '@minimx/ndarray';
import { describe, expect, it } from 'vitest';
import { loss as gloss, nn, optimizer, Trainer } from './index.js';

describe('optimizer options are validated', () => {
  it('SGD momentum: NaN, a string, negative', () => {
    expect(() => new optimizer.SGD({ momentum: Number.NaN })).toThrow(
      'SGD: momentum must be a finite number, got NaN',
    );
    expect(() => new optimizer.SGD({ momentum: '0.9' as unknown as number })).toThrow(
      'SGD: momentum must be a finite number, got "0.9"',
    );
    expect(() => new optimizer.SGD({ momentum: -0.1 })).toThrow(
      'SGD: momentum must be in [0, inf), got -0.1',
    );
    expect(new optimizer.SGD({ momentum: 0.9 }).momentum).toBe(0.9);
  });
  it('clipGradient must be positive (or null), rescaleGrad finite', () => {
    expect(() => new optimizer.SGD({ clipGradient: -1 })).toThrow(
      'SGD: clipGradient must be in (0, inf), got -1 (or null for no clipping)',
    );
    expect(() => new optimizer.Adam({ clipGradient: Number.POSITIVE_INFINITY })).toThrow(
      'Adam: clipGradient must be a finite number',
    );
    expect(() => new optimizer.SGD({ rescaleGrad: Number.NaN })).toThrow(
      'SGD: rescaleGrad must be a finite number',
    );
    expect(new optimizer.SGD({ clipGradient: null }).clipGradient).toBeNull();
  });
  it("Adam's beta1, beta2 in [0, 1) and epsilon > 0", () => {
    expect(() => new optimizer.Adam({ beta1: 1 })).toThrow('Adam: beta1 must be in [0, 1), got 1');
    expect(() => new optimizer.Adam({ beta2: -0.5 })).toThrow('Adam: beta2 must be in [0, 1), got -0.5');
    expect(() => new optimizer.Adam({ epsilon: 0 })).toThrow('Adam: epsilon must be in (0, inf), got 0');
    expect(() => new optimizer.Adam({ beta1: '0.9' as unknown as number })).toThrow(
      'Adam: beta1 must be a finite number, got "0.9"',
    );
  });
  it('through the Trainer, by name', () => {
    const p = new nn.Dense(2, { inUnits: 2 });
    p.initialize();
    expect(() => new Trainer(p.collectParams(), 'sgd', { learningRate: 0.1, momentum: Number.NaN })).toThrow(
      'SGD: momentum must be a finite number, got NaN',
    );
    expect(() => new Trainer(p.collectParams(), 'adam', { epsilon: 0 })).toThrow(
      'Adam: epsilon must be in (0, inf)',
    );
  });
  it('wrong JavaScript types name the argument instead of ending in a V8 TypeError', () => {
    expect(() => new Trainer(null as never, 'sgd')).toThrow(
      'Trainer: params must be a ParameterDict (net.collectParams()) or a list of Parameters, got null',
    );
    expect(() => new Trainer([1] as never, 'sgd')).toThrow(
      'Trainer: params must hold Parameters, got number among them',
    );
    expect(() => new Trainer([], 3 as never)).toThrow(
      "Trainer: optimizer must be a name ('sgd', 'adam') or an Optimizer, got 3",
    );
    expect(() => new Trainer([], 'sgd', null as never)).toThrow(
      'Trainer: options must be an object, got null',
    );
    expect(() => new optimizer.SGD(null as never)).toThrow('SGD: options must be an object, got null');
  });
});

describe("the Trainer's updates and backward's version check", () => {
  it('a training loop with BatchNorm and momentum never trips it, and learns', () => {
    const net = new nn.Sequential();
    net.add(new nn.Dense(8, { inUnits: 4 }), new nn.BatchNorm(), new nn.Activation('relu'), new nn.Dense(3));
    net.initialize();
    const trainer = new Trainer(net.collectParams(), 'sgd', { learningRate: 0.1, momentum: 0.9 });
    const loss = new gloss.SoftmaxCrossEntropyLoss();
    nd.random.seed(3);
    const X = nd.random.normal({ shape: [16, 4] });
    const y = X.sum({ axis: 1 }).greater(0).mul(2);
    let first = 0;
    let last = 0;
    for (let i = 0; i < 20; i++) {
      const l = autograd.record(() => loss(net(X), y));
      l.backward();
      trainer.step(16);
      last = l.mean().asScalar();
      if (i === 0) first = last;
    }
    expect(last).toBeLessThan(first);
  });
  it('a step between a forward and its backward is refused, naming the update', () => {
    const net = new nn.Dense(2, { inUnits: 3 });
    net.initialize();
    const trainer = new Trainer(net.collectParams(), 'sgd', { learningRate: 0.1 });
    const X = nd.ones([4, 3]);
    autograd.record(() => net(X).sum()).backward();
    const l = autograd.record(() => net(X).sum());
    trainer.step(4);
    expect(() => l.backward()).toThrow(
      /input 1 of 'fullyConnected' \(a variable of shape \(2,3\)\) was modified in place by 'SGD.update'/,
    );
  });
});

describe('a block cannot contain itself', () => {
  it('Sequential.add of itself or of an ancestor is refused, not a stack overflow later', () => {
    const net = new nn.Sequential();
    expect(() => net.add(net)).toThrow(
      /registerChild: cannot make sequential\d+ a child of sequential\d+: a block cannot contain itself/,
    );
    const inner = new nn.Sequential();
    net.add(inner);
    expect(() => inner.add(net)).toThrow(/sequential\d+ already contains sequential\d+/);
    net.add(new nn.Dense(2, { inUnits: 2 }));
    net.initialize();
    expect(net.collectParams().size).toBe(2);
  });
  it('a field holding an ancestor is refused at the first structural read', () => {
    class Loop extends nn.Block {
      other?: nn.Block;
      forward(x: ReturnType<typeof nd.array>) {
        return x;
      }
    }
    const a = new Loop();
    const b = new Loop();
    a.other = b;
    b.other = a;
    expect(() => a.collectParams()).toThrow(
      /field: cannot make loop\d+ a child of loop\d+ \(field 'other'\): loop\d+ already contains loop\d+/,
    );
  });
});

describe('one Optimizer shared by two Trainers', () => {
  it("keeps each parameter's Adam step count apart", () => {
    const make = () => {
      const d = new nn.Dense(1, { inUnits: 1 });
      d.initialize();
      d.weight.data().set(1);
      return d;
    };
    const alone = make();
    const a = make();
    const b = make();
    const step = (net: ReturnType<typeof make>, trainer: Trainer) => {
      autograd.record(() => net(nd.ones([1, 1])).sum()).backward();
      trainer.step(1);
    };
    const ref = new Trainer(alone.collectParams(), 'adam', { learningRate: 0.1 });
    const shared = new optimizer.Adam({ learningRate: 0.1 });
    const ta = new Trainer(a.collectParams(), shared);
    const tb = new Trainer(b.collectParams(), shared);
    for (let i = 0; i < 3; i++) {
      step(alone, ref);
      step(a, ta);
      step(b, tb);
    }
    expect(a.weight.data().data[0]).toBe(alone.weight.data().data[0]);
    expect(b.weight.data().data[0]).toBe(alone.weight.data().data[0]);
  });
});
