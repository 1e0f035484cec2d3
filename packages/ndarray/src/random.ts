/**
 * Seeded random numbers: one global generator (xoshiro128**, seeded through splitmix32), so
 * `nd.random.seed(n)` makes every draw after it (initialisers, shuffling, dropout) repeatable.
 * Samplers: normal, uniform, randint, multinomial, shuffle.
 */
import { type Context, placeOn } from './context.js';
import { checkDType, type DType, isFloat } from './dtype.js';
import type { NDArray } from './ndarray.js';
import { empty } from './ops/operand.js';
import { checkShape } from './shape.js';

const s = new Uint32Array(4);
let spareNormal: number | null = null;

function splitmix32(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/**
 * Seeds the global generator: the same seed gives the same draws. MXNet: `mx.random.seed`.
 * @example nd.random.seed(42)
 */
export function seed(value: number): void {
  if (!Number.isInteger(value)) throw new TypeError(`random.seed: seed must be an integer, got ${value}`);
  const next = splitmix32(value);
  for (let i = 0; i < 4; i++) s[i] = next();
  spareNormal = null;
}
seed(Date.now() ^ 0x5f3759df);

/** The next 32-bit unsigned integer from the global generator (xoshiro128**). */
export function nextUint32(): number {
  const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
  const t = s[1] << 9;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 11);
  return result;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** A uniform double in [0, 1) from the global generator. */
export function nextDouble(): number {
  return (nextUint32() * 2 ** 21 + (nextUint32() >>> 11)) / 2 ** 53;
}

/** A standard normal draw (Box–Muller, caching the second value). */
export function nextNormal(): number {
  if (spareNormal !== null) {
    const v = spareNormal;
    spareNormal = null;
    return v;
  }
  let u = 0;
  while (u === 0) u = nextDouble();
  const v = nextDouble();
  const r = Math.sqrt(-2 * Math.log(u));
  spareNormal = r * Math.sin(2 * Math.PI * v);
  return r * Math.cos(2 * Math.PI * v);
}

/** Shape, dtype and device of a random array. */
export interface RandomShapeOptions {
  /** The shape of the result (default [1]). MXNet: `shape`. */
  shape?: number | readonly number[];
  /** The element type (default 'float32'). MXNet: `dtype`. */
  dtype?: DType;
  /** The device, MXNet's `ctx=` (default `cpu(0)`); anything but a Context is a TypeError. */
  ctx?: Context;
}

function allocateRandom(op: string, options: RandomShapeOptions): NDArray {
  placeOn(op, options.ctx);
  const shape =
    options.shape === undefined ? [1] : typeof options.shape === 'number' ? [options.shape] : options.shape;
  const dtype = checkDType(op, options.dtype ?? 'float32');
  if (!isFloat(dtype)) throw new TypeError(`${op}: dtype must be float32 or float64, got ${dtype}`);
  return empty(checkShape(op, shape), dtype);
}

/** Options of `normal`: mean and standard deviation, shape (default (1,)) and dtype. */
export type NormalOptions = RandomShapeOptions & {
  /** The mean (default 0). MXNet: `loc`. */
  loc?: number;
  /** The standard deviation (default 1). MXNet: `scale`. */
  scale?: number;
};
/** Options of `uniform`: the interval [low, high), shape (default (1,)) and dtype. */
export type UniformOptions = RandomShapeOptions & {
  /** The interval's lower bound, included (default 0). MXNet: `low`. */
  low?: number;
  /** The interval's upper bound, excluded (default 1). MXNet: `high`. */
  high?: number;
};

/** Merges MXNet's positional form `(a, b, shape, {dtype})` into the options form. */
function positional<T extends RandomShapeOptions>(
  first: T | number | undefined,
  rest: unknown[],
  names: [keyof T, keyof T],
): T {
  if (typeof first !== 'number') return (first ?? {}) as T;
  const [second, shape, extra] = rest as [
    number | undefined,
    RandomShapeOptions['shape'],
    RandomShapeOptions?,
  ];
  const options = { ...(extra ?? {}), [names[0]]: first } as T;
  if (second !== undefined) (options as Record<keyof T, unknown>)[names[1]] = second;
  if (shape !== undefined) options.shape = shape;
  return options;
}

/**
 * Samples N(loc, scale²). MXNet: `nd.random.normal(loc=0, scale=1, shape, dtype)`; both the options
 * form and MXNet's positional form are accepted.
 * @example nd.random.normal({ scale: 0.01, shape: [784, 10] })
 * @example nd.random.normal(0, 1, [3, 4])
 */
export function normal(options?: NormalOptions): NDArray;
export function normal(
  loc: number,
  scale?: number,
  shape?: number | readonly number[],
  options?: RandomShapeOptions,
): NDArray;
export function normal(first?: NormalOptions | number, ...rest: unknown[]): NDArray {
  const options = positional<NormalOptions>(first, rest, ['loc', 'scale']);
  const out = allocateRandom('random.normal', options);
  const loc = options.loc ?? 0;
  const scale = options.scale ?? 1;
  if (!(scale >= 0)) throw new RangeError(`random.normal: scale must be >= 0, got ${scale}`);
  const d = out.data;
  for (let i = 0; i < d.length; i++) d[i] = loc + scale * nextNormal();
  return out;
}

/**
 * Samples U[low, high). MXNet: `nd.random.uniform(low=0, high=1, shape, dtype)`; both the options
 * form and MXNet's positional form are accepted.
 * @example nd.random.uniform({ low: -0.07, high: 0.07, shape: [10, 784] })
 * @example nd.random.uniform(0, 1, X.shape).less(keepProb)  // a dropout mask
 */
export function uniform(options?: UniformOptions): NDArray;
export function uniform(
  low: number,
  high?: number,
  shape?: number | readonly number[],
  options?: RandomShapeOptions,
): NDArray;
export function uniform(first?: UniformOptions | number, ...rest: unknown[]): NDArray {
  const options = positional<UniformOptions>(first, rest, ['low', 'high']);
  const out = allocateRandom('random.uniform', options);
  const low = options.low ?? 0;
  const high = options.high ?? 1;
  if (!(high >= low)) throw new RangeError(`random.uniform: high (${high}) must be >= low (${low})`);
  const d = out.data;
  for (let i = 0; i < d.length; i++) d[i] = low + (high - low) * nextDouble();
  return out;
}

/**
 * Draws category indices from the probabilities on the last axis of `probs` (each row is
 * normalised by its sum). The result has shape `probs.shape[:-1] + shape` ((1,) when that is empty).
 * MXNet: `nd.random.multinomial(data, shape, dtype='int32')`.
 * @example nd.random.multinomial(nd.ones([6]).div(6), { shape: 10 })  // ten die rolls
 */
export function multinomial(
  probs: NDArray,
  options: { shape?: number | readonly number[]; dtype?: DType; ctx?: Context } = {},
): NDArray {
  placeOn('random.multinomial', options.ctx);
  if (probs.ndim === 0 || probs.shape[probs.ndim - 1] === 0) {
    throw new RangeError(
      `random.multinomial: probs must have a non-empty last axis, got ${probs.shape.length}-d`,
    );
  }
  const k = probs.shape[probs.ndim - 1];
  const rows = probs.size / k;
  const draws =
    options.shape === undefined ? [] : typeof options.shape === 'number' ? [options.shape] : options.shape;
  const perRow = draws.reduce((p, q) => p * q, 1);
  const shape = [...probs.shape.slice(0, -1), ...draws];
  const out = empty(
    checkShape('random.multinomial', shape.length ? shape : [1]),
    checkDType('random.multinomial', options.dtype ?? 'int32'),
  );
  const p = probs.data;
  for (let r = 0; r < rows; r++) {
    let total = 0;
    for (let j = 0; j < k; j++) {
      const v = p[r * k + j];
      if (!(v >= 0)) throw new RangeError(`random.multinomial: probabilities must be >= 0, got ${v}`);
      total += v;
    }
    for (let t = 0; t < perRow; t++) {
      const u = nextDouble() * total;
      let acc = 0;
      let pick = k - 1;
      for (let j = 0; j < k; j++) {
        acc += p[r * k + j];
        if (u < acc) {
          pick = j;
          break;
        }
      }
      out.data[r * perRow + t] = pick;
    }
  }
  return out;
}

/**
 * Integers uniform in [low, high), as int32. MXNet: `nd.random.randint(low, high, shape)`.
 * @example nd.random.randint(0, 10, { shape: [5] })
 */
export function randint(
  low: number,
  high: number,
  options: { shape?: number | readonly number[]; ctx?: Context } = {},
): NDArray {
  placeOn('random.randint', options.ctx);
  if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low) {
    throw new RangeError(`random.randint: need integers low < high, got ${low} and ${high}`);
  }
  // The result is int32 (MXNet's default dtype for randint): the range [low, high) must fit in it.
  if (low < -(2 ** 31) || high > 2 ** 31) {
    throw new RangeError(
      `random.randint: low and high must lie within int32's range [-2147483648, 2147483648), got ${low} and ${high}`,
    );
  }
  const shape =
    options.shape === undefined ? [1] : typeof options.shape === 'number' ? [options.shape] : options.shape;
  const out = empty(checkShape('random.randint', shape), 'int32');
  const span = high - low;
  for (let i = 0; i < out.size; i++) out.data[i] = low + Math.floor(nextDouble() * span);
  return out;
}

/**
 * A seeded random permutation of 0..n-1 (Fisher–Yates). Used by DataLoader's shuffle.
 * @example nd.random.shuffleIndices(60000)
 */
export function shuffleIndices(n: number): Int32Array {
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`random.shuffleIndices: n must be a non-negative integer, got ${n}`);
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(nextDouble() * (i + 1));
    const t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
  return perm;
}

/**
 * Randomly permutes an array along its first axis (returns a copy). MXNet: `nd.random.shuffle`.
 * @example nd.random.shuffle(nd.arange(10))
 */
export function shuffle(x: NDArray): NDArray {
  const rows = x.ndim === 0 ? 1 : x.shape[0];
  const rowSize = rows === 0 ? 0 : x.size / rows;
  const perm = shuffleIndices(rows);
  const out = empty(x.shape, x.dtype);
  for (let i = 0; i < rows; i++)
    out.data.set(x.data.subarray(perm[i] * rowSize, (perm[i] + 1) * rowSize), i * rowSize);
  return out;
}
