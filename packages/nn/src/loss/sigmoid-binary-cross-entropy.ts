/**
 * `SigmoidBinaryCrossEntropyLoss`, Gluon's: binary cross-entropy on logits in the stable form
 * `max(x,0) - x·z + log(1 + e^-|x|)`, or on probabilities with `fromSigmoid`.
 */
import { type NDArray, nd } from '@minimx/ndarray';
import { Loss, type LossOptions } from './loss.js';

/** Options of SigmoidBinaryCrossEntropyLoss. */
export interface SigmoidBinaryCrossEntropyLossOptions extends LossOptions {
  /** `pred` already holds probabilities in (0,1) (default false: logits). */
  fromSigmoid?: boolean;
}

/**
 * Binary cross-entropy per sample. MXNet: `gluon.loss.SigmoidBinaryCrossEntropyLoss(from_sigmoid=False)`.
 * @example new gloss.SigmoidBinaryCrossEntropyLoss()(nd.array([[0]]), nd.array([[1]])) // [0.6931]
 */
export class SigmoidBinaryCrossEntropyLoss extends Loss {
  /** Whether the predictions are already probabilities (default false: logits). MXNet: `from_sigmoid`. */
  readonly fromSigmoid: boolean;
  constructor(options: SigmoidBinaryCrossEntropyLossOptions = {}) {
    super(options);
    this.fromSigmoid = options.fromSigmoid ?? false;
  }
  protected override alias(): string {
    return 'sigmoidbinarycrossentropyloss';
  }
  override forward(pred: NDArray, label: NDArray, sampleWeight?: NDArray): NDArray {
    const z = this.reshapeLike(label, pred);
    let loss: NDArray;
    if (!this.fromSigmoid) {
      loss = pred.relu().sub(pred.mul(z)).add(nd.softrelu(pred.abs().neg()));
    } else {
      const eps = 1e-12;
      loss = pred
        .add(eps)
        .log()
        .mul(z)
        .add(
          pred
            .neg()
            .add(1 + eps)
            .log()
            .mul(z.neg().add(1)),
        )
        .neg();
    }
    return this.weightAndAverage(loss, sampleWeight);
  }
}
