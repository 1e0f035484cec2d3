/**
 * The `Optimizer` base class, MXNet's `mx.optimizer.Optimizer`: hyper-parameters shared by every
 * optimizer (learning rate, weight decay, gradient rescaling and clipping), per-parameter update
 * counts, and the contract a new optimizer implements: `createState` and `step`, which updates the
 * weight's typed array in place from the raw gradient.
 */
import type { NDArray } from '@minimx/ndarray';

/** A float typed array (parameters and gradients are float32 or float64). */
export type FloatArray = Float32Array | Float64Array;

/** Hyper-parameters every optimizer accepts (MXNet's names, camelCased). */
export interface OptimizerOptions {
  /** Default 0.01 (Adam: 0.001). */
  learningRate?: number;
  /** Weight decay (L2 penalty coefficient), default 0. */
  wd?: number;
  /** Multiplies the gradient first; the Trainer sets it to 1/batchSize on every step. */
  rescaleGrad?: number;
  /** Clips the rescaled gradient to [-c, c] when set. */
  clipGradient?: number | null;
}

/** What `step` receives for one parameter: the effective lr/wd and this parameter's update count. */
export interface UpdateContext {
  /** learningRate × the parameter's lrMult. */
  readonly lr: number;
  /** wd × the parameter's wdMult. */
  readonly wd: number;
  /** The factor to multiply the raw gradient by (1/batchSize from the Trainer). */
  readonly rescaleGrad: number;
  /** The bound to clip the rescaled gradient to, or null for no clipping. */
  readonly clipGradient: number | null;
  /** 1 on the parameter's first update, 2 on the second, ... */
  readonly t: number;
}

/**
 * Base class of optimizers. To add one: subclass, implement `createState` (e.g. a zero buffer)
 * and `step` (a tight loop over the typed arrays, in place), and register it with
 * `optimizer.register('name', (options) => new MyOptimizer(options))`.
 * @example
 * class SignSGD extends optimizer.Optimizer {
 *   createState() { return null; }
 *   step(w: FloatArray, g: FloatArray, _state: unknown, c: UpdateContext) {
 *     for (let i = 0; i < w.length; i++) w[i] -= c.lr * Math.sign(g[i]);
 *   }
 * }
 */
export abstract class Optimizer {
  /** The learning rate (the Trainer's `setLearningRate` changes it). MXNet: `learning_rate`. */
  learningRate: number;
  /** Weight decay, the L2 penalty coefficient. MXNet: `wd`. */
  wd: number;
  /** The factor gradients are multiplied by first (the Trainer sets 1/batchSize). MXNet: `rescale_grad`. */
  rescaleGrad: number;
  /** The bound the rescaled gradient is clipped to, or null for none. MXNet: `clip_gradient`. */
  clipGradient: number | null;
  private readonly counts = new Map<number, number>();

  constructor(options: OptimizerOptions = {}, defaultLearningRate = 0.01) {
    const where = this.constructor.name;
    if (options === null || typeof options !== 'object') {
      throw new TypeError(`${where}: options must be an object, got ${describeValue(options)}`);
    }
    this.learningRate = checkNumber(where, 'learningRate', options.learningRate, defaultLearningRate);
    this.wd = checkNumber(where, 'wd', options.wd, 0);
    this.rescaleGrad = checkNumber(where, 'rescaleGrad', options.rescaleGrad, 1);
    // MXNet skips clipping for a negative clip_gradient; here that is refused, since a negative
    // bound would otherwise flip every gradient's sign. null (the default) means no clipping.
    this.clipGradient =
      options.clipGradient === null || options.clipGradient === undefined
        ? null
        : checkNumber(where, 'clipGradient', options.clipGradient, 0, {
            min: 0,
            minOpen: true,
            hint: ' (or null for no clipping)',
          });
  }

  /** Per-parameter state (momentum, moments, ...), created once per parameter index. */
  abstract createState(weight: NDArray): unknown;

  /** Updates `weight` in place from `grad` (raw: apply `ctx.rescaleGrad` and `ctx.clipGradient`). */
  abstract step(weight: FloatArray, grad: FloatArray, state: unknown, ctx: UpdateContext): void;

  /**
   * Updates one parameter: counts the update and calls `step` with the effective hyper-parameters.
   * MXNet: `optimizer.update(index, weight, grad, state)`.
   */
  update(index: number, weight: NDArray, grad: NDArray, state: unknown, lrMult = 1, wdMult = 1): void {
    const t = (this.counts.get(index) ?? 0) + 1;
    this.counts.set(index, t);
    if (weight.dtype !== 'float32' && weight.dtype !== 'float64') {
      throw new TypeError(`${this.constructor.name}: cannot update a ${weight.dtype} parameter`);
    }
    this.step(weight.data as FloatArray, grad.data as FloatArray, state, {
      lr: this.learningRate * lrMult,
      wd: this.wd * wdMult,
      rescaleGrad: this.rescaleGrad,
      clipGradient: this.clipGradient,
      t,
    });
    // A tape recorded before this update must not run backward with the new weights.
    weight._noteWrite(`${this.constructor.name}.update`);
  }
}

/**
 * Throws when `options` holds a key `allowed` does not list, so a typo (or Python's
 * `learning_rate`) is not silently ignored.
 */
export function checkOptionKeys(where: string, options: object, allowed: readonly string[]): void {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`${where}: options must be an object, got ${describeValue(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new RangeError(`${where}: unknown option '${key}' (expected one of ${allowed.join(', ')})`);
    }
  }
}

/** A value for an error message: strings quoted, so `'0.9'` is told apart from 0.9. */
function describeValue(v: unknown): string {
  return typeof v === 'string'
    ? JSON.stringify(v)
    : typeof v === 'object' && v !== null
      ? 'an object'
      : String(v);
}

/** Bounds for `checkNumber`: `min`/`max` inclusive unless `minOpen`/`maxOpen`. */
export interface NumberBounds {
  min?: number;
  max?: number;
  minOpen?: boolean;
  maxOpen?: boolean;
  /** Appended to the error message. */
  hint?: string;
}

/**
 * An optimizer option's value: `fallback` when undefined, else a finite number within `bounds`
 * (a string such as '0.9', NaN or an out-of-range value throws, naming the optimizer and option).
 */
export function checkNumber(
  where: string,
  key: string,
  value: unknown,
  fallback: number,
  bounds: NumberBounds = {},
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TypeError(`${where}: ${key} must be a finite number, got ${describeValue(value)}`);
  }
  const { min, max, minOpen = false, maxOpen = false } = bounds;
  const low = min !== undefined && (minOpen ? value <= min : value < min);
  const high = max !== undefined && (maxOpen ? value >= max : value > max);
  if (low || high) {
    const range = `${min === undefined ? '(-inf' : `${minOpen ? '(' : '['}${min}`}, ${max === undefined ? 'inf)' : `${max}${maxOpen ? ')' : ']'}`}`;
    throw new RangeError(`${where}: ${key} must be in ${range}, got ${value}${bounds.hint ?? ''}`);
  }
  return value;
}

/** The option names every optimizer accepts. */
export const COMMON_OPTION_KEYS = ['learningRate', 'wd', 'rescaleGrad', 'clipGradient'] as const;

/** `rescale·g`, clipped to [-clip, clip] when clipping is on. */
export function rescaled(g: number, ctx: UpdateContext): number {
  const v = g * ctx.rescaleGrad;
  if (ctx.clipGradient === null) return v;
  return v > ctx.clipGradient ? ctx.clipGradient : Math.max(v, -ctx.clipGradient);
}
