// Optimizer updates on raw float32 memory (the JavaScript side, src/backend/wasm/optim.ts, copies
// weights and gradients in chunk by chunk).
//
// sgdUpdateF32 is SGD's plain step w = w - lr·(r·g) with the arithmetic of the reference loop
// (src/backend/cpu/optim.ts, `w[i] -= lr * (r * g[i])` on a Float32Array): each float32 weight and
// gradient widened to float64 (exactly), multiplied and subtracted in float64, rounded once to
// float32 on the store. Four floats per step as two f64x2 pairs, the last n % 4 one by one, so the
// weights are the loop's bit for bit (a NaN's payload aside).

function f4(i: i32): usize {
  return (<usize>i) << 2;
}

/** For i in [0, n): w[i] = f32(f64(w[i]) - lr·(r·f64(g[i]))), w and g float32 arrays. */
export function sgdUpdateF32(w: usize, g: usize, n: i32, lr: f64, r: f64): void {
  const lr2 = f64x2.splat(lr);
  const r2 = f64x2.splat(r);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const p = w + f4(i);
    const q = g + f4(i);
    const wv = v128.load(p);
    const gv = v128.load(q);
    const wHigh = i32x4.shuffle(wv, wv, 2, 3, 0, 1);
    const gHigh = i32x4.shuffle(gv, gv, 2, 3, 0, 1);
    const lo = f64x2.sub(
      f64x2.promote_low_f32x4(wv),
      f64x2.mul(lr2, f64x2.mul(r2, f64x2.promote_low_f32x4(gv))),
    );
    const hi = f64x2.sub(
      f64x2.promote_low_f32x4(wHigh),
      f64x2.mul(lr2, f64x2.mul(r2, f64x2.promote_low_f32x4(gHigh))),
    );
    // demote puts two floats in lanes 0-1 (zeros above): the low halves of both, joined.
    v128.store(p, i64x2.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 2));
  }
  for (; i < n; i++) {
    const p = w + f4(i);
    store<f32>(p, <f32>(<f64>load<f32>(p) - lr * (r * <f64>load<f32>(g + f4(i)))));
  }
}
