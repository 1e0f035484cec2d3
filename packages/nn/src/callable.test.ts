import { inspect } from 'node:util';
import { autograd, type NDArray, nd } from '@minimx/ndarray';
import { beforeEach, describe, expect, it } from 'vitest';
import { Constant, loss as gloss, init, nn, Parameter, ParameterDict, Trainer } from './index.js';
import { expectClose } from './test-helpers.js';

beforeEach(() => nn.resetNameCounters());

// d2l 4.1's MLP, written as the book writes it: children assigned to fields.
class MLP extends nn.Block {
  hidden = new nn.Dense(256, { activation: 'relu' });
  output = new nn.Dense(10);
  override forward(x: NDArray): NDArray {
    return this.output(this.hidden(x));
  }
}

// d2l 4.1's FancyMLP: a constant parameter and a layer used twice.
class FancyMLP extends nn.Block {
  readonly randWeight: Constant;
  readonly dense: nn.Dense;
  constructor() {
    super();
    this.randWeight = this.params.getConstant('rand_weight', nd.random.uniform({ shape: [20, 20] }));
    this.dense = new nn.Dense(20, { activation: 'relu' });
  }
  override forward(x: NDArray): NDArray {
    let y = this.dense(x);
    y = nd.relu(nd.dot(y, this.randWeight.data()).add(1));
    y = this.dense(y);
    while (y.norm().asScalar() > 1) y = y.div(2);
    if (y.norm().asScalar() < 0.8) y = y.mul(10);
    return y.sum();
  }
}

