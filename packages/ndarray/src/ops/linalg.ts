/**
 * Matrix products: `dot` (MXNet's contraction of the last axis of a with the first of b, with
 * optional transposes for matrices) and `batchDot`, both on the `matmul` primitive.
 */
import { kernels } from '../backend/registry.js';
import { promote } from '../dtype.js';
import { recordOp } from '../engine.js';
import type { NDArray } from '../ndarray.js';
import { shapeToString } from '../shape.js';
import { checkArray, empty } from './operand.js';

/** Options of `dot` and `batchDot`. */
export interface DotOptions {
  /** Use the transpose of the first operand (default false). MXNet: `transpose_a`. */
  transposeA?: boolean;
  /** Use the transpose of the second operand (default false); read in place, not copied. MXNet: `transpose_b`. */
  transposeB?: boolean;
}

/**
 * The matmul primitive on 2-D (m,k)x(k,n) or 3-D batched operands, with transposes folded in.
 * Gradients are matmuls too (see gradients.ts).
 */
export function matmul(a: NDArray, b: NDArray, transA: boolean, transB: boolean, op = 'dot'): NDArray {
  const batched = a.ndim === 3;
  const [batch, ar, ac] = batched ? a.shape : [1, a.shape[0], a.shape[1]];
  const [bBatch, br, bc] = b.ndim === 3 ? b.shape : [1, b.shape[0], b.shape[1]];
  const m = transA ? ac : ar;
  const k = transA ? ar : ac;
  const kb = transB ? bc : br;
  const n = transB ? br : bc;
  if (k !== kb || batch !== bBatch || a.ndim !== b.ndim) {
    const ta = transA ? 'ᵀ' : '';
    const tb = transB ? 'ᵀ' : '';
    throw new RangeError(
      `${op}: cannot multiply ${shapeToString(a.shape)}${ta} by ${shapeToString(b.shape)}${tb}`,
    );
  }
  const dtype = promote(a.dtype, b.dtype);
  const x = a.dtype === dtype ? a : a.astype(dtype);
  const y = b.dtype === dtype ? b : b.astype(dtype);
  const out = empty(batched ? [batch, m, n] : [m, n], dtype);
  kernels().matmul(x.data, y.data, out.data, batch, m, n, k, transA, transB);
  return recordOp('matmul', [x, y], out, { transA, transB });
}

/**
 * Dot product: vectors give a (1,) array, matrices a matrix product; N-d arrays contract the
 * last axis of `a` with the first axis of `b`. MXNet: `nd.dot(a, b, transpose_a, transpose_b)`.
 * @example nd.dot(X.reshape(-1, 784), W)  // (256,784) x (784,10) -> (256,10)
 */
export function dot(a: NDArray, b: NDArray, options: DotOptions = {}): NDArray {
  checkArray('dot', a, 'a');
  checkArray('dot', b, 'b');
  const transA = options.transposeA ?? false;
  const transB = options.transposeB ?? false;
  if (a.ndim === 0 || b.ndim === 0)
    throw new RangeError(
      `dot: scalars ${shapeToString(a.shape)} and ${shapeToString(b.shape)} are not supported; use multiply`,
    );
  if ((transA && a.ndim > 2) || (transB && b.ndim > 2)) {
    throw new RangeError(
      `dot: transposeA/transposeB need at most 2-D operands, got ${shapeToString(a.shape)} and ${shapeToString(b.shape)}`,
    );
  }
  if (a.ndim === 1 && b.ndim === 1) {
    if (a.shape[0] !== b.shape[0])
      throw new RangeError(`dot: cannot multiply ${shapeToString(a.shape)} by ${shapeToString(b.shape)}`);
    return matmul(a.reshape(1, -1), b.reshape(-1, 1), false, false).reshape(1);
  }
  const a2 = a.ndim === 1 ? a.reshape(1, -1) : a.ndim > 2 ? a.reshape(-1, a.shape[a.ndim - 1]) : a;
  const b2 = b.ndim === 1 ? b.reshape(-1, 1) : b.ndim > 2 ? b.reshape(b.shape[0], -1) : b;
  const kA = transA ? a2.shape[0] : a2.shape[1];
  const kB = transB ? b2.shape[1] : b2.shape[0];
  if (kA !== kB) {
    const ta = transA ? 'ᵀ' : '';
    const tb = transB ? 'ᵀ' : '';
    throw new RangeError(
      `dot: cannot multiply ${shapeToString(a.shape)}${ta} by ${shapeToString(b.shape)}${tb}`,
    );
  }
  const out = matmul(a2, b2, transA, transB);
  const lead = a.ndim === 1 ? [] : a.ndim > 2 ? a.shape.slice(0, -1) : [out.shape[0]];
  const tail = b.ndim === 1 ? [] : b.ndim > 2 ? b.shape.slice(1) : [out.shape[1]];
  const shape = [...lead, ...tail];
  return out.shape.length === shape.length && out.shape.every((d, i) => d === shape[i])
    ? out
    : out.reshape(...shape);
}

/**
 * Batched matrix product of (B,m,k) and (B,k,n) arrays. MXNet: `nd.batch_dot`.
 * @example nd.batchDot(x, y, { transposeB: true })
 */
export function batchDot(a: NDArray, b: NDArray, options: DotOptions = {}): NDArray {
  checkArray('batchDot', a, 'a');
  checkArray('batchDot', b, 'b');
  if (a.ndim !== 3 || b.ndim !== 3) {
    throw new RangeError(
      `batchDot: expected two 3-D arrays, got ${shapeToString(a.shape)} and ${shapeToString(b.shape)}`,
    );
  }
  return matmul(a, b, options.transposeA ?? false, options.transposeB ?? false, 'batchDot');
}
