/**
 * Image transforms, Gluon's `gluon.data.vision.transforms`: `ToTensor` ((H,W,C) uint8 -> (C,H,W)
 * float32 in [0,1]), `Normalize`, `Resize` and `Compose`. Each works on one image and, through
 * `forwardBatch`, on a whole batch (N first) in one pass over one typed array, which is what keeps
 * `DataLoader` fast. Use them with `dataset.transformFirst(t)` or call `t.forward(x)`.
 */
import { type NDArray, nd } from '@minimx/ndarray';
import { allocLike, type BatchTransform, type PixelTable } from './dataset.js';

/** A minimx transform: `forward` on one sample, `forwardBatch` on a batch (first axis = samples). */
export interface Transform extends BatchTransform {
  /** Transforms one sample. */
  forward(x: NDArray): NDArray;
}

const shapeStr = (s: readonly number[]) => `(${s.join(',')})`;

/** `UINT8_TO_UNIT[v] === Math.fround(v / 255)`: a table lookup instead of a division per pixel. */
const UINT8_TO_UNIT = Float32Array.from({ length: 256 }, (_, v) => v / 255);

/**
 * Converts an image (H,W,C) or a batch (N,H,W,C) with values in [0,255] to float32 (C,H,W) or
 * (N,C,H,W) with values in [0,1] (divided by 255).
 *
 * MXNet counterpart: `gluon.data.vision.transforms.ToTensor()`.
 *
 * @example
 * ```ts
 * const toTensor = new transforms.ToTensor();
 * toTensor.forward(image).shape; // (28,28,1) uint8 -> [1, 28, 28] float32
 * ```
 */
export class ToTensor implements Transform {
  /** Converts one (H, W, C) uint8 image to a (C, H, W) float32 array in [0, 1] (divided by 255). */
  forward(x: NDArray): NDArray {
    if (x.ndim !== 3) {
      throw new RangeError(`ToTensor: expected an image of shape (H,W,C), got ${shapeStr(x.shape)}`);
    }
    return this.convert(x, 1, x.shape[0], x.shape[1], x.shape[2]);
  }

  forwardBatch(x: NDArray): NDArray {
    if (x.ndim === 3) return this.forward(x);
    if (x.ndim !== 4) {
      throw new RangeError(
        `ToTensor: expected a batch of shape (N,H,W,C) or an image (H,W,C), got ${shapeStr(x.shape)}`,
      );
    }
    return this.convert(x, x.shape[0], x.shape[1], x.shape[2], x.shape[3]);
  }

  private convert(x: NDArray, n: number, h: number, w: number, c: number): NDArray {
    const src = x.data;
    const out = new Float32Array(src.length);
    if (c === 1 && src instanceof Uint8Array) {
      for (let i = 0; i < src.length; i++) out[i] = UINT8_TO_UNIT[src[i]];
    } else if (c === 1) {
      for (let i = 0; i < src.length; i++) out[i] = src[i] / 255;
    } else {
      const plane = h * w;
      for (let b = 0; b < n; b++) {
        const base = b * plane * c;
        for (let p = 0; p < plane; p++) {
          for (let ch = 0; ch < c; ch++) out[base + ch * plane + p] = src[base + p * c + ch] / 255;
        }
      }
    }
    return nd.fromTypedArray(out, x.ndim === 3 ? [c, h, w] : [n, c, h, w]);
  }

  /** @internal What `DataLoader`'s fused path makes of each pixel value (see `uint8PixelTable` below). */
  _uint8Table(itemShape: readonly number[]): PixelTable | undefined {
    return uint8PixelTable(this, itemShape);
  }
}

function perChannel(name: string, v: number | readonly number[], c: number): Float64Array {
  const arr =
    typeof v === 'number' ? new Array<number>(c).fill(v) : v.length === 1 ? new Array(c).fill(v[0]) : v;
  if (arr.length !== c) {
    throw new RangeError(`Normalize: ${name} has ${arr.length} values but the input has ${c} channels`);
  }
  return Float64Array.from(arr);
}

