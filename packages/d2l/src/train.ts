/**
 * The training loops of d2l: `evaluateAccuracy` (3.6, with the `ctx` of 5.5), `trainCh3` (3.6,
 * an `sgd` update or a Gluon `Trainer`) and `trainCh5` (5.5, Gluon's softmax cross-entropy and a
 * `Trainer`, batches moved to `ctx`, the epoch time printed). Both loops print the book's epoch
 * line, return the history (per-epoch loss, train and test accuracy, seconds), call an optional
 * per-epoch callback, can draw the loss and accuracy curves, and show a progress bar on a terminal.
 */
import { ProgressBar } from '@minimx/datasets';
import { autograd, type Context, type NDArray } from '@minimx/ndarray';
import { loss as gloss } from '@minimx/nn';
import type { DataIter } from './data.js';
import { Figure } from './figure.js';
import { hasFileSystem } from './io.js';
import { sgd } from './regression.js';

/** A model: a function of X (the scratch sections) or a Gluon block (blocks are callable: `net(X)`). */
export type Net = (X: NDArray) => NDArray;
/** A loss returning one value per sample: a function or a Gluon loss block (`loss(yHat, y)`). */
export type Loss = (yHat: NDArray, y: NDArray) => NDArray;
/** Anything with Gluon's `trainer.step(batchSize)`. */
export interface TrainerLike {
  /** One update, gradients rescaled by 1 / batchSize. */
  step(batchSize: number): void;
}

// #region evaluateAccuracy
/**
 * The fraction of samples of `dataIter` that `net` classifies correctly (argmax of its output),
 * with each batch moved to `ctx` first when one is given.
 * d2l 3.6 / 5.5: `d2l.evaluate_accuracy(data_iter, net, ctx)`.
 * @example d2l.evaluateAccuracy(testIter, net) // 0.0925 before training
 */
export function evaluateAccuracy(dataIter: DataIter, net: Net, ctx?: Context): number {
  let accSum = 0;
  let n = 0;
  for (const [Xb, yb] of dataIter) {
    const [X, y] = ctx
      ? [Xb.asInContext(ctx), yb.asInContext(ctx).astype('float32')]
      : [Xb, yb.astype('float32')];
    accSum += net(X).argmax({ axis: 1 }).equal(y).sum().asScalar();
    n += y.size;
  }
  return accSum / n;
}
// #endregion

/** What one epoch of `trainCh3` / `trainCh5` measured. */
export interface EpochStats {
  /** 1-based. */
  epoch: number;
  /** The summed per-sample loss of the epoch divided by its number of samples. */
  loss: number;
  /** Accuracy on the training batches, counted while training. */
  trainAcc: number;
  /** Accuracy on `testIter` at the end of the epoch. */
  testAcc: number;
  /** Seconds the epoch took, the test evaluation included (as the book times it). */
  time: number;
}

/** The per-epoch history `trainCh3` and `trainCh5` return, one entry per epoch in each array. */
export interface TrainHistory {
  /** Mean per-sample training loss of each epoch. */
  loss: number[];
  /** Training accuracy of each epoch. */
  trainAcc: number[];
  /** Test accuracy at the end of each epoch. */
  testAcc: number[];
  /** Seconds per epoch. */
  time: number[];
  /** The same numbers, one object per epoch. */
  epochs: EpochStats[];
}

/** Options of `trainCh3` and `trainCh5` (no d2lzh counterpart). */
export interface TrainOptions {
  /** Called after each epoch's line is printed. */
  onEpoch?: (stats: EpochStats) => void;
  /**
   * Draw the loss and the train/test accuracy against the epoch at the end: a file path
   * (`.svg` or `.png`), or `true` for `out/train-ch3.svg` / `out/train-ch5.svg`.
   */
  plot?: string | boolean;
  /** Print nothing (default false). */
  quiet?: boolean;
}

let batchTimes = false;

/** User + system CPU seconds of this process (all its threads), or undefined outside Node. */
function cpuSeconds(): number | undefined {
  const usage = (
    globalThis as { process?: { cpuUsage?: () => { user: number; system: number } } }
  ).process?.cpuUsage?.();
  return usage ? (usage.user + usage.system) / 1e6 : undefined;
}

/**
 * Makes `trainCh3` and `trainCh5` write, to stderr, the seconds of every training batch
 * (`epoch 1, batch 2: 41.27 s, cpu 40.90 s`) and of each epoch's test pass (`epoch 1, test pass:
 * 30.12 s, cpu 29.80 s`), so a few batches of a large network tell what a full epoch would take;
 * `false` turns it off. The CPU seconds (of every thread of the process, Node only) say how much
 * of the time the process ran when other jobs share the cores. No d2lzh
 * counterpart: the examples' `--batch-times` flag sets it. Each batch's time runs from the end of
 * the previous one (the first from the start of the epoch), so it includes reading the batch.
 * @example d2l.logBatchTimes(true); d2l.limitBatches(3); // then trainCh5(...) times 3 batches
 */
