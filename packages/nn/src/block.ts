/**
 * `Block`, Gluon's base class of layers and models. A block is a function object: its
 * constructor returns a function (with the class's prototype) that runs `forward`, so `net(X)`
 * reads as in Gluon. Children and parameters assigned to fields register under the field's
 * name (found by a scan of own fields at every structural read, so `forward` pays nothing);
 * `registerChild` and `this.params.get` register explicitly. Every parameter has two names: the
 * MXNet-style prefixed name from a per-class counter (`dense0_weight`, the keys of
 * `collectParams()`) and the structural name from the registration path (`0.weight`,
 * `hidden.bias`, the keys of parameter files). Name counters live in name scopes: the global one
 * (reset with `resetNameCounters()`) and one per block, entered with `block.nameScope(() => ...)`
 * so children created inside get the parent's prefix. See docs/architecture.md.
 */
import type { NDArray } from '@minimx/ndarray';
import type { InitializerLike } from './init.js';
import { type InitializeOptions, Parameter, ParameterDict } from './parameter.js';
import {
  type LoadParametersOptions,
  loadParametersFromFile,
  loadParametersInto,
  type SaveParametersOptions,
  saveParametersToBytes,
  saveParametersToFile,
} from './serialization.js';

/** @internal A name scope: the counters of automatic prefixes, global or per block. */
export interface NameScope {
  /** The block whose `nameScope` this is (null: the global scope). */
  readonly owner: Block | null;
  readonly counters: Map<string, number>;
  /** The last block created here whose alias could not be read at construction, if unnamed yet. */
  pending: Block | null;
}

const globalScope: NameScope = { owner: null, counters: new Map(), pending: null };
let currentScope: NameScope = globalScope;

/**
 * Resets the global name counters, so the next Dense is `dense0` again (tests, notebooks).
 * MXNet has no direct twin (a fresh Python process starts at 0).
 * @example nn.resetNameCounters(); new nn.Dense(10).name // 'dense0'
 */
export function resetNameCounters(): void {
  settle(globalScope);
  globalScope.counters.clear();
}

function scopePrefix(scope: NameScope): string {
  return scope.owner ? scope.owner.prefix : '';
}

function takePrefix(scope: NameScope, hint: string): string {
  const n = scope.counters.get(hint) ?? 0;
  scope.counters.set(hint, n + 1);
  return `${scopePrefix(scope)}${hint}${n}_`;
}

function nameOf(prefix: string): string {
  return prefix.endsWith('_') ? prefix.slice(0, -1) : prefix;
}

/** `block.alias()`, or null when it is not a non-empty string (it reads state not set yet). */
function readAlias(block: Block): string | null {
  try {
    const hint = (block as unknown as { alias(): unknown }).alias();
    return typeof hint === 'string' && hint !== '' ? hint : null;
  } catch {
    return null;
  }
}

/** Names the scope's pending block, so counters are taken in creation order. */
function settle(scope: NameScope): void {
  const block = scope.pending;
  if (block) void block.prefix;
}

function resolvePrefix(block: Block): string {
  const scope = block._birthScope;
  if (scope.pending === block) scope.pending = null;
  const hint = readAlias(block) ?? block.constructor.name.toLowerCase();
  const prefix = takePrefix(scope, hint);
  block._prefix = prefix;
  return prefix;
}

/** True when a subclass (below Block) defines `key`, which the function object's own property would hide. */
function subclassDefines(proto: object | null, key: string): boolean {
  for (let p = proto; p && p !== Block.prototype; p = Object.getPrototypeOf(p)) {
    if (Object.hasOwn(p, key)) return true;
  }
  return false;
}

/** Options every Block constructor accepts (Gluon's `prefix` and `params`). */
export interface BlockOptions {
  /** The name prefix (default: class alias + counter, e.g. `dense0_`). */
  prefix?: string;
  /** Share these parameters instead of creating new ones (Gluon's `params=other.params`). */
  params?: ParameterDict;
}

function indent(text: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return text
    .split('\n')
    .map((line, i) => (i === 0 ? line : pad + line))
    .join('\n');
}

type Forward = (...args: never[]) => unknown;

