/**
 * Tests of the figure API: a Figure with lines, a dotted line, a scatter, labels and a legend is a
 * well-formed SVG (every tag closed, in order) and a PNG that decodes to the right size with the
 * series' colours in it; `savefig` picks the format from the extension and refuses others;
 * `plt` draws on a current figure and `show` starts afresh; `semilogy` and `xyplot` write their
 * files; `showImages` writes an image grid; `setFigsize` sets the size of later figures; where there
 * is no file system (no `process.getBuiltinModule`, as in a browser) `show`, `semilogy`, `xyplot`
 * and `showImages` return the SVG text and `savefig` says why it cannot write.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { inflateSync } from 'node:zlib';
import { nd } from '@minimx/ndarray';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import * as d2l from './index.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'd2l-figure-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
afterEach(() => d2l.setFigsize());

/** Throws unless every element of `svg` is closed in order (no XML parser in Node). */
function assertWellFormed(svg: string): void {
  expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  const stack: string[] = [];
  const body = svg.replace(/>[^<]*</g, '><');
  for (const m of body.matchAll(/<(\/?)([a-z]+)\b[^>]*?(\/?)>/g)) {
    const [, close, name, selfClose] = m;
    if (selfClose) continue;
    if (close) expect(stack.pop(), `</${name}>`).toBe(name);
    else stack.push(name);
  }
  expect(stack).toEqual([]);
  expect(svg).not.toMatch(/NaN|undefined|Infinity/);
}

/** Width, height and RGB pixels of a PNG we wrote (8-bit RGB, filter 0). */
function decodePng(png: Uint8Array) {
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
  const count = (r: number, g: number, bl: number) => {
    let k = 0;
    for (let y = 0; y < height; y++) {
      const row = y * (width * 3 + 1) + 1;
      for (let x = 0; x < width; x++) {
        const o = row + x * 3;
        if (raw[o] === r && raw[o + 1] === g && raw[o + 2] === bl) k++;
      }
    }
    return k;
  };
  return { width, height, count };
}

function sampleFigure(): d2l.Figure {
  const x = d2l.range(0, 20);
  return new d2l.Figure({ figsize: [3.5, 2.5] })
    .plot(
      x,
      x.map((v) => Math.sin(v / 3)),
      { label: 'sin' },
    )
    .plot(
      x,
      x.map((v) => Math.cos(v / 3)),
      { label: 'cos', linestyle: ':' },
    )
    .scatter(
      x,
      x.map((v) => Math.sin(v / 3) + 0.1),
      4,
      { label: 'points', color: '#2ca02c' },
    )
    .xlabel('x')
    .ylabel('f(x)')
    .title('waves')
    .legend();
}

describe('Figure', () => {
  it('is a well-formed SVG with every series, the labels and the legend', () => {
    const svg = sampleFigure().toSvg();
    assertWellFormed(svg);
    expect(svg).toContain('width="480" height="343"'); // 3.5 x 2.5 inches at 137 px per inch
    expect(svg.match(/<path /g)).toHaveLength(2);
    expect(svg.match(/stroke-dasharray/g)!.length).toBeGreaterThanOrEqual(2); // the dotted line and its legend entry
    expect(svg.match(/<circle /g)!.length).toBe(21); // 20 points and the legend's dot
    for (const t of ['sin', 'cos', 'points', 'x', 'f(x)', 'waves']) expect(svg).toContain(`>${t}</text>`);
  });

  it('rasterizes to a PNG twice the SVG size, with the series colours', () => {
    const file = sampleFigure().savefig(path.join(dir, 'waves.png'));
    const png = decodePng(fs.readFileSync(file));
    expect([png.width, png.height]).toEqual([960, 686]);
    expect(png.count(0x1f, 0x77, 0xb4)).toBeGreaterThan(200); // blue line
    expect(png.count(0xff, 0x7f, 0x0e)).toBeGreaterThan(100); // orange dotted line
    expect(png.count(0x2c, 0xa0, 0x2c)).toBeGreaterThan(100); // green dots
    expect(png.count(0, 0, 0)).toBeGreaterThan(1000); // frame, ticks and text
  });

  it('savefig picks SVG or PNG from the extension and refuses others', () => {
    const svgFile = sampleFigure().savefig(path.join(dir, 'sub', 'waves.svg'));
    assertWellFormed(fs.readFileSync(svgFile, 'utf8'));
    expect(() => sampleFigure().savefig(path.join(dir, 'waves.jpg'))).toThrow(
      /savefig: the file must end in \.svg or \.png/,
    );
    expect(() => new d2l.Figure().toSvg()).toThrow(/Figure: nothing to draw/);
    expect(() => new d2l.Figure().plot([1, 2], [1])).toThrow(/plot: 2 x values but 1 y values/);
  });

  it('takes NDArrays as values and draws a log y axis with semilogy', () => {
    const svg = new d2l.Figure().semilogy(nd.array([1, 2, 3]), nd.array([1, 0.1, 0.01])).toSvg();
    assertWellFormed(svg);
    expect(svg).toContain('>0.01</text>');
    expect(svg).toContain('>1</text>');
  });
});

