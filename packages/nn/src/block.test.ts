import { autograd, type NDArray, nd } from '@minimx/ndarray';
import { beforeEach, describe, expect, it } from 'vitest';
import { DeferredInitializationError, init, nn, Parameter, ParameterDict } from './index.js';

beforeEach(() => nn.resetNameCounters());

class MLP extends nn.Block {
  hidden: nn.Dense;
  output: nn.Dense;
  constructor() {
    super();
    [this.hidden, this.output] = this.nameScope(() => [
      this.registerChild(new nn.Dense(4, { activation: 'relu' }), 'hidden'),
      this.registerChild(new nn.Dense(2), 'output'),
    ]);
  }
  override forward(x: NDArray): NDArray {
    return this.output.forward(this.hidden.forward(x));
  }
}

describe('Block naming', () => {
  it('gives Gluon prefixed names from per-class counters and structural names for files', () => {
    const net = new nn.Sequential();
    net.add(new nn.Dense(256, { activation: 'relu' }), new nn.Dense(10));
    expect(net.name).toBe('sequential0');
    expect([...net.collectParams().keys()]).toEqual([
      'dense0_weight',
      'dense0_bias',
      'dense1_weight',
      'dense1_bias',
    ]);
    expect([...net.structuralParams().keys()]).toEqual(['0.weight', '0.bias', '1.weight', '1.bias']);
    expect(new nn.Dense(3).name).toBe('dense2');
    nn.resetNameCounters();
    expect(new nn.Dense(3).prefix).toBe('dense0_');
  });

  it('prefixes children created inside nameScope with the parent prefix', () => {
    const net = new MLP();
    expect(net.prefix).toBe('mlp0_');
    expect([...net.collectParams().keys()]).toEqual([
      'mlp0_dense0_weight',
      'mlp0_dense0_bias',
      'mlp0_dense1_weight',
      'mlp0_dense1_bias',
    ]);
    expect([...net.structuralParams().keys()]).toEqual([
      'hidden.weight',
      'hidden.bias',
      'output.weight',
      'output.bias',
    ]);
    expect(new nn.Dense(1).name).toBe('dense0');
    expect(new nn.Dense(1, { prefix: 'out_' }).name).toBe('out');
  });

  it('collectParams selects by a regex anchored at the start, as re.match', () => {
    const net = new nn.Sequential();
    net.add(new nn.Dense(2), new nn.Dense(2));
    expect([...net.collectParams('.*weight').keys()]).toEqual(['dense0_weight', 'dense1_weight']);
    expect([...net.collectParams('weight').keys()]).toEqual([]);
    expect([...net.collectParams(/bias$/).keys()]).toEqual(['dense0_bias', 'dense1_bias']);
  });

  it('prints like Gluon', () => {
    const net = new nn.Sequential();
    net.add(new nn.Dense(256, { activation: 'relu' }), new nn.Dropout(0.5), new nn.Dense(10));
    expect(net.toString()).toBe(
      'Sequential(\n  (0): Dense(None -> 256, Activation(relu))\n  (1): Dropout(p = 0.5, axes=())\n  (2): Dense(None -> 10, linear)\n)',
    );
    const outer = new nn.Sequential();
    outer.add(net, new nn.Flatten());
    expect(outer.toString()).toBe(
      'Sequential(\n  (0): Sequential(\n    (0): Dense(None -> 256, Activation(relu))\n    (1): Dropout(p = 0.5, axes=())\n    (2): Dense(None -> 10, linear)\n  )\n  (1): Flatten\n)',
    );
    expect(new MLP().toString()).toBe(
      'MLP(\n  (hidden): Dense(None -> 4, Activation(relu))\n  (output): Dense(None -> 2, linear)\n)',
    );
  });

  it('shares parameters through the params option (d2l 5.2)', () => {
    // Seeded: with unseeded Uniform(-0.07, 0.07) weights every relu unit of a layer is dead on both
    // samples now and then (about 1 run in 100), and the shared weight's gradient is then all zero.
    nd.random.seed(5);
    const shared = new nn.Dense(8, { activation: 'relu' });
    const net = new nn.Sequential();
    net.add(
      new nn.Dense(8, { activation: 'relu' }),
      shared,
      new nn.Dense(8, { activation: 'relu', params: shared.params }),
      new nn.Dense(10),
    );
    net.initialize();
    net.forward(nd.random.uniform({ shape: [2, 20] }));
    expect(net.at<nn.Dense>(1).weight).toBe(net.at<nn.Dense>(2).weight);
    expect(net.collectParams().size).toBe(6);
    const l = autograd.record(() => net.forward(nd.random.uniform({ shape: [2, 20] })).sum());
    l.backward();
    expect(
      net
        .at<nn.Dense>(1)
        .weight.grad()
        .data.some((v) => v !== 0),
    ).toBe(true);
  });
});

