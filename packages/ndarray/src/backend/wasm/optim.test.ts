// SGD's plain step (the sgdUpdate kernel) on both backends against the scalar expression computed
// here, Math.fround(w - lr·(r·g)) in float64: bit for bit (NaN for NaN) on float32 around the
// WebAssembly kernel's 4-float step, its 256-float threshold and its 16384-float chunks, with NaN,
// ±Infinity, signed zeros, subnormals and overflow among the values; float64 arrays on the reference
// loop; the module's memory does not grow however long the array; and without WebAssembly (a page
// whose policy refuses to compile it) the registry offers the reference kernel alone.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sgdUpdate as cpuSgdUpdate } from '../cpu/optim.js';
import { wasmMemoryBytes } from './gemm.js';
import { sgdUpdate as wasmSgdUpdate } from './optim.js';

const SPECIALS = [
  0,
  -0,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  1e-45,
  -3e-39,
  3.4e38,
  -3.4e38,
  1,
  -1,
];

function inputs(n: number): [Float32Array, Float32Array] {
  const k = SPECIALS.length;
  // Specials at the start, and in every weight/gradient pairing over the first k² elements.
  const w = Float32Array.from({ length: n }, (_, i) =>
    i < k * k ? SPECIALS[i % k] : Math.sin(i) * 7 * (i % 5 === 0 ? 1e30 : 1),
  );
  const g = Float32Array.from({ length: n }, (_, i) =>
    i < k * k ? SPECIALS[Math.floor(i / k)] : Math.cos(i * 3) * 90,
  );
  return [w, g];
}

const same = (a: number, b: number) => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));

/** Index of the first element that differs from the scalar expression, or -1. */
function firstMismatch(
  w0: ArrayLike<number>,
  g: ArrayLike<number>,
  w: ArrayLike<number>,
  lr: number,
  r: number,
  f32: boolean,
): number {
  for (let i = 0; i < w0.length; i++) {
    const v = w0[i] - lr * (r * g[i]);
    if (!same(w[i], f32 ? Math.fround(v) : v)) return i;
  }
  return -1;
}

const STEPS: [number, number][] = [
  [0.5, 1 / 256],
  [0.1, 0.3],
  [-2, 1e-30],
  [1e30, 1e10],
];

describe('sgdUpdate', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.resetModules();
  });

  for (const [name, kernel] of [
    ['wasm', wasmSgdUpdate],
    ['cpu', cpuSgdUpdate],
  ] as const) {
    it(`${name}: float32 weights are the scalar expression's bit for bit, tails and chunk edges included`, () => {
      for (const n of [0, 1, 3, 4, 5, 7, 255, 256, 257, 259, 16383, 16384, 16385, 16387, 32768, 40003]) {
        const [w0, g] = inputs(n);
        for (const [lr, r] of STEPS) {
          const w = w0.slice();
          kernel(w, g, lr, r);
          expect(firstMismatch(w0, g, w, lr, r, true), `n=${n} lr=${lr} r=${r}`).toBe(-1);
        }
      }
    });

    it(`${name}: float64 weights, and float32 weights with a float64 gradient, on the reference loop`, () => {
      const [w32, g32] = inputs(1000);
      const w = Float64Array.from(w32, (v, i) => v + i * 1e-9);
      const g = Float64Array.from(g32);
      const w0 = w.slice();
      kernel(w, g, 0.3, 1 / 3);
      expect(firstMismatch(w0, g, w, 0.3, 1 / 3, false)).toBe(-1);
      const v = w32.slice();
      kernel(v, g, 0.3, 1 / 3);
      expect(firstMismatch(w32, g, v, 0.3, 1 / 3, true)).toBe(-1);
    });
  }

  it('wasm: the signs of zero results follow float64 subtraction (0 - 0 = +0, -0 - +0 = -0)', () => {
    const w = new Float32Array(512);
    const g = new Float32Array(512);
    for (let i = 0; i < 512; i += 2) w[i + 1] = -0;
    wasmSgdUpdate(w, g, 0.5, 1);
    for (let i = 0; i < 512; i += 2) {
      expect(Object.is(w[i], 0)).toBe(true);
      expect(Object.is(w[i + 1], -0)).toBe(true);
    }
  });

  it("wasm: an array of 2^19 floats goes through the fixed windows: the module's memory does not grow", () => {
    const small = inputs(1024);
    wasmSgdUpdate(small[0], small[1], 0.1, 1);
    const before = wasmMemoryBytes();
    const [w0, g] = inputs(1 << 19);
    const w = w0.slice();
    wasmSgdUpdate(w, g, 0.1, 1 / 256);
    expect(wasmMemoryBytes()).toBe(before);
    expect(firstMismatch(w0, g, w, 0.1, 1 / 256, true)).toBe(-1);
  });

  it('without WebAssembly (a policy refusing to compile it), the registry has the reference kernel alone', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    vi.spyOn(WebAssembly, 'Module').mockImplementation(() => {
      throw new WebAssembly.CompileError('WebAssembly.Module(): Refused to compile');
    });
    vi.resetModules();
    const registry = await import('../registry.js');
    expect(registry.listBackends()).toEqual(['cpu']);
    const [w0, g] = inputs(1000);
    const w = w0.slice();
    registry.kernels().sgdUpdate(w, g, 0.5, 1 / 256);
    expect(firstMismatch(w0, g, w, 0.5, 1 / 256, true)).toBe(-1);
    const bytes = Uint8Array.of(0, 1, 2, 253, 254, 255);
    const out = registry.kernels().gatherRowsDivideU8(bytes, 3, Int32Array.of(1, 0), 255);
    expect(Array.from(out)).toEqual([253, 254, 255, 0, 1, 2].map((v) => Math.fround(v / 255)));
  });
});
