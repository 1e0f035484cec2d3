/**
 * `loadDataFashionMnist` for browsers (the `browser` entry of @minimx/d2l): the same two
 * `DataLoader`s as in Node (images ToTensor'd, resized batch by batch when asked; the training set
 * shuffled), over @minimx/datasets' browser `vision.FashionMNIST.load`, which fetches the files
 * from `url` (a folder) or `repoUrl` (a Gluon-style mirror) and checks them with
 * `DecompressionStream` and `crypto.subtle`. No file system, no cache: the `root` of the Node
 * helper has no meaning here and is refused.
 */
import { DataLoader, transforms, vision } from '@minimx/datasets';
import { type DataIter, limited } from './data.js';

/** Progress of one file's download (@minimx/datasets' browser `vision.FetchProgress`). */
export interface LoadDataProgress {
  /** The file's name, e.g. `train-images-idx3-ubyte.gz`. */
  file: string;
  /** The URL being fetched. */
  url: string;
  /** Bytes received so far. */
  received: number;
  /** The Content-Length, when the server sent one. */
  total?: number;
}

/** Options of the browser {@link loadDataFashionMnist}: Python's keyword arguments, and where the files are. */
export interface BrowserLoadDataOptions {
  /** Resize the 28x28 images to this size first (Gluon's `transforms.Resize`), batch by batch. */
  resize?: number;
  /**
   * The URL of a folder holding the four `*-ubyte.gz` files (`<url><file name>`), relative to the
   * page if relative; the server must be the page's origin or send CORS headers.
   */
  url?: string;
  /**
   * Base URL of a Gluon-style mirror (`<repoUrl>gluon/dataset/fashion-mnist/<file name>`). Without
   * `url` or `repoUrl`: @minimx/datasets' default mirrors (which must allow the page's origin).
   */
  repoUrl?: string;
  /** The `fetch` to use (default: the global one). */
  fetch?: (url: string, init: { signal?: AbortSignal }) => Promise<Response>;
  /** Aborts the downloads. */
  signal?: AbortSignal;
  /** Called as bytes arrive, for a loading bar. */
  onProgress?: (progress: LoadDataProgress) => void;
}

// #region loadDataFashionMnist (browser)
/**
 * Fashion-MNIST in a browser as two mini-batch iterators, `[trainIter, testIter]`: the two splits
 * are fetched (from `url`, `repoUrl` or the default mirrors) and verified, then read as the Node
 * helper reads them: images ToTensor'd (and resized if asked) to float32 (batch,1,28,28) in [0,1],
 * labels int32, the training set shuffled each epoch, the test set in order, capped by
 * `limitBatches`. Async: it resolves once both splits are in memory. The Node entry's
 * {@link "@minimx/d2l"!loadDataFashionMnist | d2l.loadDataFashionMnist} reads a cache folder
 * (`root`) instead, downloading what is missing.
 * d2l 3.6: `d2l.load_data_fashion_mnist(batch_size, resize=None)`.
 * @example
 * import * as d2l from '@minimx/d2l'; // the browser entry, in a page bundled by esbuild, webpack or Vite
 * const [trainIter, testIter] = await d2l.loadDataFashionMnist(256, { url: '/data/fashion-mnist/' });
 */
export async function loadDataFashionMnist(
  batchSize: number,
  options: BrowserLoadDataOptions = {},
): Promise<[DataIter, DataIter]> {
  if (options === null || typeof options !== 'object') {
    throw new TypeError('loadDataFashionMnist: options must be an object ({ resize, url, repoUrl })');
  }
  const { resize, ...fetchOptions } = options;
  if ('root' in fetchOptions) {
    throw new TypeError(
      'loadDataFashionMnist: a browser has no cache folder (root); give the URL of the files as { url } or { repoUrl }',
    );
  }
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`loadDataFashionMnist: batchSize must be a positive integer, got ${batchSize}`);
  }
  const transformer: transforms.Transform[] = [];
  if (resize) transformer.push(new transforms.Resize(resize));
  transformer.push(new transforms.ToTensor());
  const composed = new transforms.Compose(transformer);
  const [mnistTrain, mnistTest] = await Promise.all([
    vision.FashionMNIST.load({ ...fetchOptions, train: true }),
    vision.FashionMNIST.load({ ...fetchOptions, train: false }),
  ]);
  const trainIter = new DataLoader(mnistTrain.transformFirst(composed), { batchSize, shuffle: true });
  const testIter = new DataLoader(mnistTest.transformFirst(composed), { batchSize, shuffle: false });
  return [limited(trainIter) as DataIter, limited(testIter) as DataIter];
}
// #endregion
