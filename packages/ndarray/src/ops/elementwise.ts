/**
 * Element-wise ops: the unary primitives (exp, log, relu, ...), the broadcasting binary
 * primitives (add, mul, maximum, comparisons, ...), `where`, and composites built from them
 * (clip). Each accepts numbers wherever arrays go; comparisons return float32 0/1 as MXNet does.
 */
import type { BinaryOp, UnaryOp } from '../backend/kernels.js';
import { kernels } from '../backend/registry.js';
import { isFloat, promote } from '../dtype.js';
import { recordOp } from '../engine.js';
import type { NDArray } from '../ndarray.js';
import { broadcastShapes, shapesEqual } from '../shape.js';
import { asArray, checkArray, empty, type Operand } from './operand.js';
import { broadcastTo } from './shape-ops.js';

/** Runs a unary kernel, keeping the dtype (integer inputs give float32 for transcendental ops). */
export function unaryOp(op: UnaryOp, x: NDArray): NDArray {
  checkArray(op, x);
  const keepsInts = op === 'neg' || op === 'abs' || op === 'square' || op === 'relu' || op === 'sign';
  const dtype = isFloat(x.dtype) || keepsInts ? x.dtype : 'float32';
  const out = empty(x.shape, dtype);
  kernels().unary(op, x.data, out.data);
  return recordOp(op, [x], out);
}

type Comparison = 'equal' | 'notEqual' | 'greater' | 'greaterEqual' | 'less' | 'lessEqual';
const comparisons = new Set<BinaryOp>(['equal', 'notEqual', 'greater', 'greaterEqual', 'less', 'lessEqual']);
const isComparison = (op: BinaryOp): op is Comparison => comparisons.has(op);

/** Runs a broadcasting binary kernel on two operands (at least one an NDArray, or two numbers). */
export function binaryOp(op: BinaryOp, a: Operand, b: Operand): NDArray {
  const dtypeHint = typeof a === 'number' ? (typeof b === 'number' ? 'float32' : b.dtype) : a.dtype;
  const x = asArray(op, a, dtypeHint);
  const y = asArray(op, b, dtypeHint);
  const shape = broadcastShapes(op, x.shape, y.shape);
  let dtype = promote(x.dtype, y.dtype);
  if (isComparison(op)) dtype = 'float32';
  else if (op === 'div' && !isFloat(dtype)) dtype = 'float32';
  const out = empty(shape, dtype);
  kernels().binary(op, x.data, x.shape, y.data, y.shape, out.data, shape);
  // Comparisons are piecewise constant: nothing to record.
  return isComparison(op) ? out : recordOp(op, [x, y], out);
}

/** `a + b`, broadcasting. MXNet: `nd.add`, `a + b`. @example nd.add(x, 1) */
export const add = (a: Operand, b: Operand): NDArray => binaryOp('add', a, b);
/** `a - b`, broadcasting. MXNet: `nd.subtract`, `a - b`. @example nd.subtract(x, y) */
export const subtract = (a: Operand, b: Operand): NDArray => binaryOp('sub', a, b);
/** `a * b`, broadcasting. MXNet: `nd.multiply`, `a * b`. @example nd.multiply(x, 2) */
export const multiply = (a: Operand, b: Operand): NDArray => binaryOp('mul', a, b);
/** `a / b`, broadcasting. MXNet: `nd.divide`, `a / b`. @example nd.divide(x, x.sum()) */
export const divide = (a: Operand, b: Operand): NDArray => binaryOp('div', a, b);
/** `a ** b`, broadcasting. MXNet: `nd.power`, `a ** b`. @example nd.power(x, 2) */
export const power = (a: Operand, b: Operand): NDArray => binaryOp('pow', a, b);
/** Element-wise maximum. MXNet: `nd.maximum`. @example nd.maximum(x, 0) */
export const maximum = (a: Operand, b: Operand): NDArray => binaryOp('maximum', a, b);
/** Element-wise minimum. MXNet: `nd.minimum`. @example nd.minimum(x, 1) */
export const minimum = (a: Operand, b: Operand): NDArray => binaryOp('minimum', a, b);
/** 1 where `a == b`, else 0 (float32). MXNet: `nd.equal`, `a == b`. @example nd.equal(yHat, y) */
export const equal = (a: Operand, b: Operand): NDArray => binaryOp('equal', a, b);
/** 1 where `a != b`, else 0 (float32). MXNet: `nd.not_equal`. @example nd.notEqual(x, 0) */
export const notEqual = (a: Operand, b: Operand): NDArray => binaryOp('notEqual', a, b);
/** 1 where `a > b`, else 0 (float32). MXNet: `nd.greater`. @example nd.greater(x, 0) */
export const greater = (a: Operand, b: Operand): NDArray => binaryOp('greater', a, b);
/** 1 where `a >= b`, else 0 (float32). MXNet: `nd.greater_equal`. @example nd.greaterEqual(x, 0) */
export const greaterEqual = (a: Operand, b: Operand): NDArray => binaryOp('greaterEqual', a, b);
/** 1 where `a < b`, else 0 (float32). MXNet: `nd.lesser`. @example nd.less(x, 0) */
export const less = (a: Operand, b: Operand): NDArray => binaryOp('less', a, b);
/** 1 where `a <= b`, else 0 (float32). MXNet: `nd.lesser_equal`. @example nd.lessEqual(x, 0) */
export const lessEqual = (a: Operand, b: Operand): NDArray => binaryOp('lessEqual', a, b);