/**
 * A block is callable with its own `forward`'s signature: `net(X)` is `net.forward(X)`.
 * (An interface merged with the class: TypeScript gives the instance type a call signature that
 * follows each subclass's `forward` through `this`.)
 */
export interface Block {
  // biome-ignore lint/style/useShorthandFunctionType: an interface (not a type alias) merges with the class
  (...args: Parameters<this['forward']>): ReturnType<this['forward']>;
}

/**
 * Base class of layers and models, MXNet's `gluon.Block` (and `HybridBlock`: there is no
 * separate symbolic mode, so `hybridize()` is a no-op). A block is a function: `net(X)` calls
 * `forward`, which subclasses override. Blocks and parameters assigned to fields register
 * themselves under the field's name, as Gluon's `__setattr__` does.
 * @example
 * class MLP extends nn.Block {
 *   hidden = new nn.Dense(256, { activation: 'relu' });
 *   output = new nn.Dense(10);
 *   override forward(x: NDArray) { return this.output(this.hidden(x)); }
 * }
 * const net = new MLP();
 * net.initialize();
 * net(nd.random.uniform({ shape: [2, 20] })).shape; // [2, 10]
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the constructor returns the function that provides the call signature
export abstract class Block {
  /** The prefix without its trailing underscore, e.g. `dense0`. */
  declare readonly name: string;
  /** @internal children by structural name. */
  declare protected readonly _children: Map<string, Block>;
  /** @internal own parameters by structural name. */
  declare protected readonly _regParams: Map<string, Parameter>;
  /** @internal the prefix, null until named (see `prefix`). */
  declare _prefix: string | null;
  /** @internal the name scope this block was created in. */
  declare readonly _birthScope: NameScope;
  /** @internal the last value seen in each own field (registration by assignment). */
  declare private readonly _fieldSeen: Map<string, unknown>;
  declare private _params: ParameterDict | null;
  declare private readonly _sharedParams: ParameterDict | null;
  declare private readonly _scope: NameScope;

  constructor(options: BlockOptions = {}) {
    const birth = currentScope;
    settle(birth);
    let prefix: string | null = null;
    if (options.prefix !== undefined) prefix = scopePrefix(birth) + options.prefix;
    else {
      // `this` is the plain object `new` made: it has the class's methods but no fields yet, so an
      // alias that reads a field set after super() (Activation's) comes back null: name it later.
      const hint = readAlias(this);
      if (hint !== null) prefix = takePrefix(birth, hint);
    }
    const fnName = prefix === null ? '' : nameOf(prefix);
    // A computed key names the function (its own `name`) without redefining the property, which
    // would switch V8 to slow dictionary properties for every field read in forward.
    const holder = {
      [fnName]: (...args: unknown[]): unknown =>
        (block as unknown as { forward: Forward }).forward(...(args as never[])),
    };
    const block = holder[fnName] as unknown as Block;
    // `new.target` read once into a variable: terser (webpack's production minifier) inlines
    // subclassDefines as a nested function and moved a `new.target` argument into it, where it is
    // undefined, so every block constructor threw in a webpack production bundle.
    const proto: object = new.target.prototype;
    Object.setPrototypeOf(block, proto);
    if (subclassDefines(proto, 'length')) delete (block as { length?: number }).length;
    const internal = (value: unknown): PropertyDescriptor => ({ value, writable: true, configurable: true });
    Object.defineProperties(block, {
      _children: internal(new Map()),
      _regParams: internal(new Map()),
      _fieldSeen: internal(new Map()),
      _prefix: internal(prefix),
      _params: internal(null),
      _sharedParams: internal(options.params ?? null),
      _birthScope: internal(birth),
      _scope: internal({ owner: block, counters: new Map(), pending: null }),
    });
    if (prefix === null) {
      birth.pending = block;
      Object.defineProperty(block, 'name', {
        get: () => nameOf(block.prefix),
        configurable: true,
      });
    }
    // biome-ignore lint/correctness/noConstructorReturn: the instance is the callable function object
    return block;
  }

  /**
   * The prefix of this block's parameter names, e.g. `dense0_`. MXNet: `block.prefix`.
   * @example new nn.Dense(10).prefix // 'dense0_'
   */
  get prefix(): string {
    return this._prefix ?? resolvePrefix(this);
  }

  /**
   * This block's own parameters (not its children's), keyed by prefixed name. MXNet: `block.params`.
   * @example net.at(0).params.toString() // 'dense0_ (\n  Parameter dense0_weight ...\n)'
   */
  get params(): ParameterDict {
    if (this._params) return this._params;
    const shared = this._sharedParams;
    this._params = new ParameterDict(shared ? shared.prefix : this.prefix, shared, (short, param) => {
      this._syncFields();
      this._regParams.set(short, param);
    });
    return this._params;
  }

  /**
   * The lower-case class name used for automatic prefixes (`dense`, `sequential`). Built-in
   * layers override it so minified builds keep their names. It may read fields the subclass's
   * constructor sets (Activation's type): a block whose alias is not ready when `super()` runs is
   * named when its name is first needed, before any later block of the same scope, so counters
   * follow creation order. MXNet: `_alias()`.
   */
  protected alias(): string {
    return this.constructor.name.toLowerCase();
  }

  /**
   * Registers blocks and parameters assigned to own fields since the last call, under the
   * field's name (Gluon's `__setattr__`). Every structural read (children, collectParams,
   * initialize, parameter files, toString) calls it first, so `forward` pays nothing.
   * @internal
   */
  _syncFields(): void {
    const seen = this._fieldSeen;
    const fields = this as unknown as Record<string, unknown>;
    for (const key of Object.keys(this)) {
      const value = fields[key];
      if (seen.get(key) === value && seen.has(key)) continue;
      seen.set(key, value);
      if (value instanceof Block) {
        if (value === this || this._children.get(key) === value) continue;
        let known = false;
        for (const child of this._children.values()) if (child === value) known = true;
        if (!known) {
          checkNoCycle(this, value, `field '${key}'`);
          this._children.set(checkName(this, 'field', key), value);
        }
      } else if (value instanceof Parameter) {
        let known = false;
        for (const p of this._regParams.values()) if (p === value) known = true;
        if (known) continue;
        if (this._regParams.has(key)) {
          throw new TypeError(
            `${this.name}: field '${key}' holds a different Parameter than the one registered as '${key}'; ` +
              'a Parameter field cannot be replaced (share parameters with the params option instead)',
          );
        }
        this._regParams.set(checkName(this, 'field', key), value);
        this.params.add(value);
      }
    }
  }

  /**
   * Runs `fn` inside this block's name scope: blocks created in it get this block's prefix
   * (`mlp0_dense0_`). MXNet: `with self.name_scope():`.
   * @example this.nameScope(() => { this.hidden = new nn.Dense(256); })
   */
  nameScope<T>(fn: () => T): T {
    void this.prefix;
    const previous = currentScope;
    currentScope = this._scope;
    try {
      return fn();
    } finally {
      currentScope = previous;
    }
  }

  /**
   * Registers `block` as a child under `name` (default: the next index), which makes its
   * parameters part of this block's; a name already taken is replaced in place. Returns the block.
   * A block assigned to a field registers itself (`this.hidden = new nn.Dense(256)`); this is for
   * names chosen at run time. MXNet: `self.register_child(block, name)`.
   * @example for (let i = 0; i < 3; i++) this.registerChild(new nn.Dense(8), `layer${i}`);
   */
  registerChild<T extends Block>(block: T, name?: string): T {
    if (!(block instanceof Block)) {
      throw new TypeError(`${this.name}.registerChild: expected a Block, got ${String(block)}`);
    }
    this._syncFields();
    checkNoCycle(this, block, 'registerChild');
    const key = checkName(this, 'registerChild', name ?? String(this._children.size));
    this._children.set(key, block);
    return block;
  }

  /**
   * Registers an existing Parameter under `name` (a structural name without dots).
   * Most layers use `this.params.get(name, options)` instead, which creates and registers.
   * @example this.scale = this.registerParameter('scale', new Parameter('scale', { shape: [1] }));
   */
  registerParameter(name: string, param: Parameter): Parameter {
    this._syncFields();
    this._regParams.set(checkName(this, 'registerParameter', name), param);
    this.params.add(param);
    return param;
  }

  /** The children, by structural name. */
  get children(): ReadonlyMap<string, Block> {
    this._syncFields();
    return this._children;
  }

  /**
   * Computes the output. Subclasses override it; users call the block itself, `net(X)` (Gluon's
   * `__call__`), which runs `forward` with the same arguments.
   */
  abstract forward(x: NDArray, ...rest: NDArray[]): NDArray;

  /**
   * Every parameter of this block and its descendants, keyed by prefixed name, optionally only
   * those whose name matches `select` (a string is a regular expression anchored at the start,
   * like Python's `re.match`). MXNet: `net.collect_params(select)`.
   * @example net.collectParams('.*weight')
   */
  collectParams(select?: string | RegExp): ParameterDict {
    const pattern =
      select === undefined ? null : typeof select === 'string' ? new RegExp(`^(?:${select})`) : select;
    const out = new ParameterDict(this.params.prefix);
    const visit = (block: Block): void => {
      block._syncFields();
      for (const p of block.params.values()) if (!pattern || pattern.test(p.name)) out.add(p);
      for (const child of block._children.values()) visit(child);
    };
    visit(this);
    return out;
  }

  /**
   * Parameters keyed by structural name (`0.weight`, `hidden.bias`): the names parameter files
   * use. MXNet: `_collect_params_with_prefix()`.
   * @example net.structuralParams().keys() // '0.weight', '0.bias', ...
   */
  structuralParams(prefix = ''): Map<string, Parameter> {
    this._syncFields();
    const out = new Map<string, Parameter>();
    for (const [key, p] of this._regParams) out.set(prefix + key, p);
    for (const [key, child] of this._children) {
      for (const [k, p] of child.structuralParams(`${prefix}${key}.`)) out.set(k, p);
    }
    return out;
  }

  /**
   * Initializes every parameter (Uniform(0.07) by default; a parameter's own initializer wins).
   * Parameters that already hold values are skipped quietly unless `forceReinit`.
   * MXNet: `net.initialize(init, force_reinit=False)`.
   * @example net.initialize(new init.Normal({ sigma: 0.01 }))
   */
  initialize(init?: InitializerLike | null, options: InitializeOptions = {}): this {
    this.collectParams().initialize(init, options);
    return this;
  }

  /** Zeroes every gradient. MXNet: `net.zero_grad()`. @example net.zeroGrad() */
  zeroGrad(): void {
    this.collectParams().zeroGrad();
  }

  /** A no-op kept so Gluon code translates line by line (there is no symbolic graph). MXNet: `net.hybridize()`. */
  hybridize(): this {
    return this;
  }

  /** Applies `fn` to every descendant, then to this block. MXNet: `net.apply(fn)`. @example net.apply((b) => console.log(b.name)) */
  apply(fn: (block: Block) => void): this {
    this._syncFields();
    for (const child of this._children.values()) child.apply(fn);
    fn(this);
    return this;
  }

  /**
   * The parameters as the bytes of a parameter file (MXNet's format, structural names; or
   * `{ format: 'safetensors' }`), for browsers or custom storage. MXNet: `save_parameters` into memory.
   * @example const bytes = net.saveParametersToBytes();
   */
  saveParametersToBytes(options: SaveParametersOptions = {}): Uint8Array {
    return saveParametersToBytes(this.structuralParams(), options);
  }

  /**
   * Loads parameters from bytes made by `saveParametersToBytes`. Missing or extra names, wrong
   * shapes or corrupt bytes throw an error naming the parameter; on any error no parameter changes.
   * @example net.loadParametersFromBytes(bytes)
   */
  loadParametersFromBytes(bytes: Uint8Array, options: LoadParametersOptions = {}): void {
    loadParametersInto(this.structuralParams(), bytes, '<bytes>', options);
  }

  /**
   * Writes the parameters to a file (Node only), atomically (temp file, then rename), in MXNet's
   * format (MXNet's `load_parameters` reads it), or safetensors for a `.safetensors` path.
   * MXNet: `net.save_parameters(path)`.
   * @example await net.saveParameters('mlp.params');
   */
  async saveParameters(path: string, options: SaveParametersOptions = {}): Promise<void> {
    await saveParametersToFile(this.structuralParams(), path, options);
  }

  /**
   * Reads parameters from a file written by `saveParameters` (Node only). See
   * `loadParametersFromBytes` for the checks. MXNet: `net.load_parameters(path, allow_missing, ignore_extra)`.
   * @example await net.loadParameters('mlp.params');
   */
  async loadParameters(path: string, options: LoadParametersOptions = {}): Promise<void> {
    await loadParametersFromFile(this.structuralParams(), path, options);
  }

  /** Gluon's summary: `Sequential(\n  (0): Dense(784 -> 10, linear)\n)`. */
  toString(): string {
    const head = this.constructor.name;
    const children = this.children;
    if (children.size === 0) return `${head}(\n\n)`;
    const lines = [...children].map(([key, block]) => `  (${key}): ${indent(block.toString(), 2)}`);
    return `${head}(\n${lines.join('\n')}\n)`;
  }

  /** Node's `console.log(net)` and `util.inspect(net)` print the Gluon summary (`toString`), not `[Function]`. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  /**
   * `JSON.stringify(net)`: the class, the name, the own parameters (name, shape, dtype) and the
   * children by structural name. (A function would otherwise stringify to `undefined`.)
   * @example JSON.stringify(new nn.Dense(2, { inUnits: 3 })) // '{"block":"Dense","name":"dense0","params":{...}}'
   */
  toJSON(): BlockJSON {
    this._syncFields();
    const out: BlockJSON = { block: this.constructor.name, name: this.name };
    if (this._regParams.size > 0) {
      out.params = {};
      for (const [key, p] of this._regParams)
        out.params[key] = { name: p.name, shape: [...p.shape], dtype: p.dtype };
    }
    if (this._children.size > 0) {
      out.children = {};
      for (const [key, child] of this._children) out.children[key] = child.toJSON();
    }
    return out;
  }
}

