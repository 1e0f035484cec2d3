/**
 * The `nn` namespace, Gluon's `gluon.nn`: Block and HybridBlock, the layers, and the name-counter
 * reset.
 */
export { Block, type BlockOptions, HybridBlock, resetNameCounters } from './block.js';
export { Activation, type ActivationType } from './layers/activation.js';
export { Dense, type DenseOptions } from './layers/dense.js';
export { Dropout } from './layers/dropout.js';
export { Flatten } from './layers/flatten.js';
export { Sequential } from './layers/sequential.js';
