// Tests of backward's version check: an array written in place between recording and backward
// (a variable after record, a constant inside record, a recorded output) is refused with an error
// naming the op, the array and the write, and the usual writes (optimizer updates after backward,
// gradient buffers, BatchNorm's running statistics) never trip it. Also: a gradient rule that
// throws leaves the tape intact, so a retry reports the same error.
import { describe, expect, it } from 'vitest';
import { autograd, nd } from './index.js';

describe('backward refuses arrays written in place after they were recorded', () => {
  it('a variable set after record (x.set) names the op, the input and the write', () => {
    const x = nd.array([1, 2, 3]);
    x.attachGrad();
    const y = autograd.record(() => x.mul(x).sum());
    x.set(nd.array([10, 20, 30]));
    expect(() => y.backward()).toThrow(
      /^backward: input 0 of 'mul' \(a variable of shape \(3,\)\) was modified in place by 'set' after 'mul' was recorded/,
    );
  });
  it('a constant changed inside record (addInPlace, out=, copyto, set with an index)', () => {
    const writes: Array<[string, (c: ReturnType<typeof nd.array>) => void]> = [
      ['addInPlace', (c) => c.addInPlace(1)],
      ['mul', (c) => nd.multiply(c, 2, { out: c })],
      ['copyto', (c) => nd.array([7, 7]).copyto(c)],
      ['set', (c) => c.set('0', 5)],
    ];
    for (const [op, write] of writes) {
      const x = nd.array([1, 2]);
      x.attachGrad();
      const c = nd.array([3, 4]);
      const y = autograd.record(() => {
        const out = x.mul(c).sum();
        write(c);
        return out;
      });
      expect(() => y.backward(), op).toThrow(
        `input 1 of 'mul' (a constant of shape (2,)) was modified in place by '${op}'`,
      );
    }
  });
  it('an output used by its own rule (exp) overwritten after record', () => {
    const x = nd.array([0, 1]);
    x.attachGrad();
    const e = autograd.record(() => x.exp());
    e.detach(); // sharing data is not a write
    nd.zeros([2]).copyto(e);
    expect(() => e.backward()).toThrow(
      /its output of 'exp' \(a recorded output of shape \(2,\)\) was modified in place by 'copyto'/,
    );
  });
  it('without a write, the gradient is right; writes before record or after backward are fine', () => {
    const x = nd.array([1, 2, 3]);
    x.attachGrad();
    x.set(nd.array([2, 3, 4]));
    const c = nd.array([1, 1, 1]);
    c.addInPlace(1);
    const y = autograd.record(() => x.mul(x).mul(c).sum());
    y.backward();
    expect(Array.from(x.grad!.data)).toEqual([8, 12, 16]);
    x.set(x.sub(x.grad!.mul(0.1))); // an SGD step after backward
    c.addInPlace(1);
    const y2 = autograd.record(() => x.mul(c).sum());
    y2.backward(); // the gradient buffer written by the first backward is no input: no error
    expect(Array.from(x.grad!.data)).toEqual([3, 3, 3]);
  });
  it('retainGraph: a second backward after a write between the two is refused', () => {
    const x = nd.array([1, 2]);
    x.attachGrad();
    const y = autograd.record(() => x.square().sum());
    y.backward(null, { retainGraph: true });
    x.set(0);
    expect(() => y.backward()).toThrow(/input 0 of 'square'/);
  });
  it('a gradient rule that throws leaves the tape intact: retrying gives the same error', () => {
    class Bad extends autograd.Function {
      forward(x: ReturnType<typeof nd.array>) {
        return x.mul(2);
      }
      backward(): never {
        throw new Error('Bad.backward: planted failure');
      }
    }
    const x = nd.array([1, 2]);
    x.attachGrad();
    const y = autograd.record(() => new Bad().apply(x).sum());
    expect(() => y.backward()).toThrow('planted failure');
    expect(() => y.backward()).toThrow('planted failure');
  });
});

