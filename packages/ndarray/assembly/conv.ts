// Convolution on the blocked matrix product of kernels.ts, image by image: each image's patches are
// copied (im2col) into a per-thread column buffer of (C/groups)*kh*kw rows by a band of output
// pixels, and one product per group does the arithmetic. The buffer stays in cache (LeNet's conv
// layers: 38-57 KB per image) where a column matrix of the whole batch (10-15 MB) would stream
// through memory twice. Bands of output rows cap the buffer for large images. The data gradient
// multiplies by the transposed weight into the same buffer and scatters it back (col2im); the
// filter gradient accumulates dy . colᵀ over the images of a chunk into a per-thread partial sum,
// which the JavaScript side adds up. Chunks are ranges of images, so worker threads split a batch.
//
// The job descriptor (i32 fields at `d`, written by src/backend/wasm/conv.ts):
//  0 kind (0 forward, 1 data gradient, 2 filter gradient), 1 x or dy, 2 w, 3 out / dx / dw partials,
//  4 dy (filter gradient), 5 batch, 6 inChannels, 7 inH, 8 inW, 9 outChannels, 10 outH, 11 outW,
//  12 kernelH, 13 kernelW, 14 strideH, 15 strideW, 16 padH, 17 padW, 18 dilationH, 19 dilationW,
//  20 groups, 21 images per chunk, 22 scratch base, 23 scratch bytes per thread, 24 output rows per
//  band (kinds 0-2), 25 output channels per group padded to a multiple of 4 (kind 3, direct
//  forward), 26 bias (forward kinds; 0 for none), 27 activation applied after the bias (0 none,
//  1 relu, 2 sigmoid), 28 filters per block of the direct forward (4, or 3 with 12-column tiles). Kind 4 is the direct filter gradient; its partial sums start at the
//  thread's scratch.
import { expNonPositive, gemmInto } from './kernels';
import { madd } from './simd';

function f4(i: i32): usize {
  return (<usize>i) << 2;
}

function field(d: usize, i: i32): i32 {
  return load<i32>(d + f4(i));
}

/**
 * Copies the patches of output rows oy0..oy0+rows of one image's `cg` channels (at x, inH x inW
 * each) into col: row (c*kh + ky)*kw + kx, column (oy - oy0)*outW + ox, zero where the window
 * falls in the padding.
 */
function im2col(d: usize, x: usize, cg: i32, oy0: i32, rows: i32, col: usize): void {
  const inH = field(d, 7);
  const inW = field(d, 8);
  const outW = field(d, 11);
  const kh = field(d, 12);
  const kw = field(d, 13);
  const sh = field(d, 14);
  const sw = field(d, 15);
  const ph = field(d, 16);
  const pw = field(d, 17);
  const dh = field(d, 18);
  const dw = field(d, 19);
  const band = rows * outW;
  let dst = col;
  for (let c = 0; c < cg; c++) {
    const plane = x + f4(c * inH * inW);
    for (let ky = 0; ky < kh; ky++)
      for (let kx = 0; kx < kw; kx++) {
        const xoff = kx * dw - pw;
        // Output columns whose input column ox*sw + xoff lies inside the image: [lo, hi).
        let lo = xoff >= 0 ? 0 : (-xoff + sw - 1) / sw;
        let hi = inW - xoff > 0 ? (inW - xoff + sw - 1) / sw : 0;
        if (hi > outW) hi = outW;
        if (lo > hi) lo = hi;
        for (let r = 0; r < rows; r++) {
          const iy = (oy0 + r) * sh - ph + ky * dh;
          const out = dst + f4(r * outW);
          if (iy < 0 || iy >= inH) {
            memory.fill(out, 0, f4(outW));
            continue;
          }
          if (lo > 0) memory.fill(out, 0, f4(lo));
          const src = plane + f4(iy * inW + xoff);
          if (sw === 1) {
            let ox = lo;
            for (; ox + 4 <= hi; ox += 4) v128.store(out + f4(ox), v128.load(src + f4(ox)));
            for (; ox < hi; ox++) store<f32>(out + f4(ox), load<f32>(src + f4(ox)));
          } else {
            for (let ox = lo; ox < hi; ox++) store<f32>(out + f4(ox), load<f32>(src + f4(ox * sw)));
          }
          if (hi < outW) memory.fill(out + f4(hi), 0, f4(outW - hi));
        }
        dst += f4(band);
      }
  }
}

