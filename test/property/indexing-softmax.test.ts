/**
 * Property tests for the ops a classifier leans on: `pick` (random axis, clip and wrap modes with
 * out-of-range indices, keepdims), `softmax`/`logSoftmax`/`logSumExp` against a float64 reference
 * even for logits shifted by +-1000 (finite, rows summing to 1, shift-invariant), and basic slicing
 * (`nd.get` with Python slice strings, negative starts and steps) against Python's slice rules.
 */
import { autograd, type NDArray, nd } from '@minimx/ndarray';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectClose, fcParams, nonEmptyShape, refArray, shape } from './arbitraries.js';
import * as ref from './reference.js';

const f32 = (r: ref.RefArray): NDArray => nd.fromTypedArray(Float32Array.from(r.data), r.shape);
const f64 = (r: ref.RefArray): NDArray => nd.fromTypedArray(Float64Array.from(r.data), r.shape);

describe('pick', () => {
  it('matches the reference for random axes, clip/wrap modes, out-of-range indices and keepdims', () => {
    const input = fc
      .tuple(
        nonEmptyShape(1, 3),
        fc.nat(),
        fc.constantFrom<'clip' | 'wrap'>('clip', 'wrap'),
        fc.boolean(),
        fc.boolean(),
      )
      .chain(([s, axisSeed, mode, keepdims, negative]) => {
        const axis = axisSeed % s.length;
        const n = s[axis];
        const indexShape = s.filter((_, i) => i !== axis);
        return fc.record({
          a: refArray(s),
          index: refArray(indexShape, fc.integer({ min: -n - 2, max: 2 * n + 1 })),
          axis: fc.constant(negative ? axis - s.length : axis),
          mode: fc.constant(mode),
          keepdims: fc.constant(keepdims),
          intIndex: fc.boolean(),
        });
      });
    fc.assert(
      fc.property(input, ({ a, index, axis, mode, keepdims, intIndex }) => {
        const ax = axis < 0 ? axis + a.shape.length : axis;
        const n = a.shape[ax];
        const idx = intIndex ? nd.fromTypedArray(Int32Array.from(index.data), index.shape) : f32(index);
        const out = nd.pick(f32(a), idx, { axis, mode, keepdims });
        const resolve = (i: number) =>
          mode === 'clip' ? Math.min(Math.max(i, 0), n - 1) : ((i % n) + n) % n;
        const keptShape = a.shape.map((d, i) => (i === ax ? 1 : d));
        const data: number[] = [];
        for (const outIndex of ref.multiIndices(keptShape)) {
          const k = resolve(
            ref.at(
              index,
              outIndex.filter((_, i) => i !== ax),
            ),
          );
          const src = outIndex.slice();
          src[ax] = k;
          data.push(ref.at(a, src));
        }
        const dropped = a.shape.filter((_, i) => i !== ax);
        const expected = { shape: keepdims ? keptShape : dropped.length ? dropped : [1], data };
        expectClose(out, expected, `pick (${a.shape}) axis ${axis} ${mode} keepdims ${keepdims}`, 0);
      }),
      fcParams(200),
    );
  });
});

describe('pick gradient', () => {
  it('sends each output gradient to the picked element and zero elsewhere (1-D data too)', () => {
    const input = nonEmptyShape(1, 3).chain((s) => {
      const n = s[s.length - 1];
      const rest = s.slice(0, -1);
      return fc.record({
        a: refArray(s),
        index: refArray(rest, fc.integer({ min: 0, max: n - 1 })),
        w: refArray(rest.length ? rest : [1]),
      });
    });
    fc.assert(
      fc.property(input, ({ a, index, w }) => {
        const x = f64(a);
        x.attachGrad();
        const idx = nd.fromTypedArray(Float64Array.from(index.data), index.shape);
        autograd.record(() => nd.pick(x, idx).mul(f64(w)).sum()).backward();
        const n = a.shape[a.shape.length - 1];
        const expected = new Array<number>(a.data.length).fill(0);
        index.data.forEach((k, row) => {
          expected[row * n + k] = w.data[row];
        });
        expectClose(x.grad!, { shape: a.shape, data: expected }, `d pick (${a.shape})`, 0);
      }),
      fcParams(100),
    );
  });
});

