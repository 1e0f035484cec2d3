/**
 * The plots behind d2l's figures: `drawPlot` lays out lines and point clouds (linear or log y axis,
 * "nice" ticks, axis labels, a title, a legend placed in the corner that hides the fewest points)
 * as a list of shapes, which `toSvg` writes as a self-contained SVG document and `toPng` rasterizes
 * on @minimx/datasets' `Canvas` with its pixel font. No dependencies, no fonts.
 */
import { Canvas, type Rgb, textWidth } from '@minimx/datasets/raster';

/** One drawn thing of a {@link Drawing}, in pixels from the top-left corner. */
export type Shape =
  | {
      kind: 'line';
      x1: number;
      y1: number;
      x2: number;
      y2: number;
      color: string;
      width: number;
      dash?: boolean;
    }
  | { kind: 'path'; points: [number, number][]; color: string; width: number; dash?: boolean }
  | { kind: 'rect'; x: number; y: number; w: number; h: number; fill?: string; stroke?: string }
  | { kind: 'dot'; cx: number; cy: number; r: number; color: string }
  | {
      kind: 'text';
      x: number;
      y: number;
      text: string;
      size: number;
      anchor: 'start' | 'middle' | 'end';
      /** `middle`: y is the text's vertical centre; `top`: its top; `bottom`: its baseline. */
      baseline: 'middle' | 'top' | 'bottom';
      bold?: boolean;
      /** Turned a quarter counter-clockwise about (x, y) (a y-axis label). */
      vertical?: boolean;
    };

/** A picture as shapes on a white page of `width` x `height` pixels. */
export interface Drawing {
  width: number;
  height: number;
  shapes: Shape[];
}

/** One series of a plot. */
export interface Series {
  x: readonly number[];
  y: readonly number[];
  /** The legend entry (no legend when no series has one). */
  label?: string;
  /** Dotted line (matplotlib's `linestyle=':'`). */
  dashed?: boolean;
  /** `'line'` (default) or `'scatter'` (a dot per point). */
  kind?: 'line' | 'scatter';
  /** Dot radius of a scatter in pixels (default 1.5). */
  size?: number;
  /** A CSS hex colour (default: matplotlib's cycle, blue, orange, green, red). */
  color?: string;
}

/** Size, axes and labels of a plot. */
export interface PlotOptions {
  xLabel?: string;
  yLabel?: string;
  /** An optional title above the plot. */
  title?: string;
  /** Pixel size, default 480 x 340. */
  width?: number;
  height?: number;
  /** A logarithmic y axis (non-positive y values are left out). */
  logY?: boolean;
}

/** matplotlib's default colour cycle. */
export const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b'];
const MARGIN = { left: 72, right: 18, top: 34, bottom: 52 };

/** Shortest readable label of a tick value. */
function tickLabel(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) {
    const e = Math.floor(Math.log10(a) + 1e-9);
    const m = v / 10 ** e;
    return Math.abs(m - 1) < 1e-9 ? `1e${e}` : `${+m.toFixed(2)}e${e}`;
  }
  return String(+v.toPrecision(3));
}

/** "Nice" linear ticks (1, 2, 5 times a power of ten) covering [lo, hi]. */
export function linearTicks(lo: number, hi: number, target = 6): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / target;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? 10 * pow;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step - 1e-9) * step; t <= hi + 1e-9 * step; t += step)
    ticks.push(+t.toPrecision(12));
  return ticks;
}

/**
 * Labelled ticks of a log axis over [lo, hi] (both > 0): every decade (every k-th when there are
 * many, counted down from the highest), with 2x and 5x when there are few.
 */
export function logTicks(lo: number, hi: number): number[] {
  const e0 = Math.floor(Math.log10(lo));
  const e1 = Math.ceil(Math.log10(hi));
  const mults = e1 - e0 <= 2 ? [1, 2, 5] : [1];
  const every = Math.max(1, Math.ceil((e1 - e0) / 8));
  const top = Math.floor(Math.log10(hi) + 1e-9);
  const ticks: number[] = [];
  for (let e = e0; e <= e1; e++) {
    if ((((top - e) % every) + every) % every !== 0) continue;
    for (const m of mults) {
      const t = m * 10 ** e;
      if (t >= lo * (1 - 1e-9) && t <= hi * (1 + 1e-9)) ticks.push(t);
    }
  }
  return ticks;
}

