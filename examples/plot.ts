/**
 * A tiny SVG line-plot writer for the d2l examples: `renderSemilogy` draws one or more series with a
 * logarithmic y axis (decade ticks, plus 2x and 5x ticks when the range is narrow), a linear x axis,
 * axis labels and a legend; `renderScatter` draws the point cloud of section 3.2. The output is a
 * self-contained SVG file that any browser opens. No dependencies.
 */

/** One line of a plot. */
export interface Series {
  x: readonly number[];
  y: readonly number[];
  /** The legend entry (no legend when no series has one). */
  label?: string;
  /** Dashed line (matplotlib's `linestyle=':'`). */
  dashed?: boolean;
}

/** Size and labels of a plot. */
export interface PlotOptions {
  xLabel: string;
  yLabel: string;
  /** An optional title above the plot. */
  title?: string;
  /** Pixel size, default 480 x 340. */
  width?: number;
  height?: number;
}

const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728'];
const MARGIN = { left: 72, right: 18, top: 34, bottom: 52 };

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

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
  svg: string[];
  px: (x: number) => number;
  py: (y: number) => number;
  width: number;
  height: number;
}

function frame(
  options: PlotOptions,
  xRange: [number, number],
  yRange: [number, number],
  logY: boolean,
): Frame {
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
  const svg: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
  ];
  const yTicks = logY ? logTicks(10 ** y0, 10 ** y1) : linearTicks(y0, y1);
  if (logY) {
    for (let e = Math.ceil(y0); e <= y1; e++) {
      const y = py(10 ** e).toFixed(1);
      svg.push(`<line x1="${MARGIN.left - 3}" y1="${y}" x2="${MARGIN.left}" y2="${y}" stroke="black"/>`);
    }
  }
  for (const t of yTicks) {
    const y = py(t).toFixed(1);
    svg.push(
      `<line x1="${MARGIN.left}" y1="${y}" x2="${width - MARGIN.right}" y2="${y}" stroke="#e5e5e5"/>`,
      `<line x1="${MARGIN.left - 5}" y1="${y}" x2="${MARGIN.left}" y2="${y}" stroke="black"/>`,
      `<text x="${MARGIN.left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle">${tickLabel(t)}</text>`,
    );
  }
  for (const t of linearTicks(x0, x1)) {
    const x = px(t).toFixed(1);
    const yb = height - MARGIN.bottom;
    svg.push(
      `<line x1="${x}" y1="${MARGIN.top}" x2="${x}" y2="${yb}" stroke="#f0f0f0"/>`,
      `<line x1="${x}" y1="${yb}" x2="${x}" y2="${yb + 5}" stroke="black"/>`,
      `<text x="${x}" y="${yb + 18}" text-anchor="middle">${tickLabel(t)}</text>`,
    );
  }
  svg.push(
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="black"/>`,
    `<text x="${MARGIN.left + plotW / 2}" y="${height - 12}" text-anchor="middle" font-size="13">${esc(options.xLabel)}</text>`,
    `<text transform="translate(16 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle" font-size="13">${esc(options.yLabel)}</text>`,
  );
  if (options.title) {
    svg.push(
      `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${esc(options.title)}</text>`,
    );
  }
  return { svg, px, py, width, height };
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
 * An SVG line plot with a log-scaled y axis. Non-positive or non-finite y values are left out.
 * The plot behind d2l's `semilogy` (matplotlib's `plt.semilogy`).
 * @example renderSemilogy([{ x: [1, 2, 3], y: [1, 0.1, 0.01], label: 'train' }], { xLabel: 'epochs', yLabel: 'loss' })
 */
export function renderSemilogy(series: readonly Series[], options: PlotOptions): string {
  const points = series.map((s) =>
    s.x
      .map((x, i) => [x, s.y[i]] as const)
      .filter(([x, y]) => Number.isFinite(x) && y > 0 && Number.isFinite(y)),
  );
  const all = points.flat();
  if (all.length === 0) throw new RangeError('semilogy: no positive finite values to plot');
  const fr = frame(options, extent(all.map((p) => p[0])), extent(all.map((p) => p[1])), true);
  points.forEach((pts, k) => {
    const d = pts
      .map(([x, y], i) => `${i ? 'L' : 'M'}${fr.px(x).toFixed(1)},${fr.py(y).toFixed(1)}`)
      .join('');
    const dash = series[k].dashed ? ' stroke-dasharray="2,3"' : '';
    fr.svg.push(`<path d="${d}" fill="none" stroke="${COLORS[k % COLORS.length]}" stroke-width="2"${dash}/>`);
  });
  const labelled = series.filter((s) => s.label);
  if (labelled.length > 0) {
    const boxW = 104;
    const boxH = labelled.length * 18 + 6;
    const screen = points.flatMap((pts) => densify(pts.map(([x, y]) => [fr.px(x), fr.py(y)] as const)));
    const [bx, by] = legendCorner(fr, boxW, boxH, screen);
    const x = bx + 6;
    let y = by + 8;
    fr.svg.push(`<rect x="${bx}" y="${by}" width="${boxW}" height="${boxH}" fill="white" stroke="#ccc"/>`);
    series.forEach((s, k) => {
      if (!s.label) return;
      const dash = s.dashed ? ' stroke-dasharray="2,3"' : '';
      fr.svg.push(
        `<line x1="${x}" y1="${y + 4}" x2="${x + 28}" y2="${y + 4}" stroke="${COLORS[k % COLORS.length]}" stroke-width="2"${dash}/>`,
        `<text x="${x + 34}" y="${y + 4}" dominant-baseline="middle">${esc(s.label)}</text>`,
      );
      y += 18;
    });
  }
  fr.svg.push('</svg>');
  return `${fr.svg.join('\n')}\n`;
}

/**
 * An SVG scatter plot (dots of radius 1.5), as d2l's `plt.scatter(x, y, 1)` in section 3.2.
 * @example renderScatter([1, 2], [3, 4], { xLabel: 'features[:, 1]', yLabel: 'labels' })
 */
export function renderScatter(x: ArrayLike<number>, y: ArrayLike<number>, options: PlotOptions): string {
  const xs = Array.from(x);
  const ys = Array.from(y);
  if (xs.length === 0 || xs.length !== ys.length) {
    throw new RangeError(`scatter: need as many x as y values, got ${xs.length} and ${ys.length}`);
  }
  const [lo, hi] = extent(xs);
  const pad = (hi - lo) * 0.03;
  const fr = frame(options, [lo - pad, hi + pad], extent(ys), false);
  xs.forEach((xv, i) => {
    fr.svg.push(
      `<circle cx="${fr.px(xv).toFixed(1)}" cy="${fr.py(ys[i]).toFixed(1)}" r="1.5" fill="${COLORS[0]}"/>`,
    );
  });
  fr.svg.push('</svg>');
  return `${fr.svg.join('\n')}\n`;
}
