/**
 * The Node-only picture helpers as the browser entry has them: `showFashionMnist`, `showImages`
 * and `plotHistory` write files, which a page cannot, so there each throws an error that names
 * what to use instead (the SVG text of a `Figure`, or the pixels of the images). They keep their
 * Node signatures, so code written for both compiles in both and fails only when called.
 */
import type { NDArray } from '@minimx/ndarray';
import type { ShowImagesOptions } from './images.js';
import type { TrainHistory } from './train.js';

/** The one error of a Node-only helper called in a browser. */
function nodeOnly(op: string, instead: string): never {
  throw new Error(`${op}: writes a picture file, which a browser cannot (Node only); ${instead}`);
}

const IMAGES_INSTEAD =
  'in a page draw the images on a <canvas> (image i is X.get(i), (H,W,C) uint8 or (C,H,W) float in [0,1]), with d2l.getFashionMnistLabels(y) as titles';

/**
 * Node only (writes a PNG or SVG file); in a browser it throws, saying to draw the images on a
 * `<canvas>`. In Node it is {@link "@minimx/datasets"!showFashionMnist | d2l.showFashionMnist}.
 * d2l 3.5: `d2l.show_fashion_mnist(images, labels)`.
 * @example d2l.showFashionMnist(X, d2l.getFashionMnistLabels(y)); // Error in a browser: Node only
 */
export function showFashionMnist(
  _images: NDArray | readonly NDArray[],
  _titles?: readonly string[],
  _options?: { path?: string; scale?: number; cols?: number },
): string {
  return nodeOnly('showFashionMnist', IMAGES_INSTEAD);
}

/**
 * Node only (writes a PNG or SVG file); in a browser it throws, saying to draw the images on a
 * `<canvas>`. In Node it is {@link "@minimx/d2l"!showImages | d2l.showImages}.
 * d2l 9.1: `d2l.show_images(imgs, num_rows, num_cols, scale=2)`.
 * @example d2l.showImages(X.slice(0, 8), 2, 4); // Error in a browser: Node only
 */
export function showImages(
  _imgs: NDArray | readonly NDArray[],
  _numRows: number,
  _numCols: number,
  _scale?: number,
  _options?: ShowImagesOptions,
): string {
  return nodeOnly('showImages', IMAGES_INSTEAD);
}

/**
 * Node only (writes the curves to a file); in a browser it throws, saying to use
 * `d2l.historyFigure(history).toSvg()`, the same curves as SVG text. In Node it is
 * {@link "@minimx/d2l"!plotHistory | d2l.plotHistory}. No d2lzh counterpart.
 * @example document.body.innerHTML = d2l.historyFigure(history).toSvg(); // instead of d2l.plotHistory(history, 'f.svg')
 */
export function plotHistory(_history: TrainHistory, _file: string): string {
  return nodeOnly(
    'plotHistory',
    'use d2l.historyFigure(history).toSvg() for the SVG text of the same curves',
  );
}
