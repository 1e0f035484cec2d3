/**
 * Basic indexing, NumPy/MXNet style: reading a region (`get`, `slice`, `sliceAxis`) as a copy,
 * and writing into one in place (`setAt`, behind `x.set(index, value)`). An index is a
 * Python-like string (`'1:3'`, `':, 2:6'`, `'::2'`, `'-1'`, `'...'`) or a list with one item per
 * axis: a number (drops the axis), `null` (`:`), a `[start, stop, step?]` tuple, or `'...'`.
 * The `slice` primitive copies a strided box; its adjoint `sliceScatter` writes one into zeros.
 */
import { kernels } from '../backend/registry.js';
import { checkInPlace, recordOp } from '../engine.js';
import type { NDArray } from '../ndarray.js';
import {
  broadcastShapes,
  normalizeAxis,
  type Shape,
  shapesEqual,
  shapeToString,
  stridesOf,
} from '../shape.js';
import { asArray, checkArray, empty, type Operand } from './operand.js';
import { reshape } from './shape-ops.js';

/** A Python slice `start:stop:step`; null (or a missing entry) means the default. */
export type SliceTuple = readonly [start?: number | null, stop?: number | null, step?: number | null];

/** One axis of an index: an integer, `null` for `:`, a slice tuple, or `'...'` for the remaining axes. */
export type IndexItem = number | null | SliceTuple | '...';

/** An index: a Python-like string (`'1:3, 2'`), one integer, or a list of per-axis items. */
export type Index = string | number | readonly IndexItem[];

/** A resolved index: the strided box it selects (one entry per axis) and the axes it drops. */
export interface Box {
  readonly starts: readonly number[];
  readonly steps: readonly number[];
  readonly counts: readonly number[];
  readonly dropped: readonly boolean[];
}

const INTEGER = /^[+-]?\d+$/;

function parseInteger(op: string, text: string, source: string): number {
  if (!INTEGER.test(text)) throw new SyntaxError(`${op}: cannot parse '${text}' in index '${source}'`);
  return Number(text);
}

/** Parses `'1:3, ::2, -1, ...'` into index items. */
export function parseIndex(op: string, source: string): IndexItem[] {
  const trimmed = source.trim();
  if (trimmed === '') throw new SyntaxError(`${op}: empty index string`);
  return trimmed.split(',').map((raw) => {
    const part = raw.trim();
    if (part === '...') return '...';
    if (!part.includes(':')) return parseInteger(op, part, source);
    const pieces = part.split(':').map((p) => p.trim());
    if (pieces.length > 3) throw new SyntaxError(`${op}: too many ':' in '${part}' of index '${source}'`);
    const [start, stop, step] = pieces.map((p) => (p === '' ? null : parseInteger(op, p, source)));
    return [start, stop ?? null, step ?? null] as SliceTuple;
  });
}

function checkInt(op: string, v: unknown, what: string): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    throw new TypeError(`${op}: ${what} must be an integer or null, got ${String(v)}`);
  }
  return v;
}

/** Python's `slice.indices(len)`: the first position, the step and the number of elements. */
function resolveSlice(op: string, item: SliceTuple, len: number): [number, number, number] {
  const step = checkInt(op, item[2], 'slice step') ?? 1;
  if (step === 0) throw new RangeError(`${op}: slice step cannot be zero`);
  let start = checkInt(op, item[0], 'slice start');
  let stop = checkInt(op, item[1], 'slice stop');
  const lower = step > 0 ? 0 : -1;
  const upper = step > 0 ? len : len - 1;
  const clamp = (v: number) => {
    const w = v < 0 ? v + len : v;
    return Math.max(lower, Math.min(w, upper));
  };
  start = start === null ? (step > 0 ? lower : upper) : clamp(start);
  stop = stop === null ? (step > 0 ? upper : lower) : clamp(stop);
  const count = step > 0 ? Math.ceil((stop - start) / step) : Math.ceil((start - stop) / -step);
  return [start, step, Math.max(0, count)];
}

