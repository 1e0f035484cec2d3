/**
 * Float32 element-wise kernels for the 'wasm' backend. They compute exactly what the reference
 * kernels compute (the same scalar functions from cpu/elementwise.ts), but through one loop per op
 * and operand pattern, compiled separately with `new Function`, so that V8 sees a single function and
 * a single array type at each call site and inlines it; the shared reference loops call dozens of
 * functions on four array types and cannot. Patterns: same shape, scalar on either side, a row
 * (b of shape (..., N) against (M, N)) or a column (b of shape (M, 1) against (M, N)).
 * Anything else, other dtypes, and environments that forbid `new Function` use the reference kernels.
 */
import type { TypedArray } from '../../dtype.js';
import type { Shape } from '../../shape.js';
import {
  binaryFns,
  binary as cpuBinary,
  unary as cpuUnary,
  float32UnaryFns,
  unaryFns,
} from '../cpu/elementwise.js';
import type { BinaryOp, UnaryOp } from '../kernels.js';
import { align, scratchEngine } from './gemm.js';

/** Ops with a WebAssembly SIMD kernel (the index is the op code of assembly/kernels.ts). */
const UNARY_OPS: readonly string[] = ['relu', 'neg', 'abs', 'sqrt', 'square'];
const BINARY_OPS: readonly string[] = [
  'add',
  'sub',
  'mul',
  'div',
  'equal',
  'notEqual',
  'greater',
  'greaterEqual',
  'less',
  'lessEqual',
];
/**
 * Arrays shorter than this take the reference kernels: for a handful of elements the dispatch below
 * (pattern detection, loop lookup) costs more than the loop it saves (1.4 µs against 0.4 µs per op).
 */
const COMPILED_MIN = 64;
/** Arrays at least this long go through WebAssembly when their op has a kernel there. */
const WASM_MIN = 256;
const WASM_PATTERN: Partial<Record<Pattern, [number, boolean]>> = {
  flat: [0, false],
  scalarRight: [1, false],
  scalarLeft: [1, true],
  rowRight: [2, false],
  rowLeft: [2, true],
  colRight: [3, false],
  colLeft: [3, true],
};

/**
 * Runs a WebAssembly element-wise kernel: x (n values) and y (yLength values) are copied into the
 * module's memory, the result copied out. SIMD comparisons and max-with-zero have no branches, which
 * matters on real data: a JavaScript `v > 0 ? v : 0` mispredicts on every other element of random signs.
 */
function wasmElementwise(
  x: Float32Array,
  y: Float32Array | undefined,
  out: Float32Array,
  code: number,
  pattern: number,
  swap: boolean,
  r: number,
): boolean {
  const n = out.length;
  const xo = 64;
  const yo = align(xo + x.length * 4);
  const oo = align(yo + (y ? y.length : 0) * 4);
  const engine = scratchEngine(oo + n * 4);
  if (!engine) return false;
  engine.f32.set(x, xo >> 2);
  if (y) {
    engine.f32.set(y, yo >> 2);
    engine.exports.binaryF32(code, pattern, swap, xo, yo, oo, n, r);
  } else engine.exports.unaryF32(code, xo, oo, n);
  out.set(engine.f32.subarray(oo >> 2, (oo >> 2) + n));
  return true;
}

type Loop = (x: Float32Array, y: Float32Array | number, out: Float32Array, n: number, r: number) => void;

/** The loop bodies; `f` is the op's scalar function, `x`, `y` the operands, `r` the row length. */
const patterns = {
  unary: 'for (let i = 0; i < n; i++) out[i] = f(x[i]);',
  flat: 'for (let i = 0; i < n; i++) out[i] = f(x[i], y[i]);',
  scalarRight: 'for (let i = 0; i < n; i++) out[i] = f(x[i], y);',
  scalarLeft: 'for (let i = 0; i < n; i++) out[i] = f(y, x[i]);',
  rowRight: 'for (let o = 0; o < n; o += r) for (let j = 0; j < r; j++) out[o + j] = f(x[o + j], y[j]);',
  rowLeft: 'for (let o = 0; o < n; o += r) for (let j = 0; j < r; j++) out[o + j] = f(y[j], x[o + j]);',
  colRight:
    'for (let o = 0, i = 0; o < n; o += r, i++) { const s = y[i]; for (let j = 0; j < r; j++) out[o + j] = f(x[o + j], s); }',
  colLeft:
    'for (let o = 0, i = 0; o < n; o += r, i++) { const s = y[i]; for (let j = 0; j < r; j++) out[o + j] = f(s, x[o + j]); }',
} as const;
type Pattern = keyof typeof patterns;

const loops = new Map<string, Loop>();
let codegen = true;

