// Tests of nd.fullyConnected, the fused act(x · wᵀ + b) primitive: values (PyTorch), bit for bit
// the separate dot, add and activation forward and backward (above and below the element-wise
// kernels' WebAssembly threshold), flatten, numerical gradients, second-order gradients, errors.
import { describe, expect, it } from 'vitest';
import { autograd, type NDArray, nd, testing } from '../index.js';

const { assertAllClose, checkGradient } = testing;
type Act = 'relu' | 'sigmoid' | null;

/** The unfused form: dot, add, activation. */
function composite(x: NDArray, w: NDArray, b: NDArray | null, act: Act): NDArray {
  let out = nd.dot(x, w, { transposeB: true });
  if (b) out = out.add(b);
  return act === 'relu' ? out.relu() : act === 'sigmoid' ? out.sigmoid() : out;
}

/** Output and gradients of x, w and b under a random head gradient, as plain numbers. */
function run(
  f: (x: NDArray, w: NDArray, b: NDArray | null) => NDArray,
  x: NDArray,
  w: NDArray,
  b: NDArray | null,
  head: NDArray,
) {
  const vars = [x, w, ...(b ? [b] : [])].map((v) => v.copy());
  for (const v of vars) v.attachGrad();
  const y = autograd.record(() => f(vars[0], vars[1], vars[2] ?? null));
  y.backward(head);
  return [y, ...vars.map((v) => v.grad!)].map((a) => Array.from(a.data));
}

