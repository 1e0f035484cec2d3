/**
 * The demo's three models, as the book builds them in Gluon: softmax regression (d2l 3.7), the
 * multilayer perceptron (3.10) and LeNet (5.5), each with its learning rate and the minimx code
 * the page shows next to the chart. LeNet here uses ReLU where the book uses sigmoid: the sigmoid
 * LeNet sits at chance for most of its first epoch (the book's epoch 1: train acc 0.102), which
 * in a demo of a few hundred batches looks like nothing is happening; with ReLU, learning rate
 * 0.05 (0.1 spiked back to chance after 30 batches in a trial run).
 */
import { init, nn } from '@minimx/nn';

export type ModelName = 'softmax' | 'mlp' | 'lenet';

/** What the page shows about each model. */
export const MODELS: Record<ModelName, { title: string; learningRate: number; code: string }> = {
  softmax: {
    title: 'Softmax regression',
    learningRate: 0.1,
    code: `const net = new nn.Sequential();
net.add(new nn.Dense(10));
net.initialize(new init.Normal({ sigma: 0.01 }));
// d2l 3.7 · SGD, learning rate 0.1`,
  },
  mlp: {
    title: 'Multilayer perceptron',
    learningRate: 0.5,
    code: `const net = new nn.Sequential();
net.add(new nn.Dense(256, { activation: 'relu' }),
        new nn.Dense(10));
net.initialize(new init.Normal({ sigma: 0.01 }));
// d2l 3.10 · SGD, learning rate 0.5`,
  },
  lenet: {
    title: 'LeNet',
    learningRate: 0.05,
    code: `const net = new nn.Sequential();
net.add(new nn.Conv2D(6, { kernelSize: 5, activation: 'relu' }),
        new nn.MaxPool2D({ poolSize: 2, strides: 2 }),
        new nn.Conv2D(16, { kernelSize: 5, activation: 'relu' }),
        new nn.MaxPool2D({ poolSize: 2, strides: 2 }),
        new nn.Dense(120, { activation: 'relu' }),
        new nn.Dense(84, { activation: 'relu' }),
        new nn.Dense(10));
net.initialize(new init.Xavier());
// d2l 5.5 with ReLU for sigmoid · SGD, learning rate 0.05`,
  },
};

/**
 * A fresh, initialized model and its default learning rate.
 * @example const { net, learningRate } = buildModel('mlp');
 */
export function buildModel(name: ModelName): { net: nn.Sequential; learningRate: number } {
  const net = new nn.Sequential();
  if (name === 'softmax') {
    net.add(new nn.Dense(10));
    net.initialize(new init.Normal({ sigma: 0.01 }));
  } else if (name === 'mlp') {
    net.add(new nn.Dense(256, { activation: 'relu' }), new nn.Dense(10));
    net.initialize(new init.Normal({ sigma: 0.01 }));
  } else if (name === 'lenet') {
    net.add(
      new nn.Conv2D(6, { kernelSize: 5, activation: 'relu' }),
      new nn.MaxPool2D({ poolSize: 2, strides: 2 }),
      new nn.Conv2D(16, { kernelSize: 5, activation: 'relu' }),
      new nn.MaxPool2D({ poolSize: 2, strides: 2 }),
      new nn.Dense(120, { activation: 'relu' }),
      new nn.Dense(84, { activation: 'relu' }),
      new nn.Dense(10),
    );
    net.initialize(new init.Xavier());
  } else {
    throw new Error(`demo: unknown model ${JSON.stringify(name)} (softmax, mlp or lenet)`);
  }
  return { net, learningRate: MODELS[name].learningRate };
}
