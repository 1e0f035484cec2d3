/**
 * Property tests: autograd against central differences. Random expression trees of
 * differentiable ops (unary, broadcasting binary, keepdims reductions, reshape, broadcastTo)
 * over 1-3 float64 inputs of random broadcast-compatible shapes, kept away from kinks and from
 * log/sqrt of negatives (log and sqrt only see `square + 1`); a variable used in several places
 * accumulates every path. Also: dot/batchDot with random transposes, softmax and logSoftmax
 * along random axes, and `gradReq: 'add'` doubling over two backward passes.
 */
import { autograd, type NDArray, nd } from '@minimx/ndarray';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fcParams } from './arbitraries.js';
import * as ref from './reference.js';

type Unary =
  | 'neg'
  | 'expTanh'
  | 'tanh'
  | 'sigmoid'
  | 'square'
  | 'softrelu'
  | 'logSq1'
  | 'sqrtSq1'
  | 'recipSq1';
type Binary = 'add' | 'sub' | 'mul' | 'divSq1' | 'powSq1';
type Expr =
  | { kind: 'input'; index: number }
  | { kind: 'unary'; op: Unary; arg: Expr }
  | { kind: 'binary'; op: Binary; left: Expr; right: Expr }
  | { kind: 'reduce'; op: 'sum' | 'mean'; axesMask: number; arg: Expr }
  | { kind: 'reshapeRoundTrip'; arg: Expr }
  | { kind: 'broadcastToOut'; arg: Expr };

const unaries: Unary[] = [
  'neg',
  'expTanh',
  'tanh',
  'sigmoid',
  'square',
  'softrelu',
  'logSq1',
  'sqrtSq1',
  'recipSq1',
];
const binaries: Binary[] = ['add', 'sub', 'mul', 'divSq1', 'powSq1'];

const { expr } = fc.letrec<{ expr: Expr; leaf: Expr; node: Expr }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'medium', maxDepth: 6, withCrossShrink: true },
    { arbitrary: tie('leaf'), weight: 1 },
    { arbitrary: tie('node'), weight: 3 },
  ),
  leaf: fc.nat(2).map((index): Expr => ({ kind: 'input', index })),
  node: fc.oneof(
    fc.record({ kind: fc.constant('unary' as const), op: fc.constantFrom(...unaries), arg: tie('expr') }),
    fc.record({
      kind: fc.constant('binary' as const),
      op: fc.constantFrom(...binaries),
      left: tie('expr'),
      right: tie('expr'),
    }),
    fc.record({
      kind: fc.constant('reduce' as const),
      op: fc.constantFrom('sum' as const, 'mean' as const),
      axesMask: fc.nat(15),
      arg: tie('expr'),
    }),
    fc.record({ kind: fc.constant('reshapeRoundTrip' as const), arg: tie('expr') }),
    fc.record({ kind: fc.constant('broadcastToOut' as const), arg: tie('expr') }),
  ),
}));

/** Evaluates `e` with ops only (recorded when called inside autograd.record). */
function evaluate(e: Expr, inputs: NDArray[], outShape: number[]): NDArray {
  switch (e.kind) {
    case 'input':
      return inputs[e.index % inputs.length];
    case 'unary': {
      const x = evaluate(e.arg, inputs, outShape);
      const sq1 = () => x.square().add(1);
      switch (e.op) {
        case 'neg':
          return x.neg();
        case 'expTanh':
          return x.tanh().exp();
        case 'tanh':
          return x.tanh();
        case 'sigmoid':
          return x.sigmoid();
        case 'square':
          return x.square();
        case 'softrelu':
          return nd.softrelu(x);
        case 'logSq1':
          return sq1().log();
        case 'sqrtSq1':
          return sq1().sqrt();
        case 'recipSq1':
          return nd.reciprocal(sq1());
      }
      break;
    }
    case 'binary': {
      const a = evaluate(e.left, inputs, outShape);
      const b = evaluate(e.right, inputs, outShape);
      switch (e.op) {
        case 'add':
          return a.add(b);
        case 'sub':
          return a.sub(b);
        case 'mul':
          return a.mul(b);
        case 'divSq1':
          return a.div(b.square().add(1));
        case 'powSq1':
          return a.square().add(1).pow(b.tanh());
      }
      break;
    }
    case 'reduce': {
      const x = evaluate(e.arg, inputs, outShape);
      const axes = x.shape.flatMap((_, i) => ((e.axesMask >> i) & 1 ? [i - (i % 2) * x.ndim] : []));
      return axes.length === 0 ? x : x[e.op]({ axis: axes, keepdims: true });
    }
    case 'reshapeRoundTrip': {
      const x = evaluate(e.arg, inputs, outShape);
      return x.reshape(-1).reshape(x.shape);
    }
    case 'broadcastToOut': {
      const x = evaluate(e.arg, inputs, outShape);
      return nd.broadcastTo(x, ref.broadcastShape(x.shape, outShape)!);
    }
  }
  throw new Error('unreachable');
}

