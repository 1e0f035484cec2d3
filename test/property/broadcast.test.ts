/**
 * Property tests: every broadcasting binary op of the array core against the reference, over
 * random shape pairs (rank 0..4, 0- and 1-sized axes), dtypes float32/float64/int32, array and
 * number operands; incompatible shapes fail with an error naming the op and both shapes.
 */
import { type NDArray, nd } from '@minimx/ndarray';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { broadcastPair, expectClose, fcParams, refArray, shape, toRef, value } from './arbitraries.js';
import * as ref from './reference.js';

type DType = 'float32' | 'float64' | 'int32';
const rank: Record<DType, number> = { int32: 1, float32: 2, float64: 3 };

const ops = {
  add: { fn: nd.add, ref: (a: number, b: number) => a + b },
  subtract: { fn: nd.subtract, ref: (a: number, b: number) => a - b },
  multiply: { fn: nd.multiply, ref: (a: number, b: number) => a * b },
  divide: { fn: nd.divide, ref: (a: number, b: number) => a / b },
  power: { fn: nd.power, ref: Math.pow },
  maximum: { fn: nd.maximum, ref: (a: number, b: number) => Math.max(a, b) },
  minimum: { fn: nd.minimum, ref: (a: number, b: number) => Math.min(a, b) },
  equal: { fn: nd.equal, ref: (a: number, b: number) => Number(a === b) },
  notEqual: { fn: nd.notEqual, ref: (a: number, b: number) => Number(a !== b) },
  greater: { fn: nd.greater, ref: (a: number, b: number) => Number(a > b) },
  greaterEqual: { fn: nd.greaterEqual, ref: (a: number, b: number) => Number(a >= b) },
  less: { fn: nd.less, ref: (a: number, b: number) => Number(a < b) },
  lessEqual: { fn: nd.lessEqual, ref: (a: number, b: number) => Number(a <= b) },
} as const;
type OpName = keyof typeof ops;
const comparisons = new Set<OpName>(['equal', 'notEqual', 'greater', 'greaterEqual', 'less', 'lessEqual']);

/** The dtype MXNet-style promotion gives `a op b`. */
function resultDType(op: OpName, a: DType, b: DType): DType {
  if (comparisons.has(op)) return 'float32';
  const wider = rank[a] >= rank[b] ? a : b;
  return op === 'divide' && wider === 'int32' ? 'float32' : wider;
}

/** Rounds a float64 reference value the way storing it in `dtype` does. */
function castTo(dtype: DType, v: number): number {
  if (dtype === 'float32') return Math.fround(v);
  if (dtype === 'int32') return v | 0;
  return v;
}

function makeArray(r: ref.RefArray, dtype: DType): NDArray {
  const Typed = { float32: Float32Array, float64: Float64Array, int32: Int32Array }[dtype];
  return nd.fromTypedArray(Typed.from(r.data), r.shape);
}

const dtype = fc.constantFrom<DType>('float32', 'float64', 'int32');
const opName = fc.constantFrom(...(Object.keys(ops) as OpName[]));

describe('broadcasting binary ops agree with the reference', () => {
  it('array op array, every op, every dtype pair, random broadcast-compatible shapes', () => {
    const input = fc.tuple(broadcastPair(), opName, dtype, dtype).chain(([[sa, sb], op, da, db]) =>
      fc.record({
        a: refArray(sa),
        b: refArray(sb),
        op: fc.constant(op),
        da: fc.constant(da),
        db: fc.constant(db),
      }),
    );
    fc.assert(
      fc.property(input, ({ a, b, op, da, db }) => {
        const x = makeArray(a, da);
        const y = makeArray(b, db);
        const out = ops[op].fn(x, y);
        const outType = resultDType(op, da, db);
        expect(out.dtype).toBe(outType);
        const expected = ref.unary(ref.binary(toRef(x), toRef(y), ops[op].ref), (v) => castTo(outType, v));
        expectClose(out, expected, `${op}(${da} (${a.shape}), ${db} (${b.shape}))`);
      }),
      fcParams(300),
    );
  });

  it('array op number and number op array broadcast the number as a 0-d array of the array dtype', () => {
    const input = fc
      .tuple(shape(), opName, dtype, value, fc.boolean())
      .chain(([s, op, d, scalar, numberFirst]) =>
        fc.record({
          a: refArray(s),
          op: fc.constant(op),
          d: fc.constant(d),
          scalar: fc.constant(scalar),
          numberFirst: fc.constant(numberFirst),
        }),
      );
    fc.assert(
      fc.property(input, ({ a, op, d, scalar, numberFirst }) => {
        const x = makeArray(a, d);
        const out = numberFirst ? ops[op].fn(scalar, x) : ops[op].fn(x, scalar);
        const outType = resultDType(op, d, d);
        expect(out.dtype).toBe(outType);
        const s = { shape: [], data: [castTo(d, scalar)] };
        const [l, r] = numberFirst ? [s, toRef(x)] : [toRef(x), s];
        const expected = ref.unary(ref.binary(l, r, ops[op].ref), (v) => castTo(outType, v));
        expectClose(out, expected, `${op} with the number ${scalar} ${numberFirst ? 'first' : 'second'}`);
      }),
      fcParams(200),
    );
  });

  it('incompatible shapes throw an error naming the op and both shapes', () => {
    const incompatible = fc
      .tuple(shape(1, 4), fc.integer({ min: 2, max: 4 }), fc.integer({ min: 2, max: 4 }), fc.nat(3))
      .filter(([, p, q]) => p !== q)
      .map(([s, p, q, where]) => {
        const i = where % s.length;
        const a = s.slice();
        const b = s.slice();
        a[i] = p;
        b[i] = q;
        return [a, b] as const;
      });
    fc.assert(
      fc.property(incompatible, opName, ([sa, sb], op) => {
        const fmt = (s: readonly number[]) => (s.length === 1 ? `(${s[0]},)` : `(${s.join(',')})`);
        const call = () => ops[op].fn(nd.zeros(sa), nd.zeros(sb));
        expect(call).toThrow(`${fmt(sa)} and ${fmt(sb)} cannot be broadcast`);
        expect(call).toThrow(/^\w+: /);
      }),
      fcParams(100),
    );
  });

  it('broadcastTo agrees with broadcasting against zeros, and the un-broadcast gradient sums', () => {
    fc.assert(
      fc.property(
        broadcastPair().chain(([sa, sb]) => {
          const target = ref.broadcastShape(sa, sb)!;
          return fc.record({ a: refArray(sa), target: fc.constant(target) });
        }),
        ({ a, target }) => {
          const x = makeArray(a, 'float64');
          const out = nd.broadcastTo(x, target);
          expectClose(
            out,
            ref.binary(a, { shape: target, data: new Array(ref.sizeOfShape(target)).fill(0) }, (p) => p),
            'broadcastTo',
          );
        },
      ),
      fcParams(150),
    );
  });
});
