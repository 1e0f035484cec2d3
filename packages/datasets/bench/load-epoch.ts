/**
 * Benchmark: load both Fashion-MNIST splits (cache or Debian's system copy; decompress, verify,
 * parse) and iterate one epoch of DataLoader batches (batch 256, shuffle, ToTensor) over each.
 * Run: `npx tsx packages/datasets/bench/load-epoch.ts`. Reports times; asserts nothing.
 * Optional: `--figure out/first-9.png` also writes d2l's "first 9 training images" picture.
 */
import { DataLoader, getFashionMnistLabels, showFashionMnist, transforms, vision } from '../src/index.js';

const ms = (t0: number) => `${(performance.now() - t0).toFixed(0)} ms`;

let t0 = performance.now();
const mnistTrain = new vision.FashionMNIST({ train: true });
console.log(`load train (${mnistTrain.length} items, from ${mnistTrain.sources.from.join('/')}): ${ms(t0)}`);
t0 = performance.now();
const mnistTest = new vision.FashionMNIST({ train: false });
console.log(`load test  (${mnistTest.length} items): ${ms(t0)}`);

const toTensor = new transforms.ToTensor();
for (const [name, ds, shuffle] of [
  ['train', mnistTrain, true],
  ['test', mnistTest, false],
] as const) {
  const loader = new DataLoader(ds.transformFirst(toTensor), { batchSize: 256, shuffle });
  for (let epoch = 1; epoch <= 3; epoch++) {
    t0 = performance.now();
    let batches = 0;
    let samples = 0;
    let checksum = 0;
    for (const [X, y] of loader) {
      batches++;
      samples += y.shape[0];
      checksum += X.data[0] as number;
    }
    console.log(
      `one epoch over ${name} (${batches} batches, ${samples} samples, ToTensor${shuffle ? ', shuffled' : ''}), ` +
        `run ${epoch}: ${ms(t0)}${checksum < 0 ? '' : ''}`,
    );
  }
}

// The per-item path (what a user-defined transform function gets), for comparison.
t0 = performance.now();
let n = 0;
const perItem = new DataLoader(
  mnistTrain.transformFirst((x) => toTensor.forward(x)),
  { batchSize: 256, shuffle: true },
);
for (const [, y] of perItem) n += y.shape[0];
console.log(`one epoch over train, per-item path (a plain transform function): ${ms(t0)} (${n} samples)`);

const fig = process.argv.indexOf('--figure');
if (fig >= 0) {
  const [X, y] = mnistTrain.slice(0, 9);
  console.log(
    `wrote ${showFashionMnist(X, getFashionMnistLabels(y), { path: process.argv[fig + 1] ?? 'first-9.png' })}`,
  );
}