interface Frame {
  shapes: Shape[];
  px: (x: number) => number;
  py: (y: number) => number;
  width: number;
  height: number;
}

function frame(options: PlotOptions, xRange: [number, number], yRange: [number, number]): Frame {
  const logY = options.logY === true;
  const width = options.width ?? 480;
  const height = options.height ?? 340;
  const [x0, x1] = xRange[1] > xRange[0] ? xRange : [xRange[0] - 1, xRange[0] + 1];
  const f = (v: number) => (logY ? Math.log10(v) : v);
  let [y0, y1] = [f(yRange[0]), f(yRange[1])];
  if (!(y1 > y0)) [y0, y1] = [y0 - 1, y1 + 1];
  const pad = (y1 - y0) * 0.05;
  [y0, y1] = [y0 - pad, y1 + pad];
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const px = (x: number) => MARGIN.left + ((x - x0) / (x1 - x0)) * plotW;
  const py = (y: number) => MARGIN.top + (1 - (f(y) - y0) / (y1 - y0)) * plotH;
  const shapes: Shape[] = [{ kind: 'rect', x: 0, y: 0, w: width, h: height, fill: 'white' }];
  const line = (x1: number, y1: number, x2: number, y2: number, color: string): Shape => ({
    kind: 'line',
    x1,
    y1,
    x2,
    y2,
    color,
    width: 1,
  });
  const yTicks = logY ? logTicks(10 ** y0, 10 ** y1) : linearTicks(y0, y1);
  if (logY) {
    for (let e = Math.ceil(y0); e <= y1; e++) {
      const y = py(10 ** e);
      shapes.push(line(MARGIN.left - 3, y, MARGIN.left, y, 'black'));
    }
  }
  for (const t of yTicks) {
    const y = py(t);
    shapes.push(
      line(MARGIN.left, y, width - MARGIN.right, y, '#e5e5e5'),
      line(MARGIN.left - 5, y, MARGIN.left, y, 'black'),
      {
        kind: 'text',
        x: MARGIN.left - 8,
        y,
        text: tickLabel(t),
        size: 12,
        anchor: 'end',
        baseline: 'middle',
      },
    );
  }
  const yb = height - MARGIN.bottom;
  for (const t of linearTicks(x0, x1)) {
    const x = px(t);
    shapes.push(line(x, MARGIN.top, x, yb, '#f0f0f0'), line(x, yb, x, yb + 5, 'black'), {
      kind: 'text',
      x,
      y: yb + 18,
      text: tickLabel(t),
      size: 12,
      anchor: 'middle',
      baseline: 'bottom',
    });
  }
  shapes.push({ kind: 'rect', x: MARGIN.left, y: MARGIN.top, w: plotW, h: plotH, stroke: 'black' });
  if (options.xLabel) {
    shapes.push({
      kind: 'text',
      x: MARGIN.left + plotW / 2,
      y: height - 12,
      text: options.xLabel,
      size: 13,
      anchor: 'middle',
      baseline: 'bottom',
    });
  }
  if (options.yLabel) {
    shapes.push({
      kind: 'text',
      x: 16,
      y: MARGIN.top + plotH / 2,
      text: options.yLabel,
      size: 13,
      anchor: 'middle',
      baseline: 'bottom',
      vertical: true,
    });
  }
  if (options.title) {
    shapes.push({
      kind: 'text',
      x: width / 2,
      y: 20,
      text: options.title,
      size: 14,
      anchor: 'middle',
      baseline: 'bottom',
      bold: true,
    });
  }
  return { shapes, px, py, width, height };
}

