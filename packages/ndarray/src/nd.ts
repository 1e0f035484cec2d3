/**
 * The `nd` namespace, MXNet's `mx.nd`: every array op as a function (`nd.exp(x)`), creation
 * routines, and `nd.random`.
 */
import * as random from './random.js';

export type { DTypeOptions, NestedArray, ShapeLike } from './ops/creation.js';
export { array, fromTypedArray, full, ones, onesLike, zeros, zerosLike } from './ops/creation.js';
export {
  abs,
  add,
  divide,
  equal,
  exp,
  greater,
  greaterEqual,
  less,
  lessEqual,
  log,
  maximum,
  minimum,
  multiply,
  negative,
  notEqual,
  power,
  reciprocal,
  relu,
  sigmoid,
  sign,
  softrelu,
  sqrt,
  square,
  subtract,
  tanh,
} from './ops/elementwise.js';
export { type PickOptions, pick } from './ops/indexing.js';
export { batchDot, type DotOptions, dot } from './ops/linalg.js';
export type { Operand } from './ops/operand.js';
export {
  type ArgReduceOptions,
  argmax,
  argmin,
  max,
  mean,
  min,
  type ReduceOptions,
  sum,
} from './ops/reduce.js';
export { broadcastTo, reshape, transpose } from './ops/shape-ops.js';
export { random };
