/**
 * Parameters, Gluon's `gluon.Parameter` and `gluon.ParameterDict`. A Parameter owns one NDArray
 * (its value, with a gradient buffer attached unless `gradReq` is 'null'), a declared shape in
 * which 0 means "not known yet", and the initializer it will run. Initialization is deferred when
 * the shape is incomplete: the owning layer completes the shape on its first forward
 * (`inferShape`), which runs the pending initializer. A ParameterDict is an ordered, prefixed
 * collection of parameters, the value `collectParams()` returns.
 */
import { Context, context, currentContext, type DType, NDArray, nd } from '@minimx/ndarray';
import { createInitializer, Initializer, type InitializerLike, Uniform } from './init.js';
import { formatShape } from './shape-format.js';

/** How backward treats a parameter's gradient: overwrite, accumulate, or no gradient. */
export type GradReq = 'write' | 'add' | 'null';

/** Options of a new Parameter (Gluon's keyword arguments, camelCased). */
export interface ParameterOptions {
  /** The shape; 0 marks an extent inferred on the first forward. Default `[]` (unknown). */
  shape?: readonly number[];
  /** Element type, default 'float32'. */
  dtype?: DType;
  /** 'write' (default), 'add' or 'null'. */
  gradReq?: GradReq;
  /** The parameter's own initializer; overrides the one passed to `initialize`. */
  init?: InitializerLike | null;
  /** Multiplier of the learning rate for this parameter (default 1). */
  lrMult?: number;
  /** Multiplier of the weight decay for this parameter (default 1). */
  wdMult?: number;
}

/** Options of `initialize`. */
export interface InitializeOptions {
  /** Re-run the initializer on parameters that already hold values (default false: skip them). */
  forceReinit?: boolean;
  /** The device(s) to hold the values, MXNet's `ctx=` (default `cpu(0)`); only `cpu(0)` has a backend. */
  ctx?: Context | readonly Context[];
}

/** Validates an `initialize` ctx option (a Context or a non-empty list of them), naming `where`. */
export function checkInitContexts(where: string, ctx: unknown): Context[] {
  if (ctx === undefined || ctx === null) return [currentContext()];
  const list = Array.isArray(ctx) ? ctx : [ctx];
  if (list.length === 0) throw new RangeError(`${where}: ctx must hold at least one Context`);
  const out: Context[] = [];
  for (const c of list) {
    if (!(c instanceof Context)) {
      throw new TypeError(
        `${where}: ctx must be a Context or a list of Contexts such as mx.cpu(), got ${typeof c === 'string' ? JSON.stringify(c) : typeof c}`,
      );
    }
    context.placeOn(where, c); // throws, naming the context, where no backend holds arrays
    if (!out.includes(c)) out.push(c);
  }
  return out;
}

/** Thrown when a parameter whose shape is still being inferred is read. MXNet: `DeferredInitializationError`. */
export class DeferredInitializationError extends Error {
  /** The error's class name, `'DeferredInitializationError'`. */
  override name = 'DeferredInitializationError';
}

function checkGradReq(where: string, gradReq: unknown): GradReq {
  if (gradReq === 'write' || gradReq === 'add' || gradReq === 'null') return gradReq;
  throw new TypeError(`${where}: gradReq must be 'write', 'add' or 'null', got ${JSON.stringify(gradReq)}`);
}

function isComplete(shape: readonly number[]): boolean {
  return shape.length > 0 && shape.every((d) => d > 0);
}

/**
 * A learnable value of a layer, MXNet's `gluon.Parameter`. Layers create theirs with
 * `this.params.get(name, options)`; users read them with `data()` and `grad()`.
 * @example
 * const w = new Parameter('w', { shape: [2, 3], init: new init.Normal({ sigma: 0.01 }) });
 * w.initialize();
 * w.data().shape; // [2, 3]
 */
export class Parameter {
  /** The full (prefixed) name, e.g. `dense0_weight`. */
  readonly name: string;
  /** Element type. */
  readonly dtype: DType;
  /** The parameter's own initializer (null: use the one given to `initialize`). */
  init: InitializerLike | null;
  /** Learning-rate multiplier read by the optimizer. */
  lrMult: number;
  /** Weight-decay multiplier read by the optimizer. */
  wdMult: number;
  private _shape: number[];
  private _gradReq: GradReq;
  private _data: NDArray | null = null;
  private _pendingInit: InitializerLike | null = null;
  private _ctxList: Context[] = [];

