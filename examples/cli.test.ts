/**
 * Tests of the examples' command line (`parseFlags`). The progress bar the training loops draw
 * has its tests in packages/datasets/src/progress.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { parseFlags } from './cli.js';

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

  it('reads --batch-times, a switch without a value', () => {
    expect(parseFlags(['--batch-times', '--batches', '2'], { epochs: 5 })).toMatchObject({
      batchTimes: true,
      batches: 2,
    });
    expect(parseFlags([], { epochs: 5 }).batchTimes).toBeUndefined();
    expect(() => parseFlags(['--batch-times=1'], { epochs: 5 })).toThrow(/--batch-times: takes no value/);
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
