import { autograd, nd } from '@minimx/ndarray';
import { describe, expect, it } from 'vitest';
import { loss as gloss } from '../index.js';
import { checkGradients, expectClose } from '../test-helpers.js';

// Reference values: PyTorch 1.13 in float64, computed once with /usr/bin/python3:
//   F.cross_entropy(pred, label, reduction='none') (sparse and probability labels),
//   0.5*(p-l)**2 and |p-l| averaged over axis 1, F.binary_cross_entropy_with_logits and
//   F.binary_cross_entropy (reduction='none') averaged over axis 1.
const pred = [
  [1.0, 2.0, 0.5, -1.0],
  [0.0, -3.0, 4.0, 1.0],
  [2.5, 2.5, -0.5, 0.1],
];
const label = [0, 3, 1];
const sampleWeight = [[1.0], [0.5], [2.0]];
const torchCE = [1.495181898085856, 3.0667372794915515, 0.761041792620797];
const torchCEWeighted = [1.046627328660099, 1.073358047822043, 1.0654585096691156]; // × sampleWeight × 0.7
const softLabel = [
  [0.1, 0.2, 0.3, 0.4],
  [1.0, 0.0, 0.0, 0.0],
  [0.25, 0.25, 0.25, 0.25],
];
const torchCEDense = [2.245181898085856, 4.0667372794915515, 2.111041792620797];
const torchCEHuge = [10000.0, Math.LN2];
// d/dpred of sum(ce * [1, -2, 0.5])
const torchCEGrad = [
  [-0.7757921819517989, 0.6094600375988771, 0.13598891579350553, 0.030343228559416225],
  [-0.03426639649896864, -0.0017060234252144855, -1.870881857145898, 1.906854277070081],
  [0.2335897346378927, -0.2664102653621073, 0.01162974808844796, 0.02119078263576661],
];
const p2 = [
  [1.0, 2.0],
  [-0.5, 3.0],
  [0.0, 0.25],
];
const l2 = [
  [0.5, 2.5],
  [1.0, 1.0],
  [-1.0, 0.0],
];
const torchL2 = [0.125, 1.5625, 0.265625];
const torchL2Weighted = [0.25, 1.5625, 1.0625]; // weight 2, × sampleWeight
const torchL1 = [0.5, 1.75, 0.625];
const torchL1Weighted = [1.5, 2.625, 3.75]; // weight 3, × sampleWeight
const logits = [
  [0.3, -2.0, 5.0],
  [-40.0, 40.0, 0.0],
];
const bceLabel = [
  [1.0, 0.0, 1.0],
  [1.0, 0.0, 0.5],
];
const torchBCE = [0.22933286800020583, 26.897715726853317];
const probs = [
  [0.2, 0.7, 0.9],
  [0.5, 0.01, 0.99],
];
const torchBCEProb = [0.9729237441392876, 1.0036025924447476];

const f64 = (v: Parameters<typeof nd.array>[0]) => nd.array(v, { dtype: 'float64' });

describe('SoftmaxCrossEntropyLoss', () => {
  it('matches PyTorch with sparse labels, weight and sampleWeight; output is (batch,)', () => {
    const l = new gloss.SoftmaxCrossEntropyLoss().forward(f64(pred), nd.array(label));
    expect(l.shape).toEqual([3]);
    expectClose(l, torchCE, 1e-12);
    const w = new gloss.SoftmaxCrossEntropyLoss({ weight: 0.7 }).forward(
      f64(pred),
      nd.array(label),
      f64(sampleWeight),
    );
    expectClose(w, torchCEWeighted, 1e-12);
  });

  it('matches PyTorch with dense labels, and fromLogits takes log-probabilities', () => {
    const l = new gloss.SoftmaxCrossEntropyLoss({ sparseLabel: false }).forward(f64(pred), f64(softLabel));
    expectClose(l, torchCEDense, 1e-12);
    const logp = nd.logSoftmax(f64(pred));
    expectClose(
      new gloss.SoftmaxCrossEntropyLoss({ fromLogits: true }).forward(logp, nd.array(label)),
      torchCE,
      1e-12,
    );
  });

  it('is finite for huge logits (float32)', () => {
    const l = new gloss.SoftmaxCrossEntropyLoss().forward(
      nd.array([
        [1e4, 0, -1e4],
        [-1e4, 1e4, 1e4],
      ]),
      nd.array([1, 2]),
    );
    expect(Array.from(l.data).every(Number.isFinite)).toBe(true);
    expectClose(l, torchCEHuge, 1e-6);
  });
  it('gives ln 2 for two tied logits at 1e16 (log-softmax subtracts the maximum first)', () => {
    const l = new gloss.SoftmaxCrossEntropyLoss().forward(
      nd.array([[1e16, 1e16]], { dtype: 'float64' }),
      nd.array([0]),
    );
    expect(l.data[0]).toBeCloseTo(Math.LN2, 12);
  });

  it('has PyTorch gradients and passes a numerical gradient check (class axis 0 too)', () => {
    const x = f64(pred);
    x.attachGrad();
    const loss = new gloss.SoftmaxCrossEntropyLoss();
    autograd
      .record(() =>
        loss
          .forward(x, nd.array(label))
          .mul(f64([1, -2, 0.5]))
          .sum(),
      )
      .backward();
    expectClose(x.grad!, torchCEGrad, 1e-12);
    const sw = f64(sampleWeight);
    checkGradients(
      () => new gloss.SoftmaxCrossEntropyLoss({ weight: 0.7 }).forward(x, nd.array(label), sw),
      [x, sw],
    );
    const soft = f64(softLabel);
    checkGradients(
      () => new gloss.SoftmaxCrossEntropyLoss({ sparseLabel: false }).forward(x, soft),
      [x, soft],
    );
    const xt = f64(pred).transpose();
    const byCol = new gloss.SoftmaxCrossEntropyLoss({ axis: 0, batchAxis: 1 }).forward(xt, nd.array(label));
    expectClose(byCol, torchCE, 1e-12);
  });

  it('names both shapes when the label does not fit', () => {
    expect(() => new gloss.SoftmaxCrossEntropyLoss().forward(f64(pred), nd.array([1, 2]))).toThrow(
      /label of shape \(2,\) does not match prediction \(3,4\)/,
    );
  });
});

