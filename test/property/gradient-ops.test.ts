/**
 * Property tests: autograd against central differences (float64) for the layout, indexing and
 * reduction ops one at a time, on random shapes and axes: concat, stack, slicing with steps
 * (`nd.get`), take with repeated indices (gradients must add up), transpose, expandDims, squeeze,
 * flatten, max/min over axes (values kept apart so there are no ties), prod (values kept away
 * from 0), L1/L2 norm, logSumExp, where and clip (away from the clip bounds).
 */
import { autograd, type NDArray, nd } from '@minimx/ndarray';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { fcParams, nonEmptyShape } from './arbitraries.js';
import * as ref from './reference.js';

const f64 = (r: ref.RefArray): NDArray => nd.fromTypedArray(Float64Array.from(r.data), r.shape);

/** Random values of `shape` in [lo, hi]. */
const values = (shape: number[], lo = -1.5, hi = 1.5) =>
  fc
    .array(fc.double({ min: lo, max: hi, noNaN: true }), {
      minLength: ref.sizeOfShape(shape),
      maxLength: ref.sizeOfShape(shape),
    })
    .map((data) => ({ shape, data }));

/** Distinct values (a shuffled ramp with a random offset), so max/min have no ties. */
const distinct = (shape: number[]) =>
  fc
    .tuple(
      fc.shuffledSubarray(
        Array.from({ length: ref.sizeOfShape(shape) }, (_, i) => i),
        { minLength: ref.sizeOfShape(shape), maxLength: ref.sizeOfShape(shape) },
      ),
      fc.double({ min: -1, max: 1, noNaN: true }),
    )
    .map(([perm, offset]) => ({ shape, data: perm.map((p) => offset + 0.1 * p) }));

/** Checks d(sum(f(xs) * w))/dxs by autograd against central differences; throws naming `what`. */
function checkGradient(what: string, f: (xs: NDArray[]) => NDArray, inputs: ref.RefArray[], seed: number) {
  const probe = autograd.pause(() => f(inputs.map(f64)));
  const w = nd.fromTypedArray(
    Float64Array.from({ length: probe.size }, (_, i) => Math.sin(seed + 1.7 * i) + 0.1),
    probe.shape,
  );
  const loss = (xs: NDArray[]) => f(xs).mul(w).sum();
  const xs = inputs.map(f64);
  for (const x of xs) x.attachGrad();
  autograd.record(() => loss(xs)).backward();
  const h = 1e-6;
  inputs.forEach((input, k) => {
    input.data.forEach((_, i) => {
      const at = (delta: number) =>
        loss(
          inputs.map((v, j) => {
            const d = Float64Array.from(v.data);
            if (j === k) d[i] += delta;
            return nd.fromTypedArray(d, v.shape);
          }),
        ).asScalar();
      const numeric = (at(h) - at(-h)) / (2 * h);
      const analytic = xs[k].grad!.data[i];
      if (!(Math.abs(analytic - numeric) <= 1e-5 * (1 + Math.abs(numeric)))) {
        throw new Error(
          `${what}: d/d input${k}[${i}] is ${analytic} by autograd, ${numeric} by central differences`,
        );
      }
    });
  });
}

const shapeAndAxis = nonEmptyShape(1, 3, 3).chain((s) =>
  fc.record({
    shape: fc.constant(s),
    axis: fc.integer({ min: -s.length, max: s.length - 1 }),
    seed: fc.nat(1000),
  }),
);