  constructor(name: string, options: ParameterOptions = {}) {
    this.name = name;
    this._shape = (options.shape ?? []).slice();
    for (const d of this._shape) {
      if (!Number.isInteger(d) || d < 0) {
        throw new RangeError(
          `Parameter '${name}': shape must hold non-negative integers (0 = unknown), got [${this._shape.join(', ')}]`,
        );
      }
    }
    this.dtype = options.dtype ?? 'float32';
    this._gradReq = checkGradReq(`Parameter '${name}'`, options.gradReq ?? 'write');
    this.init = options.init ?? null;
    this.lrMult = options.lrMult ?? 1;
    this.wdMult = options.wdMult ?? 1;
  }

  /** The declared shape (0 where not yet inferred). */
  get shape(): readonly number[] {
    return this._shape;
  }

  /** True once the parameter holds values. */
  get isInitialized(): boolean {
    return this._data !== null;
  }

  /** True when `initialize` ran but the shape is still incomplete. */
  get isDeferred(): boolean {
    return this._data === null && this._pendingInit !== null;
  }

  /** 'write', 'add' or 'null'. Setting it re-attaches (or drops) the gradient buffer. MXNet: `param.grad_req`. */
  get gradReq(): GradReq {
    return this._gradReq;
  }
  /** Sets gradReq and re-attaches (or drops) the gradient buffer. */
  set gradReq(value: GradReq) {
    this._gradReq = checkGradReq(`Parameter '${this.name}'`, value);
    if (this._data) this._data.attachGrad({ gradReq: this._gradReq });
  }

  /**
   * Creates the value with `init` (the parameter's own initializer wins; default Uniform(0.07)).
   * Already-initialized parameters are skipped quietly unless `forceReinit`. When the shape is
   * incomplete, initialization is deferred until `inferShape` completes it.
   * MXNet: `param.initialize(init, force_reinit)`.
   * @example w.initialize(new init.Xavier())
   */
  initialize(init?: InitializerLike | null, options: InitializeOptions = {}): void {
    const contexts = checkInitContexts(`Parameter '${this.name}' initialize`, options.ctx);
    if (this._data && !options.forceReinit) return;
    this._ctxList = contexts;
    const chosen = this.init ?? init ?? new Uniform();
    if (!isComplete(this._shape)) {
      this._data = null;
      this._pendingInit = chosen;
      return;
    }
    this.createData(chosen);
  }

  private createData(init: InitializerLike): void {
    const arr = nd.zeros(this._shape, { dtype: this.dtype });
    // A parameter's own initializer fills it as a weight (Gluon's `__init__` attribute); the
    // block-wide one dispatches on the name (biases to zero, weights to the distribution).
    if (init === this.init) createInitializer(init).initWeight(this.name, arr);
    else createInitializer(init).call(this.name, arr);
    this.adopt(arr);
    this._pendingInit = null;
  }

  private adopt(arr: NDArray): void {
    if (this._gradReq !== 'null') arr.attachGrad({ gradReq: this._gradReq });
    this._data = arr;
    if (this._ctxList.length === 0) this._ctxList = [arr.context];
  }

  /**
   * Completes an incomplete shape (layers call it on their first forward) and runs a pending
   * deferred initializer. Throws, naming the parameter and both shapes, if `shape` contradicts a
   * known extent.
   * @example this.weight.inferShape([this.units, x.shape[1]])
   */
  inferShape(shape: readonly number[]): void {
    const known = this._shape;
    const compatible =
      known.length === 0 ||
      (known.length === shape.length && known.every((d, i) => d === 0 || d === shape[i]));
    if (!compatible || !isComplete(shape)) {
      throw new RangeError(
        `Parameter '${this.name}': inferred shape ${formatShape(shape)} is incompatible with declared shape ${formatShape(known)}`,
      );
    }
    this._shape = shape.slice();
    if (this._pendingInit && !this._data) this.createData(this._pendingInit);
  }

