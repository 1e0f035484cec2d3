import { autograd, nd } from '@minimx/ndarray';
import { beforeEach, describe, expect, it } from 'vitest';
import { loss as gloss, init, nn, optimizer, Parameter, Trainer } from './index.js';
import { expectClose } from './test-helpers.js';

beforeEach(() => nn.resetNameCounters());

// The custom optimizer registered below, typed the way a user adds one (declaration merging).
declare module './optim/registry.js' {
  interface OptimizerRegistry {
    signsgd: optimizer.OptimizerOptions;
  }
}

// A parameter holding w0 whose gradient is set by hand (marked fresh as backward would).
function paramWith(values: number[], dtype: 'float32' | 'float64' = 'float64') {
  const p = new Parameter('w', { shape: [values.length], dtype });
  p.initialize();
  p.setData(nd.array(values, { dtype }));
  const setGrad = (g: number[]) => {
    p.grad().data.set(g);
    p.data()._freshGrad = true;
  };
  return { p, setGrad };
}

const w0 = [0.5, -1.0, 2.0, 0.0];
const grads = [
  [1.0, 2.0, -3.0, 4.0],
  [0.5, -0.5, 1.5, -2.0],
  [-1.0, 0.0, 2.0, 1.0],
];
// PyTorch 1.13 (float64), computed once: torch.optim.SGD(lr=0.1, momentum=0.9, weight_decay=0.01)
// with grad = g / 4. MXNet's m = μm - lr(g/bs + wd·w); w += m is the same recurrence (m = -lr·buf).
const torchSGDMomentum = [
  [0.4745, -1.049, 2.073, -0.1],
  [0.43857549999999995, -1.079551, 2.0991269999999997, -0.1399],
  [0.43080487449999993, -1.105967349, 2.0705421729999998, -0.20067010000000002],
];
// Adam (lr 0.01, β 0.9/0.999, ε 1e-8, grad = g/4) by a float64 Python transcription of MXNet's
// adam_update (lr_t = lr·sqrt(1-β2^t)/(1-β1^t); w -= lr_t·m/(sqrt(v)+ε)); torch.optim.Adam, which
// adds ε after the bias correction instead, agrees to 1e-8 on these values.
const mxnetAdam = [
  [0.49000001264909465, -1.0099999936754487, 2.0099999957836316, -0.00999999683772334],
  [0.4806782268115985, -1.0146946725056476, 2.012663365175414, -0.012663366480711145],
  [0.47957039703304877, -1.0183236728469196, 2.0111573986304023, -0.01606765702232368],
];

describe('Trainer with SGD', () => {
  it('equals param -= lr * grad / batchSize, the last partial batch still divided by batchSize', () => {
    nd.random.seed(3);
    const net = new nn.Sequential();
    net.add(new nn.Dense(5, { activation: 'relu' }), new nn.Dense(3));
    net.initialize(new init.Normal({ sigma: 0.1 }));
    const loss = new gloss.SoftmaxCrossEntropyLoss();
    const trainer = new Trainer(net.collectParams(), 'sgd', { learningRate: 0.1 });
    const batchSize = 256;
    for (const n of [256, 96]) {
      const X = nd.random.normal({ shape: [n, 4] });
      const y = nd.random.randint(0, 3, { shape: [n] });
      autograd.record(() => loss.forward(net.forward(X), y)).backward();
      const expected = [...net.collectParams().values()].map((p) => {
        const w = p.data().data;
        const g = p.grad().data;
        return Float32Array.from(w, (v, i) => v - (0.1 * g[i]) / batchSize);
      });
      trainer.step(batchSize);
      [...net.collectParams().values()].forEach((p, k) => {
        const got = p.data().data;
        for (let i = 0; i < got.length; i++) {
          // one float32 rounding apart at most
          expect(Math.abs(got[i] - expected[k][i])).toBeLessThanOrEqual(
            Math.abs(expected[k][i]) * 2 ** -23 + 1e-12,
          );
        }
      });
    }
  });

  it('matches PyTorch SGD with momentum and weight decay over 3 steps', () => {
    const { p, setGrad } = paramWith(w0);
    const trainer = new Trainer([p], 'sgd', { learningRate: 0.1, momentum: 0.9, wd: 0.01 });
    grads.forEach((g, t) => {
      setGrad(g);
      trainer.step(4);
      expectClose(p.data(), torchSGDMomentum[t], 1e-12);
    });
  });

  it('honours lrMult/wdMult and learning-rate changes', () => {
    const { p, setGrad } = paramWith([1, 2]);
    p.lrMult = 2;
    p.wdMult = 0;
    const trainer = new Trainer([p], 'sgd', { learningRate: 0.5, wd: 0.1 });
    expect(trainer.learningRate).toBe(0.5);
    trainer.setLearningRate(0.25);
    expect(trainer.learningRate).toBe(0.25);
    setGrad([1, -1]);
    trainer.step(1);
    expectClose(p.data(), [0.5, 2.5], 1e-12);
  });
});

describe('Trainer with Adam', () => {
  it('matches MXNet adam_update over 3 steps', () => {
    const { p, setGrad } = paramWith(w0);
    const trainer = new Trainer([p], 'adam', { learningRate: 0.01 });
    grads.forEach((g, t) => {
      setGrad(g);
      trainer.step(4);
      expectClose(p.data(), mxnetAdam[t], 1e-12);
    });
  });
});