describe('calling a block', () => {
  it('net(X) equals net.forward(X) for Dense, Sequential, a subclass and a loss', () => {
    const X = nd.random.uniform({ shape: [2, 20] });
    const dense = new nn.Dense(3);
    dense.initialize();
    expect(dense(X).toArray()).toEqual(dense.forward(X).toArray());
    const net = new nn.Sequential();
    net.add(new nn.Dense(8, { activation: 'relu' }), new nn.Dropout(0.5), new nn.Dense(4));
    net.initialize();
    expect(net(X).toArray()).toEqual(net.forward(X).toArray());
    const mlp = new MLP();
    mlp.initialize();
    expect(mlp(X).shape).toEqual([2, 10]);
    expect(mlp(X).toArray()).toEqual(mlp.forward(X).toArray());
    const y = nd.array([1, 3]);
    const l = new gloss.SoftmaxCrossEntropyLoss();
    expect(l(net(X), y).toArray()).toEqual(l.forward(net.forward(X), y).toArray());
    const sw = nd.array([[2], [0.5]]);
    expect(new gloss.L2Loss()(net(X), nd.zeros([2, 4]), sw).toArray()).toEqual(
      new gloss.L2Loss().forward(net(X), nd.zeros([2, 4]), sw).toArray(),
    );
  });

  it('records gradients through the call form (d2l 3.7 loop body)', () => {
    const net = new nn.Sequential();
    net.add(new nn.Dense(3, { inUnits: 4 }));
    net.initialize(new init.Normal({ sigma: 0.1 }));
    const trainer = new Trainer(net.collectParams(), 'sgd', { learningRate: 0.1 });
    const loss = new gloss.SoftmaxCrossEntropyLoss();
    const X = nd.random.uniform({ shape: [5, 4] });
    const y = nd.array([0, 1, 2, 0, 1]);
    const before = loss(net(X), y).mean().asScalar();
    for (let i = 0; i < 20; i++) {
      const l = autograd.record(() => loss(net(X), y));
      l.backward();
      trainer.step(5);
    }
    expect(loss(net(X), y).mean().asScalar()).toBeLessThan(before);
  });

  it('keeps instanceof, methods and class fields; a block is a function', () => {
    const mlp = new MLP();
    expect(mlp).toBeInstanceOf(MLP);
    expect(mlp).toBeInstanceOf(nn.Block);
    expect(mlp.hidden).toBeInstanceOf(nn.Dense);
    expect(new gloss.L2Loss()).toBeInstanceOf(gloss.Loss);
    expect(new nn.HybridSequential()).toBeInstanceOf(nn.Sequential);
    expect(typeof mlp).toBe('function');
    expect(mlp).toBeInstanceOf(Function);
    expect(typeof mlp.collectParams).toBe('function');
    expect(mlp.name).toBe('mlp0');
    const net = new nn.Sequential();
    net.add(new nn.Dense(2), new nn.Dense(2));
    expect(net.length).toBe(2); // Sequential's count, not the function's arity
    expect(Object.keys(mlp)).toEqual(['hidden', 'output']); // internals are not enumerable
    const dense = new nn.Dense(2, { inUnits: 3 });
    dense.initialize();
    const X = nd.ones([1, 3]);
    expect(dense.call(null, X).toArray()).toEqual(dense.forward(X).toArray());
    expect(dense.bind(null)(X).toArray()).toEqual(dense.forward(X).toArray());
    expect(Reflect.apply(dense, null, [X]).toArray()).toEqual(dense.forward(X).toArray());
  });

  it('prints the Gluon form through String, template literals, util.inspect and JSON', () => {
    const net = new nn.Sequential();
    net.add(new nn.Dense(256, { activation: 'relu' }), new nn.Dense(10));
    const gluon =
      'Sequential(\n  (0): Dense(None -> 256, Activation(relu))\n  (1): Dense(None -> 10, linear)\n)';
    expect(String(net)).toBe(gluon);
    expect(`${net}`).toBe(gluon);
    expect(inspect(net)).toBe(gluon);
    expect(inspect({ net })).toContain('(0): Dense(None -> 256, Activation(relu))');
    expect(String(new MLP())).toBe(
      'MLP(\n  (hidden): Dense(None -> 256, Activation(relu))\n  (output): Dense(None -> 10, linear)\n)',
    );
    expect(inspect(new gloss.SoftmaxCrossEntropyLoss())).toBe(
      'SoftmaxCrossEntropyLoss(batch_axis=0, w=None)',
    );
    expect(JSON.parse(JSON.stringify(new nn.Dense(2, { inUnits: 3 })))).toEqual({
      block: 'Dense',
      name: 'dense4',
      params: {
        weight: { name: 'dense4_weight', shape: [2, 3], dtype: 'float32' },
        bias: { name: 'dense4_bias', shape: [2], dtype: 'float32' },
      },
    });
    expect(JSON.parse(JSON.stringify(net)).children['1'].name).toBe('dense1');
  });
});

