/**
 * Reference CPU kernels of the 2-D convolution over NCHW data: the forward cross-correlation and
 * its two gradients (with respect to the data and to the filter). Each loops over images, output
 * channels, the input channels of their group and the kernel taps, and for one tap over the
 * output pixels whose input position lies inside the image (taps on the zero padding are skipped);
 * sums are accumulated in float64 and rounded once on store. The fast backends replace them for
 * float32.
 */
import type { TypedArray } from '../../dtype.js';
import type { Conv2dGeometry, ConvActivation, Kernels } from '../kernels.js';
import { sigmoidBackward, unaryFns } from './elementwise.js';
import { reduce } from './reduce.js';

let scratch = new Float64Array(0);

/** A zeroed float64 accumulator of `size` elements, reused between calls. */
function accumulator(size: number): Float64Array {
  if (scratch.length < size) scratch = new Float64Array(size);
  const acc = scratch.subarray(0, size);
  acc.fill(0);
  return acc;
}

/** The outputs o in [lo, hi) of `outSize` whose input position o·stride + offset lies in [0, inSize). */
function validRange(outSize: number, stride: number, offset: number, inSize: number): [number, number] {
  const lo = offset >= 0 ? 0 : Math.ceil(-offset / stride);
  const hi = inSize - 1 - offset < 0 ? 0 : Math.floor((inSize - 1 - offset) / stride) + 1;
  return [Math.min(lo, outSize), Math.min(hi, outSize)];
}

/** Which of the three products a loop nest computes. */
const Mode = { Forward: 0, Data: 1, Filter: 2 } as const;
type Mode = (typeof Mode)[keyof typeof Mode];

/**
 * The one loop nest of the three kernels: for every image n, output channel o, input channel c of
 * its group and tap (kh, kw), over the output pixels whose input position lies inside the image,
 * accumulates into `acc` (the output, dx or dw) from `a` and `b` (x and w, dy and w, x and dy).
 */
function convLoops(mode: Mode, a: TypedArray, b: TypedArray, acc: Float64Array, g: Conv2dGeometry): void {
  const { inH, inW, outH, outW, kernelH, kernelW, strideH, strideW, groups } = g;
  const cinG = g.inChannels / groups;
  const coutG = g.outChannels / groups;
  for (let n = 0; n < g.batch; n++)
    for (let o = 0; o < g.outChannels; o++) {
      const yPlane = (n * g.outChannels + o) * outH * outW;
      for (let c = 0; c < cinG; c++) {
        const xPlane = (n * g.inChannels + Math.floor(o / coutG) * cinG + c) * inH * inW;
        for (let kh = 0; kh < kernelH; kh++) {
          const offH = kh * g.dilationH - g.padH;
          const [oh0, oh1] = validRange(outH, strideH, offH, inH);
          for (let kw = 0; kw < kernelW; kw++) {
            const offW = kw * g.dilationW - g.padW;
            const [ow0, ow1] = validRange(outW, strideW, offW, inW);
            const wi = ((o * cinG + c) * kernelH + kh) * kernelW + kw;
            if (mode === Mode.Forward) {
              // a = x, b = w, acc = out
              const wv = b[wi];
              for (let oh = oh0; oh < oh1; oh++) {
                const xRow = xPlane + (oh * strideH + offH) * inW + offW;
                const yRow = yPlane + oh * outW;
                for (let ow = ow0; ow < ow1; ow++) acc[yRow + ow] += a[xRow + ow * strideW] * wv;
              }
            } else if (mode === Mode.Data) {
              // a = dy, b = w, acc = dx
              const wv = b[wi];
              for (let oh = oh0; oh < oh1; oh++) {
                const xRow = xPlane + (oh * strideH + offH) * inW + offW;
                const yRow = yPlane + oh * outW;
                for (let ow = ow0; ow < ow1; ow++) acc[xRow + ow * strideW] += a[yRow + ow] * wv;
              }
            } else {
              // a = x, b = dy, acc = dw
              let s = 0;
              for (let oh = oh0; oh < oh1; oh++) {
                const xRow = xPlane + (oh * strideH + offH) * inW + offW;
                const yRow = yPlane + oh * outW;
                for (let ow = ow0; ow < ow1; ow++) s += a[xRow + ow * strideW] * b[yRow + ow];
              }
              acc[wi] += s;
            }
          }
        }
      }
    }
}

