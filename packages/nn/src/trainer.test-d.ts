/**
 * Type-level tests of the Trainer's optimizer options and of `toArray()`, checked by `npm run
 * typecheck` (tsc over packages/*\/src), not run by vitest: each `@ts-expect-error` line fails the
 * typecheck if the call it marks ever becomes accepted (a misspelt option, an unknown optimizer).
 */
import type { NDArray, NestedArray } from '@minimx/ndarray';
import { type OptimizerName, optimizer, type ParameterDict, Trainer, type TrainerOptions } from './index.js';

declare const params: ParameterDict;
declare const x: NDArray;

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const expectType = <T extends true>(_: T): void => {};

// Each built-in name takes its own options.
new Trainer(params, 'sgd', { learningRate: 0.1, momentum: 0.9, wd: 1e-4, clipGradient: null });
new Trainer(params, 'adam', { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
new Trainer(params, 'sgd');
new Trainer(params, new optimizer.SGD({ learningRate: 0.1 }));
expectType<Equal<TrainerOptions<'sgd'>, optimizer.SGDOptions>>(true);
// The names are keys, not any string (the program's tests register 'signsgd' too).
expectType<Equal<Extract<OptimizerName, 'sgd' | 'adam' | 'signum'>, 'sgd' | 'adam' | 'signum'>>(true);
expectType<Equal<string extends OptimizerName ? true : false, false>>(true);

// @ts-expect-error a misspelt option (learningrate) is refused, not ignored
new Trainer(params, 'sgd', { learningrate: 0.1 });
// @ts-expect-error Python's snake_case name
new Trainer(params, 'sgd', { learning_rate: 0.1 });
// @ts-expect-error momentum is SGD's, not Adam's
new Trainer(params, 'adam', { momentum: 0.9 });
// @ts-expect-error beta1 is Adam's, not SGD's
new Trainer(params, 'sgd', { beta1: 0.9 });
// @ts-expect-error a string where a number goes
new Trainer(params, 'sgd', { learningRate: '0.1' });
// @ts-expect-error an unregistered (misspelt) optimizer name
new Trainer(params, 'sdg', { learningRate: 0.1 });
// @ts-expect-error an Optimizer instance holds its own options
new Trainer(params, new optimizer.SGD(), { learningRate: 0.1 });
// @ts-expect-error optimizer.create is typed the same way
optimizer.create('sgd', { learningrate: 0.1 });
optimizer.create('adam', { beta2: 0.99 });

// Names in any letter case, as MXNet accepts them, keep the named optimizer's precise options.
new Trainer(params, 'SGD', { learningRate: 0.1, momentum: 0.9 });
new Trainer(params, 'Adam', { beta1: 0.9 });
new Trainer(params, 'ADAM');
optimizer.create('SGD', { learningRate: 0.1 });
expectType<Equal<TrainerOptions<'SGD'>, optimizer.SGDOptions>>(true);
expectType<Equal<TrainerOptions<'Adam'>, optimizer.AdamOptions>>(true);
// @ts-expect-error the upper-case name's options are still checked: learningrate is misspelt
new Trainer(params, 'SGD', { learningrate: 0.1 });
// @ts-expect-error momentum is SGD's, whatever the case of 'ADAM'
new Trainer(params, 'ADAM', { momentum: 0.9 });
// @ts-expect-error a misspelt upper-case name
new Trainer(params, 'SDG');
// @ts-expect-error optimizer.create checks the upper-case name's options too
optimizer.create('Adam', { momentum: 0.9 });

// A name in a plain string (read from a config, say) takes any registered optimizer's options.
declare const chosen: string;
new Trainer(params, chosen, { learningRate: 0.1, momentum: 0.9 });
new Trainer(params, chosen, { beta2: 0.99 });
new Trainer(params, chosen);
optimizer.create(chosen, { wd: 1e-4 });
expectType<Equal<TrainerOptions<string>, optimizer.AnyOptimizerOptions>>(true);
// @ts-expect-error a misspelt option is refused even for a string name: no optimizer has it
new Trainer(params, chosen, { learningrate: 0.1 });
// @ts-expect-error a string where a number goes
new Trainer(params, chosen, { learningRate: '0.1' });

// A custom optimizer, typed by declaration merging next to its registration.
interface SignumOptions extends optimizer.OptimizerOptions {
  /** Momentum of the sign update. */
  momentum?: number;
}
declare module './optim/registry.js' {
  interface OptimizerRegistry {
    signum: SignumOptions;
  }
}
new Trainer(params, 'signum', { learningRate: 0.01, momentum: 0.9 });
new Trainer(params, 'Signum', { momentum: 0.9 });
// @ts-expect-error the custom optimizer's options are checked too
new Trainer(params, 'signum', { beta1: 0.9 });

// toArray() is nested numbers, not unknown.
expectType<Equal<ReturnType<NDArray['toArray']>, NestedArray>>(true);
const values = x.toArray();
if (typeof values !== 'number') {
  const first: NestedArray = values[0];
  void first;
}
// @ts-expect-error a nested array is not a string
const s: string = x.toArray();
void s;