describe('registration by assignment', () => {
  it('registers fields and constructor assignments in assignment order, mixed with registerChild', () => {
    class Net extends nn.Block {
      first = new nn.Dense(2);
      second: nn.Dense;
      fourth: nn.Dense;
      constructor() {
        super();
        this.second = new nn.Dense(3);
        this.registerChild(new nn.Dense(4), 'third');
        this.fourth = new nn.Dense(5);
      }
      override forward(x: NDArray): NDArray {
        return this.fourth(x);
      }
    }
    const net = new Net();
    expect([...net.children.keys()]).toEqual(['first', 'second', 'third', 'fourth']);
    expect([...net.structuralParams().keys()]).toEqual([
      'first.weight',
      'first.bias',
      'second.weight',
      'second.bias',
      'third.weight',
      'third.bias',
      'fourth.weight',
      'fourth.bias',
    ]);
    expect([...net.collectParams().keys()]).toEqual([
      'dense0_weight',
      'dense0_bias',
      'dense1_weight',
      'dense1_bias',
      'dense2_weight',
      'dense2_bias',
      'dense3_weight',
      'dense3_bias',
    ]);
  });

  it('names children created in nameScope after the parent, and keeps registerChild for run-time names', () => {
    class Stack extends nn.Block {
      readonly head: nn.Dense;
      constructor(n: number) {
        super();
        this.head = this.nameScope(() => new nn.Dense(2));
        for (let i = 0; i < n; i++) this.nameScope(() => this.registerChild(new nn.Dense(2), `layer${i}`));
      }
      override forward(x: NDArray): NDArray {
        let y = this.head(x);
        for (const [key, block] of this.children) if (key !== 'head') y = block(y);
        return y;
      }
    }
    const s = new Stack(2);
    expect([...s.children.keys()]).toEqual(['head', 'layer0', 'layer1']);
    expect([...s.collectParams('.*weight').keys()]).toEqual([
      'stack0_dense0_weight',
      'stack0_dense1_weight',
      'stack0_dense2_weight',
    ]);
    s.initialize();
    expect(s(nd.ones([1, 3])).shape).toEqual([1, 2]);
  });

  it('replaces a reassigned field in place, as Gluon does', () => {
    class Net extends nn.Block {
      a = new nn.Dense(2);
      b = new nn.Dense(3);
      override forward(x: NDArray): NDArray {
        return this.b(this.a(x));
      }
    }
    const net = new Net();
    expect(net.children.get('a')?.name).toBe('dense0');
    const replacement = new nn.Dense(7);
    net.a = replacement;
    expect([...net.children.keys()]).toEqual(['a', 'b']);
    expect(net.children.get('a')).toBe(replacement);
    expect([...net.collectParams().keys()]).toEqual([
      'dense2_weight',
      'dense2_bias',
      'dense1_weight',
      'dense1_bias',
    ]);
    // the same block held by two fields registers once, under its first name
    class Twice extends nn.Block {
      x = new nn.Dense(2);
      y = this.x;
      override forward(v: NDArray): NDArray {
        return this.y(this.x(v));
      }
    }
    expect([...new Twice().children.keys()]).toEqual(['x']);
  });

  it('registers Parameter fields; params.get results are not registered twice', () => {
    class Scale extends nn.Block {
      readonly weight: Parameter;
      readonly alpha = new Parameter('alpha', { shape: [1], init: new init.Constant(3) });
      constructor() {
        super();
        this.weight = this.params.get('weight', { shape: [2] });
      }
      override forward(x: NDArray): NDArray {
        return x.mul(this.weight.data()).mul(this.alpha.data());
      }
    }
    const s = new Scale();
    // the class field is assigned right after super(), before the constructor's params.get
    expect([...s.structuralParams().keys()]).toEqual(['alpha', 'weight']);
    expect([...s.params.keys()]).toEqual(['alpha', 'scale0_weight']);
    expect([...s.collectParams().keys()]).toEqual(['alpha', 'scale0_weight']);
    s.initialize(new init.One());
    expectClose(s(nd.array([1, 2])), [3, 6]);
    expect(() => {
      (s as unknown as { alpha: Parameter }).alpha = new Parameter('other', { shape: [1] });
      s.collectParams();
    }).toThrow("scale0: field 'alpha' holds a different Parameter than the one registered as 'alpha'");
  });

  it('does not register fields that are not blocks or parameters (numbers, arrays of blocks)', () => {
    class Holder extends nn.Block {
      units = 4;
      layers = [new nn.Dense(2)];
      output = new nn.Dense(1);
      override forward(x: NDArray): NDArray {
        return this.output(x);
      }
    }
    const h = new Holder();
    expect([...h.children.keys()]).toEqual(['output']);
    expect([...h.structuralParams().keys()]).toEqual(['output.weight', 'output.bias']);
  });

  it('initialize, parameter files, toString and the uninitialized error all see field children', () => {
    const X = nd.random.uniform({ shape: [2, 20] });
    const fresh = new MLP();
    expect(() => fresh(X)).toThrow(
      "Parameter 'dense0_weight' has not been initialized: call net.initialize() (or param.initialize()) before data()",
    );
    const mlp = new MLP();
    mlp.initialize();
    const y = mlp(X);
    expect(mlp.hidden.weight.data().shape).toEqual([256, 20]);
    expect([...mlp.structuralParams().keys()]).toEqual([
      'hidden.weight',
      'hidden.bias',
      'output.weight',
      'output.bias',
    ]);
    const copy = new MLP();
    copy.loadParametersFromBytes(mlp.saveParametersToBytes());
    expect(copy(X).toArray()).toEqual(y.toArray());
    expect(mlp.toString()).toBe(
      'MLP(\n  (hidden): Dense(20 -> 256, Activation(relu))\n  (output): Dense(256 -> 10, linear)\n)',
    );
  });

  it("runs d2l 4.1's MySequential, which fills _children itself and calls each block", () => {
    class MySequential extends nn.Block {
      add(block: nn.Block): void {
        this._children.set(block.name, block);
      }
      override forward(x: NDArray): NDArray {
        let y = x;
        for (const block of this._children.values()) y = block(y);
        return y;
      }
    }
    const net = new MySequential();
    net.add(new nn.Dense(256, { activation: 'relu' }));
    net.add(new nn.Dense(10));
    net.initialize();
    expect(net(nd.random.uniform({ shape: [2, 20] })).shape).toEqual([2, 10]);
    expect([...net.structuralParams().keys()]).toEqual([
      'dense0.weight',
      'dense0.bias',
      'dense1.weight',
      'dense1.bias',
    ]);
    expect(() => net.registerChild({} as nn.Block, 'x')).toThrow(
      'mysequential0.registerChild: expected a Block',
    );
  });

  it('runs d2l 4.1 NestMLP and FancyMLP', () => {
    class NestMLP extends nn.Block {
      net = new nn.Sequential();
      dense: nn.Dense;
      constructor() {
        super();
        this.net.add(new nn.Dense(64, { activation: 'relu' }), new nn.Dense(32, { activation: 'relu' }));
        this.dense = new nn.Dense(16, { activation: 'relu' });
      }
      override forward(x: NDArray): NDArray {
        return this.dense(this.net(x));
      }
    }
    const net = new nn.Sequential();
    net.add(new NestMLP(), new nn.Dense(20), new FancyMLP());
    net.initialize();
    const out = net(nd.random.uniform({ shape: [2, 20] }));
    expect(out.shape).toEqual([1]);
    expect([...net.structuralParams().keys()]).toEqual([
      '0.net.0.weight',
      '0.net.0.bias',
      '0.net.1.weight',
      '0.net.1.bias',
      '0.dense.weight',
      '0.dense.bias',
      '1.weight',
      '1.bias',
      '2.rand_weight',
      '2.dense.weight',
      '2.dense.bias',
    ]);
  });
});

