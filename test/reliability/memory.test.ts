/**
 * Memory stays flat over many training steps: the tape is released by `backward()` and nothing
 * (engine, Trainer, optimizer state, loss) keeps per-step arrays. Runs
 * fixtures/train-steps.ts in a child `node --expose-gc` for 3 "epochs" of 1500 steps, from scratch
 * and with Gluon, and bounds the growth of the heap and of ArrayBuffer memory after gc between the
 * first and the last epoch. A leak of one 32x10 float32 array per step (the smallest intermediate)
 * would add 1500 x 1280 bytes, about 1.8 MiB, per epoch; the bounds sit well below that and well
 * above the noise (tens of KiB). The slow, real-data version is scripts/long-run.ts.
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const FIXTURE = path.join(REPO, 'test', 'reliability', 'fixtures', 'train-steps.ts');
const run = promisify(execFile);
const KiB = 1024;

interface EpochMemory {
  epoch: number;
  heapUsed: number;
  arrayBuffers: number;
  loss: number;
}

async function measure(mode: 'scratch' | 'gluon'): Promise<EpochMemory[]> {
  const { stdout } = await run(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', FIXTURE, mode, '3', '1500'],
    {
      cwd: REPO,
      timeout: 120_000,
    },
  );
  return stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as EpochMemory);
}

describe('memory is flat over thousands of training steps', () => {
  for (const mode of ['scratch', 'gluon'] as const) {
    it(`${mode}: heap and ArrayBuffer bytes after gc do not grow from epoch 1 to epoch 3`, async () => {
      const epochs = await measure(mode);
      expect(epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
      const [first, , last] = epochs;
      const report = epochs
        .map(
          (e) =>
            `epoch ${e.epoch}: heap ${(e.heapUsed / KiB).toFixed(0)} KiB, buffers ${(e.arrayBuffers / KiB).toFixed(0)} KiB`,
        )
        .join('; ');
      expect(last.heapUsed - first.heapUsed, report).toBeLessThan(512 * KiB);
      expect(last.arrayBuffers - first.arrayBuffers, report).toBeLessThan(256 * KiB);
      expect(last.loss).toBeLessThan(first.loss);
    });
  }
});
