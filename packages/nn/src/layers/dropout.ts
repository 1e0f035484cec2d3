/**
 * `Dropout`, Gluon's `nn.Dropout`: inverted dropout, active only in training mode (inside
 * `autograd.record()`), with the mask drawn from ndarray's seeded generator.
 */
import { autograd, type NDArray, nd } from '@minimx/ndarray';
import { Block, type BlockOptions } from '../block.js';

/**
 * Zeroes each element with probability `rate` and scales the rest by 1/(1-rate) while training;
 * the identity otherwise. MXNet: `nn.Dropout(rate)`.
 * @example net.add(new nn.Dense(256, { activation: 'relu' }), new nn.Dropout(0.5))
 */
export class Dropout extends Block {
  /** The fraction of elements zeroed in training, the rest scaled by 1/(1-rate). MXNet: `rate`. */
  readonly rate: number;
  constructor(rate: number, options: BlockOptions = {}) {
    super(options);
    if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) {
      throw new RangeError(`Dropout: rate must be in [0, 1), got ${rate}`);
    }
    this.rate = rate;
  }
  protected override alias(): string {
    return 'dropout';
  }
  override forward(x: NDArray): NDArray {
    if (!autograd.isTraining() || this.rate === 0) return x;
    const keep = 1 - this.rate;
    const mask = nd.random.uniform({ shape: x.shape, dtype: x.dtype === 'float64' ? 'float64' : 'float32' });
    const m = mask.data;
    const scale = 1 / keep;
    for (let i = 0; i < m.length; i++) m[i] = m[i] < keep ? scale : 0;
    return x.mul(mask);
  }
  override toString(): string {
    return `Dropout(p = ${this.rate}, axes=())`;
  }
}
