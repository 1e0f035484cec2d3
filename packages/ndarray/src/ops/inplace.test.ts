// Tests of writing into existing arrays and walking them: in-place arithmetic (`X += Y`), the `out`
// option, `addN`, assigning a one-element array to one element, and iterating over the first axis.
import { describe, expect, it } from 'vitest';
import { autograd, type NDArray, nd, testing } from '../index.js';

const { assertAllClose, checkGradient } = testing;
const MXNET_INPLACE =
  /Inplace operations \(\+=, -=, x\[:\]=, etc\) are not supported when recording with autograd/;

describe('in-place arithmetic keeps the array (d2l 2.2 "saving memory")', () => {
  it('addInPlace, subInPlace, mulInPlace, divInPlace return the same object and buffer', () => {
    const X = nd.array([
      [1, 2],
      [3, 4],
    ]);
    const Y = nd.array([10, 20]);
    const before = X;
    const buffer = X.data;
    expect(X.addInPlace(Y)).toBe(before); // X += Y, broadcasting Y over the rows
    expect(X.data).toBe(buffer);
    expect(X.toArray()).toEqual([
      [11, 22],
      [13, 24],
    ]);
    X.subInPlace(1)
      .mulInPlace(2)
      .divInPlace(nd.array([[2], [4]]));
    expect(X).toBe(before);
    expect(X.data).toBe(buffer);
    expect(X.toArray()).toEqual([
      [10, 21],
      [6, 11.5],
    ]);
  });
  it('refuses a right-hand side that would change the shape', () => {
    const X = nd.zeros([3]);
    expect(() => X.addInPlace(nd.zeros([2, 3]))).toThrow(
      'addInPlace: the result has shape (2,3) but out has shape (3,)',
    );
    expect(X.toArray()).toEqual([0, 0, 0]);
  });
  it('Z[:] = X + Y through set keeps Z (the book checks id(Z))', () => {
    const X = nd.arange(4);
    const Y = nd.ones([4]);
    const Z = Y.zerosLike();
    const buffer = Z.data;
    expect(Z.set(X.add(Y))).toBe(Z);
    expect(Z.data).toBe(buffer);
    expect(Z.toArray()).toEqual([1, 2, 3, 4]);
    expect(Y.onesLike().toArray()).toEqual([1, 1, 1, 1]);
  });
});

describe('the out option', () => {
  it('nd.elemwiseAdd(X, Y, { out: Z }) writes into Z and returns it', () => {
    const X = nd.array([1, 2, 3]);
    const Y = nd.array([4, 5, 6]);
    const Z = Y.zerosLike();
    const buffer = Z.data;
    expect(nd.elemwiseAdd(X, Y, { out: Z })).toBe(Z);
    expect(Z.data).toBe(buffer);
    expect(Z.toArray()).toEqual([5, 7, 9]);
    nd.elemwiseSub(X, Y, { out: Z });
    expect(Z.toArray()).toEqual([-3, -3, -3]);
    nd.elemwiseMul(X, Y, { out: Z });
    expect(Z.toArray()).toEqual([4, 10, 18]);
    nd.elemwiseDiv(Y, X, { out: Z });
    expect(Z.toArray()).toEqual([4, 2.5, 2]);
    expect(nd.elemwiseAdd(X, Y).toArray()).toEqual([5, 7, 9]);
  });
  it('nd.add / subtract / multiply / divide take out and broadcast', () => {
    const Z = nd.zeros([2, 2]);
    const A = nd.array([
      [1, 2],
      [3, 4],
    ]);
    expect(nd.add(A, nd.array([1, 1]), { out: Z })).toBe(Z);
    expect(Z.toArray()).toEqual([
      [2, 3],
      [4, 5],
    ]);
    nd.multiply(A, 3, { out: Z });
    expect(Z.toArray()).toEqual([
      [3, 6],
      [9, 12],
    ]);
    nd.subtract(10, A, { out: Z });
    expect(Z.toArray()).toEqual([
      [9, 8],
      [7, 6],
    ]);
    nd.divide(A, 2, { out: Z });
    expect(Z.toArray()).toEqual([
      [0.5, 1],
      [1.5, 2],
    ]);
  });
  it('casts into an out of another dtype', () => {
    const Z = nd.zeros([2], { dtype: 'int32' });
    nd.add(nd.array([1.7, 2.2]), 1, { out: Z });
    expect(Z.dtype).toBe('int32');
    expect(Z.toArray()).toEqual([2, 3]);
  });
  it('rejects an out of the wrong shape, and elemwise ops do not broadcast', () => {
    const X = nd.ones([2, 3]);
    expect(() => nd.elemwiseAdd(X, X, { out: nd.zeros([3, 2]) })).toThrow(
      'elemwiseAdd: the result has shape (2,3) but out has shape (3,2)',
    );
    expect(() => nd.elemwiseAdd(X, nd.ones([3]))).toThrow(
      'elemwiseAdd: shapes (2,3) and (3,) must be equal (it does not broadcast; nd.add does)',
    );
    // @ts-expect-error out must be an NDArray
    expect(() => nd.add(X, X, { out: [1, 2] })).toThrow('add: out must be an NDArray');
  });
  it('reads an input that overlaps out with another layout before overwriting it', () => {
    // y is buf[0:4] and out is buf[1:5]: writing element i of out destroys element i+1 of y.
    const buf = new Float32Array([1, 2, 3, 4, 5]);
    const y = nd.fromTypedArray(buf.subarray(0, 4), [4]);
    const out = nd.fromTypedArray(buf.subarray(1), [4]);
    nd.add(y, 10, { out });
    expect(Array.from(buf)).toEqual([1, 11, 12, 13, 14]);
  });
});

