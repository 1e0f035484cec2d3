/**
 * Adam as MXNet implements it (`adam_update`), with the bias correction folded into the
 * learning rate: `lr_t = lr·sqrt(1-β2^t)/(1-β1^t)`; `g = rescale·g + wd·w` (then clipped);
 * `m = β1·m + (1-β1)·g`; `v = β2·v + (1-β2)·g²`; `w -= lr_t·m/(sqrt(v)+ε)`.
 */
import { type NDArray, nd } from '@minimx/ndarray';
import {
  COMMON_OPTION_KEYS,
  checkNumber,
  checkOptionKeys,
  type FloatArray,
  Optimizer,
  type OptimizerOptions,
  type UpdateContext,
} from './optimizer.js';

/** Options of Adam (MXNet's `beta1`, `beta2`, `epsilon`). */
export interface AdamOptions extends OptimizerOptions {
  /** Decay of the first-moment (mean) estimate, in [0, 1) (default 0.9). MXNet: `beta1`. */
  beta1?: number;
  /** Decay of the second-moment (uncentered variance) estimate, in [0, 1) (default 0.999). MXNet: `beta2`. */
  beta2?: number;
  /** Added to the denominator's square root for stability (default 1e-8). MXNet: `epsilon`. */
  epsilon?: number;
}

/**
 * Adam. MXNet: `mx.optimizer.Adam(learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8)`.
 * @example new Trainer(net.collectParams(), 'adam', { learningRate: 0.01 })
 */
export class Adam extends Optimizer {
  /** Decay of the first-moment estimate. */
  readonly beta1: number;
  /** Decay of the second-moment estimate. */
  readonly beta2: number;
  /** Added to the denominator for stability. */
  readonly epsilon: number;
  constructor(options: AdamOptions = {}) {
    checkOptionKeys('Adam', options, [...COMMON_OPTION_KEYS, 'beta1', 'beta2', 'epsilon']);
    super(options, 0.001);
    // beta = 1 divides by 1 - beta^t = 0; epsilon = 0 divides 0 by 0 where a gradient is 0.
    this.beta1 = checkNumber('Adam', 'beta1', options.beta1, 0.9, { min: 0, max: 1, maxOpen: true });
    this.beta2 = checkNumber('Adam', 'beta2', options.beta2, 0.999, { min: 0, max: 1, maxOpen: true });
    this.epsilon = checkNumber('Adam', 'epsilon', options.epsilon, 1e-8, { min: 0, minOpen: true });
  }

  createState(weight: NDArray): { mean: NDArray; variance: NDArray } {
    return { mean: nd.zerosLike(weight), variance: nd.zerosLike(weight) };
  }

  step(w: FloatArray, g: FloatArray, state: unknown, ctx: UpdateContext): void {
    const { mean, variance } = state as { mean: NDArray; variance: NDArray };
    const m = mean.data as FloatArray;
    const v = variance.data as FloatArray;
    const { beta1: b1, beta2: b2, epsilon: eps } = this;
    const lrT = (ctx.lr * Math.sqrt(1 - b2 ** ctx.t)) / (1 - b1 ** ctx.t);
    const { rescaleGrad: r, wd } = ctx;
    const clip = ctx.clipGradient;
    for (let i = 0; i < w.length; i++) {
      let gi = r * g[i] + wd * w[i];
      if (clip !== null) gi = gi > clip ? clip : Math.max(gi, -clip);
      m[i] = b1 * m[i] + (1 - b1) * gi;
      v[i] = b2 * v[i] + (1 - b2) * gi * gi;
      w[i] -= (lrT * m[i]) / (Math.sqrt(v[i]) + eps);
    }
  }
}
