/**
 * d2l 3.5 Image Classification Data (Fashion-MNIST)
 *
 * "Dive into Deep Learning", MXNet edition, section 3.5, in the order of the book's Gluon code:
 * `gluon.data.vision.FashionMNIST(train=True/False)`, the sizes of both splits, the shape and dtype
 * of one image and its label, `get_fashion_mnist_labels` and `show_fashion_mnist` on the first 9
 * training images (written to `<out>/fashion-mnist-first-9.png`), then a `DataLoader` over
 * `transform_first(ToTensor())` with batch size 256 and the time it takes to read one epoch.
 *
 * Flags: `--out DIR` (default `out/`), `--batches N` (read only N batches), `--seed N`.
 */
import * as path from 'node:path';
import * as d2l from '@minimx/d2l';
import { DataLoader, transforms, vision } from '@minimx/datasets';
import { parseArgs } from './cli.js';

const args = parseArgs({ epochs: 1 });

// #region 3.5.1 Getting the data set
// `gdata.vision.FashionMNIST(train=True)` and `(train=False)` download the data on first use;
// `len()` of each gives 60000 and 10000.
const mnistTrain = await vision.FashionMNIST.load({ train: true });
const mnistTest = await vision.FashionMNIST.load({ train: false });

console.log(mnistTrain.length, mnistTest.length);
// #endregion

// #region Accessing one example
// `mnist_train[0]` is an (image, label) pair: the image is (28, 28, 1) uint8 (a NumPy array),
// the label the NumPy int32 2 (pullover). Here the label is a JS number, read from int32 storage.
const [feature, label] = mnistTrain.at(0);
console.log(feature.shape, feature.dtype);

console.log(label, typeof label, mnistTrain.labels.constructor.name);
// #endregion

// #region Text labels and a picture of the first 9 images
// `get_fashion_mnist_labels` maps 0..9 to the ten class names; `show_fashion_mnist` draws images
// with their labels in one row with matplotlib; `mnist_train[0:9]` gives the first 9 of each.
// Here the picture is written to a PNG file.
const [X, y] = mnistTrain.slice(0, 9);
const file = d2l.showFashionMnist(X, d2l.getFashionMnistLabels(y), {
  path: path.join(args.out, 'fashion-mnist-first-9.png'),
});
console.log(d2l.getFashionMnistLabels(y).join(', '));
console.log(`wrote ${file}`);
// #endregion

// #region 3.5.2 Reading a mini-batch
// `gdata.DataLoader` over `mnist_train.transform_first(ToTensor())` with batch size 256,
// `shuffle=True` and 4 worker processes (0 on Windows); the book times one pass over it.
const batchSize = 256;
const transformer = new transforms.ToTensor();
const numWorkers = 0; // batches are read in this thread
const trainIter = new DataLoader(mnistTrain.transformFirst(transformer), {
  batchSize,
  shuffle: true,
  numWorkers,
});
const testIter = new DataLoader(mnistTest.transformFirst(transformer), {
  batchSize,
  shuffle: false,
  numWorkers,
});

const start = performance.now();
let numBatches = 0;
for (const _batch of d2l.limited(trainIter)) numBatches++; // read each batch, do nothing with it
console.log(`${((performance.now() - start) / 1000).toFixed(2)} sec`);
console.log(`(${numBatches} of ${trainIter.length} training batches read; ${testIter.length} test batches)`);
// #endregion
