/**
 * Shared fast-check settings and generators for the property tests: how many runs (the
 * `FC_NUM_RUNS` environment variable raises them for a deeper local run, `FC_SEED` replays a
 * failure), random shapes that favour 0- and 1-sized axes, broadcast-compatible shape pairs,
 * random values that make ties likely, and conversion between NDArray and the reference arrays.
 */
import type { NDArray } from '@minimx/ndarray';
import fc from 'fast-check';
import type { RefArray } from './reference.js';

/**
 * fast-check parameters for one property: `defaultRuns` runs unless `FC_NUM_RUNS` says otherwise
 * (never more than `maxRuns`, for the few properties whose cases are expensive), and the seed from
 * `FC_SEED` when set. fast-check prints the seed and the shrunk counterexample of any failure, so
 * `FC_SEED=<seed>` replays it.
 */
export function fcParams(defaultRuns: number, maxRuns = Number.POSITIVE_INFINITY): fc.Parameters<unknown> {
  const fromEnv = Number(process.env.FC_NUM_RUNS);
  const seed = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);
  return {
    numRuns: Math.min(Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : defaultRuns, maxRuns),
    ...(seed !== undefined && Number.isInteger(seed) ? { seed } : {}),
  };
}

/** One axis extent: 1 and 0 are drawn often, since that is where broadcasting and reductions break. */
export const extent = (max = 4): fc.Arbitrary<number> =>
  fc.oneof(
    { arbitrary: fc.constantFrom(0, 1), weight: 2 },
    { arbitrary: fc.integer({ min: 1, max }), weight: 5 },
  );

/** A shape of rank `minRank`..`maxRank` (rank 0 is a scalar). */
export const shape = (minRank = 0, maxRank = 4, max = 4): fc.Arbitrary<number[]> =>
  fc.array(extent(max), { minLength: minRank, maxLength: maxRank });

/** A shape without 0-sized axes. */
export const nonEmptyShape = (minRank = 0, maxRank = 4, max = 4): fc.Arbitrary<number[]> =>
  fc.array(fc.integer({ min: 1, max }), { minLength: minRank, maxLength: maxRank });

/**
 * Two shapes that broadcast together: both are suffixes of one output shape, with some axes
 * squashed to 1.
 */
export const broadcastPair = (maxRank = 4): fc.Arbitrary<[number[], number[]]> =>
  shape(0, maxRank).chain((out) => {
    const derived = fc
      .tuple(
        fc.integer({ min: 0, max: out.length }),
        fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }),
      )
      .map(([drop, squash]) => out.slice(drop).map((d, i) => (squash[i + drop] ? 1 : d)));
    return fc.tuple(derived, derived);
  });

/** Values that are exact in float32, small, and often equal (ties for max/argmax). */
export const value = fc.integer({ min: -16, max: 16 }).map((k) => k / 4);

/** A reference array of `shapeOf` filled with `value`s. */
export const refArray = (s: number[], values: fc.Arbitrary<number> = value): fc.Arbitrary<RefArray> =>
  fc
    .array(values, { minLength: s.reduce((a, b) => a * b, 1), maxLength: s.reduce((a, b) => a * b, 1) })
    .map((data) => ({ shape: s, data }));

/** The values of an NDArray as a reference array. */
export function toRef(x: NDArray): RefArray {
  return { shape: [...x.shape], data: Array.from(x.data as ArrayLike<number>) };
}

/** Throws a readable error unless `actual` matches `expected` in shape and (within tolerance) values. */
export function expectClose(actual: NDArray, expected: RefArray, what: string, relTol = 1e-6): void {
  const shapeOk =
    actual.shape.length === expected.shape.length && actual.shape.every((d, i) => d === expected.shape[i]);
  if (!shapeOk) {
    throw new Error(
      `${what}: shape (${actual.shape.join(',')}) but the reference says (${expected.shape.join(',')})`,
    );
  }
  const a = actual.data as ArrayLike<number>;
  for (let i = 0; i < expected.data.length; i++) {
    const x = a[i];
    const y = expected.data[i];
    if (Number.isNaN(y) ? Number.isNaN(x) : x === y || Math.abs(x - y) <= relTol * Math.max(1, Math.abs(y)))
      continue;
    throw new Error(`${what}: element ${i} is ${x} but the reference says ${y}`);
  }
}
