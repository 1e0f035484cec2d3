/**
 * `BatchNorm`, Gluon's batch normalization layer, computed by `nd.batchNorm`. Its four
 * parameters are `gamma` and `beta` (learned) and `running_mean` and `running_var` (no gradient,
 * saved in parameter files). While training (inside `autograd.record()`) it normalizes with the
 * batch's mean and biased variance over every axis but `axis`, and updates the running statistics
 * in place as `running = momentum * running + (1 - momentum) * batch`; while predicting it uses
 * the running statistics. The channel count is inferred on the first forward unless given.
 */
import { type DType, type NDArray, nd } from '@minimx/ndarray';
import { Block, type BlockOptions } from '../block.js';
import type { InitializerLike } from '../init.js';
import type { Parameter } from '../parameter.js';
import { formatShape } from '../shape-format.js';
import { pyBool, pyFloat, rethrowAs, toBool } from './spatial.js';

/** Options of BatchNorm (MXNet's keyword arguments, camelCased). */
export interface BatchNormOptions extends BlockOptions {
  /** The channel axis, whose entries get their own statistics (default 1; negative counts from the end). */
  axis?: number;
  /** Weight of the old running statistics in each update (default 0.9). */
  momentum?: number;
  /** Added to the variance before the square root (default 1e-5). */
  epsilon?: number;
  /** Add the learned offset `beta` (default true); false keeps beta at its initial 0, without gradient. */
  center?: boolean;
  /** Multiply by the learned `gamma` (default true); false fixes gamma at 1 (MXNet's `fix_gamma`). */
  scale?: boolean;
  /** Use the running statistics while training too (default false). */
  useGlobalStats?: boolean;
  /** Default 'zeros'. */
  betaInitializer?: InitializerLike;
  /** Default 'ones'. */
  gammaInitializer?: InitializerLike;
  /** Default 'zeros'. */
  runningMeanInitializer?: InitializerLike;
  /** Default 'ones'. */
  runningVarianceInitializer?: InitializerLike;
  /** Number of channels; 0 (default) infers it on the first forward. */
  inChannels?: number;
  /** Parameter dtype (default 'float32'; not in Gluon, which casts instead). */
  dtype?: DType;
}

/**
 * Batch normalization. MXNet: `nn.BatchNorm(axis=1, momentum=0.9, epsilon=1e-5, center=True,
 * scale=True, use_global_stats=False, beta_initializer='zeros', gamma_initializer='ones',
 * running_mean_initializer='zeros', running_variance_initializer='ones', in_channels=0)`.
 * @example
 * const bn = new nn.BatchNorm();
 * bn.initialize();
 * const x = nd.random.normal({ shape: [8, 6, 4, 4] });
 * autograd.record(() => bn(x));  // batch statistics; updates the running ones
 * bn.runningMean.data().shape;   // [6]
 * bn(x);                         // running statistics
 */
export class BatchNorm extends Block {
  /** The channel axis (default 1, NCHW's C). MXNet: `axis`. */
  readonly axis: number;
  /** The running statistics' decay: running = momentum·running + (1-momentum)·batch (default 0.9). MXNet: `momentum`. */
  readonly momentum: number;
  /** Added to the variance before its square root (default 1e-5). MXNet: `epsilon`. */
  readonly epsilon: number;
  /** Whether the layer learns the shift beta (default true). MXNet: `center`. */
  readonly center: boolean;
  /** Whether the layer learns the scale gamma (default true). MXNet: `scale`. */
  readonly scale: boolean;
  /** Normalize with the running statistics in training too (default false). MXNet: `use_global_stats`. */
  readonly useGlobalStats: boolean;
  /** (C,), the learned scale (fixed at 1 when `scale` is false). */
  readonly gamma: Parameter;
  /** (C,), the learned offset (fixed when `center` is false). */
  readonly beta: Parameter;
  /** (C,), the running mean; Gluon's `running_mean` (parameter `batchnorm0_running_mean`). */
  readonly runningMean: Parameter;
  /** (C,), the running variance; Gluon's `running_var` (parameter `batchnorm0_running_var`). */
  readonly runningVar: Parameter;

