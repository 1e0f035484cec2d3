/**
 * The `d2lzh` helpers that chapter 3 of "Dive into Deep Learning" (MXNet edition) defines and saves
 * for later sections, with the same names (camelCased), arguments and behaviour: `dataIter`,
 * `linreg`, `squaredLoss`, `sgd` (3.2), `getFashionMnistLabels`, `showFashionMnist` (3.5, from
 * @minimx/datasets), `loadDataFashionMnist`, `evaluateAccuracy`, `trainCh3` (3.6) and `semilogy`
 * (3.11/3.12, an SVG file instead of a matplotlib window). Import it as `import * as d2l from
 * './d2l.js'`, as the book does `import d2lzh as d2l`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataLoader, getFashionMnistLabels, showFashionMnist, transforms, vision } from '@minimx/datasets';
import { autograd, type NDArray, nd } from '@minimx/ndarray';
import { renderSemilogy, type Series } from './plot.js';
import { ProgressBar } from './progress.js';

export { getFashionMnistLabels, showFashionMnist };

/** A model: a function of X (the scratch sections) or a Gluon-style block with `forward`. */
export type Net = ((X: NDArray) => NDArray) | { forward(X: NDArray): NDArray };
/** A loss returning one value per sample: a function or a Gluon-style loss block. */
export type Loss = ((yHat: NDArray, y: NDArray) => NDArray) | { forward(yHat: NDArray, y: NDArray): NDArray };
/** Anything with Gluon's `trainer.step(batchSize)`. */
export interface TrainerLike {
  step(batchSize: number): void;
}
/** A data iterator: each pass yields `[X, y]` mini-batches; `length` (batches per pass) if known. */
export type DataIter = Iterable<readonly [NDArray, NDArray]> & { readonly length?: number };

/** Calls a model the way Gluon's `net(X)` does, whether it is a function or a block. */
export function callNet(net: Net, X: NDArray): NDArray {
  return typeof net === 'function' ? net(X) : net.forward(X);
}

/** Calls a loss the way Gluon's `loss(yHat, y)` does, whether it is a function or a block. */
export function callLoss(loss: Loss, yHat: NDArray, y: NDArray): NDArray {
  return typeof loss === 'function' ? loss(yHat, y) : loss.forward(yHat, y);
}

let maxBatches = Infinity;

/**
 * Caps every pass of the iterators made by `dataIter` and `loadDataFashionMnist` at `n` batches
 * (Infinity: no cap). Set by the examples' `--batches N` flag so a test can run them in seconds.
 * No MXNet counterpart.
 * @example limitBatches(3)
 */
export function limitBatches(n: number): void {
  if (!(n >= 1)) throw new RangeError(`limitBatches: expected a positive number of batches, got ${n}`);
  maxBatches = n;
}

/** An iterable that stops each pass after `limit` batches of `inner`. */
class LimitedIter<T> implements Iterable<T> {
  constructor(
    private readonly inner: Iterable<T> & { readonly length?: number },
    private readonly limit: number,
  ) {}
  get length(): number | undefined {
    return this.inner.length === undefined ? undefined : Math.min(this.inner.length, this.limit);
  }
  *[Symbol.iterator](): Iterator<T> {
    if (this.limit <= 0) return;
    let k = 0;
    for (const item of this.inner) {
      yield item;
      if (++k >= this.limit) return;
    }
  }
}

/** Applies the `limitBatches` cap to an iterator (returns it unchanged when there is none). */
export function limited<T>(
  iter: Iterable<T> & { readonly length?: number },
): Iterable<T> & { readonly length?: number } {
  return Number.isFinite(maxBatches) ? new LimitedIter(iter, maxBatches) : iter;
}

// #region dataIter
/**
 * Reads `features` and `labels` in random mini-batches of `batchSize` (the last one smaller), in a
 * new order drawn from the seeded RNG on every call. d2l 3.2: `d2l.data_iter(batch_size, features, labels)`.
 * @example for (const [X, y] of d2l.dataIter(10, features, labels)) { ... }
 */
