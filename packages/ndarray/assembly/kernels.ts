// WebAssembly SIMD kernels for the 'wasm' backend, compiled by AssemblyScript (see
// packages/ndarray/scripts/build-wasm.mjs). Everything works on raw float32 memory whose layout the
// JavaScript side (src/backend/wasm/) decides; nothing here allocates.
//
// gemm computes C (m,n) = A (m,k) . B (k,n) for any strides, so one routine serves every transpose
// combination: A(i,p) is at a + 4*(i*rsa + p*csa) and B(p,j) at b + 4*(p*rsb + j*csb). It is the usual
// blocked scheme: B is copied block by block (KC rows by NC columns) into panels NR columns wide and A
// (MC rows by KC) into panels MR rows tall, both zero-padded to whole panels, so the micro-kernel reads
// two unit-stride streams and keeps an MR x NR tile of C in SIMD registers. The tile is 3 x 12: nine
// accumulators, three B vectors and one broadcast A value fit in the 15 xmm registers V8 allocates on
// x64 (a 4 x 12 tile needs 17 and spills four accumulators to the stack on every step of p).
// The module is built twice: with relaxed SIMD, each step is one fused multiply-add (f32x4.relaxed_madd,
// vfmadd231ps on x64: 40-45 GFLOP/s per thread here, against 25-28 for a multiply and an add); without
// it, a multiply then an add. The JavaScript side loads the relaxed build wherever it validates.
// Outputs at most 10 columns wide with A stored transposed (weight gradients of a classifier's last
// layer) take gemmNarrowT instead, whose 8 x 5 tiles do not pad n = 10 to 12.
// `gemm` (the matrix product; the convolutions call gemmInto, which is unchanged) picks among more
// routes: ten-column outputs with A not transposed (X·Wᵀ of a 10-class layer) take 4 x 10 tiles
// (gemmTen); outputs of at most 16 rows with B row-major (dYᵀ·X) read B in place on 5 x 8 tiles
// (gemmSmallM); other outputs taller than 16 rows and wider than 48 columns are blocked as above on
// 6 x 8 tiles in the relaxed build, 5 x 8 in the other (gemmBlocked58): ten or twelve accumulators
// cover the fused multiply-add's latency on AMD Zen (5 cycles, two per cycle, so ten in flight),
// which nine (3 x 12) do not quite. Every route sums each C value over p in ascending order in the
// same k blocks (blockSize(k, KC_MAX)), so all give the results of the 3 x 12 kernel bit for bit.
// The convolution kernels (conv.ts) run on the same product, image by image.
// The other files hold kernels re-exported at their places below: pooling (pool.ts), SGD's plain
// step (optim.ts) and the DataLoader's uint8 row conversions (gather.ts).

import { madd } from './simd';

const MR: i32 = 3;
const NR: i32 = 12;
const KC_MAX: i32 = 384;
/** A multiple of MR (and of the 5 and 6 rows of the 5 x 8 and 6 x 8 tiles), so that a block of A packs into whole panels. */
const MC_MAX: i32 = 120;
const NC_MAX: i32 = 1020;

/** Floats of scratch space `gemm` needs at `work` (+4: packAPanel's last 16-byte store spills one float). */
export function gemmWorkFloats(): i32 {
  return KC_MAX * NC_MAX + MC_MAX * KC_MAX + 4 + max(max(MR * NR, 8 * NW), 6 * 8);
}

/** Splits `total` into the fewest blocks of at most `max`, of nearly equal size. */
function blockSize(total: i32, max: i32): i32 {
  const blocks = (total + max - 1) / max;
  return (total + blocks - 1) / blocks;
}

/** Byte offset of element `i` of a float32 array. */
function f4(i: i32): usize {
  return (<usize>i) << 2;
}

/** Stores the transpose of the 4x4 block whose rows are r0..r3: column q goes to dst + q*step. */
function transpose4(r0: v128, r1: v128, r2: v128, r3: v128, dst: usize, step: usize): void {
  const t0 = f32x4.shuffle(r0, r1, 0, 4, 1, 5);
  const t1 = f32x4.shuffle(r2, r3, 0, 4, 1, 5);
  const t2 = f32x4.shuffle(r0, r1, 2, 6, 3, 7);
  const t3 = f32x4.shuffle(r2, r3, 2, 6, 3, 7);
  v128.store(dst, f32x4.shuffle(t0, t1, 0, 1, 4, 5));
  v128.store(dst + step, f32x4.shuffle(t0, t1, 2, 3, 6, 7));
  v128.store(dst + 2 * step, f32x4.shuffle(t2, t3, 0, 1, 4, 5));
  v128.store(dst + 3 * step, f32x4.shuffle(t2, t3, 2, 3, 6, 7));
}

/** Copies B (kc, nc) into panels of NR columns: panel q holds B(p, q*NR + jj) at (q*kc + p)*NR + jj. */
function packB(b: usize, rsb: i32, csb: i32, kc: i32, nc: i32, dst: usize): void {
  for (let j = 0; j < nc; j += NR) {
    const w = min(NR, nc - j);
    const panel = dst + f4(j * kc);
    let p = 0;
    if (w === NR && csb === 1) {
      for (; p < kc; p++) {
        const src = b + f4(p * rsb + j);
        const d = panel + f4(p * NR);
        v128.store(d, v128.load(src));
        v128.store(d, v128.load(src, 16), 16);
        v128.store(d, v128.load(src, 32), 32);
      }
    } else if (w === NR && rsb === 1) {
      // B stored transposed: each column is contiguous, so transpose 4x4 blocks.
      for (; p + 3 < kc; p += 4) {
        const d = panel + f4(p * NR);
        for (let q = 0; q < NR; q += 4) {
          const src = b + f4(p + (j + q) * csb);
          const cs = f4(csb);
          transpose4(
            v128.load(src),
            v128.load(src + cs),
            v128.load(src + 2 * cs),
            v128.load(src + 3 * cs),
            d + f4(q),
            f4(NR),
          );
        }
      }
    }
    for (; p < kc; p++) {
      const d = panel + f4(p * NR);
      let jj = 0;
      for (; jj < w; jj++) store<f32>(d + f4(jj), load<f32>(b + f4(p * rsb + (j + jj) * csb)));
      for (; jj < NR; jj++) store<f32>(d + f4(jj), 0);
    }
  }
}

