/**
 * Repeatability: with `nd.random.seed(n)`, everything random (initialisation, DataLoader
 * shuffling, dropout) repeats exactly. In-process: a seeded training loop run twice gives the
 * same losses bit for bit, and another seed gives different ones. End to end: the softmax
 * regression example run twice as a child process with `--seed 7` prints identical lines
 * (skipped, with a message, when Fashion-MNIST is not installed).
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ArrayDataset, DataLoader } from '@minimx/datasets';
import { autograd, type NDArray, nd } from '@minimx/ndarray';
import { loss as gloss, nn, Trainer } from '@minimx/nn';
import { afterAll, describe, expect, it } from 'vitest';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const TSX = path.join(REPO, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const run = promisify(execFile);

/** Seeds, builds data, a dropout MLP and a shuffling DataLoader, trains 2 epochs; returns every batch loss. */
function seededTraining(seed: number): number[] {
  nd.random.seed(seed);
  const X = nd.random.normal({ shape: [200, 10] });
  const y = nd.random.randint(0, 3, { shape: [200] });
  const loader = new DataLoader(new ArrayDataset(X, y), { batchSize: 32, shuffle: true });
  const net = new nn.Sequential();
  net.add(new nn.Dense(16, { activation: 'relu' }), new nn.Dropout(0.3), new nn.Dense(3));
  net.initialize();
  const loss = new gloss.SoftmaxCrossEntropyLoss();
  let trainer: Trainer | null = null;
  const losses: number[] = [];
  for (let epoch = 0; epoch < 2; epoch++) {
    for (const [Xb, yb] of loader as Iterable<[NDArray, NDArray]>) {
      const l = autograd.record(() => loss.forward(net.forward(Xb), yb));
      trainer ??= new Trainer(net.collectParams(), 'sgd', { learningRate: 0.2 });
      l.backward();
      trainer.step(Xb.shape[0]);
      losses.push(l.mean().asScalar());
    }
  }
  return losses;
}

describe('seeded runs repeat', () => {
  it('the same seed gives the same losses bit for bit (init, shuffle, dropout); another seed does not', () => {
    const first = seededTraining(7);
    const second = seededTraining(7);
    expect(first.length).toBe(14);
    expect(second).toEqual(first);
    expect(seededTraining(8)).not.toEqual(first);
  });
});

const FASHION = fs.existsSync('/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz');
const EXAMPLE = path.join(REPO, 'examples', 'softmax-regression-scratch.ts');
if (!FASHION)
  console.warn('repeatability.test: Fashion-MNIST not installed; skipping the example-level test');

describe.skipIf(!FASHION || !fs.existsSync(EXAMPLE))('the softmax regression example', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'minimx-repeat-'));
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  const example = async (seed: number, dir: string) => {
    const { stdout } = await run(
      process.execPath,
      [
        TSX,
        EXAMPLE,
        '--seed',
        String(seed),
        '--epochs',
        '1',
        '--batches',
        '20',
        '--out',
        path.join(out, dir),
      ],
      { cwd: REPO, maxBuffer: 16 << 20, timeout: 120_000, env: { ...process.env, NO_COLOR: '1' } },
    );
    // Timing lines (`12.3 sec`, `... examples/sec`) are the only ones allowed to differ.
    return stdout.split('\n').filter((line) => !/\d sec\b|examples\/sec/.test(line));
  };

  it('prints identical lines in two runs with --seed 7 --epochs 1 --batches 20', async () => {
    const [a, b] = [await example(7, 'a'), await example(7, 'b')];
    expect(a.some((line) => /^epoch 1, loss \d/.test(line))).toBe(true);
    expect(b.map((line) => line.replace(`${path.join(out, 'b')}`, '<out>'))).toEqual(
      a.map((line) => line.replace(`${path.join(out, 'a')}`, '<out>')),
    );
  });
});
