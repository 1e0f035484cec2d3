/**
 * The command line every example accepts: `--epochs N` (default: the book's), `--seed N` (seeds
 * minimx's global RNG with `nd.random.seed`, so two runs print the same lines), `--batches N` (stop
 * each pass over a data iterator after N batches: the fast CI runs use it) and `--out DIR` (where
 * pictures go, default `out/` in the current directory). `parseArgs` reads them, applies the seed
 * and the batch limit, and returns them; a bad flag is an error that names it. The chapter-5
 * examples also read `--batch-size N`, so a test can train the large networks on small batches, and
 * `--batch-times`, which writes every training batch's and test pass's seconds to stderr
 * (`d2l.logBatchTimes`), to tell from a few batches what a full epoch would take.
 */

import { limitBatches, logBatchTimes } from '@minimx/d2l';
import { nd } from '@minimx/ndarray';

/** The flags of an example run, after defaults. */
export interface ExampleArgs {
  /** Number of epochs (`--epochs`). */
  epochs: number;
  /** The seed given with `--seed`, if any. */
  seed: number | undefined;
  /** The batch limit per pass (`--batches`), Infinity when not given. */
  batches: number;
  /** The mini-batch size given with `--batch-size` (the chapter-5 examples; default: the book's). */
  batchSize?: number;
  /** The directory for pictures (`--out`). */
  out: string;
  /** `--batch-times`: log each training batch's and test pass's seconds to stderr. */
  batchTimes?: boolean;
}

/** What an example passes to {@link parseArgs}: its defaults. */
export interface ExampleDefaults {
  /** The book's number of epochs. */
  epochs: number;
}

const USAGE =
  'usage: npx tsx examples/<name>.ts [--epochs N] [--seed N] [--batches N] [--batch-size N] [--batch-times] [--out DIR]';

function positiveInt(flag: string, value: string | undefined, allowZero = false): number {
  const n = Number(value);
  if (value === undefined || !Number.isInteger(n) || n < (allowZero ? 0 : 1)) {
    throw new RangeError(
      `${flag}: expected a ${allowZero ? 'non-negative' : 'positive'} integer, got ${JSON.stringify(value)}\n${USAGE}`,
    );
  }
  return n;
}

/**
 * Parses the example flags from `argv` (no side effects). Accepts `--flag N` and `--flag=N`.
 * @example parseFlags(['--epochs', '1', '--batches=3'], { epochs: 5 }) // { epochs: 1, batches: 3, ... }
 */
export function parseFlags(argv: readonly string[], defaults: ExampleDefaults): ExampleArgs {
  const args: ExampleArgs = { epochs: defaults.epochs, seed: undefined, batches: Infinity, out: 'out' };
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    const eq = token.indexOf('=');
    const flag = eq >= 0 ? token.slice(0, eq) : token;
    const takeValue = (): string | undefined => (eq >= 0 ? token.slice(eq + 1) : argv[++i]);
    switch (flag) {
      case '--epochs':
        args.epochs = positiveInt(flag, takeValue(), true);
        break;
      case '--seed':
        args.seed = positiveInt(flag, takeValue(), true);
        break;
      case '--batches':
        args.batches = positiveInt(flag, takeValue());
        break;
      case '--batch-size':
        args.batchSize = positiveInt(flag, takeValue());
        break;
      case '--batch-times':
        if (eq >= 0) throw new RangeError(`--batch-times: takes no value\n${USAGE}`);
        args.batchTimes = true;
        break;
      case '--out': {
        const dir = takeValue();
        if (!dir) throw new RangeError(`--out: expected a directory\n${USAGE}`);
        args.out = dir;
        break;
      }
      case '--help':
      case '-h':
        console.log(USAGE);
        process.exit(0);
        break;
      default:
        throw new RangeError(`unknown flag ${JSON.stringify(token)}\n${USAGE}`);
    }
  }
  return args;
}

/**
 * Reads the flags of this process, seeds the RNG when `--seed` is given and sets the batch limit of
 * the d2l iterators; returns the flags. The first line of every example.
 * @example const args = parseArgs({ epochs: 5 }); const numEpochs = args.epochs;
 */
export function parseArgs(
  defaults: ExampleDefaults,
  argv: readonly string[] = process.argv.slice(2),
): ExampleArgs {
  let args: ExampleArgs;
  try {
    args = parseFlags(argv, defaults);
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
  if (args.seed !== undefined) nd.random.seed(args.seed);
  limitBatches(args.batches);
  logBatchTimes(args.batchTimes ?? false);
  return args;
}