export function* dataIter(
  batchSize: number,
  features: NDArray,
  labels: NDArray,
): Generator<[NDArray, NDArray]> {
  const numExamples = features.shape[0];
  const indices = Array.from(nd.random.shuffleIndices(numExamples)); // the examples are read in random order
  for (let i = 0, k = 0; i < numExamples && k < maxBatches; i += batchSize, k++) {
    const j = nd.array(indices.slice(i, Math.min(i + batchSize, numExamples)), { dtype: 'int32' });
    yield [features.take(j), labels.take(j)];
  }
}
// #endregion

// #region linreg
/**
 * The linear regression model `Xw + b`. d2l 3.2: `d2l.linreg(X, w, b)`.
 * @example const yHat = d2l.linreg(X, w, b);
 */
export function linreg(X: NDArray, w: NDArray, b: NDArray): NDArray {
  return nd.dot(X, w).add(b);
}
// #endregion

// #region squaredLoss
/**
 * The squared loss `(yHat - y)² / 2`, one value per sample (y is reshaped to yHat's shape).
 * d2l 3.2: `d2l.squared_loss(y_hat, y)`.
 * @example const l = d2l.squaredLoss(d2l.linreg(X, w, b), y);
 */
export function squaredLoss(yHat: NDArray, y: NDArray): NDArray {
  return yHat.sub(y.reshape(yHat.shape)).pow(2).div(2);
}
// #endregion

// #region sgd
/**
 * Mini-batch stochastic gradient descent, in place: `param -= lr * param.grad / batchSize` for
 * each parameter (a last, smaller batch is still divided by `batchSize`, as in the book).
 * d2l 3.2: `d2l.sgd(params, lr, batch_size)`.
 * @example d2l.sgd([w, b], 0.03, 10);
 */
export function sgd(params: readonly NDArray[], lr: number, batchSize: number): void {
  for (const param of params) {
    if (param.grad === null)
      throw new Error(`sgd: a parameter of shape (${param.shape}) has no gradient; call attachGrad()`);
    param.set(param.sub(param.grad.mul(lr).div(batchSize)));
  }
}
// #endregion

/** Options of {@link loadDataFashionMnist}: Python's keyword arguments. */
export interface LoadDataOptions {
  /** Resize the 28x28 images to this size first (Gluon's `transforms.Resize`). */
  resize?: number;
  /** The cache folder (default `$MINIMX_HOME/datasets/fashion-mnist`, then the system copy). */
  root?: string;
}

// #region loadDataFashionMnist
/**
 * Fashion-MNIST as two mini-batch iterators, `[trainIter, testIter]`: images ToTensor'd (and
 * resized if asked) to float32 (batch,1,28,28) in [0,1], labels int32; the training set shuffled
 * each epoch, the test set in order. Async because a missing copy is downloaded first.
 * d2l 3.6: `d2l.load_data_fashion_mnist(batch_size, resize=None, root=...)`.
 * @example const [trainIter, testIter] = await d2l.loadDataFashionMnist(256);
 */
export async function loadDataFashionMnist(
  batchSize: number,
  { resize, root }: LoadDataOptions = {},
): Promise<[DataIter, DataIter]> {
  const transformer: transforms.Transform[] = [];
  if (resize) transformer.push(new transforms.Resize(resize));
  transformer.push(new transforms.ToTensor());
  const composed = new transforms.Compose(transformer);
  const mnistTrain = await vision.FashionMNIST.load({ root, train: true });
  const mnistTest = await vision.FashionMNIST.load({ root, train: false });
  const trainIter = new DataLoader(mnistTrain.transformFirst(composed), { batchSize, shuffle: true });
  const testIter = new DataLoader(mnistTest.transformFirst(composed), { batchSize, shuffle: false });
  return [limited(trainIter) as DataIter, limited(testIter) as DataIter];
}
// #endregion

// #region evaluateAccuracy
/**
 * The fraction of samples of `dataIter` that `net` classifies correctly (argmax of its output).
 * d2l 3.6: `d2l.evaluate_accuracy(data_iter, net)`.
 * @example d2l.evaluateAccuracy(testIter, net) // 0.0925 before training
 */
export function evaluateAccuracy(dataIter: DataIter, net: Net): number {
  let accSum = 0;
  let n = 0;
  for (const [X, y] of dataIter) {
    const yFloat = y.astype('float32');
    accSum += callNet(net, X).argmax({ axis: 1 }).equal(yFloat).sum().asScalar();
    n += yFloat.size;
  }
  return accSum / n;
}
// #endregion

