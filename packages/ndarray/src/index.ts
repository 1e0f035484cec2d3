/**
 * @minimx/ndarray: MXNet's `mx.nd` and `mx.autograd` in TypeScript.
 * `import { nd, autograd, NDArray } from '@minimx/ndarray'`.
 * @packageDocumentation
 * @module \@minimx/ndarray
 * @document ../README.md
 */
import * as autograd from './autograd.js';
import * as nd from './nd.js';

export type {
  ArgReduceOp,
  BinaryOp,
  Conv2dGeometry,
  Kernels,
  Pool2dGeometry,
  PoolKind,
  ReduceOp,
  UnaryOp,
} from './backend/kernels.js';
export { getBackend, listBackends, registerBackend, setBackend } from './backend/registry.js';
/** Devices, MXNet's `mx.context`: `context.cpu()`, `context.numGpus()`, ... (also exported one by one). */
export * as context from './context.js';
export {
  Context,
  cpu,
  currentContext,
  type DeviceBackend,
  type DeviceType,
  DeviceUnavailableError,
  gpu,
  numGpus,
  registerDevice,
} from './context.js';
export type { DType, TypedArray } from './dtype.js';
export type { GradReq } from './engine.js';
export { NDArrayFileError } from './io/binary.js';
/** Array files: MXNet's NDArray-list format and safetensors codecs (also `nd.save`/`nd.load`). */
export * as io from './io/index.js';
export { type AttachGradOptions, type BackwardOptions, NDArray } from './ndarray.js';
export type { NestedArray } from './ops/creation.js';
/** The seeded random generator, also reachable as `nd.random` (MXNet's `mx.random` and `mx.nd.random`). */
export * as random from './random.js';
export type { Shape } from './shape.js';
export * as testing from './testing/index.js';
export { autograd, nd };