/** Resolves an index against `shape`, or throws naming `op`, the index and the shape. */
export function resolveIndex(op: string, shape: Shape, index: Index): Box {
  if (typeof index !== 'string' && typeof index !== 'number' && !Array.isArray(index)) {
    throw new TypeError(
      `${op}: an index must be a string, a number or a list, got ${index === null ? 'null' : typeof index}`,
    );
  }
  const items: IndexItem[] =
    typeof index === 'string' ? parseIndex(op, index) : typeof index === 'number' ? [index] : index.slice();
  const ellipses = items.filter((it) => it === '...').length;
  if (ellipses > 1) throw new SyntaxError(`${op}: an index can only have a single ellipsis ('...')`);
  const explicit = items.length - ellipses;
  if (explicit > shape.length) {
    throw new RangeError(
      `${op}: too many indices (${explicit}) for an array of shape ${shapeToString(shape)}`,
    );
  }
  const at = items.indexOf('...');
  const fill = Array.from({ length: shape.length - explicit }, () => null);
  const full: IndexItem[] =
    at >= 0 ? [...items.slice(0, at), ...fill, ...items.slice(at + 1)] : [...items, ...fill];
  const starts: number[] = [];
  const steps: number[] = [];
  const counts: number[] = [];
  const dropped: boolean[] = [];
  full.forEach((item, axis) => {
    const len = shape[axis];
    if (typeof item === 'number') {
      if (!Number.isInteger(item))
        throw new TypeError(`${op}: index ${item} on axis ${axis} is not an integer`);
      if (item < -len || item >= len) {
        throw new RangeError(
          `${op}: index ${item} is out of range for axis ${axis} of length ${len} (shape ${shapeToString(shape)})`,
        );
      }
      starts.push(item < 0 ? item + len : item);
      steps.push(1);
      counts.push(1);
      dropped.push(true);
      return;
    }
    if (
      (item !== null && !Array.isArray(item)) ||
      (Array.isArray(item) &&
        (item.length > 3 || item.some((v) => v !== null && v !== undefined && typeof v !== 'number')))
    ) {
      throw new TypeError(
        `${op}: index item ${JSON.stringify(item)} on axis ${axis} is not a number, null or [start, stop, step]`,
      );
    }
    const [start, step, count] = resolveSlice(op, (item ?? []) as SliceTuple, len);
    starts.push(start);
    steps.push(step);
    counts.push(count);
    dropped.push(false);
  });
  return { starts, steps, counts, dropped };
}

/** Offset and strides of `box` inside a row-major array of `shape`. */
function boxLayout(shape: Shape, box: Box): [number, number[]] {
  const strides = stridesOf(shape);
  const empty = box.counts.some((c) => c === 0);
  let offset = 0;
  if (!empty) for (let i = 0; i < shape.length; i++) offset += box.starts[i] * strides[i];
  return [offset, strides.map((s, i) => s * box.steps[i])];
}

/** The slice primitive: a copy of `box` of `x`, keeping every axis (counts as the shape). */
export function sliceBox(x: NDArray, box: Box): NDArray {
  const out = empty(box.counts, x.dtype);
  const [offset, strides] = boxLayout(x.shape, box);
  kernels().copyStrided(x.data, offset, strides, out.data, 0, stridesOf(box.counts), box.counts);
  return recordOp('slice', [x], out, { box });
}

/** The adjoint of `sliceBox`: an array of `shape`, zero except `dy` written into `box`. */
export function sliceScatter(dy: NDArray, shape: Shape, box: Box): NDArray {
  const out = empty(shape, dy.dtype);
  const [offset, strides] = boxLayout(shape, box);
  kernels().copyStrided(dy.data, 0, stridesOf(box.counts), out.data, offset, strides, box.counts);
  return recordOp('sliceScatter', [dy], out, { box });
}

/**
 * Reads a region as a new array (a copy; MXNet returns a view for a leading-axis slice).
 * Differentiable: the gradient is scattered back into the region. MXNet: `x[index]`.
 * @example x.get('1:3')        // x[1:3]
 * @example x.get(':, 2:6')     // x[:, 2:6]
 * @example x.get([1, [2, 6]])  // x[1, 2:6]
 * @example x.get('1, 2')       // x[1, 2]: shape (1,), as MXNet
 */
export function get(x: NDArray, index: Index): NDArray {
  checkArray('get', x);
  const box = resolveIndex('get', x.shape, index);
  const region = sliceBox(x, box);
  if (!box.dropped.some(Boolean)) return region;
  const kept = box.counts.filter((_, i) => !box.dropped[i]);
  return reshape(region, kept.length === 0 ? [1] : kept);
}

