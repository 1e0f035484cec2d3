/**
 * Micro-benchmark worker for `@minimx/datasets`: an epoch of d2l's training iterator,
 * `DataLoader(FashionMNIST(train=True).transform_first(ToTensor()), 256, shuffle=True)`, reading
 * every batch's X (256,1,28,28) float32 and y (256,) int32. By default it times one warm-up epoch
 * and then three, and emits the median (wall clock) for the bench report.
 * `--compare [--rounds N]` instead prints CPU seconds per epoch (process.cpuUsage, so other jobs on
 * the machine count less), median and range over N rounds (default 9) that interleave: the bench's
 * own batch assembly (row copies of a Float32Array scaled once, `training.ts`), row copies that
 * scale the uint8 pixels by 1/255 as they go, and DataLoader with ToTensor, with
 * Compose([ToTensor, Normalize]) and without a transform.
 * Usage: `tsx workers/loader-micro.ts [--compare] [--rounds N]`.
 */

import { DataLoader, type Dataset, transforms, vision } from '@minimx/datasets';
import { getBackend, type NDArray, nd } from '@minimx/ndarray';
import { emit } from '../protocol.js';
import { BATCH_SIZE } from '../training.js';

const train = new vision.FashionMNIST({ train: true });
const ROW = 28 * 28;

/** One epoch through a DataLoader; returns a checksum so that no batch goes unread. */
function loaderEpoch(dataset: Dataset<unknown>): number {
  let checksum = 0;
  for (const batch of new DataLoader(dataset, { batchSize: BATCH_SIZE, shuffle: true })) {
    const [X, y] = batch as [NDArray, NDArray];
    checksum += (X.data[0] as number) + (y.data[0] as number);
  }
  return checksum;
}

/** One epoch of shuffled batches assembled by row copies from `images` (either array type). */
function copyEpoch(images: Float32Array | Uint8Array): number {
  const order = nd.random.shuffleIndices(train.length);
  const labels = train.labels;
  let checksum = 0;
  for (let start = 0; start < order.length; start += BATCH_SIZE) {
    const count = Math.min(BATCH_SIZE, order.length - start);
    const X = new Float32Array(count * ROW);
    const y = new Int32Array(count);
    for (let k = 0; k < count; k++) {
      const row = order[start + k];
      if (images instanceof Float32Array) {
        X.set(images.subarray(row * ROW, (row + 1) * ROW), k * ROW);
      } else {
        const base = row * ROW;
        const o = k * ROW;
        for (let j = 0; j < ROW; j++) X[o + j] = images[base + j] / 255;
      }
      y[k] = labels[row];
    }
    checksum += X[0] + y[0];
  }
  return checksum;
}

const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

function compare(rounds: number): void {
  const scaled = Float32Array.from(train.images, (v) => v / 255);
  const toTensor = train.transformFirst(new transforms.ToTensor());
  const normalized = train.transformFirst(
    new transforms.Compose([new transforms.ToTensor(), new transforms.Normalize(0.286, 0.353)]),
  );
  const cases: [string, () => number][] = [
    ['row copies of a scaled Float32Array (the bench)', () => copyEpoch(scaled)],
    ['row copies of uint8 pixels, each divided by 255', () => copyEpoch(train.images)],
    ['DataLoader, transformFirst(ToTensor())', () => loaderEpoch(toTensor as Dataset<unknown>)],
    [
      'DataLoader, transformFirst(Compose([ToTensor(), Normalize()]))',
      () => loaderEpoch(normalized as Dataset<unknown>),
    ],
    ['DataLoader, no transform (uint8 batches)', () => loaderEpoch(train as Dataset<unknown>)],
  ];
  const times = cases.map(() => [] as number[]);
  for (const [, run] of cases) run(); // warm-up
  for (let r = 0; r < rounds; r++) {
    cases.forEach(([, run], i) => {
      const t0 = cpuSeconds();
      if (!Number.isFinite(run())) throw new Error('loader-micro: batches hold non-finite values');
      times[i].push(cpuSeconds() - t0);
    });
  }
  const base = median(times[0]);
  console.log(
    `CPU s per epoch of ${train.length} images, batch ${BATCH_SIZE}, shuffled; ${rounds} interleaved rounds`,
  );
  console.log('| batches from | median | range | / the bench |');
  console.log('|---|---:|---:|---:|');
  cases.forEach(([label], i) => {
    const m = median(times[i]);
    const lo = Math.min(...times[i]).toFixed(3);
    const hi = Math.max(...times[i]).toFixed(3);
    console.log(`| ${label} | ${m.toFixed(3)} | ${lo}-${hi} | ${(m / base).toFixed(2)} |`);
  });
}

const args = process.argv.slice(2);
if (args.includes('--compare')) {
  const at = args.indexOf('--rounds');
  const rounds = at >= 0 ? Number(args[at + 1]) : 9;
  if (!(Number.isInteger(rounds) && rounds > 0))
    throw new Error('loader-micro: --rounds needs a positive integer');
  compare(rounds);
} else {
  const dataset = train.transformFirst(new transforms.ToTensor()) as Dataset<unknown>;
  loaderEpoch(dataset); // warm-up: JIT, the kernel's WebAssembly module
  const seconds: number[] = [];
  for (let r = 0; r < 3; r++) {
    const start = performance.now();
    if (!Number.isFinite(loaderEpoch(dataset)))
      throw new Error('loader-micro: batches hold non-finite values');
    seconds.push((performance.now() - start) / 1000);
  }
  const batches = new DataLoader(dataset, { batchSize: BATCH_SIZE, shuffle: true }).length;
  emit({
    kind: 'loader',
    framework: 'minimx',
    backend: getBackend(),
    batchSize: BATCH_SIZE,
    seconds: median(seconds),
    batches,
  });
}
