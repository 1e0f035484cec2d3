// Tests of the softmax family: softmax, logSoftmax, logSumExp (values, stability, axes, gradients).
import { describe, expect, it } from 'vitest';
import { autograd, nd, testing } from '../index.js';

const { assertAllClose, checkGradient } = testing;

// Reference values computed once with PyTorch 1.13 (torch.softmax / log_softmax / logsumexp, dim=1).
const X = [
  [1, 2, 3],
  [1000, 0, -1000],
];
const SOFTMAX = [
  [0.09003057330846786, 0.2447284758090973, 0.6652409434318542],
  [1, 0, 0],
];
const LOG_SOFTMAX = [
  [-2.4076058864593506, -1.4076058864593506, -0.40760594606399536],
  [0, -1000, -2000],
];

describe('softmax', () => {
  it('matches PyTorch on the last axis, stable for large logits', () => {
    assertAllClose(nd.softmax(nd.array(X)), SOFTMAX, { rtol: 1e-6 });
    assertAllClose(nd.array(X).softmax({ axis: 1 }), SOFTMAX, { rtol: 1e-6 });
  });
  it('works along axis 0 and negative axes', () => {
    // torch.softmax(tensor([[1,2],[3,5]]), 0)
    const expected = [
      [0.11920291930437088, 0.04742587357759476],
      [0.8807970285415649, 0.9525741338729858],
    ];
    assertAllClose(
      nd.softmax(
        nd.array([
          [1, 2],
          [3, 5],
        ]),
        { axis: 0 },
      ),
      expected,
      { rtol: 1e-6 },
    );
    assertAllClose(
      nd.softmax(
        nd.array([
          [1, 2],
          [3, 5],
        ]),
        { axis: -2 },
      ),
      expected,
      { rtol: 1e-6 },
    );
  });
  it('rows sum to one; size-1 axis gives ones; empty arrays pass through', () => {
    const y = nd.softmax(nd.random.normal({ shape: [4, 7] }));
    assertAllClose(y.sum({ axis: 1 }), nd.ones([4]), { rtol: 1e-6 });
    assertAllClose(nd.softmax(nd.array([[3], [-2]])), [[1], [1]]);
    expect(nd.softmax(nd.zeros([0, 3])).shape).toEqual([0, 3]);
  });
  it('keeps float64 and turns integers into float32', () => {
    expect(nd.softmax(nd.array([1, 2], { dtype: 'float64' })).dtype).toBe('float64');
    expect(nd.softmax(nd.array([1, 2], { dtype: 'int32' })).dtype).toBe('float32');
  });
  it('propagates NaN and handles -Infinity entries', () => {
    assertAllClose(nd.softmax(nd.array([NaN, 1])), [NaN, NaN]);
    assertAllClose(nd.softmax(nd.array([-Infinity, 0])), [0, 1]);
  });
  it('rejects bad axes naming the op', () => {
    expect(() => nd.softmax(nd.zeros([2, 3]), { axis: 2 })).toThrow(/softmax: axis 2 is out of range/);
  });
  it('gradient matches central differences', () => {
    checkGradient((x) => nd.softmax(x), [nd.random.normal({ shape: [3, 4] })]);
    checkGradient((x) => nd.softmax(x, { axis: 0 }), [nd.random.normal({ shape: [3, 2, 2] })]);
  });
});

describe('logSoftmax', () => {
  it('matches PyTorch, finite for huge logits', () => {
    assertAllClose(nd.logSoftmax(nd.array(X)), LOG_SOFTMAX, { rtol: 1e-6 });
    const y = nd.logSoftmax(nd.array([[1e30, -1e30]]));
    expect(Number.isFinite(y.data[0])).toBe(true);
  });
  it('subtracts the maximum before the log of the sum: tied logits at 1e16 give -ln 2', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const y = nd.logSoftmax(
        nd.array(
          [
            [1e16, 1e16],
            [-1e16, -1e16],
            [3e30, 3e30],
          ],
          { dtype },
        ),
      );
      assertAllClose(y, -Math.LN2, { rtol: 1e-6, message: dtype });
    }
  });
  it('equals log(softmax) on moderate inputs and along axis 1 of 3-D input', () => {
    const x = nd.random.normal({ shape: [2, 3, 4] });
    assertAllClose(nd.logSoftmax(x, { axis: 1 }), nd.softmax(x, { axis: 1 }).log(), {
      rtol: 1e-5,
      atol: 1e-6,
    });
  });
  it('gradient matches central differences (including via pick, as the loss uses it)', () => {
    checkGradient((x) => nd.logSoftmax(x), [nd.random.normal({ shape: [4, 5] })]);
    checkGradient((x) => nd.logSoftmax(x, { axis: -2 }), [nd.random.normal({ shape: [3, 2] })]);
    const y = nd.array([0, 3, 1]);
    checkGradient((x) => nd.pick(nd.logSoftmax(x), y).neg(), [nd.random.normal({ shape: [3, 4] })]);
  });
  it('second-order gradient is recorded with createGraph', () => {
    const x = nd.array([0.5, -1, 2], { dtype: 'float64' });
    x.attachGrad();
    const [g] = autograd.record(() =>
      autograd.grad(nd.logSoftmax(x).pick(nd.array([0])), [x], { createGraph: true }),
    );
    // d/dx0 of (1 - p0) summed with -p1, -p2: g = onehot(0) - p; sum(g) = 0 for any x
    const p = nd.softmax(x.detach());
    assertAllClose(g, nd.array([1, 0, 0], { dtype: 'float64' }).sub(p), { rtol: 1e-10 });
  });
});

describe('logSumExp', () => {
  it('matches PyTorch and is stable', () => {
    assertAllClose(nd.logSumExp(nd.array(X), { axis: 1 }), [3.4076058864593506, 1000], { rtol: 1e-6 });
    assertAllClose(nd.array([1000, 1000]).logSumExp(), [1000 + Math.LN2], { rtol: 1e-7 });
  });
  it('follows the (1,) rule over all axes, keepdims and lists of axes', () => {
    expect(nd.logSumExp(nd.zeros([2, 3])).shape).toEqual([1]);
    expect(nd.logSumExp(nd.zeros([2, 3]), { axis: 0, keepdims: true }).shape).toEqual([1, 3]);
    assertAllClose(
      nd.logSumExp(nd.zeros([2, 3, 2]), { axis: [0, 2] }),
      [Math.log(4), Math.log(4), Math.log(4)],
      {
        rtol: 1e-6,
      },
    );
  });
  it('gives -Infinity for an all -Infinity row and for empty axes', () => {
    assertAllClose(nd.logSumExp(nd.array([[-Infinity, -Infinity]]), { axis: 1 }), [-Infinity]);
    assertAllClose(nd.logSumExp(nd.zeros([2, 0]), { axis: 1 }), [-Infinity, -Infinity]);
    expect(nd.logSumExp(nd.zeros([0, 3]), { axis: 1 }).shape).toEqual([0]);
  });
  it('gradient is the softmax', () => {
    checkGradient((x) => nd.logSumExp(x, { axis: 1 }), [nd.random.normal({ shape: [3, 4] })]);
    checkGradient((x) => nd.logSumExp(x), [nd.random.normal({ shape: [2, 3] })]);
  });
});
