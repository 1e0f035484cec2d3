/** Reference CPU kernels that move data: transpose (axis permutation), dtype casts and strided box copies. */
import type { TypedArray } from '../../dtype.js';
import { type Shape, stridesOf } from '../../shape.js';

export function transpose(x: TypedArray, shape: Shape, perm: readonly number[], out: TypedArray): void {
  const ndim = shape.length;
  const n = x.length;
  if (n === 0) return;
  if (ndim === 2 && perm[0] === 1) {
    const [r, c] = shape;
    for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = x[i * c + j];
    return;
  }
  const inStrides = stridesOf(shape);
  const outShape = perm.map((p) => shape[p]);
  const srcStrides = perm.map((p) => inStrides[p]);
  const index = new Array<number>(ndim).fill(0);
  let src = 0;
  for (let i = 0; i < n; i++) {
    out[i] = x[src];
    for (let ax = ndim - 1; ax >= 0; ax--) {
      index[ax]++;
      src += srcStrides[ax];
      if (index[ax] < outShape[ax]) break;
      src -= srcStrides[ax] * outShape[ax];
      index[ax] = 0;
    }
  }
}

export function cast(x: TypedArray, out: TypedArray): void {
  const n = x.length;
  if (out instanceof Uint8Array || out instanceof Int32Array) {
    for (let i = 0; i < n; i++) out[i] = Math.trunc(x[i]);
  } else {
    for (let i = 0; i < n; i++) out[i] = x[i];
  }
}

export function copyStrided(
  src: TypedArray,
  srcOffset: number,
  srcStrides: readonly number[],
  dst: TypedArray,
  dstOffset: number,
  dstStrides: readonly number[],
  box: Shape,
): void {
  const ndim = box.length;
  let n = 1;
  for (const d of box) n *= d;
  if (n === 0) return;
  if (ndim === 0) {
    dst[dstOffset] = src[srcOffset];
    return;
  }
  const inner = box[ndim - 1];
  const si = srcStrides[ndim - 1];
  const di = dstStrides[ndim - 1];
  const index = new Array<number>(ndim - 1).fill(0);
  let ps = srcOffset;
  let pd = dstOffset;
  for (let o = n / inner; o > 0; o--) {
    if (si === 1 && di === 1) dst.set(src.subarray(ps, ps + inner), pd);
    else for (let j = 0; j < inner; j++) dst[pd + j * di] = src[ps + j * si];
    for (let ax = ndim - 2; ax >= 0; ax--) {
      index[ax]++;
      ps += srcStrides[ax];
      pd += dstStrides[ax];
      if (index[ax] < box[ax]) break;
      ps -= srcStrides[ax] * box[ax];
      pd -= dstStrides[ax] * box[ax];
      index[ax] = 0;
    }
  }
}
