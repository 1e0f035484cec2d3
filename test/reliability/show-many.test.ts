/**
 * `showFashionMnist` / `renderImageGrid` of very many pictures (issue 15, item 6): 200,000 images
 * ended in "Maximum call stack size exceeded" (a `Math.max(...)` spread over them); now more
 * than 10,000 images are refused with an error that says how many and what to do, and up to that
 * many are drawn.
 */

import { renderImageGrid } from '@minimx/datasets';
import { nd } from '@minimx/ndarray';
import { describe, expect, it } from 'vitest';

describe('showing very many pictures', () => {
  it('200,000 images (an NDArray or a list) get a clear RangeError, not a stack overflow', () => {
    const many = nd.zeros([200_000, 1, 1], { dtype: 'uint8' });
    const message = 'showFashionMnist: 200000 images are too many for one picture (at most 10000)';
    expect(() => renderImageGrid(many)).toThrow(message);
    const one = nd.zeros([1, 1], { dtype: 'uint8' });
    expect(() => renderImageGrid(new Array(200_000).fill(one))).toThrow(message);
  });

  it('10,000 images with 10,000 titles are drawn (no argument spread over them)', () => {
    const images = nd.zeros([10_000, 1, 1], { dtype: 'uint8' });
    const titles = Array.from({ length: 10_000 }, (_, i) => `t${i}`);
    const png = renderImageGrid(images, titles, { scale: 1, cols: 100 }) as Uint8Array;
    expect(Array.from(png.subarray(1, 4))).toEqual([0x50, 0x4e, 0x47]);
  });
});
