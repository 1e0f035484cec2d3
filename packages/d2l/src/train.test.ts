/**
 * Tests of the training loops on tiny hand-made data (no Fashion-MNIST): `trainCh3` prints the
 * book's line with loss = summed loss / samples and divides a partial last batch by batchSize
 * (values worked out by hand), returns the history and calls the per-epoch callback; `trainCh5`
 * trains a tiny conv net (Conv2D, BatchNorm, pooling, Dense) with a Trainer, prints
 * `training on cpu(0)` and the line with the epoch time, and its loss falls; `evaluateAccuracy`
 * gives the same with `ctx`; `plot` writes the curves as an SVG.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cpu, type NDArray, nd } from '@minimx/ndarray';
import { loss as gloss, init, nn, Trainer } from '@minimx/nn';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as d2l from './index.js';

afterEach(() => vi.restoreAllMocks());

function captureLog(): string[] {
  const lines: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => {
    lines.push(parts.map(String).join(' '));
  });
  return lines;
}

/** Two batches (2 samples, then 1), a 1x2 linear model, cross-entropy from logits. */
function tinyProblem() {
  const iter = [
    [nd.array([[1], [2]]), nd.array([0, 1], { dtype: 'int32' })] as const,
    [nd.array([[3]]), nd.array([1], { dtype: 'int32' })] as const,
  ];
  const W = nd.zeros([1, 2]);
  W.attachGrad();
  const net = (X: NDArray) => nd.dot(X, W);
  const loss = (yHat: NDArray, y: NDArray) => nd.pick(nd.logSoftmax(yHat), y).neg();
  return { iter, W, net, loss };
}

