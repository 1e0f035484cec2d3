/**
 * Every primitive's gradient rule, in one table. A rule maps the output gradient `dy` to one
 * gradient per input, written with ops (never kernels), so rules work on any backend and can
 * themselves be recorded for higher-order gradients. Un-broadcasting is done by the engine.
 * The table's type lists every primitive: recording a primitive without a rule does not compile.
 */
import { type GradContext, type GradRule, state } from './engine.js';
import type { NDArray } from './ndarray.js';
import { sigmoidBackward } from './ops/activation-grad.js';
import { type BatchNormTrainAttrs, batchNormTrainGrad } from './ops/batch-norm.js';
import {
  type ConvActAttrs,
  type ConvAttrs,
  conv2d,
  conv2dBackwardData,
  conv2dBackwardFilter,
  conv2dBiasActGrads,
} from './ops/conv.js';
import { zerosLike } from './ops/creation.js';
import { sigmoid, sign, where } from './ops/elementwise.js';
import { type FullyConnectedAttrs, fullyConnectedGrads } from './ops/fully-connected.js';
import { type PickAttrs, pickAt, pickScatter, type TakeAttrs, takeAt, takeScatter } from './ops/indexing.js';
import { matmul } from './ops/linalg.js';
import { type PoolAttrs, pool2d, pool2dBackward } from './ops/pool.js';
import { broadcastTo, transpose } from './ops/shape-ops.js';
import { type Box, sliceAxis, sliceBox, sliceScatter } from './ops/slicing.js';
import { softmax } from './ops/softmax.js';
import { type SoftmaxCrossEntropyAttrs, softmaxCrossEntropyGrad } from './ops/softmax-cross-entropy.js';
import { reducedShape } from './shape.js';

/** The names of all recorded primitives. */
export type Primitive = keyof typeof gradientRules;

/** Reshapes a reduced gradient so it broadcasts against the reduction's input. */
function expandReduced(dy: NDArray, { inputs, attrs }: GradContext): NDArray {
  const x = inputs[0];
  const kept = reducedShape(x.shape, attrs.axes as number[], true);
  return dy.reshape(kept);
}

const x0 = (ctx: GradContext) => ctx.inputs[0];
const x1 = (ctx: GradContext) => ctx.inputs[1];

/** Gradient of max/min: dy flows to every element equal to the extreme value. */
const extremeGrad: GradRule = (dy, ctx) => {
  const x = x0(ctx);
  const out = expandReduced(ctx.output.detach(), ctx);
  return [x.equal(out).mul(expandReduced(dy, ctx))];
};