/** Inputs whose shapes broadcast to one output shape (no 0-sized axes), float64 values in [-1.5, 1.5]. */
const problem = fc
  .tuple(
    fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 0, maxLength: 3 }),
    fc.integer({ min: 1, max: 3 }),
  )
  .chain(([out, count]) => {
    const inputShape = fc
      .tuple(
        fc.integer({ min: 0, max: out.length }),
        fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }),
      )
      .map(([drop, squash]) => out.slice(drop).map((d, i) => (squash[i + drop] ? 1 : d)));
    const values = (n: number) =>
      fc.array(fc.double({ min: -1.5, max: 1.5, noNaN: true }), { minLength: n, maxLength: n });
    return fc.record({
      out: fc.constant(out),
      inputs: fc.array(
        inputShape.chain((s) => values(ref.sizeOfShape(s)).map((data) => ({ shape: s, data }))),
        { minLength: count, maxLength: count },
      ),
      weights: values(ref.sizeOfShape(out)),
      expr,
    });
  });

/** Central differences of `f` at every element of every input, in float64. */
function numericGradients(f: (xs: NDArray[]) => number, values: ref.RefArray[], h = 1e-5): number[][] {
  return values.map((v, k) =>
    v.data.map((_, i) => {
      const at = (delta: number) =>
        f(
          values.map((w, j) => {
            const data = Float64Array.from(w.data);
            if (j === k) data[i] += delta;
            return nd.fromTypedArray(data, w.shape);
          }),
        );
      return (at(h) - at(-h)) / (2 * h);
    }),
  );
}

function expectGradientsClose(analytic: NDArray[], numeric: number[][], what: string, tol = 1e-5) {
  analytic.forEach((g, k) => {
    numeric[k].forEach((n, i) => {
      const a = g.data[i];
      if (!(Math.abs(a - n) <= tol * (1 + Math.abs(n)))) {
        throw new Error(`${what}: d/d input${k}[${i}] is ${a} by autograd, ${n} by central differences`);
      }
    });
  });
}

