/**
 * d2l 4.5 Reading and Storage
 *
 * "Dive into Deep Learning", MXNet edition, section 4.5, in the order of the book's Gluon code: one
 * NDArray, a list of two and a dict of two written with `nd.save` and read back with `nd.load`;
 * then an MLP's parameters written with `save_parameters` and read into a second, freshly made MLP
 * with `load_parameters`, which then computes the same output for the same input.
 *
 * The files are MXNet's own binary NDArray-list format, so MXNet 1.x reads them (`mx.nd.load('x')`,
 * `net.load_parameters('mlp.params')`) and the other way round. The book writes them to the
 * current directory; this example writes them to `--out DIR` (default `out/`) and works there.
 * Everything it prints is deterministic and equals the book's values: the loaded arrays, their
 * shapes, the dict's keys, and `Y2 == Y` all ones. Lists and dicts are printed by Node's
 * `console.log`, whose brackets and indentation differ from IPython's.
 *
 * Flags: `--seed N` (the MLP's input and weights are random; nothing printed depends on them),
 * `--out DIR` (where the files go).
 */

import * as fs from 'node:fs';
import { type NDArray, nd } from '@minimx/ndarray';
import { nn } from '@minimx/nn';
import { parseArgs } from './cli.js';

const args = parseArgs({ epochs: 1 });
// the book's files land in the current directory: work in --out
fs.mkdirSync(args.out, { recursive: true });
process.chdir(args.out);

// #region 4.5.1 Reading and writing NDArrays
// `x = nd.ones(3)` and `nd.save('x', x)` write a file named `x`; `x2 = nd.load('x')` reads it back
// as a list holding the one array [1, 1, 1]. `y = nd.zeros(4)`, `nd.save('xy', [x, y])` and
// `x2, y2 = nd.load('xy')` round-trip a list; `mydict = {'x': x, 'y': y}`, `nd.save('mydict',
// mydict)` and `nd.load('mydict')` a dict from names to arrays.
const x = nd.ones(3);
await nd.save('x', x);

const x2 = await nd.load<NDArray[]>('x');
console.log(x2);

const y = nd.zeros(4);
await nd.save('xy', [x, y]);
{
  // the book rebinds `x2`; a block scope gives this cell its own
  const [x2, y2] = await nd.load<NDArray[]>('xy');
  console.log([x2, y2]);
}

const mydict = { x: x, y: y };
await nd.save('mydict', mydict);
const mydict2 = await nd.load<Record<string, NDArray>>('mydict');
console.log(mydict2);
// #endregion

// #region 4.5.2 Reading and writing the parameters of Gluon models
// The book defines the MLP of 4.1 again (`self.hidden = nn.Dense(256, activation='relu')`,
// `self.output = nn.Dense(10)`), makes `net = MLP()`, `net.initialize()`, `X =
// nd.random.uniform(shape=(2, 20))` and runs `Y = net(X)` so the deferred parameters exist. Then
// `net.save_parameters('mlp.params')`, a second `net2 = MLP()` and
// `net2.load_parameters('mlp.params')` instead of random initialization; `Y2 = net2(X)` and
// `Y2 == Y` are all ones.
class MLP extends nn.Block {
  hidden: nn.Dense;
  output: nn.Dense;

  constructor(options?: nn.BlockOptions) {
    super(options);
    this.hidden = new nn.Dense(256, { activation: 'relu' });
    this.output = new nn.Dense(10);
  }

  override forward(x: NDArray): NDArray {
    return this.output(this.hidden(x));
  }
}

const net = new MLP();
net.initialize();
const X = nd.random.uniform({ shape: [2, 20] });
const Y = net(X);

const filename = 'mlp.params';
await net.saveParameters(filename);

const net2 = new MLP();
await net2.loadParameters(filename);

const Y2 = net2(X);
console.log(`${Y2.equal(Y)}`);
// #endregion
