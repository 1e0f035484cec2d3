/**
 * The shared body of every training worker: reads `--model softmax|mlp --epochs N --batches N
 * --seed N`, loads Fashion-MNIST, trains with the framework's `Trainer`, prints d2l's epoch lines
 * to stderr and reports one `TrainRecord` (with the process's peak RSS) to the parent.
 */
import type { Args } from '../args.js';
import { loadFashionMnist } from '../data.js';
import { emit, type ModelName, type Producer, peakRssMB } from '../protocol.js';
import { formatEpoch, initialParams, type ParamInit, type Trainer, train, WORKLOADS } from '../training.js';

/** What a framework's worker needs to build its trainer. */
export type TrainerFactory = (
  model: ModelName,
  params: ParamInit[],
  lr: number,
) => Trainer | Promise<Trainer>;

/** The worker's options, parsed from argv. */
export interface WorkerOptions {
  model: ModelName;
  epochs: number;
  maxBatches: number;
  seed: number;
}

/** Parses the options every training worker takes. */
export function parseWorkerOptions(args: Args): WorkerOptions {
  return {
    model: args.choice('model', ['softmax', 'mlp', 'lenet'] as const, 'softmax'),
    epochs: args.int('epochs', 1),
    maxBatches: args.int('batches', 0),
    seed: args.int('seed', 42),
  };
}

/**
 * Runs one training benchmark and reports it. `describeBackend`, when given, names the backend in
 * the record after training (e.g. with the number of threads it ended up using).
 * @example await runTrainWorker({ framework: 'minimx', backend: getBackend() }, options, makeTrainer)
 */
export async function runTrainWorker(
  producer: Producer,
  options: WorkerOptions,
  makeTrainer: TrainerFactory,
  describeBackend?: () => string,
): Promise<void> {
  const data = loadFashionMnist();
  const dataRssMB = peakRssMB();
  const trainer = await makeTrainer(
    options.model,
    initialParams(options.model, options.seed),
    WORKLOADS[options.model].lr,
  );
  const label = `${producer.framework}/${producer.backend} ${options.model}`;
  const { epochs, trainingPeakRssMB } = train(trainer, data.train, data.test, {
    epochs: options.epochs,
    maxBatches: options.maxBatches,
    seed: options.seed + 1,
    onEpoch: (r) => process.stderr.write(`${formatEpoch(label, r)}\n`),
  });
  emit({
    kind: 'train',
    ...producer,
    backend: describeBackend?.() ?? producer.backend,
    model: options.model,
    epochs,
    peakRssMB: peakRssMB(),
    dataRssMB,
    trainingPeakRssMB,
  });
}
