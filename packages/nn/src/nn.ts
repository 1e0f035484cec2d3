/**
 * The `nn` namespace, Gluon's `gluon.nn`: Block and HybridBlock, the layers (dense, convolution,
 * pooling, batch normalization, containers), and the name-counter reset.
 */
export { Block, type BlockJSON, type BlockOptions, HybridBlock, resetNameCounters } from './block.js';
export { Activation, type ActivationType } from './layers/activation.js';
export { BatchNorm, type BatchNormOptions } from './layers/batch-norm.js';
export { Conv2D, type Conv2DOptions } from './layers/conv.js';
export { Dense, type DenseOptions } from './layers/dense.js';
export { Dropout } from './layers/dropout.js';
export { Flatten } from './layers/flatten.js';
export { HybridSequential } from './layers/hybrid-sequential.js';
export {
  AvgPool2D,
  type AvgPool2DOptions,
  GlobalAvgPool2D,
  GlobalMaxPool2D,
  type GlobalPool2DOptions,
  MaxPool2D,
  type MaxPool2DOptions,
  type PoolType,
} from './layers/pooling.js';
export { Sequential } from './layers/sequential.js';
export type { Size2 } from './layers/spatial.js';