/** The adjoint of im2col: adds every column value back into dx (cg channels, zeroed by the caller). */
function col2im(d: usize, col: usize, cg: i32, oy0: i32, rows: i32, dx: usize): void {
  const inH = field(d, 7);
  const inW = field(d, 8);
  const outW = field(d, 11);
  const kh = field(d, 12);
  const kw = field(d, 13);
  const sh = field(d, 14);
  const sw = field(d, 15);
  const ph = field(d, 16);
  const pw = field(d, 17);
  const dh = field(d, 18);
  const dw = field(d, 19);
  const band = rows * outW;
  let src = col;
  for (let c = 0; c < cg; c++) {
    const plane = dx + f4(c * inH * inW);
    for (let ky = 0; ky < kh; ky++)
      for (let kx = 0; kx < kw; kx++) {
        const xoff = kx * dw - pw;
        let lo = xoff >= 0 ? 0 : (-xoff + sw - 1) / sw;
        let hi = inW - xoff > 0 ? (inW - xoff + sw - 1) / sw : 0;
        if (hi > outW) hi = outW;
        if (lo > hi) lo = hi;
        for (let r = 0; r < rows; r++) {
          const iy = (oy0 + r) * sh - ph + ky * dh;
          if (iy < 0 || iy >= inH) continue;
          const s = src + f4(r * outW);
          const t = plane + f4(iy * inW + xoff);
          if (sw === 1) {
            let ox = lo;
            for (; ox + 4 <= hi; ox += 4)
              v128.store(t + f4(ox), f32x4.add(v128.load(t + f4(ox)), v128.load(s + f4(ox))));
            for (; ox < hi; ox++) store<f32>(t + f4(ox), load<f32>(t + f4(ox)) + load<f32>(s + f4(ox)));
          } else {
            for (let ox = lo; ox < hi; ox++) {
              const p = t + f4(ox * sw);
              store<f32>(p, load<f32>(p) + load<f32>(s + f4(ox)));
            }
          }
        }
        src += f4(band);
      }
  }
}

/**
 * The forward passes' epilogue on one image's output (`channels` planes of `plane` floats at out,
 * still in cache): + bias[c] when `bias` is not 0, then relu (act 1) or sigmoid (act 2), with the
 * same float32 operations as channelF32, unaryF32 and sigmoidF32 of kernels.ts, so the results are
 * theirs bit for bit. The body is written out (not a helper): V8 does not inline WebAssembly
 * calls, and one per vector cost more than the arithmetic. A plane's last values (plane % 4)
 * take the same vector code one lane at a time.
 */
function epilogue(out: usize, channels: i32, plane: i32, bias: usize, act: i32): void {
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  const full = plane & ~3;
  for (let c = 0; c < channels; c++) {
    const bv = bias ? v128.load32_splat(bias + f4(c)) : zero;
    const p = out + f4(c * plane);
    for (let j = 0; j < plane; ) {
      const tail = j >= full;
      let v = tail ? v128.load32_splat(p + f4(j)) : v128.load(p + f4(j));
      if (bias) v = f32x4.add(v, bv);
      if (act === 1) v = v128.bitselect(v, zero, v128.or(f32x4.ne(v, v), f32x4.gt(v, zero)));
      else if (act === 2) {
        const t = expNonPositive(f32x4.neg(f32x4.abs(v)));
        const q = f32x4.div(one, f32x4.add(one, t));
        v = v128.bitselect(q, f32x4.mul(t, q), f32x4.ge(v, zero));
      }
      if (tail) {
        store<f32>(p + f4(j), f32x4.extract_lane(v, 0));
        j++;
      } else {
        v128.store(p + f4(j), v);
        j += 4;
      }
    }
  }
}

/**
 * The start of the fused forward's gradient (src/backend/wasm/conv.ts, conv2dBiasActBackward):
 * per image of `batch` (each `channels` planes of `plane` floats), dz = dy · y(1 - y) (act 2,
 * sigmoidBackwardF32's roundings), dy · [y > 0] (act 1) or nothing (act 0: dz is dy), then, when
 * `sums` is not 0, adds each channel's dz into the float64 sums[c] in memory order (the order of
 * the reference's and reduce.ts's sum over axes 0, 2, 3; four channels at a time, one chain each),
 * while the image's dz is in cache. Reads and writes whole vectors: the caller leaves 16 bytes of
 * slack after y, dy and dz.
 */