// Blocks are functions: give them Function.prototype's members (call, apply's namesake aside, bind)
// so their runtime matches the callable type TypeScript gives them.
Object.setPrototypeOf(Block.prototype, Function.prototype);

/** What `JSON.stringify(block)` produces. */
export interface BlockJSON {
  /** The block's class name, e.g. 'Dense'. */
  block: string;
  /** The block's name, e.g. 'dense0'. */
  name: string;
  /** The block's own parameters by attribute name: full name, shape (as `Parameter.shape`) and dtype. */
  params?: Record<string, { name: string; shape: number[]; dtype: string }>;
  /** The child blocks by attribute name, each in this form. */
  children?: Record<string, BlockJSON>;
}

function checkName(block: Block, where: string, name: string): string {
  if (name === '' || name.includes('.')) {
    throw new RangeError(
      `${block.name}.${where}: name ${JSON.stringify(name)} must be non-empty without dots`,
    );
  }
  return name;
}

/**
 * Gluon's `HybridBlock`: the same as Block here (no symbolic mode); `hybridize()` is a no-op.
 * @example class MyLayer extends nn.HybridBlock { override forward(x: NDArray) { return x.relu(); } }
 */
export abstract class HybridBlock extends Block {}

/**
 * Refuses making `child` a child of `parent` when `parent` is `child` or one of its descendants:
 * every structural walk (collectParams, initialize, toString, saving) would recurse forever.
 * Walks `child`'s registered children iteratively, so a deep tree cannot overflow the stack.
 */
function checkNoCycle(parent: Block, child: Block, where: string): void {
  const stack: Block[] = [child];
  const seen = new Set<Block>();
  while (stack.length) {
    const b = stack.pop() as Block;
    if (b === parent) {
      throw new TypeError(
        `${parent.name}.${where === 'registerChild' ? 'registerChild' : 'field'}: cannot make ${child.name} a child of ${parent.name}` +
          `${where === 'registerChild' ? '' : ` (${where})`}: ${child === parent ? 'a block cannot contain itself' : `${child.name} already contains ${parent.name}`}`,
      );
    }
    if (seen.has(b)) continue;
    seen.add(b);
    for (const c of (b as unknown as { _children: Map<string, Block> })._children.values()) stack.push(c);
  }
}
