/**
 * Reference CPU kernels for element-wise unary and broadcasting binary ops. Contiguous
 * same-shape and scalar operands take flat loops; other broadcasts walk the output with an
 * odometer over per-operand strides (0 on broadcast axes).
 */
import type { TypedArray } from '../../dtype.js';
import { broadcastStrides, type Shape, shapesEqual, sizeOf } from '../../shape.js';
import type { BinaryOp, UnaryOp } from '../kernels.js';
import { expForFloat32 } from './exp-float32.js';

type Fn1 = (x: number) => number;
type Fn2 = (a: number, b: number) => number;

/** The scalar function of each unary op (faster backends reuse them, so the semantics live here). */
export const unaryFns: Record<UnaryOp, Fn1> = {
  neg: (x) => -x,
  exp: Math.exp,
  log: Math.log,
  abs: Math.abs,
  sqrt: Math.sqrt,
  square: (x) => x * x,
  relu: (x) => Math.max(x, 0),
  sigmoid: (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))),
  tanh: Math.tanh,
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : x),
  reciprocal: (x) => 1 / x,
  softrelu: (x) => (x > 20 ? x : Math.log1p(Math.exp(x))),
  floor: Math.floor,
  round: (x) => (x < 0 ? -Math.round(-x) : Math.round(x)),
};

/**
 * Scalar functions that replace `unaryFns` when the output is float32: they are faster and give
 * the same float32 results (see exp-float32.ts).
 */
export const float32UnaryFns: Partial<Record<UnaryOp, Fn1>> = { exp: expForFloat32 };

/** The scalar function of each binary op. */
export const binaryFns: Record<BinaryOp, Fn2> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: Math.pow,
  maximum: (a, b) => (a > b || Number.isNaN(a) ? a : b),
  minimum: (a, b) => (a < b || Number.isNaN(a) ? a : b),
  equal: (a, b) => (a === b ? 1 : 0),
  notEqual: (a, b) => (a !== b ? 1 : 0),
  greater: (a, b) => (a > b ? 1 : 0),
  greaterEqual: (a, b) => (a >= b ? 1 : 0),
  less: (a, b) => (a < b ? 1 : 0),
  lessEqual: (a, b) => (a <= b ? 1 : 0),
};

export function unary(op: UnaryOp, x: TypedArray, out: TypedArray): void {
  const n = x.length;
  switch (op) {
    case 'neg':
      for (let i = 0; i < n; i++) out[i] = -x[i];
      return;
    case 'exp':
      if (out instanceof Float32Array) for (let i = 0; i < n; i++) out[i] = expForFloat32(x[i]);
      else for (let i = 0; i < n; i++) out[i] = Math.exp(x[i]);
      return;
    case 'log':
      for (let i = 0; i < n; i++) out[i] = Math.log(x[i]);
      return;
    case 'relu':
      for (let i = 0; i < n; i++) {
        const v = x[i];
        out[i] = v > 0 || Number.isNaN(v) ? v : 0;
      }
      return;
    case 'square':
      for (let i = 0; i < n; i++) out[i] = x[i] * x[i];
      return;
    default: {
      const f = unaryFns[op];
      for (let i = 0; i < n; i++) out[i] = f(x[i]);
    }
  }
}

/** Flat loop for same-shape operands, specialised for the hot arithmetic ops. */
function binaryFlat(op: BinaryOp, a: TypedArray, b: TypedArray, out: TypedArray): void {
  const n = out.length;
  switch (op) {
    case 'add':
      for (let i = 0; i < n; i++) out[i] = a[i] + b[i];
      return;
    case 'sub':
      for (let i = 0; i < n; i++) out[i] = a[i] - b[i];
      return;
    case 'mul':
      for (let i = 0; i < n; i++) out[i] = a[i] * b[i];
      return;
    case 'div':
      for (let i = 0; i < n; i++) out[i] = a[i] / b[i];
      return;
    default: {
      const f = binaryFns[op];
      for (let i = 0; i < n; i++) out[i] = f(a[i], b[i]);
    }
  }
}

/** Strides of `shape` aligned to `outShape` (leading axes added), 0 where the axis broadcasts. */
export function binary(
  op: BinaryOp,
  a: TypedArray,
  aShape: Shape,
  b: TypedArray,
  bShape: Shape,
  out: TypedArray,
  outShape: Shape,
): void {
  const n = out.length;
  if (n === 0) return;
  // Equal operand shapes are not enough on their own: check a against the output's size too.
  if (a.length === n && shapesEqual(aShape, bShape)) {
    binaryFlat(op, a, b, out);
    return;
  }
  const f = binaryFns[op];
  if (b.length === 1) {
    const s = b[0];
    if (a.length === n) {
      for (let i = 0; i < n; i++) out[i] = f(a[i], s);
      return;
    }
  }
  if (a.length === 1 && b.length === n) {
    const s = a[0];
    for (let i = 0; i < n; i++) out[i] = f(s, b[i]);
    return;
  }
  // Trailing-row broadcast, e.g. (256,10) + (10,): inner loop over the last axis.
  const ndim = outShape.length;
  const inner = outShape[ndim - 1];
  const sa = broadcastStrides(aShape, outShape);
  const sb = broadcastStrides(bShape, outShape);
  const ia = sa[ndim - 1];
  const ib = sb[ndim - 1];
  const outer = sizeOf(outShape) / inner;
  const index = new Array<number>(ndim - 1).fill(0);
  let pa = 0;
  let pb = 0;
  let po = 0;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) out[po + j] = f(a[pa + j * ia], b[pb + j * ib]);
    po += inner;
    for (let ax = ndim - 2; ax >= 0; ax--) {
      index[ax]++;
      pa += sa[ax];
      pb += sb[ax];
      if (index[ax] < outShape[ax]) break;
      pa -= sa[ax] * outShape[ax];
      pb -= sb[ax] * outShape[ax];
      index[ax] = 0;
    }
  }
}

export function where(cond: TypedArray, a: TypedArray, b: TypedArray, out: TypedArray): void {
  const n = out.length;
  for (let i = 0; i < n; i++) out[i] = cond[i] !== 0 ? a[i] : b[i];
}

/** out = dy · y · (1 - y), the sigmoid's gradient from its output y; float64 arithmetic, rounded once into out. */
export function sigmoidBackward(y: TypedArray, dy: TypedArray, out: TypedArray): void {
  const n = out.length;
  for (let i = 0; i < n; i++) {
    const v = y[i];
    out[i] = dy[i] * (v * (1 - v));
  }
}
