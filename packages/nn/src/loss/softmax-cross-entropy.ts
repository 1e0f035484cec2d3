/**
 * `SoftmaxCrossEntropyLoss`, Gluon's: `-log softmax(pred)[label]` per sample, computed with
 * ndarray's numerically stable logSoftmax, for sparse (class index) or dense (distribution) labels.
 * Sparse labels take the fused `nd.softmaxCrossEntropy` (one primitive forward and backward).
 */
import { type NDArray, nd } from '@minimx/ndarray';
import { formatShape } from '../shape-format.js';
import { Loss, type LossOptions } from './loss.js';

/** Options of SoftmaxCrossEntropyLoss (MXNet's `axis`, `sparse_label`, `from_logits`). */
export interface SoftmaxCrossEntropyLossOptions extends LossOptions {
  /** The class axis (default -1). */
  axis?: number;
  /** Labels are class indices (default true); otherwise distributions shaped like `pred`. */
  sparseLabel?: boolean;
  /** `pred` already holds log-probabilities (default false). */
  fromLogits?: boolean;
}

/**
 * Softmax cross-entropy, one value per sample (shape (batch,)); stable for huge logits.
 * MXNet: `gluon.loss.SoftmaxCrossEntropyLoss(axis=-1, sparse_label=True, from_logits=False)`.
 * @example
 * const loss = new gloss.SoftmaxCrossEntropyLoss();
 * loss(nd.array([[1, 2, 3]]), nd.array([2])); // [0.4076]
 */
export class SoftmaxCrossEntropyLoss extends Loss {
  /** The class axis (default -1). MXNet: `axis`. */
  readonly axis: number;
  /** Labels are class indices (default true) rather than distributions over the classes. MXNet: `sparse_label`. */
  readonly sparseLabel: boolean;
  /** Whether the predictions are already log-probabilities (default false). MXNet: `from_logits`. */
  readonly fromLogits: boolean;

  constructor(options: SoftmaxCrossEntropyLossOptions = {}) {
    super(options);
    this.axis = options.axis ?? -1;
    this.sparseLabel = options.sparseLabel ?? true;
    this.fromLogits = options.fromLogits ?? false;
  }

  protected override alias(): string {
    return 'softmaxcrossentropyloss';
  }

  override forward(pred: NDArray, label: NDArray, sampleWeight?: NDArray): NDArray {
    if (pred.ndim === 0) throw new RangeError(`${this.name}: prediction must have a class axis, got ()`);
    let loss: NDArray;
    if (this.sparseLabel) {
      const axis = this.axis < 0 ? this.axis + pred.ndim : this.axis;
      const expected = pred.shape.filter((_, i) => i !== axis);
      if (label.size !== expected.reduce((a, b) => a * b, 1)) {
        throw new RangeError(
          `${this.name}: sparse label of shape ${formatShape(label.shape)} does not match prediction ${formatShape(pred.shape)} (expected ${formatShape(expected)})`,
        );
      }
      if (this.fromLogits) {
        loss = nd.pick(pred, label.reshape(expected), { axis: this.axis, keepdims: true }).neg();
      } else {
        // One fused primitive, the same values as -pick(logSoftmax(pred)) bit for bit. For (batch,
        // classes) without sample weights it is already the per-sample loss (the mean over the kept
        // size-1 class axis would only copy it); otherwise the class axis is kept as size 1, so that
        // the weighting and the mean below see what they always saw.
        loss = nd.softmaxCrossEntropy(pred, label, { axis });
        const batchAxis = this.batchAxis < 0 ? this.batchAxis + pred.ndim : this.batchAxis;
        if (pred.ndim === 2 && axis === 1 && batchAxis === 0 && !sampleWeight)
          return this.weight === null || this.weight === undefined ? loss : loss.mul(this.weight);
        loss = loss.reshape(pred.shape.map((d, i) => (i === axis ? 1 : d)));
      }
    } else {
      const logProb = this.fromLogits ? pred : nd.logSoftmax(pred, { axis: this.axis });
      loss = logProb.mul(this.reshapeLike(label, pred)).sum({ axis: this.axis, keepdims: true }).neg();
    }
    return this.weightAndAverage(loss, sampleWeight);
  }
}
