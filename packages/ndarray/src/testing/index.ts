/**
 * Test helpers other packages use too: `assertAllClose` (NumPy's `assert_allclose` for NDArrays,
 * nested arrays and numbers) and `checkGradient` (autograd against float64 central differences).
 * They throw plain Errors, so they work under any test runner.
 */
import { grad, record } from '../autograd.js';
import { NDArray } from '../ndarray.js';
import { array, type NestedArray } from '../ops/creation.js';
import { type Shape, shapesEqual, shapeToString } from '../shape.js';

/** Tolerances: |actual - expected| <= atol + rtol * |expected|, element by element. */
export interface CloseOptions {
  /** Relative tolerance. */
  rtol?: number;
  /** Absolute tolerance. */
  atol?: number;
  /** A prefix for the error message. */
  message?: string;
}

/** What `assertAllClose` compares: an NDArray, nested arrays or a number. */
export type Comparable = NDArray | NestedArray;

function toValues(x: Comparable): { shape: Shape; values: ArrayLike<number> } {
  if (x instanceof NDArray) return { shape: x.shape, values: x.data };
  if (typeof x === 'number') return { shape: [], values: [x] };
  const a = array(x, { dtype: 'float64' });
  return { shape: a.shape, values: a.data };
}

function indexOf(flat: number, shape: Shape): string {
  const idx: number[] = [];
  for (let i = shape.length - 1; i >= 0; i--) {
    idx.unshift(flat % shape[i]);
    flat = Math.floor(flat / shape[i]);
  }
  return `[${idx.join(', ')}]`;
}

/**
 * Throws unless `actual` and `expected` have the same shape and all elements are close
 * (NaN matches NaN; an infinity matches only the same infinity, as in NumPy, since
 * `atol + rtol·|Infinity|` would accept anything). The message names the worst element.
 * NumPy: `np.testing.assert_allclose`. A bare number as `expected` is compared with every element.
 * @example testing.assertAllClose(nd.softmax(x), [[0.09003057, 0.24472848, 0.66524094]], { rtol: 1e-6 });
 */
export function assertAllClose(actual: Comparable, expected: Comparable, options: CloseOptions = {}): void {
  const rtol = options.rtol ?? 1e-5;
  const atol = options.atol ?? 1e-6;
  const prefix = options.message ? `${options.message}: ` : '';
  const a = toValues(actual);
  const e = toValues(expected);
  const scalarExpected = typeof expected === 'number';
  if (!scalarExpected && !shapesEqual(a.shape, e.shape)) {
    throw new Error(
      `${prefix}assertAllClose: shape ${shapeToString(a.shape)} does not match expected ${shapeToString(e.shape)}`,
    );
  }
  let bad = 0;
  let worst = -1;
  let worstExcess = -Infinity;
  for (let i = 0; i < a.values.length; i++) {
    const x = a.values[i];
    const y = scalarExpected ? e.values[0] : e.values[i];
    if (Object.is(x, y) || x === y || (Number.isNaN(x) && Number.isNaN(y))) continue;
    const diff = Math.abs(x - y);
    const allowed = atol + rtol * Math.abs(y);
    // As NumPy: an infinity (or NaN) on either side must be matched exactly, never by tolerance.
    if (diff <= allowed && Number.isFinite(x) && Number.isFinite(y)) continue;
    bad++;
    const excess = Number.isNaN(diff - allowed) ? Infinity : diff - allowed;
    if (excess > worstExcess) {
      worstExcess = excess;
      worst = i;
    }
  }
  if (bad > 0) {
    const x = a.values[worst];
    const y = scalarExpected ? e.values[0] : e.values[worst];
    throw new Error(
      `${prefix}assertAllClose: ${bad} of ${a.values.length} elements differ (rtol=${rtol}, atol=${atol}); ` +
        `worst at ${indexOf(worst, a.shape)}: actual ${x}, expected ${y} (|diff| ${Math.abs(x - y)})`,
    );
  }
}

/** Options of `checkGradient`: the finite-difference step and the comparison tolerances. */
export interface GradientCheckOptions {
  /** The central-difference step. */
  eps?: number;
  /** Relative tolerance between the analytic and the numerical gradient. */
  rtol?: number;
  /** Absolute tolerance between the analytic and the numerical gradient. */
  atol?: number;
}

/** A fixed pseudo-random head gradient in [0.5, 1.5), so every output element weighs differently. */
function headWeights(shape: Shape): NDArray {
  const w = new NDArray(new Float64Array(shape.reduce((p, q) => p * q, 1)), shape);
  let seed = 12345;
  for (let i = 0; i < w.size; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    w.data[i] = 0.5 + seed / 2 ** 32;
  }
  return w;
}

/**
 * Compares autograd's gradients of `sum(fn(...inputs) * w)` (w fixed, non-uniform) with central
 * differences, all in float64 (inputs are cast first). Throws naming the input and element that differ.
 * @example testing.checkGradient((x) => x.exp().sum({ axis: 1 }), [nd.random.normal({ shape: [2, 3] })]);
 */
export function checkGradient(
  fn: (...xs: NDArray[]) => NDArray,
  inputs: readonly NDArray[],
  options: GradientCheckOptions = {},
): void {
  const eps = options.eps ?? 1e-6;
  const rtol = options.rtol ?? 1e-4;
  const atol = options.atol ?? 1e-6;
  const xs = inputs.map((x) => x.astype('float64', { copy: true }));
  for (const x of xs) x.attachGrad();
  const out = record(() => fn(...xs));
  if (out.dtype !== 'float64') {
    throw new Error(`checkGradient: fn returned dtype ${out.dtype}; ops on float64 inputs must stay float64`);
  }
  const w = headWeights(out.shape);
  const analytic = grad(out, xs, { headGrads: [w] });
  const objective = (): number => {
    const y = fn(...xs);
    let total = 0;
    for (let i = 0; i < y.size; i++) total += y.data[i] * w.data[i];
    return total;
  };
  xs.forEach((x, k) => {
    const numeric = new Float64Array(x.size);
    const d = x.data;
    for (let i = 0; i < x.size; i++) {
      const orig = d[i];
      d[i] = orig + eps;
      const plus = objective();
      d[i] = orig - eps;
      const minus = objective();
      d[i] = orig;
      numeric[i] = (plus - minus) / (2 * eps);
    }
    assertAllClose(analytic[k], new NDArray(numeric, x.shape), {
      rtol,
      atol,
      message: `checkGradient: input ${k} ${shapeToString(x.shape)}`,
    });
  });
}

/**
 * An equality tester for vitest's and Jest's `expect.addEqualityTesters`: two NDArrays are equal
 * when their dtypes, shapes and values are (`Object.is` per element, as `toEqual` compares numbers:
 * NaN equals NaN, 0 differs from -0); an NDArray never equals anything else. Without it `toEqual`
 * walks NDArrays through their iterator, one sub-array per element, which is slow for big arrays.
 * @example expect.addEqualityTesters([testing.ndarrayEquality]); expect(x).toEqual(nd.array([1, 2]));
 */
export function ndarrayEquality(a: unknown, b: unknown): boolean | undefined {
  const isA = a instanceof NDArray;
  const isB = b instanceof NDArray;
  if (!isA && !isB) return undefined;
  if (!isA || !isB || a.dtype !== b.dtype || !shapesEqual(a.shape, b.shape)) return false;
  const x = a.data;
  const y = b.data;
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return false;
  return true;
}
