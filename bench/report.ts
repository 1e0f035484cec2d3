/**
 * Turns the records the workers reported into the markdown that `npm run bench` prints: one table
 * per workload (s/epoch, final loss and accuracies, memory), the ratios against TF.js with the
 * issue's goals and PASS/MISS, then the matrix-product, per-op and DataLoader micro-benchmarks.
 */
import type {
  BenchRecord,
  ConvRecord,
  LoaderRecord,
  MatmulRecord,
  ModelName,
  OverheadRecord,
  Producer,
  TrainRecord,
  UnsupportedRecord,
} from './protocol.js';
import { WORKLOADS } from './training.js';

/** The goals of issue 6: minimx's epoch time over TF.js-wasm's, per workload. */
export const GOALS: Partial<Record<ModelName, number>> = { softmax: 0.25, mlp: 0.1 };

/** The goal of issue 12: minimx's LeNet step at most PyTorch's (one thread, OpenBLAS). */
export const LENET_TORCH_GOAL = 1;

/**
 * The goals of issue 16: minimx's epoch time over PyTorch's, both on one thread, softmax regression
 * and the MLP written with each framework's layers and fused loss (minimx Gluon, torch.nn).
 */
export const TORCH_GOALS: Partial<Record<ModelName, number>> = { softmax: 1.0, mlp: 1.2 };

/** A job that did not report, and why. */
export interface Failure {
  job: string;
  message: string;
}

const FRAMEWORK_NAMES: Record<Producer['framework'], string> = {
  minimx: 'minimx',
  tfjs: 'TF.js',
  pytorch: 'PyTorch',
};