export function convActBackward(
  y: usize,
  dy: usize,
  dz: usize,
  batch: i32,
  channels: i32,
  plane: i32,
  act: i32,
  sums: usize,
): void {
  const one = f32x4.splat(1);
  const zero = f32x4.splat(0);
  const size = channels * plane;
  for (let n = 0; n < batch; n++) {
    const base = f4(n * size);
    const src = act ? dz + base : dy + base;
    if (act) {
      const yo = y + base;
      const go = dy + base;
      for (let i = 0; i < size; i += 4) {
        const v = v128.load(yo + f4(i));
        const d = v128.load(go + f4(i));
        const r =
          act === 2
            ? f32x4.mul(d, f32x4.mul(v, f32x4.sub(one, v)))
            : f32x4.mul(d, v128.and(f32x4.gt(v, zero), one));
        v128.store(src + f4(i), r);
      }
    }
    if (!sums) continue;
    let c = 0;
    for (; c + 3 < channels; c += 4) {
      const s = sums + ((<usize>c) << 3);
      let a0 = load<f64>(s);
      let a1 = load<f64>(s, 8);
      let a2 = load<f64>(s, 16);
      let a3 = load<f64>(s, 24);
      const p = src + f4(c * plane);
      const pl = f4(plane);
      for (let j = 0; j < plane; j++) {
        const q = p + f4(j);
        a0 += <f64>load<f32>(q);
        a1 += <f64>load<f32>(q + pl);
        a2 += <f64>load<f32>(q + 2 * pl);
        a3 += <f64>load<f32>(q + 3 * pl);
      }
      store<f64>(s, a0);
      store<f64>(s, a1, 8);
      store<f64>(s, a2, 16);
      store<f64>(s, a3, 24);
    }
    for (; c < channels; c++) {
      const s = sums + ((<usize>c) << 3);
      let a = load<f64>(s);
      const p = src + f4(c * plane);
      for (let j = 0; j < plane; j++) a += <f64>load<f32>(p + f4(j));
      store<f64>(s, a);
    }
  }
}

/**
 * Runs chunk `chunk` (a range of images) of the convolution job described at `d` on thread
 * `thread` (0 is the caller), with the matrix product's scratch space at `work`.
 */
