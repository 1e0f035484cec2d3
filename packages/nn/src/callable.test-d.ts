/**
 * Type-level tests of callable blocks, checked by `npm run typecheck` (tsc over packages/*\/src),
 * not run by vitest: calling a block has its own `forward`'s signature, and each
 * `@ts-expect-error` line fails the typecheck if the call it marks ever becomes accepted.
 */
import type { NDArray } from '@minimx/ndarray';
import { loss as gloss, nn } from './index.js';

declare const x: NDArray;

class MLP extends nn.Block {
  hidden = new nn.Dense(256, { activation: 'relu' });
  output = new nn.Dense(10);
  override forward(input: NDArray): NDArray {
    return this.output(this.hidden(input));
  }
}

class Pair extends nn.Block {
  override forward(a: NDArray, b: NDArray): NDArray {
    return a.add(b);
  }
}

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const expectType = <T extends true>(_: T): void => {};

const mlp = new MLP();
const y: NDArray = mlp(x);
expectType<Equal<Parameters<typeof mlp>, [input: NDArray]>>(true);
expectType<Equal<ReturnType<typeof mlp>, NDArray>>(true);
// @ts-expect-error one argument: forward(input)
mlp(x, x);
// @ts-expect-error an NDArray, not a string
mlp('x');
// @ts-expect-error no arguments
mlp();
// @ts-expect-error the result is an NDArray
const wrong: string = mlp(x);

const pair = new Pair();
pair(x, x);
// @ts-expect-error two arguments
pair(x);

const dense = new nn.Dense(10);
dense(x);
// @ts-expect-error Dense.forward takes one array
dense(x, x);

const net = new nn.Sequential();
net.add(mlp, dense);
net(x);
net.length satisfies number;

const loss = new gloss.SoftmaxCrossEntropyLoss();
const l: NDArray = loss(net(x), x);
loss(y, x, x); // sampleWeight
// @ts-expect-error a loss needs the label
loss(y);
// @ts-expect-error at most pred, label, sampleWeight
new gloss.L2Loss()(y, x, x, x);

// A value typed as the base class takes forward's base signature (one or more arrays).
const anyBlock: nn.Block = mlp;
anyBlock(x);
anyBlock(x, x);

export { l, wrong };
