/**
 * SGD with optional momentum, as MXNet's `sgd_update` / `sgd_mom_update`:
 * `w -= lr·(rescale·g + wd·w)`, or with momentum `m = μ·m - lr·(rescale·g + wd·w); w += m`.
 */
import { type NDArray, nd } from '@minimx/ndarray';
import {
  COMMON_OPTION_KEYS,
  checkNumber,
  checkOptionKeys,
  type FloatArray,
  Optimizer,
  type OptimizerOptions,
  rescaled,
  type UpdateContext,
} from './optimizer.js';

/** Options of SGD. */
export interface SGDOptions extends OptimizerOptions {
  /** Momentum μ (default 0: plain SGD). */
  momentum?: number;
}

/**
 * Stochastic gradient descent. MXNet: `mx.optimizer.SGD(learning_rate=0.01, momentum=0, wd=0)`,
 * Gluon: `Trainer(params, 'sgd', {'learning_rate': 0.1, 'momentum': 0.9})`.
 * @example new Trainer(net.collectParams(), 'sgd', { learningRate: 0.1, momentum: 0.9, wd: 1e-4 })
 */
export class SGD extends Optimizer {
  /** The momentum μ (0: plain SGD). */
  readonly momentum: number;
  constructor(options: SGDOptions = {}) {
    checkOptionKeys('SGD', options, [...COMMON_OPTION_KEYS, 'momentum']);
    super(options, 0.01);
    this.momentum = checkNumber('SGD', 'momentum', options.momentum, 0, { min: 0 });
  }

  createState(weight: NDArray): NDArray | null {
    return this.momentum === 0 ? null : nd.zerosLike(weight);
  }

  step(w: FloatArray, g: FloatArray, state: unknown, ctx: UpdateContext): void {
    const { lr, wd } = ctx;
    if (state === null) {
      if (ctx.clipGradient === null) {
        const r = ctx.rescaleGrad;
        for (let i = 0; i < w.length; i++) w[i] -= lr * (r * g[i] + wd * w[i]);
      } else {
        for (let i = 0; i < w.length; i++) w[i] -= lr * (rescaled(g[i], ctx) + wd * w[i]);
      }
      return;
    }
    const m = (state as NDArray).data as FloatArray;
    const mu = this.momentum;
    for (let i = 0; i < w.length; i++) {
      m[i] = mu * m[i] - lr * (rescaled(g[i], ctx) + wd * w[i]);
      w[i] += m[i];
    }
  }
}
