/**
 * What the examples' command line gives them (`examples/cli.ts`), for a notebook: the epochs, the
 * batch limit, the batch size, the seed and the pictures' folder. A notebook is the book's full run,
 * unless it says it is a short one (`notebookArgs({ epochs: 5 }, { epochs: 1, batches: 2 })`: the
 * networks of 5.6-5.12 from AlexNet on, whose full epoch takes hours on a CPU). The environment
 * only shortens a run further: CI sets `MINIMX_NOTEBOOK_EPOCHS` (at most N epochs),
 * `MINIMX_NOTEBOOK_BATCHES` (stop each pass over a data iterator after at most N batches),
 * `MINIMX_NOTEBOOK_BATCH_SIZE` (the chapter-5 notebooks' mini-batch size) and
 * `MINIMX_NOTEBOOK_SEED` to re-execute every notebook quickly.
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
 * A notebook's own shortened run: fewer epochs, a batch limit per pass over a data set and, where
 * the book's mini-batches need more memory than the machine has, a smaller mini-batch size.
 */
export interface ShortRun {
  epochs: number;
  batches: number;
  batchSize?: number;
}

/**
 * The book's settings (`defaults.epochs`), or the notebook's short run, shortened further by CI's
 * environment variables. A shortened run says so in one printed line.
 * @example const args = notebookArgs({ epochs: 5 });
 * @example const args = notebookArgs({ epochs: 5 }, { epochs: 1, batches: 2 }); // 5.6 AlexNet
 */
export function notebookArgs(defaults: { epochs: number }, short?: ShortRun): NotebookArgs {
  const min = (...values: (number | undefined)[]) =>
    Math.min(...values.filter((v): v is number => v !== undefined && v > 0));
  const args: NotebookArgs = {
    epochs: Math.min(
      defaults.epochs,
      short?.epochs ?? Infinity,
      fromEnv('MINIMX_NOTEBOOK_EPOCHS') ?? Infinity,
    ),
    seed: fromEnv('MINIMX_NOTEBOOK_SEED'),
    batches: min(Infinity, short?.batches, fromEnv('MINIMX_NOTEBOOK_BATCHES')),
    batchSize: min(Infinity, short?.batchSize, fromEnv('MINIMX_NOTEBOOK_BATCH_SIZE')),
    out: 'out',
  };
  if (args.seed !== undefined) nd.random.seed(args.seed);
  limitBatches(args.batches);
  if (args.batchSize === Infinity) args.batchSize = undefined;
  if (args.epochs < defaults.epochs || args.batches < Infinity || args.batchSize !== undefined) {
    const parts = [
      `${args.epochs} of the book's ${defaults.epochs} epoch${defaults.epochs === 1 ? '' : 's'}`,
    ];
    if (args.batches < Infinity)
      parts.push(
        `each pass over a data set stops after ${args.batches} batch${args.batches === 1 ? '' : 'es'}`,
      );
    if (args.batchSize !== undefined && args.batchSize === short?.batchSize)
      parts.push(`mini-batches of ${args.batchSize}`);
    else if (args.batchSize !== undefined) parts.push(`MINIMX_NOTEBOOK_BATCH_SIZE=${args.batchSize}`);
    console.log(`a short run: ${parts.join(', ')}`);
  }
  return args;
}
