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

/** A name `Trainer` and `optimizer.create` accept: a key of {@link OptimizerRegistry}. */
export type OptimizerName = keyof OptimizerRegistry;

/** Builds an optimizer from the options passed to the Trainer. */
export type OptimizerFactory = (options: Record<string, unknown>) => Optimizer;

const factories = new Map<string, OptimizerFactory>([
  ['sgd', (o) => new SGD(o as OptimizerOptions)],
  ['adam', (o) => new Adam(o as OptimizerOptions)],
]);

/**
 * Registers an optimizer under `name` (lower-cased). MXNet: `@mx.optimizer.register`.
 * @example optimizer.register('signsgd', (options) => new SignSGD(options));
 */
export function register(name: string, factory: OptimizerFactory): void {
  factories.set(name.toLowerCase(), factory);
}

/**
 * Creates a registered optimizer by name, with that optimizer's options type. MXNet:
 * `mx.optimizer.create('sgd', learning_rate=0.1)`.
 * @example optimizer.create('sgd', { learningRate: 0.1 })
 */
export function create<N extends OptimizerName>(name: N, options?: OptimizerRegistry[N]): Optimizer;
export function create(name: string, options: object = {}): Optimizer {
  const factory = factories.get(name.toLowerCase());
  if (!factory) {
    throw new RangeError(
      `optimizer.create: unknown optimizer '${name}' (known: ${[...factories.keys()].join(', ')})`,
    );
  }
  return factory(options as Record<string, unknown>);
}
