/**
 * The framework-neutral half of the micro-benchmarks: the matrix-product shapes of the two
 * workloads (forward and backward, as minimx's autograd issues them) plus 1024^3, random operands
 * from the seeded generator, and a timer that repeats a call until enough time has passed.
 */
import { Rng } from './rng.js';

/** One matrix product C (m,n) = op(A) op(B), with op a transpose when asked. */
export interface MatmulShape {
  label: string;
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
  /** Whether the shape is small enough for the plain-JS reference backend. */
  small: boolean;
}

const shape = (
  label: string,
  m: number,
  n: number,
  k: number,
  transA = false,
  transB = false,
  small = true,
) => ({
  label,
  m,
  n,
  k,
  transA,
  transB,
  small,
});

/**
 * The products one training step runs (batch 256), and a square 1024^3.
 * Softmax: O = X·W; dW = Xᵀ·dO. MLP: H = X·W1, O = H·W2; dW2 = Hᵀ·dO, dH = dO·W2ᵀ, dW1 = Xᵀ·dH.
 */
export const MATMUL_SHAPES: readonly MatmulShape[] = [
  shape('softmax fwd X·W', 256, 10, 784),
  shape('softmax bwd Xᵀ·dO', 784, 10, 256, true),
  shape('mlp fwd X·W1', 256, 256, 784),
  shape('mlp fwd H·W2', 256, 10, 256),
  shape('mlp bwd Hᵀ·dO', 256, 10, 256, true),
  shape('mlp bwd dO·W2ᵀ', 256, 256, 10, false, true),
  shape('mlp bwd Xᵀ·dH', 784, 256, 256, true),
  shape('square 1024^3', 1024, 1024, 1024, false, false, false),
];

/** The stored shapes of A and B for a product (transposed operands are stored transposed). */
export function operandShapes(s: MatmulShape): { a: [number, number]; b: [number, number] } {
  return { a: s.transA ? [s.k, s.m] : [s.m, s.k], b: s.transB ? [s.n, s.k] : [s.k, s.n] };
}

/** Random operands in [-1, 1) for a product, the same for every framework. */
export function operands(s: MatmulShape, seed = 7): { a: Float32Array; b: Float32Array } {
  const rng = new Rng(seed);
  const fill = (n: number) => Float32Array.from({ length: n }, () => 2 * rng.uniform() - 1);
  return { a: fill(s.m * s.k), b: fill(s.k * s.n) };
}

/** Floating-point operations of a product: 2mnk. */
export function flops(s: MatmulShape): number {
  return 2 * s.m * s.n * s.k;
}

/**
 * Seconds per call of `fn`: a few warm-up calls, then batches of calls until `minSeconds` have
 * passed; the best batch's mean is returned (least disturbed by other processes).
 * @example secondsPerCall(() => nd.dot(a, b), 0.3)
 */
export function secondsPerCall(fn: () => void, minSeconds: number): number {
  for (let i = 0; i < 3; i++) fn();
  let calls = 1;
  let start = performance.now();
  fn();
  let elapsed = (performance.now() - start) / 1000;
  // Grow the batch until one batch takes about a tenth of the budget.
  while (elapsed < minSeconds / 10) {
    calls *= 2;
    start = performance.now();
    for (let i = 0; i < calls; i++) fn();
    elapsed = (performance.now() - start) / 1000;
  }
  let best = elapsed / calls;
  let total = elapsed;
  while (total < minSeconds) {
    start = performance.now();
    for (let i = 0; i < calls; i++) fn();
    const batch = (performance.now() - start) / 1000;
    best = Math.min(best, batch / calls);
    total += batch;
  }
  return best;
}

/** Iterations of the per-op overhead loop. */
export const OVERHEAD_ITERATIONS = 100_000;