describe('L2Loss and L1Loss', () => {
  it('match PyTorch, with weight and sampleWeight', () => {
    expectClose(new gloss.L2Loss().forward(f64(p2), f64(l2)), torchL2, 1e-12);
    expectClose(
      new gloss.L2Loss({ weight: 2 }).forward(f64(p2), f64(l2), f64(sampleWeight)),
      torchL2Weighted,
      1e-12,
    );
    expectClose(new gloss.L1Loss().forward(f64(p2), f64(l2)), torchL1, 1e-12);
    expectClose(
      new gloss.L1Loss({ weight: 3 }).forward(f64(p2), f64(l2), f64(sampleWeight)),
      torchL1Weighted,
      1e-12,
    );
  });

  it('reshape a (batch,) label like a (batch,1) prediction', () => {
    const l = new gloss.L2Loss().forward(f64([[1], [2]]), f64([0, 0]));
    expect(l.shape).toEqual([2]);
    expectClose(l, [0.5, 2]);
  });

  it('pass numerical gradient checks', () => {
    const p = f64(p2);
    const l = f64(l2);
    checkGradients(() => new gloss.L2Loss({ weight: 2 }).forward(p, l, f64(sampleWeight)), [p, l]);
    checkGradients(() => new gloss.L1Loss().forward(p, l), [p, l]);
  });
});

describe('SigmoidBinaryCrossEntropyLoss', () => {
  it('matches PyTorch on logits (stable at ±40) and on probabilities', () => {
    expectClose(
      new gloss.SigmoidBinaryCrossEntropyLoss().forward(f64(logits), f64(bceLabel)),
      torchBCE,
      1e-12,
    );
    const fromSigmoid = new gloss.SigmoidBinaryCrossEntropyLoss({ fromSigmoid: true });
    expectClose(fromSigmoid.forward(f64(probs), f64(bceLabel)), torchBCEProb, 1e-9);
  });

  it('passes numerical gradient checks', () => {
    const x = f64([
      [0.3, -2.0, 5.0],
      [-4.0, 4.0, 0.1],
    ]);
    const p = f64(probs);
    const z = f64(bceLabel);
    checkGradients(() => new gloss.SigmoidBinaryCrossEntropyLoss().forward(x, z, f64([[2], [0.5]])), [x]);
    checkGradients(() => new gloss.SigmoidBinaryCrossEntropyLoss({ fromSigmoid: true }).forward(p, z), [p], {
      tol: 1e-5,
    });
  });
});

describe('Loss', () => {
  it('prints like Gluon', () => {
    expect(new gloss.SoftmaxCrossEntropyLoss().toString()).toBe(
      'SoftmaxCrossEntropyLoss(batch_axis=0, w=None)',
    );
    expect(new gloss.L2Loss().toString()).toBe('L2Loss(batch_axis=0, w=1)');
  });
});

describe('calling a loss', () => {
  it('loss(pred, label, sampleWeight) is loss.forward(pred, label, sampleWeight) for every loss', () => {
    const cases: [gloss.Loss, number[][], number[][] | number[]][] = [
      [new gloss.SoftmaxCrossEntropyLoss(), pred, label],
      [new gloss.L2Loss(), p2, l2],
      [new gloss.L1Loss(), p2, l2],
      [new gloss.SigmoidBinaryCrossEntropyLoss(), logits, bceLabel],
    ];
    for (const [loss, p, l] of cases) {
      const sw = f64(p.map(() => [0.5]));
      expect(loss(f64(p), f64(l)).toArray()).toEqual(loss.forward(f64(p), f64(l)).toArray());
      expect(loss(f64(p), f64(l), sw).toArray()).toEqual(loss.forward(f64(p), f64(l), sw).toArray());
    }
    expectClose(new gloss.SoftmaxCrossEntropyLoss()(f64(pred), nd.array(label)), torchCE, 1e-12);
  });
});
