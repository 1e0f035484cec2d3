// The committed notebooks (notebooks/*.ipynb): their cells are what notebooks/generate.ts makes
// from the examples' regions (so they never drift from the examples), every code cell was executed
// without an error (the committed outputs are a run), no output carries progress-bar noise, the
// softmax regression notebook shows its five epoch lines in the band of DESIGN.md and its
// prediction picture inline, the chapter-5 networks print the book's shapes, batch normalization
// shows two 5-epoch trainings, and the large networks of 5.6-5.12 are short runs that say so
// (SHORT_RUNS) while every other notebook is a full one. CI re-executes them all with nbconvert
// (notebooks/run.sh, called by .ci/run).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { limitBatches } from '@minimx/d2l';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { notebookArgs } from '../notebooks/args.js';
import { NOTEBOOKS, notebookName, outOfDate, SHORT_RUNS } from '../notebooks/generate.js';

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

const outputs = (name: string): Output[] => read(name).flatMap((c) => c.outputs ?? []);
const stdout = (name: string): string =>
  outputs(name)
    .filter((o) => o.output_type === 'stream')
    .map((o) => text(o.text))
    .join('');
const EPOCH = /^epoch (\d+), loss ([\d.]+), train acc ([\d.]+), test acc ([\d.]+)(, time [\d.]+ sec)?$/gm;
const epochLines = (name: string) => [...stdout(name).matchAll(EPOCH)].map((m) => m.slice(1, 5).map(Number));
/** The `<name> output shape:\t (a, b, ...)` lines a notebook printed. */
const shapes = (name: string) =>
  stdout(name)
    .split('\n')
    .filter((l) => l.includes(' output shape:\t '));
const shapeLines = (rows: string) =>
  rows
    .trim()
    .split('\n')
    .map((r) => r.trim().split(' '))
    .map(([layer, shape]) => `${layer} output shape:\t (${shape.replaceAll(',', ', ')})`);

