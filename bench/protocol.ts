/**
 * What a child worker reports to the parent: one JSON object per line on stdout, prefixed with
 * `@@bench ` so that anything else a worker or a library prints is passed through untouched.
 * The record types here are the whole contract between `run.ts` and `workers/*`.
 */

/** The line prefix that marks a result record. */
export const RECORD_PREFIX = '@@bench ';

/** The d2l workloads: scratch softmax regression (3.6) and MLP (3.9), and LeNet (5.5) through Gluon layers. */
export type ModelName = 'softmax' | 'mlp' | 'lenet';

/** Which framework and backend produced a record, e.g. `minimx` / `wasm`, `tfjs` / `cpu`. */
export interface Producer {
  framework: 'minimx' | 'tfjs' | 'pytorch';
  backend: string;
  /**
   * How softmax regression and the MLP were written, when not as d2l's scratch code: `gluon`
   * (minimx's `nn.Dense`, `SoftmaxCrossEntropyLoss`, `Trainer`) or `nn` (PyTorch's `F.linear`, `F.cross_entropy`).
   */
  api?: 'gluon' | 'nn';
}

/** One epoch of training: time spent in training batches only, and d2l's three numbers. */
export interface EpochRecord {
  epoch: number;
  /**
   * Seconds spent in the framework's training steps of this epoch (extrapolated to the whole epoch
   * when capped); assembling the batches is not included.
   */
  seconds: number;
  /** Seconds the harness spent assembling shuffled batches from the in-memory data (same code for all). */
  assemblySeconds: number;
  /** Wall-clock seconds of the whole epoch loop: steps, batch assembly and bookkeeping. */
  wallSeconds: number;
  /** Seconds spent evaluating the test set after the epoch (not included in `seconds`). */
  evalSeconds: number;
  /** Summed per-sample loss divided by the number of samples trained on. */
  loss: number;
  trainAcc: number;
  /** Test accuracy after the epoch; null when the epoch was capped and evaluation skipped. */
  testAcc: number | null;
  /** Batches actually run; fewer than `totalBatches` means `seconds` is extrapolated. */
  batches: number;
  totalBatches: number;
  /** The highest RSS sampled after any training batch of this epoch, MB (to see whether memory stays flat). */
  peakRssMB?: number;
  /**
   * CPU seconds (user + system, every thread of the process) spent in the training steps, scaled
   * like `seconds`: on a machine shared with other jobs it moves less than the wall clock.
   */
  cpuSeconds?: number;
}

/** A finished training run of one workload in one framework/backend. */
export interface TrainRecord extends Producer {
  kind: 'train';
  model: ModelName;
  epochs: EpochRecord[];
  /** Peak resident set size of the worker process, MB (`process.resourceUsage().maxRSS`). */
  peakRssMB: number;
  /** Peak RSS right after loading the data set, MB: the part every framework shares. */
  dataRssMB: number;
  /** The highest RSS sampled after any training batch, MB: the memory of training itself. */
  trainingPeakRssMB: number;
}

/** Throughput of one matrix product shape. */
export interface MatmulRecord extends Producer {
  kind: 'matmul';
  /** A short name of the shape, e.g. `mlp fwd X·W1`. */
  label: string;
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
  gflops: number;
}

/** Cost of one tiny op, dispatch included. */
export interface OverheadRecord extends Producer {
  kind: 'overhead';
  op: string;
  microseconds: number;
}

/** One DataLoader epoch over the Fashion-MNIST training set. */
export interface LoaderRecord extends Producer {
  kind: 'loader';
  batchSize: number;
  seconds: number;
  batches: number;
}

/** Throughput of one pass of one convolution layer (see bench/conv.ts). */
export interface ConvRecord extends Producer {
  kind: 'conv';
  label: string;
  pass: 'forward' | 'backward data' | 'backward filter';
  gflops: number;
}

/** A workload a framework cannot run, and the error it gave (e.g. a kernel missing from a backend). */
export interface UnsupportedRecord extends Producer {
  kind: 'unsupported';
  model: ModelName;
  message: string;
}

/** Anything a worker may report. */
export type BenchRecord =
  | TrainRecord
  | MatmulRecord
  | OverheadRecord
  | LoaderRecord
  | ConvRecord
  | UnsupportedRecord;

/** Writes one record for the parent to collect. */
export function emit(record: BenchRecord): void {
  process.stdout.write(`${RECORD_PREFIX}${JSON.stringify(record)}\n`);
}

/** Parses a worker's stdout line; null for ordinary output. */
export function parseRecord(line: string): BenchRecord | null {
  if (!line.startsWith(RECORD_PREFIX)) return null;
  return JSON.parse(line.slice(RECORD_PREFIX.length)) as BenchRecord;
}

/** The worker's peak resident set size so far, in MB. */
export function peakRssMB(): number {
  return process.resourceUsage().maxRSS / 1024;
}