describe('gradients of layout, indexing and reduction ops agree with central differences', () => {
  it('concat and stack along random axes', () => {
    const input = shapeAndAxis.chain(({ shape, axis, seed }) => {
      const ax = axis < 0 ? axis + shape.length : axis;
      const other = shape.map((d, i) => (i === ax ? d + 1 : d));
      return fc.record({
        a: values(shape),
        b: values(other),
        c: values(shape),
        axis: fc.constant(axis),
        seed: fc.constant(seed),
      });
    });
    fc.assert(
      fc.property(input, ({ a, b, c, axis, seed }) => {
        checkGradient(`concat axis ${axis}`, ([x, y]) => nd.concat([x, y, x], { dim: axis }), [a, b], seed);
        checkGradient(`stack axis ${axis}`, ([x, z]) => nd.stack([x, z.square()], { axis }), [a, c], seed);
      }),
      fcParams(40),
    );
  });

  it('slicing with steps, take with repeated indices, transpose, expandDims, squeeze, flatten', () => {
    const input = shapeAndAxis.chain(({ shape, axis, seed }) =>
      fc.record({
        a: values(shape),
        axis: fc.constant(axis),
        seed: fc.constant(seed),
        indices: fc.array(fc.nat(shape[(axis + shape.length) % shape.length] - 1), {
          minLength: 1,
          maxLength: 5,
        }),
        step: fc.constantFrom(1, 2, -1),
      }),
    );
    fc.assert(
      fc.property(input, ({ a, axis, seed, indices, step }) => {
        const index = a.shape
          .map((_, i) => (i === (axis + a.shape.length) % a.shape.length ? `::${step}` : ':'))
          .join(',');
        checkGradient(`get [${index}]`, ([x]) => nd.get(x, index), [a], seed);
        const idx = nd.array(indices);
        checkGradient(`take [${indices}] axis ${axis}`, ([x]) => nd.take(x, idx, { axis }), [a], seed);
        checkGradient('transpose', ([x]) => x.transpose(), [a], seed);
        checkGradient(`expandDims ${axis}`, ([x]) => nd.squeeze(nd.expandDims(x, axis)), [a], seed);
        checkGradient('flatten', ([x]) => nd.flatten(x), [a], seed);
      }),
      fcParams(40),
    );
  });

  it('max, min, prod, norm and logSumExp over random axes', () => {
    const input = shapeAndAxis.chain(({ shape, axis, seed }) =>
      fc.record({
        distinctValues: distinct(shape),
        positive: values(shape, 0.5, 1.5),
        a: values(shape),
        axis: fc.constant(axis),
        keepdims: fc.boolean(),
        seed: fc.constant(seed),
      }),
    );
    fc.assert(
      fc.property(input, ({ distinctValues, positive, a, axis, keepdims, seed }) => {
        const o = { axis, keepdims };
        checkGradient(`max axis ${axis}`, ([x]) => x.max(o), [distinctValues], seed);
        checkGradient(`min axis ${axis}`, ([x]) => x.min(o), [distinctValues], seed);
        checkGradient(`prod axis ${axis}`, ([x]) => nd.prod(x, o), [positive], seed);
        checkGradient(`norm ord 2 axis ${axis}`, ([x]) => nd.norm(x, o), [positive], seed);
        checkGradient(`norm ord 1 axis ${axis}`, ([x]) => nd.norm(x, { ...o, ord: 1 }), [positive], seed);
        checkGradient(`logSumExp axis ${axis}`, ([x]) => nd.logSumExp(x, o), [a], seed);
      }),
      fcParams(40),
    );
  });

  it('where (fixed condition) and clip (away from the bounds)', () => {
    const input = nonEmptyShape(1, 3, 3).chain((s) =>
      fc.record({
        a: values(s),
        b: values(s),
        cond: fc.array(fc.boolean(), { minLength: ref.sizeOfShape(s), maxLength: ref.sizeOfShape(s) }),
        seed: fc.nat(1000),
      }),
    );
    fc.assert(
      fc.property(input, ({ a, b, cond, seed }) => {
        const c = nd.fromTypedArray(Float64Array.from(cond.map(Number)), a.shape);
        checkGradient('where', ([x, y]) => nd.where(c, x, y.exp()), [a, b], seed);
        const away = {
          shape: a.shape,
          data: a.data.map((v) => (Math.abs(Math.abs(v) - 1) < 0.01 ? v + 0.05 : v)),
        };
        checkGradient('clip(-1, 1)', ([x]) => nd.clip(x, -1, 1), [away], seed);
      }),
      fcParams(40),
    );
  });
});
