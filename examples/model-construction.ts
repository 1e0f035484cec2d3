/**
 * d2l 4.1 Model Construction
 *
 * "Dive into Deep Learning", MXNet edition, section 4.1, in the order of the book's Gluon code: an
 * `MLP` written as a subclass of `nn.Block` (its two `Dense` layers assigned to fields in the
 * constructor, `forward` chaining them), called as `net(X)`; a `MySequential` that keeps the added
 * blocks in the block's `_children` map and runs them in order; `FancyMLP` with a constant weight
 * from `params.getConstant`, NDArray functions, plain control flow and the same `Dense` layer used
 * twice; and `NestMLP` nested inside an `nn.Sequential` next to a `Dense` and a `FancyMLP`.
 *
 * What is printed equals the book's where it does not depend on random values: the shapes and
 * contexts of the outputs (`<NDArray 2x10 @cpu(0)>`, `<NDArray 1 @cpu(0)>`) and the names of the
 * blocks. The values are random in the book (no seed) and here.
 *
 * Flags: `--seed N` (the input and the weights are random).
 */

import { type NDArray, nd } from '@minimx/ndarray';
import { type gluon, nn } from '@minimx/nn';
import { parseArgs } from './cli.js';

parseArgs({ epochs: 1 });

// #region 4.1.1 Constructing a model by inheriting the Block class
// `class MLP(nn.Block)` calls the parent constructor, then assigns `self.hidden = nn.Dense(256,
// activation='relu')` and `self.output = nn.Dense(10)`, which Gluon registers as children; its
// `forward(x)` returns `self.output(self.hidden(x))`. No backward is written: autograd derives it.
// The book then makes `X = nd.random.uniform(shape=(2, 20))`, `net = MLP()`, `net.initialize()`
// and shows `net(X)`, a 2x10 array.
class MLP extends nn.Block {
  // declare the two fully connected layers: assigning them to fields registers them
  hidden: nn.Dense;
  output: nn.Dense;

  constructor(options?: nn.BlockOptions) {
    // the parent constructor does the Block's own set-up (name, parameter dictionary)
    super(options);
    this.hidden = new nn.Dense(256, { activation: 'relu' }); // hidden layer
    this.output = new nn.Dense(10); // output layer
  }

  // the forward computation: the model's output for the input x
  override forward(x: NDArray): NDArray {
    return this.output(this.hidden(x));
  }
}

const X = nd.random.uniform({ shape: [2, 20] });
const net = new MLP();
net.initialize();
console.log(`${net(X)}`);
// #endregion

// #region 4.1.2 The Sequential class inherits from Block
// `class MySequential(nn.Block)` has an `add(block)` that stores the block in the Block's ordered
// dictionary `self._children[block.name] = block` (so `initialize` reaches it), and a `forward`
// that runs every block of `self._children.values()` in insertion order. The book builds the same
// MLP with `net.add(nn.Dense(256, activation='relu'))` and `net.add(nn.Dense(10))`, initializes it
// and shows `net(X)`, again 2x10.
class MySequential extends nn.Block {
  add(block: nn.Block): void {
    // the Block keeps its children in an insertion-ordered map; initialize() visits them all
    this._children.set(block.name, block);
  }

  override forward(x: NDArray): NDArray {
    // a Map iterates in insertion order, as Python's OrderedDict does
    for (const block of this._children.values()) {
      x = block(x) as NDArray;
    }
    return x;
  }
}

{
  // the book rebinds `net`; a block scope gives each cell its own
  const net = new MySequential();
  net.add(new nn.Dense(256, { activation: 'relu' }));
  net.add(new nn.Dense(10));
  net.initialize();
  console.log(`${net(X)}`);
}
// #endregion

// #region 4.1.3 Constructing complex models
// `class FancyMLP(nn.Block)` makes `self.rand_weight = self.params.get_constant('rand_weight',
// nd.random.uniform(shape=(20, 20)))`, a weight that training never changes, and
// `self.dense = nn.Dense(20, activation='relu')`. Its `forward` applies `self.dense`, then
// `nd.relu(nd.dot(x, self.rand_weight.data()) + 1)`, then `self.dense` again (the same layer, so
// the two uses share parameters), halves `x` while `x.norm().asscalar() > 1`, multiplies it by 10
// if the norm is below 0.8, and returns `x.sum()`. `FancyMLP()` initialized and called on X gives
// a one-element array.
class FancyMLP extends nn.Block {
  randWeight: gluon.Constant;
  dense: nn.Dense;

  constructor(options?: nn.BlockOptions) {
    super(options);
    // a random weight made by getConstant is not updated by training (a constant parameter)
    this.randWeight = this.params.getConstant('rand_weight', nd.random.uniform({ shape: [20, 20] }));
    this.dense = new nn.Dense(20, { activation: 'relu' });
  }

  override forward(x: NDArray): NDArray {
    x = this.dense(x);
    // the constant parameter, with NDArray's relu and dot
    x = nd.relu(nd.dot(x, this.randWeight.data()).add(1));
    // the same fully connected layer again: two layers sharing their parameters
    x = this.dense(x);
    // control flow: asScalar() returns a number to compare
    while (x.norm().asScalar() > 1) {
      x.divInPlace(2);
    }
    if (x.norm().asScalar() < 0.8) {
      x.mulInPlace(10);
    }
    return x.sum();
  }
}

{
  const net = new FancyMLP();
  net.initialize();
  console.log(`${net(X)}`);
}
// #endregion

// #region Nesting blocks
// Because `FancyMLP` and `Sequential` are both Blocks they nest: `class NestMLP(nn.Block)` assigns
// `self.net = nn.Sequential()`, adds `nn.Dense(64, activation='relu')` and `nn.Dense(32,
// activation='relu')` to it, and assigns `self.dense = nn.Dense(16, activation='relu')`; `forward`
// returns `self.dense(self.net(x))`. The book puts `NestMLP()`, `nn.Dense(20)` and `FancyMLP()` in
// one `nn.Sequential`, initializes it and shows `net(X)`, a one-element array.
class NestMLP extends nn.Block {
  net: nn.Sequential;
  dense: nn.Dense;

  constructor(options?: nn.BlockOptions) {
    super(options);
    this.net = new nn.Sequential();
    this.net.add(new nn.Dense(64, { activation: 'relu' }), new nn.Dense(32, { activation: 'relu' }));
    this.dense = new nn.Dense(16, { activation: 'relu' });
  }

  override forward(x: NDArray): NDArray {
    return this.dense(this.net(x));
  }
}

{
  const net = new nn.Sequential();
  net.add(new NestMLP(), new nn.Dense(20), new FancyMLP());

  net.initialize();
  console.log(`${net(X)}`);
}
// #endregion
