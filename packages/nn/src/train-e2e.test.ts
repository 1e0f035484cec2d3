import { autograd, nd } from '@minimx/ndarray';
import { expect, it } from 'vitest';
import { loss as gloss, init, nn, Trainer } from './index.js';

// The seed code, on a synthetic 3-class problem (three Gaussian blobs in 4-D).
it('the seed code trains a 3-class softmax regression to > 90% accuracy', () => {
  nd.random.seed(7);
  nn.resetNameCounters();
  const n = 600;
  const centers = [
    [2, 0, 0, 1],
    [-2, 1, 0, -1],
    [0, -2, 2, 0],
  ];
  const labels = nd.random.randint(0, 3, { shape: [n] });
  const noise = nd.random.normal({ shape: [n, 4] });
  const X = nd.zeros([n, 4]);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < 4; j++) X.data[i * 4 + j] = centers[labels.data[i]][j] + noise.data[i * 4 + j];

  const net = new nn.Sequential();
  net.add(new nn.Dense(3));
  net.initialize(new init.Normal({ sigma: 0.01 }));
  const loss = new gloss.SoftmaxCrossEntropyLoss();
  const trainer = new Trainer(net.collectParams(), 'sgd', { learningRate: 0.1 });
  const batchSize = 64;
  for (let epoch = 0; epoch < 5; epoch++) {
    for (let start = 0; start < n; start += batchSize) {
      const end = Math.min(n, start + batchSize);
      const Xb = nd.fromTypedArray(X.data.slice(start * 4, end * 4), [end - start, 4]);
      const yb = nd.fromTypedArray(labels.data.slice(start, end), [end - start]);
      const l = autograd.record(() => loss.forward(net.forward(Xb), yb));
      l.backward();
      trainer.step(batchSize);
    }
  }
  const acc = net.forward(X).argmax({ axis: 1 }).equal(labels).mean().asScalar();
  expect(acc).toBeGreaterThan(0.9);
});
