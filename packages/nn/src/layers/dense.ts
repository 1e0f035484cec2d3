/**
 * `Dense`, Gluon's fully connected layer: `y = act(x · Wᵀ + b)` with the weight stored as
 * (units, inUnits), computed by `nd.fullyConnected` (one primitive for the product, the bias and a
 * relu or sigmoid). With `inUnits` 0 (the default) the input size is inferred on the first
 * forward, which also runs the deferred initializer. `flatten` (default true) collapses every
 * input axis but the first.
 */
import { type DType, type NDArray, nd } from '@minimx/ndarray';
import { Block, type BlockOptions } from '../block.js';
import type { InitializerLike } from '../init.js';
import type { Parameter } from '../parameter.js';
import { formatShape } from '../shape-format.js';
import { type ActivationType, applyActivation, checkActivation } from './activation.js';

/** Options of Dense (MXNet's keyword arguments, camelCased). */
export interface DenseOptions extends BlockOptions {
  /** Activation applied to the output (default none: 'linear'). */
  activation?: ActivationType | null;
  /** Whether to add a bias (default true). */
  useBias?: boolean;
  /** Collapse every input axis but the first (default true); otherwise act on the last axis. */
  flatten?: boolean;
  /** Input size; 0 (default) infers it on the first forward. */
  inUnits?: number;
  /** The weight's initializer (default: the one passed to `initialize`). */
  weightInitializer?: InitializerLike | null;
  /** The bias's initializer (default 'zeros'). */
  biasInitializer?: InitializerLike;
  /** Parameter dtype (default 'float32'). */
  dtype?: DType;
}

/**
 * A fully connected layer. MXNet: `nn.Dense(units, activation=None, use_bias=True, flatten=True, in_units=0)`.
 * @example
 * const layer = new nn.Dense(10);          // input size inferred on the first forward
 * layer.initialize();
 * layer(nd.ones([2, 784])).shape;          // [2, 10]
 * layer.weight.data().shape;               // [10, 784]
 */
export class Dense extends Block {
  /** Output size. */
  readonly units: number;
  /** (units, inUnits). */
  readonly weight: Parameter;
  /** (units,), or null without bias. */
  readonly bias: Parameter | null;
  /** The activation applied to the output, or null for none. MXNet: `activation`. */
  readonly activation: ActivationType | null;
  /** Whether inputs of more than two axes are flattened to (batch, rest) first (default true). MXNet: `flatten`. */
  readonly flatten: boolean;

  constructor(units: number, options: DenseOptions = {}) {
    super(options);
    if (!Number.isInteger(units) || units <= 0) {
      throw new RangeError(`Dense: units must be a positive integer, got ${units}`);
    }
    const inUnits = options.inUnits ?? 0;
    if (!Number.isInteger(inUnits) || inUnits < 0) {
      throw new RangeError(`Dense: inUnits must be a non-negative integer (0 = infer), got ${inUnits}`);
    }
    this.units = units;
    this.flatten = options.flatten ?? true;
    this.activation = options.activation ? checkActivation('Dense', options.activation) : null;
    const dtype = options.dtype ?? 'float32';
    this.weight = this.params.get('weight', {
      shape: [units, inUnits],
      init: options.weightInitializer ?? null,
      dtype,
    });
    this.bias =
      options.useBias === false
        ? null
        : this.params.get('bias', { shape: [units], init: options.biasInitializer ?? 'zeros', dtype });
  }

  protected override alias(): string {
    return 'dense';
  }

  override forward(x: NDArray): NDArray {
    const input = this.flatten && x.ndim !== 2 ? x.reshape(x.shape[0], -1) : x;
    if (input.ndim === 0)
      throw new RangeError(`${this.name}: expected an input with at least one axis, got ()`);
    const features = input.shape[input.ndim - 1];
    const declared = this.weight.shape[1];
    if (declared === 0) {
      this.weight.inferShape([this.units, features]);
    } else if (declared !== features) {
      throw new RangeError(
        `${this.name}: expected input with ${declared} features (weight ${formatShape(this.weight.shape)}), got ${formatShape(x.shape)}`,
      );
    }
    // One primitive for the product, the bias and a relu or sigmoid (the values of dot, add and the
    // activation, bit for bit); other activations run after it.
    const act = this.activation;
    const fused = act === null || act === 'relu' || act === 'sigmoid';
    const out = nd.fullyConnected(input, this.weight.data(), this.bias?.data() ?? null, {
      flatten: false,
      actType: fused ? act : null,
    });
    return fused || act === null ? out : applyActivation(act, out);
  }

  /** `Dense(784 -> 10, linear)`; `None` for a not-yet-inferred input size. */
  override toString(): string {
    const inUnits = this.weight.shape[1] || 'None';
    const act = this.activation ? `Activation(${this.activation})` : 'linear';
    return `Dense(${inUnits} -> ${this.units}, ${act})`;
  }
}
