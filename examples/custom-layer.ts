/**
 * d2l 4.4 Custom Layers
 *
 * "Dive into Deep Learning", MXNet edition, section 4.4, in the order of the book's Gluon code: a
 * layer without parameters, `CenteredLayer`, that subtracts the mean of its input, called on its own
 * and inside an `nn.Sequential`; a `ParameterDict` made by hand; and a layer with parameters,
 * `MyDense`, whose weight and bias come from `self.params.get`, called on its own and stacked
 * twice in a network.
 *
 * What is printed equals the book's where it does not depend on random values: the centered
 * `[-2. -1.  0.  1.  2.]`, the parameter listings with their names (`param2`, `mydense0_weight`,
 * `mydense0_bias`) and shapes, and the shapes of the random outputs. The mean of the centered
 * output is a float32 rounding residue near 0, random in the book and here; it is printed as
 * NumPy prints a float32 (`-7.212293e-10` in the book).
 *
 * Flags: `--seed N` (inputs and weights are random).
 */

import { type NDArray, nd } from '@minimx/ndarray';
import { gluon, nn } from '@minimx/nn';
import { parseArgs } from './cli.js';

parseArgs({ epochs: 1 });

/** A float32 value as NumPy's repr prints it: its shortest digits (`-7.212293e-10`, `0.5`, `1.0`). */
function float32Repr(v: number): string {
  let p = 1;
  while (p < 9 && Math.fround(Number(v.toPrecision(p))) !== v) p++;
  const shortest = Number(v.toPrecision(p));
  const a = Math.abs(shortest);
  // Python switches to an exponent below 1e-4 and from 1e16, with at least two exponent digits
  if (a !== 0 && (a < 1e-4 || a >= 1e16)) {
    return shortest.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  }
  const s = String(shortest);
  return s.includes('.') ? s : `${s}.0`;
}

// #region 4.4.1 Custom layers without model parameters
// `class CenteredLayer(nn.Block)` only calls the parent constructor; its `forward(x)` returns
// `x - x.mean()`. `layer = CenteredLayer()` called on `nd.array([1, 2, 3, 4, 5])` gives
// [-2, -1, 0, 1, 2]. It also goes into a network: `nn.Sequential()` with `nn.Dense(128)` and
// `CenteredLayer()` added; after `net.initialize()`, `y = net(nd.random.uniform(shape=(4, 8)))`
// and `y.mean().asscalar()` is a number very close to 0 (floating-point rounding).
class CenteredLayer extends nn.Block {
  constructor(options?: nn.BlockOptions) {
    super(options);
  }

  override forward(x: NDArray): NDArray {
    return x.sub(x.mean());
  }
}

const layer = new CenteredLayer();
console.log(`${layer(nd.array([1, 2, 3, 4, 5]))}`);

let net = new nn.Sequential();
net.add(new nn.Dense(128), new CenteredLayer());

net.initialize();
const y = net(nd.random.uniform({ shape: [4, 8] }));
console.log(float32Repr(y.mean().asScalar())); // float32Repr (top of the file): NumPy's float32 repr
// #endregion

// #region 4.4.2 Custom layers with model parameters
// `params = gluon.ParameterDict()` and `params.get('param2', shape=(2, 3))` create a parameter by
// name; the dict then lists `param2` of shape (2, 3). `class MyDense(nn.Block)` takes `units` and
// `in_units` and assigns `self.weight = self.params.get('weight', shape=(in_units, units))` and
// `self.bias = self.params.get('bias', shape=(units,))`; `forward` returns
// `nd.relu(nd.dot(x, self.weight.data()) + self.bias.data())`. `dense = MyDense(units=3,
// in_units=5)` lists `mydense0_weight` (5, 3) and `mydense0_bias` (3,) in `dense.params`; after
// `dense.initialize()` it maps a random (2, 5) input to a (2, 3) output. `nn.Sequential()` with
// `MyDense(8, in_units=64)` and `MyDense(1, in_units=8)` maps a random (2, 64) input to (2, 1).
const params = new gluon.ParameterDict();
params.get('param2', { shape: [2, 3] });
console.log(`${params}`);

class MyDense extends nn.Block {
  weight: gluon.Parameter;
  bias: gluon.Parameter;

  // units: the number of outputs of the layer; inUnits: the number of its inputs
  constructor(units: number, { inUnits, ...options }: { inUnits: number } & nn.BlockOptions) {
    super(options);
    this.weight = this.params.get('weight', { shape: [inUnits, units] });
    this.bias = this.params.get('bias', { shape: [units] });
  }

  override forward(x: NDArray): NDArray {
    const linear = nd.dot(x, this.weight.data()).add(this.bias.data());
    return nd.relu(linear);
  }
}

const dense = new MyDense(3, { inUnits: 5 });
console.log(`${dense.params}`);

dense.initialize();
console.log(`${dense(nd.random.uniform({ shape: [2, 5] }))}`);

net = new nn.Sequential();
net.add(new MyDense(8, { inUnits: 64 }), new MyDense(1, { inUnits: 8 }));
net.initialize();
console.log(`${net(nd.random.uniform({ shape: [2, 64] }))}`);
// #endregion
