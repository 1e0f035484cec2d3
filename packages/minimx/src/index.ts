/**
 * minimx: the umbrella package, shaped like `import mxnet as mx`: `mx.nd`, `mx.autograd`,
 * `mx.random`, `mx.init`, `mx.gluon` (with `gluon.nn`, `gluon.loss`, `gluon.Trainer` and
 * `gluon.data`, `gluon.data.vision.transforms`) and the devices `mx.cpu()`, `mx.gpu()`, `mx.context`.
 * @packageDocumentation
 * @module minimx
 * @document ../README.md
 * @example
 * import * as mx from 'minimx';
 * const net = new mx.gluon.nn.Sequential();
 * const x = mx.nd.ones([2, 3]);
 */
export {
  autograd,
  Context,
  context,
  cpu,
  currentContext,
  DeviceUnavailableError,
  getBackend,
  gpu,
  NDArray,
  nd,
  random,
  setBackend,
} from '@minimx/ndarray';
export { init } from '@minimx/nn';
// By package name, not './gluon.js', so that index.d.ts re-exports gluon.d.ts instead of inlining it
// (see gluon.ts).
export * as gluon from 'minimx/gluon';