describe('fullyConnected', () => {
  const x = nd.array([
    [1, -2, 0.5],
    [0.25, 3, -1],
  ]);
  const w = nd.array([
    [0.1, 0.2, -0.3],
    [-0.5, 0.4, 0.6],
    [1, -1, 0.5],
    [0, 0.3, -0.2],
  ]);
  const b = nd.array([0.05, -0.1, 0.2, -0.3]);

  it('matches PyTorch', () => {
    // torch.nn.functional.linear(x, w, b) in float64, then torch.relu / torch.sigmoid
    assertAllClose(
      nd.fullyConnected(x, w, b),
      [
        [-0.4, -1.1, 3.45, -1.0],
        [0.975, 0.375, -3.05, 0.8],
      ],
      { rtol: 1e-6 },
    );
    assertAllClose(
      nd.fullyConnected(x, w, b, { actType: 'relu' }),
      [
        [0, 0, 3.45, 0],
        [0.975, 0.375, 0, 0.8],
      ],
      { rtol: 1e-6 },
    );
    assertAllClose(
      nd.fullyConnected(x, w, b, { actType: 'sigmoid' }),
      [
        [0.401312339887548, 0.24973989440488234, 0.969231140642852, 0.2689414213699951],
        [0.7261149812607791, 0.5926665999540699, 0.045217473483287494, 0.6899744811276125],
      ],
      { rtol: 1e-6 },
    );
  });

  it('equals dot, add and the activation bit for bit, forward and backward', () => {
    // (3,5)·(4,5)ᵀ has 12 outputs (reference loops), (64,20)·(8,20)ᵀ 512 (WebAssembly on that backend).
    for (const [rows, inUnits, units] of [
      [3, 5, 4],
      [64, 20, 8],
      [40, 30, 16],
    ]) {
      const xs = nd.random.normal({ shape: [rows, inUnits] });
      const ws = nd.random.normal({ shape: [units, inUnits] }).mul(0.5);
      const bs = nd.random.normal({ shape: [units] });
      const head = nd.random.normal({ shape: [rows, units] });
      for (const act of ['relu', 'sigmoid', null] as const) {
        for (const bias of [bs, null]) {
          const fused = run((a, c, d) => nd.fullyConnected(a, c, d, { actType: act }), xs, ws, bias, head);
          const separate = run((a, c, d) => composite(a, c, d, act), xs, ws, bias, head);
          expect(fused).toEqual(separate);
        }
      }
    }
  });

  it("writes a sole-use weight's gradient into its buffer, and sums or adds it otherwise", () => {
    // backward offers the weight's own gradient buffer when the weight is used once: the buffer
    // object stays the same and holds what dot + add give. Used twice, or with gradReq 'add', the
    // gradients are summed as usual.
    const xs = nd.random.normal({ shape: [20, 30] });
    const ws = nd.random.normal({ shape: [16, 30] });
    const bs = nd.random.normal({ shape: [16] });
    const expected = run((a, c, d) => composite(a, c, d, 'relu'), xs, ws, bs, nd.ones([20, 16]));
    const wv = ws.copy();
    const bv = bs.copy();
    wv.attachGrad();
    bv.attachGrad();
    const buffer = wv.grad!;
    const view = buffer.reshape(16 * 30);
    for (let i = 0; i < 2; i++) {
      autograd.record(() => nd.fullyConnected(xs, wv, bv, { actType: 'relu' })).backward();
      expect(wv.grad).toBe(buffer);
      expect(Array.from(wv.grad!.data)).toEqual(expected[2]);
      expect(Array.from(view.data)).toEqual(expected[2]);
      expect(Array.from(bv.grad!.data)).toEqual(expected[3]);
    }
    autograd
      .record(() => nd.fullyConnected(xs, wv, bv, { actType: 'relu' }).add(nd.fullyConnected(xs, wv, null)))
      .backward();
    const twice = run(
      (a, c, d) => composite(a, c, d, 'relu').add(composite(a, c, null, null)),
      xs,
      ws,
      bs,
      nd.ones([20, 16]),
    );
    expect(Array.from(wv.grad!.data)).toEqual(twice[2]);
    const wa = ws.copy();
    wa.attachGrad({ gradReq: 'add' });
    for (let i = 0; i < 2; i++) autograd.record(() => nd.fullyConnected(xs, wa, bv)).backward();
    assertAllClose(
      wa.grad!,
      nd
        .array(run((a, c, d) => composite(a, c, d, null), xs, ws, bs, nd.ones([20, 16]))[2])
        .reshape(16, 30)
        .mul(2),
      { rtol: 1e-6 },
    );
  });

  it('flattens (batch, ...) by default, or acts on the last axis', () => {
    const x4 = nd.random.normal({ shape: [2, 3, 2, 2] });
    const w12 = nd.random.normal({ shape: [5, 12] });
    const y = nd.fullyConnected(x4, w12, nd.zeros([5]), { numHidden: 5 });
    expect(y.shape).toEqual([2, 5]);
    expect(Array.from(y.data)).toEqual(
      Array.from(composite(x4.reshape(2, 12), w12, nd.zeros([5]), null).data),
    );
    const x3 = nd.random.normal({ shape: [2, 3, 4] });
    const w4 = nd.random.normal({ shape: [6, 4] });
    const z = nd.fullyConnected(x3, w4, null, { flatten: false, actType: 'relu' });
    expect(z.shape).toEqual([2, 3, 6]);
    expect(Array.from(z.data)).toEqual(Array.from(composite(x3, w4, null, 'relu').data));
    expect(nd.fullyConnected(nd.ones([4]), nd.ones([3, 4]), null, { flatten: false }).shape).toEqual([3]);
    expect(nd.fullyConnected(x, w, b, { noBias: true }).toArray()).toEqual(nd.fullyConnected(x, w).toArray());
  });

  it('gradient matches central differences', () => {
    // Inputs away from relu's kink: x·wᵀ + b has no entry near 0 here (checked).
    const xs = nd.array([
      [1, -2, 0.5],
      [0.25, 3, -1],
      [-1.5, 0.5, 2],
    ]);
    expect(Math.min(...Array.from(composite(xs, w, b, null).abs().data))).toBeGreaterThan(0.04);
    for (const act of ['relu', 'sigmoid', null] as const) {
      checkGradient((a, c, d) => nd.fullyConnected(a, c, d, { actType: act }), [xs, w, b]);
      checkGradient((a, c) => nd.fullyConnected(a, c, null, { actType: act }), [xs, w]);
    }
    checkGradient(
      (a, c) => nd.fullyConnected(a, c, null, { flatten: false }),
      [nd.random.normal({ shape: [2, 2, 3] }), nd.random.normal({ shape: [4, 3] })],
    );
  });

  it('second-order gradients equal those of the separate ops', () => {
    const second = (f: (a: NDArray, c: NDArray, d: NDArray) => NDArray) => {
      const vars = [x, w, b].map((v) => v.astype('float64'));
      for (const v of vars) v.attachGrad();
      autograd
        .record(() => {
          const gs = autograd.grad(f(vars[0], vars[1], vars[2]).square().sum(), vars, { createGraph: true });
          return gs.reduce((acc, g) => acc.add(g.square().sum()), nd.zeros([1], { dtype: 'float64' }));
        })
        .backward();
      return vars.map((v) => v.grad!);
    };
    for (const act of ['relu', 'sigmoid', null] as const) {
      const fused = second((a, c, d) => nd.fullyConnected(a, c, d, { actType: act }));
      const separate = second((a, c, d) => composite(a, c, d, act));
      for (let i = 0; i < 3; i++) assertAllClose(fused[i], separate[i], { rtol: 1e-10, atol: 1e-12 });
    }
  });

  it('promotes a bias of another dtype as the separate add does', () => {
    const y = nd.fullyConnected(x, w, b.astype('float64'), { actType: 'relu' });
    expect(y.dtype).toBe('float64');
    assertAllClose(y, composite(x, w, b.astype('float64'), 'relu'), { rtol: 1e-12 });
  });

  it('names the op and the shapes in its errors', () => {
    expect(() => nd.fullyConnected(x, nd.zeros([4, 2]))).toThrow(
      'fullyConnected: data (2,3) has 3 input features (flattened) but weight (4,2) expects 2',
    );
    expect(() => nd.fullyConnected(x, nd.zeros([4]))).toThrow(
      'fullyConnected: weight must be 2-D (numHidden, inUnits), got shape (4,)',
    );
    expect(() => nd.fullyConnected(x, w, nd.zeros([3]))).toThrow(
      'fullyConnected: bias (3,) must have shape (4,), one per row of weight (4,3)',
    );
    expect(() => nd.fullyConnected(x, w, b, { numHidden: 5 })).toThrow(
      'fullyConnected: numHidden 5 does not match weight (4,3)',
    );
    expect(() => nd.fullyConnected(x, w, b, { actType: 'tanh' as 'relu' })).toThrow(
      "fullyConnected: actType must be 'relu' or 'sigmoid', got tanh",
    );
  });
});
