/**
 * The one progress bar of minimx: a line on stderr that redraws in place (at most every 100 ms),
 * drawn only when the stream is a terminal, so pipes, CI logs and files never see it. A download
 * shows its bytes with it; @minimx/d2l's training loops show batches, samples per second and the
 * running loss. `done()` erases the line (or, with `keep`, leaves it and ends it with a newline).
 */

/** The stream a {@link ProgressBar} draws on: anything with `write`, and `isTTY` when a terminal. */
export interface ProgressStream {
  /** Writes text (no newline added). */
  write(text: string): unknown;
  /** True when the stream is a terminal. */
  readonly isTTY?: boolean;
}

/** Options of {@link ProgressBar}. */
export interface ProgressBarOptions {
  /** Where to draw (default `process.stderr`). */
  stream?: ProgressStream;
  /** Draw at all (default: only when the stream is a terminal). */
  enabled?: boolean;
  /** Characters of the bar (default 24). */
  width?: number;
  /** The bar's filled and empty characters (default `'#'` and `'.'`). */
  chars?: readonly [string, string];
  /** The count after the bar (default `done/total`, or `done` when the total is unknown). */
  formatCount?: (done: number, total: number | undefined) => string;
}

const defaultStream = (): ProgressStream | undefined =>
  (globalThis as { process?: { stderr?: ProgressStream } }).process?.stderr;

/**
 * A one-line progress bar: `label [#####.......] done/total info`.
 *
 * MXNet counterpart: none (Gluon's download prints no bar; d2l prints only the epoch line).
 *
 * @example
 * ```ts
 * const bar = new ProgressBar('epoch 1', trainIter.length);
 * for (const [X, y] of trainIter) { ...; bar.update(++k, `loss ${loss.toFixed(4)}`); }
 * bar.done();
 * ```
 */
export class ProgressBar {
  /** Whether anything is ever written. */
  readonly enabled: boolean;
  private readonly stream: ProgressStream | undefined;
  private lastDraw = -Infinity;
  private drawn = false;
  private count = 0;
  private info = '';

  constructor(
    private readonly label: string,
    private readonly total: number | undefined,
    private readonly options: ProgressBarOptions = {},
  ) {
    this.stream = options.stream ?? defaultStream();
    this.enabled = options.enabled ?? Boolean(this.stream?.isTTY);
  }

  /** Sets the count (and the text after it) and redraws, at most every 100 ms and always at the total. */
  update(done: number, info = ''): void {
    this.count = done;
    this.info = info;
    if (!this.enabled) return;
    const now = performance.now();
    if (now - this.lastDraw < 100 && done !== this.total) return;
    this.lastDraw = now;
    this.draw();
  }

  /** Ends the bar: erases it, or with `keep` draws it a last time and ends the line. */
  done(keep = false): void {
    if (!this.enabled || !this.stream) return;
    if (keep) {
      this.draw();
      this.stream.write('\n');
    } else if (this.drawn) {
      this.stream.write('\r\x1b[K');
    }
    this.drawn = false;
  }

  /** The line as it is drawn, without the terminal's control characters. */
  render(): string {
    const width = this.options.width ?? 24;
    const [on, off] = this.options.chars ?? ['#', '.'];
    const total = this.total !== undefined && this.total > 0 ? this.total : undefined;
    const filled = total ? Math.round(Math.min(this.count / total, 1) * width) : 0;
    const bar = total ? ` [${on.repeat(filled)}${off.repeat(width - filled)}]` : '';
    const count = this.options.formatCount
      ? this.options.formatCount(this.count, total)
      : total
        ? `${this.count}/${total}`
        : `${this.count}`;
    return `${this.label}${bar} ${count}${this.info ? ` ${this.info}` : ''}`;
  }

  private draw(): void {
    this.stream?.write(`\r${this.render()}\x1b[K`);
    this.drawn = true;
  }
}
