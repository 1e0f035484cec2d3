/**
 * The fully connected layer's op, MXNet's `nd.FullyConnected`: `act(x · wᵀ + bias)` with the weight
 * stored (numHidden, inUnits), as `nn.Dense` computes it. One primitive, `fullyConnected`, does the
 * product, the bias and the activation (relu or sigmoid) in one output array, and its gradient
 * (`fullyConnectedGrads`) gives dx, dw and db from one activation-mask pass over y: the values of
 * `dot(x, w, { transposeB })`, `add` and `relu`/`sigmoid` and of their rules, bit for bit, with
 * two fewer arrays and passes forward and two fewer backward. When a graph of the gradients is
 * built, the rule is written with ops (matmul, sum and the activation's gradient), so higher-order
 * gradients work.
 */
import type { ConvActivation } from '../backend/kernels.js';
import { kernels } from '../backend/registry.js';
import { type DType, isFloat, promote } from '../dtype.js';
import { recordOp } from '../engine.js';
import type { NDArray } from '../ndarray.js';
import { shapeToString, sizeOf } from '../shape.js';
import { binaryOp, unaryOp } from './elementwise.js';
import { matmul } from './linalg.js';
import { checkArray, empty } from './operand.js';

/** Options of `fullyConnected` (MXNet's keyword arguments, camelCased). */
export interface FullyConnectedOptions {
  /** The number of outputs; inferred from the weight, checked against it if given. MXNet: `num_hidden`. */
  numHidden?: number;
  /** Ignore the bias (default false; a null or missing bias means none too). MXNet: `no_bias`. */
  noBias?: boolean;
  /**
   * Collapse every axis of data but the first (default true); false applies the layer to the last
   * axis, keeping the others. MXNet: `flatten`.
   */
  flatten?: boolean;
  /**
   * minimx only: an activation applied to the result, `'relu'` or `'sigmoid'` (default none), the
   * same values as `nd.relu`/`nd.sigmoid` of the output (`nn.Dense` passes its `activation` here).
   */
  actType?: ConvActivation | null;
}

/** The attributes the primitive records: the activation applied after the bias. */
export type FullyConnectedAttrs = { readonly act: ConvActivation | null };

/**
 * The primitive act(x · wᵀ + bias): x (rows, inUnits) and w (units, inUnits) of one float dtype,
 * bias (units,) of that dtype or null; shapes already validated.
 */
export function fullyConnectedAct(
  x: NDArray,
  w: NDArray,
  bias: NDArray | null,
  attrs: FullyConnectedAttrs,
): NDArray {
  const [rows, inUnits] = x.shape;
  const units = w.shape[0];
  const out = empty([rows, units], x.dtype);
  const k = kernels();
  k.matmul(x.data, w.data, out.data, 1, rows, units, inUnits, false, true);
  if (bias || attrs.act) k.biasAct(out.data, rows, units, bias?.data ?? null, attrs.act, out.data);
  return recordOp('fullyConnected', bias ? [x, w, bias] : [x, w], out, attrs);
}

/**
 * The gradients of fullyConnectedAct's inputs from its output y and dy in one kernel call, the
 * values its rule written with ops gives: [dx, dw, db], null where `needs` asks for none, each
 * written into the buffer `into` offers for it (a variable's own gradient buffer, see GradContext)
 * or a new array. Records nothing (the rule takes it only when no graph of the gradients is being
 * built).
 */
export function fullyConnectedGrads(
  x: NDArray,
  w: NDArray,
  bias: NDArray | null,
  y: NDArray,
  dy: NDArray,
  attrs: FullyConnectedAttrs,
  needs: readonly boolean[],
  into?: readonly (NDArray | null)[],
): (NDArray | null)[] {
  const [rows, inUnits] = x.shape;
  const units = w.shape[0];
  const dx = needs[0] ? target(into?.[0], x) : null;
  const dw = needs[1] ? target(into?.[1], w) : null;
  const db = bias && needs[2] ? target(into?.[2], bias) : null;
  kernels().denseBiasActBackward(
    x.data,
    w.data,
    y.data,
    dy.data,
    dx?.data ?? null,
    dw?.data ?? null,
    db?.data ?? null,
    rows,
    inUnits,
    units,
    attrs.act,
  );
  return bias ? [dx, dw, db] : [dx, dw];
}

