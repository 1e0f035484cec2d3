/**
 * Element-wise ops: the unary primitives (exp, log, relu, ...), the broadcasting binary
 * primitives (add, mul, maximum, comparisons, ...), `where`, `addN`, and composites built from
 * them (clip). Each accepts numbers wherever arrays go; comparisons return float32 0/1 as MXNet
 * does. The arithmetic ops take MXNet's `out` option, which writes the result into an existing
 * array (behind `x.addInPlace(y)`, Python's `x += y`) and is refused while recording on an array
 * that is part of the graph.
 */
import type { BinaryOp, UnaryOp } from '../backend/kernels.js';
import { kernels } from '../backend/registry.js';
import { isFloat, promote } from '../dtype.js';
import { checkInPlace, needsGrad, recordOp, state } from '../engine.js';
import { NDArray } from '../ndarray.js';
import { broadcastShapes, type Shape, shapesEqual, shapeToString } from '../shape.js';
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

/** MXNet's `out=` keyword: an existing array to write the result into (and return). */
export interface OutOptions {
  /** Write the result into this array (same shape and dtype as the result) and return it. MXNet: `out=`. */
  out?: NDArray;
}

/** Checks an `out` array: an NDArray, not part of a recording in progress, of the result's shape. */
function checkOut(op: string, out: unknown, shape: Shape): NDArray {
  const o = checkArray(op, out, 'out');
  checkInPlace(op, o);
  if (!shapesEqual(shape, o.shape)) {
    throw new RangeError(
      `${op}: the result has shape ${shapeToString(shape)} but out has shape ${shapeToString(o.shape)}`,
    );
  }
  return o;
}

/**
 * The inputs a node writing into `out` records: an input sharing memory with `out` is about to be
 * overwritten, so the tape keeps a copy of its current values (a variable there is refused).
 */
function tapeInputs(op: string, inputs: readonly NDArray[], out: NDArray): NDArray[] {
  return inputs.map((v) => {
    if (v.data.buffer !== out.data.buffer) return v;
    checkInPlace(op, v);
    return new NDArray(v.data.slice(), v.shape);
  });
}

/** Copies `result` into `out` (casting if needed) and moves its tape node there when the dtypes agree. */
function moveInto(result: NDArray, out: NDArray): NDArray {
  if (result.dtype === out.dtype) out.data.set(result.data);
  else kernels().cast(result.data, out.data);
  if (result._node !== null && result.dtype === out.dtype) out._node = result._node;
  result._node = null;
  return out;
}

/** Runs a broadcasting binary kernel on two operands (at least one an NDArray, or two numbers). */
export function binaryOp(op: BinaryOp, a: Operand, b: Operand, into?: NDArray, name: string = op): NDArray {
  const dtypeHint = typeof a === 'number' ? (typeof b === 'number' ? 'float32' : b.dtype) : a.dtype;
  const x = asArray(name, a, dtypeHint);
  const y = asArray(name, b, dtypeHint);
  const shape = broadcastShapes(name, x.shape, y.shape);
  let dtype = promote(x.dtype, y.dtype);
  if (isComparison(op)) dtype = 'float32';
  else if (op === 'div' && !isFloat(dtype)) dtype = 'float32';
  if (into !== undefined) return binaryInto(op, name, x, y, shape, dtype, checkOut(name, into, shape));
  const out = empty(shape, dtype);
  kernels().binary(op, x.data, x.shape, y.data, y.shape, out.data, shape);
  // Comparisons are piecewise constant: nothing to record.
  return isComparison(op) ? out : recordOp(op, [x, y], out);
}

/** `out[...] = x op y`: straight into out's buffer when no input overlaps it differently. */
function binaryInto(
  op: BinaryOp,
  name: string,
  x: NDArray,
  y: NDArray,
  shape: Shape,
  dtype: NDArray['dtype'],
  out: NDArray,
): NDArray {
  const records = state.recording && !isComparison(op) && (needsGrad(x) || needsGrad(y));
  const inputs = records ? tapeInputs(name, [x, y], out) : [x, y];
  // Element i of out depends only on element i of a same-layout input, so writing over it is safe.
  const aligned = (v: NDArray) =>
    v.data.buffer !== out.data.buffer ||
    (v.data.byteOffset === out.data.byteOffset && v.size === out.size && v.dtype === out.dtype);
  if (dtype === out.dtype && aligned(x) && aligned(y)) {
    kernels().binary(op, x.data, x.shape, y.data, y.shape, out.data, shape);
    return records ? recordOp(op, inputs, out) : out;
  }
  const result = empty(shape, dtype);
  kernels().binary(op, x.data, x.shape, y.data, y.shape, result.data, shape);
  return moveInto(records ? recordOp(op, inputs, result) : result, out);
}

/**
 * `a + b`, broadcasting; with `{ out }` the result is written into `out` (same shape) and `out` is
 * returned. MXNet: `nd.add(a, b, out=None)`, `a + b`.
 * @example nd.add(x, 1)
 * @example nd.add(X, Y, { out: Z })  // Z[:] = X + Y without a new array
 */
