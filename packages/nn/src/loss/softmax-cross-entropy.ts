/**
 * `SoftmaxCrossEntropyLoss`, Gluon's: `-log softmax(pred)[label]` per sample, computed with
 * ndarray's numerically stable logSoftmax, for sparse (class index) or dense (distribution) labels.
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
  readonly axis: number;
  readonly sparseLabel: boolean;
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
    const logProb = this.fromLogits ? pred : nd.logSoftmax(pred, { axis: this.axis });
    let loss: NDArray;
    if (this.sparseLabel) {
      const axis = this.axis < 0 ? this.axis + pred.ndim : this.axis;
      const expected = pred.shape.filter((_, i) => i !== axis);
      if (label.size !== expected.reduce((a, b) => a * b, 1)) {
        throw new RangeError(
          `${this.name}: sparse label of shape ${formatShape(label.shape)} does not match prediction ${formatShape(pred.shape)} (expected ${formatShape(expected)})`,
        );
      }
      loss = nd.pick(logProb, label.reshape(expected), { axis: this.axis, keepdims: true }).neg();
    } else {
      loss = logProb.mul(this.reshapeLike(label, pred)).sum({ axis: this.axis, keepdims: true }).neg();
    }
    return this.weightAndAverage(loss, sampleWeight);
  }
}