/**
 * Normalizes a (C,H,W) tensor or a (N,C,H,W) batch channel by channel:
 * `out[c] = (x[c] - mean[c]) / std[c]`; `mean` and `std` are one number or one per channel.
 *
 * MXNet counterpart: `gluon.data.vision.transforms.Normalize(mean=0.0, std=1.0)`.
 *
 * @example
 * ```ts
 * const t = new transforms.Compose([new transforms.ToTensor(), new transforms.Normalize(0.2860, 0.3530)]);
 * ```
 */
export class Normalize implements Transform {
  constructor(
    /** The mean subtracted, one value or one per channel. MXNet: `mean`. */
    readonly mean: number | readonly number[] = 0,
    /** The standard deviation divided by, one value or one per channel (non-zero). MXNet: `std`. */
    readonly std: number | readonly number[] = 1,
  ) {
    const stds = typeof std === 'number' ? [std] : std;
    if (stds.some((s) => !(s !== 0 && Number.isFinite(s)))) {
      throw new RangeError(`Normalize: std must be finite and non-zero, got ${JSON.stringify(std)}`);
    }
  }

  /** Normalizes one (C, H, W) float image channel by channel. */
  forward(x: NDArray): NDArray {
    if (x.ndim !== 3)
      throw new RangeError(`Normalize: expected a tensor of shape (C,H,W), got ${shapeStr(x.shape)}`);
    return this.apply(x, 1, x.shape[0]);
  }

  forwardBatch(x: NDArray): NDArray {
    if (x.ndim === 3) return this.forward(x);
    if (x.ndim !== 4) {
      throw new RangeError(`Normalize: expected a batch of shape (N,C,H,W), got ${shapeStr(x.shape)}`);
    }
    return this.apply(x, x.shape[0], x.shape[1]);
  }

  private apply(x: NDArray, n: number, c: number): NDArray {
    const mean = perChannel('mean', this.mean, c);
    const std = perChannel('std', this.std, c);
    const src = x.data;
    const out = x.dtype === 'float64' ? new Float64Array(src.length) : new Float32Array(src.length);
    const plane = src.length / (n * c);
    for (let b = 0; b < n; b++) {
      for (let ch = 0; ch < c; ch++) {
        const m = mean[ch];
        const s = std[ch];
        const start = (b * c + ch) * plane;
        for (let i = start; i < start + plane; i++) out[i] = (src[i] - m) / s;
      }
    }
    return nd.fromTypedArray(out, x.shape.slice());
  }
}

/**
 * Resizes an image (H,W,C) or a batch (N,H,W,C) to `size`: a number for a square (or, with
 * `keepRatio`, the length of the short side), or `[width, height]` as in MXNet. Bilinear
 * (interpolation 1, default) or nearest (0), sampling at pixel centers; the dtype is kept
 * (integer images are rounded and clipped).
 *
 * MXNet counterpart: `gluon.data.vision.transforms.Resize(size, keep_ratio=False, interpolation=1)`.
 *
 * @example
 * ```ts
 * const t = new transforms.Compose([new transforms.Resize(64), new transforms.ToTensor()]);
 * ```
 */
export class Resize implements Transform {
  constructor(
    /** The new size: one number for a square, or [width, height] as in MXNet. MXNet: `size`. */
    readonly size: number | readonly [number, number],
    /** With a single `size`, scale the shorter side to it and keep the aspect ratio. MXNet: `keep_ratio`. */
    readonly keepRatio = false,
    /** 0 for nearest neighbour, 1 (default) for bilinear, as OpenCV's codes. MXNet: `interpolation`. */
    readonly interpolation: 0 | 1 = 1,
  ) {
    const dims = typeof size === 'number' ? [size] : size;
    if (dims.length < 1 || dims.length > 2 || dims.some((d) => !Number.isInteger(d) || d <= 0)) {
      throw new RangeError(
        `Resize: size must be a positive integer or [width, height], got ${JSON.stringify(size)}`,
      );
    }
  }

