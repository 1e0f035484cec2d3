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
  it("sends the bundle through Deno's Jupyter display, raw, and returns the send to await", async () => {
    const calls: unknown[][] = [];
    let sent = false;
    g.Deno = {
      jupyter: {
        display: async (...a: unknown[]) => {
          calls.push(a);
          await new Promise((r) => setTimeout(r, 5));
          sent = true;
        },
      },
    };
    const p = display('<svg/>');
    expect(calls).toEqual([[{ 'image/svg+xml': '<svg/>' }, { raw: true }]]);
    expect(sent).toBe(false);
    await p;
    expect(sent).toBe(true);
  });

  it('does nothing outside a kernel', async () => {
    await expect(display('<svg/>')).resolves.toBeUndefined();
  });
});

describe('a training history in a notebook', () => {
  it('shows its curves as SVG, from the figure plotHistory writes', async () => {
    const { historyFigure, trainCh3 } = await import('./train.js');
    const { nd } = await import('@minimx/ndarray');
    const X = nd.random.normal({ shape: [8, 4] });
    const y = nd.array([0, 1, 0, 1, 0, 1, 0, 1], { dtype: 'int32' });
    const W = nd.random.normal({ scale: 0.01, shape: [4, 2] });
    W.attachGrad();
    const net = (x: typeof X) => nd.dot(x, W);
    const loss = (yHat: typeof X, label: typeof y) => nd.pick(yHat.logSoftmax(), label).neg();
    const data = [[X, y] as [typeof X, typeof y]];
    const history = trainCh3(net, data, data, loss, 2, 8, [W], 0.1, undefined, { quiet: true });
    const show = (history as unknown as Record<symbol, () => Record<string, string>>)[
      Symbol.for('Jupyter.display')
    ];
    expect(Object.keys(history)).not.toContain(Symbol.for('Jupyter.display'));
    const bundle = show.call(history);
    expect(bundle['image/svg+xml']).toBe(historyFigure(history).toSvg());
    expect(bundle['text/plain']).toBe('TrainHistory of 2 epoch(s)');
  });
});

describe('a Figure in a notebook', () => {
  it('shows itself as SVG when it ends a cell, and says it is empty when it is', () => {
    const show = (f: Figure) =>
      (f as unknown as Record<symbol, () => Record<string, string>>)[Symbol.for('Jupyter.display')].call(f);
    const fig = new Figure().plot([1, 2, 3], [3, 1, 2]);
    expect(show(fig)).toEqual({ 'image/svg+xml': fig.toSvg() });
    expect(show(new Figure())).toEqual({ 'text/plain': 'Figure (empty)' });
  });
});
