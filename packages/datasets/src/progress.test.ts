/**
 * Tests of the one progress bar: silent unless the stream is a terminal (or `enabled`), the bar,
 * count and info text, redraw at the total, erase or keep at the end, and a custom count format
 * (the download's percentage and megabytes).
 */
import { describe, expect, it } from 'vitest';
import { ProgressBar } from './progress.js';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { stream: { isTTY, write: (s: string) => writes.push(s) }, writes };
}

describe('ProgressBar', () => {
  it('writes nothing when the stream is not a terminal', () => {
    const { stream, writes } = fakeStream(false);
    const bar = new ProgressBar('epoch 1', 2, { stream });
    bar.update(1, 'loss 1.0000');
    bar.update(2, 'loss 0.5000');
    bar.done();
    bar.done(true);
    expect(bar.enabled).toBe(false);
    expect(writes).toEqual([]);
  });

  it('draws the bar, the count and the info on a terminal, always at the total, then erases the line', () => {
    const { stream, writes } = fakeStream(true);
    const bar = new ProgressBar('epoch 1', 4, { stream, width: 8 });
    bar.update(1, 'loss 2.0000');
    bar.update(2, 'loss 1.5000'); // within 100 ms of the first draw: skipped
    bar.update(4, 'loss 1.0000'); // the total: always drawn
    bar.done();
    expect(writes).toEqual([
      '\repoch 1 [##......] 1/4 loss 2.0000\x1b[K',
      '\repoch 1 [########] 4/4 loss 1.0000\x1b[K',
      '\r\x1b[K',
    ]);
  });

  it('without a total shows the count only; keep leaves the last line and ends it', () => {
    const { stream, writes } = fakeStream(false);
    const bar = new ProgressBar('read', undefined, { stream, enabled: true });
    bar.update(3);
    bar.done(true);
    expect(writes).toEqual(['\rread 3\x1b[K', '\rread 3\x1b[K', '\n']);
  });

  it('takes a count format (the download bar)', () => {
    const bar = new ProgressBar('Downloading f.gz', 2e6, {
      enabled: false,
      width: 10,
      chars: ['=', ' '],
      formatCount: (r, t) =>
        `${((r / t!) * 100).toFixed(0).padStart(3)}% ${(r / 1e6).toFixed(1)}/${(t! / 1e6).toFixed(1)} MB`,
    });
    bar.update(1e6);
    expect(bar.render()).toBe('Downloading f.gz [=====     ]  50% 1.0/2.0 MB');
  });
});
