// The committed notebooks (notebooks/*.ipynb): their cells are what notebooks/generate.ts makes
// from the examples' regions (so they never drift from the examples), every code cell was executed
// without an error (the committed outputs are a run), and the softmax regression notebook shows its
// five epoch lines in the band of DESIGN.md and its prediction picture inline. CI re-executes them
// all with nbconvert (notebooks/run.sh, called by .ci/run).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NOTEBOOKS, notebookName, outOfDate } from '../notebooks/generate.js';

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'notebooks');

interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, string | string[]>;
}
interface Cell {
  cell_type: string;
  source: string[];
  execution_count?: number | null;
  outputs?: Output[];
}

const read = (name: string): Cell[] => JSON.parse(fs.readFileSync(path.join(DIR, name), 'utf8')).cells;
const text = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join('') : (v ?? ''));

describe('notebooks', () => {
  it('are up to date with the examples they are generated from', () => {
    const stale = outOfDate().map(notebookName);
    expect(
      stale,
      `out of date: run npm run notebooks:generate, then npm run notebooks:execute -- ${stale.map((n) => n.replace(/\.ipynb$/, '')).join(' ')}`,
    ).toEqual([]);
  });

  it.each(NOTEBOOKS.map(notebookName))('%s was executed without a cell error', (name) => {
    const code = read(name).filter((c) => c.cell_type === 'code');
    expect(code.length).toBeGreaterThan(1);
    for (const cell of code) {
      expect(cell.execution_count, `${name}: a cell was not executed`).toBeTypeOf('number');
      expect(cell.outputs?.filter((o) => o.output_type === 'error')).toEqual([]);
    }
  });

  it('softmax regression shows five epoch lines in the band and the predictions inline', () => {
    const outputs = read('softmax-regression-scratch.ipynb').flatMap((c) => c.outputs ?? []);
    const stdout = outputs
      .filter((o) => o.output_type === 'stream')
      .map((o) => text(o.text))
      .join('');
    const epochs = [
      ...stdout.matchAll(/^epoch (\d), loss ([\d.]+), train acc ([\d.]+), test acc ([\d.]+)$/gm),
    ];
    expect(epochs.map((m) => Number(m[1]))).toEqual([1, 2, 3, 4, 5]);
    const [, , loss, train, test] = epochs[4].map(Number);
    expect(loss).toBeGreaterThanOrEqual(0.47);
    expect(loss).toBeLessThanOrEqual(0.51);
    expect(train).toBeGreaterThanOrEqual(0.82);
    expect(train).toBeLessThanOrEqual(0.85);
    expect(test).toBeGreaterThanOrEqual(0.8);
    expect(test).toBeLessThanOrEqual(0.86);
    const png = outputs.filter((o) => o.output_type === 'display_data' && o.data?.['image/png']);
    expect(png).toHaveLength(1);
    expect(Buffer.from(text(png[0].data?.['image/png']), 'base64').subarray(1, 4).toString()).toBe('PNG');
    expect(stdout.includes('\r') || stdout.includes('\u001b[')).toBe(false); // no progress bar
  });
});
