/**
 * The `Loss` base class, Gluon's `gluon.loss.Loss`: a Block whose `forward(pred, label,
 * sampleWeight?)` returns one value per sample. It holds the shared weighting rule (multiply
 * by `sampleWeight`, broadcast, then by the scalar `weight`) and the final mean over every axis
 * except the batch axis.
 */
import type { NDArray } from '@minimx/ndarray';
import { Block, type BlockOptions } from '../block.js';
import { formatShape } from '../shape-format.js';

/** Options every loss accepts. */
export interface LossOptions extends BlockOptions {
  /** A global scalar weight on the loss (default 1; L2Loss multiplies it by 1/2). */
  weight?: number | null;
  /** The batch axis (default 0). */
  batchAxis?: number;
}

/**
 * Base class of losses. Subclasses implement `forward(pred, label, sampleWeight?)` and finish
 * with `this.weightAndAverage(loss, sampleWeight)`; users call the loss itself, `loss(yHat, y)`,
 * as Gluon does. MXNet: `gluon.loss.Loss(weight, batch_axis)`.
 * @example
 * class MyL4Loss extends loss.Loss {
 *   override forward(pred: NDArray, label: NDArray, sampleWeight?: NDArray) {
 *     return this.weightAndAverage(pred.sub(label.reshape(pred.shape)).pow(4), sampleWeight);
 *   }
 * }
 * const l = new MyL4Loss()(net(X), y); // one value per sample
 */
export abstract class Loss extends Block {
  /** A global scale of the loss, or null for none. MXNet: `weight`. */
  readonly weight: number | null;
  /** The axis that holds the samples; the loss is averaged over the others (default 0). MXNet: `batch_axis`. */
  readonly batchAxis: number;

  constructor(options: LossOptions = {}) {
    super(options);
    this.weight = options.weight ?? null;
    this.batchAxis = options.batchAxis ?? 0;
  }

  /** Computes the per-sample loss, shape (batch,); `loss(pred, label, sampleWeight)` calls it. Gluon: `loss(pred, label, sample_weight)`. */
  abstract override forward(pred: NDArray, label: NDArray, sampleWeight?: NDArray): NDArray;

  /** Multiplies by `sampleWeight` (broadcast) and `weight`, then averages all axes but the batch axis. */
  protected weightAndAverage(loss: NDArray, sampleWeight?: NDArray, weight = this.weight): NDArray {
    let out = loss;
    if (sampleWeight) out = out.mul(sampleWeight);
    if (weight !== null && weight !== undefined) out = out.mul(weight);
    const batchAxis = this.batchAxis < 0 ? this.batchAxis + out.ndim : this.batchAxis;
    const axes: number[] = [];
    for (let i = 0; i < out.ndim; i++) if (i !== batchAxis) axes.push(i);
    return axes.length ? out.mean({ axis: axes }) : out;
  }

  /** `label` reshaped like `pred` (Gluon's `_reshape_like`), or an error naming both shapes. */
  protected reshapeLike(label: NDArray, pred: NDArray): NDArray {
    if (label.size !== pred.size) {
      throw new RangeError(
        `${this.name}: label of shape ${formatShape(label.shape)} does not match prediction ${formatShape(pred.shape)}`,
      );
    }
    return label.ndim === pred.ndim && label.shape.every((d, i) => d === pred.shape[i])
      ? label
      : label.reshape(pred.shape);
  }

  override toString(): string {
    return `${this.constructor.name}(batch_axis=${this.batchAxis}, w=${this.weight ?? 'None'})`;
  }
}