/** The compiled loop for one op and pattern, or undefined where code generation is not allowed. */
function loop(op: string, pattern: Pattern, f: unknown): Loop | undefined {
  const key = `${op}:${pattern}`;
  let l = loops.get(key);
  if (l || !codegen) return l;
  try {
    l = new Function('f', `return function ${op}_${pattern}(x, y, out, n, r) { ${patterns[pattern]} };`)(
      f,
    ) as Loop;
  } catch {
    codegen = false;
    return undefined;
  }
  loops.set(key, l);
  return l;
}

/** out[i] = f(x[i]) for float32 arrays; the reference kernel otherwise. */
export function unary(op: UnaryOp, x: TypedArray, out: TypedArray): void {
  const f32 = out.length >= COMPILED_MIN && x instanceof Float32Array && out instanceof Float32Array;
  const code = UNARY_OPS.indexOf(op);
  if (f32 && code >= 0 && out.length >= WASM_MIN && out.length === x.length) {
    if (wasmElementwise(x, undefined, out, code, 0, false, 0)) return;
  }
  const l = f32 && loop(op, 'unary', float32UnaryFns[op] ?? unaryFns[op]);
  if (l) l(x as Float32Array, 0, out as Float32Array, out.length, 0);
  else cpuUnary(op, x, out);
}

/** How `small` (shape s) broadcasts against an output of shape o: 'row', 'col' or undefined. */
function broadcastKind(s: Shape, o: Shape): 'row' | 'col' | undefined {
  const lead = o.length - s.length;
  if (lead < 0 || o.length === 0) return undefined;
  // row: s is 1 on (or missing from) every axis but the trailing ones, which equal o's.
  let i = 0;
  while (i < s.length && s[i] === 1) i++;
  let row = i < s.length;
  for (let j = i; j < s.length && row; j++) if (s[j] !== o[lead + j]) row = false;
  if (row) return 'row';
  // col: s equals o except for a 1 in the last axis.
  if (s.length !== o.length || s[s.length - 1] !== 1) return undefined;
  for (let j = 0; j < s.length - 1; j++) if (s[j] !== o[j]) return undefined;
  return 'col';
}

/** out = a (op) b with broadcasting, for float32 arrays in the patterns above; the reference otherwise. */
export function binary(
  op: BinaryOp,
  a: TypedArray,
  aShape: Shape,
  b: TypedArray,
  bShape: Shape,
  out: TypedArray,
  outShape: Shape,
): void {
  const n = out.length;
  if (
    n >= COMPILED_MIN &&
    a instanceof Float32Array &&
    b instanceof Float32Array &&
    out instanceof Float32Array &&
    binaryFast(op, a, aShape, b, bShape, out, outShape)
  )
    return;
  cpuBinary(op, a, aShape, b, bShape, out, outShape);
}

function binaryFast(
  op: BinaryOp,
  a: Float32Array,
  aShape: Shape,
  b: Float32Array,
  bShape: Shape,
  out: Float32Array,
  outShape: Shape,
): boolean {
  const n = out.length;
  const code = n >= WASM_MIN ? BINARY_OPS.indexOf(op) : -1;
  const sameShape = sameDims(aShape, bShape);
  if (a.length === n && b.length === n && sameShape) return runPattern(op, code, 'flat', a, b, out, 0);
  if (a.length === n && b.length === 1) return runPattern(op, code, 'scalarRight', a, b[0], out, 0);
  if (b.length === n && a.length === 1) return runPattern(op, code, 'scalarLeft', b, a[0], out, 0);
  const right = a.length === n;
  if (!right && b.length !== n) return false;
  const [big, small, smallShape] = right ? [a, b, bShape] : [b, a, aShape];
  const kind = broadcastKind(smallShape, outShape);
  if (!kind) return false;
  const r = kind === 'row' ? small.length : outShape[outShape.length - 1];
  if (r === 0) return false;
  return runPattern(op, code, `${kind}${right ? 'Right' : 'Left'}`, big, small, out, r);
}

/** Runs one operand pattern: in WebAssembly when it has the op and pattern, else the compiled loop. */
function runPattern(
  op: BinaryOp,
  code: number,
  pattern: Pattern,
  x: Float32Array,
  y: Float32Array | number,
  out: Float32Array,
  r: number,
): boolean {
  const wp = WASM_PATTERN[pattern];
  if (code >= 0 && wp) {
    const yArr = typeof y === 'number' ? new Float32Array([y]) : y;
    if (wasmElementwise(x, yArr, out, code, wp[0], wp[1], r)) return true;
  }
  const l = loop(op, pattern, binaryFns[op]);
  if (!l) return false;
  l(x, y, out, out.length, r);
  return true;
}

function sameDims(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
