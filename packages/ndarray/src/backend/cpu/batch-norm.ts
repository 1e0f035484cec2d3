/**
 * Reference CPU kernels of training-mode batch normalization over x viewed as (outer, channels,
 * inner), channel c being every element [o, c, i]: the forward pass with the batch's per-channel
 * mean and biased variance (float64, two passes) and the affine gamma, beta; and the backward pass
 * giving dx, dgamma and dbeta in two passes, recomputing xhat from x and the saved statistics.
 */
import type { TypedArray } from '../../dtype.js';

/** 1/sqrt(variance + eps), or 0 when both are 0 (MXNet's guard against 0/0). */
function inverseStd(variance: number, eps: number): number {
  return variance === 0 && eps === 0 ? 0 : 1 / Math.sqrt(variance + eps);
}

/** mean[c], variance[c] (biased) over (outer, inner), and out = (x - mean[c]) · invstd[c] · gamma[c] + beta[c]. */
export function batchNormForward(
  x: TypedArray,
  outer: number,
  channels: number,
  inner: number,
  eps: number,
  gamma: TypedArray,
  beta: TypedArray,
  out: TypedArray,
  mean: Float64Array,
  variance: Float64Array,
): void {
  const count = outer * inner;
  for (let c = 0; c < channels; c++) {
    let sum = 0;
    for (let o = 0; o < outer; o++) {
      const base = (o * channels + c) * inner;
      for (let i = 0; i < inner; i++) sum += x[base + i];
    }
    const m = sum / count;
    let squares = 0;
    for (let o = 0; o < outer; o++) {
      const base = (o * channels + c) * inner;
      for (let i = 0; i < inner; i++) {
        const d = x[base + i] - m;
        squares += d * d;
      }
    }
    const v = squares / count;
    mean[c] = m;
    variance[c] = v;
    const scale = inverseStd(v, eps) * gamma[c];
    const shift = beta[c];
    for (let o = 0; o < outer; o++) {
      const base = (o * channels + c) * inner;
      for (let i = 0; i < inner; i++) out[base + i] = (x[base + i] - m) * scale + shift;
    }
  }
}

/**
 * With xhat = (x - mean[c]) · invstd[c]: dbeta[c] = Σ dy, dgamma[c] = Σ dy · xhat, and
 * dx = gamma[c] · invstd[c] · (dy - mean_c(dy) - xhat · mean_c(dy · xhat)).
 */
export function batchNormBackward(
  x: TypedArray,
  dy: TypedArray,
  outer: number,
  channels: number,
  inner: number,
  mean: Float64Array,
  invstd: Float64Array,
  gamma: TypedArray,
  dx: TypedArray,
  dgamma: Float64Array,
  dbeta: Float64Array,
): void {
  const count = outer * inner;
  for (let c = 0; c < channels; c++) {
    const m = mean[c];
    const s = invstd[c];
    let sumDy = 0;
    let sumDyX = 0;
    for (let o = 0; o < outer; o++) {
      const base = (o * channels + c) * inner;
      for (let i = 0; i < inner; i++) {
        sumDy += dy[base + i];
        sumDyX += dy[base + i] * (x[base + i] - m) * s;
      }
    }
    dbeta[c] = sumDy;
    dgamma[c] = sumDyX;
    const meanDy = sumDy / count;
    const meanDyX = sumDyX / count;
    const k = gamma[c] * s;
    for (let o = 0; o < outer; o++) {
      const base = (o * channels + c) * inner;
      for (let i = 0; i < inner; i++)
        dx[base + i] = (dy[base + i] - meanDy - (x[base + i] - m) * s * meanDyX) * k;
    }
  }
}