describe('in-place writes and autograd', () => {
  it('are refused on a variable or a recorded output, with MXNet message', () => {
    const W = nd.ones([2]);
    W.attachGrad();
    expect(() => autograd.record(() => W.addInPlace(1))).toThrow(MXNET_INPLACE);
    expect(() => autograd.record(() => W.addInPlace(1))).toThrow(/^addInPlace: .*is a variable/);
    expect(() => autograd.record(() => nd.elemwiseAdd(W, W, { out: W }))).toThrow(/^elemwiseAdd: Inplace/);
    expect(() => autograd.record(() => nd.addN(W, W, { out: W }))).toThrow(/^addN: Inplace/);
    expect(() => autograd.record(() => nd.ones([2]).copyto(W))).toThrow(/^copyto: Inplace/);
    expect(() => autograd.record(() => W.set(0))).toThrow(/^set: Inplace/);
    expect(() =>
      autograd.record(() => {
        const y = W.mul(2);
        y.mulInPlace(3);
      }),
    ).toThrow(/^mulInPlace: .*is a recorded output/);
    expect(W.toArray()).toEqual([1, 1]);
    // outside the recording, the same writes are allowed
    W.addInPlace(1);
    expect(W.toArray()).toEqual([2, 2]);
  });
  it('into a plain array while recording, record the op so gradients flow through it', () => {
    const W = nd.array([1, 2, 3]);
    W.attachGrad();
    const Z = nd.zeros([3]);
    const l = autograd.record(() => nd.elemwiseMul(W, W, { out: Z }).sum());
    l.backward();
    assertAllClose(W.grad!, nd.array([2, 4, 6]));
  });
  it('X *= W while recording differentiates with the old X, not the overwritten one', () => {
    const X = nd.array([1, 2, 3]);
    const W = nd.array([2, 2, 2]);
    W.attachGrad();
    const l = autograd.record(() => X.mulInPlace(W).sum());
    expect(X.toArray()).toEqual([2, 4, 6]);
    l.backward();
    assertAllClose(W.grad!, nd.array([1, 2, 3]));
  });
});