  private target(h: number, w: number): [number, number] {
    if (typeof this.size !== 'number') return [this.size[1], this.size[0]];
    if (!this.keepRatio) return [this.size, this.size];
    return h <= w
      ? [this.size, Math.max(1, Math.round((w * this.size) / h))]
      : [Math.max(1, Math.round((h * this.size) / w)), this.size];
  }

  /** Resizes one (H, W, C) image. */
  forward(x: NDArray): NDArray {
    if (x.ndim !== 3)
      throw new RangeError(`Resize: expected an image of shape (H,W,C), got ${shapeStr(x.shape)}`);
    return this.apply(x, 1, x.shape[0], x.shape[1], x.shape[2]);
  }

  forwardBatch(x: NDArray): NDArray {
    if (x.ndim === 3) return this.forward(x);
    if (x.ndim !== 4)
      throw new RangeError(`Resize: expected a batch of shape (N,H,W,C), got ${shapeStr(x.shape)}`);
    return this.apply(x, x.shape[0], x.shape[1], x.shape[2], x.shape[3]);
  }

  private apply(x: NDArray, n: number, h: number, w: number, c: number): NDArray {
    if (h === 0 || w === 0) {
      // No pixel to interpolate from: the output would be made-up zeros (OpenCV, behind MXNet, refuses too).
      throw new RangeError(`Resize: cannot resize an empty image of shape ${shapeStr(x.shape)}`);
    }
    const [oh, ow] = this.target(h, w);
    const src = x.data;
    const out = allocLike(src, n * oh * ow * c);
    const isInt = x.dtype === 'uint8' || x.dtype === 'int32';
    const lo = x.dtype === 'uint8' ? 0 : -2147483648;
    const hi = x.dtype === 'uint8' ? 255 : 2147483647;
    const sy = h / oh;
    const sx = w / ow;
    for (let b = 0; b < n; b++) {
      const inBase = b * h * w * c;
      const outBase = b * oh * ow * c;
      for (let oy = 0; oy < oh; oy++) {
        const fy = Math.min(Math.max((oy + 0.5) * sy - 0.5, 0), h - 1);
        const y0 = this.interpolation === 0 ? Math.min(h - 1, Math.floor((oy + 0.5) * sy)) : Math.floor(fy);
        const y1 = Math.min(y0 + 1, h - 1);
        const dy = this.interpolation === 0 ? 0 : fy - y0;
        for (let ox = 0; ox < ow; ox++) {
          const fx = Math.min(Math.max((ox + 0.5) * sx - 0.5, 0), w - 1);
          const x0 = this.interpolation === 0 ? Math.min(w - 1, Math.floor((ox + 0.5) * sx)) : Math.floor(fx);
          const x1 = Math.min(x0 + 1, w - 1);
          const dx = this.interpolation === 0 ? 0 : fx - x0;
          for (let ch = 0; ch < c; ch++) {
            const p00 = src[inBase + (y0 * w + x0) * c + ch];
            const p01 = src[inBase + (y0 * w + x1) * c + ch];
            const p10 = src[inBase + (y1 * w + x0) * c + ch];
            const p11 = src[inBase + (y1 * w + x1) * c + ch];
            const v = (p00 * (1 - dx) + p01 * dx) * (1 - dy) + (p10 * (1 - dx) + p11 * dx) * dy;
            out[outBase + (oy * ow + ox) * c + ch] = isInt ? Math.min(hi, Math.max(lo, Math.round(v))) : v;
          }
        }
      }
    }
    return nd.fromTypedArray(out, x.ndim === 3 ? [oh, ow, c] : [n, oh, ow, c]);
  }
}

/** Anything `Compose` accepts: a minimx transform, an object with `forward`, or a function. */
export type ComposableTransform = Transform | { forward(x: NDArray): NDArray } | ((x: NDArray) => NDArray);

/**
 * Chains transforms, applied in order. It has a batch path when every part has one.
 *
 * MXNet counterpart: `gluon.data.vision.transforms.Compose(transforms)`.
 *
 * @example
 * ```ts
 * const transformer = new transforms.Compose([new transforms.Resize(32), new transforms.ToTensor()]);
 * const train = mnistTrain.transformFirst(transformer);
 * ```
 */
