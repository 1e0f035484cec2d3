/**
 * @minimx/datasets for browsers (the `browser` condition of the package's `exports`, which
 * esbuild, webpack and Vite pick when bundling for a browser): the parts that need no Node module,
 * namely IDX parsing, `Dataset`, `ArrayDataset`, `DataLoader`, `transforms`, the labels, `Canvas`
 * and `encodePng`. The cache, the downloads, the checksums over files, gzip and the file-reading
 * `vision.FashionMNIST` / `vision.MNIST` are Node-only (index.ts); here `vision` holds `transforms`.
 * Names are re-exported from the same modules as index.ts, so each one is the same object.
 * @example
 * import { ArrayDataset, DataLoader, parseIdx } from '@minimx/datasets';
 * const images = parseIdx(bytes); // the bytes of an uncompressed *-idx3-ubyte file
 * @packageDocumentation
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
export { encodeIdx, type IdxArray, type IdxDType, type IdxTypedArray, parseIdx } from './idx.js';
export { FASHION_MNIST_CLASSES, getFashionMnistLabels } from './labels.js';
export {
  ProgressBar,
  type ProgressBarOptions,
  type ProgressStream,
} from './progress.js';
export { Canvas, encodePng, LINE_ROWS, type Rgb, textWidth, toBase64 } from './raster.js';
export type { ComposableTransform, Transform } from './transforms.js';
export { transforms, vision };
