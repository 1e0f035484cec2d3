/**
 * Property tests: layout ops against the reference and their round trips. transpose (random
 * permutations, negative axes) matches the reference and its inverse permutation restores the
 * array; reshape to any factorisation (with -1) and back is the identity; concat and stack match
 * the reference, along random (negative) axes, and slicing them apart gives the inputs back.
 */
import { type NDArray, nd } from '@minimx/ndarray';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectClose, extent, fcParams, refArray, shape, toRef } from './arbitraries.js';
import * as ref from './reference.js';

const f64 = (r: ref.RefArray): NDArray => nd.fromTypedArray(Float64Array.from(r.data), r.shape);

const permutationOf = (n: number): fc.Arbitrary<number[]> =>
  fc.shuffledSubarray(
    Array.from({ length: n }, (_, i) => i),
    { minLength: n, maxLength: n },
  );

describe('transpose and reshape', () => {
  it('transpose by a random permutation (axes maybe negative) matches the reference; the inverse restores it', () => {
    const input = shape(0, 5).chain((s) =>
      fc.record({
        a: refArray(s),
        perm: permutationOf(s.length),
        negative: fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }),
      }),
    );
    fc.assert(
      fc.property(input, ({ a, perm, negative }) => {
        const x = f64(a);
        const axes = perm.map((p, i) => (negative[i] ? p - perm.length : p));
        const y = x.transpose(axes);
        expectClose(y, ref.transpose(a, perm), `transpose (${a.shape}) by [${axes}]`, 0);
        const inverse = perm.map((_, i) => perm.indexOf(i));
        expectClose(y.transpose(inverse), a, 'transpose back', 0);
        if (perm.length > 0)
          expectClose(
            x.T,
            ref.transpose(
              a,
              perm.map((_, i) => perm.length - 1 - i),
            ),
            '.T',
            0,
          );
      }),
      fcParams(200),
    );
  });

  it('reshape to a random factorisation (with -1) and back is the identity, sharing the data', () => {
    const input = fc
      .tuple(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 6 }), fc.nat())
      .chain(([factors, seed]) => {
        const s = factors.slice(0, Math.max(1, factors.length >> 1));
        return fc.record({
          a: refArray(s),
          target: fc
            .shuffledSubarray(factors.slice(0, s.length), { minLength: s.length, maxLength: s.length })
            .chain((dims) => fc.array(fc.constant(1), { maxLength: 2 }).map((ones) => [...dims, ...ones])),
          unknownAt: fc.constant(seed),
        });
      });
    fc.assert(
      fc.property(input, ({ a, target, unknownAt }) => {
        const x = f64(a);
        const withUnknown = target.slice();
        withUnknown[unknownAt % target.length] = -1;
        const y = x.reshape(withUnknown);
        expect(y.shape).toEqual(target);
        expect(y.data).toBe(x.data);
        expectClose(y.reshape(a.shape), a, 'reshape back', 0);
      }),
      fcParams(200),
    );
  });

  it('reshape to a different size throws naming both shapes', () => {
    fc.assert(
      fc.property(shape(1, 4), extent(5), (s, extra) => {
        const size = ref.sizeOfShape(s);
        fc.pre(extra !== size && extra > 0);
        expect(() => nd.zeros(s).reshape(extra)).toThrow(/^reshape: cannot reshape array of shape \(/);
      }),
      fcParams(100),
    );
  });
});

describe('concat and stack', () => {
  it('concat of 1-4 arrays along a random (negative) axis matches the reference', () => {
    const input = fc
      .tuple(shape(1, 4), fc.nat(), fc.boolean(), fc.array(extent(3), { minLength: 1, maxLength: 4 }))
      .chain(([s, axisSeed, negative, sizes]) => {
        const axis = axisSeed % s.length;
        const shapes = sizes.map((n) => s.map((d, i) => (i === axis ? n : d)));
        return fc.record({
          arrays: fc.tuple(...shapes.map((sh) => refArray(sh))),
          axis: fc.constant(negative ? axis - s.length : axis),
        });
      });
    fc.assert(
      fc.property(input, ({ arrays, axis }) => {
        const out = nd.concat(arrays.map(f64), { dim: axis });
        expectClose(
          out,
          ref.concat(arrays, axis),
          `concat ${arrays.map((a) => `(${a.shape})`).join(' ')} dim ${axis}`,
          0,
        );
      }),
      fcParams(200),
    );
  });

  it('stack of 1-4 equal-shaped arrays along a random (negative) axis matches the reference and unstacks', () => {
    const input = fc
      .tuple(shape(0, 3), fc.integer({ min: 1, max: 4 }), fc.nat(), fc.boolean())
      .chain(([s, count, axisSeed, negative]) => {
        const axis = axisSeed % (s.length + 1);
        return fc.record({
          arrays: fc.array(refArray(s), { minLength: count, maxLength: count }),
          axis: fc.constant(negative ? axis - s.length - 1 : axis),
        });
      });
    fc.assert(
      fc.property(input, ({ arrays, axis }) => {
        const out = nd.stack(arrays.map(f64), { axis });
        const expected = ref.stack(arrays, axis);
        expectClose(out, expected, `stack ${arrays.length} x (${arrays[0].shape}) axis ${axis}`, 0);
        // Unstack: moving the new axis to the front and reading consecutive blocks gives each input back.
        const ax = axis < 0 ? axis + out.ndim : axis;
        const perm = [ax, ...Array.from({ length: out.ndim }, (_, i) => i).filter((i) => i !== ax)];
        const front = toRef(out.transpose(perm));
        const block = ref.sizeOfShape(arrays[0].shape);
        arrays.forEach((a, i) => {
          expect(front.data.slice(i * block, (i + 1) * block)).toEqual(a.data);
        });
      }),
      fcParams(200),
    );
  });
});
