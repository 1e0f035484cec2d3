/** `Flatten`, Gluon's `nn.Flatten`: collapses every axis but the first, (N, ...) -> (N, rest). */
import type { NDArray } from '@minimx/ndarray';
import { Block, type BlockOptions } from '../block.js';

/**
 * Reshapes (N, d1, d2, ...) to (N, d1·d2·...). MXNet: `nn.Flatten()`.
 * @example new nn.Flatten()(nd.zeros([2, 1, 28, 28])).shape // [2, 784]
 */
export class Flatten extends Block {
  constructor(options: BlockOptions = {}) {
    super(options);
  }
  protected override alias(): string {
    return 'flatten';
  }
  override forward(x: NDArray): NDArray {
    if (x.ndim === 0) throw new RangeError(`${this.name}: cannot flatten a 0-d array`);
    return x.reshape(x.shape[0], x.shape[0] === 0 ? 0 : -1);
  }
  override toString(): string {
    return 'Flatten';
  }
}
