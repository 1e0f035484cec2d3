/**
 * The softmax family along one axis: `softmax` and `logSoftmax` (primitives with their own
 * stable kernel, since losses call them on every batch) and `logSumExp` (a composite that
 * subtracts the detached maximum, so large inputs neither overflow nor lose precision).
 */
import { kernels } from '../backend/registry.js';
import { isFloat } from '../dtype.js';
import { recordOp } from '../engine.js';
import type { NDArray } from '../ndarray.js';
import { normalizeAxes, normalizeAxis, sizeOf } from '../shape.js';
import { full } from './creation.js';
import { checkArray, empty } from './operand.js';
import { max, resultShape } from './reduce.js';

/** Options of softmax and logSoftmax: the axis (default -1, as MXNet). */
export interface SoftmaxOptions {
  /** The axis the probabilities sum to 1 along (default -1, the last). MXNet: `axis`. */
  axis?: number;
}

function softmaxOp(op: 'softmax' | 'logSoftmax', x: NDArray, options: SoftmaxOptions): NDArray {
  checkArray(op, x);
  if (x.ndim === 0) throw new RangeError(`${op}: the input must have at least one axis, got shape ()`);
  const axis = normalizeAxis(op, options.axis ?? -1, x.ndim);
  const input = isFloat(x.dtype) ? x : x.astype('float32');
  const out = empty(x.shape, input.dtype);
  const outer = sizeOf(x.shape.slice(0, axis));
  const inner = sizeOf(x.shape.slice(axis + 1));
  kernels().softmax(input.data, outer, x.shape[axis], inner, out.data, op === 'logSoftmax');
  return recordOp(op, [input], out, { axis });
}

/**
 * `exp(x) / sum(exp(x))` along `axis` (default -1), computed stably. MXNet: `nd.softmax(data, axis=-1)`.
 * @example nd.softmax(nd.array([[1, 2, 3]])) // [[0.09003057 0.24472848 0.66524094]]
 */
export function softmax(x: NDArray, options: SoftmaxOptions = {}): NDArray {
  return softmaxOp('softmax', x, options);
}

/**
 * `x - logSumExp(x)` along `axis` (default -1), stable for large logits. MXNet: `nd.log_softmax(data, axis=-1)`.
 * @example nd.logSoftmax(logits) // (256,10): log-probabilities per row
 */
export function logSoftmax(x: NDArray, options: SoftmaxOptions = {}): NDArray {
  return softmaxOp('logSoftmax', x, options);
}

/** Options of logSumExp: axis (default all, which gives shape (1,)) and keepdims. */
export interface LogSumExpOptions {
  /** The axis or axes to reduce (default: all). MXNet: `axis`. */
  axis?: number | readonly number[];
  /** Keep the reduced axes with size 1 (default false). MXNet: `keepdims`. */
  keepdims?: boolean;
}

/**
 * `log(sum(exp(x)))` over `axis`, computed as `m + log(sum(exp(x - m)))` with m the (detached) maximum.
 * MXNet has no `nd` spelling; this is `mx.np`'s / SciPy's `logsumexp`.
 * @example nd.logSumExp(nd.array([1000, 1000])).asScalar() // 1000.6931
 */
export function logSumExp(x: NDArray, options: LogSumExpOptions = {}): NDArray {
  checkArray('logSumExp', x);
  const axes = normalizeAxes('logSumExp', options.axis, x.ndim);
  const input = isFloat(x.dtype) ? x : x.astype('float32');
  if (axes.some((a) => x.shape[a] === 0)) {
    // log of an empty sum: -Infinity, as NumPy/SciPy give.
    return full(resultShape(x.shape, axes, options.keepdims ?? false), -Infinity, { dtype: input.dtype });
  }
  const m = max(input.detach(), { axis: axes, keepdims: true });
  const shift = m.data;
  for (let i = 0; i < shift.length; i++) if (!Number.isFinite(shift[i])) shift[i] = 0;
  const summed = input.sub(m).exp().sum({ axis: axes, keepdims: true }).log().add(m);
  return options.keepdims ? summed : summed.reshape(resultShape(x.shape, axes, false));
}