  private checkReadable(what: string): NDArray {
    if (this._data) return this._data;
    if (this._pendingInit) {
      throw new DeferredInitializationError(
        `Parameter '${this.name}' has not been initialized yet because initialization was deferred: ` +
          `its shape ${formatShape(this._shape)} is inferred on the first forward pass. ` +
          `Run a forward pass (net(X)) before calling ${what}.`,
      );
    }
    throw new Error(
      `Parameter '${this.name}' has not been initialized: call net.initialize() (or param.initialize()) before ${what}`,
    );
  }

  /**
   * The value (shared, not copied; updated in place by the Trainer) on `ctx` (default: the one
   * context it was initialized on). MXNet: `param.data(ctx=None)`.
   * @example net.at<nn.Dense>(0).weight.data()
   */
  data(ctx?: Context): NDArray {
    return this.checkContext(ctx, this.checkReadable('data()'));
  }

  /**
   * The contexts the value lives on (those given to `initialize`; `[cpu(0)]` by default), also
   * while initialization is deferred. MXNet: `param.list_ctx()`.
   * @example w.listCtx().map(String) // ['cpu(0)']
   */
  listCtx(): Context[] {
    if (this._data === null && this._pendingInit === null) {
      throw new Error(`Parameter '${this.name}' has not been initialized`);
    }
    return this._ctxList.slice();
  }

  private checkContext(ctx: Context | undefined, data: NDArray): NDArray {
    if (ctx === undefined) return data;
    if (!(ctx instanceof Context)) {
      throw new TypeError(
        `Parameter '${this.name}': ctx must be a Context such as mx.cpu(), got ${typeof ctx}`,
      );
    }
    if (!this._ctxList.some((c) => c.equals(ctx))) {
      throw new Error(
        `Parameter '${this.name}' was not initialized on context ${ctx}. It was only initialized on [${this._ctxList.join(', ')}].`,
      );
    }
    return data;
  }

  /** The gradient buffer filled by backward, on `ctx` as in `data`. MXNet: `param.grad(ctx=None)`. @example net.at<nn.Dense>(0).weight.grad() */
  grad(ctx?: Context): NDArray {
    const data = this.checkContext(ctx, this.checkReadable('grad()'));
    if (this._gradReq === 'null' || !data.grad) {
      throw new Error(`Parameter '${this.name}': cannot get the gradient because gradReq is 'null'`);
    }
    return data.grad;
  }

  /**
   * Overwrites the value (copied into the existing array, so references stay valid); on a
   * parameter without a value yet, creates it. The shape must match. MXNet: `param.set_data(data)`.
   * @example w.setData(nd.ones([10, 784]))
   */
  setData(value: NDArray): void {
    if (this._data) {
      if (!sameShape(this._data.shape, value.shape)) {
        throw new RangeError(
          `Parameter '${this.name}': setData got shape ${formatShape(value.shape)}, expected ${formatShape(this._data.shape)}`,
        );
      }
      this._data.set(value);
      return;
    }
    this.inferShapeOnly(value.shape);
    this.adopt(value.astype(this.dtype, { copy: true }));
    this._pendingInit = null;
  }

  private inferShapeOnly(shape: readonly number[]): void {
    const known = this._shape;
    const compatible =
      known.length === 0 ||
      (known.length === shape.length && known.every((d, i) => d === 0 || d === shape[i]));
    if (!compatible) {
      throw new RangeError(
        `Parameter '${this.name}': shape ${formatShape(shape)} is incompatible with declared shape ${formatShape(known)}`,
      );
    }
    this._shape = shape.slice();
  }

  /** @internal checks a re-declared shape against the known one (shared parameters). */
  _checkCompatibleShape(shape: readonly number[]): void {
    const known = this._shape;
    const ok =
      known.length === 0 ||
      shape.length === 0 ||
      (known.length === shape.length && known.every((d, i) => d === 0 || shape[i] === 0 || d === shape[i]));
    if (!ok) {
      throw new RangeError(
        `Parameter '${this.name}': requested shape ${formatShape(shape)} is incompatible with existing shape ${formatShape(known)}`,
      );
    }
  }

  /** Sets the gradient to zero (useful with gradReq 'add'). MXNet: `param.zero_grad()`. @example w.zeroGrad() */
  zeroGrad(): void {
    this._data?.grad?.data.fill(0);
  }

