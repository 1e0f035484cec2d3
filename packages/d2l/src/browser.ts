/**
 * @minimx/d2l for browsers (the `browser` condition of the package's `exports`, which esbuild,
 * webpack and Vite pick when bundling for a browser): the same names as the Node entry, nothing
 * of Node imported. `loadDataFashionMnist` fetches the files (`await
 * d2l.loadDataFashionMnist(256, { url })`, through @minimx/datasets' browser `vision.FashionMNIST.load`);
 * the training loops, `evaluateAccuracy`, `sgd`, `linreg`, `squaredLoss`, `dataIter`, `corr2d`,
 * `Residual`, `tryGpu`, `getFashionMnistLabels` and the figures (`show()`, `semilogy` and `xyplot`
 * return SVG text) are the Node entry's own modules. `showFashionMnist`, `showImages` and
 * `plotHistory`, which write files, throw an error naming the alternative; so do `savefig` and a
 * training loop's `plot` option (before its first batch).
 * @packageDocumentation
 * @example
 * import * as d2l from '@minimx/d2l';
 * const [trainIter, testIter] = await d2l.loadDataFashionMnist(256, { url: '/data/fashion-mnist/' });
 * const history = d2l.trainCh3(net, trainIter, testIter, loss, 5, 256, undefined, undefined, trainer);
 * document.body.innerHTML = d2l.historyFigure(history).toSvg();
 * @module \@minimx/d2l (browser)
 */
export { getFashionMnistLabels } from '@minimx/datasets';
export {
  type BrowserLoadDataOptions,
  type BrowserLoadDataOptions as LoadDataOptions,
  type LoadDataProgress,
  loadDataFashionMnist,
} from './browser-data.js';
export { tryGpu } from './context.js';
export { corr2d, Residual, type ResidualOptions } from './conv.js';
export {
  type DataIter,
  dataIter,
  limitBatches,
  limited,
  range,
  type SizedIterable,
} from './data.js';
export { display, type MimeBundle, mimeBundle } from './display.js';
export {
  DPI,
  Figure,
  type FigureOptions,
  type LineOptions,
  plt,
  type SemilogyOptions,
  type ShowFigureOptions,
  semilogy,
  setFigsize,
  useSvgDisplay,
  type Values,
  type XyplotOptions,
  xyplot,
} from './figure.js';
export type { ShowImagesOptions } from './images.js';
export { plotHistory, showFashionMnist, showImages } from './node-only.js';
export { linreg, sgd, squaredLoss } from './regression.js';
export {
  type EpochStats,
  evaluateAccuracy,
  historyFigure,
  type Loss,
  logBatchTimes,
  type Net,
  type TrainerLike,
  type TrainHistory,
  type TrainOptions,
  trainCh3,
  trainCh5,
} from './train.js';