export function convChunk(d: usize, chunk: i32, thread: i32, work: usize): void {
  const kind = field(d, 0);
  if (kind === 3) {
    if (field(d, 28) === 3) direct3Chunk(d, chunk, thread);
    else directChunk(d, chunk, thread);
    return;
  }
  if (kind === 4) {
    directFilterChunk(d, chunk, thread);
    return;
  }
  const batch = field(d, 5);
  const cin = field(d, 6);
  const inH = field(d, 7);
  const inW = field(d, 8);
  const cout = field(d, 9);
  const outH = field(d, 10);
  const outW = field(d, 11);
  const kh = field(d, 12);
  const kw = field(d, 13);
  const groups = field(d, 20);
  const per = field(d, 21);
  const scratch = <usize>field(d, 22) + <usize>thread * <usize>field(d, 23);
  const bandRows = field(d, 24);
  const cg = cin / groups;
  const og = cout / groups;
  const kg = cg * kh * kw;
  const plane = outH * outW;
  // A 1x1 kernel with stride 1 and no padding reads the image itself as the column matrix.
  const direct =
    kh === 1 &&
    kw === 1 &&
    field(d, 14) === 1 &&
    field(d, 15) === 1 &&
    field(d, 16) === 0 &&
    field(d, 17) === 0;
  const col = scratch;
  const partial = scratch + f4(kg * bandRows * outW);
  const x = <usize>field(d, 1);
  const w = <usize>field(d, 2);
  const out = <usize>field(d, 3);
  const dy = <usize>field(d, 4);
  const bias = <usize>field(d, 26);
  const act = field(d, 27);
  const n0 = chunk * per;
  const n1 = min(batch, n0 + per);
  for (let n = n0; n < n1; n++) {
    if (kind === 1) memory.fill(out + f4(n * cin * inH * inW), 0, f4(cin * inH * inW));
    for (let g = 0; g < groups; g++) {
      const wg = w + f4(g * og * kg);
      for (let oy0 = 0; oy0 < outH; oy0 += bandRows) {
        const rows = min(bandRows, outH - oy0);
        const cols = rows * outW;
        const pix = oy0 * outW;
        if (kind === 0) {
          // out[n, g*og.., band] (og x cols, row stride plane) = Wg (og x kg) . col (kg x cols)
          const xs = x + f4((n * cin + g * cg) * inH * inW);
          let b = col;
          let rsb = cols;
          if (direct) {
            b = xs + f4(pix);
            rsb = plane;
          } else im2col(d, xs, cg, oy0, rows, col);
          gemmInto(
            wg,
            kg,
            1,
            b,
            rsb,
            1,
            out + f4((n * cout + g * og) * plane + pix),
            plane,
            og,
            cols,
            kg,
            work,
            false,
          );
        } else if (kind === 1) {
          // dcol (kg x cols) = Wgᵀ (kg x og) . dy[n, g*og.., band] (og x cols), then scattered into dx.
          const dyg = x + f4((n * cout + g * og) * plane + pix);
          const dxs = out + f4((n * cin + g * cg) * inH * inW);
          if (direct) {
            gemmInto(wg, 1, kg, dyg, plane, 1, dxs + f4(pix), plane, kg, cols, og, work, false);
          } else {
            gemmInto(wg, 1, kg, dyg, plane, 1, col, cols, kg, cols, og, work, false);
            col2im(d, col, cg, oy0, rows, dxs);
          }
        } else {
          // dW_g partial (og x kg) += dy[n, g*og.., band] (og x cols) . colᵀ (cols x kg)
          const xs = x + f4((n * cin + g * cg) * inH * inW);
          let b = col;
          let csb = cols;
          if (direct) {
            b = xs + f4(pix);
            csb = plane;
          } else im2col(d, xs, cg, oy0, rows, col);
          const dyg = dy + f4((n * cout + g * og) * plane + pix);
          gemmInto(dyg, plane, 1, b, 1, csb, partial + f4(g * og * kg), kg, og, kg, cols, work, true);
        }
      }
    }
    if (kind === 0 && (bias || act)) epilogue(out + f4(n * cout * plane), cout, plane, bias, act);
  }
}

// Direct convolution for stride 1, dilation 1 and no padding (LeNet's layers), job kind 3: no
// column matrix. Four output channels by eight output columns live in eight SIMD registers; each
// kernel tap loads two vectors of input straight from the image row (unaligned) and four broadcast
// weights, and does eight multiply-adds. The weights come zero-padded to a multiple of four output
// channels per group, (groups, ogPad, cg, kh, kw); descriptor field 25 holds ogPad. The last tile
// of a row reads up to 7 floats past it (the JavaScript side leaves slack after the input).

/** Writes channels c0.. (at most `rows` of them) of one 4 x 8 tile, `cols` <= 8 columns, from `edge`. */
function storeTile(edge: usize, out: usize, plane: i32, rows: i32, cols: i32): void {
  for (let c = 0; c < rows; c++)
    for (let j = 0; j < cols; j++) store<f32>(out + f4(c * plane + j), load<f32>(edge + f4(c * 8 + j)));
}

