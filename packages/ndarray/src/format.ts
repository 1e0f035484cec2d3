/**
 * Printing arrays the way MXNet does (`str(x.asnumpy())` plus a footer): NumPy's default print
 * options (precision 8, 'maxprec' float mode, line width 75, summaries with `...` beyond 1000
 * elements, 3 edge items). Floats use the shortest digits that identify the value in its dtype,
 * decimals are aligned, and scientific notation is chosen by NumPy's rule. Footer: `<NDArray 2x3 @cpu(0)>`.
 */
import type { NDArray } from './ndarray.js';

const PRECISION = 8;
const LINE_WIDTH = 75;
const EDGE_ITEMS = 3;
const THRESHOLD = 1000;

/** The shortest decimal (as a JS number) that reads back as `v` in float32 or float64. */
function shortest(v: number, float32: boolean): number {
  if (!float32 || v === 0) return v;
  for (let p = 1; p < 10; p++) {
    const candidate = Number(v.toPrecision(p));
    if (Math.fround(candidate) === v) return candidate;
  }
  return v;
}

/** Significant digits after the first in the shortest representation of `v` (exponential form). */
function fractionDigitsExp(v: number): number {
  const mantissa = v.toExponential().split('e')[0];
  const dot = mantissa.indexOf('.');
  return dot < 0 ? 0 : mantissa.length - dot - 1;
}

/** Digits after the decimal point in the shortest positional form of `v`, capped at PRECISION. */
function positional(v: number): string {
  const exp = Number(v.toExponential().split('e')[1]);
  const needed = v === 0 ? 0 : Math.max(0, fractionDigitsExp(v) - exp);
  if (needed > PRECISION) return v.toFixed(PRECISION).replace(/0+$/, '');
  return v.toFixed(needed);
}

interface FloatLayout {
  exp: boolean;
  precision: number;
  expDigits: number;
  padLeft: number;
  padRight: number;
}

/** NumPy's FloatingFormat.fillFormat: choose notation and paddings from the values shown. */
function floatLayout(values: number[]): FloatLayout {
  const finite = values.filter(Number.isFinite);
  const nonZero = finite.filter((v) => v !== 0).map(Math.abs);
  let exp = false;
  if (nonZero.length) {
    const max = Math.max(...nonZero);
    const min = Math.min(...nonZero);
    exp = max >= 1e8 || min < 1e-4 || max / min > 1e3;
  }
  let padLeft = 0;
  let padRight = 0;
  let precision = 0;
  let expDigits = 2;
  for (const v of finite) {
    if (exp) {
      const digits = Math.min(PRECISION, fractionDigitsExp(v));
      precision = Math.max(precision, digits);
      const [mant, e] = v.toExponential(digits).split('e');
      padLeft = Math.max(padLeft, mant.split('.')[0].length + (Object.is(v, -0) ? 1 : 0));
      expDigits = Math.max(expDigits, e.replace(/^[+-]/, '').length);
    } else {
      const [int, frac] = positional(v).split('.');
      padLeft = Math.max(padLeft, int.length + (Object.is(v, -0) ? 1 : 0));
      padRight = Math.max(padRight, (frac ?? '').length);
    }
  }
  if (exp) padRight = expDigits + 2 + precision;
  if (finite.length !== values.length) {
    const negInf = values.some((v) => v === -Infinity);
    const offset = padRight + 1;
    padLeft = Math.max(padLeft, 3 - offset, 3 + (negInf ? 1 : 0) - offset);
  }
  return { exp, precision, expDigits, padLeft, padRight };
}

