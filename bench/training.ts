/**
 * The framework-neutral half of a training benchmark: the two d2l workloads' hyperparameters and
 * initial weights, and the epoch loop (seeded batch order, timing, loss and accuracy bookkeeping,
 * optional cap on batches with the epoch time extrapolated). A framework plugs in a `Trainer` that
 * runs one minibatch step and counts correct test predictions; everything else is shared, so every
 * framework does exactly the same work around its own ops.
 */
import type { Split } from './data.js';
import { IMAGE_SIZE } from './data.js';
import type { EpochRecord, ModelName } from './protocol.js';
import { Rng } from './rng.js';

/** d2l's minibatch size. */
export const BATCH_SIZE = 256;

/** Fashion-MNIST's classes. */
export const NUM_CLASSES = 10;

/** The hyperparameters of d2l 3.6 (softmax regression, scratch), 3.9 (MLP, scratch) and 5.5 (LeNet). */
export const WORKLOADS: Record<ModelName, { lr: number; hidden: number | null; title: string }> = {
  softmax: { lr: 0.1, hidden: null, title: 'softmax regression (784->10, lr 0.1)' },
  mlp: { lr: 0.5, hidden: 256, title: 'MLP (784->256 relu->10, lr 0.5)' },
  lenet: {
    lr: 0.9,
    hidden: null,
    title:
      'LeNet (conv 6x5x5 sigmoid, maxpool 2, conv 16x5x5 sigmoid, maxpool 2, dense 120-84-10 sigmoid; lr 0.9)',
  },
};

/** One parameter's initial value, row-major. */
export interface ParamInit {
  name: string;
  shape: number[];
  data: Float32Array;
}

/**
 * LeNet's parameters in Gluon's layout (conv weights (out, in, kh, kw), dense weights (units, in)),
 * Xavier-uniform as d2l's `init.Xavier()` draws them (MXNet's default: magnitude 3, fan average,
 * so U(-a, a) with a = sqrt(6 / (fanIn + fanOut))), biases zero.
 */
function lenetParams(rng: Rng): ParamInit[] {
  const layers: [string, number[]][] = [
    ['conv0', [6, 1, 5, 5]],
    ['conv1', [16, 6, 5, 5]],
    ['dense0', [120, 256]],
    ['dense1', [84, 120]],
    ['dense2', [10, 84]],
  ];
  const params: ParamInit[] = [];
  for (const [name, shape] of layers) {
    const field = shape.slice(2).reduce((a, b) => a * b, 1);
    const a = Math.sqrt(6 / ((shape[0] + shape[1]) * field));
    const n = shape.reduce((x, y) => x * y, 1);
    const data = Float32Array.from({ length: n }, () => (2 * rng.uniform() - 1) * a);
    params.push({ name: `${name}.weight`, shape, data });
    params.push({ name: `${name}.bias`, shape: [shape[0]], data: new Float32Array(shape[0]) });
  }
  return params;
}

/**
 * The initial parameters, the same in every framework: weights N(0, 0.01²), biases zero.
 * Softmax: W (784,10), b (10). MLP: W1 (784,256), b1 (256), W2 (256,10), b2 (10). LeNet: see
 * `lenetParams`.
 * @example initialParams('mlp', 1).map((p) => p.name) // ['W1', 'b1', 'W2', 'b2']
 */
export function initialParams(model: ModelName, seed: number): ParamInit[] {
  const rng = new Rng(seed);
  if (model === 'lenet') return lenetParams(rng);
  const hidden = WORKLOADS[model].hidden;
  if (hidden === null) {
    return [
      { name: 'W', shape: [IMAGE_SIZE, NUM_CLASSES], data: rng.normalArray(IMAGE_SIZE * NUM_CLASSES, 0.01) },
      { name: 'b', shape: [NUM_CLASSES], data: new Float32Array(NUM_CLASSES) },
    ];
  }
  return [
    { name: 'W1', shape: [IMAGE_SIZE, hidden], data: rng.normalArray(IMAGE_SIZE * hidden, 0.01) },
    { name: 'b1', shape: [hidden], data: new Float32Array(hidden) },
    { name: 'W2', shape: [hidden, NUM_CLASSES], data: rng.normalArray(hidden * NUM_CLASSES, 0.01) },
    { name: 'b2', shape: [NUM_CLASSES], data: new Float32Array(NUM_CLASSES) },
  ];
}

/** The summed loss and the number of correct predictions of one minibatch. */
export interface BatchStats {
  lossSum: number;
  correct: number;
}

/** What a framework supplies: one SGD step on a minibatch, and a forward pass that counts hits. */
export interface Trainer {
  /**
   * Runs forward, backward and `param -= lr * grad / BATCH_SIZE` on `count` samples
   * (`images`: count x 784, `labels`: count). Returns the summed loss and correct predictions.
   */
  trainBatch(images: Float32Array, labels: Int32Array, count: number): BatchStats;
  /** Counts correct predictions of the current parameters on `count` samples. */
  countCorrect(images: Float32Array, labels: Int32Array, count: number): number;
}

/** How long to train. */
export interface TrainOptions {
  epochs: number;
  /** Stop each epoch after this many batches and extrapolate its time (0: whole epochs). */
  maxBatches: number;
  /** Seed of the batch order. */
  seed: number;
  /** Called after each epoch (e.g. to print d2l's line). */
  onEpoch?: (record: EpochRecord) => void;
}

function gather(split: Split, order: Int32Array, start: number, count: number) {
  const images = new Float32Array(count * IMAGE_SIZE);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const row = order[start + i];
    images.set(split.images.subarray(row * IMAGE_SIZE, (row + 1) * IMAGE_SIZE), i * IMAGE_SIZE);
    labels[i] = split.labels[row];
  }
  return { images, labels };
}

