/**
 * The optimizer registry, MXNet's `mx.optimizer.register` / `create`: maps names ('sgd', 'adam')
 * to factories, so `new Trainer(params, 'sgd', options)` can build one by name.
 */
import { Adam, type AdamOptions } from './adam.js';
import type { Optimizer, OptimizerOptions } from './optimizer.js';
import { SGD, type SGDOptions } from './sgd.js';

/**
 * The optimizers that can be created by name, each name mapped to its options type: it types
 * `new Trainer(params, name, options)` and `optimizer.create(name, options)`, so a misspelt name
 * (`'sdg'`) or option (`learningrate`) is a compile error, as it is a runtime error.
 *
 * A custom optimizer registered with `optimizer.register` is added here by declaration merging,
 * once, next to its registration (from `minimx` code, `declare module 'minimx/gluon'` works too):
 * @example
 * declare module '@minimx/nn' {
 *   interface OptimizerRegistry {
 *     signsgd: optimizer.OptimizerOptions;
 *   }
 * }
 * optimizer.register('signsgd', (options) => new SignSGD(options));
 * const trainer = new Trainer(net.collectParams(), 'signsgd', { learningRate: 0.01 });
 */
export interface OptimizerRegistry {
  /** Stochastic gradient descent with optional momentum ({@link SGD}). MXNet: `'sgd'`. */
  sgd: SGDOptions;
  /** Adam ({@link Adam}). MXNet: `'adam'`. */
  adam: AdamOptions;
}

/** A registered optimizer's name as the registry spells it (lower case): a key of {@link OptimizerRegistry}. */
export type OptimizerName = keyof OptimizerRegistry;

/** The options of any registered optimizer: what a name known only at run time (a `string`) may take. */
export type AnyOptimizerOptions = OptimizerRegistry[OptimizerName];

/**
 * The options type for the optimizer name `N`, in any letter case, as MXNet accepts it: a known
 * literal (`'sgd'`, `'SGD'`, `'Adam'`) gets that optimizer's own options, so a misspelt option is
 * still a compile error; a plain `string` gets {@link AnyOptimizerOptions}; an unknown literal, none.
 */
export type OptimizerOptionsOf<N extends string> = string extends N
  ? AnyOptimizerOptions
  : Lowercase<N> extends OptimizerName
    ? OptimizerRegistry[Lowercase<N>]
    : never;

/**
 * What the name argument accepts for `N`: a plain `string`, or a literal naming a registered
 * optimizer in any letter case; a misspelt literal (`'sdg'`) is refused against the known names.
 */
export type OptimizerNameArg<N extends string> = string extends N
  ? N
  : Lowercase<N> extends OptimizerName
    ? N
    : OptimizerName | Uppercase<OptimizerName>;

/** Builds an optimizer from the options passed to the Trainer. */
export type OptimizerFactory = (options: Record<string, unknown>) => Optimizer;

const factories = new Map<string, OptimizerFactory>([
  ['sgd', (o) => new SGD(o as OptimizerOptions)],
  ['adam', (o) => new Adam(o as OptimizerOptions)],
]);

/**
 * Registers an optimizer under `name`, matched in any letter case. MXNet: `@mx.optimizer.register`.
 * @example optimizer.register('signsgd', (options) => new SignSGD(options));
 */
export function register(name: string, factory: OptimizerFactory): void {
  if (typeof name !== 'string' || name === '') {
    throw new TypeError(`optimizer.register: name must be a non-empty string, got ${String(name)}`);
  }
  factories.set(name.toLowerCase(), factory);
}

/**
 * Builds the optimizer registered as `name` (any letter case), or throws, naming `where` and the
 * known names.
 */
export function createNamed(where: string, name: string, options: object): Optimizer {
  const factory = factories.get(name.toLowerCase());
  if (!factory) {
    throw new RangeError(
      `${where}: unknown optimizer '${name}' (known: ${[...factories.keys()].join(', ')}; any letter case)`,
    );
  }
  return factory(options as Record<string, unknown>);
}

/**
 * Creates a registered optimizer by name, in any letter case as MXNet matches it, with that
 * optimizer's options type (a name in a plain `string` takes any registered optimizer's options).
 * MXNet: `mx.optimizer.create('sgd', learning_rate=0.1)`.
 * @example optimizer.create('sgd', { learningRate: 0.1 }); optimizer.create('Adam')
 */
export function create<N extends string>(
  name: OptimizerNameArg<N>,
  options?: OptimizerOptionsOf<N>,
): Optimizer;
export function create(name: string, options: object = {}): Optimizer {
  if (typeof name !== 'string') {
    throw new TypeError(`optimizer.create: name must be a string, got ${String(name)}`);
  }
  return createNamed('optimizer.create', name, options);
}