describe('naming', () => {
  it("names Activation after its type (relu0), in creation order with other layers, as Gluon's _alias", () => {
    const a = new nn.Activation('relu');
    const d = new nn.Dense(2);
    const b = new nn.Activation('relu');
    const t = new nn.Activation('tanh');
    expect([a.name, d.name, b.name, t.name]).toEqual(['relu0', 'dense0', 'relu1', 'tanh0']);
    expect(new nn.Activation('sigmoid').prefix).toBe('sigmoid0_');
    nn.resetNameCounters();
    expect(new nn.Activation('relu').name).toBe('relu0');
  });

  it('derives the prefix after the constructor for any alias that reads constructor state', () => {
    class Kind extends nn.Block {
      readonly kind: string;
      constructor(kind: string) {
        super();
        this.kind = kind;
      }
      protected override alias(): string {
        return this.kind;
      }
      override forward(x: NDArray): NDArray {
        return x;
      }
    }
    class Outer extends nn.Block {
      inner: Kind;
      constructor() {
        super();
        this.inner = this.nameScope(() => new Kind('gate'));
        this.nameScope(() => new Kind('gate'));
      }
      override forward(x: NDArray): NDArray {
        return this.inner(x);
      }
    }
    const first = new Kind('lstm');
    const dense = new nn.Dense(2);
    const second = new Kind('lstm');
    expect([first.name, dense.name, second.name]).toEqual(['lstm0', 'dense0', 'lstm1']);
    expect(new Outer().inner.name).toBe('outer0_gate0');
    expect(new Kind('gru').params.get('w', { shape: [1] }).name).toBe('gru0_w');
  });
});

