/**
 * `Conv2D`, Gluon's 2-D convolution layer over NCHW input: `y = act(conv(x, W) + b)` with the
 * weight stored as (channels, inChannels/groups, kh, kw), computed by `nd.convolution`. With
 * `inChannels` 0 (the default) the input channel count is inferred on the first forward, which
 * also runs the deferred initializer, as Dense does. Bad options and inputs that do not fit are
 * errors naming the layer (`conv0: ...`), the shapes and the option.
 */
import { type DType, type NDArray, nd } from '@minimx/ndarray';
import { Block, type BlockOptions } from '../block.js';
import type { InitializerLike } from '../init.js';
import type { Parameter } from '../parameter.js';
import { formatShape } from '../shape-format.js';
import { type ActivationType, applyActivation, checkActivation } from './activation.js';
import { check4D, checkLayout, pyTuple, rethrowAs, type Size2, toPair } from './spatial.js';

/** Options of Conv2D (MXNet's keyword arguments, camelCased). */
export interface Conv2DOptions extends BlockOptions {
  /** The window size (required): a number or [kh, kw]. */
  kernelSize: Size2;
  /** Step of the window (default 1). */
  strides?: Size2;
  /** Zeros added on both sides of each spatial axis (default 0). */
  padding?: Size2;
  /** Spacing between kernel taps (default 1). */
  dilation?: Size2;
  /** Channel groups: input and output channels split into `groups` independent convolutions (default 1). */
  groups?: number;
  /** Only 'NCHW' (the default) is implemented. */
  layout?: 'NCHW';
  /** Activation applied to the output (default none). */
  activation?: ActivationType | null;
  /** Whether to add a bias (default true). */
  useBias?: boolean;
  /** The weight's initializer (default: the one passed to `initialize`). */
  weightInitializer?: InitializerLike | null;
  /** The bias's initializer (default 'zeros'). */
  biasInitializer?: InitializerLike;
  /** Input channels; 0 (default) infers them on the first forward. */
  inChannels?: number;
  /** Parameter dtype (default 'float32'). */
  dtype?: DType;
}

/**
 * A 2-D convolution layer. MXNet: `nn.Conv2D(channels, kernel_size, strides=(1, 1), padding=(0, 0),
 * dilation=(1, 1), groups=1, layout='NCHW', activation=None, use_bias=True, weight_initializer=None,
 * bias_initializer='zeros', in_channels=0)`.
 * @example
 * const conv = new nn.Conv2D(6, { kernelSize: 5, activation: 'sigmoid' });
 * conv.initialize();
 * conv(nd.ones([1, 1, 28, 28])).shape;          // [1, 6, 24, 24]
 * conv.weight.data().shape;                      // [6, 1, 5, 5]
 */
export class Conv2D extends Block {
  /** Output channels. */
  readonly channels: number;
  /** The filter's (height, width). MXNet: `kernel_size`. */
  readonly kernelSize: readonly [number, number];
  /** The (vertical, horizontal) stride. MXNet: `strides`. */
  readonly strides: readonly [number, number];
  /** Zero padding on each side, (rows, columns). MXNet: `padding`. */
  readonly padding: readonly [number, number];
  /** The spacing of the filter's taps, (vertical, horizontal). MXNet: `dilation`. */
  readonly dilation: readonly [number, number];
  /** Channel groups convolved separately. MXNet: `groups`. */
  readonly groups: number;
  /** The data layout, batch, channel, height, width (the only one). MXNet: `layout`. */
  readonly layout: 'NCHW';
  /** The activation applied to the output, or null for none. MXNet: `activation`. */
  readonly activation: ActivationType | null;
  /** (channels, inChannels/groups, kh, kw). */
  readonly weight: Parameter;
  /** (channels,), or null without bias. */
  readonly bias: Parameter | null;