describe('plt, setFigsize, semilogy, xyplot, showImages', () => {
  it('plt draws on the current figure; show writes it and starts a new one', () => {
    d2l.useSvgDisplay();
    d2l.setFigsize([5, 2.5]);
    d2l.plt.scatter(nd.array([1, 2, 3]), nd.array([3, 1, 2]), 1);
    d2l.plt.xlabel('features[:, 1]');
    const file = d2l.plt.show({ path: path.join(dir, 'scatter.svg') });
    const svg = fs.readFileSync(file, 'utf8');
    assertWellFormed(svg);
    expect(svg).toContain('width="685" height="343"');
    expect(svg.match(/<circle /g)).toHaveLength(3);
    expect(d2l.plt.gcf()).not.toBe(undefined);
    expect(() => d2l.plt.gcf().toSvg()).toThrow(/nothing to draw/); // a fresh figure
  });

  it('semilogy writes both series, the second dotted, and the legend', () => {
    const file = d2l.semilogy(
      [1, 2, 3],
      [1, 0.1, 0.01],
      'epochs',
      'loss',
      [1, 2, 3],
      [2, 1, 0.5],
      ['train', 'test'],
      {
        path: path.join(dir, 'semilogy.svg'),
      },
    );
    const svg = fs.readFileSync(file, 'utf8');
    assertWellFormed(svg);
    expect(svg.match(/<path /g)).toHaveLength(2);
    for (const t of ['train', 'test', 'epochs', 'loss']) expect(svg).toContain(`>${t}</text>`);
  });

  it('xyplot labels the axes x and name(x), in a 5 x 2.5 inch figure', () => {
    const x = nd.arange(-8, 8, 0.1);
    const file = d2l.xyplot(x, x.relu(), 'relu', { path: path.join(dir, 'relu.png') });
    const png = decodePng(fs.readFileSync(file));
    expect([png.width, png.height]).toEqual([1370, 686]);
    const svg = d2l.xyplot(x, x.relu(), 'relu', { path: path.join(dir, 'relu.svg') });
    expect(fs.readFileSync(svg, 'utf8')).toContain('>relu(x)</text>');
  });

  it('showImages writes a numRows x numCols grid', () => {
    const imgs = nd.random.uniform({ shape: [6, 8, 8] });
    const file = d2l.showImages(imgs, 2, 3, 2, { path: path.join(dir, 'grid.png') });
    const png = decodePng(fs.readFileSync(file));
    expect(png.width).toBeGreaterThan(3 * 16);
    expect(png.height).toBeGreaterThan(2 * 16);
    expect(() => d2l.showImages(imgs, 3, 3)).toThrow(/showImages: a 3x3 grid needs 9 images, got 6/);
  });
});

describe('without a file system (a browser)', () => {
  it('show, semilogy, xyplot and showImages return the SVG text; savefig refuses with a reason', () => {
    const saved = process.getBuiltinModule;
    // biome-ignore lint/suspicious/noExplicitAny: removing the Node API the figures look for
    (process as any).getBuiltinModule = undefined;
    try {
      const before = fs.readdirSync(dir).length;
      d2l.plt.plot([1, 2, 3], [3, 1, 2]);
      assertWellFormed(d2l.plt.show());
      assertWellFormed(d2l.semilogy([1, 2], [1, 0.1], 'epochs', 'loss'));
      assertWellFormed(d2l.xyplot([0, 1], [0, 1], 'id'));
      const grid = d2l.showImages(nd.zeros([2, 4, 4]), 1, 2);
      expect(grid.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
      expect(grid).toContain('data:image/png;base64,');
      expect(() => sampleFigure().savefig('out/x.svg')).toThrow(/savefig: no file system here/);
      expect(fs.readdirSync(dir).length).toBe(before);
    } finally {
      process.getBuiltinModule = saved;
    }
  });
});
