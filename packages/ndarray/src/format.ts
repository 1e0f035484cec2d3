/**
 * Printing arrays the way MXNet does: NumPy-style nested brackets (floats as `1.` or `0.5`,
 * large arrays summarised with `...`), then a footer such as `<NDArray 2x3 @cpu(0)>`.
 */
import type { NDArray } from './ndarray.js';

const EDGE = 3;
const THRESHOLD = 1000;

function formatNumber(v: number, isFloat: boolean): string {
  if (!isFloat) return String(v);
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (Number.isInteger(v) && Math.abs(v) < 1e16) return `${v}.`;
  const abs = Math.abs(v);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e16)) {
    const [mant, exp] = v.toExponential(7).split('e');
    const e = Number(exp);
    return `${mant.replace(/0+$/, '').replace(/\.$/, '.')}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  return String(Number(v.toPrecision(7)));
}

/** Formats `x` as MXNet prints it. */
export function formatArray(x: NDArray): string {
  const isFloat = x.dtype === 'float32' || x.dtype === 'float64';
  const summarise = x.size > THRESHOLD;
  const strings = new Map<number, string>();
  let width = 0;
  const str = (i: number): string => {
    let s = strings.get(i);
    if (s === undefined) {
      s = formatNumber(x.data[i], isFloat);
      strings.set(i, s);
      width = Math.max(width, s.length);
    }
    return s;
  };
  const strides: number[] = [];
  let acc = 1;
  for (let i = x.ndim - 1; i >= 0; i--) {
    strides[i] = acc;
    acc *= x.shape[i];
  }
  const indicesOf = (len: number): (number | null)[] =>
    summarise && len > 2 * EDGE
      ? [
          ...Array.from({ length: EDGE }, (_, i) => i),
          null,
          ...Array.from({ length: EDGE }, (_, i) => len - EDGE + i),
        ]
      : Array.from({ length: len }, (_, i) => i);
  // First pass collects the widths, second pass lays out.
  const visit = (depth: number, offset: number): void => {
    if (depth === x.ndim) {
      str(offset);
      return;
    }
    for (const i of indicesOf(x.shape[depth])) if (i !== null) visit(depth + 1, offset + i * strides[depth]);
  };
  visit(0, 0);
  const render = (depth: number, offset: number, indent: string): string => {
    if (depth === x.ndim) return str(offset).padStart(width);
    const parts = indicesOf(x.shape[depth]).map((i) =>
      i === null ? '...' : render(depth + 1, offset + i * strides[depth], `${indent} `),
    );
    if (depth === x.ndim - 1) return `[${parts.join(' ')}]`;
    const sep = `\n${'\n'.repeat(Math.max(0, x.ndim - depth - 2))}${indent} `;
    return `[${parts.join(sep)}]`;
  };
  const body = x.ndim === 0 ? str(0) : render(0, 0, '');
  const dims = x.ndim === 0 ? '' : x.shape.join('x');
  return `\n${body}\n<NDArray ${dims} @cpu(0)>`;
}
