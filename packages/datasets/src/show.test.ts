import * as fs from 'node:fs';
import * as path from 'node:path';
import { inflateSync } from 'node:zlib';
import { nd } from '@minimx/ndarray';
import { describe, expect, it } from 'vitest';
import { FASHION_MNIST_CLASSES, getFashionMnistLabels } from './labels.js';
import { encodePng, showFashionMnist } from './show.js';
import { tempDir } from './testing/fixtures.js';

/** Decodes the PNGs we write (8-bit RGB, filter 0) back to width, height and pixels. */
function decodePng(png: Buffer) {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  let idat = Buffer.alloc(0);
  for (let o = 8; o < png.length; ) {
    const len = png.readUInt32BE(o);
    if (png.toString('latin1', o + 4, o + 8) === 'IDAT')
      idat = Buffer.concat([idat, png.subarray(o + 8, o + 8 + len)]);
    o += 12 + len;
  }
  const raw = inflateSync(idat);
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++)
    rgb.set(raw.subarray(y * (width * 3 + 1) + 1, (y + 1) * (width * 3 + 1)), y * width * 3);
  return { width, height, rgb };
}

describe('getFashionMnistLabels', () => {
  it('maps numbers, typed arrays and NDArrays to text', () => {
    expect(getFashionMnistLabels([2, 9])).toEqual(['pullover', 'ankle boot']);
    expect(getFashionMnistLabels(nd.fromTypedArray(Float32Array.from([0, 7]), [2]))).toEqual([
      't-shirt',
      'sneaker',
    ]);
    expect(getFashionMnistLabels(new Int32Array([1]))).toEqual(['trouser']);
    expect(FASHION_MNIST_CLASSES).toHaveLength(10);
    expect(() => getFashionMnistLabels([3, 10])).toThrow(/label 1 is 10, not an integer in 0\.\.9/);
  });
});

describe('showFashionMnist', () => {
  it('writes a PNG with the images in a row, titles above', () => {
    const dir = tempDir();
    const images = nd.fromTypedArray(new Uint8Array(3 * 28 * 28).fill(200), [3, 28, 28, 1]);
    const file = showFashionMnist(images, ['bag', 'coat\nshirt', 'dress'], {
      path: path.join(dir, 'a.png'),
      scale: 2,
    });
    const { width, height, rgb } = decodePng(fs.readFileSync(file));
    expect(width).toBeGreaterThan(3 * 56);
    expect(height).toBeGreaterThan(56 + 2 * 20);
    // Some pixels are image grey (200), some are black text, the rest white background.
    const values = new Set(rgb);
    expect(values.has(200)).toBe(true);
    expect(values.has(0)).toBe(true);
    expect(values.has(255)).toBe(true);
    expect(fs.readdirSync(dir)).toEqual(['a.png']);
  });

  it('accepts (N,C,H,W) float tensors and lists, writes SVG, and rejects bad input', () => {
    const dir = tempDir();
    const tensors = nd.fromTypedArray(new Float32Array(2 * 28 * 28).fill(0.5), [2, 1, 28, 28]);
    const svg = fs.readFileSync(
      showFashionMnist(tensors, ['a', 'b<'], { path: path.join(dir, 'b.svg') }),
      'utf8',
    );
    expect(svg).toMatch(/^<svg /);
    expect(svg).toContain('b&lt;');
    expect((svg.match(/<image /g) ?? []).length).toBe(2);
    showFashionMnist([nd.fromTypedArray(new Uint8Array(4), [2, 2])], [], { path: path.join(dir, 'c.png') });
    expect(() => showFashionMnist(tensors, ['only one'], { path: path.join(dir, 'd.png') })).toThrow(
      /2 images but 1 titles/,
    );
    expect(() => showFashionMnist(tensors, [], { path: path.join(dir, 'd.jpg') })).toThrow(
      /must end in \.png or \.svg/,
    );
  });

  it('encodePng checks its input size', () => {
    expect(() => encodePng(new Uint8Array(5), 1, 1)).toThrow(/needs 3 bytes, got 5/);
    const { rgb } = decodePng(Buffer.from(encodePng(Uint8Array.from([1, 2, 3, 4, 5, 6]), 2, 1)));
    expect(Array.from(rgb)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
