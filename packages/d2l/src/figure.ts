/**
 * d2l's figures without matplotlib: `setFigsize` and `useSvgDisplay` (3.2), a small `plt` in
 * pyplot's style (`plot`, `scatter`, `semilogy`, labels, legend, `savefig`, `show`) over
 * {@link Figure}, and the d2lzh plotting helpers `semilogy` (3.11) and `xyplot` (3.8).
 * In Node a figure is written as an SVG or PNG file (by the file's extension); where there is no
 * file system (a browser) `show()` returns the SVG text instead. Nothing here imports a Node module
 * (the file system is looked up when a file is written), so this module is also the browser-safe
 * `@minimx/d2l/figure`; image grids (`showImages`) are in images.ts.
 */
import { NDArray } from '@minimx/ndarray';
import { formatOf, hasFileSystem, writeFile } from './io.js';
import { drawPlot, type PlotOptions, type Series, toPng, toSvg } from './plot.js';

/** Pixels per inch of a figure (matplotlib's figsize is in inches). */
export const DPI = 137;

let defaultFigsize: [number, number] = [3.5, 2.5];

/** Numbers to plot: an array, a typed array, or an NDArray (flattened; the book's `.asnumpy()`). */
export type Values = NDArray | ArrayLike<number> | Iterable<number>;

function numbers(v: Values, what: string): number[] {
  if (v instanceof NDArray) return Array.from(v.data as ArrayLike<number>);
  if (v == null || typeof v !== 'object') throw new TypeError(`${what}: expected numbers or an NDArray`);
  return Array.from(v as Iterable<number>);
}

/**
 * Sets the size in inches of the figures made from now on (drawn at {@link DPI} pixels per inch).
 * d2l 3.2: `d2l.set_figsize(figsize=(3.5, 2.5))`.
 * @example d2l.setFigsize([5, 2.5]);
 */
export function setFigsize(figsize: readonly [number, number] = [3.5, 2.5]): void {
  if (!Array.isArray(figsize) || figsize.length !== 2 || !figsize.every((v) => v > 0 && Number.isFinite(v))) {
    throw new RangeError(`setFigsize: expected [width, height] in inches, got ${JSON.stringify(figsize)}`);
  }
  defaultFigsize = [figsize[0], figsize[1]];
}

/**
 * Accepted and does nothing: figures here are SVG already (or PNG when a `.png` file is asked for).
 * d2l 3.2: `d2l.use_svg_display()`.
 * @example d2l.useSvgDisplay();
 */
export function useSvgDisplay(): void {}

/** Options of {@link Figure.plot} and {@link Figure.semilogy}: matplotlib's keyword arguments. */
export interface LineOptions {
  /** The legend entry. */
  label?: string;
  /** `'-'` (solid, default) or `':'` / `'--'` (dotted). */
  linestyle?: '-' | ':' | '--';
  /** A CSS hex colour such as `'#ff7f0e'`. */
  color?: string;
}

/** Options of {@link Figure}. */
export interface FigureOptions {
  /** Width and height in inches (default: the last {@link setFigsize}, else [3.5, 2.5]). */
  figsize?: readonly [number, number];
}

/** Options of {@link Figure.show}. */
export interface ShowFigureOptions {
  /** The file to write in Node (`.svg` or `.png`; default `out/figure-<n>.svg`). */
  path?: string;
}

let shown = 0;

/**
 * One figure with one set of axes, drawn as matplotlib would draw the d2l plots: lines, dotted
 * lines, point clouds, a logarithmic y axis, labels, a title and a legend.
 * The object behind d2l's `plt` (matplotlib's `Figure` and `Axes` in one).
 * @example
 * const fig = new d2l.Figure({ figsize: [3.5, 2.5] });
 * fig.plot([1, 2, 3], [1, 4, 9], { label: 'x^2' }).xlabel('x').ylabel('y').legend();
 * fig.savefig('out/square.png');
 */
export class Figure {
  /** Width and height in inches. */
  readonly figsize: [number, number];
  private readonly series: Series[] = [];
  private readonly labels: { x?: string; y?: string; title?: string } = {};
  private logY = false;
  private showLegend = false;

  constructor({ figsize = defaultFigsize }: FigureOptions = {}) {
    if (!Array.isArray(figsize) || figsize.length !== 2 || !figsize.every((v) => v > 0)) {
      throw new RangeError(
        `Figure: figsize must be [width, height] in inches, got ${JSON.stringify(figsize)}`,
      );
    }
    this.figsize = [figsize[0], figsize[1]];
  }

  /** A line of `y` against `x`. matplotlib: `plt.plot(x, y, linestyle=..., label=...)`. @example fig.plot(x, y) */
  plot(x: Values, y: Values, { label, linestyle = '-', color }: LineOptions = {}): this {
    const xs = numbers(x, 'plot');
    const ys = numbers(y, 'plot');
    if (xs.length !== ys.length)
      throw new RangeError(`plot: ${xs.length} x values but ${ys.length} y values`);
    this.series.push({ x: xs, y: ys, label, dashed: linestyle !== '-', color });
    return this;
  }

