// Byte-to-float32 conversions of gathered uint8 rows (images) for the DataLoader's one-pass batch:
// the JavaScript side (src/backend/wasm/gather-rows.ts) copies the batch's rows into a bounded
// input window, one of these converts the window, and the floats are copied out.
//
// lookupU8 maps every byte through a 256-entry float32 table (ToTensor then any Normalize);
// divideU8 computes byte / d in float32 on 16 bytes per step (widened to int32, converted exactly,
// f32x4.div rounds correctly: for a float32 d, the float32 nearest the quotient, which is
// Math.fround(v / d) in JavaScript), ToTensor's conversion without a table.

function f4(i: i32): usize {
  return (<usize>i) << 2;
}

/** dst[i] = table[src[i]] for i in [0, n): src bytes, dst and table (256 entries) float32. */
export function lookupU8(src: usize, dst: usize, n: i32, table: usize): void {
  // Pointer increments rather than indices: two adds per four bytes (about 6% faster than src + i).
  let s = src;
  let o = dst;
  const end4 = src + <usize>(n & ~3);
  for (; s < end4; s += 4, o += 16) {
    store<f32>(o, load<f32>(table + ((<usize>load<u8>(s)) << 2)));
    store<f32>(o, load<f32>(table + ((<usize>load<u8>(s, 1)) << 2)), 4);
    store<f32>(o, load<f32>(table + ((<usize>load<u8>(s, 2)) << 2)), 8);
    store<f32>(o, load<f32>(table + ((<usize>load<u8>(s, 3)) << 2)), 12);
  }
  const end = src + <usize>n;
  for (; s < end; s++, o += 4) store<f32>(o, load<f32>(table + ((<usize>load<u8>(s)) << 2)));
}

/** dst[i] = f32(src[i]) / d for i in [0, n): src bytes, dst float32. */
export function divideU8(src: usize, dst: usize, n: i32, d: f32): void {
  const dv = f32x4.splat(d);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const v = v128.load(src + <usize>i);
    const o = dst + f4(i);
    const low = i16x8.extend_low_i8x16_u(v);
    const high = i16x8.extend_high_i8x16_u(v);
    v128.store(o, f32x4.div(f32x4.convert_i32x4_u(i32x4.extend_low_i16x8_u(low)), dv));
    v128.store(o, f32x4.div(f32x4.convert_i32x4_u(i32x4.extend_high_i16x8_u(low)), dv), 16);
    v128.store(o, f32x4.div(f32x4.convert_i32x4_u(i32x4.extend_low_i16x8_u(high)), dv), 32);
    v128.store(o, f32x4.div(f32x4.convert_i32x4_u(i32x4.extend_high_i16x8_u(high)), dv), 48);
  }
  for (; i < n; i++) store<f32>(dst + f4(i), <f32>load<u8>(src + <usize>i) / d);
}
