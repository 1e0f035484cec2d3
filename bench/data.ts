/**
 * Fashion-MNIST in memory, as the benchmark needs it: images as one Float32Array (N x 784, scaled
 * to [0,1]) and labels as an Int32Array, read once from the gzipped IDX files of the Debian package
 * `dataset-fashion-mnist` (/usr/share/datasets/fashion-mnist) or `$FASHION_MNIST_DIR`.
 * A deliberately tiny IDX reader rather than `@minimx/datasets`' `vision.FashionMNIST`: every worker
 * (minimx, TF.js, and torch_bench.py's twin) loads the data the same way without loading any
 * framework's code, so memory and time differences are the frameworks'. `@minimx/datasets` itself
 * is measured by the DataLoader micro-benchmark (workers/loader-micro.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

/** Where the files are looked for unless `FASHION_MNIST_DIR` says otherwise. */
export const DEFAULT_FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/** Pixels per image. */
export const IMAGE_SIZE = 784;

/** One split: `count` images of 784 floats in [0,1] and their labels 0..9. */
export interface Split {
  images: Float32Array;
  labels: Int32Array;
  count: number;
}

/** Both splits of Fashion-MNIST. */
export interface FashionMnist {
  train: Split;
  test: Split;
}

const FILES = {
  trainImages: 'train-images-idx3-ubyte.gz',
  trainLabels: 'train-labels-idx1-ubyte.gz',
  testImages: 't10k-images-idx3-ubyte.gz',
  testLabels: 't10k-labels-idx1-ubyte.gz',
} as const;

/** The directory holding the four files. */
export function fashionMnistDir(): string {
  return process.env.FASHION_MNIST_DIR ?? DEFAULT_FASHION_MNIST_DIR;
}

/** Whether all four files are present (the smoke test skips itself otherwise). */
export function fashionMnistAvailable(dir = fashionMnistDir()): boolean {
  return Object.values(FILES).every((f) => existsSync(path.join(dir, f)));
}

/** Reads a gzipped IDX file of uint8 elements and checks its header (magic, rank, length). */
function readIdxUint8(file: string, rank: number): { dims: number[]; bytes: Uint8Array } {
  const raw = gunzipSync(readFileSync(file));
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  if (raw.byteLength < 4 + 4 * rank || view.getUint16(0) !== 0 || raw[2] !== 0x08 || raw[3] !== rank) {
    throw new Error(`${file}: not a uint8 IDX file of rank ${rank}`);
  }
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  const offset = 4 + 4 * rank;
  const expected = dims.reduce((a, b) => a * b, 1);
  if (raw.byteLength - offset !== expected) {
    throw new Error(
      `${file}: header says ${dims.join('x')} = ${expected} bytes, found ${raw.byteLength - offset}`,
    );
  }
  return { dims, bytes: raw.subarray(offset) };
}

function readSplit(dir: string, imagesFile: string, labelsFile: string): Split {
  const images = readIdxUint8(path.join(dir, imagesFile), 3);
  const labels = readIdxUint8(path.join(dir, labelsFile), 1);
  const count = images.dims[0];
  if (labels.dims[0] !== count || images.dims[1] * images.dims[2] !== IMAGE_SIZE) {
    throw new Error(
      `${dir}: ${imagesFile} (${images.dims.join('x')}) does not match ${labelsFile} (${labels.dims[0]})`,
    );
  }
  const scaled = new Float32Array(count * IMAGE_SIZE);
  for (let i = 0; i < scaled.length; i++) scaled[i] = images.bytes[i] / 255;
  return { images: scaled, labels: Int32Array.from(labels.bytes), count };
}

/**
 * Loads both splits into memory (about 220 MB of float32).
 * @example const { train, test } = loadFashionMnist(); train.count // 60000
 */
export function loadFashionMnist(dir = fashionMnistDir()): FashionMnist {
  if (!fashionMnistAvailable(dir)) {
    throw new Error(
      `Fashion-MNIST not found in ${dir}: install the Debian package dataset-fashion-mnist or set FASHION_MNIST_DIR`,
    );
  }
  return {
    train: readSplit(dir, FILES.trainImages, FILES.trainLabels),
    test: readSplit(dir, FILES.testImages, FILES.testLabels),
  };
}
