/**
 * Tests of the data helpers: `dataIter` visits every example once in batches (the last smaller),
 * `limitBatches` caps it and `limited`, and `loadDataFashionMnist` with `resize` gives
 * (batch,1,size,size) float32 in [0,1] with int32 labels, resizing each batch as it is read (the
 * Resize transform never sees more than one batch). The Fashion-MNIST test is skipped, with a
 * message, when neither the system copy nor a cached one exists.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { transforms } from '@minimx/datasets';
import { type NDArray, nd } from '@minimx/ndarray';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as d2l from './index.js';

afterEach(() => {
  vi.restoreAllMocks();
  d2l.limitBatches(Infinity);
});

const FASHION = [
  '/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz',
  path.join(
    process.env.MINIMX_HOME ?? path.join(os.homedir(), '.minimx'),
    'datasets',
    'fashion-mnist',
    'train-images-idx3-ubyte.gz',
  ),
].some((f) => fs.existsSync(f));
if (!FASHION)
  console.warn(
    'd2l data.test: no Fashion-MNIST (apt-get install dataset-fashion-mnist); skipping loadDataFashionMnist',
  );

describe('dataIter', () => {
  it('yields every example exactly once, the last batch smaller', () => {
    const features = nd.array([[0], [1], [2], [3], [4]]);
    const labels = nd.array([0, 10, 20, 30, 40]);
    const seen: number[] = [];
    const sizes: number[] = [];
    for (const [X, y] of d2l.dataIter(2, features, labels)) {
      sizes.push(X.shape[0]);
      X.data.forEach((v, i) => {
        expect(y.data[i]).toBe(v * 10);
        seen.push(v);
      });
    }
    expect(sizes).toEqual([2, 2, 1]);
    expect(seen.sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('limitBatches caps dataIter and limited; a bad cap is refused', () => {
    d2l.limitBatches(1);
    expect([...d2l.dataIter(2, nd.zeros([6, 1]), nd.zeros([6]))]).toHaveLength(1);
    const capped = d2l.limited(Object.assign([1, 2, 3], { length: 3 }));
    expect([...capped]).toEqual([1]);
    expect(capped.length).toBe(1);
    expect(() => d2l.limitBatches(0)).toThrow(/limitBatches: expected a positive number/);
  });

  it('range is Python range(start, stop)', () => {
    expect(d2l.range(1, 4)).toEqual([1, 2, 3]);
    expect(d2l.range(3, 3)).toEqual([]);
  });
});

describe.skipIf(!FASHION)('loadDataFashionMnist', () => {
  it('resize 32: (8,1,32,32) float32 in [0,1], int32 labels, resized batch by batch', async () => {
    const seen: number[][] = [];
    const original = transforms.Resize.prototype.forwardBatch;
    vi.spyOn(transforms.Resize.prototype, 'forwardBatch').mockImplementation(function (
      this: transforms.Resize,
      x: NDArray,
    ) {
      seen.push([...x.shape]);
      return original.call(this, x);
    });
    const [trainIter, testIter] = await d2l.loadDataFashionMnist(8, { resize: 32 });
    expect(trainIter.length).toBe(7500);
    expect(testIter.length).toBe(1250);
    let k = 0;
    for (const [X, y] of testIter) {
      expect(X.shape).toEqual([8, 1, 32, 32]);
      expect(X.dtype).toBe('float32');
      expect(y.shape).toEqual([8]);
      expect(y.dtype).toBe('int32');
      expect(X.min().asScalar()).toBeGreaterThanOrEqual(0);
      expect(X.max().asScalar()).toBeLessThanOrEqual(1);
      if (++k === 3) break;
    }
    expect(seen).toEqual([
      [8, 28, 28, 1],
      [8, 28, 28, 1],
      [8, 28, 28, 1],
    ]);
  });

  it('without resize: (256,1,28,28) batches; limitBatches caps a pass', async () => {
    d2l.limitBatches(2);
    const [trainIter] = await d2l.loadDataFashionMnist(256);
    expect(trainIter.length).toBe(2);
    const shapes = [...trainIter].map(([X]) => X.shape);
    expect(shapes).toEqual([
      [256, 1, 28, 28],
      [256, 1, 28, 28],
    ]);
  });
});
