/**
 * @minimx/d2l: the `d2lzh` helpers of "Dive into Deep Learning" (MXNet edition) that chapters 2 to
 * 5 define and save for later, with the book's names camelCased, its arguments in its order and
 * Python's keyword arguments as a trailing options object. Import it as the book does
 * `import d2lzh as d2l`: `import * as d2l from '@minimx/d2l'` (or `'minimx/d2l'`). This is the Node
 * entry; browser bundlers (esbuild, webpack, Vite) pick browser.ts, the same names with a fetching
 * `loadDataFashionMnist` and no Node module.
 * @packageDocumentation
 * @module \@minimx/d2l
 * @document ../README.md
 * @example
 * import * as d2l from '@minimx/d2l';
 * const [trainIter, testIter] = await d2l.loadDataFashionMnist(256);
 * d2l.trainCh3(net, trainIter, testIter, loss, 5, 256, undefined, undefined, trainer);
 */
export { getFashionMnistLabels, showFashionMnist } from '@minimx/datasets';
export { tryGpu } from './context.js';
export { corr2d, Residual, type ResidualOptions } from './conv.js';
export {
  type DataIter,
  dataIter,
  type LoadDataOptions,
  limitBatches,
  limited,
  loadDataFashionMnist,
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
export { type ShowImagesOptions, showImages } from './images.js';
export { linreg, sgd, squaredLoss } from './regression.js';
export {
  type EpochStats,
  evaluateAccuracy,
  historyFigure,
  type Loss,
  logBatchTimes,
  type Net,
  plotHistory,
  type TrainerLike,
  type TrainHistory,
  type TrainOptions,
  trainCh3,
  trainCh5,
} from './train.js';
