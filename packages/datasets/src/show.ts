/**
 * Pictures a person can open: `showFashionMnist` draws images in a row (or grid) with their titles
 * above them, like d2l's `show_fashion_mnist`, and writes a PNG (drawn on raster.ts's `Canvas`
 * with its built-in 5x7 pixel font, so it needs no fonts or libraries) or an SVG (images embedded as
 * PNG, titles as text).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NDArray } from '@minimx/ndarray';
import { Canvas, encodePng, textWidth } from './raster.js';
import { LINE_ROWS, toBase64 } from './raster-helpers.js';

export { encodePng };

// ---------------------------------------------------------------- images to draw

interface Picture {
  h: number;
  w: number;
  rgb: Uint8Array; // h*w*3
}

/** The most images one picture shows; more would need gigabytes of canvas (d2l shows 18). */
const MAX_IMAGES = 10_000;

function tooMany(n: number): RangeError {
  return new RangeError(
    `showFashionMnist: ${n} images are too many for one picture (at most ${MAX_IMAGES}); show a slice, e.g. the first 18`,
  );
}

/** The largest of `values` (or `floor`), without spreading them into arguments (which overflows the stack). */
function largest(values: Iterable<number>, floor = Number.NEGATIVE_INFINITY): number {
  let m = floor;
  for (const v of values) if (v > m) m = v;
  return m;
}

function toPictures(images: NDArray | readonly NDArray[]): Picture[] {
  if (images instanceof NDArray && images.ndim >= 3 && images.shape[0] > MAX_IMAGES)
    throw tooMany(images.shape[0]);
  if (Array.isArray(images) && images.length > MAX_IMAGES) throw tooMany(images.length);
  if (images instanceof NDArray) {
    if (images.ndim < 3 || images.ndim > 4) {
      throw new RangeError(
        `showFashionMnist: expected images of shape (N,H,W), (N,H,W,C) or (N,C,H,W), got (${images.shape.join(',')})`,
      );
    }
    const n = images.shape[0];
    const per = images.size / n;
    const itemShape = images.shape.slice(1);
    return Array.from({ length: n }, (_, i) =>
      toPicture(images.data.subarray(i * per, (i + 1) * per), itemShape, i),
    );
  }
  if (!Array.isArray(images))
    throw new TypeError('showFashionMnist: images must be an NDArray or an array of NDArrays');
  return images.map((x, i) => {
    if (!(x instanceof NDArray)) throw new TypeError(`showFashionMnist: image ${i} is not an NDArray`);
    return toPicture(x.data, x.shape, i);
  });
}

function toPicture(data: ArrayLike<number>, shape: readonly number[], index: number): Picture {
  let h: number;
  let w: number;
  let c = 1;
  let channelsLast = true;
  if (shape.length === 2) [h, w] = shape;
  else if (shape.length === 3 && (shape[2] === 1 || shape[2] === 3)) [h, w, c] = shape;
  else if (shape.length === 3 && (shape[0] === 1 || shape[0] === 3)) {
    [c, h, w] = shape;
    channelsLast = false;
  } else {
    throw new RangeError(
      `showFashionMnist: image ${index} has shape (${shape.join(',')}); expected (H,W), (H,W,C) or (C,H,W) with C = 1 or 3`,
    );
  }
  let max = 0;
  for (let i = 0; i < data.length; i++) if (data[i] > max) max = data[i];
  const isFloat = data instanceof Float32Array || data instanceof Float64Array;
  const scale = isFloat && max <= 1 ? 255 : 1;
  const rgb = new Uint8Array(h * w * 3);
  for (let p = 0; p < h * w; p++) {
    for (let k = 0; k < 3; k++) {
      const ch = c === 1 ? 0 : k;
      const v = channelsLast ? data[p * c + ch] : data[ch * h * w + p];
      rgb[p * 3 + k] = Math.min(255, Math.max(0, Math.round(v * scale)));
    }
  }
  return { h, w, rgb };
}

/** Options of {@link showFashionMnist}. */
export interface ShowOptions {
  /** Where to write the picture; `.png` or `.svg` (default `fashion-mnist.png` in the working folder). */
  path?: string;
  /** Screen pixels per image pixel (default 4: a 28x28 image is drawn 112x112). */
  scale?: number;
  /** Images per row (default: all in one row, as d2l draws them, up to 10 per row). */
  cols?: number;
}

/** Options of {@link renderImageGrid}: {@link ShowOptions} without the file, with the format. */
export interface ImageGridOptions {
  /** Screen pixels per image pixel (default 4: a 28x28 image is drawn 112x112). */
  scale?: number;
  /** Images per row (default: all in one row, up to 10 per row). */
  cols?: number;
  /** `'png'` (bytes, default) or `'svg'` (text, images embedded as PNG). */
  format?: 'png' | 'svg';
  /** The name used in error messages (default `showFashionMnist`). */
  caller?: string;
}

/**
 * Draws images in a row (a grid when there are more than `cols`) with their titles above, and
 * returns the picture: PNG bytes, or SVG text with `format: 'svg'`. {@link showFashionMnist} writes
 * it to a file; @minimx/d2l's image grids use it too.
 *
 * MXNet counterpart: none (the drawing behind d2l's `show_fashion_mnist` and `show_images`).
 *
 * @example
 * ```ts
 * const svg = renderImageGrid(X, getFashionMnistLabels(y), { format: 'svg' }) as string;
 * ```
 */
