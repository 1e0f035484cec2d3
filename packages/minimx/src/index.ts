/**
 * minimx: the umbrella package, shaped like `import mxnet as mx`: `mx.nd`, `mx.autograd`,
 * `mx.random`, `mx.init` and `mx.gluon` (with `gluon.nn`, `gluon.loss`, `gluon.Trainer` and
 * `gluon.data`).
 * @example
 * import * as mx from 'minimx';
 * const net = new mx.gluon.nn.Sequential();
 * const x = mx.nd.ones([2, 3]);
 * @packageDocumentation
 */
import * as gluon from './gluon.js';

export { autograd, getBackend, NDArray, nd, random, setBackend } from '@minimx/ndarray';
export { init } from '@minimx/nn';
export { gluon };