function extent(values: Iterable<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/** Points every few pixels along a polyline, so a legend box can avoid the lines, not just their vertices. */
function densify(pts: readonly (readonly [number, number])[]): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < pts.length; i++) {
    const [x1, y1] = pts[i];
    out.push([x1, y1]);
    if (i + 1 === pts.length) break;
    const [x2, y2] = pts[i + 1];
    const steps = Math.ceil(Math.hypot(x2 - x1, y2 - y1) / 4);
    for (let k = 1; k < steps; k++) out.push([x1 + ((x2 - x1) * k) / steps, y1 + ((y2 - y1) * k) / steps]);
  }
  return out;
}

/** The corner of the plot area (top-left of the box) whose legend box covers the fewest points. */
function legendCorner(
  fr: Frame,
  boxW: number,
  boxH: number,
  pts: readonly [number, number][],
): [number, number] {
  const inset = 8;
  const left = MARGIN.left + inset;
  const right = fr.width - MARGIN.right - inset - boxW;
  const top = MARGIN.top + inset;
  const bottom = fr.height - MARGIN.bottom - inset - boxH;
  const middle = (top + bottom) / 2;
  const candidates: [number, number][] = [
    [right, top],
    [left, top],
    [right, bottom],
    [left, bottom],
    [right, middle],
    [left, middle],
  ];
  const covered = ([cx, cy]: [number, number]) =>
    pts.filter(([x, y]) => x >= cx - 4 && x <= cx + boxW + 4 && y >= cy - 4 && y <= cy + boxH + 4).length;
  let best = candidates[0];
  let bestCount = covered(best);
  for (const c of candidates.slice(1)) {
    const n = covered(c);
    if (n < bestCount) [best, bestCount] = [c, n];
  }
  return best;
}

/**
 * Lays out a plot of lines and point clouds as shapes (draw them with {@link toSvg} or
 * {@link toPng}). With `logY`, non-positive or non-finite y values are left out.
 * The plot behind d2l's `semilogy`, `xyplot` and `plt.scatter` (matplotlib).
 * @example toSvg(drawPlot([{ x: [1, 2, 3], y: [1, 0.1, 0.01], label: 'train' }], { xLabel: 'epochs', yLabel: 'loss', logY: true }))
 */
export function drawPlot(series: readonly Series[], options: PlotOptions = {}): Drawing {
  if (series.length === 0) throw new RangeError('plot: nothing to draw (no series)');
  series.forEach((s, k) => {
    if (s.x.length !== s.y.length) {
      throw new RangeError(`plot: series ${k} has ${s.x.length} x values but ${s.y.length} y values`);
    }
  });
  const points = series.map((s) =>
    s.x
      .map((x, i) => [x, s.y[i]] as const)
      .filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!options.logY || y > 0)),
  );
  const all = points.flat();
  if (all.length === 0) {
    throw new RangeError(
      options.logY ? 'semilogy: no positive finite values to plot' : 'plot: no finite values to plot',
    );
  }
  let [lo, hi] = extent(all.map((p) => p[0]));
  if (series.some((s) => s.kind === 'scatter')) {
    const pad = (hi - lo) * 0.03;
    [lo, hi] = [lo - pad, hi + pad];
  }
  const fr = frame(options, [lo, hi], extent(all.map((p) => p[1])));
  const colorOf = (k: number) => series[k].color ?? COLORS[k % COLORS.length];
  points.forEach((pts, k) => {
    const s = series[k];
    if (s.kind === 'scatter') {
      for (const [x, y] of pts)
        fr.shapes.push({ kind: 'dot', cx: fr.px(x), cy: fr.py(y), r: s.size ?? 1.5, color: colorOf(k) });
    } else {
      fr.shapes.push({
        kind: 'path',
        points: pts.map(([x, y]) => [fr.px(x), fr.py(y)]),
        color: colorOf(k),
        width: 2,
        dash: s.dashed,
      });
    }
  });
  const labelled = series.filter((s) => s.label);
  if (labelled.length > 0) {
    const boxW = Math.max(104, 44 + Math.max(...labelled.map((s) => s.label!.length)) * 7);
    const boxH = labelled.length * 18 + 6;
    const screen = points.flatMap((pts) => densify(pts.map(([x, y]) => [fr.px(x), fr.py(y)] as const)));
    const [bx, by] = legendCorner(fr, boxW, boxH, screen);
    const x = bx + 6;
    let y = by + 8;
    fr.shapes.push({ kind: 'rect', x: bx, y: by, w: boxW, h: boxH, fill: 'white', stroke: '#ccc' });
    series.forEach((s, k) => {
      if (!s.label) return;
      if (s.kind === 'scatter')
        fr.shapes.push({ kind: 'dot', cx: x + 14, cy: y + 4, r: 3, color: colorOf(k) });
      else
        fr.shapes.push({
          kind: 'line',
          x1: x,
          y1: y + 4,
          x2: x + 28,
          y2: y + 4,
          color: colorOf(k),
          width: 2,
          dash: s.dashed,
        });
      fr.shapes.push({
        kind: 'text',
        x: x + 34,
        y: y + 4,
        text: s.label,
        size: 12,
        anchor: 'start',
        baseline: 'middle',
      });
      y += 18;
    });
  }
  return { width: fr.width, height: fr.height, shapes: fr.shapes };
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const n1 = (v: number) => v.toFixed(1);

