/**
 * Tests of the d2lzh helpers on small hand-made data (no Fashion-MNIST): `sgd` divides by the
 * batch size even for a smaller last batch, `squaredLoss` is per sample, `dataIter` visits every
 * example once, `trainCh3` prints the book's line with loss = summed loss / samples, and
 * `semilogy` writes an SVG.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { autograd, nd } from '@minimx/ndarray';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as d2l from './d2l.js';

afterEach(() => {
  vi.restoreAllMocks();
  d2l.limitBatches(Infinity);
});

describe('d2l helpers', () => {
  it('sgd: param -= lr * grad / batchSize, in place', () => {
    const w = nd.array([1, 2]);
    w.attachGrad();
    autograd.record(() => w.mul(nd.array([3, 4])).sum()).backward(); // grad = [3, 4]
    d2l.sgd([w], 0.5, 2);
    expect(Array.from(w.data)).toEqual([1 - (0.5 * 3) / 2, 2 - (0.5 * 4) / 2]);
  });

  it('squaredLoss is (yHat - y)^2 / 2 per sample, y reshaped like yHat', () => {
    const l = d2l.squaredLoss(nd.array([[1], [3]]), nd.array([2, 0]));
    expect(l.shape).toEqual([2, 1]);
    expect(Array.from(l.data)).toEqual([0.5, 4.5]);
  });

  it('dataIter yields every example exactly once, the last batch smaller', () => {
    const features = nd.array([[0], [1], [2], [3], [4]]);
    const labels = nd.array([0, 10, 20, 30, 40]);
    const seen: number[] = [];
    const sizes: number[] = [];
    for (const [X, y] of d2l.dataIter(2, features, labels)) {
      sizes.push(X.shape[0]);
      X.data.forEach((v, i) => {
        expect(y.data[i]).toBe(v * 10);
        seen.push(v);
      });
    }
    expect(sizes).toEqual([2, 2, 1]);
    expect(seen.sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('trainCh3 prints the book line; loss is summed loss / samples; a partial last batch is divided by batchSize', () => {
    // Two batches (2 samples, then 1), a 1x2 linear model, cross-entropy from logits.
    const X1 = nd.array([[1], [2]]);
    const y1 = nd.array([0, 1], { dtype: 'int32' });
    const X2 = nd.array([[3]]);
    const y2 = nd.array([1], { dtype: 'int32' });
    const iter = [[X1, y1] as const, [X2, y2] as const];
    const W = nd.zeros([1, 2]);
    W.attachGrad();
    const net = (X: ReturnType<typeof nd.array>) => nd.dot(X, W);
    const loss = (yHat: ReturnType<typeof nd.array>, y: ReturnType<typeof nd.array>) =>
      nd.pick(nd.logSoftmax(yHat), y).neg();
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((s: string) => lines.push(s));
    d2l.trainCh3(net, iter, iter, loss, 1, 2, [W], 1);
    // Batch 1: W = 0 so loss = 2 ln 2, grad of the summed loss = [[-0.5, 0.5]]·... computed by hand:
    // d/dW sum(-log softmax(xW)[y]) = sum_i x_i (p_i - onehot(y_i)) = 1*(0.5-1, 0.5) + 2*(0.5, 0.5-1) = (0.5, -0.5)
    // sgd with batchSize 2: W = -(1/2)(0.5, -0.5) = (-0.25, 0.25). Batch 2 (x = 3, y = 1):
    // logits (-0.75, 0.75), loss = log(1 + e^-1.5); grad = 3 * (p0, p1 - 1); W -= grad / 2 (not / 1).
    const l2 = Math.log(1 + Math.exp(-1.5));
    const expectedLoss = (2 * Math.LN2 + l2) / 3;
    const p0 = 1 / (1 + Math.exp(1.5));
    const wAfter = [-0.25 - (3 * p0) / 2, 0.25 + (3 * p0) / 2];
    expect(Array.from(W.data)[0]).toBeCloseTo(wAfter[0], 6);
    expect(Array.from(W.data)[1]).toBeCloseTo(wAfter[1], 6);
    // Train accuracy: batch 1 at W = 0 ties -> argmax 0 -> 1 of 2 right; batch 2 right -> 2/3.
    // Test accuracy at the final W: x = 1, 2, 3 all predict class 1 -> 2/3.
    expect(lines).toEqual([`epoch 1, loss ${expectedLoss.toFixed(4)}, train acc 0.667, test acc 0.667`]);
  });

  it('trainCh3 refuses to run with neither params and lr nor a trainer', () => {
    expect(() =>
      d2l.trainCh3(
        (X) => X,
        [],
        [],
        (a) => a,
        1,
        1,
      ),
    ).toThrow(/give either params and lr/);
  });

  it('limitBatches caps the passes of dataIter', () => {
    d2l.limitBatches(1);
    const batches = [...d2l.dataIter(2, nd.zeros([6, 1]), nd.zeros([6]))];
    expect(batches).toHaveLength(1);
  });

  it('semilogy writes an SVG with both series and the legend', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'semilogy-'));
    try {
      const file = d2l.semilogy(
        [1, 2, 3],
        [1, 0.1, 0.01],
        'epochs',
        'loss',
        [1, 2, 3],
        [2, 1, 0.5],
        ['train', 'test'],
        {
          path: path.join(dir, 'sub', 'p.svg'),
        },
      );
      const svg = fs.readFileSync(file, 'utf8');
      expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
      expect(svg.match(/<path /g)).toHaveLength(2);
      expect(svg).toContain('>train</text>');
      expect(svg).toContain('>test</text>');
      expect(svg).toContain('>epochs</text>');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
