/**
 * Helpers for this package's tests (not exported): a float64 central-difference gradient check
 * and element-wise closeness assertions.
 */
import { autograd, type NDArray } from '@minimx/ndarray';
import { expect } from 'vitest';

/**
 * Checks autograd's gradient of the scalar `f()` with respect to each of `vars` (float64 arrays)
 * against central differences, perturbing the arrays in place.
 */
export function checkGradients(f: () => NDArray, vars: NDArray[], { eps = 1e-6, tol = 1e-6 } = {}): void {
  for (const v of vars) {
    if (v.dtype !== 'float64') throw new Error('checkGradients: use float64 variables');
    v.attachGrad();
  }
  const out = autograd.record(f);
  out.backward();
  const analytic = vars.map((v) => Float64Array.from(v.grad!.data));
  vars.forEach((v, k) => {
    const d = v.data;
    for (let i = 0; i < d.length; i++) {
      const saved = d[i];
      d[i] = saved + eps;
      const plus = f().sum().asScalar();
      d[i] = saved - eps;
      const minus = f().sum().asScalar();
      d[i] = saved;
      const numeric = (plus - minus) / (2 * eps);
      expect(Math.abs(numeric - analytic[k][i])).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(numeric)));
    }
  });
}

/** Asserts `actual` (an NDArray or numbers) matches `expected` element-wise within `tol`. */
export function expectClose(actual: NDArray | ArrayLike<number>, expected: unknown, tol = 1e-6): void {
  const a = Array.from(
    'data' in (actual as object) ? (actual as NDArray).data : (actual as ArrayLike<number>),
  );
  const e = (expected as unknown[]).flat(Number.POSITIVE_INFINITY) as number[];
  expect(a.length).toBe(e.length);
  a.forEach((x, i) => {
    expect(Math.abs(x - e[i])).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(e[i])));
  });
}