/**
 * A {@link Drawing} as a self-contained SVG document (what a browser shows and d2l's
 * `use_svg_display` asks matplotlib for).
 * @example fs.writeFileSync('plot.svg', toSvg(drawPlot(series, { xLabel: 'x' })));
 */
export function toSvg(drawing: Drawing): string {
  const { width, height } = drawing;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
  ];
  for (const s of drawing.shapes) {
    switch (s.kind) {
      case 'line':
        out.push(
          `<line x1="${n1(s.x1)}" y1="${n1(s.y1)}" x2="${n1(s.x2)}" y2="${n1(s.y2)}" stroke="${s.color}"${s.width !== 1 ? ` stroke-width="${s.width}"` : ''}${s.dash ? ' stroke-dasharray="2,3"' : ''}/>`,
        );
        break;
      case 'path': {
        const d = s.points.map(([x, y], i) => `${i ? 'L' : 'M'}${n1(x)},${n1(y)}`).join('');
        out.push(
          `<path d="${d}" fill="none" stroke="${s.color}" stroke-width="${s.width}"${s.dash ? ' stroke-dasharray="2,3"' : ''}/>`,
        );
        break;
      }
      case 'rect':
        out.push(
          `<rect x="${s.x}" y="${s.y}" width="${s.w}" height="${s.h}" fill="${s.fill ?? 'none'}"${s.stroke ? ` stroke="${s.stroke}"` : ''}/>`,
        );
        break;
      case 'dot':
        out.push(`<circle cx="${n1(s.cx)}" cy="${n1(s.cy)}" r="${s.r}" fill="${s.color}"/>`);
        break;
      case 'text': {
        const base =
          s.baseline === 'middle'
            ? ' dominant-baseline="middle"'
            : s.baseline === 'top'
              ? ' dominant-baseline="hanging"'
              : '';
        const size = s.size !== 12 ? ` font-size="${s.size}"` : '';
        const bold = s.bold ? ' font-weight="bold"' : '';
        const at = s.vertical
          ? `transform="translate(${n1(s.x)} ${n1(s.y)}) rotate(-90)"`
          : `x="${n1(s.x)}" y="${n1(s.y)}"`;
        out.push(`<text ${at} text-anchor="${s.anchor}"${base}${size}${bold}>${esc(s.text)}</text>`);
        break;
      }
    }
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

const NAMED: Record<string, Rgb> = { white: [255, 255, 255], black: [0, 0, 0] };

function rgbOf(color: string): Rgb {
  const named = NAMED[color];
  if (named) return named;
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(color);
  const m = short
    ? [color, ...short.slice(1).map((c) => c + c)]
    : /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  if (!m) throw new RangeError(`plot: unsupported colour ${JSON.stringify(color)} (use #rrggbb)`);
  return [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)];
}

