/**
 * Initializers, MXNet's `mx.init`: the `Initializer` base class (which dispatches on the
 * parameter's name: `*bias` and `*beta` to zero, `*gamma` to one, everything else to
 * `initWeight`), and Normal, Uniform, Constant, Zero, One and Xavier. They draw from ndarray's
 * seeded global generator, so `nd.random.seed(n)` makes initialization repeatable. A custom
 * initializer subclasses `Initializer` and implements `initWeight(name, arr)`, filling `arr` in place.
 */
import { type NDArray, nd } from '@minimx/ndarray';
import { formatShape } from './shape-format.js';

/**
 * Base class of initializers, MXNet's `mx.init.Initializer`. Subclass it and implement
 * `initWeight`, which fills the array in place (e.g. with `arr.set(...)`).
 * @example
 * class MyInit extends init.Initializer {
 *   override initWeight(name: string, arr: NDArray): void {
 *     arr.set(nd.random.uniform({ low: -10, high: 10, shape: arr.shape }));
 *   }
 * }
 * net.initialize(new MyInit());
 */
export abstract class Initializer {
  /**
   * Fills `arr` (the parameter called `name`) according to the name, as MXNet's `__call__` does:
   * biases and betas get zeros, gammas ones, everything else `initWeight`.
   */
  call(name: string, arr: NDArray): void {
    if (name.endsWith('bias') || name.endsWith('beta')) this.initBias(name, arr);
    else if (name.endsWith('gamma')) arr.set(1);
    else this.initWeight(name, arr);
  }

  /** Fills a weight in place. MXNet: `_init_weight(name, arr)`. */
  abstract initWeight(name: string, arr: NDArray): void;

  /** Fills a bias in place (zeros by default). MXNet: `_init_bias`. */
  initBias(_name: string, arr: NDArray): void {
    arr.set(0);
  }

  /** The initializer as MXNet dumps it, e.g. `normal(sigma=0.01)`. */
  toString(): string {
    return this.constructor.name.toLowerCase();
  }
}

/** An initializer, or the name of one without options ('zeros', 'ones', 'uniform', 'normal', 'xavier'). */
export type InitializerLike = Initializer | 'zeros' | 'ones' | 'uniform' | 'normal' | 'xavier';

/**
 * Draws U(-scale, scale), default scale 0.07 (the default weight initializer).
 * MXNet: `mx.init.Uniform(scale=0.07)`.
 * @example net.initialize(new init.Uniform({ scale: 0.1 }))
 */
export class Uniform extends Initializer {
  /** Values are drawn from U(-scale, scale). */
  readonly scale: number;
  constructor(options: { scale?: number } = {}) {
    super();
    this.scale = options.scale ?? 0.07;
  }
  override initWeight(_name: string, arr: NDArray): void {
    arr.set(nd.random.uniform({ low: -this.scale, high: this.scale, shape: arr.shape, dtype: floatOf(arr) }));
  }
  override toString(): string {
    return `uniform(scale=${this.scale})`;
  }
}

/**
 * Draws N(0, sigma²), default sigma 0.01. MXNet: `mx.init.Normal(sigma=0.01)`.
 * @example net.initialize(new init.Normal({ sigma: 0.01 }))
 */
export class Normal extends Initializer {
  /** The standard deviation of N(0, sigma²). */
  readonly sigma: number;
  constructor(options: { sigma?: number } = {}) {
    super();
    this.sigma = options.sigma ?? 0.01;
  }
  override initWeight(_name: string, arr: NDArray): void {
    arr.set(nd.random.normal({ loc: 0, scale: this.sigma, shape: arr.shape, dtype: floatOf(arr) }));
  }
  override toString(): string {
    return `normal(sigma=${this.sigma})`;
  }
}

/**
 * Fills with one value. MXNet: `mx.init.Constant(value)`.
 * @example net.initialize(new init.Constant(1))
 */
export class Constant extends Initializer {
  /** The value every element is set to. */
  readonly value: number;
  constructor(value: number | { value: number }) {
    super();
    this.value = typeof value === 'number' ? value : value.value;
  }
  override initWeight(_name: string, arr: NDArray): void {
    arr.set(this.value);
  }
  override initBias(name: string, arr: NDArray): void {
    this.initWeight(name, arr);
  }
  override toString(): string {
    return `constant(value=${this.value})`;
  }
}

