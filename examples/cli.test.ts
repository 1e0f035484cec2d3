/**
 * Tests of the examples' command line (`parseFlags`) and of the stderr progress bar: it writes
 * nothing unless the stream is a terminal, and erases itself before the epoch line.
 */
import { describe, expect, it } from 'vitest';
import { parseFlags } from './cli.js';
import { ProgressBar } from './progress.js';

describe('parseFlags', () => {
  it('uses the defaults when no flag is given', () => {
    expect(parseFlags([], { epochs: 5 })).toEqual({
      epochs: 5,
      seed: undefined,
      batches: Infinity,
      out: 'out',
    });
  });

  it('reads --flag N and --flag=N', () => {
    expect(
      parseFlags(['--epochs', '1', '--seed=7', '--batches', '3', '--out=/tmp/x'], { epochs: 5 }),
    ).toEqual({
      epochs: 1,
      seed: 7,
      batches: 3,
      out: '/tmp/x',
    });
  });

  it("reads --batch-size N (the chapter-5 examples; undefined means the book's)", () => {
    expect(parseFlags(['--batch-size', '16'], { epochs: 5 }).batchSize).toBe(16);
    expect(parseFlags([], { epochs: 5 }).batchSize).toBeUndefined();
    expect(() => parseFlags(['--batch-size', '0'], { epochs: 5 })).toThrow(
      /--batch-size: expected a positive integer/,
    );
  });

  it('names a bad value or an unknown flag', () => {
    expect(() => parseFlags(['--epochs', 'two'], { epochs: 5 })).toThrow(
      /--epochs: expected a non-negative integer, got "two"/,
    );
    expect(() => parseFlags(['--batches', '0'], { epochs: 5 })).toThrow(
      /--batches: expected a positive integer/,
    );
    expect(() => parseFlags(['--epoch', '1'], { epochs: 5 })).toThrow(/unknown flag "--epoch"/);
  });
});

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  const stream = { isTTY, write: (s: string) => writes.push(s) > 0 } as unknown as NodeJS.WriteStream;
  return { stream, writes };
}

describe('ProgressBar', () => {
  it('writes nothing when the stream is not a terminal', () => {
    const { stream, writes } = fakeStream(false);
    const bar = new ProgressBar('epoch 1', 2, stream);
    bar.tick({ samples: 256, lossSum: 512 });
    bar.tick({ samples: 96, lossSum: 96 });
    bar.done();
    expect(writes).toEqual([]);
  });

  it('shows batches, throughput and running loss on a terminal, then erases the line', () => {
    const { stream, writes } = fakeStream(true);
    const bar = new ProgressBar('epoch 1', 2, stream);
    bar.tick({ samples: 256, lossSum: 512 });
    bar.tick({ samples: 96, lossSum: 96 });
    bar.done();
    expect(writes[0].startsWith('\repoch 1 [')).toBe(true);
    expect(writes[0].endsWith('\x1b[K')).toBe(true);
    expect(writes[0]).toMatch(/\] 1\/2 batches, \d+ samples\/s, loss 2\.0000/);
    expect(writes.at(-2)).toMatch(/2\/2 batches, \d+ samples\/s, loss 1\.7273/);
    expect(writes.at(-1)).toBe('\r\x1b[K');
  });
});
