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
import { binaryFns, binary as cpuBinary, unary as cpuUnary, unaryFns } from '../cpu/elementwise.js';
import type { BinaryOp, UnaryOp } from '../kernels.js';

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
  const l = x instanceof Float32Array && out instanceof Float32Array && loop(op, 'unary', unaryFns[op]);
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
    n > 0 &&
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
  const f = binaryFns[op];
  const sameShape = aShape.length === bShape.length && aShape.every((d, i) => d === bShape[i]);
  let l: Loop | undefined;
  if (a.length === n && b.length === n && sameShape) {
    if (!(l = loop(op, 'flat', f))) return false;
    l(a, b, out, n, 0);
    return true;
  }
  if (a.length === n && b.length === 1) {
    if (!(l = loop(op, 'scalarRight', f))) return false;
    l(a, b[0], out, n, 0);
    return true;
  }
  if (b.length === n && a.length === 1) {
    if (!(l = loop(op, 'scalarLeft', f))) return false;
    l(b, a[0], out, n, 0);
    return true;
  }
  const right = a.length === n;
  if (!right && b.length !== n) return false;
  const [big, small, smallShape] = right ? [a, b, bShape] : [b, a, aShape];
  const kind = broadcastKind(smallShape, outShape);
  if (!kind) return false;
  const r = kind === 'row' ? small.length : outShape[outShape.length - 1];
  if (r === 0) return false;
  if (!(l = loop(op, `${kind}${right ? 'Right' : 'Left'}`, f))) return false;
  l(big, small, out, n, r);
  return true;
}