function formatFloat(v: number, f: FloatLayout): string {
  if (!Number.isFinite(v)) {
    const s = Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
    return s.padStart(f.padLeft + f.padRight + 1);
  }
  const sign = v < 0 || Object.is(v, -0) ? '-' : '';
  const a = Math.abs(v);
  if (f.exp) {
    const [mant, e] = a.toExponential(f.precision).split('e');
    const body = mant.includes('.') ? mant : `${mant}.`;
    const expSign = e.startsWith('-') ? '-' : '+';
    return `${(sign + body).padStart(f.padLeft + 1 + f.precision)}e${expSign}${e.replace(/^[+-]/, '').padStart(f.expDigits, '0')}`;
  }
  const text = positional(a);
  const [int, frac = ''] = text.split('.');
  return `${(sign + int).padStart(f.padLeft)}.${frac.padEnd(f.padRight)}`;
}

/** Indices shown along an axis of length `len` (null marks the `...`). */
function shownIndices(len: number, summarise: boolean): (number | null)[] {
  if (summarise && len > 2 * EDGE_ITEMS) {
    return [
      ...Array.from({ length: EDGE_ITEMS }, (_, i) => i),
      null,
      ...Array.from({ length: EDGE_ITEMS }, (_, i) => len - EDGE_ITEMS + i),
    ];
  }
  return Array.from({ length: len }, (_, i) => i);
}

/** The values and nested layout of `x` as NumPy's `str()` prints them (without the footer). */
export function formatValues(x: NDArray): string {
  if (x.size === 0) return '[]';
  const isFloat = x.dtype === 'float32' || x.dtype === 'float64';
  const float32 = x.dtype === 'float32';
  const summarise = x.size > THRESHOLD;
  const strides: number[] = [];
  for (let i = x.ndim - 1, acc = 1; i >= 0; i--) {
    strides[i] = acc;
    acc *= x.shape[i];
  }
  const shown: number[] = [];
  const collect = (depth: number, offset: number): void => {
    if (depth === x.ndim) {
      shown.push(offset);
      return;
    }
    for (const i of shownIndices(x.shape[depth], summarise))
      if (i !== null) collect(depth + 1, offset + i * strides[depth]);
  };
  collect(0, 0);
  const value = (offset: number) => (isFloat ? shortest(x.data[offset], float32) : x.data[offset]);
  let formatOne: (offset: number) => string;
  if (isFloat) {
    const layout = floatLayout(shown.map(value));
    formatOne = (offset) => formatFloat(value(offset), layout);
  } else {
    const width = Math.max(...shown.map((o) => String(x.data[o]).length));
    formatOne = (offset) => String(x.data[offset]).padStart(width);
  }
  if (x.ndim === 0) return formatOne(0).trim();

  const extendLine = (state: { s: string; line: string }, word: string, width: number, prefix: string) => {
    if (state.line.length + word.length > width && state.line.length > prefix.length) {
      state.s += `${state.line.trimEnd()}\n`;
      state.line = prefix;
    }
    state.line += word;
  };
  const recurse = (depth: number, offset: number, hanging: string, width: number): string => {
    if (depth === x.ndim) return formatOne(offset);
    const nextHanging = `${hanging} `;
    const nextWidth = width - 1;
    const indices = shownIndices(x.shape[depth], summarise);
    let s = '';
    if (depth === x.ndim - 1) {
      const state = { s: '', line: hanging };
      indices.forEach((i, k) => {
        const word =
          i === null ? '...' : recurse(depth + 1, offset + i * strides[depth], nextHanging, nextWidth);
        extendLine(state, word, width - 1, hanging);
        if (k < indices.length - 1) state.line += ' ';
      });
      s = state.s + state.line;
    } else {
      const sep = '\n'.repeat(x.ndim - depth - 1);
      s = indices
        .map(
          (i) =>
            hanging +
            (i === null ? '...' : recurse(depth + 1, offset + i * strides[depth], nextHanging, nextWidth)),
        )
        .join(sep);
    }
    return `[${s.slice(hanging.length)}]`;
  };
  return recurse(0, 0, ' ', LINE_WIDTH);
}

/** Formats `x` as MXNet prints it: a newline, the values, a newline and `<NDArray 2x3 @cpu(0)>`. */
export function formatArray(x: NDArray): string {
  return `\n${formatValues(x)}\n<NDArray ${x.shape.join('x')} @${x.context}>`;
}
