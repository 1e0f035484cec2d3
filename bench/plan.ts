/**
 * What `npm run bench` runs: the command-line options and the list of child jobs they imply (one
 * process per framework, backend and workload, then the micro-benchmarks). By default every MLP and
 * LeNet run trains 5 epochs, the issues' protocol, and every softmax-regression run 10 (its epochs
 * take under a second, so the median of four would move with every hiccup of a shared VM); TF.js's
 * cpu backend trains one softmax epoch and capped MLP and LeNet epochs (LeNet: 3 batches, about 11 s
 * each), and TF.js wasm is asked for 2 LeNet batches, which it cannot train (its report says why).
 * `--quick` is a fast check, `--full` also trains TF.js cpu's softmax fully and adds minimx on one thread.
 */
import { Args, argvFromNpmConfig } from './args.js';
import type { ModelName } from './protocol.js';

/** Options of `npm run bench -- [options]`. */
export interface BenchOptions {
  /** Run the training table (default true; `--micro-only` turns it off). */
  training: boolean;
  /** Run the micro-benchmarks (default true; `--no-micro` turns them off). */
  micro: boolean;
  quick: boolean;
  full: boolean;
  /** `--epochs N`: epochs of every uncapped run (overrides the presets). */
  epochs: number | null;
  /** `--batches N`: cap every epoch of every run to N batches (0: no cap). */
  batches: number;
  /** Batches per epoch of the TF.js cpu runs that are capped (`--cpu-batches`, default 20). */
  cpuBatches: number;
  /** Batches of TF.js cpu's LeNet epoch (`--lenet-cpu-batches`, default 3). */
  lenetCpuBatches: number;
  /** Workloads to train (`--models softmax,mlp,lenet`, default all). */
  models: ModelName[];
  /** `--threads N`: extra worker threads of minimx's wasm matmul (default: its own choice). */
  threads: number | null;
  /** Also train minimx single-threaded (`--compare-threads`; on with `--full`). */
  compareThreads: boolean;
  /** Include PyTorch when `import torch` works (`--no-torch` turns it off). */
  torch: boolean;
  /** Milliseconds of timing per matmul shape (`--ms-per-shape`, default 300). */
  msPerShape: number;
  /** A job running longer than this is killed and reported as failed (`--timeout`, seconds). */
  timeoutSeconds: number;
  seed: number;
}

/** The usage text printed by `--help`. */
export const USAGE = `npm run bench -- [options]
  --quick             1 epoch each, capped TF.js runs, short micro-benchmarks (a fast check)
  (default)           MLP 5 epochs, softmax 10; the median of epochs 2-N timed; TF.js cpu: 1 softmax epoch, MLP capped
  --full              also TF.js cpu softmax fully, and minimx on 1 thread
  --epochs N          epochs of every uncapped run
  --batches N         cap every epoch of every run to N batches (time extrapolated)
  --cpu-batches N     batches of the capped TF.js cpu runs (default 20)
  --lenet-cpu-batches N  batches of TF.js cpu's LeNet epoch (default 3; about 11 s each)
  --models LIST       workloads to train, comma-separated (default softmax,mlp,lenet)
  --micro-only        skip the training table
  --no-micro          skip the micro-benchmarks
  --threads N         extra worker threads of minimx's wasm matmul (default: its own choice)
  --compare-threads   also train minimx with --threads 0 (one thread, like TF.js wasm); on with --full
  --no-torch          skip PyTorch even when it is installed
  --ms-per-shape N    timing budget per matmul shape (default 300)
  --timeout S         kill a job after S seconds (default 900)
  --seed N            seed of the initial weights and batch order (default 42)`;

/** Every option name, and those that take a value (for `argvFromNpmConfig`). */
const FLAGS = ['quick', 'full', 'micro-only', 'micro', 'torch', 'compare-threads', 'help'];
const VALUED = [
  'epochs',
  'batches',
  'cpu-batches',
  'lenet-cpu-batches',
  'models',
  'ms-per-shape',
  'timeout',
  'seed',
  'threads',
];

