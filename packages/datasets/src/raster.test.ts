/**
 * Tests of the raster module: PNGs decode to the pixels drawn, both compressed with node:zlib and,
 * without `process.getBuiltinModule` (a browser), as stored zlib blocks (inflated here by
 * node:zlib to check the stream, over more than one 65535-byte block); `toBase64` matches Node's;
 * Canvas draws lines, dashes, dots and horizontal and vertical text where asked.
 */
import { inflateSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { Canvas, encodePng, textWidth } from './raster.js';
import { toBase64 } from './raster-helpers.js';

const saved = process.getBuiltinModule;
afterEach(() => {
  process.getBuiltinModule = saved;
});

/** The raw scanlines of a PNG (filter bytes removed) and its size. */
function pixels(png: Uint8Array) {
  const b = Buffer.from(png);
  expect(b.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const width = b.readUInt32BE(16);
  const height = b.readUInt32BE(20);
  let idat = Buffer.alloc(0);
  for (let o = 8; o < b.length; ) {
    const len = b.readUInt32BE(o);
    if (b.toString('latin1', o + 4, o + 8) === 'IDAT')
      idat = Buffer.concat([idat, b.subarray(o + 8, o + 8 + len)]);
    o += 12 + len;
  }
  const raw = inflateSync(idat);
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++)
    rgb.set(raw.subarray(y * (width * 3 + 1) + 1, (y + 1) * (width * 3 + 1)), y * width * 3);
  return { width, height, rgb };
}

describe('encodePng', () => {
  const rgb = Uint8Array.from({ length: 200 * 150 * 3 }, (_, i) => (i * 7) % 251);

  it('round-trips with node:zlib', () => {
    const png = encodePng(rgb, 200, 150);
    const back = pixels(png);
    expect([back.width, back.height]).toEqual([200, 150]);
    expect(back.rgb).toEqual(rgb);
  });

  it('without node:zlib writes stored blocks that still decode (90,150 bytes: two blocks)', () => {
    // biome-ignore lint/suspicious/noExplicitAny: removing the Node API the encoder looks for
    (process as any).getBuiltinModule = undefined;
    const png = encodePng(rgb, 200, 150);
    expect(png.length).toBeGreaterThan(rgb.length); // uncompressed
    expect(pixels(png).rgb).toEqual(rgb);
    expect(pixels(encodePng(new Uint8Array(0), 0, 0)).width).toBe(0);
  });

  it('toBase64 matches Buffer', () => {
    const bytes = Uint8Array.from([0, 1, 2, 250, 255, 128, 7]);
    expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
  });
});

describe('Canvas', () => {
  it('draws thick lines, dashes, dots and text, horizontal and turned', () => {
    const c = new Canvas(60, 40);
    const blue = [31, 119, 180] as const;
    c.line(0, 5, 59, 5, blue, 2);
    c.line(0, 15, 59, 15, blue, 1, [2, 3]);
    c.dot(30, 30, 3, [255, 0, 0]);
    c.text('ab', 2, 20, 1);
    c.text('x', 50, 39, 1, [0, 0, 0], true);
    const at = (x: number, y: number) => Array.from(c.rgb.subarray((y * 60 + x) * 3, (y * 60 + x) * 3 + 3));
    expect(at(10, 5)).toEqual([...blue]);
    expect(at(10, 8)).toEqual([255, 255, 255]);
    const dashed = Array.from({ length: 60 }, (_, x) => at(x, 15)[0] === 31).filter(Boolean).length;
    expect(dashed).toBeGreaterThan(15);
    expect(dashed).toBeLessThan(45);
    expect(at(30, 30)).toEqual([255, 0, 0]);
    expect(textWidth('ab', 1)).toBe(11);
    let ink = 0;
    for (let y = 20; y < 27; y++) for (let x = 2; x < 13; x++) if (at(x, y)[0] === 0) ink++;
    expect(ink).toBeGreaterThan(10);
    let turned = 0;
    for (let y = 33; y < 39; y++) for (let x = 50; x < 57; x++) if (at(x, y)[0] === 0) turned++;
    expect(turned).toBeGreaterThan(4);
    expect(pixels(c.toPng()).rgb).toEqual(c.rgb);
  });
});
