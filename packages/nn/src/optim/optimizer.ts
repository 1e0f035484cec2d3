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
  readonly rescaleGrad: number;
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
  learningRate: number;
  wd: number;
  rescaleGrad: number;
  clipGradient: number | null;
  private readonly counts = new Map<number, number>();

  constructor(options: OptimizerOptions = {}, defaultLearningRate = 0.01) {
    this.learningRate = options.learningRate ?? defaultLearningRate;
    this.wd = options.wd ?? 0;
    this.rescaleGrad = options.rescaleGrad ?? 1;
    this.clipGradient = options.clipGradient ?? null;
    for (const [key, value] of Object.entries({ learningRate: this.learningRate, wd: this.wd })) {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new TypeError(`${this.constructor.name}: ${key} must be a finite number, got ${value}`);
      }
    }
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
  }
}

/**
 * Throws when `options` holds a key `allowed` does not list, so a typo (or Python's
 * `learning_rate`) is not silently ignored.
 */
export function checkOptionKeys(where: string, options: object, allowed: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new RangeError(`${where}: unknown option '${key}' (expected one of ${allowed.join(', ')})`);
    }
  }
}

/** The option names every optimizer accepts. */
export const COMMON_OPTION_KEYS = ['learningRate', 'wd', 'rescaleGrad', 'clipGradient'] as const;

/** `rescale·g`, clipped to [-clip, clip] when clipping is on. */
export function rescaled(g: number, ctx: UpdateContext): number {
  const v = g * ctx.rescaleGrad;
  if (ctx.clipGradient === null) return v;
  return v > ctx.clipGradient ? ctx.clipGradient : Math.max(v, -ctx.clipGradient);
}
