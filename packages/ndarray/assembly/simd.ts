// Helpers shared by the kernels of this directory (not exported from the module).

/**
 * c + a * b on 4 lanes: fused (one rounding) in the relaxed-SIMD build, a multiply and an add
 * otherwise. Small enough that Binaryen's -O3 inlines it (checked: the compiled gemm calls no function).
 */
export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}