describe('autograd agrees with central differences', () => {
  it('on random composite expressions over 1-3 broadcast inputs', () => {
    fc.assert(
      fc.property(problem, ({ out, inputs, weights, expr: e }) => {
        const w = nd.fromTypedArray(Float64Array.from(weights), out);
        const loss = (xs: NDArray[]) => evaluate(e, xs, out).mul(w).sum();
        const xs = inputs.map((v) => nd.fromTypedArray(Float64Array.from(v.data), v.shape));
        for (const x of xs) x.attachGrad();
        const l = autograd.record(() => loss(xs));
        l.backward();
        const numeric = numericGradients((ys) => loss(ys).asScalar(), inputs);
        expectGradientsClose(
          xs.map((x) => x.grad!),
          numeric,
          JSON.stringify(e),
        );
      }),
      fcParams(150),
    );
  });

  it("gradReq 'add' accumulates: two backward passes give twice the gradient", () => {
    fc.assert(
      fc.property(problem, ({ out, inputs, weights, expr: e }) => {
        const w = nd.fromTypedArray(Float64Array.from(weights), out);
        const make = () => inputs.map((v) => nd.fromTypedArray(Float64Array.from(v.data), v.shape));
        const once = make();
        const twice = make();
        for (const x of once) x.attachGrad();
        for (const x of twice) x.attachGrad({ gradReq: 'add' });
        autograd.record(() => evaluate(e, once, out).mul(w).sum()).backward();
        for (let r = 0; r < 2; r++) autograd.record(() => evaluate(e, twice, out).mul(w).sum()).backward();
        once.forEach((x, k) => {
          const g1 = Array.from(x.grad!.data);
          const g2 = Array.from(twice[k].grad!.data);
          g1.forEach((v, i) => {
            expect(Math.abs(g2[i] - 2 * v)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(v)));
          });
        });
      }),
      fcParams(50),
    );
  });

  it('on dot with random transposes, and batchDot', () => {
    const dims = fc.integer({ min: 1, max: 4 });
    const input = fc
      .tuple(dims, dims, dims, dims, fc.boolean(), fc.boolean(), fc.boolean())
      .chain(([batch, m, k, n, ta, tb, batched]) => {
        const shapeA = ta ? [k, m] : [m, k];
        const shapeB = tb ? [n, k] : [k, n];
        const sa = batched ? [batch, ...shapeA] : shapeA;
        const sb = batched ? [batch, ...shapeB] : shapeB;
        const v = (s: number[]) =>
          fc
            .array(fc.double({ min: -2, max: 2, noNaN: true }), {
              minLength: ref.sizeOfShape(s),
              maxLength: ref.sizeOfShape(s),
            })
            .map((data) => ({ shape: s, data }));
        return fc.record({
          a: v(sa),
          b: v(sb),
          ta: fc.constant(ta),
          tb: fc.constant(tb),
          batched: fc.constant(batched),
        });
      });
    fc.assert(
      fc.property(input, ({ a, b, ta, tb, batched }) => {
        const options = { transposeA: ta, transposeB: tb };
        const f = ([x, y]: NDArray[]) => {
          const p = batched ? nd.batchDot(x, y, options) : nd.dot(x, y, options);
          return p.mul(p).sum();
        };
        const xs = [a, b].map((v) => nd.fromTypedArray(Float64Array.from(v.data), v.shape));
        for (const x of xs) x.attachGrad();
        autograd.record(() => f(xs)).backward();
        const numeric = numericGradients((ys) => f(ys).asScalar(), [a, b]);
        expectGradientsClose(
          xs.map((x) => x.grad!),
          numeric,
          `${batched ? 'batchDot' : 'dot'} (${a.shape}) x (${b.shape}) transposeA ${ta} transposeB ${tb}`,
        );
      }),
      fcParams(100),
    );
  });

  it('on softmax and logSoftmax along random axes', () => {
    const input = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }).chain((s) =>
      fc.record({
        x: fc
          .array(fc.double({ min: -3, max: 3, noNaN: true }), {
            minLength: ref.sizeOfShape(s),
            maxLength: ref.sizeOfShape(s),
          })
          .map((data) => ({ shape: s, data })),
        w: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), {
          minLength: ref.sizeOfShape(s),
          maxLength: ref.sizeOfShape(s),
        }),
        axis: fc.integer({ min: -s.length, max: s.length - 1 }),
        log: fc.boolean(),
      }),
    );
    fc.assert(
      fc.property(input, ({ x, w, axis, log }) => {
        const op = log ? nd.logSoftmax : nd.softmax;
        const weights = nd.fromTypedArray(Float64Array.from(w), x.shape);
        const f = ([v]: NDArray[]) => op(v, { axis }).mul(weights).sum();
        const variable = nd.fromTypedArray(Float64Array.from(x.data), x.shape);
        variable.attachGrad();
        autograd.record(() => f([variable])).backward();
        expectGradientsClose(
          [variable.grad!],
          numericGradients((ys) => f(ys).asScalar(), [x]),
          `${log ? 'logSoftmax' : 'softmax'} axis ${axis}`,
        );
      }),
      fcParams(100),
    );
  });
});
