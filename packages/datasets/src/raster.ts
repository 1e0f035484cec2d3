/**
 * Pixels a person can open without fonts or libraries: `encodePng` (an 8-bit RGB PNG encoder over
 * node:zlib), a built-in 5x7 pixel font, and `Canvas`, an RGB raster that fills rectangles, draws
 * text in that font (also turned a quarter for a y-axis label), thick and dashed line segments and
 * dots. `showFashionMnist` draws its pictures on it, and @minimx/d2l rasterizes its plots on it.
 * The module imports nothing from Node (it is also the browser-safe `@minimx/datasets/raster`):
 * node:zlib is looked up when a PNG is encoded; without it the PNG is stored uncompressed.
 */
type Deflate = (data: Uint8Array) => Uint8Array;

/** A zlib stream of stored (uncompressed) blocks: what PNG needs where node:zlib is missing. */
function storedDeflate(data: Uint8Array): Uint8Array {
  const blocks = Math.max(1, Math.ceil(data.length / 65535));
  const out = new Uint8Array(2 + blocks * 5 + data.length + 4);
  out[0] = 0x78;
  out[1] = 0x01;
  let o = 2;
  for (let k = 0; k < blocks; k++) {
    const part = data.subarray(k * 65535, Math.min(data.length, (k + 1) * 65535));
    out[o] = k === blocks - 1 ? 1 : 0;
    out[o + 1] = part.length & 0xff;
    out[o + 2] = part.length >>> 8;
    out[o + 3] = ~part.length & 0xff;
    out[o + 4] = (~part.length >>> 8) & 0xff;
    out.set(part, o + 5);
    o += 5 + part.length;
  }
  let a = 1;
  let b = 0;
  for (let i = 0; i < data.length; i++) {
    a = (a + data[i]) % 65521;
    b = (b + a) % 65521;
  }
  new DataView(out.buffer).setUint32(o, ((b << 16) | a) >>> 0);
  return out;
}

/** node:zlib's deflate when there is one (Node), else stored blocks (a browser: bigger files). */
function deflate(data: Uint8Array): Uint8Array {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const zlib =
    typeof proc?.getBuiltinModule === 'function'
      ? (proc.getBuiltinModule('node:zlib') as { deflateSync: Deflate } | undefined)
      : undefined;
  return zlib ? zlib.deflateSync(data) : storedDeflate(data);
}

/** Bytes as a Node Buffer where there is one (so `.toString('base64')` works), else as they are. */
function asBuffer(bytes: Uint8Array): Uint8Array {
  const B = (globalThis as { Buffer?: { from(a: ArrayBuffer, o: number, n: number): Uint8Array } }).Buffer;
  return B ? B.from(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.length) : bytes;
}

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

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/**
 * Encodes an 8-bit RGB image (`rgb` holds width*height*3 bytes, row-major) as PNG bytes (a
 * Buffer in Node). Compressed with node:zlib in Node; elsewhere stored uncompressed.
 *
 * MXNet counterpart: none (d2l draws with matplotlib).
 *
 * @example
 * ```ts
 * fs.writeFileSync('red.png', encodePng(new Uint8Array([255, 0, 0]), 1, 1));
 * ```
 */
