// Tests of the fused softmaxCrossEntropy: values (PyTorch, and bit for bit the composite
// -pick(logSoftmax(x), y)), stability, axes, clipping, gradients (first and second order), errors.
import { describe, expect, it } from 'vitest';
import { autograd, nd, testing } from '../index.js';

const { assertAllClose, checkGradient } = testing;

describe('softmaxCrossEntropy', () => {
  it('matches PyTorch', () => {
    // torch.nn.functional.cross_entropy(tensor([[1,2,3],[0.5,-1,4]], float64), tensor([2,0]), reduction='none')
    const x = nd.array([
      [1, 2, 3],
      [0.5, -1, 4],
    ]);
    assertAllClose(nd.softmaxCrossEntropy(x, nd.array([2, 0])), [0.4076059644443804, 3.5362695651247793], {
      rtol: 1e-6,
    });
  });

  it('equals -pick(logSoftmax(x), y) bit for bit, on every axis', () => {
    const x = nd.random.normal({ shape: [64, 10] }).mul(5);
    const y = nd.fromTypedArray(
      Int32Array.from({ length: 64 }, (_, i) => (i * 7) % 10),
      [64],
    );
    const fused = nd.softmaxCrossEntropy(x, y);
    expect(fused.shape).toEqual([64]);
    expect(Array.from(fused.data)).toEqual(Array.from(nd.pick(nd.logSoftmax(x), y).neg().data));
    const x3 = nd.random.normal({ shape: [2, 4, 3] });
    const y3 = nd.array([
      [0, 3, 1],
      [2, 2, 0],
    ]);
    expect(Array.from(nd.softmaxCrossEntropy(x3, y3, { axis: 1 }).data)).toEqual(
      Array.from(nd.pick(nd.logSoftmax(x3, { axis: 1 }), y3, { axis: 1 }).neg().data),
    );
  });

  it('is stable for huge logits and clips labels out of range, as pick does', () => {
    const l = nd.softmaxCrossEntropy(nd.array([[1e16, 1e16, -1e16]]), nd.array([0]));
    assertAllClose(l, [Math.LN2], { rtol: 1e-6 });
    const x = nd.array([[1, 2, 3]]);
    expect(nd.softmaxCrossEntropy(x, nd.array([7])).asScalar()).toBe(
      nd.softmaxCrossEntropy(x, nd.array([2])).asScalar(),
    );
    expect(nd.softmaxCrossEntropy(nd.array([1, 2, 3]), nd.array([1])).shape).toEqual([1]);
  });

  it('its one-pass gradient equals the ops of its rule bit for bit', () => {
    // backward takes the kernel over the forward's kept softmax; autograd.grad with createGraph
    // takes the rule written with ops (softmax(x)·dy - pickScatter(dy)): the values must agree.
    const cases: Array<[number[], number, 'float32' | 'float64']> = [
      [[64, 10], 1, 'float32'],
      [[2, 5, 3], 1, 'float32'],
      [[7, 4], 1, 'float64'],
      [[6], 0, 'float32'],
    ];
    for (const [shape, axis, dtype] of cases) {
      const x = nd.random.normal({ shape }).mul(4).astype(dtype);
      x.attachGrad();
      const outShape = shape.length === 1 ? [1] : shape.filter((_, i) => i !== axis);
      const size = outShape.reduce((p, d) => p * d, 1);
      const y = nd.fromTypedArray(
        Int32Array.from({ length: size }, (_, i) => (i * 3) % shape[axis]),
        outShape,
      );
      const head = nd.random.normal({ shape: outShape }).astype(dtype);
      autograd.record(() => nd.softmaxCrossEntropy(x, y, { axis })).backward(head);
      const fused = Array.from(x.grad!.data);
      const [ops] = autograd.record(() =>
        autograd.grad(nd.softmaxCrossEntropy(x, y, { axis }), [x], { headGrads: [head], createGraph: true }),
      );
      expect(fused).toEqual(Array.from(ops.data));
      expect(fused.some((v) => v !== 0)).toBe(true);
    }
  });

  it('gradient matches central differences', () => {
    const y = nd.array([0, 3, 1]);
    checkGradient((x) => nd.softmaxCrossEntropy(x, y), [nd.random.normal({ shape: [3, 4] })]);
    checkGradient(
      (x) => nd.softmaxCrossEntropy(x, nd.array([1, 0]), { axis: 0 }),
      [nd.random.normal({ shape: [3, 2] })],
    );
    checkGradient(
      (x) => nd.softmaxCrossEntropy(x, nd.array([[0, 2]]), { axis: 1 }),
      [nd.random.normal({ shape: [1, 3, 2] })],
    );
  });

  it('second-order gradients equal the composite', () => {
    const second = (loss: (x: NDArrayLike) => NDArrayLike) => {
      const x = nd.array(
        [
          [0.5, -1, 2],
          [0.1, 0.2, -0.3],
        ],
        { dtype: 'float64' },
      );
      x.attachGrad();
      autograd
        .record(() => {
          const [g] = autograd.grad(loss(x).sum(), [x], { createGraph: true });
          return g.mul(g).sum();
        })
        .backward();
      return x.grad!;
    };
    const y = nd.array([2, 0]);
    assertAllClose(
      second((x) => nd.softmaxCrossEntropy(x, y)),
      second((x) => nd.pick(nd.logSoftmax(x), y).neg()),
      { rtol: 1e-10 },
    );
  });

  it('names the op and the shapes in its errors', () => {
    expect(() => nd.softmaxCrossEntropy(nd.zeros([4, 3]), nd.zeros([3]))).toThrow(
      'softmaxCrossEntropy: label of shape (3,) does not match pred (4,3) without axis 1 (4,)',
    );
    expect(() => nd.softmaxCrossEntropy(nd.zeros([4, 0]), nd.zeros([4]))).toThrow(
      /axis 1 of pred \(4,0\) is empty/,
    );
  });
});

type NDArrayLike = ReturnType<typeof nd.zeros>;
