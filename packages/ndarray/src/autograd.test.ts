// Tests of autograd: record/pause/modes, backward and gradReq, accumulation of shared paths,
// un-broadcasting, tape release, grad() with createGraph, custom Functions, errors, the seed snippet.
import { describe, expect, it } from 'vitest';
import { autograd, type NDArray, nd, testing } from './index.js';

const { assertAllClose } = testing;

describe('record, pause and modes', () => {
  it('record turns on recording and training; pause turns both off', () => {
    expect(autograd.isRecording()).toBe(false);
    expect(autograd.isTraining()).toBe(false);
    autograd.record(() => {
      expect(autograd.isRecording()).toBe(true);
      expect(autograd.isTraining()).toBe(true);
      autograd.pause(() => {
        expect(autograd.isRecording()).toBe(false);
        expect(autograd.isTraining()).toBe(false);
      });
      autograd.predictMode(() => expect(autograd.isTraining()).toBe(false));
    });
    autograd.record(() => expect(autograd.isTraining()).toBe(false), { trainMode: false });
    autograd.trainMode(() => {
      expect(autograd.isTraining()).toBe(true);
      expect(autograd.isRecording()).toBe(false);
    });
    expect(autograd.isRecording()).toBe(false);
  });
  it('returns the callback value and restores state after a throw', () => {
    expect(autograd.record(() => 42)).toBe(42);
    expect(() =>
      autograd.record(() => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(autograd.isRecording()).toBe(false);
  });
  it('rejects async callbacks', () => {
    expect(() => autograd.record(async () => 1)).toThrow(/autograd.record: the callback must be synchronous/);
    expect(autograd.isRecording()).toBe(false);
  });
  it('ops inside pause are not recorded', () => {
    const x = nd.array([1, 2]);
    x.attachGrad();
    const y = autograd.record(() => {
      const constant = autograd.pause(() => x.mul(3));
      return x.mul(constant).sum();
    });
    y.backward();
    expect(x.grad?.toArray()).toEqual([3, 6]);
  });
});

describe('backward', () => {
  it('x² gradient, non-scalar heads sum, head gradients weigh', () => {
    const x = nd.array([1, 2, 3]);
    x.attachGrad();
    autograd.record(() => x.square()).backward();
    expect(x.grad?.toArray()).toEqual([2, 4, 6]);
    autograd.record(() => x.square()).backward(nd.array([1, 0, 2]));
    expect(x.grad?.toArray()).toEqual([2, 0, 12]);
    expect(() => autograd.record(() => x.square()).backward(nd.ones([2]))).toThrow(
      'backward: head gradient (2,) does not match head (3,)',
    );
  });
  it('a value used twice accumulates both paths', () => {
    const x = nd.array([3]);
    x.attachGrad();
    autograd.record(() => x.mul(x).add(x)).backward();
    expect(x.grad?.toArray()).toEqual([7]);
    const y = nd.array([2]);
    y.attachGrad();
    autograd
      .record(() => {
        const z = y.mul(2);
        return z.mul(z).add(z);
      })
      .backward();
    expect(y.grad?.toArray()).toEqual([18]); // d/dy (4y² + 2y) = 8y + 2
  });
  it('gradients of broadcast inputs are reduced to the input shape', () => {
    const b = nd.zeros([3]);
    const c = nd.zeros([2, 1]);
    b.attachGrad();
    c.attachGrad();
    autograd
      .record(() =>
        nd
          .ones([2, 3])
          .add(b)
          .add(c)
          .mul(
            nd.array([
              [1, 2, 3],
              [4, 5, 6],
            ]),
          ),
      )
      .backward();
    expect(b.grad?.toArray()).toEqual([5, 7, 9]);
    expect(c.grad?.toArray()).toEqual([[6], [15]]);
    expect(b.grad?.shape).toEqual([3]);
  });
  it("gradReq 'write' overwrites, 'add' accumulates, 'null' leaves no grad", () => {
    const w = nd.array([1, 2]);
    w.attachGrad();
    const a = nd.array([1, 2]);
    a.attachGrad({ gradReq: 'add' });
    const n = nd.array([1, 2]);
    n.attachGrad({ gradReq: 'null' });
    for (let i = 0; i < 2; i++) autograd.record(() => w.mul(2).add(a.mul(3)).add(n).sum()).backward();
    expect(w.grad?.toArray()).toEqual([2, 2]);
    expect(a.grad?.toArray()).toEqual([6, 6]);
    expect(n.grad).toBeNull();
    expect(() => w.attachGrad({ gradReq: 'sometimes' as 'add' })).toThrow(/attachGrad: gradReq must be/);
  });
  it('releases the tape after backward unless retainGraph', () => {
    const x = nd.array([1, 2]);
    x.attachGrad();
    const y = autograd.record(() => x.mul(x).sum());
    y.backward();
    expect(() => y.backward()).toThrow(/backward: .*not computed from any variable.*already released/);
    const z = autograd.record(() => x.mul(x).sum());
    z.backward(null, { retainGraph: true });
    z.backward();
    expect(x.grad?.toArray()).toEqual([2, 4]);
  });
  it('backward on something not recorded throws clearly', () => {
    const x = nd.array([1, 2]);
    expect(() => x.sum().backward()).toThrow(
      /backward: the array of shape \(1,\) was not computed from any variable inside autograd.record\(\)/,
    );
    const w = nd.array([1]);
    w.attachGrad();
    expect(() => w.mul(2).backward()).toThrow(/backward: the array of shape \(1,\)/);
  });
  it('autograd.backward over several heads adds their gradients', () => {
    const x = nd.array([1, 2]);
    x.attachGrad();
    const [p, q] = autograd.record(() => [x.mul(2).sum(), x.square().sum()]);
    autograd.backward([p, q]);
    expect(x.grad?.toArray()).toEqual([4, 6]);
  });
  it('a long loop does not keep old graphs alive: each output holds only its own tape', () => {
    const w = nd.array([1]);
    w.attachGrad();
    let l: NDArray | null = null;
    for (let i = 0; i < 50; i++) {
      l = autograd.record(() => w.mul(2).sum());
      l.backward();
      expect(l._node).toBeNull();
    }
    expect(w._node).toBeNull();
  });
});

describe('autograd.grad', () => {
  it('returns gradients without touching .grad', () => {
    const x = nd.array([1, 2]);
    x.attachGrad();
    const [g] = autograd.grad(
      autograd.record(() => x.square().sum()),
      [x],
    );
    expect(g.toArray()).toEqual([2, 4]);
    expect(x.grad?.toArray()).toEqual([0, 0]);
    expect(() => autograd.grad(x.mul(1), [nd.array([1])])).toThrow(
      /autograd.grad: variable of shape \(1,\) has no gradient attached/,
    );
  });
  it('createGraph gives second derivatives (x³ -> 6x), also through intermediates', () => {
    const x = nd.array([2, -1], { dtype: 'float64' });
    x.attachGrad();
    const dx = autograd.record(() => {
      const y = x.mul(x).mul(x);
      const [g] = autograd.grad(y, [x], { createGraph: true });
      return g;
    });
    assertAllClose(dx, [12, 3]);
    dx.backward();
    assertAllClose(x.grad as NDArray, [12, -6]);
    const z = nd.array([2], { dtype: 'float64' });
    z.attachGrad();
    const dz = autograd.record(() => autograd.grad(z.pow(3), [z], { createGraph: true })[0]);
    dz.backward();
    assertAllClose(z.grad as NDArray, [12]);
  });
});

describe('autograd.Function', () => {
  class Sigmoid extends autograd.Function {
    forward(x: NDArray) {
      const y = x.neg().exp().add(1).reciprocal();
      this.saveForBackward(y);
      return y;
    }
    backward(dy: NDArray) {
      const [y] = this.saved;
      return dy.mul(y).mul(y.neg().add(1));
    }
  }
  it('records a hand-written backward', () => {
    const x = nd.array([0, 1]);
    x.attachGrad();
    autograd.record(() => new Sigmoid().apply(x).sum()).backward();
    assertAllClose(x.grad as NDArray, [0.25, 0.19661193324148185]);
  });
  it('checks the gradients it returns', () => {
    class Bad extends autograd.Function {
      forward(x: NDArray) {
        return x.mul(2);
      }
      backward(dy: NDArray) {
        return [dy, dy];
      }
    }
    const x = nd.array([1]);
    x.attachGrad();
    expect(() => autograd.record(() => new Bad().apply(x)).backward()).toThrow(
      'autograd.Function: backward returned 2 gradients for 1 inputs',
    );
  });
});

describe('the seed snippet (d2l 3.6 softmax regression)', () => {
  it('runs as written and matches dW = Xᵀ(softmax − onehot(y)), db = Σ rows', () => {
    nd.random.seed(7);
    const X = nd.random.normal({ shape: [8, 1, 28, 28] });
    const y = nd.array([0, 1, 2, 3, 4, 5, 6, 9], { dtype: 'int32' });
    // --- the snippet, as written in the issue ---
    const W = nd.random.normal({ scale: 0.01, shape: [784, 10] });
    const b = nd.zeros([10]);
    W.attachGrad();
    b.attachGrad();
    const softmax = (X: NDArray) => {
      const e = X.exp();
      return e.div(e.sum({ axis: 1, keepdims: true }));
    };
    const net = (X: NDArray) => softmax(nd.dot(X.reshape(-1, 784), W).add(b));
    const crossEntropy = (yHat: NDArray, y: NDArray) => nd.pick(yHat, y).log().neg();
    const accuracy = (yHat: NDArray, y: NDArray) =>
      yHat.argmax({ axis: 1 }).equal(y.astype('float32')).mean().asScalar();
    const l = autograd.record(() => crossEntropy(net(X), y).sum());
    l.backward();
    // --- checks ---
    expect(l.shape).toEqual([1]);
    const acc = accuracy(net(X), y);
    expect(acc).toBeGreaterThanOrEqual(0);
    expect(acc).toBeLessThanOrEqual(1);
    const X2 = X.reshape(-1, 784);
    const residual = net(X).sub(nd.oneHot(y, 10));
    assertAllClose(W.grad as NDArray, nd.dot(X2, residual, { transposeA: true }), { rtol: 1e-4, atol: 1e-5 });
    assertAllClose(b.grad as NDArray, residual.sum({ axis: 0 }), { rtol: 1e-4, atol: 1e-6 });
  });
});
