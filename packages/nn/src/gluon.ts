/**
 * The `gluon` namespace, MXNet's `mx.gluon`, so `gluon.Trainer(...)` and `gluon.nn.Dense` translate
 * line by line: it re-exports `nn`, `loss`, `Trainer`, `Parameter` and `ParameterDict`.
 */
export * as loss from './losses.js';
export * as nn from './nn.js';
export { Constant, Parameter, ParameterDict } from './parameter.js';
export { Trainer } from './trainer.js';
