/**
 * The NDArray class: a shape, a dtype and a contiguous row-major typed array, plus the autograd
 * fields the engine uses (the tape node that produced it, its gradient buffer). Methods are thin
 * wrappers over the functions in ops/, so `x.exp()` and `nd.exp(x)` are the same op. An NDArray
 * also has a device context (`cpu(0)`, see context.ts), iterates over its first axis, and has
 * in-place arithmetic (`addInPlace`, Python's `+=`) that keeps the array and its buffer.
 */

import { backward } from './autograd-core.js';
import { kernels } from './backend/registry.js';
import { type Context, currentContext, placeOn } from './context.js';
import { allocate, checkDType, type DType, dtypeOfTypedArray, isFloat, type TypedArray } from './dtype.js';
import {
  checkInPlace,
  type GradReq,
  noteWrite,
  recordOp,
  type StorageVersion,
  shareStorage,
  type TapeNode,
} from './engine.js';
import { formatArray } from './format.js';
import { type NestedArray, type OneHotOptions, oneHot, onesLike, zerosLike } from './ops/creation.js';
import * as ew from './ops/elementwise.js';
import { type PickOptions, pick, type TakeOptions, take } from './ops/indexing.js';
import { type DotOptions, dot } from './ops/linalg.js';
import type { Operand } from './ops/operand.js';
import * as red from './ops/reduce.js';
import * as sh from './ops/shape-ops.js';
import { get, type Index, setAt, slice, sliceAxis } from './ops/slicing.js';
import * as sm from './ops/softmax.js';
import { type Shape, shapesEqual, shapeToString, sizeOf } from './shape.js';

/** Options of `attachGrad`. */
export interface AttachGradOptions {
  /** 'write' (default) overwrites the gradient on each backward, 'add' accumulates, 'null' detaches. */
  gradReq?: GradReq;
}

/** Options of `backward`. */
export interface BackwardOptions {
  /** Keep the tape so that backward can run again over the same graph. */
  retainGraph?: boolean;
  /** Record the gradient computation itself, for higher-order gradients. */
  createGraph?: boolean;
}

/**
 * An n-dimensional array, MXNet's `mx.nd.NDArray`. Create one with `nd.array`, `nd.zeros`,
 * `nd.random.normal`, ...; every op returns a new array (except the in-place `set`).
 * @example
 * const x = nd.array([[1, 2], [3, 4]]);
 * x.shape;            // [2, 2]
 * x.mul(2).sum().asScalar(); // 20
 */
export class NDArray {
  /** The extent of each axis. */
  readonly shape: Shape;
  /** The element type. */
  readonly dtype: DType;
  /** @internal the backing store; use `data` to read it. */
  _data: TypedArray;
  /** @internal the tape node that produced this array while recording, if any. */
  _node: TapeNode | null = null;
  /** @internal the gradient buffer of a variable (after `attachGrad`). */
  _grad: NDArray | null = null;
  /** @internal how backward writes the gradient; 'null' for arrays that are not variables. */
  _gradReq: GradReq = 'null';
  /** @internal set by backward when it writes the gradient, cleared by optimizers (stale check). */
  _freshGrad = false;
  /**
   * @internal the version of the storage, shared with every view of it (engine.ts `noteWrite`,
   * `shareStorage`); null until the first in-place write or view.
   */
  _storageVersion: StorageVersion | null = null;

  /** Wraps `data` (not copied) with `shape`. Prefer `nd.array` or `nd.fromTypedArray`. */
  constructor(data: TypedArray, shape: Shape) {
    this._data = data;
    this.shape = Object.freeze(shape.slice());
    this.dtype = dtypeOfTypedArray('NDArray', data);
    for (let i = 0; i < shape.length; i++) {
      const d = shape[i];
      if (!(d >= 0 && Number.isInteger(d))) {
        throw new RangeError(`NDArray: shape must hold non-negative integers, got [${shape.join(', ')}]`);
      }
    }
    if (sizeOf(shape) !== data.length) {
      throw new RangeError(`NDArray: ${data.length} elements cannot have shape ${shapeToString(shape)}`);
    }
  }

  /**
   * @internal notes a write into the typed array done outside ops (an optimizer's update), so
   * that backward refuses a tape node recorded before it (see engine.ts `noteWrite`).
   */
  _noteWrite(op: string): void {
    noteWrite(this, op);
  }

