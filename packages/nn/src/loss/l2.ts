/** `L2Loss` and `L1Loss`, Gluon's regression losses: `weight/2 · (pred-label)²` and `weight · |pred-label|`. */
import type { NDArray } from '@minimx/ndarray';
import { Loss, type LossOptions } from './loss.js';

/**
 * Half squared error per sample, averaged over non-batch axes. MXNet: `gluon.loss.L2Loss(weight=1.0)`.
 * @example new gloss.L2Loss()(nd.array([[1], [2]]), nd.array([0, 0])) // [0.5, 2]
 */
export class L2Loss extends Loss {
  constructor(options: LossOptions = {}) {
    super({ ...options, weight: options.weight ?? 1 });
  }
  protected override alias(): string {
    return 'l2loss';
  }
  override forward(pred: NDArray, label: NDArray, sampleWeight?: NDArray): NDArray {
    const loss = this.reshapeLike(label, pred).sub(pred).square();
    return this.weightAndAverage(loss, sampleWeight, (this.weight ?? 1) / 2);
  }
}

/**
 * Absolute error per sample, averaged over non-batch axes. MXNet: `gluon.loss.L1Loss(weight=None)`.
 * @example new gloss.L1Loss()(nd.array([[1], [-2]]), nd.array([0, 0])) // [1, 2]
 */
export class L1Loss extends Loss {
  protected override alias(): string {
    return 'l1loss';
  }
  override forward(pred: NDArray, label: NDArray, sampleWeight?: NDArray): NDArray {
    const loss = this.reshapeLike(label, pred).sub(pred).abs();
    return this.weightAndAverage(loss, sampleWeight);
  }
}