export const gradientRules = {
  // d(a+b) = da + db
  add: (dy) => [dy, dy],
  // d(a-b) = da - db
  sub: (dy) => [dy, dy.neg()],
  // d(a₀ + a₁ + ...) = da₀ + da₁ + ...
  addN: (dy, c) => c.inputs.map((_, i) => (c.needsGrad[i] ? dy : null)),
  // d(ab) = b da + a db
  mul: (dy, c) => [c.needsGrad[0] ? dy.mul(x1(c)) : null, c.needsGrad[1] ? dy.mul(x0(c)) : null],
  // d(a/b) = da/b - (a/b²) db
  div: (dy, c) => [
    c.needsGrad[0] ? dy.div(x1(c)) : null,
    c.needsGrad[1] ? dy.mul(c.output).div(x1(c)).neg() : null,
  ],
  // d(a^b) = b a^(b-1) da + a^b ln(a) db
  pow: (dy, c) => [
    c.needsGrad[0] ? dy.mul(x1(c)).mul(x0(c).pow(x1(c).sub(1))) : null,
    c.needsGrad[1] ? dy.mul(c.output).mul(x0(c).log()) : null,
  ],
  // d max(a,b) goes to a where a >= b, else to b
  maximum: (dy, c) => [dy.mul(x0(c).greaterEqual(x1(c))), dy.mul(x0(c).less(x1(c)))],
  // d min(a,b) goes to a where a <= b, else to b
  minimum: (dy, c) => [dy.mul(x0(c).lessEqual(x1(c))), dy.mul(x0(c).greater(x1(c)))],
  // d(-x) = -dx
  neg: (dy) => [dy.neg()],
  // d e^x = e^x dx
  exp: (dy, c) => [dy.mul(c.output)],
  // d ln x = dx / x
  log: (dy, c) => [dy.div(x0(c))],
  // d|x| = sign(x) dx
  abs: (dy, c) => [dy.mul(sign(x0(c)))],
  // d sqrt(x) = dx / (2 sqrt(x))
  sqrt: (dy, c) => [dy.div(c.output.mul(2))],
  // d x² = 2x dx
  square: (dy, c) => [dy.mul(x0(c).mul(2))],
  // d relu(x) = [x > 0] dx
  relu: (dy, c) => [dy.mul(x0(c).greater(0))],
  // d σ(x) = σ(x)(1-σ(x)) dx
  sigmoid: (dy, c) => [sigmoidBackward(c.output, dy)],
  // g = d·y(1-y): dy_in = d·g(1-2y), dd = g·y(1-y)
  sigmoidBackward: (g, c) => {
    const [y, d] = c.inputs;
    return [
      c.needsGrad[0] ? d.mul(g).mul(y.mul(-2).add(1)) : null,
      c.needsGrad[1] ? sigmoidBackward(y, g) : null,
    ];
  },
  // d tanh(x) = (1 - tanh²(x)) dx
  tanh: (dy, c) => [dy.mul(c.output.square().neg().add(1))],
  // d log(1+e^x) = σ(x) dx
  softrelu: (dy, c) => [dy.mul(sigmoid(x0(c)))],
  // d(1/x) = -dx / x²
  reciprocal: (dy, c) => [dy.mul(c.output.square()).neg()],
  // piecewise constant: zero gradient
  sign: (_dy, c) => [zerosLike(x0(c))],
  floor: (_dy, c) => [zerosLike(x0(c))],
  round: (_dy, c) => [zerosLike(x0(c))],
  // d sum(x) = dy broadcast over the reduced axes
  sum: (dy, c) => [broadcastTo(expandReduced(dy, c), x0(c).shape)],
  // d prod(x) = prod(x)/x dx (undefined where x = 0)
  prod: (dy, c) => [broadcastTo(expandReduced(dy.mul(c.output), c), x0(c).shape).div(x0(c))],
  max: extremeGrad,
  min: extremeGrad,
  // reshape and cast move values without changing them
  reshape: (dy, c) => [dy.reshape(x0(c).shape)],
  cast: (dy, c) => [dy.astype(x0(c).dtype)],
  // transpose back with the inverse permutation
  transpose: (dy, c) => {
    const perm = c.attrs.perm as number[];
    const inverse = perm.map((_, i) => perm.indexOf(i));
    return [transpose(dy, inverse)];
  },
  // the engine sums the gradient back to the input's shape
  broadcastTo: (dy) => [dy],
  // C = op(A) op(B): dA and dB are products of dC with the other operand
  matmul: (dy, c) => {
    const [a, b] = c.inputs;
    const { transA, transB } = c.attrs as { transA: boolean; transB: boolean };
    const [needA, needB] = c.needsGrad;
    // Skip the product for an operand that needs no gradient (the input batch, usually): it is
    // as large as the forward product itself.
    if (!transA && !transB)
      return [needA ? matmul(dy, b, false, true) : null, needB ? matmul(a, dy, true, false) : null];
    if (transA && !transB)
      return [needA ? matmul(b, dy, false, true) : null, needB ? matmul(a, dy, false, false) : null];
    if (!transA && transB)
      return [needA ? matmul(dy, b, false, false) : null, needB ? matmul(dy, a, true, false) : null];
    return [needA ? matmul(b, dy, true, true) : null, needB ? matmul(dy, a, true, true) : null];
  },
  // out = x[picked]: dx is dy scattered back to the picked positions
  pick: (dy, c) => [pickScatter(dy, x0(c).shape, c.attrs as unknown as PickAttrs)],
  // the scatter is linear: its gradient picks the same positions
  pickScatter: (dy, c) => [pickAt(dy, c.attrs as unknown as PickAttrs, c.attrs.pickedShape as number[])],
  // y = softmax(x): dx = y (dy - Σ dy·y)
  softmax: (dy, c) => {
    const y = c.output;
    return [y.mul(dy.sub(dy.mul(y).sum({ axis: c.attrs.axis as number, keepdims: true })))];
  },
  // l = -log softmax(x)[label]: dx = softmax(x) dy - onehot(label) dy
  softmaxCrossEntropy: (dy, c) => {
    const a = c.attrs as unknown as SoftmaxCrossEntropyAttrs;
    // Not building a graph of the gradients: one pass over the forward's softmax, the same values.
    if (!state.recording && a.prob !== null && dy.dtype === a.prob.dtype)
      return [softmaxCrossEntropyGrad(a.prob, dy, a)];
    const x = x0(c);
    const dyKept = dy.reshape(reducedShape(x.shape, [a.axis], true));
    return [
      softmax(x, { axis: a.axis })
        .mul(dyKept)
        .sub(pickScatter(dy, x.shape, a)),
    ];
  },
  // y = log softmax(x): dx = dy - e^y Σ dy
  logSoftmax: (dy, c) => [
    dy.sub(c.output.exp().mul(dy.sum({ axis: c.attrs.axis as number, keepdims: true }))),
  ],
  // out = x[box]: dx is dy written into the box of a zero array
  slice: (dy, c) => [sliceScatter(dy, x0(c).shape, c.attrs.box as Box)],
  // the box scatter is linear: its gradient reads the same box
  sliceScatter: (dy, c) => [sliceBox(dy, c.attrs.box as Box)],
  // each input gets its own stretch of dy along the joined axis
  concat: (dy, c) => {
    const axis = c.attrs.axis as number;
    let offset = 0;
    return (c.attrs.sizes as number[]).map((size, i) => {
      const part = c.needsGrad[i] ? sliceAxis(dy, axis, offset, offset + size) : null;
      offset += size;
      return part;
    });
  },
  // out = take(a, idx): da adds dy back at every taken position (repeats accumulate)
  take: (dy, c) => [takeScatter(dy, x0(c).shape, c.attrs as unknown as TakeAttrs)],
  // the scatter-add is linear: its gradient takes the same positions
  takeScatter: (dy, c) => [takeAt(dy, c.attrs as unknown as TakeAttrs, c.attrs.takenShape as number[])],
  // where(c, a, b): dy goes to a where c holds, to b elsewhere; none to the condition
  where: (dy, c) => [null, where(x0(c), dy, 0), where(x0(c), 0, dy)],
  // y = conv(x, w): dx = convᵀ_x(dy, w), dw = convᵀ_w(x, dy)
  conv2d: (dy, c) => {
    const a = c.attrs as ConvAttrs;
    return [
      c.needsGrad[0] ? conv2dBackwardData(dy, x1(c), a, x0(c).shape) : null,
      c.needsGrad[1] ? conv2dBackwardFilter(x0(c), dy, a, x1(c).shape) : null,
    ];
  },
  // y = act(conv(x, w) + b): dz = act'(y) dy, then dx, dw as for conv2d and db = Σ dz over (N, H, W)
  conv2dBiasAct: (dy, c) => {
    const { act, ...a } = c.attrs as ConvActAttrs;
    const y = c.output;
    if (!state.recording && dy.dtype === y.dtype) {
      // Not building a graph of the gradients: one fused kernel call, the same values.
      return conv2dBiasActGrads(
        x0(c),
        x1(c),
        c.inputs[2] ?? null,
        y,
        dy,
        c.attrs as ConvActAttrs,
        c.needsGrad,
      );
    }
    const dz = act === 'sigmoid' ? sigmoidBackward(y, dy) : act === 'relu' ? dy.mul(y.greater(0)) : dy;
    return [
      c.needsGrad[0] ? conv2dBackwardData(dz, x1(c), a, x0(c).shape) : null,
      c.needsGrad[1] ? conv2dBackwardFilter(x0(c), dz, a, x1(c).shape) : null,
      c.inputs.length > 2 && c.needsGrad[2] ? dz.sum({ axis: [0, 2, 3] }) : null,
    ];
  },
  // dx = convᵀ_x(dy, w) is bilinear: d(dy) = conv(g, w), dw = convᵀ_w(g, dy)
  conv2dBackwardData: (g, c) => {
    const a = c.attrs as ConvAttrs;
    return [
      c.needsGrad[0] ? conv2d(g, x1(c), a) : null,
      c.needsGrad[1] ? conv2dBackwardFilter(g, x0(c), a, x1(c).shape) : null,
    ];
  },
  // dw = convᵀ_w(x, dy) is bilinear: dx = convᵀ_x(dy, g), d(dy) = conv(x, g)
  conv2dBackwardFilter: (g, c) => {
    const a = c.attrs as ConvAttrs;
    return [
      c.needsGrad[0] ? conv2dBackwardData(x1(c), g, a, x0(c).shape) : null,
      c.needsGrad[1] ? conv2d(x0(c), g, a) : null,
    ];
  },
  // y = act(x·wᵀ + b): dz = act'(y) dy, then dx = dz·w, dw = dzᵀ·x and db = Σ dz over the rows
  fullyConnected: (dy, c) => {
    const { act } = c.attrs as FullyConnectedAttrs;
    const y = c.output;
    const bias = c.inputs[2] ?? null;
    // Not building a graph of the gradients: one kernel call, the same values.
    if (!state.recording && dy.dtype === y.dtype)
      return fullyConnectedGrads(x0(c), x1(c), bias, y, dy, { act }, c.needsGrad, c.into);
    const dz = act === 'sigmoid' ? sigmoidBackward(y, dy) : act === 'relu' ? dy.mul(y.greater(0)) : dy;
    return [
      c.needsGrad[0] ? matmul(dz, x1(c), false, false) : null,
      c.needsGrad[1] ? matmul(dz, x0(c), true, false) : null,
      bias && c.needsGrad[2] ? dz.sum({ axis: 0 }) : null,
    ];
  },
  // y = pool(x): dx routes dy to each window's maximum, or spreads it over the window (avg)
  pool2d: (dy, c) => [pool2dBackward(x0(c), dy, c.attrs as PoolAttrs)],
  // avg: dx = poolᵀ(dy) is linear in dy, d(dy) = avgpool(g), none to x; max: not supported
  pool2dBackward: (g, c) => {
    const a = c.attrs as PoolAttrs;
    if (a.kind === 'max') {
      throw new Error('pooling: second-order gradients of max pooling are not supported');
    }
    return [null, c.needsGrad[1] ? pool2d(g, a) : null];
  },
  // y = γ xhat + β, xhat = (x - μ)/σ per channel: dβ = Σ dy, dγ = Σ dy xhat, dx = γ/σ (dy - mean(dy) - xhat mean(dy xhat))
  batchNormTrain: (dy, c) => batchNormTrainGrad(c.inputs, dy, c.attrs as BatchNormTrainAttrs, c.needsGrad),
  // custom functions carry their own rule on the tape node
  custom: () => {
    throw new Error('custom: a custom function must record its own gradient rule');
  },
} satisfies Record<string, GradRule>;
