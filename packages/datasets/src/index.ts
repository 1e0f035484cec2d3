/**
 * @minimx/datasets: Gluon's `gluon.data` in TypeScript: `vision.FashionMNIST` / `vision.MNIST`
 * (cache, system copy, verified download), `Dataset`, `ArrayDataset`, `DataLoader`,
 * `transforms`, and d2l's `getFashionMnistLabels` / `showFashionMnist`.
 * `import { vision, transforms, DataLoader } from '@minimx/datasets'`.
 * @packageDocumentation
 * @module \@minimx/datasets
 * @document ../README.md
 */
import * as transforms from './transforms.js';
import * as vision from './vision.js';

// Helpers the package uses itself (checkRoot, fileUrl(s), gluonRepoUrl, sha256Hex, isGzip,
// DEFAULT_MAX_OUTPUT_BYTES, cleanStaleTempFiles, LINE_ROWS, toBase64) are not exported here; the
// modules and their tests import them by module path.
export {
  DEFAULT_GLUON_REPO,
  dataDir,
  defaultRoot,
  fetchFile,
  findLocalFile,
  type LocatedFile,
  type LocateOptions,
  SYSTEM_DATASETS_DIR,
  UPSTREAM_MIRRORS,
} from './cache.js';
export { FASHION_MNIST_FILES, type FileSpec, MNIST_FILES, verifyIdxFile } from './checksum.js';
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
export { type DownloadOptions, downloadFile } from './download.js';
// SplitSpecs from its own module: re-exported through vision.ts, tsup's d.ts bundle declared it a
// value in the `vision` namespace (`declare const vision_SplitSpecs: typeof SplitSpecs`, TS2693).
export type { SplitSpecs } from './files.js';
export { gunzip } from './gzip.js';
export { encodeIdx, type IdxArray, type IdxDType, type IdxTypedArray, parseIdx } from './idx.js';
export { FASHION_MNIST_CLASSES, getFashionMnistLabels } from './labels.js';
export {
  ProgressBar,
  type ProgressBarOptions,
  type ProgressStream,
} from './progress.js';
export { Canvas, type Rgb, textWidth } from './raster.js';
export {
  encodePng,
  type ImageGridOptions,
  renderImageGrid,
  type ShowOptions,
  showFashionMnist,
} from './show.js';
export type { ComposableTransform, Transform } from './transforms.js';
export type { Loaded, VisionDatasetOptions } from './vision.js';
export { type ItemTransform, VisionArrays } from './vision-base.js';
export { transforms, vision };