describe('stale gradients', () => {
  it('throws naming the parameter, as Gluon, and skips it with ignoreStaleGrad', () => {
    const net = new nn.Sequential();
    net.add(new nn.Dense(2, { inUnits: 3 }), new nn.Dense(2, { inUnits: 3 }));
    net.initialize();
    const trainer = new Trainer(net.collectParams(), 'sgd', { learningRate: 1 });
    const first = net.at<nn.Dense>(0);
    const X = nd.ones([1, 3]);
    autograd.record(() => first.forward(X).sum()).backward();
    expect(() => trainer.step(1)).toThrow(
      /gradient of Parameter 'dense1_weight' on context cpu\(0\) has not been updated by backward since last step/,
    );
    const second = net.at<nn.Dense>(1).weight.data().copy();
    const before = first.weight.data().copy();
    trainer.step(1, { ignoreStaleGrad: true });
    expect(Array.from(net.at<nn.Dense>(1).weight.data().data)).toEqual(Array.from(second.data));
    expect(Array.from(first.weight.data().data)).not.toEqual(Array.from(before.data));
    // the update consumed the fresh gradient: a second step without backward is stale again
    expect(() => trainer.step(1)).toThrow(/dense0_weight/);
  });

  it('skips parameters with gradReq null and reports deferred parameters clearly', () => {
    const net = new nn.Dense(2);
    net.initialize();
    const trainer = new Trainer(net.collectParams(), 'sgd', { learningRate: 1 });
    expect(() => trainer.step(1)).toThrow(/dense0_weight.*not been initialized yet.*first forward/);
    net.collectParams().setAttr('gradReq', 'null');
    expect(() => trainer.step(1)).not.toThrow();
  });
});

describe('optimizer registry', () => {
  it('creates by name, rejects unknown names, and accepts custom optimizers', () => {
    expect(optimizer.create('SGD', { learningRate: 0.2 })).toBeInstanceOf(optimizer.SGD);
    // @ts-expect-error not a registered name
    expect(() => optimizer.create('rmsprop')).toThrow(/unknown optimizer 'rmsprop' \(known: sgd, adam/);
    class SignSGD extends optimizer.Optimizer {
      createState() {
        return null;
      }
      step(w: optimizer.FloatArray, g: optimizer.FloatArray, _s: unknown, c: optimizer.UpdateContext) {
        for (let i = 0; i < w.length; i++) w[i] -= c.lr * Math.sign(g[i]);
      }
    }
    optimizer.register('signsgd', (o) => new SignSGD(o));
    const { p, setGrad } = paramWith([1, 1]);
    const trainer = new Trainer([p], 'signsgd', { learningRate: 0.5 });
    setGrad([3, -0.1]);
    trainer.step(10);
    expectClose(p.data(), [0.5, 1.5]);
  });

  it('matches optimizer names in any letter case, as MXNet does, and names the known ones otherwise', () => {
    const { p } = paramWith([1]);
    expect(new Trainer([p], 'SGD', { learningRate: 0.2 }).optimizer).toBeInstanceOf(optimizer.SGD);
    expect(new Trainer([p], 'Adam').optimizer).toBeInstanceOf(optimizer.Adam);
    const fromConfig: string = 'sGd';
    const trainer = new Trainer([p], fromConfig, { learningRate: 0.3, momentum: 0.5 });
    expect(trainer.optimizer).toBeInstanceOf(optimizer.SGD);
    expect(trainer.learningRate).toBe(0.3);
    const misspelt: string = 'sdg';
    expect(() => new Trainer([p], misspelt)).toThrow(
      /^Trainer: unknown optimizer 'sdg' \(known: sgd, adam.*; any letter case\)$/,
    );
    // A string name's options are checked against the optimizer it names, at run time.
    expect(() => new Trainer([p], 'ADAM' as string, { momentum: 0.9 })).toThrow(
      /Adam: unknown option 'momentum'/,
    );
    expect(() => optimizer.register('', () => new optimizer.SGD())).toThrow(
      'optimizer.register: name must be a non-empty string, got ',
    );
  });

  it('rejects unknown option names instead of ignoring them', () => {
    const { p } = paramWith([1]);
    // @ts-expect-error the options are typed per optimizer: untyped callers get the same check at run time
    expect(() => new Trainer([p], 'sgd', { learning_rate: 0.1 })).toThrow(
      "SGD: unknown option 'learning_rate' (expected one of learningRate, wd, rescaleGrad, clipGradient, momentum)",
    );
    // @ts-expect-error Adam has no momentum option
    expect(() => new Trainer([p], 'adam', { momentum: 0.9 })).toThrow(/Adam: unknown option 'momentum'/);
  });

  it('clips the rescaled gradient when clipGradient is set', () => {
    const { p, setGrad } = paramWith([0, 0]);
    const trainer = new Trainer([p], 'sgd', { learningRate: 1, clipGradient: 0.5 });
    setGrad([4, -0.2]);
    trainer.step(2);
    expectClose(p.data(), [-0.5, 0.1], 1e-12);
  });

  it('rejects bad batch sizes', () => {
    const { p } = paramWith([1]);
    expect(() => new Trainer([p], 'sgd').step(0)).toThrow(/batchSize must be a positive number, got 0/);
  });
});
