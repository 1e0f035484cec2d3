/**
 * The 2-D pooling layers of Gluon over NCHW input: `MaxPool2D`, `AvgPool2D`, `GlobalMaxPool2D`
 * and `GlobalAvgPool2D`, all computed by `nd.pooling` and all named `pool0`, `pool1`, ... as in
 * Gluon. `strides` defaults to the pool size; `ceilMode` is MXNet's 'full' pooling convention.
 */
import { type NDArray, nd } from '@minimx/ndarray';
import { Block, type BlockOptions } from '../block.js';
import { formatShape } from '../shape-format.js';
import { check4D, checkLayout, pyBool, pyTuple, rethrowAs, type Size2, toBool, toPair } from './spatial.js';

/** Options of MaxPool2D (MXNet's keyword arguments, camelCased). */
export interface MaxPool2DOptions extends BlockOptions {
  /** The window size (default 2). */
  poolSize?: Size2;
  /** Step of the window (default: the pool size; null means the same). */
  strides?: Size2 | null;
  /** Padding on both sides of each spatial axis (default 0). */
  padding?: Size2;
  /** Round the output size up instead of down (default false). */
  ceilMode?: boolean;
  /** Only 'NCHW' (the default) is implemented. */
  layout?: 'NCHW';
}

/** Options of AvgPool2D: MaxPool2D's plus `countIncludePad`. */
export interface AvgPool2DOptions extends MaxPool2DOptions {
  /** Count padded zeros in each window's average (default true). */
  countIncludePad?: boolean;
}

/** Options of the global pooling layers. */
export interface GlobalPool2DOptions extends BlockOptions {
  /** Only 'NCHW' (the default) is implemented. */
  layout?: 'NCHW';
}

/** Which reduction a pooling layer applies over each window (MXNet's `pool_type`). */
export type PoolType = 'max' | 'avg';

/** Gluon builds the global layers with pool size 1, strides = pool size, padding 0, ceil mode on. */
const globalDefaults = { ceilMode: true, poolSize: 1 } as const;

/** The shared implementation; the four public classes only fix the pooling type and options. */
abstract class Pool2D extends Block {
  /** The window's (height, width). MXNet: `pool_size`. */
  readonly poolSize: readonly [number, number];
  /** The (vertical, horizontal) stride (default: the pool size). MXNet: `strides`. */
  readonly strides: readonly [number, number];
  /** Padding on each side, (rows, columns). MXNet: `padding`. */
  readonly padding: readonly [number, number];
  /** Round the output size up instead of down. MXNet: `ceil_mode`. */
  readonly ceilMode: boolean;
  /** Whether the window is the whole image (the Global* layers). */
  readonly globalPool: boolean;
  /** 'max' or 'avg'. */
  readonly poolType: PoolType;
  /** The data layout, batch, channel, height, width (the only one). MXNet: `layout`. */
  readonly layout: 'NCHW';
  /** Average pooling only: whether padded zeros count in the average (null for max pooling). */
  readonly countIncludePad: boolean | null;

  protected constructor(
    poolType: PoolType,
    globalPool: boolean,
    options: AvgPool2DOptions,
    defaults: { ceilMode: boolean; poolSize: Size2 },
  ) {
    super(options);
    const where = this.name;
    this.poolType = poolType;
    this.globalPool = globalPool;
    this.poolSize = toPair(where, 'poolSize', options.poolSize ?? defaults.poolSize, 1);
    this.strides = toPair(where, 'strides', options.strides ?? this.poolSize, 1);
    this.padding = toPair(where, 'padding', options.padding ?? 0, 0);
    this.ceilMode = toBool(where, 'ceilMode', options.ceilMode, defaults.ceilMode);
    this.layout = checkLayout(where, options.layout);
    this.countIncludePad =
      poolType === 'avg' ? toBool(where, 'countIncludePad', options.countIncludePad, true) : null;
  }

  protected override alias(): string {
    return 'pool';
  }

