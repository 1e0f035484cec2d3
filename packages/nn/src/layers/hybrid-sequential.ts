/**
 * `HybridSequential`, Gluon's `nn.HybridSequential`: the container chapter 5 of d2l builds its
 * networks in. There is no symbolic graph to compile, so it is Sequential under Gluon's name
 * (`hybridsequential0`, printed `HybridSequential(...)`), and `hybridize()` stays a no-op.
 */
import type { BlockOptions } from '../block.js';
import { Sequential } from './sequential.js';

/**
 * Stacks blocks; `forward` feeds each block's output to the next. MXNet: `nn.HybridSequential()`.
 * @example
 * const net = new nn.HybridSequential();
 * net.add(new nn.Conv2D(6, { kernelSize: 5, activation: 'sigmoid' }), new nn.MaxPool2D({ poolSize: 2, strides: 2 }));
 * net.hybridize();  // a no-op, kept for line-by-line translation
 */
export class HybridSequential extends Sequential {
  constructor(options: BlockOptions = {}) {
    super(options);
  }

  protected override alias(): string {
    return 'hybridsequential';
  }

  override toString(): string {
    return super.toString().replace(/^Sequential/, 'HybridSequential');
  }
}
