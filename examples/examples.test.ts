/**
 * Runs every d2l example as a child process, the way a reader does (`npx tsx examples/<name>.ts`),
 * briefly: one epoch of at most 3 batches for the Fashion-MNIST sections, a few epochs of the tiny
 * regressions. Checks the shape of the printed lines, that the pictures were written (PNG/SVG
 * signatures) into a temporary `--out` folder, and that the linear regressions recover w and b.
 * Fashion-MNIST sections are skipped, with a message, when /usr/share/datasets/fashion-mnist is
 * absent and no cached copy exists.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const EXAMPLES_DIR = path.dirname(fileURLToPath(import.meta.url));
const REPO_DIR = path.dirname(EXAMPLES_DIR);
const TSX = path.join(REPO_DIR, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const OUT = fs.mkdtempSync(path.join(os.tmpdir(), 'minimx-examples-'));

const EPOCH_LINE = /^epoch \d+, loss \d+\.\d{4}, train acc \d\.\d{3}, test acc \d\.\d{3}$/;

function haveFashionMnist(): boolean {
  const home = process.env.MINIMX_HOME ?? path.join(os.homedir(), '.minimx');
  return [
    '/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz',
    path.join(home, 'datasets', 'fashion-mnist', 'train-images-idx3-ubyte.gz'),
  ].some((f) => fs.existsSync(f));
}
const FASHION = haveFashionMnist();
if (!FASHION) {
  console.warn(
    'examples.test: Fashion-MNIST not found in /usr/share/datasets/fashion-mnist (apt-get install dataset-fashion-mnist) ' +
      'or the minimx cache; skipping the Fashion-MNIST examples',
  );
}

async function example(name: string, ...flags: string[]): Promise<string[]> {
  const { stdout, stderr } = await run(
    process.execPath,
    [TSX, path.join('examples', `${name}.ts`), '--out', path.join(OUT, name), ...flags],
    { cwd: REPO_DIR, maxBuffer: 16 << 20, timeout: 120_000 },
  );
  expect(stderr, 'nothing on stderr when it is not a terminal (no progress bar, no warnings)').toBe('');
  return stdout.split('\n');
}

const isPng = (f: string) =>
  fs
    .readFileSync(f)
    .subarray(0, 8)
    .equals(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]));
const isSvg = (f: string) =>
  /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/.test(fs.readFileSync(f, 'utf8'));

/** Parses the numbers of `w: [a, b]` / `b: c` lines that the regressions print at the end. */
function learned(lines: string[], key: string): number[] {
  const line = lines.find((l) => l.startsWith(`${key}: `));
  expect(line, `a "${key}: ..." line`).toBeDefined();
  return JSON.parse(`[${line!.slice(key.length + 2).replace(/[[\]]/g, '')}]`);
}

afterAll(() => fs.rmSync(OUT, { recursive: true, force: true }));

describe.concurrent('d2l examples run from a fresh clone', () => {
  it('3.2 linear-regression-scratch recovers w = [2, -3.4], b = 4.2', async () => {
    const lines = await example('linear-regression-scratch', '--seed', '1');
    expect(lines.filter((l) => /^epoch \d, loss \d\.\d{6}$/.test(l))).toHaveLength(3);
    const [w0, w1] = learned(lines, 'w');
    expect(Math.abs(w0 - 2)).toBeLessThan(0.01);
    expect(Math.abs(w1 + 3.4)).toBeLessThan(0.01);
    expect(Math.abs(learned(lines, 'b')[0] - 4.2)).toBeLessThan(0.01);
    expect(isSvg(path.join(OUT, 'linear-regression-scratch', 'linear-regression-scatter.svg'))).toBe(true);
  });

  it('3.3 linear-regression-concise recovers w = [2, -3.4], b = 4.2', async () => {
    const lines = await example('linear-regression-concise', '--seed', '1');
    expect(lines.filter((l) => /^epoch \d, loss: \d\.\d{6}$/.test(l))).toHaveLength(3);
    const [w0, w1] = learned(lines, 'w');
    expect(Math.abs(w0 - 2)).toBeLessThan(0.01);
    expect(Math.abs(w1 + 3.4)).toBeLessThan(0.01);
    expect(Math.abs(learned(lines, 'b')[0] - 4.2)).toBeLessThan(0.01);
  });

  it('3.12 weight-decay prints the L2 norms and writes four semilogy plots', async () => {
    const lines = await example('weight-decay', '--epochs', '10', '--seed', '1');
    expect(lines.filter((l) => /^L2 norm of w: \d+(\.\d+)?(e-?\d+)?$/.test(l))).toHaveLength(4);
    const files = fs.readdirSync(path.join(OUT, 'weight-decay')).sort();
    expect(files).toHaveLength(4);
    for (const f of files) expect(isSvg(path.join(OUT, 'weight-decay', f))).toBe(true);
  });

  it.skipIf(!FASHION)(
    '3.5 fashion-mnist prints sizes, shapes, labels and writes the 9-image picture',
    async () => {
      const lines = await example('fashion-mnist', '--batches', '3');
      expect(lines[0]).toBe('60000 10000');
      expect(lines[1]).toBe('[ 28, 28, 1 ] uint8');
      expect(lines[2]).toMatch(/^\d number Int32Array$/);
      expect(lines.some((l) => /^\d+\.\d\d sec$/.test(l))).toBe(true);
      expect(isPng(path.join(OUT, 'fashion-mnist', 'fashion-mnist-first-9.png'))).toBe(true);
    },
  );

  const classifiers = [
    'softmax-regression-scratch',
    'softmax-regression-concise',
    'mlp-scratch',
    'mlp-concise',
    'dropout',
  ] as const;
  for (const name of classifiers) {
    it.skipIf(!FASHION)(`${name} trains one short epoch and prints the epoch line`, async () => {
      const lines = await example(name, '--epochs', '1', '--batches', '3', '--seed', '7');
      const epochLines = lines.filter((l) => l.startsWith('epoch '));
      expect(epochLines.length).toBeGreaterThanOrEqual(1);
      for (const l of epochLines) expect(l).toMatch(EPOCH_LINE);
      if (name === 'softmax-regression-scratch') {
        expect(isPng(path.join(OUT, name, 'softmax-regression-scratch-predictions.png'))).toBe(true);
      }
    });
  }
});
