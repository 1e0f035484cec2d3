/**
 * `vision` in a browser: `vision.FashionMNIST` / `vision.MNIST` fetched from a URL or made from
 * bytes (fetch-vision.ts: `fetch`, `DecompressionStream`, `crypto.subtle`), and
 * `vision.transforms`, so `gluon.data.vision.transforms.ToTensor` reads as in MXNet.
 */
export {
  FashionMNIST,
  type FetchedFile,
  type FetchProgress,
  type FetchVisionOptions,
  MNIST,
  verifyIdxBytes,
} from './fetch-vision.js';
export * as transforms from './transforms.js';
