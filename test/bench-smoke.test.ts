/**
 * Smoke test of the benchmark harness (bench/): the option parsing and job plan, the report's
 * tables and verdicts on made-up records, and real training workers run for 3 batches on
 * Fashion-MNIST (skipped when the data set is absent). Never asserts anything about time.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { argvFromNpmConfig } from '../bench/args.js';
import { fashionMnistAvailable } from '../bench/data.js';
import { benchArgv, parseBenchOptions, planJobs } from '../bench/plan.js';
import { parseRecord, type TrainRecord, type UnsupportedRecord } from '../bench/protocol.js';
import { epochSeconds, renderReport } from '../bench/report.js';
import { Rng } from '../bench/rng.js';

const benchDir = fileURLToPath(new URL('../bench/', import.meta.url));

const python = process.env.PYTHON ?? '/usr/bin/python3';
const torchAvailable =
  spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore', timeout: 60_000 }).status === 0;

function runWorker(script: string, args: string[]): TrainRecord {
  const [command, argv] = script.endsWith('.py')
    ? [python, [script, ...args]]
    : [process.execPath, ['--import', 'tsx', script, ...args]];
  const result = spawnSync(command, argv, {
    cwd: benchDir,
    env: { ...process.env, TSX_TSCONFIG_PATH: path.join(benchDir, '..', 'tsconfig.json') },
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (result.status !== 0) throw new Error(`${script} failed: ${result.stderr.slice(-2000)}`);
  const records = result.stdout
    .split('\n')
    .map(parseRecord)
    .filter((r) => r !== null);
  expect(records).toHaveLength(1);
  return records[0] as TrainRecord;
}

describe('bench options', () => {
  it('recovers options that an outer npm run turned into npm_config_* variables', () => {
    const env = {
      npm_config_quick: 'true',
      npm_config_epochs: 'true',
      npm_config_seed: '7',
      npm_config_micro: '',
    };
    const argv = argvFromNpmConfig(['5'], ['quick', 'micro', 'epochs', 'seed'], ['epochs', 'seed'], env);
    expect(argv).toEqual(['--quick', '--no-micro', '--seed', '7', '--epochs', '5']);
    expect(() =>
      argvFromNpmConfig(['5', '3'], ['epochs', 'seed'], ['epochs', 'seed'], {
        npm_config_epochs: 'true',
        npm_config_seed: 'true',
      }),
    ).toThrow(/--name=value/);
    expect(benchArgv(['--full'], {})).toEqual(['--full']);
  });

  it('plans one process per framework, backend and workload, with the TF.js cpu MLP capped', () => {
    const jobs = planJobs(parseBenchOptions([]), true, '[]');
    expect(jobs.map((j) => j.name)).toEqual([
      'minimx softmax',
      'tfjs-wasm softmax',
      'tfjs-cpu softmax',
      'pytorch softmax',
      'minimx softmax (Gluon, 1 thread)',
      'pytorch softmax (torch.nn)',
      'minimx mlp',
      'tfjs-wasm mlp',
      'tfjs-cpu mlp',
      'pytorch mlp',
      'minimx mlp (Gluon, 1 thread)',
      'pytorch mlp (torch.nn)',
      'minimx lenet',
      'tfjs-wasm lenet',
      'tfjs-cpu lenet',
      'pytorch lenet',
      'minimx micro',
      'tfjs-wasm micro',
      'tfjs-cpu micro',
      'pytorch micro',
      'minimx conv',
      'pytorch conv',
      'minimx DataLoader',
    ]);
    // LeNet: 5 epochs for minimx and PyTorch, 3 batches of TF.js cpu (seconds each), 2 of TF.js wasm (which cannot train it).
    expect(jobs.find((j) => j.name === 'minimx lenet')!.args.join(' ')).toContain('--epochs 5 --batches 0');
    // LeNet's goal is one thread against PyTorch's one.
    expect(jobs.find((j) => j.name === 'minimx lenet')!.args.join(' ')).toContain('--threads 0');
    expect(jobs.find((j) => j.name === 'pytorch lenet')!.args.join(' ')).toContain('--epochs 5 --batches 0');
    // Issue 16's comparison: minimx's Gluon run on one thread against PyTorch's torch.nn run.
    expect(jobs.find((j) => j.name === 'minimx mlp (Gluon, 1 thread)')!.args.join(' ')).toContain(
      '--threads 0 --api gluon',
    );
    expect(jobs.find((j) => j.name === 'pytorch softmax (torch.nn)')!.args.join(' ')).toContain('--api nn');
    expect(jobs.find((j) => j.name === 'tfjs-cpu lenet')!.args.join(' ')).toContain('--epochs 1 --batches 3');
    expect(jobs.find((j) => j.name === 'tfjs-wasm lenet')!.args.join(' ')).toContain(
      '--epochs 1 --batches 2',
    );
    const lenetOnly = planJobs(
      parseBenchOptions(['--models', 'lenet', '--no-micro', '--batches', '2']),
      true,
      '[]',
    );
    expect(lenetOnly.map((j) => j.name)).toEqual([
      'minimx lenet',
      'tfjs-wasm lenet',
      'tfjs-cpu lenet',
      'pytorch lenet',
    ]);
    expect(lenetOnly.every((j) => j.args.join(' ').includes('--batches 2'))).toBe(true);
    expect(() => parseBenchOptions(['--models', 'resnet'])).toThrow(/unknown workload 'resnet'/);
    const cpuMlp = jobs.find((j) => j.name === 'tfjs-cpu mlp')!;
    expect(cpuMlp.args.join(' ')).toContain('--epochs 1 --batches 20');
    // The protocol by default: 5 epochs (10 of the sub-second softmax), TF.js cpu excepted.
    expect(jobs.find((j) => j.name === 'tfjs-wasm mlp')!.args.join(' ')).toContain('--epochs 5 --batches 0');
    expect(jobs.find((j) => j.name === 'tfjs-wasm softmax')!.args.join(' ')).toContain(
      '--epochs 10 --batches 0',
    );
    expect(jobs.find((j) => j.name === 'tfjs-cpu softmax')!.args.join(' ')).toContain(
      '--epochs 1 --batches 0',
    );
    const full = planJobs(parseBenchOptions(['--full', '--no-micro']), false, '[]');
    expect(full.find((j) => j.name === 'minimx mlp')!.args.join(' ')).toContain('--epochs 5 --batches 0');
    expect(full.some((j) => j.name.startsWith('pytorch'))).toBe(false);
  });

  it('draws the same numbers for the same seed', () => {
    expect(Array.from(new Rng(3).permutation(5))).toEqual(Array.from(new Rng(3).permutation(5)));
    expect(new Rng(1).uniform()).not.toBe(new Rng(2).uniform());
  });
});

describe('bench report', () => {
  const epoch = (e: number, seconds: number) => ({
    epoch: e,
    seconds,
    assemblySeconds: 0.05,
    wallSeconds: seconds + 0.05,
    evalSeconds: 0.1,
    loss: 0.5,
    trainAcc: 0.83,
    testAcc: 0.82,
    batches: 235,
    totalBatches: 235,
  });
  it('judges LeNet per step against PyTorch, its memory, and says which backend cannot train it', () => {
    const lenet = (framework: 'minimx' | 'pytorch', seconds: number, rss: number[]): TrainRecord => ({
      kind: 'train',
      framework,
      backend: framework === 'minimx' ? 'wasm' : 'torch',
      model: 'lenet',
      epochs: rss.map((r, i) => ({ ...epoch(i + 1, seconds), peakRssMB: r })),
      peakRssMB: Math.max(...rss),
      dataRssMB: 300,
      trainingPeakRssMB: Math.max(...rss),
    });
    const missing: UnsupportedRecord = {
      kind: 'unsupported',
      framework: 'tfjs',
      backend: 'wasm',
      model: 'lenet',
      message: "Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'",
    };
    const report = renderReport(
      [
        lenet('minimx', 2.35, [400, 410, 411, 410, 412]),
        lenet('pytorch', 4.7, [480, 500, 560, 600, 640]),
        missing,
      ],
      [],
      '# t',
    );
    expect(report).toContain(
      'lenet: minimx / PyTorch time per step = 10.0 / 20.0 ms = **0.500** (goal <= 1): **PASS**',
    );
    expect(report).toContain('minimx 412 MB vs PyTorch 640 MB (goal: below PyTorch): **PASS**');
    expect(report).toContain(
      'minimx (wasm) training RSS 400, 410, 411, 410, 412 MB by epoch (epoch 2 to 5: +2 MB): flat',
    );
    expect(report).toContain('(epoch 2 to 5: +140 MB): **growing**');
    expect(report).toContain(
      "lenet: TF.js (wasm) cannot train it: `Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'`",
    );
    // With a threaded run beside it, only the single-threaded one is judged against PyTorch's one thread.
    const threaded = { ...lenet('minimx', 1.175, [400, 400]), backend: 'wasm, auto threads (+1 started)' };
    const single = { ...lenet('minimx', 2.35, [400, 400]), backend: 'wasm, 1 thread' };
    const both = renderReport([threaded, single, lenet('pytorch', 4.7, [480, 480])], [], '# t');
    expect(both).toContain(
      'minimx (wasm, 1 thread) / PyTorch time per step = 10.0 / 20.0 ms = **0.500** (goal <= 1): **PASS**',
    );
    expect(both).toContain('= **0.250** (not the goal: PyTorch has one thread)');
  });

  const run = (
    framework: 'minimx' | 'tfjs',
    backend: string,
    seconds: number[],
    rss: number,
  ): TrainRecord => ({
    kind: 'train',
    framework,
    backend,
    model: 'softmax',
    epochs: seconds.map((s, i) => epoch(i + 1, s)),
    peakRssMB: rss + 10,
    dataRssMB: 300,
    trainingPeakRssMB: rss,
  });

  it('times an epoch as the median after the first, and prints ratios with verdicts', () => {
    const mine = run('minimx', 'wasm', [9, 0.1, 0.3, 0.2], 350);
    expect(epochSeconds(mine)).toBeCloseTo(0.2);
    const report = renderReport(
      [mine, run('tfjs', 'wasm', [1, 1, 1], 400), run('tfjs', 'cpu', [4], 450)],
      [],
      '# t',
    );
    expect(report).toContain('minimx / TF.js-wasm epoch time = **0.200** (goal <= 0.25): **PASS**');
    expect(report).toContain('minimx / TF.js-cpu epoch time = 0.050');
    expect(report).toContain('minimx 350 MB vs TF.js wasm 400, cpu 450 MB (goal: below TF.js): **PASS**');
    expect(report).toContain('| minimx (wasm) | 0.200 | median of epochs 2-4 | 4 | 0.050 | 0.250 |');
    // Batch assembly counted on both sides: (0.2 + 0.05) / (1 + 0.05).
    expect(report).toContain(
      'TF.js-wasm wall-clock epoch, batch assembly included = 0.238 (PASS against the same goal)',
    );
  });
});

describe.skipIf(!fashionMnistAvailable())('bench training workers on Fashion-MNIST', () => {
  it('minimx and TF.js (wasm) see the same batches from the same weights and report the same loss', () => {
    const args = ['--model', 'mlp', '--epochs', '1', '--batches', '3'];
    const mine = runWorker('workers/minimx-train.ts', args);
    const theirs = runWorker('workers/tfjs-train.ts', ['--backend', 'wasm', ...args]);
    for (const r of [mine, theirs]) {
      expect(r.kind).toBe('train');
      expect(r.epochs).toHaveLength(1);
      expect(r.epochs[0].batches).toBe(3);
      expect(r.epochs[0].testAcc).toBeNull();
      expect(r.peakRssMB).toBeGreaterThan(0);
    }
    expect(mine.framework).toBe('minimx');
    expect(mine.epochs[0].loss).toBeCloseTo(theirs.epochs[0].loss, 4);
    expect(mine.epochs[0].trainAcc).toBe(theirs.epochs[0].trainAcc);
  });
});

describe.skipIf(!fashionMnistAvailable())('bench Gluon workers on Fashion-MNIST', () => {
  it("minimx through Gluon (Dense, SoftmaxCrossEntropyLoss, Trainer) and PyTorch through torch.nn report the scratch code's loss", () => {
    const args = ['--model', 'mlp', '--epochs', '1', '--batches', '3'];
    const mine = runWorker('workers/minimx-train.ts', [...args, '--api', 'gluon', '--threads', '0']);
    const scratch = runWorker('workers/minimx-train.ts', args);
    expect(mine.api).toBe('gluon');
    expect(mine.epochs[0].loss).toBeCloseTo(scratch.epochs[0].loss, 4);
    expect(mine.epochs[0].trainAcc).toBe(scratch.epochs[0].trainAcc);
    if (!torchAvailable) return;
    const theirs = runWorker('torch_bench.py', [...args, '--api', 'nn']);
    expect(theirs.api).toBe('nn');
    expect(mine.epochs[0].loss).toBeCloseTo(theirs.epochs[0].loss, 4);
    expect(mine.epochs[0].trainAcc).toBe(theirs.epochs[0].trainAcc);
  });
});

describe.skipIf(!fashionMnistAvailable())('bench LeNet workers on Fashion-MNIST', () => {
  it('minimx trains 2 batches through the Gluon layers; PyTorch, given the same weights and batches, reports the same loss', () => {
    const args = ['--model', 'lenet', '--epochs', '1', '--batches', '2'];
    const mine = runWorker('workers/minimx-train.ts', args);
    expect(mine.model).toBe('lenet');
    expect(mine.epochs[0].batches).toBe(2);
    expect(Number.isFinite(mine.epochs[0].loss)).toBe(true);
    expect(mine.epochs[0].peakRssMB).toBeGreaterThan(0);
    if (!torchAvailable) return;
    const theirs = runWorker('torch_bench.py', args);
    expect(theirs.framework).toBe('pytorch');
    expect(mine.epochs[0].loss).toBeCloseTo(theirs.epochs[0].loss, 3);
    expect(mine.epochs[0].trainAcc).toBe(theirs.epochs[0].trainAcc);
  });

  it('TF.js wasm reports that it cannot train LeNet instead of failing', () => {
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'workers/tfjs-train.ts', '--backend', 'wasm', '--model', 'lenet', '--batches', '1'],
      {
        cwd: benchDir,
        env: { ...process.env, TSX_TSCONFIG_PATH: path.join(benchDir, '..', 'tsconfig.json') },
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    expect(result.status).toBe(0);
    const records = result.stdout
      .split('\n')
      .map(parseRecord)
      .filter((r) => r !== null);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ kind: 'unsupported', model: 'lenet' });
    expect((records[0] as UnsupportedRecord).message).toMatch(/Conv2DBackpropFilter/);
  });
});