  /** The backing typed array, row-major and shared: writes to it change the array. */
  get data(): TypedArray {
    return this._data;
  }
  /** Number of elements. */
  get size(): number {
    return this._data.length;
  }
  /** Number of axes. */
  get ndim(): number {
    return this.shape.length;
  }
  /** The transpose (axes reversed). MXNet: `x.T`. */
  get T(): NDArray {
    return sh.transpose(this);
  }
  /** The gradient buffer after `attachGrad()`, filled by `backward()`; null otherwise. MXNet: `x.grad`. */
  get grad(): NDArray | null {
    return this._grad;
  }
  /** How backward treats this array's gradient ('null' unless `attachGrad` was called). */
  get gradReq(): GradReq {
    return this._gradReq;
  }
  /**
   * The device holding the array: `cpu(0)`, the only device with a backend so far. MXNet: `x.context`.
   * @example if (!movingMean.context.equals(X.context)) movingMean = movingMean.copyto(X.context);
   */
  get context(): Context {
    return currentContext();
  }
  /** The same as `context`. MXNet: `x.ctx`. @example x.ctx.toString() // 'cpu(0)' */
  get ctx(): Context {
    return this.context;
  }

  /**
   * This array on `ctx`: the same array object when it is already there, else a copy.
   * MXNet: `x.as_in_context(ctx)`.
   * @example const X = batch.asInContext(ctx);  // X === batch on cpu(0)
   */
  asInContext(ctx: Context): NDArray {
    const c = placeOn('asInContext', ctx);
    return c.equals(this.context) ? this : this.copyto(c);
  }

  /**
   * Copies this array: to a context (a new array there, even when it is this array's own) or into
   * an existing array of the same shape (cast to its dtype; returns it; refused while recording if
   * that array is part of the graph). MXNet: `x.copyto(other)`.
   * @example const y = x.copyto(mx.cpu());  // y !== x
   * @example x.copyto(z);                     // z[:] = x
   */
  copyto(other: Context | NDArray): NDArray {
    if (!(other instanceof NDArray)) {
      placeOn('copyto', other);
      return this.copy();
    }
    if (!shapesEqual(this.shape, other.shape)) {
      throw new RangeError(
        `copyto: cannot copy an array of shape ${shapeToString(this.shape)} into one of shape ${shapeToString(other.shape)}`,
      );
    }
    if (other === this) return other;
    checkInPlace('copyto', other);
    const shares = other._data.buffer === this._data.buffer;
    if (this.dtype === other.dtype) other._data.set(this._data);
    else kernels().cast(this._data, other._data);
    return !shares && this.dtype === other.dtype ? recordOp('cast', [this], other) : other;
  }

  /**
   * Returns once the array's value is computed. MXNet's engine runs ops asynchronously and this
   * blocks; minimx computes every op before returning, so it returns at once. MXNet: `x.wait_to_read()`.
   * @example y.waitToRead()
   */
  waitToRead(): void {}

  /**
   * Iterates over the first axis, yielding `x.get(i)` for each `i` (an array with one axis fewer;
   * a 1-D array yields 0-d arrays). Recorded like `get`, so gradients flow. A 0-d array has no
   * iterator: `for...of` over it throws a TypeError, as Python's `iter()` does on a 0-d array.
   * MXNet: `for x in X`, `zip(X, K)`.
   * @example for (const row of X) console.log(row.sum().asScalar());
   * @example const [x0, x1] = X;
   */
  get [Symbol.iterator](): () => Iterator<NDArray> {
    // A getter so that a 0-d array has no iterator at all; deep-equality walkers then treat it as
    // a plain object instead of failing on it.
    return (this.ndim === 0 ? undefined : iterateFirstAxis) as () => Iterator<NDArray>;
  }

