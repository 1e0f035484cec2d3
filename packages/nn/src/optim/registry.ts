/**
 * The optimizer registry, MXNet's `mx.optimizer.register` / `create`: maps names ('sgd', 'adam')
 * to factories, so `new Trainer(params, 'sgd', options)` can build one by name.
 */
import { Adam } from './adam.js';
import type { Optimizer, OptimizerOptions } from './optimizer.js';
import { SGD } from './sgd.js';

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
 * Creates a registered optimizer by name. MXNet: `mx.optimizer.create('sgd', learning_rate=0.1)`.
 * @example optimizer.create('sgd', { learningRate: 0.1 })
 */
export function create(name: string, options: Record<string, unknown> = {}): Optimizer {
  const factory = factories.get(name.toLowerCase());
  if (!factory) {
    throw new RangeError(
      `optimizer.create: unknown optimizer '${name}' (known: ${[...factories.keys()].join(', ')})`,
    );
  }
  return factory(options);
}