function directChunk(d: usize, chunk: i32, thread: i32): void {
  const batch = field(d, 5);
  const cin = field(d, 6);
  const inH = field(d, 7);
  const inW = field(d, 8);
  const cout = field(d, 9);
  const outH = field(d, 10);
  const outW = field(d, 11);
  const kh = field(d, 12);
  const kw = field(d, 13);
  const groups = field(d, 20);
  const per = field(d, 21);
  const edge = <usize>field(d, 22) + <usize>thread * <usize>field(d, 23);
  const ogPad = field(d, 25);
  const cg = cin / groups;
  const og = cout / groups;
  const x = <usize>field(d, 1);
  const w = <usize>field(d, 2);
  const out = <usize>field(d, 3);
  const bias = <usize>field(d, 26);
  const act = field(d, 27);
  const planeS = inH * inW;
  const wstride = f4(cg * kh * kw);
  const plane = outH * outW;
  const n0 = chunk * per;
  const n1 = min(batch, n0 + per);
  for (let n = n0; n < n1; n++) {
    for (let g = 0; g < groups; g++) {
      const src = x + f4((n * cin + g * cg) * planeS);
      for (let cb = 0; cb < og; cb += 4) {
        const wb = w + f4((g * ogPad + cb) * cg * kh * kw);
        const rows = min(4, og - cb);
        const ob = out + f4((n * cout + g * og + cb) * plane);
        for (let oy = 0; oy < outH; oy++)
          for (let ox0 = 0; ox0 < outW; ox0 += 8) {
            let a00 = f32x4.splat(0);
            let a01 = f32x4.splat(0);
            let a10 = f32x4.splat(0);
            let a11 = f32x4.splat(0);
            let a20 = f32x4.splat(0);
            let a21 = f32x4.splat(0);
            let a30 = f32x4.splat(0);
            let a31 = f32x4.splat(0);
            for (let ci = 0; ci < cg; ci++)
              for (let ky = 0; ky < kh; ky++) {
                let xr = src + f4(ci * planeS + (oy + ky) * inW + ox0);
                let wr = wb + f4((ci * kh + ky) * kw);
                for (let kx = 0; kx < kw; kx++) {
                  const x0 = v128.load(xr);
                  const x1 = v128.load(xr, 16);
                  let wv = v128.load32_splat(wr);
                  a00 = madd(x0, wv, a00);
                  a01 = madd(x1, wv, a01);
                  wv = v128.load32_splat(wr + wstride);
                  a10 = madd(x0, wv, a10);
                  a11 = madd(x1, wv, a11);
                  wv = v128.load32_splat(wr + 2 * wstride);
                  a20 = madd(x0, wv, a20);
                  a21 = madd(x1, wv, a21);
                  wv = v128.load32_splat(wr + 3 * wstride);
                  a30 = madd(x0, wv, a30);
                  a31 = madd(x1, wv, a31);
                  xr += 4;
                  wr += 4;
                }
              }
            const o = ob + f4(oy * outW + ox0);
            if (rows === 4 && ox0 + 8 <= outW) {
              const ps = f4(plane);
              v128.store(o, a00);
              v128.store(o, a01, 16);
              v128.store(o + ps, a10);
              v128.store(o + ps, a11, 16);
              v128.store(o + 2 * ps, a20);
              v128.store(o + 2 * ps, a21, 16);
              v128.store(o + 3 * ps, a30);
              v128.store(o + 3 * ps, a31, 16);
            } else {
              v128.store(edge, a00);
              v128.store(edge, a01, 16);
              v128.store(edge, a10, 32);
              v128.store(edge, a11, 48);
              v128.store(edge, a20, 64);
              v128.store(edge, a21, 80);
              v128.store(edge, a30, 96);
              v128.store(edge, a31, 112);
              storeTile(edge, o, plane, rows, min(8, outW - ox0));
            }
          }
      }
    }
    if (bias || act) epilogue(out + f4(n * cout * plane), cout, plane, bias, act);
  }
}

/**
 * The direct forward with blocks of 3 filters by 12 output columns (nine accumulators, three input
 * vectors and one broadcast weight: 13 registers), for layers whose filters per group are a
 * multiple of 3 but not of 4 (LeNet's first layer: 6, which blocks of 4 pad to 8). Per tap: three
 * input loads, three broadcasts, nine multiply-adds. Weights padded to (groups, ogPad, cg, kh, kw)
 * with ogPad a multiple of 3; the last tile of a row reads up to 11 floats past it.
 */
