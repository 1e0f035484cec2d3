/**
 * Image grids, d2l's `show_images`: `showImages` draws images in rows and columns with
 * @minimx/datasets' `renderImageGrid` and writes the PNG or SVG (Node), or returns the SVG text
 * where there is no file system.
 */
import { renderImageGrid } from '@minimx/datasets';
import { NDArray } from '@minimx/ndarray';
import { formatOf, hasFileSystem, writeFile } from './io.js';

/** Options of {@link showImages}. */
export interface ShowImagesOptions {
  /** The file to write, `.png` or `.svg` (default `out/images.png`). */
  path?: string;
  /** Titles, one per image (`'\n'` for a second line). */
  titles?: readonly string[];
}

/**
 * Draws `numRows * numCols` images in a grid, `scale` screen pixels per image pixel, and writes it
 * (Node; returns the path) or returns the SVG (browser). Images are (H,W), (H,W,C) or (C,H,W)
 * arrays, or one (N,...) array. d2l 9.1: `d2l.show_images(imgs, num_rows, num_cols, scale=2)`.
 * @example d2l.showImages(X.slice(0, 8), 2, 4, 2, { path: 'out/grid.png' });
 */
export function showImages(
  imgs: NDArray | readonly NDArray[],
  numRows: number,
  numCols: number,
  scale = 2,
  { path = 'out/images.png', titles = [] }: ShowImagesOptions = {},
): string {
  const all =
    imgs instanceof NDArray ? Array.from({ length: imgs.shape[0] }, (_, i) => imgs.get(i)) : [...imgs];
  const n = numRows * numCols;
  if (!Number.isInteger(numRows) || !Number.isInteger(numCols) || numRows < 1 || numCols < 1) {
    throw new RangeError(
      `showImages: numRows and numCols must be positive integers, got ${numRows} and ${numCols}`,
    );
  }
  if (all.length < n)
    throw new RangeError(`showImages: a ${numRows}x${numCols} grid needs ${n} images, got ${all.length}`);
  const options = { scale, cols: numCols, caller: 'showImages' };
  if (!hasFileSystem()) {
    return renderImageGrid(all.slice(0, n), titles.slice(0, n), { ...options, format: 'svg' }) as string;
  }
  const format = formatOf('showImages', path);
  return writeFile(
    'showImages',
    path,
    renderImageGrid(all.slice(0, n), titles.slice(0, n), { ...options, format }),
  );
}