describe('addN', () => {
  it('sums arrays of one shape, MXNet nd.add_n', () => {
    const a = nd.array([1, 2]);
    const b = nd.array([10, 20]);
    const c = nd.array([100, 200]);
    expect(nd.addN(a, b, c).toArray()).toEqual([111, 222]);
    const single = nd.addN(a);
    expect(single).not.toBe(a);
    expect(single.toArray()).toEqual([1, 2]);
    const out = nd.zeros([2]);
    expect(nd.addN(a, b, { out })).toBe(out);
    expect(out.toArray()).toEqual([11, 22]);
    expect(nd.addN(nd.array([1, 2], { dtype: 'int32' }), nd.array([0.5, 0.5])).toArray()).toEqual([1.5, 2.5]);
  });
  it('rejects other shapes and an empty list', () => {
    expect(() => nd.addN(nd.zeros([2]), nd.zeros([1]))).toThrow(
      'addN: argument 1 has shape (1,) but argument 0 has (2,) (addN does not broadcast)',
    );
    expect(() => nd.addN()).toThrow('addN: needs at least one array');
  });
  it('gradient: each input gets the output gradient', () => {
    const shape = [2, 3];
    checkGradient(
      (a, b, c) => nd.addN(a, b.mul(b), c.exp()),
      [nd.random.normal({ shape }), nd.random.normal({ shape }), nd.random.normal({ shape })],
    );
    // the same input twice accumulates
    checkGradient((a) => nd.addN(a, a, a.square()), [nd.random.normal({ shape })]);
  });
});

describe('assigning into one element', () => {
  // corr2d from d2l 5.1, written literally: Y[i, j] = (X[i:i+h, j:j+w] * K).sum()
  function corr2d(X: NDArray, K: NDArray): NDArray {
    const [h, w] = K.shape;
    const Y = nd.zeros([X.shape[0] - h + 1, X.shape[1] - w + 1]);
    for (let i = 0; i < Y.shape[0]; i++)
      for (let j = 0; j < Y.shape[1]; j++)
        Y.set(
          [i, j],
          X.get([
            [i, i + h],
            [j, j + w],
          ])
            .mul(K)
            .sum(),
        );
    return Y;
  }
  const X = nd.array([
    [0, 1, 2],
    [3, 4, 5],
    [6, 7, 8],
  ]);
  const K = nd.array([
    [0, 1],
    [2, 3],
  ]);
  it("accepts a (1,) array for a single element: the book's corr2d", () => {
    // d2l 5.1 prints [[19. 25.] [37. 43.]] (19 = 0*0 + 1*1 + 3*2 + 4*3)
    expect(corr2d(X, K).toArray()).toEqual([
      [19, 25],
      [37, 43],
    ]);
  });
  it("and the book's pool2d (max and avg, 2x2 window, stride 1)", () => {
    const pool2d = (x: NDArray, [ph, pw]: number[], mode: 'max' | 'avg') => {
      const Y = nd.zeros([x.shape[0] - ph + 1, x.shape[1] - pw + 1]);
      for (let i = 0; i < Y.shape[0]; i++)
        for (let j = 0; j < Y.shape[1]; j++) {
          const win = x.get([
            [i, i + ph],
            [j, j + pw],
          ]);
          Y.set([i, j], mode === 'max' ? win.max() : win.mean());
        }
      return Y;
    };
    // d2l 5.4 prints [[4. 5.] [7. 8.]] and [[2. 3.] [5. 6.]]
    expect(pool2d(X, [2, 2], 'max').toArray()).toEqual([
      [4, 5],
      [7, 8],
    ]);
    expect(pool2d(X, [2, 2], 'avg').toArray()).toEqual([
      [2, 3],
      [5, 6],
    ]);
  });
  it('still refuses a value of more than one element, naming the (1,) region', () => {
    const Y = nd.zeros([2, 2]);
    expect(() => Y.set('0, 1', nd.ones([2]))).toThrow('set: cannot assign (2,) to a region of shape (1,)');
    expect(() => Y.set('0, 1', nd.ones([1, 1]))).toThrow(
      'set: cannot assign (1,1) to a region of shape (1,)',
    );
    Y.set('1, 0', nd.array([7]));
    Y.set('0', nd.array([3])); // a (1,) value broadcasts over a row, as MXNet's broadcast_to does
    expect(Y.toArray()).toEqual([
      [3, 3],
      [7, 0],
    ]);
  });
});

