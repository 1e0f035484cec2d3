/**
 * Batch normalization, MXNet's `nd.BatchNorm`: per-channel statistics over every axis but `axis`,
 * the batch's while training, the moving ones otherwise, and the moving statistics updated in
 * place, outside the tape, during the training-mode forward pass. Training runs on the fused
 * `batchNormTrain` primitive (statistics, normalization and affine in one kernel, the three
 * gradients in another), since a composite of ops took about 15 full-size passes per step;
 * prediction is a composite of broadcast ops.
 */
import { kernels } from '../backend/registry.js';
import { needsGrad, recordOp, state } from '../engine.js';
import type { NDArray } from '../ndarray.js';
import { normalizeAxis, shapeToString, sizeOf } from '../shape.js';
import { checkArray, empty } from './operand.js';

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
  const x = data.dtype === 'float64' || data.dtype === 'float32' ? data : data.astype('float32');
  const g = fixGamma ? gamma.mul(0).add(1) : gamma;
  if (state.training && !(options.useGlobalStats ?? false)) {
    if (data.size === 0) {
      throw new RangeError(
        `${op}: cannot take batch statistics of the empty data ${shapeToString(data.shape)}`,
      );
    }
    const { out, mean, variance } = batchNormTrain(x, g, beta, axis, eps);
    const mm = movingMean.data;
    const mv = movingVar.data;
    for (let c = 0; c < channels; c++) {
      mm[c] = momentum * mm[c] + (1 - momentum) * mean[c];
      mv[c] = momentum * mv[c] + (1 - momentum) * variance[c];
    }
    return out;
  }
  const scale = g.reshape(perChannel).div(movingVar.reshape(perChannel).add(eps).sqrt());
  return x.sub(movingMean.reshape(perChannel)).mul(scale).add(beta.reshape(perChannel));
}

/** 1/sqrt(variance + eps), or 0 when both are 0 (MXNet's guard against 0/0, as the kernels do). */
const inverseStd = (v: number, eps: number) => (v === 0 && eps === 0 ? 0 : 1 / Math.sqrt(v + eps));

/** The attributes the batchNormTrain primitive records: the axis, eps and the batch statistics. */
export type BatchNormTrainAttrs = {
  readonly axis: number;
  readonly eps: number;
  readonly mean: Float64Array;
  readonly invstd: Float64Array;
};

/** x viewed as (outer, channels, inner) around `axis`. */
function view(x: NDArray, axis: number): [number, number, number] {
  return [sizeOf(x.shape.slice(0, axis)), x.shape[axis], sizeOf(x.shape.slice(axis + 1))];
}

/**
 * The batchNormTrain primitive: out = (x - mean) / sqrt(variance + eps) · gamma + beta with the
 * batch's per-channel mean and biased variance along `axis` (one fused kernel), which it also returns.
 */
export function batchNormTrain(
  x: NDArray,
  gamma: NDArray,
  beta: NDArray,
  axis: number,
  eps: number,
): { out: NDArray; mean: Float64Array; variance: Float64Array } {
  const [outer, channels, inner] = view(x, axis);
  const out = empty(x.shape, x.dtype);
  const mean = new Float64Array(channels);
  const variance = new Float64Array(channels);
  kernels().batchNormForward(
    x.data,
    outer,
    channels,
    inner,
    eps,
    gamma.data,
    beta.data,
    out.data,
    mean,
    variance,
  );
  const invstd = variance.map((v) => inverseStd(v, eps));
  const attrs: BatchNormTrainAttrs = { axis, eps, mean, invstd };
  recordOp('batchNormTrain', [x, gamma, beta], out, attrs);
  return { out, mean, variance };
}

/**
 * The gradients of batchNormTrain with respect to x, gamma and beta: with xhat the normalized x,
 * dbeta = Σ dy, dgamma = Σ dy·xhat, dx = gamma/σ · (dy - mean(dy) - xhat · mean(dy·xhat)) per
 * channel. One fused kernel; when the gradient is itself being recorded (createGraph) it is built
 * from differentiable ops instead, recomputing the statistics from x, so higher orders work too.
 */
export function batchNormTrainGrad(
  inputs: readonly NDArray[],
  dyIn: NDArray,
  a: BatchNormTrainAttrs,
  needs: readonly boolean[],
): [NDArray | null, NDArray | null, NDArray | null] {
  const [x, gamma, beta] = inputs;
  const dy = dyIn.dtype === x.dtype ? dyIn : dyIn.astype(x.dtype);
  if (state.recording && (needsGrad(dy) || inputs.some(needsGrad))) {
    const others = x.shape.map((_, i) => i).filter((i) => i !== a.axis);
    const perChannel = x.shape.map((d, i) => (i === a.axis ? d : 1));
    const mean = (v: NDArray) => v.mean({ axis: others, keepdims: true });
    const centered = x.sub(mean(x));
    const invstd = mean(centered.square()).add(a.eps).sqrt().reciprocal();
    const xhat = centered.mul(invstd);
    const dxhat = dy.mul(gamma.reshape(perChannel));
    return [
      needs[0]
        ? dxhat
            .sub(mean(dxhat))
            .sub(xhat.mul(mean(dxhat.mul(xhat))))
            .mul(invstd)
        : null,
      needs[1] ? dy.mul(xhat).sum({ axis: others }) : null,
      needs[2] ? dy.sum({ axis: others }) : null,
    ];
  }
  const [outer, channels, inner] = view(x, a.axis);
  const dx = empty(x.shape, x.dtype);
  const dgamma = new Float64Array(channels);
  const dbeta = new Float64Array(channels);
  kernels().batchNormBackward(
    x.data,
    dy.data,
    outer,
    channels,
    inner,
    a.mean,
    a.invstd,
    gamma.data,
    dx.data,
    dgamma,
    dbeta,
  );
  const perChannelArray = (v: Float64Array, like: NDArray) => {
    const arr = empty([channels], like.dtype);
    arr.data.set(v);
    return arr;
  };
  return [dx, perChannelArray(dgamma, gamma), perChannelArray(dbeta, beta)];
}
