/**
 * The demo's training, in a Web Worker so the page stays responsive: loads Fashion-MNIST with
 * `vision.FashionMNIST.load({ url })` (the browser entry of @minimx/datasets: fetch, then
 * DecompressionStream and crypto.subtle checks), builds the chosen model (models.ts), and trains it
 * with the book's loop (`autograd.record`, `backward`, `trainer.step(batchSize)`). After every
 * batch it posts the loss and accuracy; every few batches it measures the accuracy on 1,000 test
 * images and posts the predictions for the images the page shows. It yields to its message queue
 * between batches, so a Stop message is seen at once.
 */

import { DataLoader, transforms, vision } from '@minimx/datasets';
import { autograd, getBackend, type NDArray, nd, random } from '@minimx/ndarray';
import { gluon } from '@minimx/nn';
import { buildModel, type ModelName } from './models.js';
import type { FromWorker, StartMessage, ToWorker } from './protocol.js';

const post = (message: FromWorker, transfer: Transferable[] = []) =>
  (self as unknown as Worker).postMessage(message, transfer);

let stopRequested = false;
type Split = InstanceType<typeof vision.FashionMNIST>;
const cache = new Map<string, Promise<[Split, Split]>>();

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  if (message.type === 'stop') stopRequested = true;
  else if (message.type === 'start') {
    stopRequested = false;
    train(message).catch((err: Error) => post({ type: 'error', message: String(err?.message ?? err) }));
  }
};

/** Both splits, fetched once per data URL (the next run reuses them). */
function loadData(url: string): Promise<[Split, Split]> {
  let data = cache.get(url);
  if (data === undefined) {
    // `onProgress` is an option of the browser entry's load, which the bundle uses; this file is
    // type-checked against the Node entry, whose load has no such option, hence the variable.
    const options = (train: boolean) => ({
      train,
      url,
      onProgress: (p: { file: string; received: number; total?: number }) =>
        post({ type: 'progress', file: p.file, received: p.received, total: p.total }),
    });
    data = Promise.all([vision.FashionMNIST.load(options(true)), vision.FashionMNIST.load(options(false))]);
    data.catch(() => cache.delete(url));
    cache.set(url, data);
  }
  return data;
}

const yieldToMessages = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function countCorrect(logits: NDArray, y: NDArray): number {
  const pred = logits.argmax({ axis: 1 }).data;
  const truth = y.data;
  let n = 0;
  for (let i = 0; i < truth.length; i++) if (pred[i] === truth[i]) n++;
  return n;
}

async function train(options: StartMessage) {
  post({ type: 'status', text: 'Loading Fashion-MNIST…', backend: getBackend() });
  const [mnistTrain, mnistTest] = await loadData(options.dataUrl);
  random.seed(options.seed);
  const toTensor = new transforms.ToTensor();
  const trainIter = new DataLoader(mnistTrain.transformFirst(toTensor), {
    batchSize: options.batchSize,
    shuffle: true,
  });
  // A fixed sample of 1,000 test images for the running test accuracy, and the first `shown` of them for the grid.
  const [evalImages, evalLabels] = mnistTest.slice(0, 1000);
  const evalX = toTensor.forwardBatch(evalImages);
  const shown = options.shown;
  const shownPixels = evalImages.data.slice(0, shown * 28 * 28) as Uint8Array;
  const shownLabels = Array.from(evalLabels.data.slice(0, shown));
  post({ type: 'testImages', pixels: shownPixels, labels: shownLabels });

  const { net, learningRate } = buildModel(options.model as ModelName);
  const trainer = new gluon.Trainer(net.collectParams(), 'sgd', {
    learningRate: options.learningRate ?? learningRate,
  });
  const lossFn = new gluon.loss.SoftmaxCrossEntropyLoss();
  const evaluate = (step: number, epoch: number) => {
    const logits = net(evalX);
    const pred = Array.from(logits.argmax({ axis: 1 }).data.slice(0, shown));
    post({
      type: 'eval',
      step,
      epoch,
      testAcc: countCorrect(logits, evalLabels) / evalLabels.shape[0],
      predictions: pred,
    });
  };

  const batchesPerEpoch = trainIter.length;
  const total = Math.min(options.maxBatches ?? Number.POSITIVE_INFINITY, options.epochs * batchesPerEpoch);
  post({
    type: 'started',
    totalBatches: total,
    batchesPerEpoch,
    backend: getBackend(),
    model: options.model,
  });
  let step = 0;
  const t0 = performance.now();
  outer: for (let epoch = 1; epoch <= options.epochs; epoch++) {
    for (const [X, y] of trainIter) {
      if (stopRequested || step >= total) break outer;
      let logits: NDArray | undefined;
      const l = autograd.record(() => {
        logits = net(X);
        return lossFn(logits, y);
      });
      l.backward();
      trainer.step(options.batchSize);
      step++;
      post({
        type: 'batch',
        step,
        epoch: epoch - 1 + (step - (epoch - 1) * batchesPerEpoch) / batchesPerEpoch,
        loss: nd.mean(l).asScalar(),
        acc: countCorrect(logits!, y) / y.shape[0],
        msPerBatch: (performance.now() - t0) / step,
      });
      if (step % options.evalEvery === 0) evaluate(step, epoch);
      await yieldToMessages();
    }
  }
  if (step % options.evalEvery !== 0) evaluate(step, Math.ceil(step / batchesPerEpoch));
  post({ type: 'done', steps: step, stopped: stopRequested });
}
