/**
 * The custom-layer examples quoted by docs/adding-a-layer.md (d2l sections 4.1, 4.3 and 4.4):
 * `MLP` (children assigned to fields), `CenteredLayer` (no parameters), `MyDense` (its own
 * parameters), `MyLazyDense` (an input size inferred on the first forward) and `MyInit` (a custom
 * initializer). The doc quotes the regions below verbatim and custom-layer.test.ts checks that it
 * still does.
 */
import { type NDArray, nd } from '@minimx/ndarray';
import { init, nn, type Parameter } from '../index.js';

// #region MLP
/** A model with two children, registered by assignment. d2l: `class MLP(nn.Block)`. */
export class MLP extends nn.Block {
  hidden = new nn.Dense(256, { activation: 'relu' });
  output = new nn.Dense(10);
  override forward(x: NDArray): NDArray {
    return this.output(this.hidden(x));
  }
}
// #endregion

// #region CenteredLayer
/** Subtracts the mean: a layer without parameters. d2l: `class CenteredLayer(nn.Block)`. */
export class CenteredLayer extends nn.Block {
  override forward(x: NDArray): NDArray {
    return x.sub(x.mean());
  }
}
// #endregion

// #region MyDense
/** A dense layer with a ReLU, weight (inUnits, units). d2l: `class MyDense(nn.Block)`. */
export class MyDense extends nn.Block {
  readonly weight: Parameter;
  readonly bias: Parameter;
  constructor(units: number, inUnits: number) {
    super();
    this.weight = this.params.get('weight', { shape: [inUnits, units] });
    this.bias = this.params.get('bias', { shape: [units] });
  }
  override forward(x: NDArray): NDArray {
    const linear = nd.dot(x, this.weight.data()).add(this.bias.data());
    return nd.relu(linear);
  }
}
// #endregion

// #region MyLazyDense
/** MyDense whose input size is inferred on the first forward (0 marks the unknown extent). */
export class MyLazyDense extends nn.Block {
  readonly weight: Parameter;
  constructor(readonly units: number) {
    super();
    this.weight = this.params.get('weight', { shape: [0, units] });
  }
  override forward(x: NDArray): NDArray {
    if (this.weight.shape[0] === 0) this.weight.inferShape([x.shape[1], this.units]);
    return nd.dot(x, this.weight.data());
  }
}
// #endregion

// #region MyInit
/** Draws U(-10, 10) and zeroes values with |w| < 5. d2l: `class MyInit(init.Initializer)`. */
export class MyInit extends init.Initializer {
  readonly seen: string[] = [];
  override initWeight(name: string, arr: NDArray): void {
    this.seen.push(`Init ${name} (${arr.shape.join(', ')})`);
    arr.set(nd.random.uniform({ low: -10, high: 10, shape: arr.shape }));
    arr.set(arr.mul(arr.abs().greaterEqual(5)));
  }
}
// #endregion