/**
 * Copies rows i..i+h of A (h <= MR, kc columns) into one panel: A(i + ii, p) at p*MR + ii, zero-padded.
 * May write one float past the panel (a 16-byte store of 3 values); panels are packed in order, and
 * the work area has room after the last.
 */
function packAPanel(a: usize, rsa: i32, csa: i32, i: i32, h: i32, kc: i32, panel: usize): void {
  let p = 0;
  if (h === MR && rsa === 1) {
    // A stored transposed: A(i..i+2, p) is contiguous. The 4th value read is the next row's or lies in
    // the slack after the operands (the JavaScript side keeps 64 bytes of it), and is overwritten next.
    for (; p < kc; p++) v128.store(panel + f4(p * MR), v128.load(a + f4(i + p * csa)));
  } else if (h === MR && csa === 1) {
    // Rows r0..r2, 4 columns at a time: (r0[0] r1[0] r2[0] r0[1]) (r1[1] r2[1] r0[2] r1[2]) (r2[2] r0[3] r1[3] r2[3]).
    const r = f4(rsa);
    const src = a + f4(i * rsa);
    for (; p + 3 < kc; p += 4) {
      const s = src + f4(p);
      const r0 = v128.load(s);
      const r1 = v128.load(s + r);
      const r2 = v128.load(s + 2 * r);
      const d = panel + f4(p * MR);
      v128.store(d, f32x4.shuffle(f32x4.shuffle(r0, r1, 0, 4, 1, 5), r2, 0, 1, 4, 2));
      v128.store(d, f32x4.shuffle(f32x4.shuffle(r1, r2, 1, 5, 2, 6), r0, 0, 1, 6, 2), 16);
      v128.store(d, f32x4.shuffle(r2, f32x4.shuffle(r0, r1, 3, 7, 3, 7), 2, 4, 5, 3), 32);
    }
  }
  for (; p < kc; p++) {
    const d = panel + f4(p * MR);
    let ii = 0;
    for (; ii < h; ii++) store<f32>(d + f4(ii), load<f32>(a + f4((i + ii) * rsa + p * csa)));
    for (; ii < MR; ii++) store<f32>(d + f4(ii), 0);
  }
}

/**
 * One MR x NR tile: acc = sum over p of A(:,p) B(p,:), reading A(ii,p) at ap + ii*ars + p*aks (bytes)
 * and B(p,:) at bp + p*NR*4; then C tile = acc (first k block) or C tile += acc. Tiles cut by the matrix edge
 * go through `edge` and copy only h rows and w columns.
 */
function micro(
  kc: i32,
  ap: usize,
  ars: usize,
  aks: usize,
  bp: usize,
  c: usize,
  ldc: i32,
  add: bool,
  h: i32,
  w: i32,
  edge: usize,
): void {
  let c00 = f32x4.splat(0);
  let c01 = f32x4.splat(0);
  let c02 = f32x4.splat(0);
  let c10 = f32x4.splat(0);
  let c11 = f32x4.splat(0);
  let c12 = f32x4.splat(0);
  let c20 = f32x4.splat(0);
  let c21 = f32x4.splat(0);
  let c22 = f32x4.splat(0);
  const ar2 = ars * 2;
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    const b2 = v128.load(bp, 32);
    let a = v128.load32_splat(ap);
    c00 = madd(a, b0, c00);
    c01 = madd(a, b1, c01);
    c02 = madd(a, b2, c02);
    a = v128.load32_splat(ap + ars);
    c10 = madd(a, b0, c10);
    c11 = madd(a, b1, c11);
    c12 = madd(a, b2, c12);
    a = v128.load32_splat(ap + ar2);
    c20 = madd(a, b0, c20);
    c21 = madd(a, b1, c21);
    c22 = madd(a, b2, c22);
    ap += aks;
    bp += NR << 2;
  }
  const full = h === MR && w === NR;
  const rs = full ? f4(ldc) : f4(NR);
  let t = full ? c : edge;
  if (full && add) {
    v128.store(t, f32x4.add(v128.load(t), c00));
    v128.store(t, f32x4.add(v128.load(t, 16), c01), 16);
    v128.store(t, f32x4.add(v128.load(t, 32), c02), 32);
    t += rs;
    v128.store(t, f32x4.add(v128.load(t), c10));
    v128.store(t, f32x4.add(v128.load(t, 16), c11), 16);
    v128.store(t, f32x4.add(v128.load(t, 32), c12), 32);
    t += rs;
    v128.store(t, f32x4.add(v128.load(t), c20));
    v128.store(t, f32x4.add(v128.load(t, 16), c21), 16);
    v128.store(t, f32x4.add(v128.load(t, 32), c22), 32);
    return;
  }
  v128.store(t, c00);
  v128.store(t, c01, 16);
  v128.store(t, c02, 32);
  t += rs;
  v128.store(t, c10);
  v128.store(t, c11, 16);
  v128.store(t, c12, 32);
  t += rs;
  v128.store(t, c20);
  v128.store(t, c21, 16);
  v128.store(t, c22, 32);
  if (full) return;
  for (let i = 0; i < h; i++) {
    const src = edge + f4(i * NR);
    const dst = c + f4(i * ldc);
    for (let j = 0; j < w; j++) {
      const v = load<f32>(src + f4(j));
      store<f32>(dst + f4(j), add ? load<f32>(dst + f4(j)) + v : v);
    }
  }
}

/** Columns of C one narrow tile covers (see gemmNarrowT). */
const NW: i32 = 5;

/**
 * C = A . B for narrow outputs (n <= 2*NW) when A is stored transposed (rsa = 1, so A(i..i+7, p) is
 * contiguous): B is packed into groups of NW columns (zero-padded) and each 8 x NW tile of C keeps
 * C(i..i+7, j) in two SIMD registers per column, so n = 10 wastes nothing where the MR x NR tile pads
 * it to 12, and A is read in place. Each C value sums over p in order, like `micro`. Does the first
 * m - m % 8 rows and returns how many; `edge` must hold 8 * NW floats.
 */
