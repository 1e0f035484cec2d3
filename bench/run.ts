/**
 * `npm run bench`: trains d2l's softmax regression and MLP on Fashion-MNIST with minimx and, in
 * the same run, with TensorFlow.js's cpu and wasm backends (and PyTorch when installed), each in
 * its own child process so that peak memory is per process and no global state leaks; then runs
 * the micro-benchmarks. Collects the workers' `@@bench` JSON lines, prints markdown tables and the
 * ratios against the issue's goals, and writes bench/results/latest.{json,md}.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { fashionMnistAvailable, fashionMnistDir } from './data.js';
import { MATMUL_SHAPES } from './micro.js';
import { type BenchOptions, benchArgv, type Job, parseBenchOptions, planJobs, USAGE } from './plan.js';
import { type BenchRecord, parseRecord } from './protocol.js';
import { type Failure, renderReport } from './report.js';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const rootTsconfig = path.join(benchDir, '..', 'tsconfig.json');
const python = process.env.PYTHON ?? '/usr/bin/python3';

/** Whether PyTorch can be imported by the system Python. */
function torchAvailable(): boolean {
  return spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore', timeout: 60_000 }).status === 0;
}

/** The most telling line of a failed job's stderr, shortened. */
function failureMessage(stderrTail: string[], code: number | null, signal: string | null): string {
  const errorLine = stderrTail.find((l) => /\b\w*Error\b|error:/.test(l));
  const line = (errorLine ?? stderrTail[stderrTail.length - 1] ?? '').trim();
  const status = signal ? `killed by ${signal}` : `exit code ${code}`;
  return `${status}${line ? `: ${line.length > 300 ? `${line.slice(0, 300)}...` : line}` : ''}`;
}

/** Runs one job, echoing its epoch lines, and resolves with its records or the reason it failed. */
function runJob(job: Job, options: BenchOptions): Promise<{ records: BenchRecord[]; failure?: Failure }> {
  const [command, args] =
    job.runtime === 'tsx'
      ? [process.execPath, ['--import', 'tsx', job.script, ...job.args]]
      : [python, [job.script, ...job.args]];
  const child = spawn(command, args, {
    cwd: benchDir,
    env: { ...process.env, TSX_TSCONFIG_PATH: rootTsconfig, NODE_NO_WARNINGS: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: options.timeoutSeconds * 1000,
  });
  const records: BenchRecord[] = [];
  const stderrTail: string[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    const record = parseRecord(line);
    if (record) records.push(record);
  });
  createInterface({ input: child.stderr }).on('line', (line) => {
    if (line.startsWith('[')) process.stderr.write(`  ${line}\n`);
    stderrTail.push(line);
    if (stderrTail.length > 40) stderrTail.shift();
  });
  return new Promise((resolve) => {
    child.on('error', (err) => resolve({ records, failure: { job: job.name, message: err.message } }));
    child.on('close', (code, signal) => {
      if (code === 0 && records.length > 0) resolve({ records });
      else
        resolve({ records, failure: { job: job.name, message: failureMessage(stderrTail, code, signal) } });
    });
  });
}

function header(options: BenchOptions, argv: string[]): string {
  const cpus = os.cpus();
  const command = `npm run bench${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}`;
  return [
    '# minimx benchmark',
    '',
    `- command: \`${command}\``,
    `- date: ${new Date().toISOString()}`,
    `- machine: ${cpus[0]?.model ?? 'unknown CPU'} x ${cpus.length}, ${os.platform()} ${os.release()}, Node ${process.version}`,
    `- load average at the start (1/5/15 min): ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' / ')} on ${cpus.length} cores (other processes slow every framework alike, but add noise)`,
    `- data: Fashion-MNIST from ${fashionMnistDir()}, in memory as float32; batch order and initial weights seeded (${options.seed}) and shared by all frameworks`,
  ].join('\n');
}

async function main(): Promise<void> {
  const argv = benchArgv(process.argv.slice(2));
  if (argv.includes('--help')) {
    console.log(USAGE);
    return;
  }
  const options = parseBenchOptions(argv);
  if (!fashionMnistAvailable() && (options.training || options.micro)) {
    console.error(
      `bench: Fashion-MNIST not found in ${fashionMnistDir()}; install the Debian package dataset-fashion-mnist or set FASHION_MNIST_DIR`,
    );
    process.exitCode = 1;
    return;
  }
  const shapesJson = JSON.stringify(MATMUL_SHAPES.map(({ small: _small, ...s }) => s));
  const jobs = planJobs(options, options.torch && torchAvailable(), shapesJson);
  const records: BenchRecord[] = [];
  const failures: Failure[] = [];
  const started = performance.now();
  for (const [i, job] of jobs.entries()) {
    process.stderr.write(
      `[${i + 1}/${jobs.length}] ${job.name} ${job.args.filter((a) => !a.startsWith('[')).join(' ')}\n`,
    );
    const result = await runJob(job, options);
    records.push(...result.records);
    if (result.failure) {
      failures.push(result.failure);
      process.stderr.write(`  FAILED: ${result.failure.message}\n`);
    }
  }
  const report = renderReport(records, failures, header(options, argv));
  console.log(`\n${report}`);
  console.log(`(total ${((performance.now() - started) / 1000).toFixed(0)} s)`);
  const resultsDir = path.join(benchDir, 'results');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(
    path.join(resultsDir, 'latest.json'),
    `${JSON.stringify({ argv, options, records, failures }, null, 2)}\n`,
  );
  writeFileSync(path.join(resultsDir, 'latest.md'), report);
  if (failures.length > 0) process.exitCode = 1;
}

await main();