describe('trainCh3', () => {
  it('prints the book line; loss is summed loss / samples; a partial last batch is divided by batchSize', () => {
    const { iter, W, net, loss } = tinyProblem();
    const lines = captureLog();
    d2l.trainCh3(net, iter, iter, loss, 1, 2, [W], 1);
    // Batch 1 at W = 0: loss 2 ln 2; d/dW of the summed loss = sum_i x_i (p_i - onehot(y_i))
    // = 1*(0.5-1, 0.5) + 2*(0.5, 0.5-1) = (0.5, -0.5); sgd /2: W = (-0.25, 0.25). Batch 2 (x = 3,
    // y = 1): logits (-0.75, 0.75), loss log(1 + e^-1.5), grad 3 * (p0, p1 - 1), W -= grad / 2 (not / 1).
    const l2 = Math.log(1 + Math.exp(-1.5));
    const expectedLoss = (2 * Math.LN2 + l2) / 3;
    const p0 = 1 / (1 + Math.exp(1.5));
    expect(W.data[0]).toBeCloseTo(-0.25 - (3 * p0) / 2, 6);
    expect(W.data[1]).toBeCloseTo(0.25 + (3 * p0) / 2, 6);
    // Train accuracy: batch 1 at W = 0 ties -> argmax 0 -> 1 of 2 right; batch 2 right -> 2/3.
    // Test accuracy at the final W: x = 1, 2, 3 all predict class 1 -> 2/3.
    expect(lines).toEqual([`epoch 1, loss ${expectedLoss.toFixed(4)}, train acc 0.667, test acc 0.667`]);
  });

  it('returns the history and calls onEpoch after each epoch line', () => {
    const { iter, W, net, loss } = tinyProblem();
    const lines = captureLog();
    const seen: d2l.EpochStats[] = [];
    const history = d2l.trainCh3(net, iter, iter, loss, 3, 2, [W], 1, null, {
      onEpoch: (stats) => {
        expect(lines).toHaveLength(stats.epoch); // the line is printed first
        seen.push(stats);
      },
    });
    expect(seen.map((s) => s.epoch)).toEqual([1, 2, 3]);
    expect(history.epochs).toEqual(seen);
    expect(history.loss).toEqual(seen.map((s) => s.loss));
    expect(history.trainAcc).toEqual(seen.map((s) => s.trainAcc));
    expect(history.testAcc).toEqual(seen.map((s) => s.testAcc));
    expect(history.time.every((t) => t >= 0)).toBe(true);
    lines.forEach((l, i) => {
      expect(l).toBe(
        `epoch ${i + 1}, loss ${history.loss[i].toFixed(4)}, train acc ${history.trainAcc[i].toFixed(3)}, test acc ${history.testAcc[i].toFixed(3)}`,
      );
    });
  });

  it('quiet prints nothing; plot writes the curves as an SVG', () => {
    const { iter, W, net, loss } = tinyProblem();
    const lines = captureLog();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'd2l-train-'));
    try {
      const file = path.join(dir, 'curves.svg');
      d2l.trainCh3(net, iter, iter, loss, 2, 2, [W], 1, null, { quiet: true, plot: file });
      expect(lines).toEqual([]);
      const svg = fs.readFileSync(file, 'utf8');
      expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
      expect(svg.match(/<path /g)).toHaveLength(3);
      for (const label of ['train loss', 'train acc', 'test acc', 'epoch'])
        expect(svg).toContain(`>${label}</text>`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to run with neither params and lr nor a trainer', () => {
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

  it('takes a Gluon block and loss (both callable) and a Trainer', () => {
    const { iter } = tinyProblem();
    const net = new nn.Dense(2);
    net.initialize(new init.Constant(0));
    const trainer = new Trainer(net.collectParams(), 'sgd', { learningRate: 1 });
    const lines = captureLog();
    const loss = new gloss.SoftmaxCrossEntropyLoss();
    const history = d2l.trainCh3(net, iter, iter, loss, 1, 2, undefined, undefined, trainer);
    expect(lines[0]).toMatch(/^epoch 1, loss \d\.\d{4}, train acc \d\.\d{3}, test acc \d\.\d{3}$/);
    // The first batch sees W = 0, b = 0 (loss ln 2 per sample); the step then moves the weights.
    expect(history.loss[0]).toBeGreaterThan(0);
    expect(history.loss[0]).toBeLessThan(Math.LN2);
    expect(net.weight.data().abs().sum().asScalar()).toBeGreaterThan(0);
  });
});

/** 32 one-channel 6x6 images: class 1 has its bright bar on the left half, class 0 on the right. */
function bars(): d2l.DataIter {
  const n = 32;
  const X = nd.zeros([n, 1, 6, 6]);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 2;
    X.set(`${i}, 0, :, ${y[i] ? '0:3' : '3:6'}`, 1);
  }
  const labels = nd.array(Array.from(y), { dtype: 'int32' });
  return [0, 8, 16, 24].map((s) => [X.get(`${s}:${s + 8}`), labels.get(`${s}:${s + 8}`)] as const);
}

describe('trainCh5', () => {
  it('trains a tiny conv net: prints training on cpu(0) and the epoch line with time; history and callback', () => {
    nd.random.seed(3);
    const net = new nn.Sequential();
    net.add(
      new nn.Conv2D(4, { kernelSize: 3, padding: 1 }),
      new nn.BatchNorm(),
      new nn.Activation('relu'),
      new nn.MaxPool2D({ poolSize: 2 }),
      new nn.Dense(2),
    );
    net.initialize(new init.Xavier());
    const trainer = new Trainer(net.collectParams(), 'sgd', { learningRate: 0.5 });
    const data = bars();
    const lines = captureLog();
    const epochs: number[] = [];
    const history = d2l.trainCh5(net, data, data, 8, trainer, d2l.tryGpu(), 4, {
      onEpoch: (s) => epochs.push(s.epoch),
    });
    expect(lines[0]).toBe('training on cpu(0)');
    expect(lines).toHaveLength(5);
    lines.slice(1).forEach((l, i) => {
      expect(l).toMatch(
        /^epoch \d, loss \d\.\d{4}, train acc \d\.\d{3}, test acc \d\.\d{3}, time \d+\.\d sec$/,
      );
      expect(l.startsWith(`epoch ${i + 1}, loss ${history.loss[i].toFixed(4)}, `)).toBe(true);
    });
    expect(epochs).toEqual([1, 2, 3, 4]);
    expect(history.loss.at(-1)!).toBeLessThan(history.loss[0]);
    expect(history.testAcc.at(-1)).toBe(1);
    expect(d2l.evaluateAccuracy(data, net, cpu())).toBe(d2l.evaluateAccuracy(data, net));
  });

  it('logBatchTimes(true) writes each training batch and the test pass with its seconds to stderr', () => {
    nd.random.seed(3);
    const net = new nn.Sequential();
    net.add(new nn.Conv2D(2, { kernelSize: 3 }), new nn.Dense(2));
    net.initialize(new init.Xavier());
    const trainer = new Trainer(net.collectParams(), 'sgd', { learningRate: 0.5 });
    const data = bars();
    const logged: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((...parts: unknown[]) => {
      logged.push(parts.map(String).join(' '));
    });
    captureLog();
    d2l.logBatchTimes(true);
    try {
      d2l.trainCh5(net, data, data, 8, trainer, cpu(), 2);
    } finally {
      d2l.logBatchTimes(false);
    }
    const perEpoch = [...Array(data.length).keys()].map((i) => `batch ${i + 1}`).concat('test pass');
    expect(logged.map((l) => l.replace(/: \d+\.\d\d s, cpu \d+\.\d\d s$/, ''))).toEqual(
      [1, 2].flatMap((e) => perEpoch.map((w) => `epoch ${e}, ${w}`)),
    );
    logged.length = 0;
    d2l.trainCh5(net, data, data, 8, trainer, cpu(), 1);
    expect(logged).toEqual([]);
  });

  it('refuses a missing trainer', () => {
    expect(() => d2l.trainCh5((X) => X, [], [], 1, undefined as never, cpu(), 1)).toThrow(
      /trainCh5: trainer/,
    );
  });
});