function gemmNarrowT(
  a: usize,
  csa: i32,
  b: usize,
  rsb: i32,
  csb: i32,
  c: usize,
  ldc: i32,
  m: i32,
  n: i32,
  k: i32,
  bpack: usize,
  edge: usize,
): i32 {
  const groups = (n + NW - 1) / NW;
  for (let g = 0; g < groups; g++)
    for (let p = 0; p < k; p++) {
      const d = bpack + f4((g * k + p) * NW);
      for (let jj = 0; jj < NW; jj++) {
        const j = g * NW + jj;
        store<f32>(d + f4(jj), j < n ? load<f32>(b + f4(p * rsb + j * csb)) : 0);
      }
    }
  const rows = m & ~7;
  const step = f4(csa);
  for (let g = 0; g < groups; g++) {
    const w = min(NW, n - g * NW);
    const bg = bpack + f4(g * k * NW);
    for (let i = 0; i < rows; i += 8) {
      let c00 = f32x4.splat(0);
      let c10 = f32x4.splat(0);
      let c01 = f32x4.splat(0);
      let c11 = f32x4.splat(0);
      let c02 = f32x4.splat(0);
      let c12 = f32x4.splat(0);
      let c03 = f32x4.splat(0);
      let c13 = f32x4.splat(0);
      let c04 = f32x4.splat(0);
      let c14 = f32x4.splat(0);
      let ap = a + f4(i);
      let bp = bg;
      for (let p = 0; p < k; p++) {
        const a0 = v128.load(ap);
        const a1 = v128.load(ap, 16);
        let s = v128.load32_splat(bp);
        c00 = madd(a0, s, c00);
        c10 = madd(a1, s, c10);
        s = v128.load32_splat(bp, 4);
        c01 = madd(a0, s, c01);
        c11 = madd(a1, s, c11);
        s = v128.load32_splat(bp, 8);
        c02 = madd(a0, s, c02);
        c12 = madd(a1, s, c12);
        s = v128.load32_splat(bp, 12);
        c03 = madd(a0, s, c03);
        c13 = madd(a1, s, c13);
        s = v128.load32_splat(bp, 16);
        c04 = madd(a0, s, c04);
        c14 = madd(a1, s, c14);
        ap += step;
        bp += NW << 2;
      }
      // edge holds the tile column by column: C(i + l, jj) at jj*8 + l.
      v128.store(edge, c00);
      v128.store(edge, c10, 16);
      v128.store(edge, c01, 32);
      v128.store(edge, c11, 48);
      v128.store(edge, c02, 64);
      v128.store(edge, c12, 80);
      v128.store(edge, c03, 96);
      v128.store(edge, c13, 112);
      v128.store(edge, c04, 128);
      v128.store(edge, c14, 144);
      const ct = c + f4(i * ldc + g * NW);
      for (let l = 0; l < 8; l++)
        for (let jj = 0; jj < w; jj++) store<f32>(ct + f4(l * ldc + jj), load<f32>(edge + f4(jj * 8 + l)));
    }
  }
  return rows;
}

/** Rows and columns of the 5 x 8 tile (ten accumulators; see micro58). */
const MS: i32 = 5;
const NS: i32 = 8;
/**
 * Rows of the blocked route's tile (gemmBlocked58): 6 x 8 in the relaxed build (twelve
 * accumulators, two B vectors and the broadcast A value fill V8's 15 xmm registers exactly; checked
 * with --print-wasm-code: no spills), 5 x 8 without fused multiply-add, whose separate multiply
 * needs a sixteenth register for its product.
 */
const MB: i32 = ASC_FEATURE_RELAXED_SIMD ? 6 : 5;
/** Outputs at most this many rows tall with B stored row-major take gemmSmallM. */
const SMALL_M: i32 = 16;

/**
 * One 5 x 8 tile: acc = sum over p of A(:,p) B(p,:), A packed 5 values per step of p at `ap`, B(p,:)
 * two vectors at bp + p*bstep (bytes); then C tile = acc, or C tile += acc when `add`. Ten
 * accumulators hide the fused multiply-add's latency (5 cycles on AMD Zen, two per cycle: ten in
 * flight), which nine (3 x 12) do not quite. Tiles cut by the matrix edge go through `edge`.
 */
function micro58(
  kc: i32,
  ap: usize,
  bp: usize,
  bstep: usize,
  c: usize,
  ldc: i32,
  add: bool,
  h: i32,
  w: i32,
  edge: usize,
): void {
  let c00 = f32x4.splat(0);
  let c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0);
  let c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0);
  let c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0);
  let c31 = f32x4.splat(0);
  let c40 = f32x4.splat(0);
  let c41 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let a = v128.load32_splat(ap);
    c00 = madd(a, b0, c00);
    c01 = madd(a, b1, c01);
    a = v128.load32_splat(ap, 4);
    c10 = madd(a, b0, c10);
    c11 = madd(a, b1, c11);
    a = v128.load32_splat(ap, 8);
    c20 = madd(a, b0, c20);
    c21 = madd(a, b1, c21);
    a = v128.load32_splat(ap, 12);
    c30 = madd(a, b0, c30);
    c31 = madd(a, b1, c31);
    a = v128.load32_splat(ap, 16);
    c40 = madd(a, b0, c40);
    c41 = madd(a, b1, c41);
    ap += MS << 2;
    bp += bstep;
  }
  const full = h === MS && w === NS;
  const rs = full ? f4(ldc) : f4(NS);
  let t = full ? c : edge;
  if (full && add) {
    v128.store(t, f32x4.add(v128.load(t), c00));
    v128.store(t, f32x4.add(v128.load(t, 16), c01), 16);
    t += rs;
    v128.store(t, f32x4.add(v128.load(t), c10));
    v128.store(t, f32x4.add(v128.load(t, 16), c11), 16);
    t += rs;
    v128.store(t, f32x4.add(v128.load(t), c20));
    v128.store(t, f32x4.add(v128.load(t, 16), c21), 16);
    t += rs;
    v128.store(t, f32x4.add(v128.load(t), c30));
    v128.store(t, f32x4.add(v128.load(t, 16), c31), 16);
    t += rs;
    v128.store(t, f32x4.add(v128.load(t), c40));
    v128.store(t, f32x4.add(v128.load(t, 16), c41), 16);
    return;
  }
  v128.store(t, c00);
  v128.store(t, c01, 16);
  t += rs;
  v128.store(t, c10);
  v128.store(t, c11, 16);
  t += rs;
  v128.store(t, c20);
  v128.store(t, c21, 16);
  t += rs;
  v128.store(t, c30);
  v128.store(t, c31, 16);
  t += rs;
  v128.store(t, c40);
  v128.store(t, c41, 16);
  if (full) return;
  for (let i = 0; i < h; i++) {
    const src = edge + f4(i * NS);
    const dst = c + f4(i * ldc);
    for (let j = 0; j < w; j++) {
      const v = load<f32>(src + f4(j));
      store<f32>(dst + f4(j), add ? load<f32>(dst + f4(j)) + v : v);
    }
  }
}

