/**
 * d2l 4.3 Deferred Initialization of Model Parameters
 *
 * "Dive into Deep Learning", MXNet edition, section 4.3, in the order of the book's Gluon code: an
 * initializer that only reports what it is asked to initialize shows that `initialize()` on an MLP
 * whose input size is unknown initializes nothing, that the first forward pass does (once the
 * input fixes the weights' shapes), that a second pass does not, and that re-initializing an
 * initialized model, or giving `in_units` to every layer, initializes at once.
 *
 * Everything it prints is deterministic and equals the book's `Init ...` lines, names included
 * (`dense0_weight`, ..., then `dense2_weight` and `dense3_weight` for the second network, since the
 * name counters keep counting in one process). Before the first forward pass it also prints the
 * hidden weight, whose unknown input size shows as 0 in its shape, and the
 * `DeferredInitializationError` that reading its value raises, two things the section describes in
 * words without a cell.
 *
 * Flags: `--seed N` (the input is random; nothing printed depends on it).
 */

import { type NDArray, nd } from '@minimx/ndarray';
import { init, nn } from '@minimx/nn';
import { parseArgs } from './cli.js';

parseArgs({ epochs: 1 });

// #region 4.3.1 Deferred initialization
// `class MyInit(init.Initializer)` whose `_init_weight(self, name, data)` only prints `Init`, the
// name and the shape (the real initialization is left out). An `nn.Sequential` of
// `nn.Dense(256, activation='relu')` and `nn.Dense(10)` gets `net.initialize(init=MyInit())`,
// which prints nothing: the hidden layer's input size is unknown, so no weight can be made yet.
// `X = nd.random.uniform(shape=(2, 20))` and `Y = net(X)` then print `Init dense0_weight (256, 20)`
// and `Init dense1_weight (10, 256)`; a second `Y = net(X)` prints nothing.
class MyInit extends init.Initializer {
  override initWeight(name: string, data: NDArray): void {
    console.log('Init', name, `(${data.shape.join(', ')})`);
    // the actual initialization is left out here
  }
}

let net = new nn.Sequential();
net.add(new nn.Dense(256, { activation: 'relu' }), new nn.Dense(10));

net.initialize(new MyInit());

// before the first forward pass the input size is unknown (0 in the shape) and the value unreadable
console.log(`${net.at<nn.Dense>(0).weight}`);
try {
  net.at<nn.Dense>(0).weight.data();
} catch (err) {
  console.log(`${(err as Error).name}: ${(err as Error).message}`);
}

const X = nd.random.uniform({ shape: [2, 20] });
let Y = net(X);

Y = net(X);
// #endregion

// #region 4.3.2 Avoiding deferred initialization
// Re-initializing an initialized model, `net.initialize(init=MyInit(), force_reinit=True)`, knows
// every shape, so it prints both `Init` lines at once. So does a network whose layers are given
// their input sizes: `nn.Dense(256, in_units=20, activation='relu')` and `nn.Dense(10,
// in_units=256)` print `Init dense2_weight (256, 20)` and `Init dense3_weight (10, 256)` on
// `net.initialize(init=MyInit())`.
net.initialize(new MyInit(), { forceReinit: true });

net = new nn.Sequential();
net.add(new nn.Dense(256, { inUnits: 20, activation: 'relu' }));
net.add(new nn.Dense(10, { inUnits: 256 }));

net.initialize(new MyInit());
// #endregion

void Y;