describe('Block.initialize', () => {
  it('skips initialized parameters quietly unless forceReinit', () => {
    const net = new nn.Dense(3, { inUnits: 2 });
    net.initialize(new init.Constant(1));
    net.initialize(new init.Constant(2));
    expect(Array.from(net.weight.data().data)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(Array.from(net.bias!.data().data)).toEqual([0, 0, 0]); // the bias's own 'zeros' wins
    net.initialize(new init.Constant(2), { forceReinit: true });
    expect(Array.from(net.weight.data().data)).toEqual([2, 2, 2, 2, 2, 2]);
  });

  it('is repeatable under nd.random.seed', () => {
    const make = () => {
      nd.random.seed(11);
      const d = new nn.Dense(3, { inUnits: 4 });
      d.initialize(new init.Xavier());
      return Array.from(d.weight.data().data);
    };
    expect(make()).toEqual(make());
  });

  it('zeroGrad clears accumulated gradients', () => {
    const net = new nn.Dense(1, { inUnits: 2 });
    net.initialize();
    net.collectParams().setAttr('gradReq', 'add');
    const X = nd.ones([1, 2]);
    autograd.record(() => net.forward(X).sum()).backward();
    autograd.record(() => net.forward(X).sum()).backward();
    expect(Array.from(net.bias!.grad().data)).toEqual([2]);
    net.zeroGrad();
    expect(Array.from(net.bias!.grad().data)).toEqual([0]);
  });
});

describe('Sequential', () => {
  it('indexes (negative too), has a length and iterates', () => {
    const net = new nn.Sequential();
    const a = new nn.Dense(2);
    const b = new nn.Activation('tanh');
    net.add(a).add(b);
    expect(net.length).toBe(2);
    expect(net.at(0)).toBe(a);
    expect(net.get(1)).toBe(b);
    expect(net.at(-1)).toBe(b);
    expect([...net]).toEqual([a, b]);
    expect(() => net.at(2)).toThrow('sequential0: index 2 is out of range for a Sequential of 2 blocks');
    expect(() => net.add({} as nn.Block)).toThrow(/expected a Block/);
  });

  it('chains the blocks and hybridize is a no-op', () => {
    const net = new nn.Sequential();
    net.add(
      new nn.Flatten(),
      new nn.Dense(3, { weightInitializer: new init.One() }),
      new nn.Activation('relu'),
    );
    net.initialize();
    expect(net.hybridize()).toBe(net);
    const y = net.forward(nd.array([[[1, -2]], [[-3, 1]]]));
    expect(y.toArray()).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expect(net.at<nn.Dense>(1).weight.shape).toEqual([3, 2]);
  });
});

describe('Parameter', () => {
  it('reports reads before initialization and deferred initialization clearly', () => {
    const p = new Parameter('w', { shape: [3, 0] });
    expect(() => p.data()).toThrow("Parameter 'w' has not been initialized: call net.initialize()");
    p.initialize(new init.One());
    expect(p.isDeferred).toBe(true);
    expect(() => p.grad()).toThrow(DeferredInitializationError);
    expect(() => p.inferShape([2, 5])).toThrow(
      "Parameter 'w': inferred shape (2,5) is incompatible with declared shape (3,0)",
    );
    p.inferShape([3, 5]);
    expect(p.data().shape).toEqual([3, 5]);
    expect(p.data().data.every((v) => v === 1)).toBe(true);
    expect(p.toString()).toBe('Parameter w (shape=(3, 5), dtype=float32)');
  });

  it('setData copies in place and checks the shape; gradReq null drops the gradient', () => {
    const p = new Parameter('b', { shape: [2] });
    p.initialize();
    const arr = p.data();
    p.setData(nd.array([3, 4]));
    expect(p.data()).toBe(arr);
    expect(Array.from(arr.data)).toEqual([3, 4]);
    expect(() => p.setData(nd.array([1, 2, 3]))).toThrow(
      "Parameter 'b': setData got shape (3,), expected (2,)",
    );
    p.gradReq = 'null';
    expect(() => p.grad()).toThrow(/gradReq is 'null'/);
    expect(() => {
      p.gradReq = 'sometimes' as 'null';
    }).toThrow(/gradReq must be/);
  });

  it('ParameterDict get creates once, lookup names what exists, setAttr sets lrMult', () => {
    const pd = new ParameterDict('net0_');
    const w = pd.get('weight', { shape: [2, 2] });
    expect(pd.get('weight')).toBe(w);
    expect(w.name).toBe('net0_weight');
    expect(pd.lookup('net0_weight')).toBe(w);
    expect(() => pd.lookup('nope')).toThrow("no parameter named 'nope' (have: net0_weight)");
    expect(() => pd.get('weight', { shape: [3, 2] })).toThrow(/incompatible/);
    pd.setAttr('lrMult', 0.5);
    expect(w.lrMult).toBe(0.5);
    expect(pd.toString()).toBe('net0_ (\n  Parameter net0_weight (shape=(2, 2), dtype=float32)\n)');
  });
});