  constructor(options: BatchNormOptions = {}) {
    super(options);
    const where = this.name;
    const axis = options.axis ?? 1;
    if (!Number.isInteger(axis)) throw new RangeError(`${where}: axis must be an integer, got ${axis}`);
    const momentum = options.momentum ?? 0.9;
    if (typeof momentum !== 'number' || !(momentum >= 0 && momentum <= 1)) {
      throw new RangeError(`${where}: momentum must be in [0, 1], got ${momentum}`);
    }
    const epsilon = options.epsilon ?? 1e-5;
    if (typeof epsilon !== 'number' || !(epsilon >= 0) || !Number.isFinite(epsilon)) {
      throw new RangeError(`${where}: epsilon must be a non-negative number, got ${epsilon}`);
    }
    const inChannels = options.inChannels ?? 0;
    if (!Number.isInteger(inChannels) || inChannels < 0) {
      throw new RangeError(
        `${where}: inChannels must be a non-negative integer (0 = infer), got ${inChannels}`,
      );
    }
    this.axis = axis;
    this.momentum = momentum;
    this.epsilon = epsilon;
    this.center = toBool(where, 'center', options.center, true);
    this.scale = toBool(where, 'scale', options.scale, true);
    this.useGlobalStats = toBool(where, 'useGlobalStats', options.useGlobalStats, false);
    const shape = [inChannels];
    const dtype = options.dtype ?? 'float32';
    this.gamma = this.params.get('gamma', {
      shape,
      init: options.gammaInitializer ?? 'ones',
      gradReq: this.scale ? 'write' : 'null',
      dtype,
    });
    this.beta = this.params.get('beta', {
      shape,
      init: options.betaInitializer ?? 'zeros',
      gradReq: this.center ? 'write' : 'null',
      dtype,
    });
    this.runningMean = this.params.get('running_mean', {
      shape,
      init: options.runningMeanInitializer ?? 'zeros',
      gradReq: 'null',
      dtype,
    });
    this.runningVar = this.params.get('running_var', {
      shape,
      init: options.runningVarianceInitializer ?? 'ones',
      gradReq: 'null',
      dtype,
    });
  }

  protected override alias(): string {
    return 'batchnorm';
  }

  /** Channels (0 until inferred). */
  get inChannels(): number {
    return this.gamma.shape[0];
  }

  override forward(x: NDArray): NDArray {
    const shape = x.shape;
    const axis = this.axis < 0 ? this.axis + shape.length : this.axis;
    if (axis < 0 || axis >= shape.length) {
      throw new RangeError(
        `${this.name}: axis=${this.axis} is out of range for a ${shape.length}-D input ${formatShape(shape)}`,
      );
    }
    const c = shape[axis];
    const declared = this.gamma.shape[0];
    if (declared === 0) {
      for (const p of [this.gamma, this.beta, this.runningMean, this.runningVar]) p.inferShape([c]);
    } else if (declared !== c) {
      throw new RangeError(
        `${this.name}: expected input with ${declared} channels on axis ${this.axis} (gamma ${formatShape(this.gamma.shape)}), got ${formatShape(shape)}`,
      );
    }
    const gamma = this.gamma.data();
    const beta = this.beta.data();
    const runningMean = this.runningMean.data();
    const runningVar = this.runningVar.data();
    try {
      return nd.batchNorm(x, gamma, beta, runningMean, runningVar, {
        eps: this.epsilon,
        momentum: this.momentum,
        fixGamma: !this.scale,
        useGlobalStats: this.useGlobalStats,
        axis: this.axis,
      });
    } catch (error) {
      rethrowAs(this.name, error);
    }
  }

  /** Gluon's form: `BatchNorm(axis=1, eps=1e-05, momentum=0.9, fix_gamma=False, use_global_stats=False, in_channels=6)`. */
  override toString(): string {
    return (
      `BatchNorm(axis=${this.axis}, eps=${pyFloat(this.epsilon)}, momentum=${pyFloat(this.momentum)}, ` +
      `fix_gamma=${pyBool(!this.scale)}, use_global_stats=${pyBool(this.useGlobalStats)}, ` +
      `in_channels=${this.gamma.shape[0] || 'None'})`
    );
  }
}