  /**
   * Makes this array a variable: allocates a zero gradient that `backward()` fills.
   * MXNet: `x.attach_grad(grad_req='write')`.
   * @example W.attachGrad(); autograd.record(() => W.square().sum()).backward(); W.grad
   */
  attachGrad(options: AttachGradOptions = {}): void {
    const gradReq = options?.gradReq ?? 'write';
    if (gradReq !== 'write' && gradReq !== 'add' && gradReq !== 'null') {
      throw new TypeError(
        `attachGrad: gradReq must be 'write', 'add' or 'null', got ${JSON.stringify(gradReq)}`,
      );
    }
    if (gradReq !== 'null' && !isFloat(this.dtype)) {
      throw new TypeError(
        `attachGrad: cannot differentiate an array of dtype ${this.dtype} (shape ${shapeToString(this.shape)}): ` +
          `gradients need float32 or float64; use x.astype('float32') first`,
      );
    }
    this._node = null;
    this._gradReq = gradReq;
    this._grad = gradReq === 'null' ? null : new NDArray(allocate(this.dtype, this.size), this.shape);
    this._freshGrad = false;
  }

  /**
   * Back-propagates from this array: fills `.grad` of every variable it depends on. A non-scalar
   * head is summed (head gradient of ones) unless `headGrad` is given. MXNet: `y.backward()`.
   * @example const l = autograd.record(() => x.mul(x).sum()); l.backward(); x.grad
   */
  backward(headGrad?: NDArray | null, options: BackwardOptions = {}): void {
    backward([this], headGrad ? [headGrad] : undefined, options);
  }

  /** A new array that shares data but is cut off from the tape. MXNet: `x.detach()`. @example y.detach() */
  detach(): NDArray {
    const out = new NDArray(this._data, this.shape);
    shareStorage(this, out);
    return out;
  }

  /** A deep copy (recorded: the gradient passes through). MXNet: `x.copy()`. @example const y = x.copy() */
  copy(): NDArray {
    return recordOp('cast', [this], new NDArray(this._data.slice(), this.shape));
  }

  /**
   * Converts to another dtype (a new array; float to int truncates toward zero).
   * MXNet: `x.astype(dtype)`.
   * @example y.astype('float32')
   */
  astype(dtype: DType, options: { copy?: boolean } = {}): NDArray {
    const to = checkDType('astype', dtype);
    if (to === this.dtype && options.copy === false) return this;
    const out = new NDArray(allocate(to, this.size, this.shape), this.shape);
    kernels().cast(this._data, out._data);
    return isFloat(to) && isFloat(this.dtype) ? recordOp('cast', [this], out) : out;
  }

  /** The value of a one-element array as a JS number. MXNet: `x.asscalar()`. @example x.sum().asScalar() */
  asScalar(): number {
    if (this.size !== 1) {
      throw new RangeError(
        `asScalar: the array must have exactly one element, got shape ${shapeToString(this.shape)}`,
      );
    }
    return this._data[0];
  }

  /**
   * Nested JS arrays with the values, one level per axis (a number for a 0-d array): the type
   * `nd.array` takes, so `nd.array(x.toArray())` copies `x`. MXNet: `x.asnumpy().tolist()`.
   * @example x.toArray()
   */
  toArray(): NestedArray {
    const build = (depth: number, offset: number): [NestedArray, number] => {
      if (depth === this.ndim) return [this._data[offset], offset + 1];
      const items: NestedArray[] = [];
      for (let i = 0; i < this.shape[depth]; i++) {
        const [item, next] = build(depth + 1, offset);
        items.push(item);
        offset = next;
      }
      return [items, offset];
    };
    return build(0, 0)[0];
  }

  /** The values formatted as MXNet prints them, with the `<NDArray 2x3 @cpu(0)>` footer. */
  toString(): string {
    return formatArray(this);
  }

  /** Lets `console.log(x)` in Node print what `print(x)` prints in MXNet. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return formatArray(this);
  }

  /** Lets a Jupyter cell (Deno's kernel) that ends in `x` show what `print(x)` prints in MXNet. */
  [Symbol.for('Jupyter.display')](): { 'text/plain': string } {
    return { 'text/plain': formatArray(this) };
  }

  /**
   * In-place assignment, MXNet's `x[:] = value` (one argument) or `x[index] = value` (two): `value`
   * (a number or an array) is broadcast to the region. Not allowed on an array that takes part in
   * the recording in progress. Returns `this`. See `get` for the index syntax.
   * @example param.set(param.sub(param.grad!.mul(lr / batchSize)))  // param[:] = ...
   * @example x.set('1, 2', 9)    // x[1, 2] = 9
   * @example x.set(':, 2:6', 0)  // x[:, 2:6] = 0
   */
  set(value: Operand): this;
  set(index: Index, value: Operand): this;
  set(...args: [Operand] | [Index, Operand]): this {
    if (args.length === 1) setAt(this, '...', args[0]);
    else setAt(this, args[0], args[1]);
    return this;
  }