describe('Constant and ParameterDict printing', () => {
  it('getConstant makes a constant without gradient, initialized to its value, listed and printed as Gluon', () => {
    const value = nd.random.uniform({ shape: [20, 20] });
    const net = new FancyMLP();
    expect(net.randWeight).toBeInstanceOf(Constant);
    expect(net.randWeight.gradReq).toBe('null');
    expect(net.randWeight.toString()).toBe('Constant fancymlp0_rand_weight (shape=(20, 20), dtype=float32)');
    expect([...net.collectParams().keys()]).toEqual([
      'fancymlp0_rand_weight',
      'dense0_weight',
      'dense0_bias',
    ]);
    net.initialize(new init.Constant(5));
    expect(net.randWeight.data().data.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(() => net.randWeight.grad()).toThrow(/gradReq is 'null'/);
    const X = nd.random.uniform({ shape: [2, 20] });
    const before = Array.from(net.randWeight.data().data);
    const trainer = new Trainer(net.collectParams(), 'sgd', { learningRate: 0.5 });
    autograd.record(() => net(X)).backward();
    trainer.step(1);
    expect(Array.from(net.randWeight.data().data)).toEqual(before);
    const pd = new ParameterDict('p_');
    const c = pd.getConstant('c', value);
    expect(pd.getConstant('c')).toBe(c);
    expect(pd.getConstant('c', value)).toBe(c);
    expect(() => pd.getConstant('c', nd.zeros([20, 20]))).toThrow(
      "constant 'p_c' already exists with a different value",
    );
    expect(() => pd.getConstant('missing')).toThrow("no constant named 'p_missing'");
    pd.get('w', { shape: [1] });
    expect(() => pd.getConstant('w', [1])).toThrow("parameter 'p_w' already exists but it is not a constant");
    const small = new Constant('k', [
      [1, 2],
      [3, 4],
    ]);
    small.initialize();
    expect(small.data().toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it("prints ParameterDicts exactly as Gluon's __repr__ (d2l 4.2 outputs)", () => {
    // Strings from the d2l-zh MXNet notebook chapter_deep-learning-computation/parameters.ipynb
    // (outputs of net[0].params, net.collect_params() and net.collect_params('.*weight')).
    const net = new nn.Sequential();
    net.add(new nn.Dense(256, { activation: 'relu' }));
    net.add(new nn.Dense(10));
    net.initialize();
    net(nd.random.uniform({ shape: [2, 20] }));
    expect(net.at(0).params.toString()).toBe(
      'dense0_ (\n  Parameter dense0_weight (shape=(256, 20), dtype=float32)\n  Parameter dense0_bias (shape=(256,), dtype=float32)\n)',
    );
    expect(net.collectParams().toString()).toBe(
      'sequential0_ (\n' +
        '  Parameter dense0_weight (shape=(256, 20), dtype=float32)\n' +
        '  Parameter dense0_bias (shape=(256,), dtype=float32)\n' +
        '  Parameter dense1_weight (shape=(10, 256), dtype=float32)\n' +
        '  Parameter dense1_bias (shape=(10,), dtype=float32)\n' +
        ')',
    );
    expect(net.collectParams('.*weight').toString()).toBe(
      'sequential0_ (\n' +
        '  Parameter dense0_weight (shape=(256, 20), dtype=float32)\n' +
        '  Parameter dense1_weight (shape=(10, 256), dtype=float32)\n' +
        ')',
    );
    // Gluon's __repr__ ('{name}(\n{content}\n)', name = prefix + ' ' only when there is a prefix).
    const bare = new ParameterDict();
    expect(bare.toString()).toBe('(\n\n)');
    bare.get('w', { shape: [2] });
    expect(bare.toString()).toBe('(\n  Parameter w (shape=(2,), dtype=float32)\n)');
  });
});
