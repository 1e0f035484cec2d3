/**
 * @minimx/nn: MXNet Gluon in TypeScript: Blocks and layers (`nn`), initializers (`init`),
 * losses (`loss`), `Trainer` and optimizers, and parameter files.
 * `import { nn, init, loss as gloss, Trainer } from '@minimx/nn'`.
 * @packageDocumentation
 * @module \@minimx/nn
 * @document ../README.md
 */
import * as gluon from './gluon.js';
import * as init from './init.js';
import * as loss from './losses.js';
import * as nn from './nn.js';
import * as optimizer from './optimizers.js';

export type {
  AnyOptimizerOptions,
  OptimizerName,
  OptimizerNameArg,
  OptimizerOptionsOf,
  OptimizerRegistry,
} from './optim/registry.js';
export {
  Constant,
  DeferredInitializationError,
  type GradReq,
  type InitializeOptions,
  Parameter,
  type ParameterAttr,
  ParameterDict,
  type ParameterOptions,
} from './parameter.js';
export {
  type LoadParametersOptions,
  ParameterFileError,
  type ParameterFileFormat,
  parseParameterFile,
  type SaveParametersOptions,
} from './serialization.js';
export { type StepOptions, Trainer, type TrainerOptions } from './trainer.js';
export { gluon, init, loss, nn, optimizer };