/** micro58 with six rows (A packed 6 values per step of p): the relaxed build's blocked tile (see MB). */
function micro68(
  kc: i32,
  ap: usize,
  bp: usize,
  bstep: usize,
  c: usize,
  ldc: i32,
  add: bool,
  h: i32,
  w: i32,
  edge: usize,
): void {
  let c00 = f32x4.splat(0);
  let c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0);
  let c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0);
  let c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0);
  let c31 = f32x4.splat(0);
  let c40 = f32x4.splat(0);
  let c41 = f32x4.splat(0);
  let c50 = f32x4.splat(0);
  let c51 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let a = v128.load32_splat(ap);
    c00 = madd(a, b0, c00);
    c01 = madd(a, b1, c01);
    a = v128.load32_splat(ap, 4);
    c10 = madd(a, b0, c10);
    c11 = madd(a, b1, c11);
    a = v128.load32_splat(ap, 8);
    c20 = madd(a, b0, c20);
    c21 = madd(a, b1, c21);
    a = v128.load32_splat(ap, 12);
    c30 = madd(a, b0, c30);
    c31 = madd(a, b1, c31);
    a = v128.load32_splat(ap, 16);
    c40 = madd(a, b0, c40);
    c41 = madd(a, b1, c41);
    a = v128.load32_splat(ap, 20);
    c50 = madd(a, b0, c50);
    c51 = madd(a, b1, c51);
    ap += 6 << 2;
    bp += bstep;
  }
  const full = h === 6 && w === NS;
  const rs = full ? f4(ldc) : f4(NS);
  let t = full ? c : edge;
  if (full && add) {
    v128.store(t, f32x4.add(v128.load(t), c00));
    v128.store(t, f32x4.add(v128.load(t, 16), c01), 16);
    t += rs;
    v128.store(t, f32x4.add(v128.load(t), c10));
    v128.store(t, f32x4.add(v128.load(t, 16), c11), 16);
    t += rs;
    v128.store(t, f32x4.add(v128.load(t), c20));
    v128.store(t, f32x4.add(v128.load(t, 16), c21), 16);
    t += rs;
    v128.store(t, f32x4.add(v128.load(t), c30));
    v128.store(t, f32x4.add(v128.load(t, 16), c31), 16);
    t += rs;
    v128.store(t, f32x4.add(v128.load(t), c40));
    v128.store(t, f32x4.add(v128.load(t, 16), c41), 16);
    t += rs;
    v128.store(t, f32x4.add(v128.load(t), c50));
    v128.store(t, f32x4.add(v128.load(t, 16), c51), 16);
    return;
  }
  v128.store(t, c00);
  v128.store(t, c01, 16);
  t += rs;
  v128.store(t, c10);
  v128.store(t, c11, 16);
  t += rs;
  v128.store(t, c20);
  v128.store(t, c21, 16);
  t += rs;
  v128.store(t, c30);
  v128.store(t, c31, 16);
  t += rs;
  v128.store(t, c40);
  v128.store(t, c41, 16);
  t += rs;
  v128.store(t, c50);
  v128.store(t, c51, 16);
  if (full) return;
  for (let i = 0; i < h; i++) {
    const src = edge + f4(i * NS);
    const dst = c + f4(i * ldc);
    for (let j = 0; j < w; j++) {
      const v = load<f32>(src + f4(j));
      store<f32>(dst + f4(j), add ? load<f32>(dst + f4(j)) + v : v);
    }
  }
}

/**
 * Copies rows i..i+h of A (h <= MS, kc columns) into one panel: A(i + ii, p) at p*MS + ii, zero-padded.
 * Nothing is written past the panel (each 16-byte store is followed by the rest of its step).
 */
function packAPanel5(a: usize, rsa: i32, csa: i32, i: i32, h: i32, kc: i32, panel: usize): void {
  let p = 0;
  if (h === MS && rsa === 1) {
    // A stored transposed: A(i..i+4, p) is contiguous.
    for (; p < kc; p++) {
      const s = a + f4(i + p * csa);
      const d = panel + f4(p * MS);
      v128.store(d, v128.load(s));
      store<f32>(d + 16, load<f32>(s + 16));
    }
  } else if (h === MS && csa === 1) {
    // Rows r0..r3 four columns at a time through a 4x4 transpose, row r4 one value at a time.
    const r = f4(rsa);
    const src = a + f4(i * rsa);
    for (; p + 3 < kc; p += 4) {
      const s = src + f4(p);
      const d = panel + f4(p * MS);
      transpose4(v128.load(s), v128.load(s + r), v128.load(s + 2 * r), v128.load(s + 3 * r), d, f4(MS));
      const s4 = s + 4 * r;
      store<f32>(d + 16, load<f32>(s4));
      store<f32>(d + 36, load<f32>(s4 + 4));
      store<f32>(d + 56, load<f32>(s4 + 8));
      store<f32>(d + 76, load<f32>(s4 + 12));
    }
  }
  for (; p < kc; p++) {
    const d = panel + f4(p * MS);
    let ii = 0;
    for (; ii < h; ii++) store<f32>(d + f4(ii), load<f32>(a + f4((i + ii) * rsa + p * csa)));
    for (; ii < MS; ii++) store<f32>(d + f4(ii), 0);
  }
}

/** packAPanel5 for panels of 6 rows (h <= 6): A(i + ii, p) at p*6 + ii, zero-padded. */
function packAPanel6(a: usize, rsa: i32, csa: i32, i: i32, h: i32, kc: i32, panel: usize): void {
  let p = 0;
  if (h === 6 && rsa === 1) {
    for (; p < kc; p++) {
      const s = a + f4(i + p * csa);
      const d = panel + f4(p * 6);
      v128.store(d, v128.load(s));
      v128.store64_lane(d, v128.load64_zero(s, 16), 0, 16);
    }
  } else if (h === 6 && csa === 1) {
    // Rows r0..r3 four columns at a time through a 4x4 transpose; rows r4, r5 interleaved in pairs.
    const r = f4(rsa);
    const src = a + f4(i * rsa);
    for (; p + 3 < kc; p += 4) {
      const s = src + f4(p);
      const d = panel + f4(p * 6);
      transpose4(v128.load(s), v128.load(s + r), v128.load(s + 2 * r), v128.load(s + 3 * r), d, 24);
      const r4 = v128.load(s + 4 * r);
      const r5 = v128.load(s + 5 * r);
      const lo = f32x4.shuffle(r4, r5, 0, 4, 1, 5);
      const hi = f32x4.shuffle(r4, r5, 2, 6, 3, 7);
      v128.store64_lane(d, lo, 0, 16);
      v128.store64_lane(d, lo, 1, 40);
      v128.store64_lane(d, hi, 0, 64);
      v128.store64_lane(d, hi, 1, 88);
    }
  }
  for (; p < kc; p++) {
    const d = panel + f4(p * 6);
    let ii = 0;
    for (; ii < h; ii++) store<f32>(d + f4(ii), load<f32>(a + f4((i + ii) * rsa + p * csa)));
    for (; ii < 6; ii++) store<f32>(d + f4(ii), 0);
  }
}