export function renderImageGrid(
  images: NDArray | readonly NDArray[],
  titles: readonly string[] = [],
  options: ImageGridOptions = {},
): Uint8Array | string {
  const caller = options.caller ?? 'showFashionMnist';
  const pictures = toPictures(images);
  if (pictures.length === 0) throw new RangeError(`${caller}: no images to show`);
  if (!Array.isArray(titles)) throw new TypeError(`${caller}: titles must be an array of strings`);
  if (titles.length > 0 && titles.length !== pictures.length) {
    throw new RangeError(`${caller}: ${pictures.length} images but ${titles.length} titles`);
  }
  const scale = options.scale ?? 4;
  if (!Number.isInteger(scale) || scale < 1) {
    throw new RangeError(`${caller}: scale must be a positive integer, got ${scale}`);
  }
  const cols = options.cols ?? Math.min(pictures.length, 10);
  if (!Number.isInteger(cols) || cols < 1)
    throw new RangeError(`${caller}: cols must be a positive integer, got ${cols}`);

  const px = 2; // font pixel size
  const lines = pictures.map((_, i) => String(titles[i] ?? '').split('\n'));
  const maxLines = largest(
    lines.map((l) => l.length),
    1,
  );
  const imgW = largest(pictures.map((p) => p.w)) * scale;
  const imgH = largest(pictures.map((p) => p.h)) * scale;
  const titleW = largest(
    lines.flat().map((l) => textWidth(l, px)),
    0,
  );
  const pad = 12;
  const cellW = Math.max(imgW, titleW) + pad;
  const titleH = titles.length > 0 ? maxLines * LINE_ROWS * px + 6 : 0;
  const cellH = titleH + imgH + pad;
  const rows = Math.ceil(pictures.length / cols);
  const width = cellW * Math.min(cols, pictures.length) + pad;
  const height = cellH * rows + pad;

  if (options.format !== 'svg') {
    const canvas = new Canvas(width, height);
    pictures.forEach((p, i) => {
      const x0 = pad + (i % cols) * cellW;
      const y0 = pad + Math.floor(i / cols) * cellH;
      lines[i].forEach((line, k) => {
        canvas.text(
          line,
          x0 + Math.floor((cellW - pad - textWidth(line, px)) / 2),
          y0 + k * LINE_ROWS * px,
          px,
        );
      });
      const ix = x0 + Math.floor((cellW - pad - p.w * scale) / 2);
      const iy = y0 + titleH;
      for (let y = 0; y < p.h; y++) {
        for (let x = 0; x < p.w; x++) {
          const o = (y * p.w + x) * 3;
          canvas.fill(ix + x * scale, iy + y * scale, scale, scale, p.rgb[o], p.rgb[o + 1], p.rgb[o + 2]);
        }
      }
    });
    return encodePng(canvas.rgb, width, height);
  }
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="100%" height="100%" fill="white"/>`,
  ];
  pictures.forEach((p, i) => {
    const x0 = pad + (i % cols) * cellW;
    const y0 = pad + Math.floor(i / cols) * cellH;
    const cx = x0 + (cellW - pad) / 2;
    lines[i].forEach((line, k) => {
      parts.push(
        `<text x="${cx}" y="${y0 + (k + 1) * LINE_ROWS * px - 4}" font-family="sans-serif" font-size="${LINE_ROWS * px - 4}" text-anchor="middle">${esc(line)}</text>`,
      );
    });
    const href = `data:image/png;base64,${toBase64(encodePng(p.rgb, p.w, p.h))}`;
    parts.push(
      `<image x="${x0 + (cellW - pad - p.w * scale) / 2}" y="${y0 + titleH}" width="${p.w * scale}" height="${p.h * scale}" style="image-rendering:pixelated" href="${href}"/>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

/**
 * Draws images in a row (a grid when there are more than `cols`) with their titles above, like
 * d2l's figures ("the first 9 training images", "true vs predicted labels": use `'\n'` in a title
 * for a second line), and writes it as PNG or SVG. Returns the path written.
 *
 * MXNet counterpart: d2l's `d2l.show_fashion_mnist(images, labels)` (matplotlib).
 *
 * @example
 * ```ts
 * const [X, y] = mnistTrain.slice(0, 9);
 * showFashionMnist(X, getFashionMnistLabels(y), { path: 'first-9.png' });
 * ```
 */
export function showFashionMnist(
  images: NDArray | readonly NDArray[],
  titles: readonly string[] = [],
  options: ShowOptions = {},
): string {
  const file = options.path ?? 'fashion-mnist.png';
  const ext = path.extname(file).toLowerCase();
  if (ext !== '.png' && ext !== '.svg') {
    throw new RangeError(`showFashionMnist: path must end in .png or .svg, got ${JSON.stringify(file)}`);
  }
  const picture = renderImageGrid(images, titles, {
    scale: options.scale,
    cols: options.cols,
    format: ext === '.svg' ? 'svg' : 'png',
  });
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, picture);
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw new Error(`showFashionMnist: cannot write ${file}: ${(err as Error).message}`);
  }
  return file;
}
