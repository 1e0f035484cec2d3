/**
 * Property tests: reductions (sum, mean, max, min) and argmax/argmin against the reference over
 * random shapes (0- and 1-sized axes), axis lists with negative axes, keepdims, and dtypes; empty
 * inputs either give the reference value (sum 0, mean NaN) or a clear error (max/min/argmax).
 */
import { type NDArray, nd } from '@minimx/ndarray';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectClose, fcParams, nonEmptyShape, refArray, shape, toRef } from './arbitraries.js';
import * as ref from './reference.js';

type DType = 'float32' | 'float64' | 'int32';
const Typed = { float32: Float32Array, float64: Float64Array, int32: Int32Array };
const makeArray = (r: ref.RefArray, dtype: DType): NDArray =>
  nd.fromTypedArray(Typed[dtype].from(r.data), r.shape);

/** An axis option for an array of `ndim` axes: undefined, one axis, or a list of distinct axes, each maybe negative. */
const axisOption = (ndim: number): fc.Arbitrary<number | number[] | undefined> => {
  if (ndim === 0) return fc.constant(undefined);
  const oneAxis = fc.tuple(fc.nat(ndim - 1), fc.boolean()).map(([a, neg]) => (neg ? a - ndim : a));
  const list = fc
    .shuffledSubarray(
      Array.from({ length: ndim }, (_, i) => i),
      { minLength: 1 },
    )
    .chain((axes) =>
      fc
        .array(fc.boolean(), { minLength: axes.length, maxLength: axes.length })
        .map((neg) => axes.map((a, i) => (neg[i] ? a - ndim : a))),
    );
  return fc.oneof(fc.constant(undefined), oneAxis, list);
};

const reduceCase = fc
  .tuple(shape(0, 4), fc.constantFrom<DType>('float32', 'float64', 'int32'), fc.boolean())
  .chain(([s, dtype, keepdims]) =>
    fc.record({
      a: refArray(s),
      axis: axisOption(s.length),
      dtype: fc.constant(dtype),
      keepdims: fc.constant(keepdims),
    }),
  );

describe('reductions agree with the reference', () => {
  for (const op of ['sum', 'mean', 'max', 'min'] as const) {
    it(`${op} over random axis lists (negative too), keepdims, float32/float64/int32`, () => {
      fc.assert(
        fc.property(reduceCase, ({ a, axis, dtype, keepdims }) => {
          const x = makeArray(a, dtype);
          const what = `${op}(${dtype} (${a.shape}), axis ${JSON.stringify(axis)}, keepdims ${keepdims})`;
          const reducedEmpty = ref.normalizeAxes(axis, a.shape.length).some((ax) => a.shape[ax] === 0);
          // NumPy's rule: an empty reduction has no max; an empty *result* is fine (nothing to compute).
          const resultSize = a.shape.reduce(
            (p, d, i) => (ref.normalizeAxes(axis, a.shape.length).includes(i) ? p : p * d),
            1,
          );
          if ((op === 'max' || op === 'min') && reducedEmpty && resultSize > 0) {
            expect(() => x[op]({ axis, keepdims }), what).toThrow(/empty/);
            return;
          }
          const out = x[op]({ axis, keepdims });
          expect(out.dtype).toBe(op === 'mean' && dtype === 'int32' ? 'float32' : dtype);
          let expected = ref.reduce(toRef(x), op, axis, keepdims);
          if (out.dtype === 'float32') expected = ref.unary(expected, Math.fround);
          if (op === 'mean' && reducedEmpty)
            expect(Number.isNaN(out.data[0]) || out.size === 0, what).toBe(true);
          expectClose(out, expected, what);
        }),
        fcParams(200),
      );
    });
  }

  for (const op of ['argmax', 'argmin'] as const) {
    it(`${op} over one axis (negative too) or the flattened array, first index on ties, as float32`, () => {
      const input = fc.tuple(nonEmptyShape(1, 4), fc.boolean()).chain(([s, keepdims]) =>
        fc.record({
          a: refArray(s),
          axis: fc.option(fc.integer({ min: -s.length, max: s.length - 1 }), { nil: undefined }),
          keepdims: fc.constant(keepdims),
        }),
      );
      fc.assert(
        fc.property(input, ({ a, axis, keepdims }) => {
          const x = makeArray(a, 'float32');
          const what = `${op}((${a.shape}), axis ${axis}, keepdims ${keepdims})`;
          if (axis === undefined) {
            const out = x[op]();
            expect(out.dtype).toBe('float32');
            expect(out.shape, what).toEqual([1]);
            expect(out.data[0], what).toBe(
              ref.argReduce({ shape: [a.data.length], data: a.data }, op, 0, false).data[0],
            );
            return;
          }
          const out = x[op]({ axis, keepdims });
          expect(out.dtype).toBe('float32');
          expectClose(out, ref.argReduce(a, op, axis, keepdims), what, 0);
        }),
        fcParams(200),
      );
    });
  }

  it('argmax over an empty axis throws an error naming the op and the shape', () => {
    expect(() => nd.zeros([2, 0, 3]).argmax({ axis: 1 })).toThrow(/argmax: .*\(2,0,3\)/);
    expect(() => nd.zeros([2, 0, 3]).argmax({ axis: -2 })).toThrow(/argmax: .*empty/);
  });

  it('an axis out of range or repeated throws naming the op', () => {
    fc.assert(
      fc.property(nonEmptyShape(1, 4), fc.constantFrom('sum', 'mean', 'max', 'min'), (s, op) => {
        const x = nd.ones(s);
        expect(() => x[op]({ axis: s.length })).toThrow(
          new RegExp(`^${op}: axis ${s.length} is out of range`),
        );
        expect(() => x[op]({ axis: -s.length - 1 })).toThrow(/out of range/);
        expect(() => x[op]({ axis: [0, -s.length] })).toThrow(/repeated axis/);
      }),
      fcParams(50),
    );
  });

  // MXNet's legacy NDArray has no 0-d arrays: `nd.sum(x)` and `nd.argmax(x)` return shape (1,),
  // as `nd.dot` of two vectors does; the reference encodes the same rule.
  it('reducing every axis without keepdims gives shape (1,), as MXNet', () => {
    const x = nd.ones([2, 3]);
    expect(nd.dot(nd.ones([3]), nd.ones([3])).shape).toEqual([1]);
    expect(x.sum().shape).toEqual([1]);
    expect(x.mean().shape).toEqual([1]);
    expect(x.max({ axis: [0, 1] }).shape).toEqual([1]);
    expect(x.argmax().shape).toEqual([1]);
  });
});