  /** A line with a logarithmic y axis. matplotlib: `plt.semilogy(x, y, linestyle=':')`. @example fig.semilogy(epochs, losses) */
  semilogy(x: Values, y: Values, options: LineOptions = {}): this {
    this.logY = true;
    return this.plot(x, y, options);
  }

  /**
   * A dot per point; `size` is matplotlib's marker area in points² (the book passes 1).
   * matplotlib: `plt.scatter(x, y, s)`.
   * @example fig.scatter(features.get(':, 1'), labels, 1)
   */
  scatter(x: Values, y: Values, size = 1, { label, color }: Omit<LineOptions, 'linestyle'> = {}): this {
    const xs = numbers(x, 'scatter');
    const ys = numbers(y, 'scatter');
    if (xs.length === 0 || xs.length !== ys.length) {
      throw new RangeError(`scatter: need as many x as y values, got ${xs.length} and ${ys.length}`);
    }
    this.series.push({
      x: xs,
      y: ys,
      kind: 'scatter',
      size: Math.max(1.5, Math.sqrt(size) * 1.5),
      label,
      color,
    });
    return this;
  }

  /** The x axis label. matplotlib: `plt.xlabel(s)`. @example fig.xlabel('epochs') */
  xlabel(text: string): this {
    this.labels.x = text;
    return this;
  }

  /** The y axis label. matplotlib: `plt.ylabel(s)`. @example fig.ylabel('loss') */
  ylabel(text: string): this {
    this.labels.y = text;
    return this;
  }

  /** The title above the axes. matplotlib: `plt.title(s)`. @example fig.title('lambd = 3') */
  title(text: string): this {
    this.labels.title = text;
    return this;
  }

  /** `'log'` or `'linear'` y axis. matplotlib: `plt.yscale('log')`. @example fig.yscale('log') */
  yscale(scale: 'log' | 'linear'): this {
    this.logY = scale === 'log';
    return this;
  }

  /**
   * Shows a legend; `labels` name the series in order (else their `label`s).
   * matplotlib: `plt.legend(['train', 'test'])`.
   * @example fig.legend(['train', 'test'])
   */
  legend(labels?: readonly string[]): this {
    labels?.forEach((l, i) => {
      if (this.series[i]) this.series[i].label = l;
    });
    this.showLegend = true;
    return this;
  }

  /**
   * Lets a Jupyter cell (Deno's kernel) that ends in a figure show it, as matplotlib's inline
   * backend does: `d2l.plt.plot(x, y)` as a cell's last line draws the plot under it.
   */
  [Symbol.for('Jupyter.display')](): Record<string, string> {
    if (this.series.length === 0) return { 'text/plain': 'Figure (empty)' };
    return { 'image/svg+xml': this.toSvg() };
  }

  /** The figure as a self-contained SVG document. @example const svg = fig.toSvg(); */
  toSvg(): string {
    return toSvg(this.draw());
  }

  /** The figure as PNG bytes (twice the SVG's pixel size). @example fs.writeFileSync('f.png', fig.toPng()) */
  toPng(): Uint8Array {
    return toPng(this.draw());
  }

  /**
   * Writes the figure to `file`, SVG or PNG by its extension, creating folders; returns the path.
   * Node only. matplotlib: `plt.savefig(fname)`.
   * @example fig.savefig('out/loss.svg')
   */
  savefig(file: string): string {
    const format = formatOf('savefig', file);
    return writeFile('savefig', file, format === 'svg' ? this.toSvg() : this.toPng());
  }

  /**
   * Shows the figure: in Node writes it (default `out/figure-<n>.svg`) and returns the path;
   * without a file system (a browser) returns the SVG text. matplotlib: `plt.show()`.
   * @example fig.show({ path: 'out/scatter.svg' })
   */
  show({ path }: ShowFigureOptions = {}): string {
    if (!hasFileSystem() && path === undefined) return this.toSvg();
    return this.savefig(path ?? `out/figure-${++shown}.svg`);
  }

  private draw() {
    if (this.series.length === 0)
      throw new RangeError('Figure: nothing to draw (call plot, scatter or semilogy first)');
    const options: PlotOptions = {
      xLabel: this.labels.x,
      yLabel: this.labels.y,
      title: this.labels.title,
      width: Math.round(this.figsize[0] * DPI),
      height: Math.round(this.figsize[1] * DPI),
      logY: this.logY,
    };
    const series = this.showLegend ? this.series : this.series.map((s) => ({ ...s, label: undefined }));
    return drawPlot(series, options);
  }
}

let current: Figure | undefined;
const gcf = (): Figure => {
  current ??= new Figure();
  return current;
};

