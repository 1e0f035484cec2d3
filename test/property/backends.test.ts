/**
 * Property tests run under every registered backend (the reference `cpu` and the WebAssembly
 * `wasm` one, which replaces matmul): dot and batchDot in float32 and float64, with transposes and
 * sizes that straddle the tiles of a blocked kernel (0 to 37 along each axis) or are large enough
 * for its worker threads (60 to 160), against the plain triple loop of the reference; and a broadcasting op and a reduction as a smoke check that the
 * switch did not disturb the rest. Values are multiples of 1/4, so float32 sums are exact.
 */
import { getBackend, listBackends, type NDArray, nd, setBackend } from '@minimx/ndarray';
import fc from 'fast-check';
import { afterAll, describe, it } from 'vitest';
import { expectClose, fcParams, refArray } from './arbitraries.js';
import * as ref from './reference.js';

const initial = getBackend();
afterAll(() => setBackend(initial));

const size = fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 6, max: 37 }));
const Typed = { float32: Float32Array, float64: Float64Array };
const make = (r: ref.RefArray, dtype: 'float32' | 'float64'): NDArray =>
  nd.fromTypedArray(Typed[dtype].from(r.data), r.shape);

const matmulCase = fc
  .tuple(
    size,
    size,
    size,
    fc.integer({ min: 1, max: 3 }),
    fc.boolean(),
    fc.boolean(),
    fc.boolean(),
    fc.constantFrom<'float32' | 'float64'>('float32', 'float64'),
  )
  .chain(([m, k, n, batch, ta, tb, batched, dtype]) => {
    const sa = [...(batched ? [batch] : []), ...(ta ? [k, m] : [m, k])];
    const sb = [...(batched ? [batch] : []), ...(tb ? [n, k] : [k, n])];
    return fc.record({
      a: refArray(sa),
      b: refArray(sb),
      ta: fc.constant(ta),
      tb: fc.constant(tb),
      batched: fc.constant(batched),
      dtype: fc.constant(dtype),
    });
  });

for (const backend of listBackends()) {
  describe(`backend '${backend}'`, () => {
    it('dot and batchDot with random transposes and sizes match the reference exactly', () => {
      setBackend(backend);
      fc.assert(
        fc.property(matmulCase, ({ a, b, ta, tb, batched, dtype }) => {
          const options = { transposeA: ta, transposeB: tb };
          const x = make(a, dtype);
          const y = make(b, dtype);
          const out = batched ? nd.batchDot(x, y, options) : nd.dot(x, y, options);
          expectClose(
            out,
            ref.matmul(a, b, ta, tb),
            `${backend} ${batched ? 'batchDot' : 'dot'} ${dtype} (${a.shape}) x (${b.shape}) tA ${ta} tB ${tb}`,
            0,
          );
        }),
        fcParams(150),
      );
    });

    it('large products (the threaded path of a backend, above 2e6 flops) match the reference exactly', () => {
      setBackend(backend);
      const big = fc
        .tuple(
          fc.integer({ min: 60, max: 160 }),
          fc.integer({ min: 60, max: 160 }),
          fc.integer({ min: 60, max: 160 }),
          fc.integer({ min: 1, max: 2 }),
          fc.boolean(),
          fc.boolean(),
        )
        .chain(([m, k, n, batch, ta, tb]) =>
          fc.record({
            a: refArray([batch, ...(ta ? [k, m] : [m, k])]),
            b: refArray([batch, ...(tb ? [n, k] : [k, n])]),
            ta: fc.constant(ta),
            tb: fc.constant(tb),
          }),
        );
      fc.assert(
        fc.property(big, ({ a, b, ta, tb }) => {
          const out = nd.batchDot(make(a, 'float32'), make(b, 'float32'), { transposeA: ta, transposeB: tb });
          expectClose(
            out,
            ref.matmul(a, b, ta, tb),
            `${backend} batchDot (${a.shape}) x (${b.shape}) tA ${ta} tB ${tb}`,
            0,
          );
        }),
        fcParams(6, 40),
      );
    });

    it('broadcasting multiply and sum over axis 1 still match the reference', () => {
      setBackend(backend);
      const input = fc
        .tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }))
        .chain(([p, q]) => fc.record({ a: refArray([p, q]), b: refArray([q]) }));
      fc.assert(
        fc.property(input, ({ a, b }) => {
          const out = make(a, 'float32').mul(make(b, 'float32')).sum({ axis: 1 });
          expectClose(
            out,
            ref.reduce(
              ref.binary(a, b, (u, v) => u * v),
              'sum',
              1,
              false,
            ),
            `${backend} mul+sum`,
            0,
          );
        }),
        fcParams(50),
      );
    });
  });
}
