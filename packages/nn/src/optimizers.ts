/** The `optimizer` namespace, MXNet's `mx.optimizer`: the base class, SGD, Adam and the registry. */
export { Adam, type AdamOptions } from './optim/adam.js';
export {
  COMMON_OPTION_KEYS,
  checkOptionKeys,
  type FloatArray,
  Optimizer,
  type OptimizerOptions,
  rescaled,
  type UpdateContext,
} from './optim/optimizer.js';
export {
  type AnyOptimizerOptions,
  create,
  type OptimizerFactory,
  type OptimizerName,
  type OptimizerNameArg,
  type OptimizerOptionsOf,
  type OptimizerRegistry,
  register,
} from './optim/registry.js';
export { SGD, type SGDOptions } from './optim/sgd.js';