  /**
   * Reads `x[index]` as a new array (a copy; MXNet returns a view for leading-axis slices).
   * `index` is a Python-like string (`'1:3'`, `':, 2:6'`, `'::2'`, `'-1'`, `'...'`) or a list with one
   * item per axis: an integer, `null` for `:`, `[start, stop, step?]`. Integers drop their axis;
   * a result with no axis left has shape (1,), as in MXNet. Differentiable. MXNet: `x[index]`.
   * @example x.get('1:3')        // x[1:3]
   * @example x.get([null, [2, 6]])  // x[:, 2:6]
   */
  get(index: Index): NDArray {
    return get(this, index);
  }

  /**
   * `x[begin:end:step]` on the first axis for numbers, or MXNet's per-axis `slice(begin, end, step)`
   * for lists. A copy. MXNet: `x[1:3]`, `x.slice(begin, end, step)`.
   * @example x.slice(1, 3)                 // x[1:3]
   * @example x.slice([0, 1], [2, null])    // x[0:2, 1:]
   */
  slice(
    begin: number | null | readonly (number | null)[],
    end: number | null | readonly (number | null)[],
    step?: number | null | readonly (number | null)[],
  ): NDArray {
    return slice(this, begin, end, step);
  }
  /** Slices one axis. MXNet: `x.slice_axis(axis, begin, end)`. @example x.sliceAxis(1, 2, 6) */
  sliceAxis(axis: number, begin: number, end: number | null): NDArray {
    return sliceAxis(this, axis, begin, end);
  }

  /** A view with a new shape (-1 infers one axis). MXNet: `x.reshape(shape)`. @example X.reshape(-1, 784) */
  reshape(...shape: number[] | [readonly number[]]): NDArray {
    const target = (Array.isArray(shape[0]) ? shape[0] : shape) as readonly number[];
    return sh.reshape(this, target);
  }
  /** Permutes the axes (default: reversed). MXNet: `x.transpose(axes)`. @example x.transpose([1, 0]) */
  transpose(axes?: readonly number[]): NDArray {
    return sh.transpose(this, axes);
  }
  /** Inserts a size-1 axis. MXNet: `x.expand_dims(axis)`. @example x.expandDims(0) */
  expandDims(axis: number): NDArray {
    return sh.expandDims(this, axis);
  }
  /** Removes size-1 axes. MXNet: `x.squeeze(axis)`. @example x.squeeze({ axis: 1 }) */
  squeeze(options?: { axis?: number | readonly number[] }): NDArray {
    return sh.squeeze(this, options);
  }
  /** Collapses all axes but the first. MXNet: `x.flatten()`. @example X.flatten() // (256,784) */
  flatten(): NDArray {
    return sh.flatten(this);
  }
  /** Broadcasts to `shape`. MXNet: `x.broadcast_to(shape)`. @example b.broadcastTo([256, 10]) */
  broadcastTo(shape: readonly number[]): NDArray {
    return sh.broadcastTo(this, shape);
  }
  /** One element per row along `axis`. MXNet: `x.pick(index, axis)`. @example yHat.pick(y) */
  pick(index: NDArray, options?: PickOptions): NDArray {
    return pick(this, index, options);
  }
  /** Slices at `indices` along `axis`. MXNet: `x.take(indices, axis)`. @example W.take(nd.array([0, 2])) */
  take(indices: NDArray, options?: TakeOptions): NDArray {
    return take(this, indices, options);
  }
  /** One-hot encoding of these indices. MXNet: `x.one_hot(depth)`. @example y.oneHot(10) */
  oneHot(depth: number, options?: OneHotOptions): NDArray {
    return oneHot(this, depth, options);
  }