const MODELS: readonly ModelName[] = ['softmax', 'mlp', 'lenet'];

/**
 * The parent's arguments: `argv` itself when it holds options, else what an outer `npm run`
 * turned into `npm_config_*` variables (see `argvFromNpmConfig`).
 */
export function benchArgv(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): string[] {
  if (argv.some((a) => a.startsWith('--'))) return [...argv];
  return argvFromNpmConfig(argv, [...FLAGS, ...VALUED], VALUED, env);
}

/**
 * Parses the parent's options.
 * @example parseBenchOptions(['--quick']).quick // true
 */
export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const args = new Args(argv);
  const quick = args.flag('quick');
  return {
    training: !args.flag('micro-only'),
    micro: !args.flag('no-micro'),
    quick,
    full: args.flag('full'),
    epochs: args.has('epochs') ? args.int('epochs', 1) : null,
    batches: args.int('batches', 0),
    cpuBatches: args.int('cpu-batches', 20),
    lenetCpuBatches: args.int('lenet-cpu-batches', 3),
    models: parseModels(args.has('models') ? args.string('models', '') : MODELS.join(',')),
    threads: args.has('threads') ? args.int('threads', 0) : null,
    compareThreads: args.flag('compare-threads') || args.flag('full'),
    torch: !args.flag('no-torch'),
    msPerShape: args.int('ms-per-shape', quick ? 100 : 300),
    timeoutSeconds: args.int('timeout', 900),
    seed: args.int('seed', 42),
  };
}

function parseModels(list: string): ModelName[] {
  const names = list.split(',').filter((m) => m !== '');
  for (const m of names)
    if (!MODELS.includes(m as ModelName))
      throw new Error(`bench: --models: unknown workload '${m}' (known: ${MODELS.join(', ')})`);
  return names as ModelName[];
}

/** A child process to run: a TypeScript worker (under tsx) or the Python script. */
export interface Job {
  /** Shown in progress lines and failure reports. */
  name: string;
  runtime: 'tsx' | 'python';
  /** Path relative to bench/. */
  script: string;
  args: string[];
}

/** Epochs and batch cap of one training run. */
interface RunSize {
  epochs: number;
  batches: number;
}

type Runner = 'minimx' | 'tfjs-wasm' | 'tfjs-cpu' | 'pytorch';

/** How long each run trains, by preset: the TF.js cpu MLP is always capped (minutes per epoch). */
function runSize(options: BenchOptions, runner: Runner, model: ModelName): RunSize {
  const capped = (epochs: number): RunSize => ({ epochs, batches: options.cpuBatches });
  let size: RunSize;
  if (model === 'lenet' && runner === 'tfjs-wasm') size = { epochs: 1, batches: 2 };
  else if (model === 'lenet' && runner === 'tfjs-cpu') size = { epochs: 1, batches: options.lenetCpuBatches };
  else if (runner === 'tfjs-cpu' && model === 'mlp') size = capped(1);
  else if (options.quick)
    size = runner === 'tfjs-cpu' || runner === 'tfjs-wasm' ? capped(1) : { epochs: 1, batches: 0 };
  else if (options.epochs !== null) size = { epochs: options.epochs, batches: 0 };
  else if (options.full) size = { epochs: model === 'softmax' ? 10 : 5, batches: 0 };
  else if (runner === 'tfjs-cpu') size = { epochs: 1, batches: 0 };
  else size = { epochs: model === 'softmax' ? 10 : 5, batches: 0 };
  if (options.batches > 0)
    size = { epochs: size.epochs, batches: Math.min(options.batches, size.batches || options.batches) };
  return size;
}

/**
 * The jobs of a run, in order: each workload on minimx, TF.js wasm, TF.js cpu (and PyTorch),
 * then the micro-benchmarks.
 * @example planJobs(parseBenchOptions([]), false).map((j) => j.name)
 */
