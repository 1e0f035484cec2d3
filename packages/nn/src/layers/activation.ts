/**
 * `Activation`, Gluon's `nn.Activation`: an element-wise nonlinearity as a layer, and the
 * table of activation names shared with Dense's `activation` option.
 */
import { type NDArray, nd } from '@minimx/ndarray';
import { Block, type BlockOptions } from '../block.js';

/** The activation names MXNet's `Activation(act_type)` accepts. */
export type ActivationType = 'relu' | 'sigmoid' | 'tanh' | 'softrelu' | 'softsign';

const activations: Record<ActivationType, (x: NDArray) => NDArray> = {
  relu: (x) => x.relu(),
  sigmoid: (x) => x.sigmoid(),
  tanh: (x) => x.tanh(),
  softrelu: (x) => nd.softrelu(x),
  softsign: (x) => x.div(x.abs().add(1)),
};

/** Applies the activation `type` to `x`, or throws naming the unknown type. */
export function applyActivation(type: ActivationType, x: NDArray): NDArray {
  const fn = activations[checkActivation('Activation', type)];
  return fn(x);
}

/** Validates an activation name (used by Activation and Dense). */
export function checkActivation(where: string, type: unknown): ActivationType {
  if (typeof type === 'string' && Object.hasOwn(activations, type)) return type as ActivationType;
  throw new RangeError(
    `${where}: unknown activation ${JSON.stringify(type)}; expected one of ${Object.keys(activations).join(', ')}`,
  );
}

/**
 * An activation layer, named after its type as Gluon names it (`relu0`, `tanh0`).
 * MXNet: `nn.Activation('relu')`.
 * @example
 * net.add(new nn.Dense(256), new nn.Activation('relu'));
 * new nn.Activation('tanh').name; // 'tanh0'
 */
export class Activation extends Block {
  /** The activation function's name ('relu', 'sigmoid', 'tanh', 'softrelu', 'softsign'). */
  readonly activation: ActivationType;
  constructor(activation: ActivationType, options: BlockOptions = {}) {
    super(options);
    this.activation = checkActivation('Activation', activation);
  }
  protected override alias(): string {
    return this.activation;
  }
  override forward(x: NDArray): NDArray {
    return applyActivation(this.activation, x);
  }
  override toString(): string {
    return `Activation(${this.activation})`;
  }
}
