/**
 * A one-line progress bar for a training epoch, drawn on stderr only when stderr is a terminal:
 * batches done / total, samples per second and the running mean loss. `done()` erases it, so the
 * epoch line printed on stdout afterwards stays clean; when stderr is not a terminal (pipes, CI,
 * files) nothing is ever written.
 */

/** What a {@link ProgressBar} is told after each batch. */
export interface ProgressUpdate {
  /** Samples in the batch just finished. */
  samples: number;
  /** Summed per-sample loss of that batch. */
  lossSum: number;
}

/**
 * Progress of one epoch on stderr (no MXNet counterpart: d2l prints only the epoch line).
 * @example
 * const bar = new ProgressBar('epoch 1', trainIter.length);
 * for (const [X, y] of trainIter) { ...; bar.tick({ samples: y.size, lossSum }); }
 * bar.done();
 */
export class ProgressBar {
  private readonly enabled: boolean;
  private readonly start = performance.now();
  private batches = 0;
  private samples = 0;
  private lossSum = 0;
  private lastDraw = 0;

  constructor(
    private readonly label: string,
    private readonly total: number | undefined,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.enabled = Boolean(stream.isTTY);
  }

  /** Records one finished batch and redraws (at most every 100 ms). */
  tick(update: ProgressUpdate): void {
    this.batches++;
    this.samples += update.samples;
    this.lossSum += update.lossSum;
    if (!this.enabled) return;
    const now = performance.now();
    if (now - this.lastDraw < 100 && this.batches !== this.total) return;
    this.lastDraw = now;
    this.stream.write(`\r${this.render(now)}\x1b[K`);
  }

  /** Erases the bar (call before printing the epoch line). */
  done(): void {
    if (this.enabled && this.batches > 0) this.stream.write('\r\x1b[K');
  }

  private render(now: number): string {
    const seconds = Math.max((now - this.start) / 1000, 1e-9);
    const rate = Math.round(this.samples / seconds);
    const loss = (this.lossSum / Math.max(this.samples, 1)).toFixed(4);
    const width = 24;
    const frac = this.total ? Math.min(this.batches / this.total, 1) : 0;
    const filled = Math.round(frac * width);
    const bar = this.total ? `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ` : '';
    const count = this.total ? `${this.batches}/${this.total}` : `${this.batches}`;
    return `${this.label} ${bar}${count} batches, ${rate} samples/s, loss ${loss}`;
  }
}
