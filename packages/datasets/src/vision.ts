/**
 * The vision data sets of the book, Gluon's `gluon.data.vision.MNIST` and `FashionMNIST`: 60000
 * training / 10000 test images of 28x28 grey pixels, item `i` is `[image uint8 (28,28,1), label]`.
 * The constructor is synchronous and reads a verified local copy (the cache, then the system copy
 * from Debian's `dataset-fashion-mnist`); the async `load` also downloads into the cache when no
 * local copy is good. Both splits share one code path; MNIST differs only in names and digests.
 */
import * as path from 'node:path';
import {
  checkRoot,
  defaultRoot,
  fetchFile,
  fileUrls,
  findLocalFile,
  type LocatedFile,
  type LocateOptions,
  SYSTEM_DATASETS_DIR,
} from './cache.js';
import { FASHION_MNIST_FILES, type FileSpec, MNIST_FILES } from './checksum.js';
import { folderFileUrl, type SplitSpecs } from './files.js';
import { type ItemTransform, VisionArrays } from './vision-base.js';

/** Gluon's `gluon.data.vision.transforms` (ToTensor, Resize, Compose, ...), as the book reaches them. */
export * as transforms from './transforms.js';

/** Options of {@link MNIST} and {@link FashionMNIST}. */
export interface VisionDatasetOptions extends LocateOptions {
  /** The training split (default `true`) or the test split (`false`). */
  train?: boolean;
  /**
   * A function of `(data, label)` returning the transformed `[data, label]` for each item, as in
   * Gluon. Prefer `dataset.transformFirst(...)`, which keeps `DataLoader`'s fast path.
   */
  transform?: ItemTransform;
}

/** Where a split's images and labels were found (cache, system copy or download). */
export interface Loaded {
  /** The images file. */
  images: LocatedFile;
  /** The labels file. */
  labels: LocatedFile;
}

/**
 * The MNIST handwritten digits: 60000 training and 10000 test items `[image uint8 (28,28,1),
 * label]` with labels 0..9. Reads a verified local copy synchronously; use `await MNIST.load(...)`
 * to download it when there is none. MNIST files must have the `.gz` SHA-1s MXNet publishes (see
 * `MNIST_FILES`).
 *
 * MXNet counterpart: `mxnet.gluon.data.vision.MNIST(root='~/.mxnet/datasets/mnist', train=True, transform=None)`.
 *
 * @example
 * ```ts
 * const mnistTrain = await vision.MNIST.load({ train: true });
 * const [image, label] = mnistTrain.at(0);
 * ```
 */
export class MNIST extends VisionArrays {
  /** The folder name under `datasets/`, in the mirror, and under `/usr/share/datasets`. */
  static readonly namespace: string = 'mnist';
  /** The four files and how to verify them. */
  static readonly files: SplitSpecs = MNIST_FILES;

  /** The cache folder searched first and downloaded into. */
  readonly root: string;
  /** Where the image and label files were read from, and from which source. */
  readonly sources: {
    /** The image file's path. */
    images: string;
    /** The label file's path. */
    labels: string;
    /** Where each came from: `'cache'`, `'system'` or `'download'`. */
    from: LocatedFile['source'][];
  };

  /**
   * Reads the split from the cache folder or the system copy (no network). Throws an error that
   * names the folders searched and how to download when neither has a good copy.
   */
  constructor(options: VisionDatasetOptions = {}, loaded?: Loaded) {
    const cls = new.target as typeof MNIST;
    const what = cls.name;
    if (options === null || typeof options !== 'object') {
      throw new TypeError(`${what}: options must be an object like { train: true }, got ${String(options)}`);
    }
    const train = options.train ?? true;
    if (typeof train !== 'boolean')
      throw new TypeError(`${what}: train must be true or false, got ${String(train)}`);
    if (options.transform !== undefined && typeof options.transform !== 'function') {
      throw new TypeError(`${what}: transform must be a function of (data, label)`);
    }
    const root = checkRoot(options.root ?? defaultRoot(cls.namespace), what);
    const files = splitFiles(cls, train);
    const opts = { ...options, root };
    const found = loaded ?? {
      images: findLocalFile(cls.namespace, files.images, opts) ?? missing(cls, files.images, opts),
      labels: findLocalFile(cls.namespace, files.labels, opts) ?? missing(cls, files.labels, opts),
    };
    super(
      train,
      { ...found.images.idx, from: found.images.path },
      { ...found.labels.idx, from: found.labels.path },
      options.transform,
      what,
    );
    this.root = root;
    this.sources = {
      images: found.images.path,
      labels: found.labels.path,
      from: [found.images.source, found.labels.source],
    };
  }

  /**
   * Loads the split, downloading missing files into the cache (`root`) from the mirror
   * (`$MINIMX_GLUON_REPO`) when neither the cache nor the system copy has a good one.
   *
   * MXNet counterpart: the `MNIST(...)` constructor, which downloads as needed.
   *
   * @example
   * ```ts
   * const mnistTest = await vision.MNIST.load({ train: false });
   * mnistTest.length; // 10000
   * ```
   */
  static async load(options: VisionDatasetOptions = {}): Promise<MNIST> {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the subclass load was called on
    return loadAs(this, options);
  }

