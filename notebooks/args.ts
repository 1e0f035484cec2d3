/**
 * What the examples' command line gives them (`examples/cli.ts`), for a notebook: the epochs, the
 * batch limit, the seed and the pictures' folder. A notebook is the book's full run; only CI sets
 * `MINIMX_NOTEBOOK_EPOCHS` (train fewer epochs), `MINIMX_NOTEBOOK_BATCHES` (stop each pass over a
 * data iterator after N batches) or `MINIMX_NOTEBOOK_SEED` to re-execute every notebook quickly.
 */
import { limitBatches } from '@minimx/d2l';
import { nd } from '@minimx/ndarray';

/** The settings of a notebook run, as `examples/cli.ts`'s `ExampleArgs`. */
export interface NotebookArgs {
  epochs: number;
  seed: number | undefined;
  batches: number;
  batchSize?: number;
  out: string;
}

function fromEnv(name: string): number | undefined {
  const value = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[
    name
  ];
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`${name}: expected a non-negative integer, got ${value}`);
  return n;
}

/**
 * The book's settings (`defaults.epochs`), unless CI's environment variables shorten the run.
 * @example const args = notebookArgs({ epochs: 5 });
 */
export function notebookArgs(defaults: { epochs: number }): NotebookArgs {
  const args: NotebookArgs = {
    epochs: Math.min(defaults.epochs, fromEnv('MINIMX_NOTEBOOK_EPOCHS') ?? defaults.epochs),
    seed: fromEnv('MINIMX_NOTEBOOK_SEED'),
    batches: fromEnv('MINIMX_NOTEBOOK_BATCHES') || Infinity,
    out: 'out',
  };
  if (args.seed !== undefined) nd.random.seed(args.seed);
  limitBatches(args.batches);
  return args;
}
