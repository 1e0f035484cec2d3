/**
 * SGD's plain float32 update `w -= lr·(r·g)` on WebAssembly SIMD, two elements per f64x2 lane pair:
 * each float32 weight and gradient is widened to float64 (exactly), multiplied and subtracted in
 * float64 and rounded once to float32, which is what the JavaScript loop computes (IEEE float64
 * arithmetic, round to nearest even on the float32 store), so the two give the same weights bit
 * for bit (only a NaN's payload may differ). A JavaScript loop costs about 2.5 ns per weight here;
 * this costs a third of that with the copies (the weights and gradients go through a fixed
 * 64 KiB window of the module's memory, chunk by chunk, so its memory never grows). The module,
 * about 150 bytes, is built below from its instructions; where WebAssembly SIMD is unavailable (or
 * a page's policy forbids compiling it) `sgdUpdateF32` returns false and the caller's loop runs.
 */

/** Floats per chunk: the weight window and the gradient window each hold this many. */
const CHUNK = 16384;
/** Where the gradient window starts (the weight window is at 0; 64 bytes of slack after each). */
const G_OFF = CHUNK * 4 + 64;
const PAGES = Math.ceil((G_OFF + CHUNK * 4 + 64) / 65536);

const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
};
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
const name = (s: string) => [s.length, ...Array.from(s, (ch) => ch.charCodeAt(0))];

/**
 * `update(n: i32, lr: f64, r: f64)`: for the n floats at 0 (weights) and at G_OFF (gradients),
 * four per iteration, w = f32(f64(w) - lr·(r·f64(g))). Up to 3 floats past n are read and
 * written in each window (the slack).
 */
function updateBody(): number[] {
  const [N, LR, R, P, END, LR2, R2] = [0, 1, 2, 3, 4, 5, 6];
  const get = (l: number) => [0x20, l];
  const set = (l: number) => [0x21, l];
  const simd = (op: number) => [0xfd, ...uleb(op)];
  // Two floats at P + off: v128.store64_lane(P, demote(promote(w) - LR2·(R2·promote(g))), lane 0)
  const pair = (off: number) => [
    ...get(P),
    ...get(P),
    ...simd(0x5d),
    0x03,
    ...uleb(off), // v128.load64_zero align=8 offset=off (two weights)
    ...simd(0x5f), // f64x2.promote_low_f32x4
    ...get(LR2),
    ...get(R2),
    ...get(P),
    ...simd(0x5d),
    0x03,
    ...uleb(G_OFF + off), // the two gradients
    ...simd(0x5f),
    ...simd(0xf2), // f64x2.mul: r·g
    ...simd(0xf2), // f64x2.mul: lr·(r·g)
    ...simd(0xf1), // f64x2.sub: w - lr·(r·g)
    ...simd(0x5e), // f32x4.demote_f64x2_zero
    ...simd(0x5b),
    0x03,
    ...uleb(off),
    0x00, // v128.store64_lane align=8 offset=off lane 0
  ];
  const code = [
    ...[0x02, 0x02, 0x7f, 0x02, 0x7b], // locals: two i32 (P, END), two v128 (LR2, R2)
    ...get(LR),
    ...simd(0x14),
    ...set(LR2), // LR2 = f64x2.splat(lr)
    ...get(R),
    ...simd(0x14),
    ...set(R2), // R2 = f64x2.splat(r)
    ...get(N),
    ...[0x41, 0x02, 0x74],
    ...set(END), // END = n * 4
    ...[0x02, 0x40, 0x03, 0x40], // block, loop
    ...get(P),
    ...get(END),
    ...[0x4f, 0x0d, 0x01], // br_if out when P >= END (unsigned)
    ...pair(0),
    ...pair(8),
    ...get(P),
    ...[0x41, 0x10, 0x6a],
    ...set(P), // P += 16
    ...[0x0c, 0x00, 0x0b, 0x0b, 0x0b], // br loop, end loop, end block, end function
  ];
  return [...uleb(code.length), ...code];
}

/** The module: a memory of PAGES pages exported as `memory`, and `update(i32, f64, f64)`. */
export function sgdModuleBytes(): Uint8Array<ArrayBuffer> {
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [0x01, 0x60, 0x03, 0x7f, 0x7c, 0x7c, 0x00]), // type (i32, f64, f64) -> ()
    ...section(3, [0x01, 0x00]),
    ...section(5, [0x01, 0x00, ...uleb(PAGES)]),
    ...section(7, [0x02, ...name('memory'), 0x02, 0x00, ...name('update'), 0x00, 0x00]),
    ...section(10, [0x01, ...updateBody()]),
  ]);
}

interface SgdModule {
  f32: Float32Array;
  update(n: number, lr: number, r: number): void;
}

let instance: SgdModule | null | undefined;

function load(): SgdModule | null {
  try {
    if (typeof WebAssembly !== 'object') return null;
    const bytes = sgdModuleBytes();
    if (!WebAssembly.validate(bytes)) return null;
    const ex = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as {
      memory: WebAssembly.Memory;
      update(n: number, lr: number, r: number): void;
    };
    return { f32: new Float32Array(ex.memory.buffer), update: ex.update };
  } catch {
    return null;
  }
}

/**
 * w[i] = w[i] - lr·(r·g[i]) for float32 arrays of one length, through WebAssembly, the JavaScript
 * loop's values; false (nothing done) where WebAssembly SIMD is unavailable.
 * @example if (!sgdUpdateF32(w, g, 0.1, 1 / 256)) for (let i = 0; i < w.length; i++) w[i] -= 0.1 * (g[i] / 256);
 */
export function sgdUpdateF32(w: Float32Array, g: Float32Array, lr: number, r: number): boolean {
  if (instance === undefined) instance = load();
  if (instance === null) return false;
  const { f32, update } = instance;
  const n = w.length;
  for (let s = 0; s < n; s += CHUNK) {
    const e = Math.min(n, s + CHUNK);
    f32.set(w.subarray(s, e), 0);
    f32.set(g.subarray(s, e), G_OFF >> 2);
    update(e - s, lr, r);
    w.set(f32.subarray(0, e - s), s);
  }
  return true;
}