  /**
   * Makes sure both splits (or one, with `train`) are available locally, downloading what is
   * missing; returns the paths of the verified files.
   *
   * MXNet counterpart: none (Gluon downloads inside the constructor).
   *
   * @example
   * ```ts
   * await vision.FashionMNIST.download(); // then `new vision.FashionMNIST(...)` works offline
   * ```
   */
  static async download(options: LocateOptions & { train?: boolean } = {}): Promise<string[]> {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the subclass download was called on
    return downloadSplits(this, options);
  }
}

/**
 * Fashion-MNIST, Zalando's images of clothing: 60000 training and 10000 test items
 * `[image uint8 (28,28,1), label]` with labels 0..9 (see {@link getFashionMnistLabels}). The first
 * training item depends on the copy: 9 (ankle boot) in the upstream files and Debian's package,
 * 2 (pullover) in MXNet's mirror, which orders the training set differently. The constructor reads a verified local copy synchronously
 * (`$MINIMX_HOME/datasets/fashion-mnist`, then `/usr/share/datasets/fashion-mnist`); use
 * `await FashionMNIST.load(...)` to also download it when neither has one.
 *
 * MXNet counterpart: `mxnet.gluon.data.vision.FashionMNIST(root='~/.mxnet/datasets/fashion-mnist', train=True, transform=None)`.
 *
 * @example
 * ```ts
 * const mnistTrain = new vision.FashionMNIST({ train: true });
 * const mnistTest = new vision.FashionMNIST({ train: false });
 * mnistTrain.length; // 60000
 * const [feature, label] = mnistTrain.at(0); // feature: (28,28,1) uint8, label: 9 (upstream copy)
 * ```
 */
export class FashionMNIST extends MNIST {
  static override readonly namespace: string = 'fashion-mnist';
  static override readonly files: SplitSpecs = FASHION_MNIST_FILES;

  /**
   * Loads the split, downloading missing files into the cache when needed (see {@link MNIST.load}).
   *
   * MXNet counterpart: `gluon.data.vision.FashionMNIST(train=...)`, which downloads as needed.
   *
   * @example
   * ```ts
   * const mnistTrain = await vision.FashionMNIST.load({ train: true });
   * ```
   */
  static override async load(options: VisionDatasetOptions = {}): Promise<FashionMNIST> {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the subclass load was called on
    return loadAs(this, options);
  }
}

function splitFiles(cls: typeof MNIST, train: boolean) {
  return train
    ? { images: cls.files.trainImages, labels: cls.files.trainLabels }
    : { images: cls.files.testImages, labels: cls.files.testLabels };
}

async function downloadSplits(
  cls: typeof MNIST,
  options: LocateOptions & { train?: boolean },
): Promise<string[]> {
  const splits = options.train === undefined ? [true, false] : [options.train];
  const root = checkRoot(options.root ?? defaultRoot(cls.namespace), cls.name);
  const paths: string[] = [];
  for (const train of splits) {
    const files = splitFiles(cls, train);
    for (const spec of [files.images, files.labels]) {
      paths.push((await fetchFile(cls.namespace, spec, { ...options, root })).path);
    }
  }
  return paths;
}

async function loadAs<C extends typeof MNIST>(
  cls: C,
  options: VisionDatasetOptions,
): Promise<InstanceType<C>> {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`${cls.name}.load: options must be an object like { train: true }`);
  }
  const root = checkRoot(options.root ?? defaultRoot(cls.namespace), cls.name);
  const files = splitFiles(cls, options.train ?? true);
  const opts = { ...options, root };
  const images = await fetchFile(cls.namespace, files.images, opts);
  const labels = await fetchFile(cls.namespace, files.labels, opts);
  return new cls(opts, { images, labels }) as InstanceType<C>;
}

function missing(cls: typeof MNIST, spec: FileSpec, options: LocateOptions & { root: string }): never {
  const systemDirs = options.systemDirs ?? [path.join(SYSTEM_DATASETS_DIR, cls.namespace)];
  const train = spec === cls.files.trainImages || spec === cls.files.trainLabels;
  throw new Error(
    `${cls.name}: no good copy of ${spec.name} in ${[options.root, ...systemDirs].join(' or ')}. ` +
      `Download it into ${options.root} with \`await vision.${cls.name}.load({ train: ${train} })\` ` +
      `(async; from ${options.url !== undefined ? folderFileUrl(options.url, spec.name) : fileUrls(cls.namespace, spec.name, options.repoUrl)[0]}; set MINIMX_GLUON_REPO to use another mirror)` +
      (cls.namespace === 'fashion-mnist' ? ", or install Debian's dataset-fashion-mnist package" : '') +
      '.',
  );
}
