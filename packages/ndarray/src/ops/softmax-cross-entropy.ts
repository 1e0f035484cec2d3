/**
 * `softmaxCrossEntropy`, the fused softmax cross-entropy with class-index labels that Gluon's
 * `SoftmaxCrossEntropyLoss` computes: `-logSoftmax(pred)[label]` along one axis, one primitive
 * instead of logSoftmax, pick and neg (and, backward, four ops instead of their rules' seven). Its
 * forward kernel computes the stable log-softmax of the labels' classes only, as the log-softmax
 * kernel computes it, so values are those of the composite bit for bit. Its gradient is
 * `(softmax(pred) - onehot(label)) · dy`: while recording, the forward's kernel also keeps the
 * softmax of the same exponentials, and the gradient is one kernel pass over it
 * (`softmaxCrossEntropyBackward`, the values of the ops, bit for bit); when a graph of the
 * gradients is built the rule is written with ops, so higher-order gradients still work.
 */
import { kernels } from '../backend/registry.js';
import { isFloat } from '../dtype.js';
import { needsGrad, recordOp, state } from '../engine.js';
import type { NDArray } from '../ndarray.js';
import { normalizeAxis, reducedShape, shapeToString, sizeOf } from '../shape.js';
import { resolveIndices } from './indexing.js';
import { checkArray, empty } from './operand.js';

/** Options of softmaxCrossEntropy: the class axis (default -1). */
export interface SoftmaxCrossEntropyOptions {
  /** The class axis (default -1). MXNet: `axis`. */
  axis?: number;
}

/**
 * Attributes the primitive records: the clipped label positions, the (outer, len, inner) view, the
 * axis, and the softmax of the input kept by the forward (null when it was not recording).
 */
export interface SoftmaxCrossEntropyAttrs {
  positions: Int32Array;
  outer: number;
  len: number;
  inner: number;
  axis: number;
  prob: NDArray | null;
}

/**
 * The cross-entropy of `softmax(pred)` against class indices `label` along `axis` (default -1):
 * `-log(softmax(pred)[label])`, computed stably; the result has `pred`'s shape without `axis`
 * (shape (1,) for 1-d `pred`). Labels out of range are clipped, as `pick` does. MXNet:
 * `nd.softmax_cross_entropy` sums this over the batch; Gluon's `SoftmaxCrossEntropyLoss` keeps one
 * value per sample, as here.
 * @example nd.softmaxCrossEntropy(nd.array([[1, 2, 3]]), nd.array([2])) // [0.40760595]
 */
export function softmaxCrossEntropy(
  pred: NDArray,
  label: NDArray,
  options: SoftmaxCrossEntropyOptions = {},
): NDArray {
  checkArray('softmaxCrossEntropy', pred, 'pred');
  checkArray('softmaxCrossEntropy', label, 'label');
  if (pred.ndim === 0) throw new RangeError('softmaxCrossEntropy: pred must have a class axis, got shape ()');
  const axis = normalizeAxis('softmaxCrossEntropy', options.axis ?? -1, pred.ndim);
  const len = pred.shape[axis];
  const outShape = reducedShape(pred.shape, [axis], false);
  if (len === 0)
    throw new RangeError(`softmaxCrossEntropy: axis ${axis} of pred ${shapeToString(pred.shape)} is empty`);
  if (label.size !== sizeOf(outShape)) {
    throw new RangeError(
      `softmaxCrossEntropy: label of shape ${shapeToString(label.shape)} does not match pred ${shapeToString(pred.shape)} without axis ${axis} ${shapeToString(outShape)}`,
    );
  }
  const input = isFloat(pred.dtype) ? pred : pred.astype('float32');
  const outer = sizeOf(pred.shape.slice(0, axis));
  const inner = sizeOf(pred.shape.slice(axis + 1));
  const positions = resolveIndices('softmaxCrossEntropy', label, len, 'clip');
  const prob = state.recording && needsGrad(input) ? empty(pred.shape, input.dtype) : null;
  const out = empty(outShape.length === 0 ? [1] : outShape, input.dtype);
  kernels().softmaxCrossEntropy(input.data, outer, len, inner, positions, out.data, prob?.data ?? null);
  const attrs: SoftmaxCrossEntropyAttrs = { positions, outer, len, inner, axis, prob };
  return recordOp('softmaxCrossEntropy', [input], out, attrs as unknown as Record<string, unknown>);
}

/**
 * The gradient of softmaxCrossEntropy from the softmax its forward kept: one kernel pass, the
 * values of `softmax(pred) · dy - pickScatter(dy)` bit for bit. Records nothing (the rule takes it
 * only when no graph of the gradients is being built).
 */
export function softmaxCrossEntropyGrad(prob: NDArray, dy: NDArray, a: SoftmaxCrossEntropyAttrs): NDArray {
  const dx = empty(prob.shape, prob.dtype);
  kernels().softmaxCrossEntropyBackward(prob.data, a.outer, a.len, a.inner, a.positions, dy.data, dx.data);
  return dx;
}