  constructor(channels: number, options: Conv2DOptions) {
    super(options);
    const where = this.name;
    if (!Number.isInteger(channels) || channels <= 0) {
      throw new RangeError(`${where}: channels must be a positive integer, got ${channels}`);
    }
    if (options?.kernelSize === undefined) {
      throw new RangeError(`${where}: kernelSize is required (a number or [kh, kw])`);
    }
    this.channels = channels;
    this.kernelSize = toPair(where, 'kernelSize', options.kernelSize, 1);
    this.strides = toPair(where, 'strides', options.strides ?? 1, 1);
    this.padding = toPair(where, 'padding', options.padding ?? 0, 0);
    this.dilation = toPair(where, 'dilation', options.dilation ?? 1, 1);
    this.layout = checkLayout(where, options.layout);
    const groups = options.groups ?? 1;
    if (!Number.isInteger(groups) || groups <= 0) {
      throw new RangeError(`${where}: groups must be a positive integer, got ${groups}`);
    }
    if (channels % groups !== 0) {
      throw new RangeError(`${where}: groups=${groups} does not divide channels=${channels}`);
    }
    const inChannels = options.inChannels ?? 0;
    if (!Number.isInteger(inChannels) || inChannels < 0) {
      throw new RangeError(
        `${where}: inChannels must be a non-negative integer (0 = infer), got ${inChannels}`,
      );
    }
    if (inChannels % groups !== 0) {
      throw new RangeError(`${where}: groups=${groups} does not divide inChannels=${inChannels}`);
    }
    this.groups = groups;
    this.activation = options.activation ? checkActivation(where, options.activation) : null;
    const dtype = options.dtype ?? 'float32';
    const [kh, kw] = this.kernelSize;
    this.weight = this.params.get('weight', {
      shape: [channels, inChannels / groups, kh, kw],
      init: options.weightInitializer ?? null,
      dtype,
    });
    this.bias =
      options.useBias === false
        ? null
        : this.params.get('bias', { shape: [channels], init: options.biasInitializer ?? 'zeros', dtype });
  }

  protected override alias(): string {
    return 'conv';
  }

  /** Input channels (0 until inferred). */
  get inChannels(): number {
    return this.weight.shape[1] * this.groups;
  }

  override forward(x: NDArray): NDArray {
    const shape = x.shape;
    check4D(this.name, shape, formatShape(shape));
    const c = shape[1];
    if (c % this.groups !== 0) {
      throw new RangeError(
        `${this.name}: groups=${this.groups} does not divide the input's ${c} channels (input ${formatShape(shape)})`,
      );
    }
    const declared = this.weight.shape[1];
    if (declared !== 0 && declared * this.groups !== c) {
      throw new RangeError(
        `${this.name}: expected input with ${declared * this.groups} channels (weight ${formatShape(this.weight.shape)}), got ${formatShape(shape)}`,
      );
    }
    const spans = [0, 1].map((i) => this.dilation[i] * (this.kernelSize[i] - 1) + 1);
    const padded = [0, 1].map((i) => shape[2 + i] + 2 * this.padding[i]);
    if (spans[0] > padded[0] || spans[1] > padded[1]) {
      throw new RangeError(
        `${this.name}: kernel_size=${pyTuple(this.kernelSize)} with dilation=${pyTuple(this.dilation)} spans ` +
          `${spans.join('x')}, larger than the padded input ${padded.join('x')} ` +
          `(input ${formatShape(shape)}, padding=${pyTuple(this.padding)})`,
      );
    }
    if (declared === 0) this.weight.inferShape([this.channels, c / this.groups, ...this.kernelSize]);
    const weight = this.weight.data();
    const bias = this.bias ? this.bias.data() : null;
    // relu and sigmoid run inside the convolution's kernel call (the same values, one pass fewer).
    const act = this.activation === 'relu' || this.activation === 'sigmoid' ? this.activation : null;
    let out: NDArray;
    try {
      out = nd.convolution(x, weight, bias, {
        kernel: this.kernelSize,
        stride: this.strides,
        pad: this.padding,
        dilate: this.dilation,
        numFilter: this.channels,
        numGroup: this.groups,
        noBias: this.bias === null,
        actType: act,
      });
    } catch (error) {
      rethrowAs(this.name, error);
    }
    return this.activation && !act ? applyActivation(this.activation, out) : out;
  }

  /**
   * Gluon's form: `Conv2D(1 -> 6, kernel_size=(5, 5), stride=(1, 1), Activation(sigmoid))`, with
   * `None` for a not-yet-inferred input and padding, dilation, groups and `bias=False` shown
   * only when not the default.
   */
  override toString(): string {
    const inChannels = this.weight.shape[1] || 'None';
    let s = `Conv2D(${inChannels} -> ${this.channels}, kernel_size=${pyTuple(this.kernelSize)}, stride=${pyTuple(this.strides)}`;
    if (this.padding.some((p) => p !== 0)) s += `, padding=${pyTuple(this.padding)}`;
    if (this.dilation.some((d) => d !== 1)) s += `, dilation=${pyTuple(this.dilation)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (!this.bias) s += ', bias=False';
    if (this.activation) s += `, Activation(${this.activation})`;
    return `${s})`;
  }
}
