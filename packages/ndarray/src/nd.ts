/**
 * The `nd` namespace, MXNet's `mx.nd`: every array op as a function (`nd.exp(x)`), creation
 * routines, and `nd.random`.
 */
import * as random from './random.js';

export { waitall } from './context.js';
export {
  type ArrayFileFormat,
  type LoadOptions,
  type LoadResult,
  loadFromBuffer,
  type SaveData,
  type SaveOptions,
  saveToBuffer,
} from './io/array-file.js';
export { load, save } from './io/save-load.js';
export { type BatchNormOptions, batchNorm } from './ops/batch-norm.js';
export { type ConvolutionOptions, convolution, type Size2 } from './ops/conv.js';
export type { ArangeOptions, DTypeOptions, NestedArray, OneHotOptions, ShapeLike } from './ops/creation.js';
export {
  arange,
  array,
  fromTypedArray,
  full,
  oneHot,
  ones,
  onesLike,
  zeros,
  zerosLike,
} from './ops/creation.js';
export {
  abs,
  add,
  addN,
  clip,
  divide,
  elemwiseAdd,
  elemwiseDiv,
  elemwiseMul,
  elemwiseSub,
  equal,
  exp,
  floor,
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
  type OutOptions,
  power,
  reciprocal,
  relu,
  round,
  sigmoid,
  sign,
  softrelu,
  sqrt,
  square,
  subtract,
  tanh,
  where,
} from './ops/elementwise.js';
export { type FullyConnectedOptions, fullyConnected } from './ops/fully-connected.js';
export { type PickOptions, pick, type TakeOptions, take } from './ops/indexing.js';
export { batchDot, type DotOptions, dot } from './ops/linalg.js';
export type { Operand } from './ops/operand.js';
export { type PoolingOptions, pooling } from './ops/pool.js';
export {
  type ArgReduceOptions,
  argmax,
  argmin,
  max,
  mean,
  min,
  type NormOptions,
  norm,
  prod,
  type ReduceOptions,
  sum,
} from './ops/reduce.js';
export {
  broadcastTo,
  type ConcatOptions,
  concat,
  expandDims,
  flatten,
  reshape,
  squeeze,
  stack,
  transpose,
} from './ops/shape-ops.js';
export { get, type Index, type IndexItem, type SliceTuple, slice, sliceAxis } from './ops/slicing.js';
export { type LogSumExpOptions, logSoftmax, logSumExp, type SoftmaxOptions, softmax } from './ops/softmax.js';
export { type SoftmaxCrossEntropyOptions, softmaxCrossEntropy } from './ops/softmax-cross-entropy.js';
export { random };
