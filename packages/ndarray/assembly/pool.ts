// Max pooling over 2x2 windows with stride 2 (LeNet, VGG, AlexNet's successors), 4 outputs at a
// time: two SIMD loads per input row hold 8 columns, whose even and odd lanes are the windows' left
// and right columns. The maximum is a chain of strict comparisons from the float32 lowest value in
// row-major order, so NaN never wins and ties go to the first element, as in the reference kernel;
// the gradient writes dy to the winning position of each window and zero to the other three
// without a branch. Planes are (outH rows of) 2*outW columns read from rows of inW.

function f4(i: i32): usize {
  return (<usize>i) << 2;
}

const LOWEST: f32 = -3.4028234663852886e38;

/** out (planes, outH, outW) = max over the 2x2 windows of x (planes, inH, inW). */
export function maxPool2x2(
  x: usize,
  out: usize,
  planes: i32,
  inH: i32,
  inW: i32,
  outH: i32,
  outW: i32,
): void {
  const low = f32x4.splat(LOWEST);
  for (let p = 0; p < planes; p++)
    for (let i = 0; i < outH; i++) {
      const r0 = x + f4((p * inH + 2 * i) * inW);
      const r1 = r0 + f4(inW);
      const o = out + f4((p * outH + i) * outW);
      let j = 0;
      for (; j + 4 <= outW; j += 4) {
        const a0 = v128.load(r0 + f4(2 * j));
        const a1 = v128.load(r0 + f4(2 * j + 4));
        const b0 = v128.load(r1 + f4(2 * j));
        const b1 = v128.load(r1 + f4(2 * j + 4));
        let best = low;
        let v = f32x4.shuffle(a0, a1, 0, 2, 4, 6);
        best = v128.bitselect(v, best, f32x4.gt(v, best));
        v = f32x4.shuffle(a0, a1, 1, 3, 5, 7);
        best = v128.bitselect(v, best, f32x4.gt(v, best));
        v = f32x4.shuffle(b0, b1, 0, 2, 4, 6);
        best = v128.bitselect(v, best, f32x4.gt(v, best));
        v = f32x4.shuffle(b0, b1, 1, 3, 5, 7);
        best = v128.bitselect(v, best, f32x4.gt(v, best));
        v128.store(o + f4(j), best);
      }
      for (; j < outW; j++) {
        let best = LOWEST;
        const a = load<f32>(r0 + f4(2 * j));
        const b = load<f32>(r0 + f4(2 * j + 1));
        const c = load<f32>(r1 + f4(2 * j));
        const d = load<f32>(r1 + f4(2 * j + 1));
        if (a > best) best = a;
        if (b > best) best = b;
        if (c > best) best = c;
        if (d > best) best = d;
        store<f32>(o + f4(j), best);
      }
    }
}

/**
 * dx (planes, inH, inW) = dy routed to the first maximum of each 2x2 window of x, zero elsewhere
 * (rows and columns no window covers included).
 */
export function maxPool2x2Backward(
  x: usize,
  dy: usize,
  dx: usize,
  planes: i32,
  inH: i32,
  inW: i32,
  outH: i32,
  outW: i32,
): void {
  if (inH !== 2 * outH || inW !== 2 * outW) memory.fill(dx, 0, f4(planes * inH * inW));
  const low = f32x4.splat(LOWEST);
  for (let p = 0; p < planes; p++)
    for (let i = 0; i < outH; i++) {
      const off0 = f4((p * inH + 2 * i) * inW);
      const r0 = x + off0;
      const r1 = r0 + f4(inW);
      const d0 = dx + off0;
      const d1 = d0 + f4(inW);
      const g = dy + f4((p * outH + i) * outW);
      let j = 0;
      for (; j + 4 <= outW; j += 4) {
        const a0 = v128.load(r0 + f4(2 * j));
        const a1 = v128.load(r0 + f4(2 * j + 4));
        const b0 = v128.load(r1 + f4(2 * j));
        const b1 = v128.load(r1 + f4(2 * j + 4));
        const e0 = f32x4.shuffle(a0, a1, 0, 2, 4, 6);
        const o0 = f32x4.shuffle(a0, a1, 1, 3, 5, 7);
        const e1 = f32x4.shuffle(b0, b1, 0, 2, 4, 6);
        const o1 = f32x4.shuffle(b0, b1, 1, 3, 5, 7);
        let best = low;
        const s0 = f32x4.gt(e0, best);
        best = v128.bitselect(e0, best, s0);
        const s1 = f32x4.gt(o0, best);
        best = v128.bitselect(o0, best, s1);
        const s2 = f32x4.gt(e1, best);
        best = v128.bitselect(e1, best, s2);
        const s3 = f32x4.gt(o1, best);
        // The last position that improved the maximum wins.
        const w3 = s3;
        const w2 = v128.andnot(s2, s3);
        const w1 = v128.andnot(v128.andnot(s1, s2), s3);
        const w0 = v128.andnot(v128.andnot(v128.andnot(s0, s1), s2), s3);
        const d = v128.load(g + f4(j));
        const v0 = v128.and(d, w0);
        const v1 = v128.and(d, w1);
        const v2 = v128.and(d, w2);
        const v3 = v128.and(d, w3);
        v128.store(d0 + f4(2 * j), f32x4.shuffle(v0, v1, 0, 4, 1, 5));
        v128.store(d0 + f4(2 * j + 4), f32x4.shuffle(v0, v1, 2, 6, 3, 7));
        v128.store(d1 + f4(2 * j), f32x4.shuffle(v2, v3, 0, 4, 1, 5));
        v128.store(d1 + f4(2 * j + 4), f32x4.shuffle(v2, v3, 2, 6, 3, 7));
      }
      for (; j < outW; j++) {
        const p0 = f4(2 * j);
        const p1 = p0 + 4;
        let best = LOWEST;
        let at = -1;
        if (load<f32>(r0 + p0) > best) {
          best = load<f32>(r0 + p0);
          at = 0;
        }
        if (load<f32>(r0 + p1) > best) {
          best = load<f32>(r0 + p1);
          at = 1;
        }
        if (load<f32>(r1 + p0) > best) {
          best = load<f32>(r1 + p0);
          at = 2;
        }
        if (load<f32>(r1 + p1) > best) at = 3;
        const v = load<f32>(g + f4(j));
        store<f32>(d0 + p0, at === 0 ? v : 0);
        store<f32>(d0 + p1, at === 1 ? v : 0);
        store<f32>(d1 + p0, at === 2 ? v : 0);
        store<f32>(d1 + p1, at === 3 ? v : 0);
      }
    }
}