/** The book's shapes of the chapter-5 networks (as examples/cnn-examples.test.ts checks them). */
const SHAPES: Record<string, string> = {
  'alexnet.ipynb': `conv0 1,96,54,54
    pool0 1,96,26,26
    conv1 1,256,26,26
    pool1 1,256,12,12
    conv2 1,384,12,12
    conv3 1,384,12,12
    conv4 1,256,12,12
    pool2 1,256,5,5
    dense0 1,4096
    dropout0 1,4096
    dense1 1,4096
    dropout1 1,4096
    dense2 1,10`,
  'vgg.ipynb': `sequential1 1,64,112,112
    sequential2 1,128,56,56
    sequential3 1,256,28,28
    sequential4 1,512,14,14
    sequential5 1,512,7,7
    dense0 1,4096
    dropout0 1,4096
    dense1 1,4096
    dropout1 1,4096
    dense2 1,10`,
  'nin.ipynb': `sequential1 1,96,54,54
    pool0 1,96,26,26
    sequential2 1,256,26,26
    pool1 1,256,12,12
    sequential3 1,384,12,12
    pool2 1,384,5,5
    dropout0 1,384,5,5
    sequential4 1,10,5,5
    pool3 1,10,1,1
    flatten0 1,10`,
  'googlenet.ipynb': `sequential0 1,64,24,24
    sequential1 1,192,12,12
    sequential2 1,480,6,6
    sequential3 1,832,3,3
    sequential4 1,1024,1,1
    dense0 1,10`,
  'resnet.ipynb': `conv5 1,64,112,112
    batchnorm4 1,64,112,112
    relu0 1,64,112,112
    pool0 1,64,56,56
    sequential1 1,64,56,56
    sequential2 1,128,28,28
    sequential3 1,256,14,14
    sequential4 1,512,7,7
    pool1 1,512,1,1
    dense0 1,10`,
};

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

  it.each(NOTEBOOKS.map(notebookName))('%s shows no progress-bar noise', (name) => {
    const streams = outputs(name).filter((o) => o.output_type === 'stream');
    for (const o of streams) {
      expect(text(o.text).includes('\r') || text(o.text).includes('\u001b[')).toBe(false);
    }
    expect(streams.filter((o) => o.name === 'stderr').map((o) => text(o.text))).toEqual([]);
  });

  it.each(NOTEBOOKS.map((file) => [notebookName(file), SHORT_RUNS[file]] as const))(
    '%s is a full run unless SHORT_RUNS makes it a short one that says so',
    (name, short) => {
      const first = read(name).find((c) => c.cell_type === 'code');
      const said = (first?.outputs ?? []).map((o) => text(o.text)).join('');
      const markdown = read(name).filter(
        (c) => c.cell_type === 'markdown' && c.source[0] === '## A short run\n',
      );
      if (!short) {
        expect(said, `${name}: committed from a shortened run (CI's environment?)`).not.toMatch(/short run/);
        expect(markdown).toEqual([]);
        return;
      }
      const batchSize = short.memory ? `, mini-batches of ${short.memory.batchSize}` : '';
      expect(said).toBe(
        `a short run: ${short.epochs} of the book's 5 epochs, each pass over a data set stops after ${short.batches} batches${batchSize}\n`,
      );
      expect(markdown).toHaveLength(1);
      expect(markdown[0].source.join('')).toContain(`docs/d2l/${name.replace('.ipynb', '.md')}`);
      expect(epochLines(name).map((l) => l[0])).toEqual([1]);
      const curves = outputs(name).filter(
        (o) => o.output_type === 'execute_result' && o.data?.['image/svg+xml'],
      );
      expect(curves, `${name}: the training curves under the training cell`).toHaveLength(1);
    },
  );

  it.each(Object.keys(SHAPES))('%s prints the book’s output shapes', (name) => {
    expect(shapes(name)).toEqual(shapeLines(SHAPES[name]));
  });

  it('densenet and resnet print the book’s block shapes', () => {
    expect(stdout('densenet.ipynb')).toMatch(/^\(4, 23, 8, 8\)\n\(4, 10, 4, 4\)$/m);
    expect(stdout('resnet.ipynb')).toMatch(/^\(4, 3, 6, 6\)\n\(4, 6, 3, 3\)$/m);
  });

  it('lenet shows its seven layer shapes and five epoch lines', () => {
    expect(shapes('lenet.ipynb').map((l) => l.split(' ')[0])).toEqual([
      'conv0',
      'pool0',
      'conv1',
      'pool1',
      'dense0',
      'dense1',
      'dense2',
    ]);
    expect(epochLines('lenet.ipynb').map((l) => l[0])).toEqual([1, 2, 3, 4, 5]);
  });

  it('batch normalization shows two 5-epoch trainings near the book’s and the learned gamma and beta', () => {
    const lines = epochLines('batch-norm.ipynb');
    expect(lines.map((l) => l[0])).toEqual([1, 2, 3, 4, 5, 1, 2, 3, 4, 5]);
    // the book's epoch 5: 0.3051 / 0.890 / 0.870 (scratch), 0.3071 / 0.889 / 0.881 (nn.BatchNorm)
    for (const [, loss, train, test] of [lines[4], lines[9]]) {
      expect(loss).toBeGreaterThanOrEqual(0.25);
      expect(loss).toBeLessThanOrEqual(0.4);
      expect(train).toBeGreaterThanOrEqual(0.85);
      expect(train).toBeLessThanOrEqual(0.92);
      expect(test).toBeGreaterThanOrEqual(0.8);
      expect(test).toBeLessThanOrEqual(0.92);
    }
    expect(stdout('batch-norm.ipynb').match(/^<NDArray 6 @cpu\(0\)> ?$/gm)).toHaveLength(2);
  });

  it('softmax regression shows five epoch lines in the band and the predictions inline', () => {
    const outputs = read('softmax-regression-scratch.ipynb').flatMap((c) => c.outputs ?? []);
    const stdout = outputs
      .filter((o) => o.output_type === 'stream')
      .map((o) => text(o.text))
      .join('');
    const epochs = epochLines('softmax-regression-scratch.ipynb');
    expect(epochs.map((m) => m[0])).toEqual([1, 2, 3, 4, 5]);
    const [, loss, train, test] = epochs[4];
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

describe('notebookArgs', () => {
  const ENV = ['MINIMX_NOTEBOOK_EPOCHS', 'MINIMX_NOTEBOOK_BATCHES', 'MINIMX_NOTEBOOK_BATCH_SIZE'];
  afterEach(() => {
    for (const k of ENV) delete process.env[k];
    limitBatches(Infinity);
    vi.restoreAllMocks();
  });
  const run = (...a: Parameters<typeof notebookArgs>) => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const args = notebookArgs(...a);
    return { args, said: log.mock.calls.map((c) => c.join(' ')) };
  };

  it('is the book’s run, silently, unless shortened', () => {
    const { args, said } = run({ epochs: 5 });
    expect(args).toMatchObject({ epochs: 5, batches: Infinity, batchSize: undefined });
    expect(said).toEqual([]);
  });

  it('a short run says so; the environment only shortens it further', () => {
    expect(run({ epochs: 5 }, { epochs: 1, batches: 2, batchSize: 32 }).said).toEqual([
      "a short run: 1 of the book's 5 epochs, each pass over a data set stops after 2 batches, mini-batches of 32",
    ]);
    Object.assign(process.env, {
      MINIMX_NOTEBOOK_EPOCHS: '3',
      MINIMX_NOTEBOOK_BATCHES: '20',
      MINIMX_NOTEBOOK_BATCH_SIZE: '4',
    });
    expect(run({ epochs: 5 }, { epochs: 1, batches: 2, batchSize: 32 }).args).toMatchObject({
      epochs: 1,
      batches: 2,
      batchSize: 4,
    });
    const ci = run({ epochs: 5 });
    expect(ci.args).toMatchObject({ epochs: 3, batches: 20, batchSize: 4 });
    expect(ci.said[0]).toMatch(
      /^a short run: 3 of the book's 5 epochs, .* 20 batches, MINIMX_NOTEBOOK_BATCH_SIZE=4$/,
    );
  });
});