export function logBatchTimes(on: boolean): void {
  batchTimes = on;
}

/** Sums one epoch's loss and accuracy batch by batch, times it and draws the progress bar. */
class EpochMeter {
  private readonly start = performance.now();
  private mark = this.start;
  private cpuMark = cpuSeconds();
  private readonly bar: ProgressBar;
  private lSum = 0;
  private accSum = 0;
  private n = 0;
  private batches = 0;

  constructor(
    private readonly epoch: number,
    batchesPerEpoch: number | undefined,
  ) {
    this.bar = new ProgressBar(`epoch ${epoch}`, batchesPerEpoch);
  }

  /** Adds a batch: its summed loss `l`, the outputs `yHat` and the labels `y`. */
  batch(l: NDArray, yHat: NDArray, y: NDArray): void {
    const yFloat = y.astype('float32');
    this.lSum += l.asScalar();
    this.accSum += yHat.argmax({ axis: 1 }).equal(yFloat).sum().asScalar();
    this.n += yFloat.size;
    this.batches++;
    if (batchTimes) this.logSince(`batch ${this.batches}`);
    const rate = Math.round(this.n / Math.max((performance.now() - this.start) / 1000, 1e-9));
    this.bar.update(this.batches, `batches, ${rate} samples/s, loss ${(this.lSum / this.n).toFixed(4)}`);
  }

  /** Ends the epoch (erasing the bar) with the test accuracy; returns its numbers. */
  end(testAcc: number): EpochStats {
    this.bar.done();
    if (batchTimes) this.logSince('test pass');
    return {
      epoch: this.epoch,
      loss: this.lSum / this.n,
      trainAcc: this.accSum / this.n,
      testAcc,
      time: (performance.now() - this.start) / 1000,
    };
  }

  /**
   * Writes the seconds since the last mark to stderr (the bar is erased first), with the CPU
   * seconds of the process in that time where Node reports them, and moves the mark.
   */
  private logSince(what: string): void {
    const now = performance.now();
    const cpu = cpuSeconds();
    this.bar.done();
    const used =
      cpu !== undefined && this.cpuMark !== undefined ? `, cpu ${(cpu - this.cpuMark).toFixed(2)} s` : '';
    console.error(`epoch ${this.epoch}, ${what}: ${((now - this.mark) / 1000).toFixed(2)} s${used}`);
    this.mark = now;
    this.cpuMark = cpu;
  }
}

function record(history: TrainHistory, stats: EpochStats): void {
  history.loss.push(stats.loss);
  history.trainAcc.push(stats.trainAcc);
  history.testAcc.push(stats.testAcc);
  history.time.push(stats.time);
  history.epochs.push(stats);
}

/**
 * Draws a training history (loss, train acc, test acc against the epoch) and writes it to `file`
 * (`.svg` or `.png`); returns the path. No d2lzh counterpart (the book's later `Animator` draws
 * these curves). Node only.
 * @example d2l.plotHistory(d2l.trainCh3(net, trainIter, testIter, loss, 5, 256, params, 0.1), 'out/ch3.svg');
 */
export function plotHistory(history: TrainHistory, file: string): string {
  return historyFigure(history).savefig(file);
}

/** The figure {@link plotHistory} writes: loss, train acc and test acc against the epoch. */
export function historyFigure(history: TrainHistory): Figure {
  const epochs = history.epochs.map((e) => e.epoch);
  return new Figure({ figsize: [3.5, 2.5] })
    .plot(epochs, history.loss, { label: 'train loss' })
    .plot(epochs, history.trainAcc, { label: 'train acc', linestyle: '--' })
    .plot(epochs, history.testAcc, { label: 'test acc', linestyle: ':' })
    .xlabel('epoch')
    .legend();
}

/**
 * Refuses the `plot` option before any training where no file could be written (a browser), rather
 * than after the last epoch, which would lose the history.
 */
function checkPlot(op: string, plot: string | boolean | undefined): void {
  if (plot && !hasFileSystem()) {
    throw new Error(
      `${op}: plot writes a file, which needs a file system (Node); drop it and draw d2l.historyFigure(history).toSvg()`,
    );
  }
}

function finish(history: TrainHistory, plot: string | boolean | undefined, fallback: string): TrainHistory {
  if (plot && history.epochs.length > 0) plotHistory(history, typeof plot === 'string' ? plot : fallback);
  return history;
}

/**
 * A history a notebook cell (Deno's Jupyter kernel) shows as its curves (SVG, from
 * {@link historyFigure}) rather than as an object; the method is not enumerable.
 */
function emptyHistory(): TrainHistory {
  const history: TrainHistory = { loss: [], trainAcc: [], testAcc: [], time: [], epochs: [] };
  Object.defineProperty(history, Symbol.for('Jupyter.display'), {
    enumerable: false,
    value(this: TrainHistory): Record<string, string> {
      const text = `TrainHistory of ${this.epochs.length} epoch(s)`;
      if (this.epochs.length === 0) return { 'text/plain': text };
      return { 'image/svg+xml': historyFigure(this).toSvg(), 'text/plain': text };
    },
  });
  return history;
}