  /**
   * `this += other` in place: the same array and the same buffer, broadcasting `other` to this
   * shape; returns `this`. Refused while recording if this array is part of the graph.
   * MXNet: `x += y` (`nd.add(x, y, out=x)`).
   * @example X.addInPlace(Y)  // X += Y; X is still the same object
   */
  addInPlace(other: Operand): this {
    ew.binaryOp('add', this, other, this, 'addInPlace');
    return this;
  }
  /** `this -= other` in place (see `addInPlace`). MXNet: `x -= y`. @example X.subInPlace(1) */
  subInPlace(other: Operand): this {
    ew.binaryOp('sub', this, other, this, 'subInPlace');
    return this;
  }
  /** `this *= other` in place (see `addInPlace`). MXNet: `x *= y`. @example X.mulInPlace(2) */
  mulInPlace(other: Operand): this {
    ew.binaryOp('mul', this, other, this, 'mulInPlace');
    return this;
  }
  /** `this /= other` in place (see `addInPlace`). MXNet: `x /= y`. @example X.divInPlace(2) */
  divInPlace(other: Operand): this {
    ew.binaryOp('div', this, other, this, 'divInPlace');
    return this;
  }
  /** Zeros with this shape and dtype. MXNet: `x.zeros_like()`. @example const Z = Y.zerosLike() */
  zerosLike(): NDArray {
    return zerosLike(this);
  }
  /** Ones with this shape and dtype. MXNet: `x.ones_like()`. @example x.onesLike() */
  onesLike(): NDArray {
    return onesLike(this);
  }

  /** `this + other`. MXNet: `x + y`. @example x.add(b) */
  add(other: Operand): NDArray {
    return ew.add(this, other);
  }
  /** `this - other`. MXNet: `x - y`. @example x.sub(1) */
  sub(other: Operand): NDArray {
    return ew.subtract(this, other);
  }
  /** `this * other`. MXNet: `x * y`. @example x.mul(2) */
  mul(other: Operand): NDArray {
    return ew.multiply(this, other);
  }
  /** `this / other`. MXNet: `x / y`. @example e.div(e.sum({ axis: 1, keepdims: true })) */
  div(other: Operand): NDArray {
    return ew.divide(this, other);
  }
  /** `this ** other`. MXNet: `x ** y`. @example x.pow(2) */
  pow(other: Operand): NDArray {
    return ew.power(this, other);
  }
  /** Element-wise maximum. MXNet: `nd.maximum(x, y)`. @example x.maximum(0) */
  maximum(other: Operand): NDArray {
    return ew.maximum(this, other);
  }
  /** Element-wise minimum. MXNet: `nd.minimum(x, y)`. @example x.minimum(1) */
  minimum(other: Operand): NDArray {
    return ew.minimum(this, other);
  }
  /** 1 where equal, else 0 (float32). MXNet: `x == y`. @example yHat.argmax({ axis: 1 }).equal(y) */
  equal(other: Operand): NDArray {
    return ew.equal(this, other);
  }
  /** 1 where not equal (float32). MXNet: `x != y`. @example x.notEqual(0) */
  notEqual(other: Operand): NDArray {
    return ew.notEqual(this, other);
  }
  /** 1 where greater (float32). MXNet: `x > y`. @example x.greater(0) */
  greater(other: Operand): NDArray {
    return ew.greater(this, other);
  }
  /** 1 where greater or equal (float32). MXNet: `x >= y`. @example x.greaterEqual(0) */
  greaterEqual(other: Operand): NDArray {
    return ew.greaterEqual(this, other);
  }
  /** 1 where less (float32). MXNet: `x < y`. @example x.less(0) */
  less(other: Operand): NDArray {
    return ew.less(this, other);
  }
  /** 1 where less or equal (float32). MXNet: `x <= y`. @example x.lessEqual(0) */
  lessEqual(other: Operand): NDArray {
    return ew.lessEqual(this, other);
  }

  /** `-this`. MXNet: `-x`. @example x.neg() */
  neg(): NDArray {
    return ew.negative(this);
  }
  /** `e^this`. MXNet: `x.exp()`. @example x.exp() */
  exp(): NDArray {
    return ew.exp(this);
  }
  /** Natural log. MXNet: `x.log()`. @example x.log() */
  log(): NDArray {
    return ew.log(this);
  }
  /** Absolute value. MXNet: `x.abs()`. @example x.abs() */
  abs(): NDArray {
    return ew.abs(this);
  }
  /** Square root. MXNet: `x.sqrt()`. @example x.sqrt() */
  sqrt(): NDArray {
    return ew.sqrt(this);
  }
  /** Square. MXNet: `x.square()`. @example x.square() */
  square(): NDArray {
    return ew.square(this);
  }
  /** `max(this, 0)`. MXNet: `x.relu()`. @example x.relu() */
  relu(): NDArray {
    return ew.relu(this);
  }
  /** Logistic sigmoid. MXNet: `x.sigmoid()`. @example x.sigmoid() */
  sigmoid(): NDArray {
    return ew.sigmoid(this);
  }
  /** Hyperbolic tangent. MXNet: `x.tanh()`. @example x.tanh() */
  tanh(): NDArray {
    return ew.tanh(this);
  }