/** `minimx (wasm)`, `TF.js (cpu)`, `PyTorch (torch 1.13 + OpenBLAS, 1 thread)`. */
export function producerName(p: Producer): string {
  const api = p.api === 'gluon' ? ' Gluon' : p.api === 'nn' ? ' torch.nn' : '';
  return `${FRAMEWORK_NAMES[p.framework]}${api} (${p.backend})`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Seconds per epoch in the framework's training steps: the median over the epochs after the first
 * (JIT and caches warm), if any. `field: 'wallSeconds'` gives the same for the whole loop, batch
 * assembly included.
 */
export function epochSeconds(
  r: TrainRecord,
  field: 'seconds' | 'wallSeconds' | 'cpuSeconds' = 'seconds',
): number {
  const timed = r.epochs.length > 1 ? r.epochs.slice(1) : r.epochs;
  return median(timed.map((e) => e[field] ?? Number.NaN));
}

/** How `epochSeconds` was obtained, for the table. */
export function timingNote(r: TrainRecord): string {
  const last = r.epochs[r.epochs.length - 1];
  if (last.batches < last.totalBatches) return `extrapolated from ${last.batches} batches`;
  if (r.epochs.length === 1) return 'epoch 1 (includes warm-up)';
  return r.epochs.length === 2 ? 'epoch 2' : `median of epochs 2-${r.epochs.length}`;
}

const fixed = (x: number | null | undefined, digits: number) =>
  x === null || x === undefined || Number.isNaN(x) ? 'n/a' : x.toFixed(digits);

/** The markdown table of one workload's training runs. */
export function trainingTable(model: ModelName, runs: TrainRecord[]): string {
  const lines = [
    `### ${WORKLOADS[model].title}, batch 256`,
    '',
    '| framework (backend) | s/epoch (steps) | timing | epochs | + batch assembly s | wall s/epoch | eval s | loss | train acc | test acc | peak RSS MB (process) | peak RSS MB (training) | CPU s/epoch (steps, all threads) |',
    '|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of runs) {
    const last = r.epochs[r.epochs.length - 1];
    lines.push(
      `| ${producerName(r)} | ${fixed(epochSeconds(r), 3)} | ${timingNote(r)} | ${r.epochs.length} | ${fixed(last.assemblySeconds, 3)} | ${fixed(epochSeconds(r, 'wallSeconds'), 3)} | ${fixed(last.evalSeconds || null, 3)} | ${fixed(last.loss, 4)} | ${fixed(last.trainAcc, 3)} | ${fixed(last.testAcc, 3)} | ${fixed(r.peakRssMB, 0)} | ${fixed(r.trainingPeakRssMB, 0)} | ${fixed(epochSeconds(r, 'cpuSeconds'), 3)} |`,
    );
  }
  return lines.join('\n');
}

const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');

/** The ratio lines of one workload: each minimx run over TF.js wasm (with the goal), TF.js cpu, PyTorch. */
export function ratioLines(model: ModelName, runs: TrainRecord[]): string[] {
  const find = (framework: string, backend?: string) =>
    runs.find((r) => r.framework === framework && (backend === undefined || r.backend === backend));
  const mine = runs.filter((r) => r.framework === 'minimx' && r.api === undefined);
  if (mine.length === 0) return [`- ${model}: no minimx result, no ratios`];
  const wasm = find('tfjs', 'wasm');
  const cpu = find('tfjs', 'cpu');
  const torch = runs.find((r) => r.framework === 'pytorch' && r.api === undefined);
  const lines: string[] = [];
  if (model === 'lenet') return lenetLines(mine, torch, cpu);
  lines.push(...torchLines(model, runs));
  for (const run of mine) {
    const t = epochSeconds(run);
    const who = mine.length > 1 ? `minimx (${run.backend})` : 'minimx';
    const goal = GOALS[model] ?? Number.NaN;
    if (wasm) {
      const ratio = t / epochSeconds(wasm);
      const wall = epochSeconds(run, 'wallSeconds') / epochSeconds(wasm, 'wallSeconds');
      lines.push(
        `- ${model}: ${who} / TF.js-wasm epoch time = **${ratio.toFixed(3)}** (goal <= ${goal}): **${verdict(ratio <= goal)}**`,
        `- ${model}: ${who} / TF.js-wasm wall-clock epoch, batch assembly included = ${fixed(wall, 3)} (${verdict(wall <= goal)} against the same goal)`,
      );
    }
    if (cpu) lines.push(`- ${model}: ${who} / TF.js-cpu epoch time = ${(t / epochSeconds(cpu)).toFixed(3)}`);
    if (torch)
      lines.push(
        `- ${model}: ${who} / PyTorch (1 thread) epoch time, d2l's scratch code = ${(t / epochSeconds(torch)).toFixed(3)}`,
      );
    const others = [wasm, cpu].filter((r): r is TrainRecord => r !== undefined);
    if (model === 'softmax' && others.length > 0) {
      const below = others.every((r) => run.trainingPeakRssMB < r.trainingPeakRssMB);
      const theirs = others.map((r) => `${r.backend} ${r.trainingPeakRssMB.toFixed(0)}`).join(', ');
      lines.push(
        `- softmax: peak RSS while training, ${who} ${run.trainingPeakRssMB.toFixed(0)} MB vs TF.js ${theirs} MB (goal: below TF.js): **${verdict(below)}**`,
      );
    }
  }
  return lines;
}

/**
 * Issue 16's lines: minimx's Gluon run on one thread (`--threads 0`) against PyTorch's torch.nn run
 * (OpenBLAS pinned to one thread), by the wall clock (the goal) and by CPU time, with both losses
 * and training peaks (the goal: no higher than PyTorch's).
 */
function torchLines(model: ModelName, runs: TrainRecord[]): string[] {
  const mine = runs.find((r) => r.framework === 'minimx' && r.api === 'gluon');
  const torch = runs.find((r) => r.framework === 'pytorch' && r.api === 'nn');
  const goal = TORCH_GOALS[model];
  if (!mine || !torch || goal === undefined) return [];
  const ratio = epochSeconds(mine) / epochSeconds(torch);
  const cpuRatio = epochSeconds(mine, 'cpuSeconds') / epochSeconds(torch, 'cpuSeconds');
  const loss = (r: TrainRecord) => fixed(r.epochs[r.epochs.length - 1].loss, 4);
  return [
    `- ${model}: minimx Gluon (${mine.backend}) / PyTorch torch.nn (1 thread) epoch time, one thread each = ${fixed(epochSeconds(mine), 3)} / ${fixed(epochSeconds(torch), 3)} s = **${fixed(ratio, 3)}** (goal <= ${goal}): **${verdict(ratio <= goal)}**`,
    `- ${model}: the same by CPU time (all threads) = ${fixed(epochSeconds(mine, 'cpuSeconds'), 3)} / ${fixed(epochSeconds(torch, 'cpuSeconds'), 3)} s = ${fixed(cpuRatio, 3)}; losses ${loss(mine)} / ${loss(torch)}`,
    `- ${model}: peak RSS while training, minimx Gluon ${fixed(mine.trainingPeakRssMB, 0)} MB vs PyTorch torch.nn ${fixed(torch.trainingPeakRssMB, 0)} MB (goal: no higher): **${verdict(mine.trainingPeakRssMB <= torch.trainingPeakRssMB)}**`,
  ];
}

/** Milliseconds per training step: the epoch time over the epoch's batches. */
export function stepMs(r: TrainRecord): number {
  return (epochSeconds(r) / r.epochs[0].totalBatches) * 1000;
}

/** Per-epoch peak RSS while training, and whether it stays flat (the last epoch within 5% or 10 MB of epoch 2's). */
export function memoryTrend(r: TrainRecord): { text: string; flat: boolean | null } {
  const peaks = r.epochs.map((e) => e.peakRssMB).filter((v): v is number => v !== undefined);
  if (peaks.length < 3) return { text: peaks.map((v) => v.toFixed(0)).join(', '), flat: null };
  const growth = peaks[peaks.length - 1] - peaks[1];
  const flat = growth <= Math.max(10, 0.05 * peaks[1]);
  return {
    text: `${peaks.map((v) => v.toFixed(0)).join(', ')} MB by epoch (epoch 2 to ${peaks.length}: ${growth >= 0 ? '+' : ''}${growth.toFixed(0)} MB)`,
    flat,
  };
}

/** CPU milliseconds per training step (every thread of the process), NaN when not recorded. */
export function stepCpuMs(r: TrainRecord): number {
  return (epochSeconds(r, 'cpuSeconds') / r.epochs[0].totalBatches) * 1000;
}

/** LeNet's lines: time per step against PyTorch (the goal) and TF.js cpu, and memory against PyTorch. */
function lenetLines(
  mine: TrainRecord[],
  torch: TrainRecord | undefined,
  cpu: TrainRecord | undefined,
): string[] {
  const lines: string[] = [];
  // The goal is one thread against PyTorch's one: with several runs, the single-threaded one counts.
  const counted = mine.find((r) => r.backend.endsWith('1 thread')) ?? mine[0];
  for (const run of mine) {
    const who = mine.length > 1 ? `minimx (${run.backend})` : 'minimx';
    const ms = stepMs(run);
    if (torch) {
      const ratio = ms / stepMs(torch);
      const judged =
        run === counted
          ? `(goal <= ${LENET_TORCH_GOAL}): **${verdict(ratio <= LENET_TORCH_GOAL)}**`
          : '(not the goal: PyTorch has one thread)';
      lines.push(
        `- lenet: ${who} / PyTorch time per step = ${ms.toFixed(1)} / ${stepMs(torch).toFixed(1)} ms = **${ratio.toFixed(3)}** ${judged}`,
      );
      const cpuRatio = stepCpuMs(run) / stepCpuMs(torch);
      if (Number.isFinite(cpuRatio))
        lines.push(
          `- lenet: ${who} / PyTorch CPU time per step (all threads) = ${stepCpuMs(run).toFixed(1)} / ${stepCpuMs(torch).toFixed(1)} ms = ${cpuRatio.toFixed(3)}`,
        );
    } else lines.push(`- lenet: ${who} ${ms.toFixed(1)} ms per step; no PyTorch result to compare with`);
    if (cpu)
      lines.push(
        `- lenet: ${who} / TF.js-cpu time per step = ${ms.toFixed(1)} / ${stepMs(cpu).toFixed(0)} ms = ${(ms / stepMs(cpu)).toFixed(4)}`,
      );
    if (torch) {
      const below = run.trainingPeakRssMB < torch.trainingPeakRssMB;
      lines.push(
        `- lenet: peak RSS while training, ${who} ${run.trainingPeakRssMB.toFixed(0)} MB vs PyTorch ${torch.trainingPeakRssMB.toFixed(0)} MB (goal: below PyTorch): **${verdict(below)}**`,
      );
    }
    for (const r of torch ? [run, torch] : [run]) {
      const trend = memoryTrend(r);
      const verdictText = trend.flat === null ? '' : trend.flat ? ': flat' : ': **growing**';
      lines.push(`- lenet: ${producerName(r)} training RSS ${trend.text}${verdictText}`);
    }
  }
  return lines;
}

/** The convolution table: one row per layer and pass, one column per framework/backend. */
export function convTable(records: ConvRecord[]): string {
  const producers = [...new Set(records.map(producerName))];
  const rows = [...new Set(records.map((r) => `${r.label}|${r.pass}`))];
  const lines = [
    '### Convolution layers, GFLOP/s (higher is better; 2 x multiply-adds per pass)',
    '',
    `| layer | pass | ${producers.join(' | ')} |`,
    `|---|---|${producers.map(() => '---:').join('|')}|`,
  ];
  for (const key of rows) {
    const [label, pass] = key.split('|');
    const cells = producers.map((p) =>
      fixed(records.find((r) => r.label === label && r.pass === pass && producerName(r) === p)?.gflops, 1),
    );
    lines.push(`| ${label} | ${pass} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

/** The matmul table: one row per shape, one column per framework/backend. */
export function matmulTable(records: MatmulRecord[]): string {
  const producers = [...new Set(records.map(producerName))];
  const labels = [...new Set(records.map((r) => r.label))];
  const lines = [
    '### Matrix products, GFLOP/s (higher is better)',
    '',
    `| product | (m,k)·(k,n) | ${producers.join(' | ')} |`,
    `|---|---|${producers.map(() => '---:').join('|')}|`,
  ];
  for (const label of labels) {
    const row = records.filter((r) => r.label === label);
    const s = row[0];
    const dims = `(${s.m},${s.k})${s.transA ? 'ᵀ' : ''}·(${s.k},${s.n})${s.transB ? 'ᵀ' : ''}`;
    const cells = producers.map((p) => fixed(row.find((r) => producerName(r) === p)?.gflops, 2));
    lines.push(`| ${label} | ${dims} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

/** The per-op overhead and DataLoader lines. */
export function overheadAndLoader(overheads: OverheadRecord[], loaders: LoaderRecord[]): string {
  const lines = [
    '### Per-op overhead (smaller is better)',
    '',
    '| framework (backend) | op | µs/op |',
    '|---|---|---:|',
  ];
  for (const r of overheads) lines.push(`| ${producerName(r)} | ${r.op} | ${r.microseconds.toFixed(2)} |`);
  lines.push('', '### DataLoader', '');
  if (loaders.length === 0) lines.push('- no result');
  for (const r of loaders) {
    lines.push(
      `- @minimx/datasets: one epoch of FashionMNIST(train).transformFirst(ToTensor()), batch ${r.batchSize}, shuffled: ${r.seconds.toFixed(3)} s (${r.batches} batches)`,
    );
  }
  return lines.join('\n');
}

/**
 * The whole report in markdown.
 * @example console.log(renderReport(records, failures, header))
 */
export function renderReport(records: BenchRecord[], failures: Failure[], header: string): string {
  const parts = [header];
  const train = records.filter((r): r is TrainRecord => r.kind === 'train');
  if (train.length > 0) {
    parts.push(
      [
        '## Training (epochs over the 60000 training images; evaluation timed separately)',
        '',
        "`s/epoch (steps)` sums the framework's training steps (forward, backward, SGD update, reading back",
        'the loss and the hits). Assembling each shuffled batch from the in-memory arrays is the same',
        'harness code for every framework; it is timed apart (`+ batch assembly`) and included in `wall s/epoch`.',
      ].join('\n'),
    );
    const ratios: string[] = [];
    const unsupported = records.filter((r): r is UnsupportedRecord => r.kind === 'unsupported');
    for (const model of ['softmax', 'mlp', 'lenet'] as const) {
      const runs = train.filter((r) => r.model === model);
      if (runs.length === 0) continue;
      parts.push(trainingTable(model, runs));
      ratios.push(...ratioLines(model, runs));
      for (const u of unsupported.filter((r) => r.model === model))
        ratios.push(`- ${model}: ${producerName(u)} cannot train it: \`${u.message}\``);
    }
    parts.push(['### Ratios (smaller is better for minimx)', '', ...ratios].join('\n'));
  }
  const matmuls = records.filter((r): r is MatmulRecord => r.kind === 'matmul');
  if (matmuls.length > 0) parts.push('## Micro-benchmarks', matmulTable(matmuls));
  const convs = records.filter((r): r is ConvRecord => r.kind === 'conv');
  if (convs.length > 0) parts.push(convTable(convs));
  const overheads = records.filter((r): r is OverheadRecord => r.kind === 'overhead');
  const loaders = records.filter((r): r is LoaderRecord => r.kind === 'loader');
  if (overheads.length > 0 || loaders.length > 0) parts.push(overheadAndLoader(overheads, loaders));
  if (failures.length > 0) {
    parts.push(['## Failed jobs', '', ...failures.map((f) => `- ${f.job}: ${f.message}`)].join('\n'));
  }
  return `${parts.join('\n\n')}\n`;
}