/**
 * Slices with per-axis begin/end/step lists, or with numbers for the first axis (`x.slice(1, 3)` is
 * `x[1:3]`). `null` means the default. MXNet: `nd.slice(data, begin, end, step)`.
 * @example nd.slice(x, [0, 1], [2, null])  // x[0:2, 1:]
 */
export function slice(
  x: NDArray,
  begin: number | null | readonly (number | null)[],
  end: number | null | readonly (number | null)[],
  step?: number | null | readonly (number | null)[],
): NDArray {
  checkArray('slice', x);
  const list = (v: typeof begin | undefined): readonly (number | null)[] =>
    v === undefined ? [] : Array.isArray(v) ? v : [v as number | null];
  const b = list(begin);
  const e = list(end);
  const s = list(step);
  if (b.length !== e.length || (s.length && s.length !== b.length)) {
    throw new RangeError(
      `slice: begin [${b.join(', ')}], end [${e.join(', ')}] and step [${s.join(', ')}] must have the same length`,
    );
  }
  const items: SliceTuple[] = b.map((start, i) => [start, e[i], s[i] ?? null]);
  return sliceBox(x, resolveIndex('slice', x.shape, items));
}

/**
 * Slices one axis: `begin` to `end` (exclusive; null = to the end; negatives count from the end).
 * MXNet: `nd.slice_axis(data, axis, begin, end)`.
 * @example nd.sliceAxis(x, 1, 2, 6)  // x[:, 2:6]
 */
export function sliceAxis(x: NDArray, axis: number, begin: number, end: number | null): NDArray {
  checkArray('sliceAxis', x);
  const ax = normalizeAxis('sliceAxis', axis, x.ndim);
  const items: IndexItem[] = x.shape.map((_, i) => (i === ax ? [begin, end] : null));
  return sliceBox(x, resolveIndex('sliceAxis', x.shape, items));
}

/**
 * Writes `value` (broadcast to the region) into `x[index]`, in place, and returns `x`.
 * MXNet: `x[index] = value`. Behind `x.set(index, value)`.
 * @example x.set('1, 2', 9)      // x[1, 2] = 9
 * @example x.set(':, 2:6', 0)    // x[:, 2:6] = 0
 */
export function setAt(x: NDArray, index: Index, value: Operand): NDArray {
  checkArray('set', x);
  checkInPlace('set', x);
  if (index === '...') {
    // x[:] = value: the common case (every SGD step) needs no index machinery.
    if (typeof value === 'number') {
      x.data.fill(value);
      return x;
    }
    const whole = asArray('set', value, x.dtype);
    if (shapesEqual(whole.shape, x.shape)) {
      if (whole.dtype === x.dtype) x.data.set(whole.data);
      else kernels().cast(whole.data, x.data);
      return x;
    }
  }
  const box = resolveIndex('set', x.shape, index);
  let v = asArray('set', value, x.dtype);
  const region = box.counts.filter((_, i) => !box.dropped[i]);
  // An integer on every axis selects one element, which takes a value of shape (1,) as in MXNet.
  const valueRegion = region.length === 0 ? [1] : region;
  const target = broadcastShapes('set', v.shape, valueRegion);
  if (!shapesEqual(target, valueRegion)) {
    throw new RangeError(
      `set: cannot assign ${shapeToString(v.shape)} to a region of shape ${shapeToString(valueRegion)}`,
    );
  }
  if (v.data.buffer === x.data.buffer) v = v.copy();
  // Strides of the value over the region's axes (0 where it broadcasts), then 0 for dropped axes.
  const vStrides = stridesOf(v.shape);
  const lead = region.length - v.ndim;
  const regionStrides = region.map((d, i) => (i < lead || v.shape[i - lead] !== d ? 0 : vStrides[i - lead]));
  let r = 0;
  const srcStrides = box.dropped.map((d) => (d ? 0 : regionStrides[r++]));
  const [offset, strides] = boxLayout(x.shape, box);
  kernels().copyStrided(v.data, 0, srcStrides, x.data, offset, strides, box.counts);
  return x;
}