  /** Sign (-1, 0, 1). MXNet: `x.sign()`. @example x.sign() */
  sign(): NDArray {
    return ew.sign(this);
  }
  /** `1 / this`. MXNet: `x.reciprocal()`. @example x.reciprocal() */
  reciprocal(): NDArray {
    return ew.reciprocal(this);
  }
  /** Rounds down. MXNet: `x.floor()`. @example x.floor() */
  floor(): NDArray {
    return ew.floor(this);
  }
  /** Rounds half away from zero. MXNet: `x.round()`. @example x.round() */
  round(): NDArray {
    return ew.round(this);
  }
  /** Limits values to [min, max]. MXNet: `x.clip(a_min, a_max)`. @example x.clip(-1, 1) */
  clip(min: number, max: number): NDArray {
    return ew.clip(this, min, max);
  }
  /** Softmax along `axis` (default -1). MXNet: `x.softmax(axis)`. @example logits.softmax() */
  softmax(options?: sm.SoftmaxOptions): NDArray {
    return sm.softmax(this, options);
  }
  /** Log-softmax along `axis` (default -1). MXNet: `x.log_softmax(axis)`. @example logits.logSoftmax() */
  logSoftmax(options?: sm.SoftmaxOptions): NDArray {
    return sm.logSoftmax(this, options);
  }
  /** Stable `log(sum(exp(x)))`. @example x.logSumExp({ axis: 1 }) */
  logSumExp(options?: sm.LogSumExpOptions): NDArray {
    return sm.logSumExp(this, options);
  }

  /** Sum. MXNet: `x.sum(axis, keepdims)`. @example e.sum({ axis: 1, keepdims: true }) */
  sum(options?: red.ReduceOptions): NDArray {
    return red.sum(this, options);
  }
  /** Mean. MXNet: `x.mean(axis, keepdims)`. @example acc.mean() */
  mean(options?: red.ReduceOptions): NDArray {
    return red.mean(this, options);
  }
  /** Maximum. MXNet: `x.max(axis, keepdims)`. @example x.max({ axis: 1 }) */
  max(options?: red.ReduceOptions): NDArray {
    return red.max(this, options);
  }
  /** Minimum. MXNet: `x.min(axis, keepdims)`. @example x.min() */
  min(options?: red.ReduceOptions): NDArray {
    return red.min(this, options);
  }
  /** Product. MXNet: `x.prod(axis, keepdims)`. @example x.prod() */
  prod(options?: red.ReduceOptions): NDArray {
    return red.prod(this, options);
  }
  /** L2 (or L1) norm. MXNet: `x.norm(ord, axis, keepdims)`. @example g.norm().asScalar() */
  norm(options?: red.NormOptions): NDArray {
    return red.norm(this, options);
  }
  /** Index of the maximum, as float32. MXNet: `x.argmax(axis)`. @example yHat.argmax({ axis: 1 }) */
  argmax(options?: red.ArgReduceOptions): NDArray {
    return red.argmax(this, options);
  }
  /** Index of the minimum, as float32. MXNet: `x.argmin(axis)`. @example x.argmin({ axis: 0 }) */
  argmin(options?: red.ArgReduceOptions): NDArray {
    return red.argmin(this, options);
  }
  /** Matrix/dot product with `other`. MXNet: `nd.dot(x, y)`. @example X.dot(W) */
  dot(other: NDArray, options?: DotOptions): NDArray {
    return dot(this, other, options);
  }
}

/** The generator behind `NDArray[Symbol.iterator]`: `x.get(i)` along the first axis (0-d items for 1-D). */
function* iterateFirstAxis(this: NDArray): Generator<NDArray> {
  const n = this.shape[0];
  for (let i = 0; i < n; i++) {
    const item = get(this, i);
    yield this.ndim === 1 ? sh.reshape(item, []) : item;
  }
}
