/**
 * The long-run check of issue 7: trains d2l's softmax regression from scratch (section 3.6, batch
 * 256, lr 0.1, on the real Fashion-MNIST) for 30 epochs by default and prints, after every epoch,
 * the usual `epoch N, loss ..., train acc ..., test acc ...` numbers followed by the process's
 * memory: resident set size, V8 heap in use and ArrayBuffer bytes (after `gc()` when node runs
 * with --expose-gc, so the heap numbers are what is really kept). It ends with a verdict that
 * compares the mean of epochs 3-5 with the mean of the last 3: memory is flat when RSS grew by
 * less than 32 MB and the heap by less than 8 MB; the exit code is 1 otherwise.
 *
 *     node --expose-gc --import tsx scripts/long-run.ts            # 30 epochs, ~10-20 minutes
 *     node --expose-gc --import tsx scripts/long-run.ts --epochs 8 --batches 50 --seed 1
 *
 * Flags are the examples' (`--epochs N`, `--seed N`, `--batches N`); run it from the repository root.
 */
import * as d2l from '@minimx/d2l';
import { autograd, type NDArray, nd } from '@minimx/ndarray';
import { parseArgs } from '../examples/cli.js';

const RSS_FLAT_MB = 32;
const HEAP_FLAT_MB = 8;

const args = parseArgs({ epochs: 30 });
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc)
  console.log('note: node was started without --expose-gc; heap numbers include garbage not yet collected');

const batchSize = 256;
const [trainIter, testIter] = await d2l.loadDataFashionMnist(batchSize);

const numInputs = 784;
const numOutputs = 10;
const W = nd.random.normal({ scale: 0.01, shape: [numInputs, numOutputs] });
const b = nd.zeros(numOutputs);
W.attachGrad();
b.attachGrad();

function softmax(X: NDArray): NDArray {
  const XExp = X.exp();
  return XExp.div(XExp.sum({ axis: 1, keepdims: true }));
}
const net = (X: NDArray) => softmax(nd.dot(X.reshape(-1, numInputs), W).add(b));
const crossEntropy = (yHat: NDArray, y: NDArray) => nd.pick(yHat, y).log().neg();

interface EpochMemory {
  rss: number;
  heapUsed: number;
  arrayBuffers: number;
}
const MB = 1024 * 1024;
const memory: EpochMemory[] = [];
const lr = 0.1;
const started = Date.now();

for (let epoch = 1; epoch <= args.epochs; epoch++) {
  let lossSum = 0;
  let accSum = 0;
  let n = 0;
  for (const [X, y] of trainIter) {
    const [yHat, l] = autograd.record(() => {
      const yHat = net(X);
      return [yHat, crossEntropy(yHat, y).sum()] as const;
    });
    l.backward();
    d2l.sgd([W, b], lr, batchSize);
    lossSum += l.asScalar();
    accSum += yHat.argmax({ axis: 1 }).equal(y.astype('float32')).sum().asScalar();
    n += y.size;
  }
  const testAcc = d2l.evaluateAccuracy(testIter, net);
  gc?.();
  const m = process.memoryUsage();
  memory.push({ rss: m.rss / MB, heapUsed: m.heapUsed / MB, arrayBuffers: m.arrayBuffers / MB });
  console.log(
    `epoch ${epoch}, loss ${(lossSum / n).toFixed(4)}, train acc ${(accSum / n).toFixed(3)}, test acc ${testAcc.toFixed(3)}, ` +
      `rss ${(m.rss / MB).toFixed(1)} MB, heapUsed ${(m.heapUsed / MB).toFixed(1)} MB, ` +
      `arrayBuffers ${(m.arrayBuffers / MB).toFixed(1)} MB, ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
}

const mean = (rows: EpochMemory[], key: keyof EpochMemory) =>
  rows.reduce((s, r) => s + r[key], 0) / rows.length;
if (memory.length < 8) {
  console.log(
    `verdict: too few epochs (${memory.length}) to compare epochs 3-5 with the last 3; run with --epochs 8 or more`,
  );
} else {
  const early = memory.slice(2, 5);
  const late = memory.slice(-3);
  const rssGrowth = mean(late, 'rss') - mean(early, 'rss');
  const heapGrowth = mean(late, 'heapUsed') - mean(early, 'heapUsed');
  const flat = rssGrowth < RSS_FLAT_MB && heapGrowth < HEAP_FLAT_MB;
  console.log(
    `verdict: memory is ${flat ? 'FLAT' : 'GROWING'}: from epochs 3-5 to epochs ${memory.length - 2}-${memory.length}, ` +
      `rss ${rssGrowth >= 0 ? '+' : ''}${rssGrowth.toFixed(1)} MB (limit ${RSS_FLAT_MB}), ` +
      `heapUsed ${heapGrowth >= 0 ? '+' : ''}${heapGrowth.toFixed(1)} MB (limit ${HEAP_FLAT_MB})`,
  );
  if (!flat) process.exitCode = 1;
}