  /** `Parameter dense0_weight (shape=(10, 784), dtype=float32)`, as Gluon prints it. */
  toString(): string {
    const shape = `(${this._shape.map((d) => String(d)).join(', ')}${this._shape.length === 1 ? ',' : ''})`;
    return `Parameter ${this.name} (shape=${shape}, dtype=${this.dtype})`;
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** The initializer of a Constant: copies the constant's value. */
class CopyValue extends Initializer {
  constructor(private readonly value: NDArray) {
    super();
  }
  override initWeight(_name: string, arr: NDArray): void {
    arr.set(this.value);
  }
}

/**
 * A parameter that holds a fixed value: no gradient (gradReq is always 'null', so autograd and
 * the Trainer leave it alone), initialized to `value` by `initialize` (whatever initializer is
 * passed), changeable only with `setData`. MXNet: `gluon.Constant(name, value)`, usually made by
 * `params.getConstant`.
 * @example
 * const c = new Constant('scale', nd.array([[1, 2], [3, 4]]));
 * c.initialize();
 * c.data().toArray(); // [[1, 2], [3, 4]]
 */
export class Constant extends Parameter {
  /** The value `initialize` copies in (a copy of the one given). */
  readonly value: NDArray;
  constructor(name: string, value: NDArray | Parameters<typeof nd.array>[0]) {
    const arr = value instanceof NDArray ? value.copy() : nd.array(value);
    super(name, { shape: arr.shape, dtype: arr.dtype, gradReq: 'null', init: new CopyValue(arr) });
    this.value = arr;
  }

  /** Always 'null'; setting another value is ignored with a warning, as Gluon does. */
  override get gradReq(): GradReq {
    return 'null';
  }
  override set gradReq(value: GradReq) {
    if (value !== 'null') {
      console.warn(
        `Constant parameter '${this.name}' does not support gradReq other than 'null'; '${value}' is ignored`,
      );
    }
  }

  /** `Constant fancymlp0_rand_weight (shape=(20, 20), dtype=float32)`, as Gluon prints it. */
  override toString(): string {
    return super.toString().replace(/^Parameter/, 'Constant');
  }
}

/** Attributes `setAttr` can change on every parameter of a dict. */
export type ParameterAttr = 'gradReq' | 'lrMult' | 'wdMult' | 'init';

/**
 * An ordered dict of parameters sharing a name prefix, MXNet's `gluon.ParameterDict`.
 * `net.collectParams()` returns one; pass it to `Trainer`.
 * @example
 * const params = net.collectParams();
 * [...params.keys()];            // ['dense0_weight', 'dense0_bias']
 * params.setAttr('gradReq', 'null');
 */
export class ParameterDict {
  /** The prefix `get` prepends to names. */
  readonly prefix: string;
  private readonly params = new Map<string, Parameter>();
  private readonly shared: ParameterDict | null;
  private readonly onCreate: ((shortName: string, param: Parameter) => void) | null;

  constructor(
    prefix = '',
    shared: ParameterDict | null = null,
    onCreate: ((shortName: string, param: Parameter) => void) | null = null,
  ) {
    this.prefix = prefix;
    this.shared = shared;
    this.onCreate = onCreate;
  }

  /**
   * Returns the parameter `prefix + name`, creating it with `options` if absent (or taking it from
   * the shared dict). Layers call it in their constructor. MXNet: `self.params.get(name, **kwargs)`.
   * @example this.weight = this.params.get('weight', { shape: [units, inUnits] })
   */
  get(name: string, options: ParameterOptions = {}): Parameter {
    const full = this.prefix + name;
    let param = this.params.get(full) ?? this.shared?.params.get(full);
    if (!param) param = new Parameter(full, options);
    else if (options.shape) param._checkCompatibleShape(options.shape);
    this.onCreate?.(name, param);
    this.params.set(full, param);
    return param;
  }

  /**
   * Returns the Constant `prefix + name`, creating it with `value` if absent (or taking it from the
   * shared dict). Asking again with a value checks that it is the same. MXNet:
   * `self.params.get_constant(name, value)`.
   * @example this.randWeight = this.params.getConstant('rand_weight', nd.random.uniform({ shape: [20, 20] }))
   */
  getConstant(name: string, value?: NDArray | Parameters<typeof nd.array>[0]): Constant {
    const full = this.prefix + name;
    const existing = this.params.get(full) ?? this.shared?.params.get(full);
    let param: Constant;
    if (!existing) {
      if (value === undefined) {
        throw new RangeError(
          `ParameterDict.getConstant: no constant named '${full}'; pass a value to create it`,
        );
      }
      param = new Constant(full, value);
    } else if (!(existing instanceof Constant)) {
      throw new TypeError(
        `ParameterDict.getConstant: parameter '${full}' already exists but it is not a constant`,
      );
    } else {
      param = existing;
      if (value !== undefined) {
        const arr = value instanceof NDArray ? value : nd.array(value);
        const same =
          sameShape(arr.shape, param.value.shape) && arr.data.every((v, i) => v === param.value.data[i]);
        if (!same) {
          throw new RangeError(
            `ParameterDict.getConstant: constant '${full}' already exists with a different value`,
          );
        }
      }
    }
    this.onCreate?.(name, param);
    this.params.set(full, param);
    return param;
  }

  /** The parameter with this full name, or an error listing the names. @example params.lookup('dense0_weight') */
  lookup(fullName: string): Parameter {
    const p = this.params.get(fullName);
    if (!p) {
      throw new RangeError(
        `ParameterDict: no parameter named '${fullName}' (have: ${[...this.params.keys()].join(', ') || 'none'})`,
      );
    }
    return p;
  }

  /** True when a parameter with this full name is present. */
  has(fullName: string): boolean {
    return this.params.has(fullName);
  }

  /** Adds a parameter under its full name (used by `collectParams`). */
  add(param: Parameter): void {
    const existing = this.params.get(param.name);
    if (existing && existing !== param) {
      throw new Error(`ParameterDict: two different parameters are named '${param.name}'`);
    }
    this.params.set(param.name, param);
  }

  /** Copies every parameter of `other` into this dict. MXNet: `params.update(other)`. */
  update(other: ParameterDict): void {
    for (const p of other.values()) this.add(p);
  }

  /** Number of parameters. */
  get size(): number {
    return this.params.size;
  }
  /** Full names, in insertion order. */
  keys(): IterableIterator<string> {
    return this.params.keys();
  }
  /** The parameters, in insertion order. */
  values(): IterableIterator<Parameter> {
    return this.params.values();
  }
  /** [full name, parameter] pairs. */
  entries(): IterableIterator<[string, Parameter]> {
    return this.params.entries();
  }
  /** Iterates over the [full name, parameter] pairs, as `entries()`. */
  [Symbol.iterator](): IterableIterator<[string, Parameter]> {
    return this.params.entries();
  }

  /**
   * Initializes every parameter (see `Parameter.initialize`). MXNet: `params.initialize(init, force_reinit)`.
   * @example net.collectParams().initialize(new init.Normal({ sigma: 0.01 }))
   */
  initialize(init?: InitializerLike | null, options: InitializeOptions = {}): void {
    checkInitContexts('initialize', options.ctx);
    for (const p of this.params.values()) p.initialize(init, options);
  }

  /** Zeroes every gradient. MXNet: `params.zero_grad()`. @example net.collectParams().zeroGrad() */
  zeroGrad(): void {
    for (const p of this.params.values()) p.zeroGrad();
  }

  /**
   * Sets one attribute on every parameter. MXNet: `params.setattr('grad_req', 'null')`.
   * @example net.collectParams('.*bias').setAttr('lrMult', 2)
   */
  setAttr<K extends ParameterAttr>(attr: K, value: Parameter[K]): void {
    if (!['gradReq', 'lrMult', 'wdMult', 'init'].includes(attr)) {
      throw new RangeError(`ParameterDict.setAttr: unknown attribute ${JSON.stringify(attr)}`);
    }
    for (const p of this.params.values()) p[attr] = value;
  }

  /** Gluon's listing: the prefix and a space (nothing without a prefix), then one parameter per line. */
  toString(): string {
    const lines = [...this.params.values()].map((p) => `  ${p.toString()}`);
    return `${this.prefix ? `${this.prefix} ` : ''}(\n${lines.join('\n')}\n)`;
  }
}