/** Test accuracy, 256 samples at a time, in order. */
export function evaluate(trainer: Trainer, test: Split): number {
  let correct = 0;
  for (let start = 0; start < test.count; start += BATCH_SIZE) {
    const count = Math.min(BATCH_SIZE, test.count - start);
    const images = test.images.subarray(start * IMAGE_SIZE, (start + count) * IMAGE_SIZE);
    correct += trainer.countCorrect(images, test.labels.subarray(start, start + count), count);
  }
  return correct / test.count;
}

/** What `train` returns: the epochs, and the highest RSS seen after any training batch. */
export interface TrainOutcome {
  epochs: EpochRecord[];
  trainingPeakRssMB: number;
}

/**
 * Trains for `options.epochs` epochs of shuffled minibatches (the last one partial, 60000 mod 256
 * = 96 samples, still divided by 256 as d2l's `sgd` does) and returns one record per epoch.
 * Epoch time is the sum of the framework's training steps (`trainBatch`: forward, backward, update,
 * reading back loss and hits). Assembling each shuffled batch from the in-memory arrays is the same
 * harness code for every framework and is timed apart (`assemblySeconds`), as is the whole loop
 * (`wallSeconds`); test evaluation is timed separately and skipped when the epoch is capped. A
 * capped epoch's time is extrapolated from the mean step after the first (warm-up) one. The
 * resident set size is sampled after every batch.
 * @example train(myTrainer, data.train, data.test, { epochs: 3, maxBatches: 0, seed: 7 })
 */
export function train(trainer: Trainer, trainSplit: Split, test: Split, options: TrainOptions): TrainOutcome {
  const orderRng = new Rng(options.seed);
  const totalBatches = Math.ceil(trainSplit.count / BATCH_SIZE);
  const batchLimit = options.maxBatches > 0 ? Math.min(options.maxBatches, totalBatches) : totalBatches;
  const records: EpochRecord[] = [];
  let peakRss = process.memoryUsage.rss();
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    const order = orderRng.permutation(trainSplit.count);
    let lossSum = 0;
    let correct = 0;
    let samples = 0;
    let stepMs = 0;
    let firstStepMs = 0;
    let cpuMs = 0;
    let firstCpuMs = 0;
    let assemblyMs = 0;
    let epochRss = 0;
    const start = performance.now();
    for (let batch = 0; batch < batchLimit; batch++) {
      const first = batch * BATCH_SIZE;
      const count = Math.min(BATCH_SIZE, trainSplit.count - first);
      const t0 = performance.now();
      const { images, labels } = gather(trainSplit, order, first, count);
      const c1 = process.cpuUsage();
      const t1 = performance.now();
      const stats = trainer.trainBatch(images, labels, count);
      const t2 = performance.now();
      const used = process.cpuUsage(c1);
      const stepCpu = (used.user + used.system) / 1000;
      cpuMs += stepCpu;
      if (batch === 0) firstCpuMs = stepCpu;
      assemblyMs += t1 - t0;
      stepMs += t2 - t1;
      if (batch === 0) firstStepMs = t2 - t1;
      lossSum += stats.lossSum;
      correct += stats.correct;
      samples += count;
      epochRss = Math.max(epochRss, process.memoryUsage.rss());
    }
    peakRss = Math.max(peakRss, epochRss);
    const wallMs = performance.now() - start;
    const capped = batchLimit < totalBatches;
    // A capped epoch is extrapolated from the mean step after the first (warm-up) one.
    const scale = (ms: number, batches: number) => (ms / batches) * (totalBatches / 1000);
    const seconds = !capped
      ? stepMs / 1000
      : batchLimit > 1
        ? scale(stepMs - firstStepMs, batchLimit - 1)
        : scale(stepMs, batchLimit);
    const cpuSeconds = !capped
      ? cpuMs / 1000
      : batchLimit > 1
        ? scale(cpuMs - firstCpuMs, batchLimit - 1)
        : scale(cpuMs, batchLimit);
    const evalStart = performance.now();
    const testAcc = capped ? null : evaluate(trainer, test);
    const record: EpochRecord = {
      epoch,
      seconds,
      assemblySeconds: capped ? scale(assemblyMs, batchLimit) : assemblyMs / 1000,
      wallSeconds: capped ? scale(wallMs, batchLimit) : wallMs / 1000,
      evalSeconds: capped ? 0 : (performance.now() - evalStart) / 1000,
      loss: lossSum / samples,
      trainAcc: correct / samples,
      testAcc,
      batches: batchLimit,
      totalBatches,
      peakRssMB: epochRss / 2 ** 20,
      cpuSeconds,
    };
    options.onEpoch?.(record);
    records.push(record);
  }
  return { epochs: records, trainingPeakRssMB: peakRss / 2 ** 20 };
}

/** d2l's epoch line, with the time appended: `epoch 1, loss 0.7896, train acc 0.745, test acc 0.803 (1.23 s)`. */
export function formatEpoch(label: string, r: EpochRecord): string {
  const test = r.testAcc === null ? 'n/a' : r.testAcc.toFixed(3);
  const extrapolated = r.batches < r.totalBatches ? `, extrapolated from ${r.batches} batches` : '';
  return `[${label}] epoch ${r.epoch}, loss ${r.loss.toFixed(4)}, train acc ${r.trainAcc.toFixed(3)}, test acc ${test} (${r.seconds.toFixed(2)} s${extrapolated})`;
}