  override forward(x: NDArray): NDArray {
    const shape = x.shape;
    check4D(this.name, shape, formatShape(shape));
    if (!this.globalPool) {
      const padded = [0, 1].map((i) => shape[2 + i] + 2 * this.padding[i]);
      if (this.poolSize[0] > padded[0] || this.poolSize[1] > padded[1]) {
        throw new RangeError(
          `${this.name}: pool_size=${pyTuple(this.poolSize)} is larger than the padded input ${padded.join('x')} ` +
            `(input ${formatShape(shape)}, padding=${pyTuple(this.padding)})`,
        );
      }
    }
    try {
      return nd.pooling(x, {
        kernel: this.poolSize,
        poolType: this.poolType,
        stride: this.strides,
        pad: this.padding,
        globalPool: this.globalPool,
        poolingConvention: this.ceilMode ? 'full' : 'valid',
        ...(this.countIncludePad === null ? {} : { countIncludePad: this.countIncludePad }),
      });
    } catch (error) {
      rethrowAs(this.name, error);
    }
  }

  /** Gluon's form: `MaxPool2D(size=(2, 2), stride=(2, 2), padding=(0, 0), ceil_mode=False, global_pool=False, pool_type=max, layout=NCHW)`. */
  override toString(): string {
    return (
      `${this.className()}(size=${pyTuple(this.poolSize)}, stride=${pyTuple(this.strides)}, ` +
      `padding=${pyTuple(this.padding)}, ceil_mode=${pyBool(this.ceilMode)}, ` +
      `global_pool=${pyBool(this.globalPool)}, pool_type=${this.poolType}, layout=${this.layout})`
    );
  }

  /** The Gluon class name printed by toString (kept literal so minified builds print it too). */
  protected abstract className(): string;
}

/**
 * Max pooling over 2-D windows. MXNet: `nn.MaxPool2D(pool_size=(2, 2), strides=None, padding=0,
 * layout='NCHW', ceil_mode=False)`.
 * @example
 * const pool = new nn.MaxPool2D({ poolSize: 2, strides: 2 });
 * pool(nd.ones([1, 6, 24, 24])).shape; // [1, 6, 12, 12]
 */
export class MaxPool2D extends Pool2D {
  constructor(options: MaxPool2DOptions = {}) {
    super('max', false, options, { ceilMode: false, poolSize: 2 });
  }
  protected className(): string {
    return 'MaxPool2D';
  }
}

/**
 * Average pooling over 2-D windows. MXNet: `nn.AvgPool2D(pool_size=(2, 2), strides=None,
 * padding=0, ceil_mode=False, layout='NCHW', count_include_pad=True)`.
 * @example
 * const pool = new nn.AvgPool2D({ poolSize: 3, strides: 1, padding: 1 });
 * pool(nd.ones([1, 2, 5, 5])).shape; // [1, 2, 5, 5]
 */
export class AvgPool2D extends Pool2D {
  constructor(options: AvgPool2DOptions = {}) {
    super('avg', false, options, { ceilMode: false, poolSize: 2 });
  }
  protected className(): string {
    return 'AvgPool2D';
  }
}

/**
 * The maximum over each channel's whole plane: (N, C, H, W) -> (N, C, 1, 1).
 * MXNet: `nn.GlobalMaxPool2D(layout='NCHW')`.
 * @example new nn.GlobalMaxPool2D()(nd.ones([2, 3, 7, 7])).shape; // [2, 3, 1, 1]
 */
export class GlobalMaxPool2D extends Pool2D {
  constructor(options: GlobalPool2DOptions = {}) {
    super(
      'max',
      true,
      { layout: options.layout, prefix: options.prefix, params: options.params },
      globalDefaults,
    );
  }
  protected className(): string {
    return 'GlobalMaxPool2D';
  }
}

/**
 * The mean over each channel's whole plane: (N, C, H, W) -> (N, C, 1, 1).
 * MXNet: `nn.GlobalAvgPool2D(layout='NCHW')`.
 * @example new nn.GlobalAvgPool2D()(nd.ones([2, 3, 7, 7])).shape; // [2, 3, 1, 1]
 */
export class GlobalAvgPool2D extends Pool2D {
  constructor(options: GlobalPool2DOptions = {}) {
    super(
      'avg',
      true,
      { layout: options.layout, prefix: options.prefix, params: options.params },
      globalDefaults,
    );
  }
  protected className(): string {
    return 'GlobalAvgPool2D';
  }
}