// #region trainCh3
/**
 * Trains a classifier for `numEpochs` epochs and prints after each
 * `epoch %d, loss %.4f, train acc %.3f, test acc %.3f` (mean per-sample loss and accuracy over the
 * epoch's batches, accuracy on `testIter` at its end). Updates with `sgd(params, lr, batchSize)`
 * when no `trainer` is given, else with `trainer.step(batchSize)`; both divide by `batchSize`
 * even for a smaller last batch. Returns the history; `options` adds a per-epoch callback and a
 * picture of the curves. A progress bar is drawn on stderr when it is a terminal.
 * d2l 3.6: `d2l.train_ch3(net, train_iter, test_iter, loss, num_epochs, batch_size, params=None, lr=None, trainer=None)`.
 * @example d2l.trainCh3(net, trainIter, testIter, loss, 5, 256, undefined, undefined, trainer);
 */
export function trainCh3(
  net: Net,
  trainIter: DataIter,
  testIter: DataIter,
  loss: Loss,
  numEpochs: number,
  batchSize: number,
  params?: readonly NDArray[] | null,
  lr?: number | null,
  trainer?: TrainerLike | null,
  { onEpoch, plot, quiet = false }: TrainOptions = {},
): TrainHistory {
  if (!trainer && (!params || lr == null)) {
    throw new TypeError('trainCh3: give either params and lr (for d2l.sgd) or a trainer');
  }
  checkPlot('trainCh3', plot);
  const history = emptyHistory();
  for (let epoch = 1; epoch <= numEpochs; epoch++) {
    const meter = new EpochMeter(epoch, trainIter.length);
    for (const [X, y] of trainIter) {
      const [yHat, l] = autograd.record(() => {
        const yHat = net(X);
        return [yHat, loss(yHat, y).sum()] as const;
      });
      l.backward();
      if (trainer) trainer.step(batchSize);
      else sgd(params!, lr!, batchSize);
      meter.batch(l, yHat, y);
    }
    const stats = meter.end(evaluateAccuracy(testIter, net));
    record(history, stats);
    if (!quiet) {
      console.log(
        `epoch ${epoch}, loss ${stats.loss.toFixed(4)}, train acc ${stats.trainAcc.toFixed(3)}, test acc ${stats.testAcc.toFixed(3)}`,
      );
    }
    onEpoch?.(stats);
  }
  return finish(history, plot, 'out/train-ch3.svg');
}
// #endregion

// #region trainCh5
/**
 * Trains a classifier with Gluon's `SoftmaxCrossEntropyLoss` and `trainer.step(batchSize)`,
 * moving each batch to `ctx` (`X.asInContext(ctx)`); prints `training on <ctx>` and after each
 * epoch `epoch %d, loss %.4f, train acc %.3f, test acc %.3f, time %.1f sec` (the time includes the
 * test evaluation). Returns the history; `options` adds a per-epoch callback and a picture.
 * d2l 5.5: `d2l.train_ch5(net, train_iter, test_iter, batch_size, trainer, ctx, num_epochs)`.
 * @example d2l.trainCh5(net, trainIter, testIter, batchSize, trainer, ctx, numEpochs);
 */
export function trainCh5(
  net: Net,
  trainIter: DataIter,
  testIter: DataIter,
  batchSize: number,
  trainer: TrainerLike,
  ctx: Context,
  numEpochs: number,
  { onEpoch, plot, quiet = false }: TrainOptions = {},
): TrainHistory {
  if (!trainer || typeof trainer.step !== 'function')
    throw new TypeError('trainCh5: trainer must be a gluon.Trainer');
  checkPlot('trainCh5', plot);
  if (!quiet) console.log('training on', String(ctx));
  const loss = new gloss.SoftmaxCrossEntropyLoss();
  const history = emptyHistory();
  for (let epoch = 1; epoch <= numEpochs; epoch++) {
    const meter = new EpochMeter(epoch, trainIter.length);
    for (const [Xb, yb] of trainIter) {
      const [X, y] = [Xb.asInContext(ctx), yb.asInContext(ctx)];
      const [yHat, l] = autograd.record(() => {
        const yHat = net(X);
        return [yHat, loss(yHat, y).sum()] as const;
      });
      l.backward();
      trainer.step(batchSize);
      meter.batch(l, yHat, y);
    }
    const stats = meter.end(evaluateAccuracy(testIter, net, ctx));
    record(history, stats);
    if (!quiet) {
      console.log(
        `epoch ${epoch}, loss ${stats.loss.toFixed(4)}, train acc ${stats.trainAcc.toFixed(3)}, test acc ${stats.testAcc.toFixed(3)}, time ${stats.time.toFixed(1)} sec`,
      );
    }
    onEpoch?.(stats);
  }
  return finish(history, plot, 'out/train-ch5.svg');
}
// #endregion
