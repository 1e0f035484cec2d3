/**
 * Batch normalization, MXNet's `nd.BatchNorm`, as a composite of existing ops (so its gradient
 * comes from theirs): per-channel statistics over every axis but `axis`, the batch's while
 * training, the moving ones otherwise, and the moving statistics updated in place, outside the
 * tape, during the training-mode forward pass.
 */
import { state } from '../engine.js';
import type { NDArray } from '../ndarray.js';
import { normalizeAxis, shapeToString } from '../shape.js';
import { checkArray } from './operand.js';

/** Options of `batchNorm` (MXNet's keyword arguments and defaults, camelCased). */
export interface BatchNormOptions {
  /** Added to the variance before the square root (default 1e-3, as MXNet's op; Gluon's layer uses 1e-5). */
  eps?: number;
  /** moving = momentum · moving + (1 - momentum) · batch statistic (default 0.9). */
  momentum?: number;
  /** Treat gamma as 1, giving it a zero gradient (default true, as MXNet's op; Gluon's layer passes false). */
  fixGamma?: boolean;
  /** Normalise with the moving statistics even while training (default false). */
  useGlobalStats?: boolean;
  /** The channel axis (default 1). */
  axis?: number;
}

/**
 * Normalises `data` per channel along `axis`: (x - mean) / sqrt(var + eps) · gamma + beta. While
 * training (inside `autograd.record()`, or `trainMode`) and without `useGlobalStats`, mean and
 * var are the batch's (the biased variance, over every axis but `axis`) and `movingMean` and
 * `movingVar` are updated in place as `moving = momentum · moving + (1 - momentum) · batch`, with
 * the biased variance as MXNet does (PyTorch uses the unbiased one); otherwise the moving
 * statistics are used and nothing is updated. gamma, beta, movingMean and movingVar have shape
 * (C,). MXNet: `nd.BatchNorm(data, gamma, beta, moving_mean, moving_var, eps=1e-3, momentum=0.9,
 * fix_gamma=True, use_global_stats=False, axis=1)`. Two differences from MXNet 1.x's CPU kernel
 * (src/operator/nn/batch_norm.cc): it updates the moving statistics in its backward pass (so a
 * training-mode forward that is never differentiated leaves them alone), here the forward pass does,
 * as PyTorch's does; and with fixGamma it writes ones into gamma, here gamma is only ignored.
 * @example
 * const C = 3;
 * const y = autograd.record(() =>
 *   nd.batchNorm(x, nd.ones([C]), nd.zeros([C]), movingMean, movingVar, { fixGamma: false }));
 */
export function batchNorm(
  data: NDArray,
  gamma: NDArray,
  beta: NDArray,
  movingMean: NDArray,
  movingVar: NDArray,
  options: BatchNormOptions = {},
): NDArray {
  const op = 'batchNorm';
  checkArray(op, data, 'data');
  if (data.ndim < 2) {
    throw new RangeError(
      `${op}: data must have at least 2 axes (batch, channels, ...), got shape ${shapeToString(data.shape)}`,
    );
  }
  const axis = normalizeAxis(op, options.axis ?? 1, data.ndim);
  const channels = data.shape[axis];
  const params = { gamma, beta, movingMean, movingVar };
  for (const [name, p] of Object.entries(params)) {
    checkArray(op, p, name);
    if (p.ndim !== 1 || p.shape[0] !== channels) {
      throw new RangeError(
        `${op}: ${name} ${shapeToString(p.shape)} must have shape (${channels},), the size of axis ${axis} of data ${shapeToString(data.shape)}`,
      );
    }
  }
  const eps = options.eps ?? 1e-3;
  const momentum = options.momentum ?? 0.9;
  if (!(eps >= 0)) throw new RangeError(`${op}: eps must be non-negative, got ${eps}`);
  const fixGamma = options.fixGamma ?? true;
  const perChannel = data.shape.map((d, i) => (i === axis ? d : 1));
  const others = data.shape.map((_, i) => i).filter((i) => i !== axis);
  const x = data.dtype === 'float64' || data.dtype === 'float32' ? data : data.astype('float32');
  const g = fixGamma ? gamma.mul(0).add(1) : gamma;
  const training = state.training && !(options.useGlobalStats ?? false);
  let centered: NDArray;
  let variance: NDArray;
  if (training) {
    if (others.every((i) => data.shape[i] === 0) || data.size === 0) {
      throw new RangeError(
        `${op}: cannot take batch statistics of the empty data ${shapeToString(data.shape)}`,
      );
    }
    const mean = x.mean({ axis: others, keepdims: true });
    centered = x.sub(mean);
    variance = centered.square().mean({ axis: others, keepdims: true });
    const m = mean.detach().data;
    const v = variance.detach().data;
    const mm = movingMean.data;
    const mv = movingVar.data;
    for (let c = 0; c < channels; c++) {
      mm[c] = momentum * mm[c] + (1 - momentum) * m[c];
      mv[c] = momentum * mv[c] + (1 - momentum) * v[c];
    }
  } else {
    centered = x.sub(movingMean.reshape(perChannel));
    variance = movingVar.reshape(perChannel);
  }
  const scale = g.reshape(perChannel).div(variance.add(eps).sqrt());
  return centered.mul(scale).add(beta.reshape(perChannel));
}