/** Fills with zeros. MXNet: `mx.init.Zero()`. @example new nn.Dense(10, { weightInitializer: new init.Zero() }) */
export class Zero extends Constant {
  constructor() {
    super(0);
  }
  override toString(): string {
    return 'zeros';
  }
}

/** Fills with ones. MXNet: `mx.init.One()`. @example new nn.Dense(10, { biasInitializer: new init.One() }) */
export class One extends Constant {
  constructor() {
    super(1);
  }
  override toString(): string {
    return 'ones';
  }
}

/** Options of Xavier, as MXNet's `rnd_type`, `factor_type`, `magnitude`. */
export interface XavierOptions {
  /** 'uniform' (default): U(-s, s); 'gaussian': N(0, s²). */
  rndType?: 'uniform' | 'gaussian';
  /** Which fan the scale divides by: 'avg' (default), 'in' or 'out'. */
  factorType?: 'avg' | 'in' | 'out';
  /** Default 3. */
  magnitude?: number;
}

/**
 * Xavier/Glorot: s = sqrt(magnitude / factor) with fanIn = shape[1]·hw, fanOut = shape[0]·hw
 * (hw = product of the axes after the second), factor = (fanIn+fanOut)/2, fanIn or fanOut.
 * MXNet: `mx.init.Xavier(rnd_type='uniform', factor_type='avg', magnitude=3)`.
 * @example net.initialize(new init.Xavier())
 */
export class Xavier extends Initializer {
  /** Draw from U(-s, s) ('uniform') or N(0, s²) ('gaussian'). MXNet: `rnd_type`. */
  readonly rndType: 'uniform' | 'gaussian';
  /** The factor: the average of fan-in and fan-out, the fan-in, or the fan-out. MXNet: `factor_type`. */
  readonly factorType: 'avg' | 'in' | 'out';
  /** The scale's numerator: s = sqrt(magnitude / factor). MXNet: `magnitude`. */
  readonly magnitude: number;
  constructor(options: XavierOptions = {}) {
    super();
    this.rndType = options.rndType ?? 'uniform';
    this.factorType = options.factorType ?? 'avg';
    this.magnitude = options.magnitude ?? 3;
    if (this.rndType !== 'uniform' && this.rndType !== 'gaussian') {
      throw new RangeError(`init.Xavier: rndType must be 'uniform' or 'gaussian', got ${this.rndType}`);
    }
    if (!['avg', 'in', 'out'].includes(this.factorType)) {
      throw new RangeError(`init.Xavier: factorType must be 'avg', 'in' or 'out', got ${this.factorType}`);
    }
  }
  override initWeight(name: string, arr: NDArray): void {
    if (arr.ndim < 2) {
      throw new RangeError(
        `init.Xavier: cannot initialize '${name}' of shape ${formatShape(arr.shape)}: it needs at least 2 axes`,
      );
    }
    let hw = 1;
    for (let i = 2; i < arr.ndim; i++) hw *= arr.shape[i];
    const fanIn = arr.shape[1] * hw;
    const fanOut = arr.shape[0] * hw;
    const factor =
      this.factorType === 'avg' ? (fanIn + fanOut) / 2 : this.factorType === 'in' ? fanIn : fanOut;
    const scale = Math.sqrt(this.magnitude / factor);
    const dtype = floatOf(arr);
    arr.set(
      this.rndType === 'uniform'
        ? nd.random.uniform({ low: -scale, high: scale, shape: arr.shape, dtype })
        : nd.random.normal({ loc: 0, scale, shape: arr.shape, dtype }),
    );
  }
  override toString(): string {
    return `xavier(rnd_type=${this.rndType}, factor_type=${this.factorType}, magnitude=${this.magnitude})`;
  }
}

function floatOf(arr: NDArray): 'float32' | 'float64' {
  return arr.dtype === 'float64' ? 'float64' : 'float32';
}

/**
 * Turns an initializer or its name into an Initializer. MXNet: `mx.init.create('zeros')`.
 * @example init.create('zeros')
 */
export function create(spec: InitializerLike): Initializer {
  if (spec instanceof Initializer) return spec;
  switch (spec) {
    case 'zeros':
      return new Zero();
    case 'ones':
      return new One();
    case 'uniform':
      return new Uniform();
    case 'normal':
      return new Normal();
    case 'xavier':
      return new Xavier();
    default:
      throw new RangeError(`init.create: unknown initializer ${JSON.stringify(spec)}`);
  }
}

/** @internal alias used by parameter.ts. */
export const createInitializer = create;