describe('softmax, logSoftmax and logSumExp', () => {
  const logits = fc
    .tuple(nonEmptyShape(1, 3, 5), fc.constantFrom(0, 1000, -1000, 80, 1e6, -1e6, 1e16, -1e16, 1e30))
    .chain(([s, shift]) =>
      fc.record({
        x: refArray(
          s,
          fc.double({ min: -20, max: 20, noNaN: true }).map((v) => v + shift),
        ),
        axis: fc.integer({ min: -s.length, max: s.length - 1 }),
        shift: fc.constant(shift),
      }),
    );

  /** Stable float64 reference of log-softmax along one axis. */
  function refLogSoftmax(x: ref.RefArray, axis: number): ref.RefArray {
    const m = ref.reduce(x, 'max', axis, true);
    const shifted = ref.binary(x, m, (a, b) => a - b);
    const lse = ref.unary(ref.reduce(ref.unary(shifted, Math.exp), 'sum', axis, true), Math.log);
    return ref.binary(shifted, lse, (a, b) => a - b);
  }

  it('match a stable float64 reference, stay finite for logits near +-1000, +-1e6, +-1e16 and 1e30, and softmax rows sum to 1', () => {
    fc.assert(
      fc.property(logits, ({ x, axis }) => {
        const what = `(${x.shape}) axis ${axis}`;
        const expectedLog = refLogSoftmax(x, axis);
        const logP = nd.logSoftmax(f64(x), { axis });
        expectClose(logP, expectedLog, `logSoftmax ${what}`, 1e-9);
        const p = nd.softmax(f32(x), { axis });
        expect(Array.from(p.data).every(Number.isFinite), `softmax finite ${what}`).toBe(true);
        // Against the float32-rounded logits: beyond ~1e7 rounding to float32 changes them by more than 1.
        const expectedLog32 = refLogSoftmax(ref.unary(x, Math.fround), axis);
        expectClose(p, ref.unary(expectedLog32, Math.exp), `softmax ${what}`, 2e-5);
        expectClose(nd.logSoftmax(f32(x), { axis }), expectedLog32, `logSoftmax float32 ${what}`, 2e-5);
        const rowSums = p.sum({ axis });
        for (const v of rowSums.data) expect(Math.abs(v - 1)).toBeLessThan(1e-5);
        const lse = nd.logSumExp(f64(x), { axis, keepdims: true });
        const m = ref.reduce(x, 'max', axis, true);
        const expectedLse = ref.binary(
          ref.binary(x, expectedLog, (a, b) => a - b),
          m,
          (v) => v,
        );
        expectClose(lse, ref.reduce(expectedLse, 'max', axis, true), `logSumExp ${what}`, 1e-9);
      }),
      fcParams(200),
    );
  });
});

describe('basic slicing', () => {
  const slicing = shape(1, 3, 5).chain((s) =>
    fc.record({
      a: refArray(s),
      parts: fc.tuple(
        ...s.map((n) =>
          fc.record({
            start: fc.option(fc.integer({ min: -n - 1, max: n + 1 }), { nil: null }),
            stop: fc.option(fc.integer({ min: -n - 1, max: n + 1 }), { nil: null }),
            step: fc.option(fc.constantFrom(1, 2, 3, -1, -2), { nil: null }),
          }),
        ),
      ),
    }),
  );

  it('nd.get with Python slice strings (negative starts, stops and steps) follows Python', () => {
    fc.assert(
      fc.property(slicing, ({ a, parts }) => {
        const text = parts
          .map((p) => `${p.start ?? ''}:${p.stop ?? ''}${p.step === null ? '' : `:${p.step}`}`)
          .join(', ');
        const positions = parts.map((p, ax) => ref.slicePositions(a.shape[ax], p.start, p.stop, p.step));
        const out = nd.get(f32(a), text);
        expectClose(out, ref.takeBox(a, positions), `(${a.shape})[${text}]`, 0);
      }),
      fcParams(300),
    );
  });
});