/** Copies B (kc, nc) into panels of NS columns: panel q holds B(p, q*NS + jj) at (q*kc + p)*NS + jj. */
function packB8(b: usize, rsb: i32, csb: i32, kc: i32, nc: i32, dst: usize): void {
  for (let j = 0; j < nc; j += NS) {
    const w = min(NS, nc - j);
    const panel = dst + f4(j * kc);
    let p = 0;
    if (w === NS && csb === 1) {
      for (; p < kc; p++) {
        const src = b + f4(p * rsb + j);
        const d = panel + f4(p * NS);
        v128.store(d, v128.load(src));
        v128.store(d, v128.load(src, 16), 16);
      }
    } else if (w === NS && rsb === 1) {
      // B stored transposed: each column is contiguous, so transpose 4x4 blocks.
      const cs = f4(csb);
      for (; p + 3 < kc; p += 4) {
        const d = panel + f4(p * NS);
        for (let q = 0; q < NS; q += 4) {
          const src = b + f4(p + (j + q) * csb);
          transpose4(
            v128.load(src),
            v128.load(src + cs),
            v128.load(src + 2 * cs),
            v128.load(src + 3 * cs),
            d + f4(q),
            f4(NS),
          );
        }
      }
    }
    for (; p < kc; p++) {
      const d = panel + f4(p * NS);
      let jj = 0;
      for (; jj < w; jj++) store<f32>(d + f4(jj), load<f32>(b + f4(p * rsb + (j + jj) * csb)));
      for (; jj < NS; jj++) store<f32>(d + f4(jj), 0);
    }
  }
}

/**
 * C = A . B for short outputs (m <= SMALL_M) with B stored
 * row-major (csb = 1), such as the weight gradient dYᵀ·X of a 10-class layer, (10,256)·(256,784):
 * A is packed into panels of 5 rows (it is small), B is read in place, 8 columns of a row being two
 * vectors, so it is never copied; only a last partial column panel is. k is cut into the same blocks
 * as in gemmInto and each block's sum added to C, so every C value is rounded exactly as there.
 * `apack` must hold ceil(m/5)*5*k + 4 floats, `bpack` k*NS.
 */
function gemmSmallM(
  a: usize,
  rsa: i32,
  csa: i32,
  b: usize,
  rsb: i32,
  c: usize,
  ldc: i32,
  m: i32,
  n: i32,
  k: i32,
  apack: usize,
  bpack: usize,
  edge: usize,
): void {
  const panels = (m + MS - 1) / MS;
  for (let q = 0; q < panels; q++)
    packAPanel5(a, rsa, csa, q * MS, min(MS, m - q * MS), k, apack + f4(q * MS * k));
  const kcb = blockSize(k, KC_MAX);
  for (let j = 0; j < n; j += NS) {
    const w = min(NS, n - j);
    let bj = b + f4(j);
    let bstep = f4(rsb);
    if (w < NS) {
      packB8(bj, rsb, 1, k, w, bpack);
      bj = bpack;
      bstep = f4(NS);
    }
    for (let pc = 0; pc < k; pc += kcb) {
      const kc = min(kcb, k - pc);
      for (let q = 0; q < panels; q++)
        micro58(
          kc,
          apack + f4(q * MS * k + pc * MS),
          bj + pc * bstep,
          bstep,
          c + f4(q * MS * ldc + j),
          ldc,
          pc > 0,
          min(MS, m - q * MS),
          w,
          edge,
        );
    }
  }
}

/**
 * The blocked product of gemmInto on MB x 8 tiles (micro68 in the relaxed build, micro58 in the
 * other): B packed in blocks of KC_MAX rows by NC_MAX columns into panels of 8 columns, A in blocks
 * of MC_MAX rows into panels of MB. The same k blocks as gemmInto, so the same sums.
 */
function gemmBlocked58(
  a: usize,
  rsa: i32,
  csa: i32,
  b: usize,
  rsb: i32,
  csb: i32,
  c: usize,
  ldc: i32,
  m: i32,
  n: i32,
  k: i32,
  work: usize,
): void {
  const bpack = work;
  const apack = bpack + f4(KC_MAX * NC_MAX);
  const edge = apack + f4(MC_MAX * KC_MAX + 4);
  const kcb = blockSize(k, KC_MAX);
  for (let jc = 0; jc < n; jc += NC_MAX) {
    const nc = min(NC_MAX, n - jc);
    for (let pc = 0; pc < k; pc += kcb) {
      const kc = min(kcb, k - pc);
      packB8(b + f4(pc * rsb + jc * csb), rsb, csb, kc, nc, bpack);
      for (let ic = 0; ic < m; ic += MC_MAX) {
        const mc = min(MC_MAX, m - ic);
        const ablock = a + f4(ic * rsa + pc * csa);
        for (let ir = 0; ir < mc; ir += MB) {
          const panel = apack + f4(ir * kc);
          if (MB === 6) packAPanel6(ablock, rsa, csa, ir, min(MB, mc - ir), kc, panel);
          else packAPanel5(ablock, rsa, csa, ir, min(MB, mc - ir), kc, panel);
        }
        for (let jr = 0; jr < nc; jr += NS) {
          const w = min(NS, nc - jr);
          const bp = bpack + f4(jr * kc);
          for (let ir = 0; ir < mc; ir += MB) {
            const ct = c + f4((ic + ir) * ldc + jc + jr);
            const h = min(MB, mc - ir);
            if (MB === 6) micro68(kc, apack + f4(ir * kc), bp, f4(NS), ct, ldc, pc > 0, h, w, edge);
            else micro58(kc, apack + f4(ir * kc), bp, f4(NS), ct, ldc, pc > 0, h, w, edge);
          }
        }
      }
    }
  }
}