describe('iterating over the first axis', () => {
  it('yields x.get(i), one axis fewer; 1-D arrays yield 0-d arrays', () => {
    const X = nd.arange(6).reshape(2, 3);
    const rows = [...X];
    expect(rows.map((r) => r.shape)).toEqual([[3], [3]]);
    expect(rows[1].toArray()).toEqual([3, 4, 5]);
    const items = Array.from(rows[0]);
    expect(items.map((v) => v.shape)).toEqual([[], [], []]);
    expect(items.map((v) => v.asScalar())).toEqual([0, 1, 2]);
    const [a, b] = X;
    expect(a.toArray()).toEqual([0, 1, 2]);
    expect(b.toArray()).toEqual([3, 4, 5]);
    expect([...nd.zeros([0, 4])]).toEqual([]);
  });
  it('a 0-d array is not iterable (a TypeError, as Python iter() on a 0-d array)', () => {
    const [scalar] = nd.arange(1);
    expect(scalar.ndim).toBe(0);
    expect(() => {
      for (const _ of scalar) throw new Error('unreachable');
    }).toThrow(TypeError);
    expect(() => [...nd.array([5]).reshape([])]).toThrow(TypeError);
  });
  it("zip(X, K) in the book's corr2d_multi_in (d2l 5.3)", () => {
    const X = nd.array([
      [
        [0, 1, 2],
        [3, 4, 5],
        [6, 7, 8],
      ],
      [
        [1, 2, 3],
        [4, 5, 6],
        [7, 8, 9],
      ],
    ]);
    const K = nd.array([
      [
        [0, 1],
        [2, 3],
      ],
      [
        [1, 2],
        [3, 4],
      ],
    ]);
    const Ks = [...K];
    const perChannel = [...X].map((x, i) => {
      const k = Ks[i];
      const [h, w] = k.shape;
      const Y = nd.zeros([x.shape[0] - h + 1, x.shape[1] - w + 1]);
      for (let r = 0; r < Y.shape[0]; r++)
        for (let c = 0; c < Y.shape[1]; c++)
          Y.set(
            [r, c],
            x
              .get([
                [r, r + h],
                [c, c + w],
              ])
              .mul(k)
              .sum(),
          );
      return Y;
    });
    // d2l 5.3 prints [[ 56.  72.] [104. 120.]]
    expect(nd.addN(...perChannel).toArray()).toEqual([
      [56, 72],
      [104, 120],
    ]);
  });
  it('is recorded, so gradients flow through the rows', () => {
    checkGradient(
      (x) => nd.addN(...Array.from(x, (row, i) => row.mul(i + 1).square())),
      [nd.random.normal({ shape: [3, 2] })],
    );
    const x = nd.ones([2, 2]);
    x.attachGrad();
    autograd.record(() => [...x][1].sum()).backward();
    expect(x.grad!.toArray()).toEqual([
      [0, 0],
      [1, 1],
    ]);
  });
  it('deep equality: toEqual through testing.ndarrayEquality (the test setup registers it)', () => {
    const { ndarrayEquality } = testing;
    expect(ndarrayEquality(nd.array([[1, 2]]), nd.array([[1, 2]]))).toBe(true);
    expect(ndarrayEquality(nd.array([[1, 2]]), nd.array([[1, 3]]))).toBe(false);
    expect(ndarrayEquality(nd.array([1, 2]), nd.array([[1, 2]]))).toBe(false);
    expect(ndarrayEquality(nd.array([1, 2]), nd.array([1, 2], { dtype: 'float64' }))).toBe(false);
    expect(ndarrayEquality(nd.array([Number.NaN]), nd.array([Number.NaN]))).toBe(true);
    expect(ndarrayEquality(nd.array([0]), nd.array([-0]))).toBe(false);
    expect(ndarrayEquality(nd.array([1]), [1])).toBe(false);
    expect(ndarrayEquality([1], [1])).toBeUndefined();
    expect(nd.array([[1, 2]])).toEqual(nd.array([[1, 2]]));
    expect([nd.array([1]), 2]).not.toEqual([nd.array([3]), 2]);
  });
});