function direct3Chunk(d: usize, chunk: i32, thread: i32): void {
  const batch = field(d, 5);
  const cin = field(d, 6);
  const inH = field(d, 7);
  const inW = field(d, 8);
  const cout = field(d, 9);
  const outH = field(d, 10);
  const outW = field(d, 11);
  const kh = field(d, 12);
  const kw = field(d, 13);
  const groups = field(d, 20);
  const per = field(d, 21);
  const edge = <usize>field(d, 22) + <usize>thread * <usize>field(d, 23);
  const ogPad = field(d, 25);
  const bias = <usize>field(d, 26);
  const act = field(d, 27);
  const cg = cin / groups;
  const og = cout / groups;
  const x = <usize>field(d, 1);
  const w = <usize>field(d, 2);
  const out = <usize>field(d, 3);
  const planeS = inH * inW;
  const wstride = f4(cg * kh * kw);
  const plane = outH * outW;
  const n0 = chunk * per;
  const n1 = min(batch, n0 + per);
  for (let n = n0; n < n1; n++) {
    for (let g = 0; g < groups; g++) {
      const src = x + f4((n * cin + g * cg) * planeS);
      for (let cb = 0; cb < og; cb += 3) {
        const wb = w + f4((g * ogPad + cb) * cg * kh * kw);
        const rows = min(3, og - cb);
        const ob = out + f4((n * cout + g * og + cb) * plane);
        for (let oy = 0; oy < outH; oy++)
          for (let ox0 = 0; ox0 < outW; ox0 += 12) {
            let a00 = f32x4.splat(0);
            let a01 = f32x4.splat(0);
            let a02 = f32x4.splat(0);
            let a10 = f32x4.splat(0);
            let a11 = f32x4.splat(0);
            let a12 = f32x4.splat(0);
            let a20 = f32x4.splat(0);
            let a21 = f32x4.splat(0);
            let a22 = f32x4.splat(0);
            for (let ci = 0; ci < cg; ci++)
              for (let ky = 0; ky < kh; ky++) {
                let xr = src + f4(ci * planeS + (oy + ky) * inW + ox0);
                let wr = wb + f4((ci * kh + ky) * kw);
                for (let kx = 0; kx < kw; kx++) {
                  const x0 = v128.load(xr);
                  const x1 = v128.load(xr, 16);
                  const x2 = v128.load(xr, 32);
                  let wv = v128.load32_splat(wr);
                  a00 = madd(x0, wv, a00);
                  a01 = madd(x1, wv, a01);
                  a02 = madd(x2, wv, a02);
                  wv = v128.load32_splat(wr + wstride);
                  a10 = madd(x0, wv, a10);
                  a11 = madd(x1, wv, a11);
                  a12 = madd(x2, wv, a12);
                  wv = v128.load32_splat(wr + 2 * wstride);
                  a20 = madd(x0, wv, a20);
                  a21 = madd(x1, wv, a21);
                  a22 = madd(x2, wv, a22);
                  xr += 4;
                  wr += 4;
                }
              }
            const o = ob + f4(oy * outW + ox0);
            if (rows === 3 && ox0 + 12 <= outW) {
              const ps = f4(plane);
              v128.store(o, a00);
              v128.store(o, a01, 16);
              v128.store(o, a02, 32);
              v128.store(o + ps, a10);
              v128.store(o + ps, a11, 16);
              v128.store(o + ps, a12, 32);
              v128.store(o + 2 * ps, a20);
              v128.store(o + 2 * ps, a21, 16);
              v128.store(o + 2 * ps, a22, 32);
            } else {
              v128.store(edge, a00);
              v128.store(edge, a01, 16);
              v128.store(edge, a02, 32);
              v128.store(edge, a10, 48);
              v128.store(edge, a11, 64);
              v128.store(edge, a12, 80);
              v128.store(edge, a20, 96);
              v128.store(edge, a21, 112);
              v128.store(edge, a22, 128);
              const cols = min(12, outW - ox0);
              for (let c = 0; c < rows; c++)
                for (let j = 0; j < cols; j++)
                  store<f32>(o + f4(c * plane + j), load<f32>(edge + f4(c * 12 + j)));
            }
          }
      }
    }
    if (bias || act) epilogue(out + f4(n * cout * plane), cout, plane, bias, act);
  }
}

/** The sum of the 4 lanes, added to the float at p. */
function addLanes(p: usize, v: v128): void {
  const s = f32x4.add(v, f32x4.shuffle(v, v, 2, 3, 0, 1));
  store<f32>(p, load<f32>(p) + f32x4.extract_lane(f32x4.add(s, f32x4.shuffle(s, s, 1, 0, 3, 2)), 0));
}

/**
 * The filter gradient of a stride-1, unpadded, undilated layer without a column matrix, job kind 4:
 * dW[o, c, ky, kx] += sum over pixels of dy[n, o, oy, ox] x[n, c, oy + ky, ox + kx], for 2 filters
 * by 5 taps of one kernel row at a time in ten SIMD accumulators (per step: two dy vectors, five
 * unaligned input vectors, ten multiply-adds). The last vector of a row is masked to the row, and
 * taps past the kernel's width are computed but not stored. Adds into the thread's partial sums.
 */
