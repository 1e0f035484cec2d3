/**
 * @minimx/datasets for browsers (the `browser` condition of the package's `exports`, which
 * esbuild, webpack and Vite pick when bundling for a browser): the parts that need no Node module,
 * namely IDX parsing, `Dataset`, `ArrayDataset`, `DataLoader`, `transforms`, the labels, `Canvas`
 * and `encodePng`, and `vision.FashionMNIST` / `vision.MNIST` that fetch their files
 * (`await vision.FashionMNIST.load({ train, url })`, or `fromBytes`) and verify them with
 * `DecompressionStream` and `crypto.subtle`. The cache, the file downloads, the Node checksums
 * and gzip are Node-only (index.ts). Names other than `vision` are re-exported from the same
 * modules as index.ts, so each one is the same object.
 * @example
 * import { DataLoader, transforms, vision } from '@minimx/datasets';
 * const mnistTrain = await vision.FashionMNIST.load({ train: true, url: '/data/fashion-mnist/' });
 * const trainIter = new DataLoader(mnistTrain.transformFirst(new transforms.ToTensor()), { batchSize: 256, shuffle: true });
 * @packageDocumentation
 * @module \@minimx/datasets (browser)
 */

import * as vision from './browser-vision.js';
import * as transforms from './transforms.js';

export {
  type Batch,
  DataLoader,
  type DataLoaderOptions,
  defaultBatchify,
  type LastBatch,
} from './data-loader.js';
export {
  ArrayDataset,
  type ArrayItem,
  applyTransform,
  type BatchTransform,
  type Column,
  Dataset,
  type First,
  type ReplaceFirst,
  type RowOf,
  SimpleDataset,
  type Spread,
  type Supported,
  type TransformLike,
} from './dataset.js';
export {
  DEFAULT_GLUON_REPO,
  FASHION_MNIST_FILES,
  type FileSpec,
  MNIST_FILES,
  type SplitSpecs,
  UPSTREAM_MIRRORS,
} from './files.js';
export { encodeIdx, type IdxArray, type IdxDType, type IdxTypedArray, parseIdx } from './idx.js';
export { FASHION_MNIST_CLASSES, getFashionMnistLabels } from './labels.js';
export {
  ProgressBar,
  type ProgressBarOptions,
  type ProgressStream,
} from './progress.js';
export { Canvas, encodePng, type Rgb, textWidth } from './raster.js';
export type { ComposableTransform, Transform } from './transforms.js';
export { type ItemTransform, VisionArrays } from './vision-base.js';
export { transforms, vision };