/**
 * A {@link Drawing} rasterized at `scale` pixels per SVG pixel (default 2) and encoded as PNG
 * bytes; text is drawn in @minimx/datasets' 5x7 pixel font.
 * @example fs.writeFileSync('plot.png', toPng(drawPlot(series, { xLabel: 'x' })));
 */
export function toPng(drawing: Drawing, scale = 2): Uint8Array {
  if (!Number.isInteger(scale) || scale < 1)
    throw new RangeError(`toPng: scale must be a positive integer, got ${scale}`);
  const c = new Canvas(Math.round(drawing.width * scale), Math.round(drawing.height * scale));
  const S = (v: number) => Math.round(v * scale);
  for (const s of drawing.shapes) {
    switch (s.kind) {
      case 'line':
        c.line(
          S(s.x1),
          S(s.y1),
          S(s.x2),
          S(s.y2),
          rgbOf(s.color),
          s.width * scale,
          s.dash ? [2 * scale, 3 * scale] : undefined,
        );
        break;
      case 'path':
        for (let i = 1; i < s.points.length; i++) {
          const [a, b] = [s.points[i - 1], s.points[i]];
          c.line(
            S(a[0]),
            S(a[1]),
            S(b[0]),
            S(b[1]),
            rgbOf(s.color),
            s.width * scale,
            s.dash ? [2 * scale, 3 * scale] : undefined,
          );
        }
        break;
      case 'rect':
        if (s.fill && s.fill !== 'none') c.fill(S(s.x), S(s.y), S(s.w), S(s.h), ...rgbOf(s.fill));
        if (s.stroke) {
          const col = rgbOf(s.stroke);
          const [x0, y0, x1, y1] = [S(s.x), S(s.y), S(s.x + s.w), S(s.y + s.h)];
          c.line(x0, y0, x1, y0, col, scale);
          c.line(x1, y0, x1, y1, col, scale);
          c.line(x1, y1, x0, y1, col, scale);
          c.line(x0, y1, x0, y0, col, scale);
        }
        break;
      case 'dot':
        c.dot(s.cx * scale, s.cy * scale, Math.max(1, s.r * scale), rgbOf(s.color));
        break;
      case 'text': {
        const px = Math.max(1, Math.round((s.size * scale) / 12));
        const w = textWidth(s.text, px);
        const h = 7 * px;
        const along = s.anchor === 'start' ? 0 : s.anchor === 'middle' ? w / 2 : w;
        const up = s.baseline === 'middle' ? h / 2 : s.baseline === 'top' ? 0 : h;
        if (s.vertical)
          c.text(s.text, Math.round(S(s.x) - up), Math.round(S(s.y) + along), px, [0, 0, 0], true);
        else c.text(s.text, Math.round(S(s.x) - along), Math.round(S(s.y) - up), px);
        break;
      }
    }
  }
  return c.toPng();
}

/**
 * An SVG line plot with a log-scaled y axis, as a string. Non-positive or non-finite y values are
 * left out. The plot behind d2l's `semilogy` (matplotlib's `plt.semilogy`).
 * @example renderSemilogy([{ x: [1, 2, 3], y: [1, 0.1, 0.01], label: 'train' }], { xLabel: 'epochs', yLabel: 'loss' })
 */
export function renderSemilogy(series: readonly Series[], options: PlotOptions = {}): string {
  return toSvg(drawPlot(series, { ...options, logY: true }));
}

/**
 * An SVG scatter plot (dots of radius 1.5), as d2l's `plt.scatter(x, y, 1)` in section 3.2.
 * @example renderScatter([1, 2], [3, 4], { xLabel: 'features[:, 1]', yLabel: 'labels' })
 */
export function renderScatter(x: ArrayLike<number>, y: ArrayLike<number>, options: PlotOptions = {}): string {
  const xs = Array.from(x);
  const ys = Array.from(y);
  if (xs.length === 0 || xs.length !== ys.length) {
    throw new RangeError(`scatter: need as many x as y values, got ${xs.length} and ${ys.length}`);
  }
  return toSvg(drawPlot([{ x: xs, y: ys, kind: 'scatter' }], options));
}