export class Compose implements Transform {
  /** @param transforms The transforms, applied first to last. */
  constructor(readonly transforms: readonly ComposableTransform[]) {
    if (!Array.isArray(transforms)) throw new TypeError('Compose: expected an array of transforms');
  }

  /** Applies every transform to one sample, in order. */
  forward(x: NDArray): NDArray {
    for (const t of this.transforms) x = typeof t === 'function' ? t(x) : t.forward(x);
    return x;
  }

  /** True when every part can process a batch (then `DataLoader` takes the fast path). */
  get batchable(): boolean {
    return this.transforms.every((t) => typeof t === 'object' && 'forwardBatch' in t);
  }

  forwardBatch(x: NDArray): NDArray {
    if (!this.batchable) {
      throw new TypeError('Compose.forwardBatch: a part of this Compose has no forwardBatch');
    }
    for (const t of this.transforms) x = (t as Transform).forwardBatch(x);
    return x;
  }

  /** @internal What `DataLoader`'s fused path makes of each pixel value (see `uint8PixelTable` below). */
  _uint8Table(itemShape: readonly number[]): PixelTable | undefined {
    return uint8PixelTable(this, itemShape);
  }
}

// The batch methods as defined here: a transform whose method was replaced (a subclass, a spy)
// is not recognised by `uint8PixelTable` and keeps the general path.
const TO_TENSOR_BATCH = ToTensor.prototype.forwardBatch;
const NORMALIZE_BATCH = Normalize.prototype.forwardBatch;
const COMPOSE_BATCH = Compose.prototype.forwardBatch;
/** 0, 1, ..., 255: the image `uint8PixelTable` runs the transforms on. */
const PIXEL_VALUES = Uint8Array.from({ length: 256 }, (_, v) => v);

/** Appends the parts of `t` to `chain`; false when a part is not ToTensor, Normalize or Compose of them. */
function flattenKnown(t: unknown, chain: Transform[]): boolean {
  if (t === null || typeof t !== 'object') return false;
  const proto = Object.getPrototypeOf(t);
  if (proto === Compose.prototype && (t as Compose).forwardBatch === COMPOSE_BATCH) {
    const parts = (t as Compose).transforms;
    return Array.isArray(parts) && parts.every((p) => flattenKnown(p, chain));
  }
  if (
    (proto === ToTensor.prototype && (t as ToTensor).forwardBatch === TO_TENSOR_BATCH) ||
    (proto === Normalize.prototype && (t as Normalize).forwardBatch === NORMALIZE_BATCH)
  ) {
    chain.push(t as Transform);
    return true;
  }
  return false;
}

/**
 * For uint8 items of `itemShape` (H,W,1): when `t` is `ToTensor` followed by any number
 * of `Normalize` (alone or in nested `Compose`s), it maps each pixel on its own, so it is a table
 * of 256 float32 values; this returns that table, computed by running `t`'s own batch methods on
 * one image holding the 256 values, and the item shape after `t`, (1,H,W). Anything else
 * (another transform, more than one channel, a replaced method) gives undefined.
 */
function uint8PixelTable(t: unknown, itemShape: readonly number[]): PixelTable | undefined {
  if (itemShape.length !== 3 || itemShape[2] !== 1) return undefined;
  const chain: Transform[] = [];
  if (!flattenKnown(t, chain) || chain.length === 0 || !(chain[0] instanceof ToTensor)) return undefined;
  if (!chain.slice(1).every((p) => p instanceof Normalize)) return undefined;
  let x = nd.fromTypedArray(PIXEL_VALUES.slice(), [1, 1, 256, 1]);
  for (const p of chain) x = p.forwardBatch(x);
  if (!(x.data instanceof Float32Array) || x.size !== 256) return undefined;
  return { table: x.data, shape: [1, itemShape[0], itemShape[1]] };
}
