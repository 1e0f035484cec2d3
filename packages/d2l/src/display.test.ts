import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { display, mimeBundle } from './display.js';
import { Figure } from './figure.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minimx-display-'));
const g = globalThis as { Deno?: unknown };

afterEach(() => {
  delete g.Deno;
});

describe('mimeBundle', () => {
  it('gives a Figure and SVG text as image/svg+xml', () => {
    const fig = new Figure().plot([1, 2, 3], [1, 4, 9]);
    expect(mimeBundle(fig)).toEqual({ 'image/svg+xml': fig.toSvg() });
    expect(mimeBundle('<svg></svg>')).toEqual({ 'image/svg+xml': '<svg></svg>' });
  });

  it('reads back a written .png (base64) or .svg file', () => {
    const fig = new Figure().plot([1, 2], [3, 4]);
    const png = fig.savefig(path.join(dir, 'a.png'));
    const svg = fig.savefig(path.join(dir, 'a.svg'));
    const b = mimeBundle(png) as { 'image/png': string };
    expect(Buffer.from(b['image/png'], 'base64')).toEqual(fs.readFileSync(png));
    expect(mimeBundle(svg)).toEqual({ 'image/svg+xml': fs.readFileSync(svg, 'utf8') });
  });

  it('refuses other files naming them', () => {
    expect(() => mimeBundle('out/x.jpg')).toThrow(/display: .*"out\/x.jpg"/);
  });
});

describe('display', () => {
  it("sends the bundle through Deno's Jupyter display, raw", () => {
    const calls: unknown[][] = [];
    g.Deno = { jupyter: { display: async (...a: unknown[]) => void calls.push(a) } };
    display('<svg/>');
    expect(calls).toEqual([[{ 'image/svg+xml': '<svg/>' }, { raw: true }]]);
  });

  it('does nothing outside a kernel', () => {
    expect(display('<svg/>')).toBeUndefined();
  });
});
