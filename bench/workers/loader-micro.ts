/**
 * Micro-benchmark worker for `@minimx/datasets`: one epoch of d2l's training iterator,
 * `DataLoader(FashionMNIST(train=True).transform_first(ToTensor()), 256, shuffle=True)`, reading
 * every batch's X (256,1,28,28) float32 and y (256,) int32. Usage: `tsx workers/loader-micro.ts`.
 */

import { DataLoader, transforms, vision } from '@minimx/datasets';
import { getBackend } from '@minimx/ndarray';
import { emit } from '../protocol.js';
import { BATCH_SIZE } from '../training.js';

const dataset = new vision.FashionMNIST({ train: true }).transformFirst(new transforms.ToTensor());
const loader = new DataLoader(dataset, { batchSize: BATCH_SIZE, shuffle: true });
let batches = 0;
let checksum = 0;
const start = performance.now();
for (const [X, y] of loader) {
  checksum += X.data[0] + y.data[0];
  batches++;
}
const seconds = (performance.now() - start) / 1000;
if (!Number.isFinite(checksum)) throw new Error('loader-micro: batches hold non-finite values');
emit({ kind: 'loader', framework: 'minimx', backend: getBackend(), batchSize: BATCH_SIZE, seconds, batches });
