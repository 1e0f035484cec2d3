// Tests that DataLoader checks sampler indices before converting them to Int32Array (NaN, 2.7 and
// 2^32 became items 0, 2 and 0), and that the fast path (getBatch) and the per-item path give the
// same batches, labels' dtype included.
import { nd } from '@minimx/ndarray';
import { describe, expect, it } from 'vitest';
import { ArrayDataset, DataLoader, defaultBatchify } from './index.js';

describe('DataLoader sampler indices', () => {
  const ds = new ArrayDataset(nd.arange(0, 5), nd.arange(0, 5));
  for (const bad of [Number.NaN, 2.7, 2 ** 32, -1, 5]) {
    it(`refuses ${bad} from a sampler or a batchSampler`, () => {
      const viaSampler = new DataLoader(ds, { batchSize: 2, sampler: () => [0, bad] });
      const why = Number.isInteger(bad)
        ? 'out of range for a dataset of length 5'
        : 'which is not an integer';
      expect(() => [...viaSampler]).toThrow(`DataLoader: sampler gave index ${bad}, ${why}`);
      const viaBatches = new DataLoader(ds, { batchSampler: () => [[1, bad]] });
      expect(() => [...viaBatches]).toThrow(`DataLoader: batchSampler gave index ${bad}`);
    });
  }
});

describe('the fast path and the per-item path give the same batches', () => {
  const cases = {
    'float64 non-integer labels': nd.array([0.5, 1.5, 2.5, 3.5], { dtype: 'float64' }),
    'float64 integer labels': nd.array([0, 1, 2, 3], { dtype: 'float64' }),
    'uint8 labels': nd.array([0, 1, 2, 3], { dtype: 'uint8' }),
    'int32 labels': nd.array([3, 2, 1, 0], { dtype: 'int32' }),
  };
  for (const [what, y] of Object.entries(cases)) {
    it(what, () => {
      const ds = new ArrayDataset(nd.random.uniform({ shape: [4, 3] }), y);
      const fast = [...new DataLoader(ds, { batchSize: 4 })] as unknown as [
        ReturnType<typeof nd.array>,
        ReturnType<typeof nd.array>,
      ][];
      const slow = [
        ...new DataLoader(ds, { batchSize: 4, batchify: defaultBatchify }),
      ] as unknown as typeof fast;
      for (let j = 0; j < 2; j++) {
        expect(fast[0][j].dtype, `${what} element ${j}`).toBe(slow[0][j].dtype);
        expect(fast[0][j].shape).toEqual(slow[0][j].shape);
        expect(Array.from(fast[0][j].data)).toEqual(Array.from(slow[0][j].data));
      }
    });
  }
});

describe('transforms.Resize', () => {
  it('refuses an empty image instead of returning zeros', async () => {
    const { transforms } = await import('./index.js');
    expect(() => new transforms.Resize(4).forward(nd.zeros([0, 0, 1], { dtype: 'uint8' }))).toThrow(
      'Resize: cannot resize an empty image of shape (0,0,1)',
    );
    expect(() => new transforms.Resize(4).forwardBatch(nd.zeros([2, 3, 0, 1], { dtype: 'uint8' }))).toThrow(
      'Resize: cannot resize an empty image',
    );
  });
});
