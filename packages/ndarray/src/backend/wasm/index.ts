/**
 * The 'wasm' backend: the reference CPU kernels with the float32 matrix product replaced by the
 * WebAssembly SIMD kernel of gemm.ts (multi-threaded in Node for large products), the float32
 * convolution by conv.ts (im2col per image on the same product), pooling by the float32 loops of
 * pool.ts, element-wise ops by the specialised loops of elementwise.ts (per-channel operands by
 * broadcast.ts, sigmoid and its gradient by activation.ts), float32 sums by those of
 * reduce.ts, a fully connected layer's bias, activation and relu mask by dense.ts, SGD's plain
 * step by optim.ts and the DataLoader's uint8 row gathers by gather-rows.ts. Other
 * dtypes, and every environment without WebAssembly SIMD, fall back to the reference kernels.
 */
import { composeDenseBackward } from '../cpu/dense.js';
import { sigmoidBackward as cpuSigmoidBackward } from '../cpu/elementwise.js';
import { matmul as cpuMatmul } from '../cpu/matmul.js';
import type { Kernels } from '../kernels.js';
import { sigmoidBackwardF32, sigmoidF32 } from './activation.js';
import { channelBinary } from './broadcast.js';
import { conv2d, conv2dBackwardData, conv2dBackwardFilter, conv2dBiasActBackward } from './conv.js';
import { biasAct, reluBackward } from './dense.js';
import { binary as elementwiseBinary, unary as elementwiseUnary } from './elementwise.js';
import { gatherRowsDivideU8, gatherRowsLookupU8 } from './gather-rows.js';
import { gemmF32, setMatmulThreads, wasmAvailable } from './gemm.js';
import { sgdUpdate } from './optim.js';
import { pool2d, pool2dBackward } from './pool.js';
import { reduce } from './reduce.js';

export { setMatmulThreads, wasmAvailable };

/** Batched matrix product: float32 on WebAssembly SIMD, anything else on the reference kernel. */
export const matmul: Kernels['matmul'] = (a, b, out, batch, m, n, k, transA, transB) => {
  if (
    a instanceof Float32Array &&
    b instanceof Float32Array &&
    out instanceof Float32Array &&
    gemmF32(a, b, out, batch, m, n, k, transA, transB)
  )
    return;
  cpuMatmul(a, b, out, batch, m, n, k, transA, transB);
};

/** Element-wise unary ops: float32 sigmoid in activation.ts, the rest in elementwise.ts. */
export const unary: Kernels['unary'] = (op, x, out) => {
  if (op === 'sigmoid' && x instanceof Float32Array && out instanceof Float32Array && sigmoidF32(x, out))
    return;
  elementwiseUnary(op, x, out);
};

/** The sigmoid's gradient dy · y(1 - y): float32 in activation.ts, anything else on the reference kernel. */
export const sigmoidBackward: Kernels['sigmoidBackward'] = (y, dy, out) => {
  if (
    y instanceof Float32Array &&
    dy instanceof Float32Array &&
    out instanceof Float32Array &&
    sigmoidBackwardF32(y, dy, out)
  )
    return;
  cpuSigmoidBackward(y, dy, out);
};

/** Element-wise binary ops: per-channel operands (a convolution's bias) in broadcast.ts, the rest in elementwise.ts. */
export const binary: Kernels['binary'] = (op, a, aShape, b, bShape, out, outShape) => {
  if (
    out.length >= 256 &&
    a instanceof Float32Array &&
    b instanceof Float32Array &&
    out instanceof Float32Array &&
    channelBinary(op, a, aShape, b, bShape, out, outShape)
  )
    return;
  elementwiseBinary(op, a, aShape, b, bShape, out, outShape);
};

/** The fully connected layer's gradients from this backend's matmul, reduce and activation kernels. */
export const denseBiasActBackward: Kernels['denseBiasActBackward'] = (
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
) =>
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

/** The kernels this backend overrides; register it with `registerBackend(wasmBackend)`. */
export const wasmBackend: Partial<Kernels> & { name: string } = {
  name: 'wasm',
  matmul,
  unary,
  binary,
  sigmoidBackward,
  reduce,
  conv2d,
  conv2dBackwardData,
  conv2dBackwardFilter,
  conv2dBiasActBackward,
  biasAct,
  denseBiasActBackward,
  pool2d,
  pool2dBackward,
  sgdUpdate,
  gatherRowsLookupU8,
  gatherRowsDivideU8,
};
