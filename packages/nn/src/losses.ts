/** The `loss` namespace, Gluon's `gluon.loss`: the Loss base class and the built-in losses. */
export { L1Loss, L2Loss } from './loss/l2.js';
export { Loss, type LossOptions } from './loss/loss.js';
export {
  SigmoidBinaryCrossEntropyLoss,
  type SigmoidBinaryCrossEntropyLossOptions,
} from './loss/sigmoid-binary-cross-entropy.js';
export {
  SoftmaxCrossEntropyLoss,
  type SoftmaxCrossEntropyLossOptions,
} from './loss/softmax-cross-entropy.js';
