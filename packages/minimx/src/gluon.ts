/**
 * `minimx/gluon` (and `mx.gluon`): the Gluon API from @minimx/nn (`nn`, `loss`, `Trainer`,
 * `Parameter`, ...) with `gluon.data` from @minimx/datasets, so `gluon.data.vision.FashionMNIST`
 * and `gluon.data.DataLoader` read as in MXNet (`from mxnet import gluon` is
 * `import * as gluon from 'minimx/gluon'`).
 *
 * This is its own entry, and index.ts re-exports it by package name (`export * as gluon from
 * 'minimx/gluon'`): bundled into index.d.ts, a namespace over another package's names became
 * rollup's JavaScript `_mergeNamespaces` helper (13 errors under `skipLibCheck: false`, and
 * `mx.gluon` typed `any`). The names are listed so that @minimx/nn's file-format internals
 * (`crc32`, `encodeParameterFile`) and its own `gluon` namespace stay out of `mx.gluon`.
 * @packageDocumentation
 * @module minimx/gluon
 */

export * as data from '@minimx/datasets';
export {
  Constant,
  DeferredInitializationError,
  type GradReq,
  type InitializeOptions,
  init,
  type LoadParametersOptions,
  loss,
  nn,
  type OptimizerName,
  type OptimizerRegistry,
  optimizer,
  Parameter,
  type ParameterAttr,
  ParameterDict,
  ParameterFileError,
  type ParameterFileFormat,
  type ParameterOptions,
  parseParameterFile,
  type SaveParametersOptions,
  type StepOptions,
  Trainer,
  type TrainerOptions,
} from '@minimx/nn';
