/**
 * Reference kernels of the fully connected layer's fused form, act(x · wᵀ + bias): the bias and
 * activation applied to a product in place (`biasAct`), and the gradients from the output
 * (`denseBiasActBackward`), composed from a backend's own matmul, reduce and activation-gradient
 * kernels so that each backend's fused values are its unfused ones, bit for bit.
 */
import type { TypedArray } from '../../dtype.js';
import type { ConvActivation, Kernels } from '../kernels.js';
import { sigmoidBackward, unaryFns } from './elementwise.js';
import { matmul } from './matmul.js';
import { reduce } from './reduce.js';

/** out[r, c] = act(x[r, c] + bias[c]), each step rounded into out as the add and unary kernels round it. */
export function biasAct(
  x: TypedArray,
  rows: number,
  cols: number,
  bias: TypedArray | null,
  act: ConvActivation | null,
  out: TypedArray,
): void {
  const f = act ? unaryFns[act] : null;
  for (let r = 0, i = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++, i++) {
      out[i] = bias ? x[i] + bias[c] : x[i];
      if (f) out[i] = f(out[i]);
    }
  }
}

/** dz = dy · [y > 0], as the multiply of dy by the comparison's 0/1 rounds it. */
export function reluBackward(y: TypedArray, dy: TypedArray, dz: TypedArray): void {
  for (let i = 0; i < dz.length; i++) dz[i] = dy[i] * (y[i] > 0 ? 1 : 0);
}

/** The temporary dz of the last call, reused by the next (it never leaves composeDenseBackward). */
let kept: TypedArray | null = null;
/** Temporaries up to this many elements are kept between calls (4 MiB of float32). */
const KEEP_MAX = 1 << 20;

/** A temporary of dy's type and length, fully overwritten by the caller. */
function scratch(dy: TypedArray): TypedArray {
  const n = dy.length;
  if (kept !== null && kept.constructor === dy.constructor && kept.length >= n) return kept.subarray(0, n);
  const fresh = new (dy.constructor as new (n: number) => TypedArray)(n);
  if (n <= KEEP_MAX) kept = fresh;
  return fresh;
}

/** The kernels `composeDenseBackward` runs. */
export type DenseBackwardKernels = Pick<Kernels, 'matmul' | 'reduce' | 'sigmoidBackward'> & {
  reluBackward(y: TypedArray, dy: TypedArray, dz: TypedArray): void;
};

/**
 * denseBiasActBackward (kernels.ts) from a backend's separate kernels: dz in a temporary (dy itself
 * without an activation), then the data and weight gradients and the bias sum, as the unfused
 * rules of matmul, add and the activation run them.
 */
export function composeDenseBackward(
  k: DenseBackwardKernels,
  x: TypedArray,
  w: TypedArray,
  y: TypedArray,
  dy: TypedArray,
  dx: TypedArray | null,
  dw: TypedArray | null,
  db: TypedArray | null,
  rows: number,
  inUnits: number,
  units: number,
  act: ConvActivation | null,
): void {
  let dz = dy;
  if (act) {
    dz = scratch(dy);
    if (act === 'sigmoid') k.sigmoidBackward(y, dy, dz);
    else k.reluBackward(y, dy, dz);
  }
  if (dx) k.matmul(dz, w, dx, 1, rows, inUnits, units, false, false);
  if (dw) k.matmul(dz, x, dw, 1, units, inUnits, rows, true, false);
  if (db) k.reduce('sum', dz, [rows, units], [0], db);
}

/** The gradients of the fully connected layer's fused form; see kernels.ts. */
export function denseBiasActBackward(
  x: TypedArray,
  w: TypedArray,
  y: TypedArray,
  dy: TypedArray,
  dx: TypedArray | null,
  dw: TypedArray | null,
  db: TypedArray | null,
  rows: number,
  inUnits: number,
  units: number,
  act: ConvActivation | null,
): void {
  composeDenseBackward(
    { matmul, reduce, sigmoidBackward, reluBackward },
    x,
    w,
    y,
    dy,
    dx,
    dw,
    db,
    rows,
    inUnits,
    units,
    act,
  );
}