// #region trainCh3
/**
 * Trains a classifier for `numEpochs` epochs and prints after each
 * `epoch %d, loss %.4f, train acc %.3f, test acc %.3f` (mean per-sample loss and accuracy over the
 * epoch's batches, accuracy on `testIter` at its end). Updates with `sgd(params, lr, batchSize)`
 * when no `trainer` is given, else with `trainer.step(batchSize)`; both divide by `batchSize`
 * even for a smaller last batch. A progress bar is drawn on stderr when it is a terminal.
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
): void {
  if (!trainer && (!params || lr == null)) {
    throw new TypeError('trainCh3: give either params and lr (for d2l.sgd) or a trainer');
  }
  for (let epoch = 0; epoch < numEpochs; epoch++) {
    let trainLSum = 0;
    let trainAccSum = 0;
    let n = 0;
    const bar = new ProgressBar(`epoch ${epoch + 1}`, trainIter.length);
    for (const [X, yInt] of trainIter) {
      const [yHat, l] = autograd.record(() => {
        const yHat = callNet(net, X);
        return [yHat, callLoss(loss, yHat, yInt).sum()] as const;
      });
      l.backward();
      if (!trainer) sgd(params!, lr!, batchSize);
      else trainer.step(batchSize);
      const y = yInt.astype('float32');
      const lossSum = l.asScalar();
      trainLSum += lossSum;
      trainAccSum += yHat.argmax({ axis: 1 }).equal(y).sum().asScalar();
      n += y.size;
      bar.tick({ samples: y.size, lossSum });
    }
    const testAcc = evaluateAccuracy(testIter, net);
    bar.done();
    console.log(
      `epoch ${epoch + 1}, loss ${(trainLSum / n).toFixed(4)}, train acc ${(trainAccSum / n).toFixed(3)}, test acc ${testAcc.toFixed(3)}`,
    );
  }
}
// #endregion

/** Options of {@link semilogy}: where the picture goes, and its size in inches (100 px each). */
export interface SemilogyOptions {
  /** The SVG file to write (default `out/semilogy.svg`). Folders are created. */
  path?: string;
  /** Width and height in inches, as matplotlib's figsize (default [3.5, 2.5], drawn at 137 px per inch). */
  figsize?: [number, number];
  /** A title above the plot. */
  title?: string;
}

// #region semilogy
/**
 * Plots `yVals` against `xVals` (and, if given, `y2Vals` against `x2Vals`, dotted, with `legend`)
 * with a logarithmic y axis, written as an SVG file; returns its path.
 * d2l 3.11: `d2l.semilogy(x_vals, y_vals, x_label, y_label, x2_vals=None, y2_vals=None, legend=None, figsize=(3.5, 2.5))`.
 * @example d2l.semilogy(epochs, trainLs, 'epochs', 'loss', epochs, testLs, ['train', 'test'], { path: 'out/wd.svg' });
 */
export function semilogy(
  xVals: Iterable<number>,
  yVals: Iterable<number>,
  xLabel: string,
  yLabel: string,
  x2Vals?: Iterable<number> | null,
  y2Vals?: Iterable<number> | null,
  legend?: readonly string[] | null,
  { path: file = path.join('out', 'semilogy.svg'), figsize = [3.5, 2.5], title }: SemilogyOptions = {},
): string {
  const series: Series[] = [{ x: Array.from(xVals), y: Array.from(yVals), label: legend?.[0] }];
  if (x2Vals && y2Vals)
    series.push({ x: Array.from(x2Vals), y: Array.from(y2Vals), label: legend?.[1], dashed: true });
  const svg = renderSemilogy(series, {
    xLabel,
    yLabel,
    title,
    width: Math.round(figsize[0] * 137),
    height: Math.round(figsize[1] * 137),
  });
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, svg);
  return file;
}
// #endregion

/**
 * `range(start, stop)` of Python: the integers start, start+1, ..., stop-1.
 * @example d2l.range(1, numEpochs + 1) // [1, 2, ..., numEpochs]
 */
export function range(start: number, stop: number): number[] {
  return Array.from({ length: Math.max(0, stop - start) }, (_, i) => start + i);
}
