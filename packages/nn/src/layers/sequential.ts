/**
 * `Sequential`, Gluon's `nn.Sequential`: a list of blocks applied in order, registered under
 * the structural names `0`, `1`, ... so parameter files read `0.weight`, `1.bias`.
 */
import type { NDArray } from '@minimx/ndarray';
import { Block, type BlockOptions } from '../block.js';

/**
 * Stacks blocks; calling it feeds each block's output to the next. MXNet: `nn.Sequential()`.
 * @example
 * const net = new nn.Sequential();
 * net.add(new nn.Dense(256, { activation: 'relu' }), new nn.Dense(10));
 * net.initialize();
 * net(nd.random.uniform({ shape: [2, 20] })).shape; // [2, 10]
 * net.length;                           // 2
 * net.at<nn.Dense>(0).weight.data();    // Gluon: net[0].weight.data()
 */
export class Sequential extends Block {
  constructor(options: BlockOptions = {}) {
    super(options);
  }

  protected override alias(): string {
    return 'sequential';
  }

  /** Appends blocks, in order. MXNet: `net.add(*blocks)`. @example net.add(new nn.Dense(10)) */
  add(...blocks: Block[]): this {
    for (const b of blocks) {
      if (!(b instanceof Block)) throw new TypeError(`${this.name}.add: expected a Block, got ${String(b)}`);
      this.registerChild(b);
    }
    return this;
  }

  /** Number of blocks. MXNet: `len(net)`. */
  override get length(): number {
    return this.children.size;
  }

  /**
   * The block at `index` (negative counts from the end). The type argument is a convenience cast.
   * MXNet: `net[index]`.
   * @example net.at<nn.Dense>(-1).bias.data()
   */
  at<T extends Block = Block>(index: number): T {
    const n = this.children.size;
    const i = index < 0 ? index + n : index;
    if (!Number.isInteger(index) || i < 0 || i >= n) {
      throw new RangeError(`${this.name}: index ${index} is out of range for a Sequential of ${n} blocks`);
    }
    return this._children.get(String(i)) as T;
  }

  /** The same as `at`. MXNet: `net[index]`. @example net.get<nn.Dense>(0).weight */
  get<T extends Block = Block>(index: number): T {
    return this.at<T>(index);
  }

  /** Iterates over the blocks in order. */
  *[Symbol.iterator](): IterableIterator<Block> {
    yield* this.children.values();
  }

  override forward(x: NDArray): NDArray {
    let out = x;
    for (const block of this._children.values()) out = block.forward(out);
    return out;
  }

  override toString(): string {
    return super.toString().replace(/^[^(]*/, 'Sequential');
  }
}