function directFilterChunk(d: usize, chunk: i32, thread: i32): void {
  const batch = field(d, 5);
  const cin = field(d, 6);
  const inH = field(d, 7);
  const inW = field(d, 8);
  const cout = field(d, 9);
  const outH = field(d, 10);
  const outW = field(d, 11);
  const kh = field(d, 12);
  const kw = field(d, 13);
  const groups = field(d, 20);
  const per = field(d, 21);
  const partial = <usize>field(d, 22) + <usize>thread * <usize>field(d, 23);
  const cg = cin / groups;
  const og = cout / groups;
  const x = <usize>field(d, 1);
  const dy = <usize>field(d, 4);
  const plane = outH * outW;
  const full = outW & ~3;
  const tailMask = i32x4.lt_s(i32x4(0, 1, 2, 3), i32x4.splat(outW - full));
  const n0 = chunk * per;
  const n1 = min(batch, n0 + per);
  for (let n = n0; n < n1; n++)
    for (let g = 0; g < groups; g++)
      for (let c = 0; c < cg; c++) {
        const xs = x + f4((n * cin + g * cg + c) * inH * inW);
        for (let ky = 0; ky < kh; ky++)
          for (let o = 0; o < og; o += 2) {
            const d0 = dy + f4((n * cout + g * og + o) * plane);
            const d1 = o + 1 < og ? d0 + f4(plane) : d0;
            for (let kx0 = 0; kx0 < kw; kx0 += 5) {
              let a00 = f32x4.splat(0);
              let a01 = f32x4.splat(0);
              let a02 = f32x4.splat(0);
              let a03 = f32x4.splat(0);
              let a04 = f32x4.splat(0);
              let a10 = f32x4.splat(0);
              let a11 = f32x4.splat(0);
              let a12 = f32x4.splat(0);
              let a13 = f32x4.splat(0);
              let a14 = f32x4.splat(0);
              for (let oy = 0; oy < outH; oy++) {
                const r0 = d0 + f4(oy * outW);
                const r1 = d1 + f4(oy * outW);
                const xr = xs + f4((oy + ky) * inW + kx0);
                for (let ox = 0; ox < outW; ox += 4) {
                  let v0 = v128.load(r0 + f4(ox));
                  let v1 = v128.load(r1 + f4(ox));
                  const xp = xr + f4(ox);
                  let x0 = v128.load(xp);
                  let x1 = v128.load(xp, 4);
                  let x2 = v128.load(xp, 8);
                  let x3 = v128.load(xp, 12);
                  let x4 = v128.load(xp, 16);
                  if (ox >= full) {
                    v0 = v128.and(v0, tailMask);
                    v1 = v128.and(v1, tailMask);
                    x0 = v128.and(x0, tailMask);
                    x1 = v128.and(x1, tailMask);
                    x2 = v128.and(x2, tailMask);
                    x3 = v128.and(x3, tailMask);
                    x4 = v128.and(x4, tailMask);
                  }
                  a00 = madd(v0, x0, a00);
                  a10 = madd(v1, x0, a10);
                  a01 = madd(v0, x1, a01);
                  a11 = madd(v1, x1, a11);
                  a02 = madd(v0, x2, a02);
                  a12 = madd(v1, x2, a12);
                  a03 = madd(v0, x3, a03);
                  a13 = madd(v1, x3, a13);
                  a04 = madd(v0, x4, a04);
                  a14 = madd(v1, x4, a14);
                }
              }
              const taps = min(5, kw - kx0);
              const p0 = partial + f4((((g * og + o) * cg + c) * kh + ky) * kw + kx0);
              const p1 = p0 + f4(cg * kh * kw);
              const second = o + 1 < og;
              addLanes(p0, a00);
              if (second) addLanes(p1, a10);
              if (taps > 1) {
                addLanes(p0 + 4, a01);
                if (second) addLanes(p1 + 4, a11);
              }
              if (taps > 2) {
                addLanes(p0 + 8, a02);
                if (second) addLanes(p1 + 8, a12);
              }
              if (taps > 3) {
                addLanes(p0 + 12, a03);
                if (second) addLanes(p1 + 12, a13);
              }
              if (taps > 4) {
                addLanes(p0 + 16, a04);
                if (second) addLanes(p1 + 16, a14);
              }
            }
          }
      }
}