export const add = (a: Operand, b: Operand, options: OutOptions = {}): NDArray =>
  binaryOp('add', a, b, options.out);
/** `a - b`, broadcasting (`{ out }` as in `add`). MXNet: `nd.subtract`, `a - b`. @example nd.subtract(x, y) */
export const subtract = (a: Operand, b: Operand, options: OutOptions = {}): NDArray =>
  binaryOp('sub', a, b, options.out);
/** `a * b`, broadcasting (`{ out }` as in `add`). MXNet: `nd.multiply`, `a * b`. @example nd.multiply(x, 2) */
export const multiply = (a: Operand, b: Operand, options: OutOptions = {}): NDArray =>
  binaryOp('mul', a, b, options.out);
/** `a / b`, broadcasting (`{ out }` as in `add`). MXNet: `nd.divide`, `a / b`. @example nd.divide(x, x.sum()) */
export const divide = (a: Operand, b: Operand, options: OutOptions = {}): NDArray =>
  binaryOp('div', a, b, options.out);

function elemwise(op: BinaryOp, name: string, a: NDArray, b: NDArray, options: OutOptions): NDArray {
  checkArray(name, a, 'lhs');
  checkArray(name, b, 'rhs');
  if (!shapesEqual(a.shape, b.shape)) {
    throw new RangeError(
      `${name}: shapes ${shapeToString(a.shape)} and ${shapeToString(b.shape)} must be equal (it does not broadcast; nd.${
        { add: 'add', sub: 'subtract', mul: 'multiply', div: 'divide' }[op as 'add']
      } does)`,
    );
  }
  return binaryOp(op, a, b, options.out, name);
}

/**
 * `lhs + rhs` for two arrays of the same shape (no broadcasting); with `{ out }`, written into `out`.
 * MXNet: `nd.elemwise_add(lhs, rhs, out=None)`.
 * @example nd.elemwiseAdd(X, Y, { out: Z })  // the book's "saving memory" cell
 */
export const elemwiseAdd = (lhs: NDArray, rhs: NDArray, options: OutOptions = {}): NDArray =>
  elemwise('add', 'elemwiseAdd', lhs, rhs, options);
/** `lhs - rhs`, same shapes. MXNet: `nd.elemwise_sub`. @example nd.elemwiseSub(X, Y, { out: Z }) */
export const elemwiseSub = (lhs: NDArray, rhs: NDArray, options: OutOptions = {}): NDArray =>
  elemwise('sub', 'elemwiseSub', lhs, rhs, options);
/** `lhs * rhs`, same shapes. MXNet: `nd.elemwise_mul`. @example nd.elemwiseMul(X, Y) */
export const elemwiseMul = (lhs: NDArray, rhs: NDArray, options: OutOptions = {}): NDArray =>
  elemwise('mul', 'elemwiseMul', lhs, rhs, options);
/** `lhs / rhs`, same shapes. MXNet: `nd.elemwise_div`. @example nd.elemwiseDiv(X, Y) */
export const elemwiseDiv = (lhs: NDArray, rhs: NDArray, options: OutOptions = {}): NDArray =>
  elemwise('div', 'elemwiseDiv', lhs, rhs, options);

/**
 * The sum of any number of arrays of one shape, in one output (no broadcasting, no intermediate
 * arrays); a trailing `{ out }` writes it into an existing array. Differentiable: each input gets
 * the output's gradient. MXNet: `nd.add_n(*args, out=None)` (`nd.ElementWiseSum`).
 * @example nd.addN(a, b, c)
 * @example nd.addN(...grads, { out: total })
 */
export function addN(...args: (NDArray | OutOptions)[]): NDArray {
  const last = args[args.length - 1];
  const options: OutOptions =
    last !== undefined && last !== null && !(last instanceof NDArray) && typeof last === 'object'
      ? (args.pop() as OutOptions)
      : {};
  const arrays = args.map((a, i) => checkArray('addN', a, `argument ${i}`));
  if (arrays.length === 0) throw new RangeError('addN: needs at least one array');
  const shape = arrays[0].shape;
  arrays.forEach((a, i) => {
    if (!shapesEqual(a.shape, shape)) {
      throw new RangeError(
        `addN: argument ${i} has shape ${shapeToString(a.shape)} but argument 0 has ${shapeToString(shape)} (addN does not broadcast)`,
      );
    }
  });
  const dtype = arrays.map((a) => a.dtype).reduce(promote);
  const into = options.out === undefined ? undefined : checkOut('addN', options.out, shape);
  const records = state.recording && arrays.some(needsGrad);
  const inputs = records && into ? tapeInputs('addN', arrays, into) : arrays;
  const out = empty(shape, dtype);
  const k = kernels();
  if (arrays.length === 1) k.cast(arrays[0].data, out.data);
  else k.binary('add', arrays[0].data, shape, arrays[1].data, shape, out.data, shape);
  for (let i = 2; i < arrays.length; i++)
    k.binary('add', out.data, shape, arrays[i].data, shape, out.data, shape);
  const result = recordOp('addN', inputs, out);
  return into ? moveInto(result, into) : result;
}
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
