/**
 * `Block`, Gluon's base class of layers and models. A Block registers its children
 * (`registerChild`) and parameters (`this.params.get`) explicitly, which gives every parameter
 * two names: the MXNet-style prefixed name from a per-class counter (`dense0_weight`, the keys of
 * `collectParams()`) and the structural name from the registration path (`0.weight`,
 * `hidden.bias`, the keys of parameter files). Subclasses implement `forward`. Name counters live
 * in name scopes: the global one (reset with `resetNameCounters()`) and one per block, entered
 * with `block.nameScope(() => ...)` so children created inside get the parent's prefix.
 */
import type { NDArray } from '@minimx/ndarray';
import type { InitializerLike } from './init.js';
import { type InitializeOptions, type Parameter, ParameterDict } from './parameter.js';
import {
  type LoadParametersOptions,
  loadParametersInto,
  readParameterFile,
  saveParametersToBytes,
  writeParameterFile,
} from './serialization.js';

interface NameScope {
  readonly prefix: string;
  readonly counters: Map<string, number>;
}

const globalScope: NameScope = { prefix: '', counters: new Map() };
let currentScope: NameScope = globalScope;

/**
 * Resets the global name counters, so the next Dense is `dense0` again (tests, notebooks).
 * MXNet has no direct twin (a fresh Python process starts at 0).
 * @example nn.resetNameCounters(); new nn.Dense(10).name // 'dense0'
 */
export function resetNameCounters(): void {
  globalScope.counters.clear();
}

function nextPrefix(hint: string): string {
  const n = currentScope.counters.get(hint) ?? 0;
  currentScope.counters.set(hint, n + 1);
  return `${currentScope.prefix}${hint}${n}_`;
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

/**
 * Base class of layers and models, MXNet's `gluon.Block` (and `HybridBlock`: there is no
 * separate symbolic mode, so `hybridize()` is a no-op). Call a block with `forward`: Gluon's
 * `net(X)` is `net.forward(X)` here.
 * @example
 * class MLP extends nn.Block {
 *   hidden = this.registerChild(new nn.Dense(256, { activation: 'relu' }), 'hidden');
 *   output = this.registerChild(new nn.Dense(10), 'output');
 *   override forward(x: NDArray) { return this.output.forward(this.hidden.forward(x)); }
 * }
 */
export abstract class Block {
  /** The prefix of this block's parameter names, e.g. `dense0_`. */
  readonly prefix: string;
  /** The prefix without its trailing underscore, e.g. `dense0`. */
  readonly name: string;
  /** This block's own parameters (not its children's), keyed by prefixed name. MXNet: `block.params`. */
  readonly params: ParameterDict;
  /** @internal children by structural name. */
  protected readonly _children = new Map<string, Block>();
  /** @internal own parameters by structural name. */
  protected readonly _regParams = new Map<string, Parameter>();
  private readonly scope: NameScope;

  constructor(options: BlockOptions = {}) {
    const prefix =
      options.prefix === undefined
        ? nextPrefix(this.alias())
        : currentScope === globalScope
          ? options.prefix
          : currentScope.prefix + options.prefix;
    this.prefix = prefix;
    this.name = prefix.endsWith('_') ? prefix.slice(0, -1) : prefix;
    const shared = options.params ?? null;
    this.params = new ParameterDict(shared ? shared.prefix : prefix, shared, (short, param) =>
      this._regParams.set(short, param),
    );
    this.scope = { prefix, counters: new Map() };
  }

  /**
   * The lower-case class name used for automatic prefixes (`dense`, `sequential`). Built-in
   * layers override it so minified builds keep their names. MXNet: `_alias()`.
   */
  protected alias(): string {
    return this.constructor.name.toLowerCase();
  }

  /**
   * Runs `fn` inside this block's name scope: blocks created in it get this block's prefix
   * (`mlp0_dense0_`). MXNet: `with self.name_scope():`.
   * @example this.nameScope(() => { this.hidden = this.registerChild(new nn.Dense(256), 'hidden'); })
   */
  nameScope<T>(fn: () => T): T {
    const previous = currentScope;
    currentScope = this.scope;
    try {
      return fn();
    } finally {
      currentScope = previous;
    }
  }

  /**
   * Registers `block` as a child under `name` (default: the next index), which makes its
   * parameters part of this block's. Returns the block, for `this.hidden = this.registerChild(...)`.
   * MXNet: assigning `self.hidden = nn.Dense(...)` or `self.register_child(block, name)`.
   * @example this.hidden = this.registerChild(new nn.Dense(256), 'hidden');
   */
  registerChild<T extends Block>(block: T, name?: string): T {
    const key = name ?? String(this._children.size);
    if (key === '' || key.includes('.')) {
      throw new RangeError(
        `${this.name}.registerChild: child name ${JSON.stringify(key)} must be non-empty without dots`,
      );
    }
    this._children.set(key, block);
    return block;
  }

  /**
   * Registers an existing Parameter under `name` (a structural name without dots).
   * Most layers use `this.params.get(name, options)` instead, which creates and registers.
   * @example this.scale = this.registerParameter('scale', new Parameter('scale', { shape: [1] }));
   */
  registerParameter(name: string, param: Parameter): Parameter {
    if (name === '' || name.includes('.')) {
      throw new RangeError(
        `${this.name}.registerParameter: name ${JSON.stringify(name)} must be non-empty without dots`,
      );
    }
    this._regParams.set(name, param);
    this.params.add(param);
    return param;
  }

  /** The children, by structural name. */
  get children(): ReadonlyMap<string, Block> {
    return this._children;
  }

  /** Computes the output. Subclasses implement it; users call it: Gluon's `net(X)`. */
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
    for (const child of this._children.values()) child.apply(fn);
    fn(this);
    return this;
  }

  /**
   * The parameters in the binary parameter-file format (structural names), for browsers or
   * custom storage. MXNet: `save_parameters` into memory.
   * @example const bytes = net.saveParametersToBytes();
   */
  saveParametersToBytes(): Uint8Array {
    return saveParametersToBytes(this.structuralParams());
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
   * Writes the parameters to a file (Node only), atomically (temp file, then rename).
   * MXNet: `net.save_parameters(path)`.
   * @example await net.saveParameters('mlp.params');
   */
  async saveParameters(path: string): Promise<void> {
    await writeParameterFile(path, this.saveParametersToBytes());
  }

  /**
   * Reads parameters from a file written by `saveParameters` (Node only). See
   * `loadParametersFromBytes` for the checks. MXNet: `net.load_parameters(path, allow_missing, ignore_extra)`.
   * @example await net.loadParameters('mlp.params');
   */
  async loadParameters(path: string, options: LoadParametersOptions = {}): Promise<void> {
    const bytes = await readParameterFile(path);
    loadParametersInto(this.structuralParams(), bytes, path, options);
  }

  /** Gluon's summary: `Sequential(\n  (0): Dense(784 -> 10, linear)\n)`. */
  toString(): string {
    const head = this.constructor.name;
    if (this._children.size === 0) return `${head}(\n\n)`;
    const lines = [...this._children].map(([key, block]) => `  (${key}): ${indent(block.toString(), 2)}`);
    return `${head}(\n${lines.join('\n')}\n)`;
  }
}

/**
 * Gluon's `HybridBlock`: the same as Block here (no symbolic mode); `hybridize()` is a no-op.
 * @example class MyLayer extends nn.HybridBlock { override forward(x: NDArray) { return x.relu(); } }
 */
export abstract class HybridBlock extends Block {}