/**
 * Four rows by ten columns of C: acc = sum over p of A(:,p) B(p,:), A(ii,p) read in place at
 * ap + ii*ars + p*aks (bytes), B packed 12 floats per step of p: B(p, 0..7), then B(p,8) B(p,9)
 * B(p,8) B(p,9). Columns 0-7 take two accumulators per row; columns 8-9 of rows (0,1) and of rows
 * (2,3) share one each, fed by the A pair (A(0,p) A(0,p) A(1,p) A(1,p)), one shuffle of two
 * broadcasts: ten accumulators and ten multiply-adds per step, none of them on padding. Then C
 * tile = acc, or C tile += acc when `add`.
 */
function micro410(
  kc: i32,
  ap: usize,
  ars: usize,
  aks: usize,
  bp: usize,
  c: usize,
  ldc: i32,
  add: bool,
): void {
  let c00 = f32x4.splat(0);
  let c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0);
  let c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0);
  let c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0);
  let c31 = f32x4.splat(0);
  let q01 = f32x4.splat(0);
  let q23 = f32x4.splat(0);
  const ar2 = ars * 2;
  const ar3 = ars * 3;
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    const b2 = v128.load(bp, 32);
    const a0 = v128.load32_splat(ap);
    c00 = madd(a0, b0, c00);
    c01 = madd(a0, b1, c01);
    const a1 = v128.load32_splat(ap + ars);
    c10 = madd(a1, b0, c10);
    c11 = madd(a1, b1, c11);
    q01 = madd(f32x4.shuffle(a0, a1, 0, 1, 4, 5), b2, q01);
    const a2 = v128.load32_splat(ap + ar2);
    c20 = madd(a2, b0, c20);
    c21 = madd(a2, b1, c21);
    const a3 = v128.load32_splat(ap + ar3);
    c30 = madd(a3, b0, c30);
    c31 = madd(a3, b1, c31);
    q23 = madd(f32x4.shuffle(a2, a3, 0, 1, 4, 5), b2, q23);
    ap += aks;
    bp += 48;
  }
  const rs = f4(ldc);
  let t = c;
  if (add) {
    v128.store(t, f32x4.add(v128.load(t), c00));
    v128.store(t, f32x4.add(v128.load(t, 16), c01), 16);
    v128.store64_lane(t, f32x4.add(v128.load64_zero(t, 32), q01), 0, 32);
    t += rs;
    v128.store(t, f32x4.add(v128.load(t), c10));
    v128.store(t, f32x4.add(v128.load(t, 16), c11), 16);
    v128.store64_lane(t, f32x4.add(v128.load64_zero(t, 32), f32x4.shuffle(q01, q01, 2, 3, 0, 1)), 0, 32);
    t += rs;
    v128.store(t, f32x4.add(v128.load(t), c20));
    v128.store(t, f32x4.add(v128.load(t, 16), c21), 16);
    v128.store64_lane(t, f32x4.add(v128.load64_zero(t, 32), q23), 0, 32);
    t += rs;
    v128.store(t, f32x4.add(v128.load(t), c30));
    v128.store(t, f32x4.add(v128.load(t, 16), c31), 16);
    v128.store64_lane(t, f32x4.add(v128.load64_zero(t, 32), f32x4.shuffle(q23, q23, 2, 3, 0, 1)), 0, 32);
    return;
  }
  v128.store(t, c00);
  v128.store(t, c01, 16);
  v128.store64_lane(t, q01, 0, 32);
  t += rs;
  v128.store(t, c10);
  v128.store(t, c11, 16);
  v128.store64_lane(t, q01, 1, 32);
  t += rs;
  v128.store(t, c20);
  v128.store(t, c21, 16);
  v128.store64_lane(t, q23, 0, 32);
  t += rs;
  v128.store(t, c30);
  v128.store(t, c31, 16);
  v128.store64_lane(t, q23, 1, 32);
}

/**
 * C = A . B for outputs exactly ten columns wide (a 10-class layer's X·Wᵀ, (256,784)·(10,784)ᵀ, and
 * the MLP's H·W2ᵀ), A read in place, on the 4 x 10 tiles of micro410 (3 x 12 tiles pad 10 to 12).
 * B is packed once, 12 floats per step of p. k is cut into the blocks gemmInto uses and each
 * block's sum added to C, so every C value is rounded exactly as there. Does the first m - m % 4
 * rows and returns how many; `bpack` must hold 12 * k floats.
 */
function gemmTen(
  a: usize,
  rsa: i32,
  csa: i32,
  b: usize,
  rsb: i32,
  csb: i32,
  c: usize,
  ldc: i32,
  m: i32,
  k: i32,
  bpack: usize,
): i32 {
  for (let p = 0; p < k; p++) {
    const d = bpack + f4(p * 12);
    const s = b + f4(p * rsb);
    for (let j = 0; j < 10; j++) store<f32>(d + f4(j), load<f32>(s + f4(j * csb)));
    store<f32>(d + 40, load<f32>(s + f4(8 * csb)));
    store<f32>(d + 44, load<f32>(s + f4(9 * csb)));
  }
  const rows = m & ~3;
  const kcb = blockSize(k, KC_MAX);
  const ars = f4(rsa);
  const aks = f4(csa);
  for (let i = 0; i < rows; i += 4)
    for (let pc = 0; pc < k; pc += kcb)
      micro410(
        min(kcb, k - pc),
        a + f4(i * rsa + pc * csa),
        ars,
        aks,
        bpack + f4(pc * 12),
        c + f4(i * ldc),
        ldc,
        pc > 0,
      );
  return rows;
}

/**
 * C (m,n) with row stride ldc = A . B, A(i,p) at a + 4*(i*rsa + p*csa), B(p,j) at b + 4*(p*rsb + j*csb).
 * `work` must hold gemmWorkFloats() floats. With k = 0, C is set to zero.
 */