describe('the version counter belongs to the storage: writes through an alias are seen', () => {
  it('a detach() of a variable written after record', () => {
    const x = nd.array([1, 2, 3]);
    x.attachGrad();
    const alias = x.detach();
    const y = autograd.record(() => x.mul(x).sum());
    alias.set(nd.array([10, 20, 30]));
    expect(() => y.backward()).toThrow(
      /^backward: input 0 of 'mul' \(a variable of shape \(3,\)\) was modified in place by 'set' after 'mul' was recorded/,
    );
  });
  it('a reshape view written after record, and the base written under a recorded view', () => {
    const x = nd.array([1, 2, 3, 4]);
    x.attachGrad();
    const view = x.reshape(2, 2);
    const y = autograd.record(() => x.square().sum());
    view.addInPlace(1);
    expect(() => y.backward()).toThrow(
      /input 0 of 'square' \(a variable of shape \(4,\)\) was modified in place by 'addInPlace'/,
    );

    const c = nd.array([1, 2, 3, 4]);
    const w = nd.array([1, 1]);
    w.attachGrad();
    const z = autograd.record(() => c.reshape(2, 2).mul(w).sum()); // the recorded input is the view
    c.set(0);
    expect(() => z.backward()).toThrow(
      /input 0 of 'mul' \(a constant of shape \(2,2\)\) was modified in place by 'set'/,
    );
  });
  it('a view of a view (reshape of a detach, flatten, expandDims) of a constant written inside record', () => {
    for (const [name, makeAlias] of [
      ['detach().reshape', (c: ReturnType<typeof nd.array>) => c.detach().reshape(4)],
      ['flatten', (c: ReturnType<typeof nd.array>) => c.flatten()],
      ['expandDims', (c: ReturnType<typeof nd.array>) => c.expandDims(0)],
    ] as const) {
      const x = nd.array([
        [1, 2],
        [3, 4],
      ]);
      x.attachGrad();
      const c = nd.array([
        [5, 6],
        [7, 8],
      ]);
      const y = autograd.record(() => {
        const out = x.mul(c).sum();
        nd.multiply(makeAlias(c), 2, { out: makeAlias(c) });
        return out;
      });
      expect(() => y.backward(), name).toThrow(
        `input 1 of 'mul' (a constant of shape (2,2)) was modified in place by 'mul'`,
      );
    }
  });
  it('an optimizer-style update (_noteWrite) of a detached alias of a weight', () => {
    const w = nd.array([1, 2]);
    w.attachGrad();
    const y = autograd.record(() => w.square().sum());
    const alias = w.detach();
    alias.data[0] = 9;
    alias._noteWrite('SGD.update');
    expect(() => y.backward()).toThrow(/was modified in place by 'SGD.update'/);
  });
  it('views alone are not writes; separate copies keep separate counters', () => {
    const x = nd.array([1, 2, 3]);
    x.attachGrad();
    const y = autograd.record(() => x.reshape(3, 1).mul(x.detach().reshape(1, 3)).sum());
    x.copy().set(0); // a copy has its own storage
    nd.array([1, 2, 3]).set(0); // so has an unrelated array
    y.backward();
    expect(Array.from(x.grad!.data)).toEqual([6, 6, 6]);
  });
  it('a write straight into .data is not seen (documented in docs/reliability.md)', () => {
    const x = nd.array([1, 2, 3]);
    x.attachGrad();
    const y = autograd.record(() => x.square().sum());
    x.data[0] = 10; // bypasses every in-place op, so no version is bumped
    y.backward();
    expect(Array.from(x.grad!.data)).toEqual([20, 4, 6]);
  });
});

describe('a refused backward leaves every gradient buffer as it was', () => {
  it('a later layer whose rule would write its gradient in place keeps its old gradient', () => {
    // Two fully connected layers: backward reaches the second layer's node first, whose rule may
    // write dW2 straight into w2's gradient buffer; the first layer's weight was changed after
    // recording, so the walk is refused at the first layer's node. No buffer may have changed.
    const x = nd.array([
      [1, 2],
      [3, 4],
    ]);
    const w1 = nd.array([
      [0.5, -1],
      [2, 0.25],
    ]);
    const w2 = nd.array([[1, -2]]);
    for (const w of [w1, w2]) w.attachGrad();
    const before = w2.grad?.toArray();
    const y = autograd.record(() =>
      nd.fullyConnected(nd.fullyConnected(x, w1, null, { actType: 'relu' }), w2, null).sum(),
    );
    w1.set(
      nd.array([
        [1, 1],
        [1, 1],
      ]),
    );
    expect(() => y.backward()).toThrow(/input 1 of 'fullyConnected'.*was modified in place by 'set'/);
    expect(w2.grad?.toArray()).toEqual(before);
    expect(w1.grad?.toArray()).toEqual([
      [0, 0],
      [0, 0],
    ]);
  });
  it('the same graph without the write fills both buffers (the in-place path is taken)', () => {
    const x = nd.array([[1, 2]]);
    const w1 = nd.array([
      [0.5, -1],
      [2, 0.25],
    ]);
    const w2 = nd.array([[1, -2]]);
    for (const w of [w1, w2]) w.attachGrad();
    const buffer = w2.grad;
    const y = autograd.record(() =>
      nd.fullyConnected(nd.fullyConnected(x, w1, null, { actType: 'relu' }), w2, null).sum(),
    );
    y.backward();
    expect(w2.grad).toBe(buffer);
    // h = relu(x·w1ᵀ) = relu([-1.5, 2.5]) = [0, 2.5]; dW2 = h; dh = w2 masked = [0, -2]; dW1 = dhᵀ·x.
    expect(w2.grad?.toArray()).toEqual([[0, 2.5]]);
    expect(w1.grad?.toArray()).toEqual([
      [0, 0],
      [-2, -4],
    ]);
  });
});
