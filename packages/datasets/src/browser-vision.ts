/**
 * `vision` in a browser: `vision.transforms`, so `gluon.data.vision.transforms.ToTensor` reads as in
 * MXNet. `vision.FashionMNIST` / `vision.MNIST` read files and live in the Node entry only.
 */
export * as transforms from './transforms.js';
