/**
 * d2l 4.2 Access, Initialization, and Sharing of Model Parameters
 *
 * "Dive into Deep Learning", MXNet edition, section 4.2, in the order of the book's Gluon code: an
 * MLP (`nn.Sequential` of `Dense(256, relu)` and `Dense(10)`) initialized the default way and run
 * once; its parameters read through `net[0].params`, by full name and by field, their values and
 * gradients, and `collect_params` with and without a regular expression; re-initialization with
 * `init.Normal`, `init.Constant` and, for one parameter, `init.Xavier`; a custom `Initializer`
 * subclass; `set_data`; and a layer that shares another's parameters (`params=shared.params`).
 *
 * What is printed equals the book's where it does not depend on random values: the parameter names
 * (`dense0_weight`, `sequential0_`), the `Parameter ...` and `ParameterDict` listings, the zero
 * gradients and biases, the constant weights, the initializer's `Init ...` lines and the shared
 * layers' equal weights; random arrays have the book's shapes and layout.
 *
 * Flags: `--seed N` (the input and most initializers are random).
 */

import { type NDArray, nd } from '@minimx/ndarray';
import { init, nn } from '@minimx/nn';
import { parseArgs } from './cli.js';

parseArgs({ epochs: 1 });

// #region The network
// Imports `init` and `nd` from mxnet and `nn` from gluon; `net = nn.Sequential()` with
// `nn.Dense(256, activation='relu')` and `nn.Dense(10)` added, `net.initialize()` (the default
// initializer), `X = nd.random.uniform(shape=(2, 20))` and one forward pass `Y = net(X)`.
let net = new nn.Sequential();
net.add(new nn.Dense(256, { activation: 'relu' }));
net.add(new nn.Dense(10));
net.initialize(); // the default initialization

let X = nd.random.uniform({ shape: [2, 20] });
const Y = net(X); // forward pass
// #endregion

// #region 4.2.1 Accessing model parameters
// `net[0].params, type(net[0].params)` shows the hidden layer's `ParameterDict` (prefix `dense0_`,
// `dense0_weight` of shape (256, 20) and `dense0_bias` of shape (256,), float32) and its class.
// `net[0].params['dense0_weight']` and `net[0].weight` are the same `Parameter`.
// `net[0].weight.data()` is a random 256x20 array, `net[0].weight.grad()` its all-zero gradient
// (no backward yet), `net[1].bias.data()` ten zeros. `net.collect_params()` lists all four
// parameters under the prefix `sequential0_`; `net.collect_params('.*weight')` only the weights.
console.log(`${net.at(0).params}`, net.at(0).params.constructor.name);

console.log(`${net.at(0).params.lookup('dense0_weight')}`, `${net.at<nn.Dense>(0).weight}`);

console.log(`${net.at<nn.Dense>(0).weight.data()}`);

console.log(`${net.at<nn.Dense>(0).weight.grad()}`);

console.log(`${net.at<nn.Dense>(1).bias!.data()}`);

console.log(`${net.collectParams()}`);

console.log(`${net.collectParams('.*weight')}`);
// #endregion

// #region 4.2.2 Initializing model parameters
// A second `initialize` needs `force_reinit=True`: `net.initialize(init=init.Normal(sigma=0.01),
// force_reinit=True)` draws weights from N(0, 0.01^2) (biases stay zero) and the book shows
// `net[0].weight.data()[0]`, 20 small numbers; `init.Constant(1)` makes that row all ones;
// `net[0].weight.initialize(init=init.Xavier(), force_reinit=True)` re-initializes only the
// hidden layer's weight, with Xavier's uniform distribution.
// reinitializing an initialized model needs forceReinit
net.initialize(new init.Normal({ sigma: 0.01 }), { forceReinit: true });
console.log(`${net.at<nn.Dense>(0).weight.data().get(0)}`);

net.initialize(new init.Constant(1), { forceReinit: true });
console.log(`${net.at<nn.Dense>(0).weight.data().get(0)}`);

net.at<nn.Dense>(0).weight.initialize(new init.Xavier(), { forceReinit: true });
console.log(`${net.at<nn.Dense>(0).weight.data().get(0)}`);
// #endregion

// #region 4.2.3 Custom initialization methods
// `class MyInit(init.Initializer)` implements only `_init_weight(self, name, data)`: it prints
// `Init`, the name and the shape, fills `data[:]` with `nd.random.uniform(low=-10, high=10)` and
// keeps only entries whose absolute value is at least 5 (`data *= data.abs() >= 5`), so half the
// weights are zero. `net.initialize(MyInit(), force_reinit=True)` prints `Init dense0_weight
// (256, 20)` and `Init dense1_weight (10, 256)` (biases go to `_init_bias`); the book shows row 0.
// Then `net[0].weight.set_data(net[0].weight.data() + 1)` adds one to every hidden weight.
class MyInit extends init.Initializer {
  override initWeight(name: string, data: NDArray): void {
    console.log('Init', name, `(${data.shape.join(', ')})`);
    data.set(nd.random.uniform({ low: -10, high: 10, shape: data.shape }));
    data.mulInPlace(data.abs().greaterEqual(5));
  }
}

net.initialize(new MyInit(), { forceReinit: true });
console.log(`${net.at<nn.Dense>(0).weight.data().get(0)}`);

net.at<nn.Dense>(0).weight.setData(net.at<nn.Dense>(0).weight.data().add(1));
console.log(`${net.at<nn.Dense>(0).weight.data().get(0)}`);
// #endregion

// #region 4.2.4 Sharing model parameters
// `shared = nn.Dense(8, activation='relu')` is added to a new `nn.Sequential` between
// `nn.Dense(8, activation='relu')` and `nn.Dense(8, activation='relu', params=shared.params)`,
// followed by `nn.Dense(10)`. After `net.initialize()` and `net(X)` on a new (2, 20) input,
// `net[1].weight.data()[0] == net[2].weight.data()[0]` is eight ones: the second and third hidden
// layers hold the same parameters (and their gradients add up in them during backward).
net = new nn.Sequential();
const shared = new nn.Dense(8, { activation: 'relu' });
net.add(
  new nn.Dense(8, { activation: 'relu' }),
  shared,
  new nn.Dense(8, { activation: 'relu', params: shared.params }),
  new nn.Dense(10),
);
net.initialize();

X = nd.random.uniform({ shape: [2, 20] });
net(X);

console.log(`${net.at<nn.Dense>(1).weight.data().get(0).equal(net.at<nn.Dense>(2).weight.data().get(0))}`);
// #endregion

void Y;