export function gemm(
  a: usize,
  rsa: i32,
  csa: i32,
  b: usize,
  rsb: i32,
  csb: i32,
  c: usize,
  ldc: i32,
  m: i32,
  n: i32,
  k: i32,
  work: usize,
): void {
  if (m <= 0 || n <= 0 || k <= 0) {
    gemmInto(a, rsa, csa, b, rsb, csb, c, ldc, m, n, k, work, false);
    return;
  }
  if (n === 10 && m >= 4 && rsa !== 1 && k * 12 <= KC_MAX * NC_MAX) {
    // Ten columns, A not transposed (X·Wᵀ of a 10-class layer): 4 x 10 tiles, the last m % 4 rows below.
    const done = gemmTen(a, rsa, csa, b, rsb, csb, c, ldc, m, k, work);
    if (done === m) return;
    a += f4(done * rsa);
    c += f4(done * ldc);
    m -= done;
  }
  if (m <= SMALL_M && csb === 1 && k * MS * 4 <= MC_MAX * KC_MAX) {
    // Few rows, B row-major (the weight gradient dYᵀ·X of a 10-class layer): B read in place.
    const apack = work + f4(KC_MAX * NC_MAX);
    gemmSmallM(a, rsa, csa, b, rsb, c, ldc, m, n, k, apack, work, apack + f4(MC_MAX * KC_MAX + 4));
    return;
  }
  if (m > SMALL_M && n > 4 * NR) {
    // Outputs up to 4 column panels of 12 wide stay on gemmInto, which reads A in place for them:
    // the column chunks of a threaded X·W1ᵀ (32 wide) would otherwise each pack all of X.
    gemmBlocked58(a, rsa, csa, b, rsb, csb, c, ldc, m, n, k, work);
    return;
  }
  gemmInto(a, rsa, csa, b, rsb, csb, c, ldc, m, n, k, work, false);
}

/** `gemm`, or C += A . B when `accumulate` (convolution's filter gradient sums over images). */
export function gemmInto(
  a: usize,
  rsa: i32,
  csa: i32,
  b: usize,
  rsb: i32,
  csb: i32,
  c: usize,
  ldc: i32,
  m: i32,
  n: i32,
  k: i32,
  work: usize,
  accumulate: bool,
): void {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    if (!accumulate) for (let i = 0; i < m; i++) memory.fill(c + f4(i * ldc), 0, f4(n));
    return;
  }
  const bpack = work;
  const apack = bpack + f4(KC_MAX * NC_MAX);
  const edge = apack + f4(MC_MAX * KC_MAX + 4);
  if (!accumulate && rsa === 1 && n <= 2 * NW && m >= 8 && k * 2 * NW <= KC_MAX * NC_MAX) {
    // Narrow output with A stored transposed: whole 8-row tiles here, the last m % 8 rows below.
    const done = gemmNarrowT(a, csa, b, rsb, csb, c, ldc, m, n, k, bpack, edge);
    a += f4(done);
    c += f4(done * ldc);
    m -= done;
    if (m === 0) return;
  }
  const kcb = blockSize(k, KC_MAX);
  const mcb = blockSize(m, MC_MAX);
  for (let jc = 0; jc < n; jc += NC_MAX) {
    const nc = min(NC_MAX, n - jc);
    for (let pc = 0; pc < k; pc += kcb) {
      const kc = min(kcb, k - pc);
      packB(b + f4(pc * rsb + jc * csb), rsb, csb, kc, nc, bpack);
      for (let ic = 0; ic < m; ic += mcb) {
        const mc = min(mcb, m - ic);
        const ablock = a + f4(ic * rsa + pc * csa);
        // A read in place when there are at most 4 column panels (each A element is used at most 4
        // times); otherwise packed, also when stored transposed: reading it in place then walks a new
        // row of memory at every step of p, which measured 15% slower on (784,256)^T . (256,256).
        const direct = nc <= 4 * NR;
        for (let ir = 0; ir < mc; ir += MR) {
          if (!direct || mc - ir < MR)
            packAPanel(ablock, rsa, csa, ir, min(MR, mc - ir), kc, apack + f4(ir * kc));
        }
        for (let jr = 0; jr < nc; jr += NR) {
          const w = min(NR, nc - jr);
          const bp = bpack + f4(jr * kc);
          for (let ir = 0; ir < mc; ir += MR) {
            const h = min(MR, mc - ir);
            const ct = c + f4((ic + ir) * ldc + jc + jr);
            if (direct && h === MR)
              micro(
                kc,
                ablock + f4(ir * rsa),
                f4(rsa),
                f4(csa),
                bp,
                ct,
                ldc,
                accumulate || pc > 0,
                h,
                w,
                edge,
              );
            else micro(kc, apack + f4(ir * kc), 4, f4(MR), bp, ct, ldc, accumulate || pc > 0, h, w, edge);
          }
        }
      }
    }
  }
}

// Element-wise kernels on float32, 4 lanes at a time. Every result equals the reference kernel's
// (which computes in float64 and rounds once): +, -, *, /, sqrt and comparisons round the same way
// in float32. Op codes are the indices in UNARY_OPS / BINARY_OPS of src/backend/wasm/elementwise.ts.

/** out[i] = f(x[i]) for i < n: 0 relu, 1 neg, 2 abs, 3 sqrt, 4 square. */
export function unaryF32(op: i32, x: usize, out: usize, n: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(x + f4(i));
    let r: v128;
    if (op === 0) r = v128.bitselect(v, zero, v128.or(f32x4.ne(v, v), f32x4.gt(v, zero)));
    else if (op === 1) r = f32x4.neg(v);
    else if (op === 2) r = f32x4.abs(v);
    else if (op === 3) r = f32x4.sqrt(v);
    else r = f32x4.mul(v, v);
    v128.store(out + f4(i), r);
  }
  for (; i < n; i++) {
    const v = load<f32>(x + f4(i));
    let r: f32;
    // biome-ignore lint/suspicious/noGlobalIsNan: the AssemblyScript builtin, not the global
    if (op === 0) r = v > 0 || isNaN(v) ? v : 0;
    else if (op === 1) r = -v;
    else if (op === 2) r = abs(v);
    else if (op === 3) r = sqrt(v);
    else r = v * v;
    store<f32>(out + f4(i), r);
  }
}

/** a (op) b, 4 lanes: 0 add, 1 sub, 2 mul, 3 div, 4 equal, 5 notEqual, 6 greater, 7 greaterEqual, 8 less, 9 lessEqual. */
function apply(op: i32, a: v128, b: v128): v128 {
  const one = f32x4.splat(1);
  switch (op) {
    case 0:
      return f32x4.add(a, b);
    case 1:
      return f32x4.sub(a, b);
    case 2:
      return f32x4.mul(a, b);
    case 3:
      return f32x4.div(a, b);
    case 4:
      return v128.and(f32x4.eq(a, b), one);
    case 5:
      return v128.and(f32x4.ne(a, b), one);
    case 6:
      return v128.and(f32x4.gt(a, b), one);
    case 7:
      return v128.and(f32x4.ge(a, b), one);
    case 8:
      return v128.and(f32x4.lt(a, b), one);
    default:
      return v128.and(f32x4.le(a, b), one);
  }
}