/**
 * out[n,o,oh,ow] = Σ_{c,kh,kw} x[n, group(o)·Cin/groups + c, oh·s - p + kh·d, ow·s - p + kw·d] · w[o,c,kh,kw],
 * then + bias[o] and the activation, each rounded into out as the add and unary kernels round it.
 */
export function conv2d(
  x: TypedArray,
  w: TypedArray,
  out: TypedArray,
  g: Conv2dGeometry,
  bias?: TypedArray | null,
  act?: ConvActivation | null,
): void {
  const acc = accumulator(out.length);
  convLoops(Mode.Forward, x, w, acc, g);
  for (let i = 0; i < out.length; i++) out[i] = acc[i];
  if (!bias && !act) return;
  const f = act ? unaryFns[act] : null;
  const plane = g.outH * g.outW;
  for (let p = 0, i = 0; p < g.batch * g.outChannels; p++) {
    const b = bias ? bias[p % g.outChannels] : 0;
    for (let j = 0; j < plane; j++, i++) {
      if (bias) out[i] = out[i] + b;
      if (f) out[i] = f(out[i]);
    }
  }
}

/** dx[n,ic,ih,iw] = Σ over the (output, tap) pairs that read it of dy[n,o,oh,ow] · w[o,c,kh,kw] (the adjoint of conv2d in x). */
export function conv2dBackwardData(dy: TypedArray, w: TypedArray, dx: TypedArray, g: Conv2dGeometry): void {
  const acc = accumulator(dx.length);
  convLoops(Mode.Data, dy, w, acc, g);
  for (let i = 0; i < dx.length; i++) dx[i] = acc[i];
}

/** dw[o,c,kh,kw] = Σ over images and output pixels of x[n, ic, ih, iw] · dy[n,o,oh,ow] (the adjoint of conv2d in w). */
export function conv2dBackwardFilter(x: TypedArray, dy: TypedArray, dw: TypedArray, g: Conv2dGeometry): void {
  const acc = accumulator(dw.length);
  convLoops(Mode.Filter, x, dy, acc, g);
  for (let i = 0; i < dw.length; i++) dw[i] = acc[i];
}

/** The kernels `composeBiasActBackward` runs. */
export type BiasActKernels = Pick<
  Kernels,
  'sigmoidBackward' | 'reduce' | 'conv2dBackwardData' | 'conv2dBackwardFilter'
>;

/**
 * conv2dBiasActBackward (kernels.ts) from a backend's separate kernels: dz in a temporary, then
 * the data and filter gradients and the bias sum, as the unfused gradient rule runs them.
 */
export function composeBiasActBackward(
  k: BiasActKernels,
  x: TypedArray,
  w: TypedArray,
  y: TypedArray,
  dy: TypedArray,
  dx: TypedArray | null,
  dw: TypedArray | null,
  db: TypedArray | null,
  g: Conv2dGeometry,
  act: ConvActivation | null,
): void {
  let dz = dy;
  if (act) {
    dz = new (dy.constructor as new (n: number) => TypedArray)(dy.length);
    if (act === 'sigmoid') k.sigmoidBackward(y, dy, dz);
    else for (let i = 0; i < dz.length; i++) dz[i] = dy[i] * (y[i] > 0 ? 1 : 0);
  }
  if (dx) k.conv2dBackwardData(dz, w, dx, g);
  if (dw) k.conv2dBackwardFilter(x, dz, dw, g);
  if (db) k.reduce('sum', dz, [g.batch, g.outChannels, g.outH, g.outW], [0, 2, 3], db);
}

/** The gradients of conv2d's fused form act(conv2d(x, w) + bias); see kernels.ts. */
export function conv2dBiasActBackward(
  x: TypedArray,
  w: TypedArray,
  y: TypedArray,
  dy: TypedArray,
  dx: TypedArray | null,
  dw: TypedArray | null,
  db: TypedArray | null,
  g: Conv2dGeometry,
  act: ConvActivation | null,
): void {
  composeBiasActBackward(
    { sigmoidBackward, reduce, conv2dBackwardData, conv2dBackwardFilter },
    x,
    w,
    y,
    dy,
    dx,
    dw,
    db,
    g,
    act,
  );
}