export function planJobs(options: BenchOptions, torchAvailable: boolean, shapesJson: string): Job[] {
  const jobs: Job[] = [];
  const withTorch = options.torch && torchAvailable;
  if (options.training) {
    for (const model of options.models) {
      const sized = (runner: Runner) => {
        const { epochs, batches } = runSize(options, runner, model);
        return [
          '--model',
          model,
          '--epochs',
          String(epochs),
          '--batches',
          String(batches),
          '--seed',
          String(options.seed),
        ];
      };
      // LeNet's goal is one core against PyTorch's one: its main run is single-threaded, and
      // --compare-threads adds the default thread choice.
      const lenet = model === 'lenet' && options.threads === null;
      const threads = lenet
        ? ['--threads', '0']
        : options.threads === null
          ? []
          : ['--threads', String(options.threads)];
      jobs.push({
        name: `minimx ${model}`,
        runtime: 'tsx',
        script: 'workers/minimx-train.ts',
        args: [...sized('minimx'), ...threads],
      });
      if (options.compareThreads) {
        jobs.push({
          name: lenet ? `minimx ${model} (auto threads)` : `minimx ${model} (1 thread)`,
          runtime: 'tsx',
          script: 'workers/minimx-train.ts',
          args: lenet ? sized('minimx') : [...sized('minimx'), '--threads', '0'],
        });
      }
      for (const backend of ['wasm', 'cpu'] as const) {
        jobs.push({
          name: `tfjs-${backend} ${model}`,
          runtime: 'tsx',
          script: 'workers/tfjs-train.ts',
          args: ['--backend', backend, ...sized(`tfjs-${backend}`)],
        });
      }
      if (withTorch)
        jobs.push({
          name: `pytorch ${model}`,
          runtime: 'python',
          script: 'torch_bench.py',
          args: sized('pytorch'),
        });
      // Issue 16: each framework's layers and fused loss, one thread each.
      if (withTorch && model !== 'lenet') {
        jobs.push({
          name: `minimx ${model} (Gluon, 1 thread)`,
          runtime: 'tsx',
          script: 'workers/minimx-train.ts',
          args: [...sized('minimx'), '--threads', '0', '--api', 'gluon'],
        });
        jobs.push({
          name: `pytorch ${model} (torch.nn)`,
          runtime: 'python',
          script: 'torch_bench.py',
          args: [...sized('pytorch'), '--api', 'nn'],
        });
      }
    }
  }
  if (options.micro) {
    const ms = ['--ms-per-shape', String(options.msPerShape)];
    const threads = options.threads === null ? [] : ['--threads', String(options.threads)];
    jobs.push({
      name: 'minimx micro',
      runtime: 'tsx',
      script: 'workers/minimx-micro.ts',
      args: [...ms, ...threads],
    });
    jobs.push({
      name: 'tfjs-wasm micro',
      runtime: 'tsx',
      script: 'workers/tfjs-micro.ts',
      args: ['--backend', 'wasm', ...ms],
    });
    jobs.push({
      name: 'tfjs-cpu micro',
      runtime: 'tsx',
      script: 'workers/tfjs-micro.ts',
      args: ['--backend', 'cpu', ...ms],
    });
    if (withTorch) {
      jobs.push({
        name: 'pytorch micro',
        runtime: 'python',
        script: 'torch_bench.py',
        args: ['--micro', '--shapes', shapesJson, ...ms],
      });
    }
    jobs.push({ name: 'minimx conv', runtime: 'tsx', script: 'workers/minimx-conv.ts', args: ms });
    if (withTorch)
      jobs.push({
        name: 'pytorch conv',
        runtime: 'python',
        script: 'torch_bench.py',
        args: ['--conv', ...ms],
      });
    jobs.push({ name: 'minimx DataLoader', runtime: 'tsx', script: 'workers/loader-micro.ts', args: [] });
  }
  return jobs;
}