/**
 * out (n floats, rows of r) = x (op) y, or y (op) x when `swap`. Patterns: 0 y has n values; 1 y is one
 * value; 2 y is one row of r values; 3 y has one value per row.
 */
export function binaryF32(
  op: i32,
  pattern: i32,
  swap: bool,
  x: usize,
  y: usize,
  out: usize,
  n: i32,
  r: i32,
): void {
  const rows = pattern >= 2 ? n / r : 1;
  const len = pattern >= 2 ? r : n;
  for (let row = 0; row < rows; row++) {
    const xo = x + f4(row * len);
    const oo = out + f4(row * len);
    let yv = f32x4.splat(0);
    if (pattern === 1) yv = v128.load32_splat(y);
    else if (pattern === 3) yv = v128.load32_splat(y + f4(row));
    const yStep = pattern === 0 || pattern === 2;
    const yo = pattern === 0 ? y + f4(row * len) : y;
    let j = 0;
    for (; j + 4 <= len; j += 4) {
      const xv = v128.load(xo + f4(j));
      const b = yStep ? v128.load(yo + f4(j)) : yv;
      v128.store(oo + f4(j), swap ? apply(op, b, xv) : apply(op, xv, b));
    }
    for (; j < len; j++) {
      const xv = v128.load32_splat(xo + f4(j));
      const b = yStep ? v128.load32_splat(yo + f4(j)) : yv;
      store<f32>(oo + f4(j), f32x4.extract_lane(swap ? apply(op, b, xv) : apply(op, xv, b), 0));
    }
  }
}

export { convActBackward, convChunk } from './conv';

/**
 * e^y on 4 lanes for y <= 0 (clamped below at -110, where float32 results are 0): Cody-Waite
 * reduction y = n ln2 + r, |r| <= ln2/2, Cephes' degree-6 polynomial for e^r (about 1 ulp), and
 * 2^n built from the exponent bits in two steps so that results down to the subnormals are exact.
 */
export function expNonPositive(y: v128): v128 {
  // pmax is one maxps (max needs a NaN and signed-zero fix-up sequence); NaN stays NaN.
  y = f32x4.pmax(y, f32x4.splat(-110));
  // n = round(y / ln2) by the 1.5 * 2^23 trick: t's low mantissa bits hold n as an integer.
  const magic = f32x4.splat(12582912);
  const t = madd(y, f32x4.splat(<f32>Math.LOG2E), magic);
  const n = f32x4.sub(t, magic);
  let r = f32x4.sub(y, f32x4.mul(n, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(-2.1219444e-4)));
  let p = f32x4.splat(1.98756915e-4);
  p = madd(p, r, f32x4.splat(1.3981999507e-3));
  p = madd(p, r, f32x4.splat(8.3334519073e-3));
  p = madd(p, r, f32x4.splat(4.1665795894e-2));
  p = madd(p, r, f32x4.splat(1.6666665459e-1));
  p = madd(p, r, f32x4.splat(5.0000001201e-1));
  p = madd(p, f32x4.mul(r, r), f32x4.add(r, f32x4.splat(1)));
  // 2^(n + 64) from the exponent bits (n >= -160), then times 2^-64, so subnormal results round once.
  const bits = i32x4.shl(i32x4.add(i32x4.sub(t, magic), i32x4.splat(64 + 127)), 23);
  return f32x4.mul(f32x4.mul(p, bits), f32x4.splat(5.421010862427522e-20)); // 2^-64
}

/**
 * out[i] = 1 / (1 + e^-x[i]) for i < n, from t = e^-|x|: 1 / (1 + t) for x >= 0, t / (1 + t)
 * otherwise (no overflow for large |x|); NaN stays NaN. Within a few float32 ulps of the exact value.
 * Reads and writes whole vectors: the caller leaves 16 bytes of slack after x and out.
 */
export function sigmoidF32(x: usize, out: usize, n: i32): void {
  const one = f32x4.splat(1);
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i < n; i += 4) {
    const v = v128.load(x + f4(i));
    const t = expNonPositive(f32x4.neg(f32x4.abs(v)));
    const q = f32x4.div(one, f32x4.add(one, t));
    const r = v128.bitselect(q, f32x4.mul(t, q), f32x4.ge(v, zero));
    v128.store(out + f4(i), r);
  }
}

/**
 * out[i] = dy[i] * (y[i] * (1 - y[i])) for i < n (the sigmoid's gradient from its output y), each
 * step rounded to float32 as the three separate element-wise ops round it, so the results are theirs
 * bit for bit (no fused multiply-add in either build). Reads and writes whole vectors: the caller
 * leaves 16 bytes of slack after y, dy and out.
 */
export function sigmoidBackwardF32(y: usize, dy: usize, out: usize, n: i32): void {
  const one = f32x4.splat(1);
  for (let i = 0; i < n; i += 4) {
    const v = v128.load(y + f4(i));
    const g = f32x4.mul(v, f32x4.sub(one, v));
    v128.store(out + f4(i), f32x4.mul(v128.load(dy + f4(i)), g));
  }
}

export { divideU8, lookupU8 } from './gather';
export { sgdUpdateF32 } from './optim';
export { maxPool2x2, maxPool2x2Backward } from './pool';

/**
 * out = x (op) y[c], or y[c] (op) x when `swap`, for x viewed as (planes, inner) where plane p
 * belongs to channel c = p % channels (a convolution's bias over (N, C, H, W)); op codes as in
 * binaryF32 (0-3: add, sub, mul, div). The last values of a plane are done one at a time.
 */
export function channelF32(
  op: i32,
  swap: bool,
  x: usize,
  y: usize,
  out: usize,
  planes: i32,
  inner: i32,
  channels: i32,
): void {
  for (let p = 0; p < planes; p++) {
    const yv = v128.load32_splat(y + f4(p % channels));
    const xo = x + f4(p * inner);
    const oo = out + f4(p * inner);
    let j = 0;
    for (; j + 4 <= inner; j += 4) {
      const xv = v128.load(xo + f4(j));
      v128.store(oo + f4(j), swap ? apply(op, yv, xv) : apply(op, xv, yv));
    }
    for (; j < inner; j++) {
      const xv = v128.load32_splat(xo + f4(j));
      store<f32>(oo + f4(j), f32x4.extract_lane(swap ? apply(op, yv, xv) : apply(op, xv, yv), 0));
    }
  }
}