/** `-x`. MXNet: `nd.negative`, `-x`. @example nd.negative(x) */
export const negative = (x: NDArray): NDArray => unaryOp('neg', x);
/** `e^x`. MXNet: `nd.exp`. @example nd.exp(x) */
export const exp = (x: NDArray): NDArray => unaryOp('exp', x);
/** Natural logarithm. MXNet: `nd.log`. @example nd.log(x) */
export const log = (x: NDArray): NDArray => unaryOp('log', x);
/** `|x|`. MXNet: `nd.abs`. @example nd.abs(x) */
export const abs = (x: NDArray): NDArray => unaryOp('abs', x);
/** Square root. MXNet: `nd.sqrt`. @example nd.sqrt(x) */
export const sqrt = (x: NDArray): NDArray => unaryOp('sqrt', x);
/** `x²`. MXNet: `nd.square`. @example nd.square(x) */
export const square = (x: NDArray): NDArray => unaryOp('square', x);
/** `max(x, 0)`. MXNet: `nd.relu`. @example nd.relu(x) */
export const relu = (x: NDArray): NDArray => unaryOp('relu', x);
/** `1 / (1 + e^-x)`, stable for large |x|. MXNet: `nd.sigmoid`. @example nd.sigmoid(x) */
export const sigmoid = (x: NDArray): NDArray => unaryOp('sigmoid', x);
/** Hyperbolic tangent. MXNet: `nd.tanh`. @example nd.tanh(x) */
export const tanh = (x: NDArray): NDArray => unaryOp('tanh', x);
/** `log(1 + e^x)`. MXNet: `nd.Activation(x, act_type='softrelu')`. @example nd.softrelu(x) */
export const softrelu = (x: NDArray): NDArray => unaryOp('softrelu', x);
/** Sign: -1, 0 or 1. MXNet: `nd.sign`. @example nd.sign(x) */
export const sign = (x: NDArray): NDArray => unaryOp('sign', x);
/** `1 / x`. MXNet: `nd.reciprocal`. @example nd.reciprocal(x) */
export const reciprocal = (x: NDArray): NDArray => unaryOp('reciprocal', x);
/** Rounds down. MXNet: `nd.floor`. @example nd.floor(x) */
export const floor = (x: NDArray): NDArray => unaryOp('floor', x);
/** Rounds half away from zero, as MXNet's `nd.round` (0.5 -> 1, -0.5 -> -1). @example nd.round(x) */
export const round = (x: NDArray): NDArray => unaryOp('round', x);

/**
 * Limits values to [min, max]; the gradient passes where min <= x <= max. MXNet: `nd.clip(data, a_min, a_max)`.
 * @example nd.clip(x, 0, 1)
 */
export function clip(x: NDArray, min: number, max: number): NDArray {
  checkArray('clip', x);
  if (typeof min !== 'number' || typeof max !== 'number' || !(min <= max)) {
    throw new RangeError(`clip: need numbers min <= max, got ${String(min)} and ${String(max)}`);
  }
  return maximum(minimum(x, max), min);
}

/**
 * Picks `x` where `condition` is non-zero and `y` elsewhere, broadcasting all three.
 * Differentiable in `x` and `y`. MXNet: `nd.where(condition, x, y)`.
 * @example nd.where(x.greater(0), x, x.mul(0.1))  // leaky relu
 */
export function where(condition: Operand, x: Operand, y: Operand): NDArray {
  const hint = typeof x !== 'number' ? x.dtype : typeof y !== 'number' ? y.dtype : 'float32';
  const c = asArray('where', condition, 'float32');
  const a = asArray('where', x, hint);
  const b = asArray('where', y, hint);
  const shape = broadcastShapes('where', broadcastShapes('where', c.shape, a.shape), b.shape);
  const dtype = promote(a.dtype, b.dtype);
  const expand = (v: NDArray) => {
    const cast = v.dtype === dtype || v === c ? v : v.astype(dtype);
    return shapesEqual(cast.shape, shape) ? cast : broadcastTo(cast, shape);
  };
  const [cc, aa, bb] = [expand(c), expand(a), expand(b)];
  const out = empty(shape, dtype);
  kernels().where(cc.data, aa.data, bb.data, out.data);
  return recordOp('where', [cc, aa, bb], out);
}