/**
 * pyplot's stateful interface over a current {@link Figure}: each call draws on it (making one
 * when there is none); `show()` and `savefig()` write it, and `show()` starts a new one next time.
 * d2l's `d2l.plt` (matplotlib.pyplot).
 * @example
 * d2l.setFigsize();
 * d2l.plt.scatter(features.get(':, 1'), labels, 1);
 * d2l.plt.show({ path: 'out/scatter.svg' });
 */
export const plt = {
  /** A new current figure. matplotlib: `plt.figure(figsize=...)`. */
  figure(options?: FigureOptions): Figure {
    current = new Figure(options);
    return current;
  },
  /** The current figure. matplotlib: `plt.gcf()`. */
  gcf,
  /** matplotlib: `plt.plot`. */
  plot: (x: Values, y: Values, options?: LineOptions): Figure => gcf().plot(x, y, options),
  /** matplotlib: `plt.semilogy`. */
  semilogy: (x: Values, y: Values, options?: LineOptions): Figure => gcf().semilogy(x, y, options),
  /** matplotlib: `plt.scatter`. */
  scatter: (x: Values, y: Values, size?: number, options?: Omit<LineOptions, 'linestyle'>): Figure =>
    gcf().scatter(x, y, size, options),
  /** matplotlib: `plt.xlabel`. */
  xlabel: (text: string): Figure => gcf().xlabel(text),
  /** matplotlib: `plt.ylabel`. */
  ylabel: (text: string): Figure => gcf().ylabel(text),
  /** matplotlib: `plt.title`. */
  title: (text: string): Figure => gcf().title(text),
  /** matplotlib: `plt.yscale`. */
  yscale: (scale: 'log' | 'linear'): Figure => gcf().yscale(scale),
  /** matplotlib: `plt.legend`. */
  legend: (labels?: readonly string[]): Figure => gcf().legend(labels),
  /** matplotlib: `plt.savefig`; the figure stays current. */
  savefig: (file: string): string => gcf().savefig(file),
  /** matplotlib: `plt.show()`: writes (Node) or returns the SVG (browser), then starts afresh. */
  show(options?: ShowFigureOptions): string {
    const out = gcf().show(options);
    current = undefined;
    return out;
  },
};

/** Options of {@link semilogy}: where the picture goes, its size and title. */
export interface SemilogyOptions {
  /** The file to write, `.svg` or `.png` (default `out/semilogy.svg`). Folders are created. */
  path?: string;
  /** Width and height in inches, as matplotlib's figsize (default [3.5, 2.5]). */
  figsize?: readonly [number, number];
  /** A title above the plot. */
  title?: string;
}

// #region semilogy
/**
 * Plots `yVals` against `xVals` (and, if given, `y2Vals` against `x2Vals`, dotted, with `legend`)
 * with a logarithmic y axis and writes it (Node; returns the path) or returns the SVG (browser).
 * d2l 3.11: `d2l.semilogy(x_vals, y_vals, x_label, y_label, x2_vals=None, y2_vals=None, legend=None, figsize=(3.5, 2.5))`.
 * @example d2l.semilogy(epochs, trainLs, 'epochs', 'loss', epochs, testLs, ['train', 'test'], { path: 'out/wd.svg' });
 */
export function semilogy(
  xVals: Values,
  yVals: Values,
  xLabel: string,
  yLabel: string,
  x2Vals?: Values | null,
  y2Vals?: Values | null,
  legend?: readonly string[] | null,
  { path = 'out/semilogy.svg', figsize = [3.5, 2.5], title }: SemilogyOptions = {},
): string {
  const fig = new Figure({ figsize }).xlabel(xLabel).ylabel(yLabel).semilogy(xVals, yVals);
  if (x2Vals && y2Vals) fig.semilogy(x2Vals, y2Vals, { linestyle: ':' }).legend(legend ?? undefined);
  if (title) fig.title(title);
  return fig.show({ path: hasFileSystem() ? path : undefined });
}
// #endregion

/** Options of {@link xyplot}. */
export interface XyplotOptions {
  /** The file to write, `.svg` or `.png` (default `out/<name>.svg`). */
  path?: string;
}

// #region xyplot
/**
 * Plots `yVals` against `xVals` in a 5 x 2.5 inch figure, x axis `x`, y axis `<name>(x)`, and
 * writes it (Node; returns the path) or returns the SVG (browser).
 * d2l 3.8: `xyplot(x_vals, y_vals, name)`.
 * @example d2l.xyplot(x, x.relu(), 'relu', { path: 'out/relu.svg' });
 */
export function xyplot(xVals: Values, yVals: Values, name: string, { path }: XyplotOptions = {}): string {
  const fig = new Figure({ figsize: [5, 2.5] }).plot(xVals, yVals).xlabel('x').ylabel(`${name}(x)`);
  return fig.show({ path: hasFileSystem() ? (path ?? `out/${name}.svg`) : undefined });
}
// #endregion