export function encodePng(rgb: Uint8Array, width: number, height: number): Uint8Array {
  if (rgb.length !== width * height * 3) {
    throw new RangeError(
      `encodePng: ${width}x${height} RGB needs ${width * height * 3} bytes, got ${rgb.length}`,
    );
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: RGB
  const stride = width * 3;
  const raw = new Uint8Array((stride + 1) * height);
  for (let y = 0; y < height; y++) raw.set(rgb.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  const parts = [
    Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflate(raw)),
    chunk('IEND', new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return asBuffer(out);
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
/** An RGB colour, each channel 0-255. */
export type Rgb = readonly [number, number, number];

/**
 * An 8-bit RGB raster, white at first, drawn with rectangles, the built-in 5x7 font, line segments
 * and dots; `toPng()` encodes it.
 *
 * MXNet counterpart: none (d2l draws with matplotlib).
 *
 * @example
 * ```ts
 * const c = new Canvas(40, 20);
 * c.line(0, 0, 39, 19, [31, 119, 180], 2);
 * c.text('hi', 2, 2, 1);
 * fs.writeFileSync('hi.png', c.toPng());
 * ```
 */
export class Canvas {
  /** width*height*3 bytes, row-major. */
  readonly rgb: Uint8Array;
  constructor(
    /** Width in pixels. */
    readonly width: number,
    /** Height in pixels. */
    readonly height: number,
  ) {
    this.rgb = new Uint8Array(width * height * 3).fill(255);
  }

  /** Fills the rectangle at (x, y) of size w x h (clipped to the canvas). */
  fill(x: number, y: number, w: number, h: number, r: number, g: number, b: number): void {
    for (let yy = Math.max(0, y); yy < Math.min(this.height, y + h); yy++) {
      for (let xx = Math.max(0, x); xx < Math.min(this.width, x + w); xx++) {
        const o = (yy * this.width + xx) * 3;
        this.rgb[o] = r;
        this.rgb[o + 1] = g;
        this.rgb[o + 2] = b;
      }
    }
  }

  /**
   * Draws `s` in the 5x7 font with its top-left corner at (x, y), `px` canvas pixels per font
   * pixel; `vertical` turns it a quarter counter-clockwise (reading upwards from (x, y), which is
   * then the bottom-left corner).
   */
  text(s: string, x: number, y: number, px: number, color: Rgb = [0, 0, 0], vertical = false): void {
    const [r, g, b] = color;
    let offset = 0;
    for (const ch of s) {
      const rows = (GLYPHS[ch] ?? GLYPHS['?']).split(' ');
      rows.forEach((row, ry) => {
        for (let rx = 0; rx < GLYPH_W; rx++) {
          if (row[rx] !== '#') continue;
          if (vertical) this.fill(x + ry * px, y - (offset + rx + 1) * px, px, px, r, g, b);
          else this.fill(x + (offset + rx) * px, y + ry * px, px, px, r, g, b);
        }
      });
      offset += GLYPH_ADVANCE;
    }
  }

  /**
   * Draws a segment from (x0, y0) to (x1, y1) `width` pixels thick; `dash` = [on, off] lengths in
   * pixels for a dashed line.
   */
  line(
    x0: number,
    y0: number,
    x1: number,
    y1: number,
    color: Rgb,
    width = 1,
    dash?: readonly [number, number],
  ): void {
    const len = Math.hypot(x1 - x0, y1 - y0);
    const steps = Math.max(1, Math.ceil(len * 2));
    const half = (width - 1) / 2;
    for (let k = 0; k <= steps; k++) {
      const t = k / steps;
      if (dash && (t * len) % (dash[0] + dash[1]) >= dash[0]) continue;
      const x = Math.round(x0 + (x1 - x0) * t - half);
      const y = Math.round(y0 + (y1 - y0) * t - half);
      this.fill(x, y, Math.max(1, Math.round(width)), Math.max(1, Math.round(width)), ...color);
    }
  }

  /** A filled dot of radius `radius` centred on (cx, cy). */
  dot(cx: number, cy: number, radius: number, color: Rgb): void {
    const r2 = radius * radius;
    for (let y = Math.floor(cy - radius); y <= Math.ceil(cy + radius); y++) {
      for (let x = Math.floor(cx - radius); x <= Math.ceil(cx + radius); x++) {
        if ((x - cx) ** 2 + (y - cy) ** 2 <= r2) this.fill(x, y, 1, 1, ...color);
      }
    }
  }

  /** The canvas as PNG bytes. */
  toPng(): Uint8Array {
    return encodePng(this.rgb, this.width, this.height);
  }
}

/**
 * Width in pixels of `line` drawn with the built-in font at `px` pixels per font pixel.
 *
 * MXNet counterpart: none.
 *
 * @example
 * ```ts
 * textWidth('epoch', 2); // 58
 * ```
 */
export function textWidth(line: string, px: number): number {
  return line.length === 0 ? 0 : ([...line].length * GLYPH_ADVANCE - 1) * px;
}
