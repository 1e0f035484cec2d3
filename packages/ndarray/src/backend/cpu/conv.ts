/**
 * Reference CPU kernels of the 2-D convolution over NCHW data: the forward cross-correlation and
 * its two gradients (with respect to the data and to the filter). Plain loops over every output,
 * input channel of its group and kernel tap, summed in float64 and rounded once on store; taps that
 * fall in the zero padding are skipped. The fast backends replace them for float32.
 */
import type { TypedArray } from '../../dtype.js';
import type { Conv2dGeometry } from '../kernels.js';

let scratch = new Float64Array(0);

/** A zeroed float64 accumulator of `size` elements, reused between calls. */
function accumulator(size: number): Float64Array {
  if (scratch.length < size) scratch = new Float64Array(size);
  const acc = scratch.subarray(0, size);
  acc.fill(0);
  return acc;
}

/**
 * Calls `visit(xIndex, wIndex, outIndex)` for every (output element, tap) pair whose input
 * position lies inside the image, in the order n, o, oh, ow, c, kh, kw.
 */
function forEachTap(g: Conv2dGeometry, visit: (xi: number, wi: number, oi: number) => void): void {
  const cinG = g.inChannels / g.groups;
  const coutG = g.outChannels / g.groups;
  for (let n = 0; n < g.batch; n++)
    for (let o = 0; o < g.outChannels; o++) {
      const group = Math.floor(o / coutG);
      for (let oh = 0; oh < g.outH; oh++)
        for (let ow = 0; ow < g.outW; ow++) {
          const oi = ((n * g.outChannels + o) * g.outH + oh) * g.outW + ow;
          for (let c = 0; c < cinG; c++) {
            const ic = group * cinG + c;
            for (let kh = 0; kh < g.kernelH; kh++) {
              const ih = oh * g.strideH - g.padH + kh * g.dilationH;
              if (ih < 0 || ih >= g.inH) continue;
              for (let kw = 0; kw < g.kernelW; kw++) {
                const iw = ow * g.strideW - g.padW + kw * g.dilationW;
                if (iw < 0 || iw >= g.inW) continue;
                visit(
                  ((n * g.inChannels + ic) * g.inH + ih) * g.inW + iw,
                  ((o * cinG + c) * g.kernelH + kh) * g.kernelW + kw,
                  oi,
                );
              }
            }
          }
        }
    }
}

/** out[n,o,oh,ow] = Σ_{c,kh,kw} x[n, group(o)·Cin/groups + c, oh·s - p + kh·d, ow·s - p + kw·d] · w[o,c,kh,kw]. */
export function conv2d(x: TypedArray, w: TypedArray, out: TypedArray, g: Conv2dGeometry): void {
  const acc = accumulator(out.length);
  forEachTap(g, (xi, wi, oi) => {
    acc[oi] += x[xi] * w[wi];
  });
  for (let i = 0; i < out.length; i++) out[i] = acc[i];
}

/** dx[xi] = Σ over the taps that read xi of dy[oi] · w[wi] (the adjoint of conv2d in x). */
export function conv2dBackwardData(dy: TypedArray, w: TypedArray, dx: TypedArray, g: Conv2dGeometry): void {
  const acc = accumulator(dx.length);
  forEachTap(g, (xi, wi, oi) => {
    acc[xi] += dy[oi] * w[wi];
  });
  for (let i = 0; i < dx.length; i++) dx[i] = acc[i];
}

/** dw[wi] = Σ over the taps that use wi of x[xi] · dy[oi] (the adjoint of conv2d in w). */
export function conv2dBackwardFilter(x: TypedArray, dy: TypedArray, dw: TypedArray, g: Conv2dGeometry): void {
  const acc = accumulator(dw.length);
  forEachTap(g, (xi, wi, oi) => {
    acc[wi] += x[xi] * dy[oi];
  });
  for (let i = 0; i < dw.length; i++) dw[i] = acc[i];
}