/** The array a gradient of `like` is written into: the buffer offered by backward, or a new one. */
function target(offered: NDArray | null | undefined, like: NDArray): NDArray {
  return offered && offered.dtype === like.dtype && offered.size === like.size
    ? offered
    : empty(like.shape, like.dtype);
}

/** The float dtype both operands are cast to (float32 for integers). */
function commonFloat(a: DType, b: DType): DType {
  const dtype = promote(a, b);
  return isFloat(dtype) ? dtype : 'float32';
}

/**
 * A fully connected layer: `data · weightᵀ + bias`, weight (numHidden, inUnits), bias (numHidden,)
 * unless it is null or `noBias`. With `flatten` (default) data (batch, ...) is read as
 * (batch, inUnits); without, the product runs over data's last axis and keeps the others. MXNet:
 * `nd.FullyConnected(data, weight, bias, num_hidden, no_bias, flatten)`. Errors start with
 * `fullyConnected: ` and name the shapes.
 * @example
 * const x = nd.random.normal({ shape: [256, 784] });
 * const w = nd.random.normal({ shape: [10, 784] });
 * nd.fullyConnected(x, w, nd.zeros([10])).shape; // [256, 10]
 * nd.fullyConnected(x, w, null, { actType: 'relu' }); // relu(x · wᵀ)
 */
export function fullyConnected(
  data: NDArray,
  weight: NDArray,
  bias?: NDArray | null,
  options: FullyConnectedOptions = {},
): NDArray {
  const op = 'fullyConnected';
  checkArray(op, data, 'data');
  checkArray(op, weight, 'weight');
  if (weight.ndim !== 2) {
    throw new RangeError(
      `${op}: weight must be 2-D (numHidden, inUnits), got shape ${shapeToString(weight.shape)}`,
    );
  }
  if (data.ndim === 0) throw new RangeError(`${op}: data must have at least one axis, got shape ()`);
  const [units, inUnits] = weight.shape;
  if (options.numHidden !== undefined && options.numHidden !== units) {
    throw new RangeError(
      `${op}: numHidden ${options.numHidden} does not match weight ${shapeToString(weight.shape)}`,
    );
  }
  const flatten = options.flatten ?? true;
  const lead = flatten ? [data.shape[0]] : data.shape.slice(0, -1);
  const features = flatten ? sizeOf(data.shape.slice(1)) : data.shape[data.ndim - 1];
  if (features !== inUnits) {
    throw new RangeError(
      `${op}: data ${shapeToString(data.shape)} has ${features} input features${flatten ? ' (flattened)' : ''} but weight ${shapeToString(weight.shape)} expects ${inUnits}`,
    );
  }
  const useBias = !(options.noBias ?? false) && bias !== undefined && bias !== null;
  if (useBias) {
    checkArray(op, bias, 'bias');
    if (bias.ndim !== 1 || bias.shape[0] !== units) {
      throw new RangeError(
        `${op}: bias ${shapeToString(bias.shape)} must have shape (${units},), one per row of weight ${shapeToString(weight.shape)}`,
      );
    }
  }
  const act = options.actType ?? null;
  if (act !== null && act !== 'relu' && act !== 'sigmoid') {
    throw new RangeError(`${op}: actType must be 'relu' or 'sigmoid', got ${String(act)}`);
  }
  const rows = sizeOf(lead);
  const x2 = data.ndim === 2 && data.shape[0] === rows ? data : data.reshape(rows, inUnits);
  const dtype = commonFloat(data.dtype, weight.dtype);
  const x = x2.dtype === dtype ? x2 : x2.astype(dtype);
  const w = weight.dtype === dtype ? weight : weight.astype(dtype);
  let out: NDArray;
  if (!useBias || bias.dtype === dtype) {
    out = fullyConnectedAct(x, w, useBias ? bias : null, { act });
  } else {
    // A bias of another dtype promotes the sum: the separate ops decide the result's dtype.
    out = binaryOp('add', matmul(x, w, false, true), bias);
    if (act) out = unaryOp(act, out);
  }
  const shape = [...lead, units];
  return shape.length === 2 ? out : out.reshape(...shape);
}
