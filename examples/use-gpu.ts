/**
 * d2l 4.6 GPU Computing
 *
 * "Dive into Deep Learning", MXNet edition, section 4.6, in the order of the book's Gluon code:
 * the devices `mx.cpu()`, `mx.gpu()` and `mx.gpu(1)`; an NDArray's `context`; arrays created on a
 * device with `ctx=`, moved with `copyto` and `as_in_context` (which returns the array itself when it
 * is already there); computing where the data lives; and a Gluon model initialized on a device.
 *
 * The book runs on a machine with two GPUs. minimx has no GPU backend yet, so this example does
 * what the book's `try_gpu()` (5.5) does on a machine without one: it shows that `mx.gpu()` can be
 * named but holds no array (the `DeviceUnavailableError`), then takes `ctx = d2l.tryGpu()`, which is
 * `cpu(0)`, and runs every cell that the book runs on `gpu(0)` or `gpu(1)` on `ctx`. The printed
 * devices, `cpu(0)`, the results of `is` (true, false) and `(z + 2).exp() * y` equal the book's,
 * with `@cpu(0)` where the book has `@gpu(0)`; the model's output and weight are random.
 *
 * Flags: `--seed N` (the random arrays and the model's weight).
 */

import * as d2l from '@minimx/d2l';
import { nd } from '@minimx/ndarray';
import { nn } from '@minimx/nn';
import * as mx from 'minimx';
import { parseArgs } from './cli.js';

parseArgs({ epochs: 1 });

// #region 4.6.1 Computing devices
// The book first runs `!nvidia-smi` to list its two GPUs (Tesla M60), then shows
// `mx.cpu(), mx.gpu(), mx.gpu(1)`: the CPU with main memory, and the GPUs 0 and 1
// (`mx.gpu()` is `mx.gpu(0)`). A context is only a name: it can be made without a GPU.
// `mx.context.num_gpus()` counts the GPUs (0 here).
console.log(`(${mx.cpu()}, ${mx.gpu()}, ${mx.gpu(1)})`);

console.log(mx.context.numGpus());
// #endregion

// #region 4.6.2 NDArrays on the GPU
// `x = nd.array([1, 2, 3])` is stored in main memory, `@cpu(0)`, and `x.context` is `cpu(0)`. The
// book then creates `a = nd.array([1, 2, 3], ctx=mx.gpu())` on `gpu(0)` and
// `B = nd.random.uniform(shape=(2, 3), ctx=mx.gpu(1))` on `gpu(1)`. Without a GPU, MXNet raises an
// error there; here it is a `DeviceUnavailableError`, and d2l's `try_gpu()` answers `cpu(0)`, the
// device the remaining cells use.
// helpers: tryGpu
const x = nd.array([1, 2, 3]);
console.log(`${x}`);

console.log(`${x.context}`);

try {
  nd.array([1, 2, 3], { ctx: mx.gpu() });
} catch (err) {
  console.log(`${(err as Error).name}: ${(err as Error).message}`);
}
const ctx = d2l.tryGpu(); // gpu(0) with a GPU, cpu(0) without
console.log(`${ctx}`);

const a = nd.array([1, 2, 3], { ctx });
console.log(`${a}`);

const B = nd.random.uniform({ shape: [2, 3], ctx });
console.log(`${B}`);
// #endregion

// #region Copying between devices
// Besides `ctx=` at creation, `y = x.copyto(mx.gpu())` and `z = x.as_in_context(mx.gpu())` put a
// copy of x on the GPU. `y.as_in_context(mx.gpu()) is y` is `True`: on the same device the very
// array comes back, sharing its memory; `y.copyto(mx.gpu()) is y` is `False`: `copyto` always
// allocates.
const y = x.copyto(ctx);
console.log(`${y}`);

const z = x.asInContext(ctx);
console.log(`${z}`);

console.log(y.asInContext(ctx) === y);

console.log(y.copyto(ctx) === y);
// #endregion

// #region Computing on the GPU
// An operation runs on the device of its inputs and leaves its result there: `(z + 2).exp() * y`
// gives [20.085537, 109.1963, 445.2395] on `gpu(0)`. All inputs of an operation must be on the
// same device (MXNet refuses to mix `cpu(0)` and `gpu(0)` arrays).
console.log(`${z.add(2).exp().mul(y)}`);
// #endregion

// #region 4.6.3 Gluon on the GPU
// `net = nn.Sequential()`, `net.add(nn.Dense(1))` and `net.initialize(ctx=mx.gpu())` put the
// parameters in GPU memory; `net(y)` on the GPU array y computes there (a 3x1 result, the one
// weight times 1, 2 and 3), and `net[0].weight.data()` shows the 1x1 weight on the same device.
const net = new nn.Sequential();
net.add(new nn.Dense(1));
net.initialize(null, { ctx });

console.log(`${net(y)}`);

console.log(`${net.at<nn.Dense>(0).weight.data()}`);
// #endregion
