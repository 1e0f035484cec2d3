/**
 * Pictures a person can open: `showFashionMnist` draws images in a row (or grid) with their titles
 * above them, like d2l's `show_fashion_mnist`, and writes a PNG (a small encoder over node:zlib
 * with a built-in 5x7 pixel font, so it needs no fonts or libraries) or an SVG (images embedded as
 * PNG, titles as text).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { deflateSync } from 'node:zlib';
import { NDArray } from '@minimx/ndarray';

// ---------------------------------------------------------------- PNG encoder

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/**
 * Encodes an 8-bit RGB image (`rgb` holds width*height*3 bytes, row-major) as PNG bytes.
 *
 * MXNet counterpart: none (d2l draws with matplotlib).
 *
 * @example
 * ```ts
 * fs.writeFileSync('red.png', encodePng(new Uint8Array([255, 0, 0]), 1, 1));
 * ```
 */
export function encodePng(rgb: Uint8Array, width: number, height: number): Buffer {
  if (rgb.length !== width * height * 3) {
    throw new RangeError(
      `encodePng: ${width}x${height} RGB needs ${width * height * 3} bytes, got ${rgb.length}`,
    );
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: RGB
  const stride = width * 3;
  const raw = new Uint8Array((stride + 1) * height);
  for (let y = 0; y < height; y++) raw.set(rgb.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

// ---------------------------------------------------------------- a 5x7 pixel font

// Each glyph: rows of 5 pixels, top to bottom, 7 rows (9 for letters with descenders).
const GLYPHS: Record<string, string> = {
  A: '.###. #...# #...# ##### #...# #...# #...#',
  B: '####. #...# #...# ####. #...# #...# ####.',
  C: '.###. #...# #.... #.... #.... #...# .###.',
  D: '####. #...# #...# #...# #...# #...# ####.',
  E: '##### #.... #.... ####. #.... #.... #####',
  F: '##### #.... #.... ####. #.... #.... #....',
  G: '.###. #...# #.... #.### #...# #...# .####',
  H: '#...# #...# #...# ##### #...# #...# #...#',
  I: '.###. ..#.. ..#.. ..#.. ..#.. ..#.. .###.',
  J: '..### ...#. ...#. ...#. ...#. #..#. .##..',
  K: '#...# #..#. #.#.. ##... #.#.. #..#. #...#',
  L: '#.... #.... #.... #.... #.... #.... #####',
  M: '#...# ##.## #.#.# #.#.# #...# #...# #...#',
  N: '#...# #...# ##..# #.#.# #..## #...# #...#',
  O: '.###. #...# #...# #...# #...# #...# .###.',
  P: '####. #...# #...# ####. #.... #.... #....',
  Q: '.###. #...# #...# #...# #.#.# #..#. .##.#',
  R: '####. #...# #...# ####. #.#.. #..#. #...#',
  S: '.#### #.... #.... .###. ....# ....# ####.',
  T: '##### ..#.. ..#.. ..#.. ..#.. ..#.. ..#..',
  U: '#...# #...# #...# #...# #...# #...# .###.',
  V: '#...# #...# #...# #...# #...# .#.#. ..#..',
  W: '#...# #...# #...# #.#.# #.#.# #.#.# .#.#.',
  X: '#...# #...# .#.#. ..#.. .#.#. #...# #...#',
  Y: '#...# #...# .#.#. ..#.. ..#.. ..#.. ..#..',
  Z: '##### ....# ...#. ..#.. .#... #.... #####',
  a: '..... ..... .###. ....# .#### #...# .####',
  b: '#.... #.... #.##. ##..# #...# #...# ####.',
  c: '..... ..... .###. #.... #.... #...# .###.',
  d: '....# ....# .##.# #..## #...# #...# .####',
  e: '..... ..... .###. #...# ##### #.... .###.',
  f: '..##. .#..# .#... ###.. .#... .#... .#...',
  g: '..... ..... .#### #...# #...# #...# .#### ....# .###.',
  h: '#.... #.... #.##. ##..# #...# #...# #...#',
  i: '..#.. ..... .##.. ..#.. ..#.. ..#.. .###.',
  j: '...#. ..... ..##. ...#. ...#. ...#. ...#. #..#. .##..',
  k: '#.... #.... #..#. #.#.. ##... #.#.. #..#.',
  l: '.##.. ..#.. ..#.. ..#.. ..#.. ..#.. .###.',
  m: '..... ..... ##.#. #.#.# #.#.# #.#.# #.#.#',
  n: '..... ..... #.##. ##..# #...# #...# #...#',
  o: '..... ..... .###. #...# #...# #...# .###.',
  p: '..... ..... ####. #...# #...# #...# ####. #.... #....',
  q: '..... ..... .#### #...# #...# #...# .#### ....# ....#',
  r: '..... ..... #.##. ##..# #.... #.... #....',
  s: '..... ..... .###. #.... .###. ....# ####.',
  t: '.#... .#... ###.. .#... .#... .#..# ..##.',
  u: '..... ..... #...# #...# #...# #..## .##.#',
  v: '..... ..... #...# #...# #...# .#.#. ..#..',
  w: '..... ..... #...# #...# #.#.# #.#.# .#.#.',
  x: '..... ..... #...# .#.#. ..#.. .#.#. #...#',
  y: '..... ..... #...# #...# #...# #...# .#### ....# .###.',
  z: '..... ..... ##### ...#. ..#.. .#... #####',
  '0': '.###. #...# #..## #.#.# ##..# #...# .###.',
  '1': '..#.. .##.. ..#.. ..#.. ..#.. ..#.. .###.',
  '2': '.###. #...# ....# ...#. ..#.. .#... #####',
  '3': '####. ....# ....# .###. ....# ....# ####.',
  '4': '...#. ..##. .#.#. #..#. ##### ...#. ...#.',
  '5': '##### #.... ####. ....# ....# #...# .###.',
  '6': '..##. .#... #.... ####. #...# #...# .###.',
  '7': '##### ....# ...#. ..#.. .#... .#... .#...',
  '8': '.###. #...# #...# .###. #...# #...# .###.',
  '9': '.###. #...# #...# .#### ....# ...#. .##..',
  ' ': '..... ..... ..... ..... ..... ..... .....',
  '-': '..... ..... ..... ##### ..... ..... .....',
  '.': '..... ..... ..... ..... ..... .##.. .##..',
  ',': '..... ..... ..... ..... ..... .##.. .##.. ..#.. .#...',
  ':': '..... .##.. .##.. ..... .##.. .##.. .....',
  '/': '....# ....# ...#. ..#.. .#... #.... #....',
  '(': '...#. ..#.. .#... .#... .#... ..#.. ...#.',
  ')': '.#... ..#.. ...#. ...#. ...#. ..#.. .#...',
  _: '..... ..... ..... ..... ..... ..... #####',
  '=': '..... ..... ##### ..... ##### ..... .....',
  '+': '..... ..#.. ..#.. ##### ..#.. ..#.. .....',
  '%': '##..# ##..# ...#. ..#.. .#... #..## #..##',
  '?': '.###. #...# ....# ...#. ..#.. ..... ..#..',
  '!': '..#.. ..#.. ..#.. ..#.. ..#.. ..... ..#..',
  "'": '..#.. ..#.. .#... ..... ..... ..... .....',
  '#': '.#.#. .#.#. ##### .#.#. ##### .#.#. .#.#.',
  '*': '..... ..#.. #.#.# .###. #.#.# ..#.. .....',
};

const GLYPH_W = 5;
const GLYPH_ADVANCE = 6;
const LINE_ROWS = 10;

class Canvas {
  readonly rgb: Uint8Array;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.rgb = new Uint8Array(width * height * 3).fill(255);
  }
  fill(x: number, y: number, w: number, h: number, r: number, g: number, b: number) {
    for (let yy = Math.max(0, y); yy < Math.min(this.height, y + h); yy++) {
      for (let xx = Math.max(0, x); xx < Math.min(this.width, x + w); xx++) {
        const o = (yy * this.width + xx) * 3;
        this.rgb[o] = r;
        this.rgb[o + 1] = g;
        this.rgb[o + 2] = b;
      }
    }
  }
  text(s: string, x: number, y: number, px: number) {
    for (const ch of s) {
      const rows = (GLYPHS[ch] ?? GLYPHS['?']).split(' ');
      rows.forEach((row, ry) => {
        for (let rx = 0; rx < GLYPH_W; rx++) {
          if (row[rx] === '#') this.fill(x + rx * px, y + ry * px, px, px, 0, 0, 0);
        }
      });
      x += GLYPH_ADVANCE * px;
    }
  }
}

/** Width in pixels of `line` drawn with the built-in font at `px` pixels per font pixel. */
function textWidth(line: string, px: number): number {
  return line.length === 0 ? 0 : ([...line].length * GLYPH_ADVANCE - 1) * px;
}

// ---------------------------------------------------------------- images to draw

interface Picture {
  h: number;
  w: number;
  rgb: Uint8Array; // h*w*3
}

function toPictures(images: NDArray | readonly NDArray[]): Picture[] {
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
  const pictures = toPictures(images);
  if (pictures.length === 0) throw new RangeError('showFashionMnist: no images to show');
  if (!Array.isArray(titles)) throw new TypeError('showFashionMnist: titles must be an array of strings');
  if (titles.length > 0 && titles.length !== pictures.length) {
    throw new RangeError(`showFashionMnist: ${pictures.length} images but ${titles.length} titles`);
  }
  const scale = options.scale ?? 4;
  if (!Number.isInteger(scale) || scale < 1) {
    throw new RangeError(`showFashionMnist: scale must be a positive integer, got ${scale}`);
  }
  const cols = options.cols ?? Math.min(pictures.length, 10);
  if (!Number.isInteger(cols) || cols < 1)
    throw new RangeError(`showFashionMnist: cols must be a positive integer, got ${cols}`);
  const file = options.path ?? 'fashion-mnist.png';
  const ext = path.extname(file).toLowerCase();
  if (ext !== '.png' && ext !== '.svg') {
    throw new RangeError(`showFashionMnist: path must end in .png or .svg, got ${JSON.stringify(file)}`);
  }

  const px = 2; // font pixel size
  const lines = pictures.map((_, i) => String(titles[i] ?? '').split('\n'));
  const maxLines = Math.max(1, ...lines.map((l) => l.length));
  const imgW = Math.max(...pictures.map((p) => p.w)) * scale;
  const imgH = Math.max(...pictures.map((p) => p.h)) * scale;
  const titleW = Math.max(0, ...lines.flat().map((l) => textWidth(l, px)));
  const pad = 12;
  const cellW = Math.max(imgW, titleW) + pad;
  const titleH = titles.length > 0 ? maxLines * LINE_ROWS * px + 6 : 0;
  const cellH = titleH + imgH + pad;
  const rows = Math.ceil(pictures.length / cols);
  const width = cellW * Math.min(cols, pictures.length) + pad;
  const height = cellH * rows + pad;

  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    if (ext === '.png') {
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
      fs.writeFileSync(tmp, encodePng(canvas.rgb, width, height));
    } else {
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
        const href = `data:image/png;base64,${encodePng(p.rgb, p.w, p.h).toString('base64')}`;
        parts.push(
          `<image x="${x0 + (cellW - pad - p.w * scale) / 2}" y="${y0 + titleH}" width="${p.w * scale}" height="${p.h * scale}" style="image-rendering:pixelated" href="${href}"/>`,
        );
      });
      parts.push('</svg>');
      fs.writeFileSync(tmp, `${parts.join('\n')}\n`);
    }
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw new Error(`showFashionMnist: cannot write ${file}: ${(err as Error).message}`);
  }
  return file;
}
