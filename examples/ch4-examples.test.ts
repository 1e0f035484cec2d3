/**
 * Runs the d2l chapter-4 examples (4.1 to 4.6) as child processes, the way a reader does
 * (`npx tsx examples/<name>.ts --seed 1`), and compares what they print with what the book's MXNet
 * notebooks print (d2l-zh, MXNet edition, chapter_deep-learning-computation/*.ipynb; the output
 * cells are pasted below as data, section by section). An expected line is compared exactly,
 * unless it starts with `~`: then it holds the book's random numbers, and only its layout is
 * compared (every number replaced by `#`, whitespace dropped), so the array's shape, line breaks
 * and summary `...` must still be the book's. Footers (`<NDArray 2x10 @cpu(0)>`), names, parameter
 * listings and every value that does not depend on random numbers are exact.
 *
 * Where our spelling of a line differs from the notebook's for a reason of language, the line holds
 * ours and a comment gives the book's: Python tuples and lists of the notebook's display become
 * the arguments of one `console.log`, `True`/`False` become `true`/`false`, and a parameter created
 * without a dtype prints `dtype=float32` where MXNet's prints the NumPy type `<class
 * 'numpy.float32'>`. read-write's files are then read back in this process and compared with the
 * values that were saved.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type NDArray, nd } from '@minimx/ndarray';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const EXAMPLES_DIR = path.dirname(fileURLToPath(import.meta.url));
const REPO_DIR = path.dirname(EXAMPLES_DIR);
const TSX = path.join(REPO_DIR, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const OUT = fs.mkdtempSync(path.join(os.tmpdir(), 'minimx-ch4-'));
afterAll(() => fs.rmSync(OUT, { recursive: true, force: true }));

/** Runs `examples/<name>.ts --seed 1 --out <tmp>/<name>`; stdout as lines (stderr must stay empty). */
async function example(name: string): Promise<string[]> {
  const { stdout, stderr } = await run(
    process.execPath,
    [TSX, path.join('examples', `${name}.ts`), '--seed', '1', '--out', path.join(OUT, name)],
    { cwd: REPO_DIR, maxBuffer: 16 << 20, timeout: 120_000 },
  );
  expect(stderr, 'nothing on stderr').toBe('');
  return stdout.replace(/\n$/, '').split('\n');
}

/** A line of random numbers reduced to its layout: numbers become `#`, whitespace goes. */
const layout = (line: string) => line.replace(/-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?/g, '#').replace(/\s+/g, '');

/** Compares printed lines with the expected ones (`~` lines by layout, others exactly). */
function expectLines(ours: readonly string[], expected: readonly string[]): void {
  const want = expected.map((l) => (l.startsWith('~') ? `~ ${layout(l.slice(1))}` : l));
  const got = ours.map((l, i) => (expected[i]?.startsWith('~') ? `~ ${layout(l)}` : l));
  expect(got.join('\n')).toBe(want.join('\n'));
}

// d2l 4.1 (model-construction.ipynb): `net(X)` of MLP, of MySequential, of FancyMLP and of the
// nested Sequential(NestMLP, Dense(20), FancyMLP).
const BOOK_4_1 = [
  '',
  '~[[ 0.09543004  0.04614332 -0.00286654 -0.07790349 -0.05130243  0.02942037',
  '~   0.08696642 -0.0190793  -0.04122177  0.05088576]',
  '~ [ 0.0769287   0.03099705  0.00856576 -0.04467199 -0.06926839  0.09132434',
  '~   0.06786595 -0.06187842 -0.03436673  0.04234694]]',
  '<NDArray 2x10 @cpu(0)>',
  '',
  '~[[ 0.00362228  0.00633332  0.03201144 -0.01369375  0.10336449 -0.03508018',
  '~  -0.00032164 -0.01676023  0.06978628  0.01303309]',
  '~ [ 0.03871715  0.02608213  0.03544959 -0.02521311  0.11005433 -0.0143066',
  '~  -0.03052466 -0.03852827  0.06321152  0.0038594 ]]',
  '<NDArray 2x10 @cpu(0)>',
  '',
  '~[18.571953]',
  '<NDArray 1 @cpu(0)>',
  '',
  '~[24.86621]',
  '<NDArray 1 @cpu(0)>',
];

// d2l 4.2 (parameters.ipynb), cell by cell.
const BOOK_4_2 = [
  // `net[0].params, type(net[0].params)`: the notebook shows the tuple
  // `(dense0_ (...), mxnet.gluon.parameter.ParameterDict)`
  'dense0_ (',
  '  Parameter dense0_weight (shape=(256, 20), dtype=float32)',
  '  Parameter dense0_bias (shape=(256,), dtype=float32)',
  ') ParameterDict',
  // `net[0].params['dense0_weight'], net[0].weight` (a tuple in the notebook)
  'Parameter dense0_weight (shape=(256, 20), dtype=float32) Parameter dense0_weight (shape=(256, 20), dtype=float32)',
  // `net[0].weight.data()`
  '',
  '~[[ 0.06700657 -0.00369488  0.0418822  ... -0.05517294 -0.01194733',
  '~  -0.00369594]',
  '~ [-0.03296221 -0.04391347  0.03839272 ...  0.05636378  0.02545484',
  '~  -0.007007  ]',
  '~ [-0.0196689   0.01582889 -0.00881553 ...  0.01509629 -0.01908049',
  '~  -0.02449339]',
  ' ...',
  '~ [ 0.00010955  0.0439323  -0.04911506 ...  0.06975312  0.0449558',
  '~  -0.03283203]',
  '~ [ 0.04106557  0.05671307 -0.00066976 ...  0.06387014 -0.01292654',
  '~   0.00974177]',
  '~ [ 0.00297424 -0.0281784  -0.06881659 ... -0.04047417  0.00457048',
  '~   0.05696651]]',
  '<NDArray 256x20 @cpu(0)>',
  // `net[0].weight.grad()`
  '',
  '[[0. 0. 0. ... 0. 0. 0.]',
  ' [0. 0. 0. ... 0. 0. 0.]',
  ' [0. 0. 0. ... 0. 0. 0.]',
  ' ...',
  ' [0. 0. 0. ... 0. 0. 0.]',
  ' [0. 0. 0. ... 0. 0. 0.]',
  ' [0. 0. 0. ... 0. 0. 0.]]',
  '<NDArray 256x20 @cpu(0)>',
  // `net[1].bias.data()`
  '',
  '[0. 0. 0. 0. 0. 0. 0. 0. 0. 0.]',
  '<NDArray 10 @cpu(0)>',
  // `net.collect_params()`
  'sequential0_ (',
  '  Parameter dense0_weight (shape=(256, 20), dtype=float32)',
  '  Parameter dense0_bias (shape=(256,), dtype=float32)',
  '  Parameter dense1_weight (shape=(10, 256), dtype=float32)',
  '  Parameter dense1_bias (shape=(10,), dtype=float32)',
  ')',
  // `net.collect_params('.*weight')`
  'sequential0_ (',
  '  Parameter dense0_weight (shape=(256, 20), dtype=float32)',
  '  Parameter dense1_weight (shape=(10, 256), dtype=float32)',
  ')',
  // init.Normal(sigma=0.01), row 0
  '',
  '~[ 0.01074176  0.00066428  0.00848699 -0.0080038  -0.00168822  0.00936328',
  '~  0.00357444  0.00779328 -0.01010307 -0.00391573  0.01316619 -0.00432926',
  '~  0.0071536   0.00925416 -0.00904951 -0.00074684  0.0082254  -0.01878511',
  '~  0.00885884  0.01911872]',
  '<NDArray 20 @cpu(0)>',
  // init.Constant(1), row 0
  '',
  '[1. 1. 1. 1. 1. 1. 1. 1. 1. 1. 1. 1. 1. 1. 1. 1. 1. 1. 1. 1.]',
  '<NDArray 20 @cpu(0)>',
  // init.Xavier() on net[0].weight, row 0
  '',
  '~[ 0.00512482 -0.06579044 -0.10849719 -0.09586414  0.06394844  0.06029618',
  '~ -0.03065033 -0.01086642  0.01929168  0.1003869  -0.09339568 -0.08703034',
  '~ -0.10472868 -0.09879824 -0.00352201 -0.11063069 -0.04257748  0.06548801',
  '~  0.12987629 -0.13846186]',
  '<NDArray 20 @cpu(0)>',
  // MyInit: its prints, then row 0
  'Init dense0_weight (256, 20)',
  'Init dense1_weight (10, 256)',
  '',
  '~[-5.3659673  7.5773945  8.986376  -0.         8.827555   0.',
  '~  5.9840508 -0.         0.         0.         7.4857597 -0.',
  '~ -0.         6.8910007  6.9788704 -6.1131554  0.         5.4665203',
  '~ -9.735263   9.485172 ]',
  '<NDArray 20 @cpu(0)>',
  // set_data(data() + 1), row 0
  '',
  '~[-4.3659673  8.5773945  9.986376   1.         9.827555   1.',
  '~  6.9840508  1.         1.         1.         8.48576    1.',
  '~  1.         7.8910007  7.9788704 -5.1131554  1.         6.4665203',
  '~ -8.735263  10.485172 ]',
  '<NDArray 20 @cpu(0)>',
  // shared parameters: `net[1].weight.data()[0] == net[2].weight.data()[0]`
  '',
  '[1. 1. 1. 1. 1. 1. 1. 1.]',
  '<NDArray 8 @cpu(0)>',
];

// d2l 4.3 (deferred-init.ipynb): nothing on `initialize`, the `Init` lines on the first `net(X)`,
// nothing on the second, both again on `force_reinit`, dense2/dense3 at once with `in_units`. The
// first two lines are ours: the section describes the 0 in the deferred shape and the unreadable
// value in words (the 4.2 exercise), without a cell.
const BOOK_4_3 = [
  'Parameter dense0_weight (shape=(256, 0), dtype=float32)',
  "DeferredInitializationError: Parameter 'dense0_weight' has not been initialized yet because initialization was deferred: its shape (256,0) is inferred on the first forward pass. Run a forward pass (net(X)) before calling data().",
  'Init dense0_weight (256, 20)',
  'Init dense1_weight (10, 256)',
  'Init dense0_weight (256, 20)',
  'Init dense1_weight (10, 256)',
  'Init dense2_weight (256, 20)',
  'Init dense3_weight (10, 256)',
];

// d2l 4.4 (custom-layer.ipynb). MXNet prints `dtype=<class 'numpy.float32'>` for the three
// parameters made by `params.get` without a dtype (its default is the NumPy type object); minimx
// has one spelling of a dtype, `float32`, as Gluon's own layers print it.
const BOOK_4_4 = [
  '',
  '[-2. -1.  0.  1.  2.]',
  '<NDArray 5 @cpu(0)>',
  '~-7.212293e-10',
  '(',
  '  Parameter param2 (shape=(2, 3), dtype=float32)',
  ')',
  'mydense0_ (',
  '  Parameter mydense0_weight (shape=(5, 3), dtype=float32)',
  '  Parameter mydense0_bias (shape=(3,), dtype=float32)',
  ')',
  '',
  '~[[0.06917784 0.01627153 0.01029644]',
  '~ [0.02602214 0.0453731  0.        ]]',
  '<NDArray 2x3 @cpu(0)>',
  '',
  '~[[0.03820474]',
  '~ [0.04035058]]',
  '<NDArray 2x1 @cpu(0)>',
];

// d2l 4.5 (read-write.ipynb): the notebook shows the list `[\n [1. 1. 1.]\n <NDArray 3 @cpu(0)>]`,
// the tuple `(x2, y2)` and the dict `{'x': ..., 'y': ...}` as IPython displays them; Node's
// console.log prints the same arrays and keys with its own brackets and indentation (and indents
// the empty first line of each array's text). Then `Y2 == Y`: all ones.
const BOOK_4_5 = [
  '[',
  '  ',
  '  [1. 1. 1.]',
  '  <NDArray 3 @cpu(0)>',
  ']',
  '[',
  '  ',
  '  [1. 1. 1.]',
  '  <NDArray 3 @cpu(0)>,',
  '  ',
  '  [0. 0. 0. 0.]',
  '  <NDArray 4 @cpu(0)>',
  ']',
  '{',
  '  x: ',
  '  [1. 1. 1.]',
  '  <NDArray 3 @cpu(0)>,',
  '  y: ',
  '  [0. 0. 0. 0.]',
  '  <NDArray 4 @cpu(0)>',
  '}',
  '',
  '[[1. 1. 1. 1. 1. 1. 1. 1. 1. 1.]',
  ' [1. 1. 1. 1. 1. 1. 1. 1. 1. 1.]]',
  '<NDArray 2x10 @cpu(0)>',
];

// d2l 4.6 (use-gpu.ipynb), on a machine without a GPU: the book's cells on `gpu(0)`/`gpu(1)` run
// on `d2l.try_gpu()`, which is `cpu(0)` (the book's fallback, 5.5); footers say `@cpu(0)` where the
// book's say `@gpu(0)` and `@gpu(1)`. Ours besides the book's cells: `num_gpus()` (0), the error
// that an array on gpu(0) raises, and the chosen context.
const BOOK_4_6 = [
  '(cpu(0), gpu(0), gpu(1))',
  '0',
  '',
  '[1. 2. 3.]',
  '<NDArray 3 @cpu(0)>',
  'cpu(0)',
  'DeviceUnavailableError: array: cannot place an array on gpu(0): minimx has no GPU backend yet (mx.context.numGpus() is 0); use mx.cpu()',
  'cpu(0)',
  '',
  '[1. 2. 3.]',
  '<NDArray 3 @cpu(0)>', // the book: @gpu(0)
  '',
  '~[[0.59119    0.313164   0.76352036]',
  '~ [0.9731786  0.35454726 0.11677533]]',
  '<NDArray 2x3 @cpu(0)>', // the book: @gpu(1)
  '',
  '[1. 2. 3.]',
  '<NDArray 3 @cpu(0)>',
  '',
  '[1. 2. 3.]',
  '<NDArray 3 @cpu(0)>',
  'true', // `y.as_in_context(mx.gpu()) is y`: True
  'false', // `y.copyto(mx.gpu()) is y`: False
  '',
  '[ 20.085537 109.1963   445.2395  ]',
  '<NDArray 3 @cpu(0)>',
  '',
  '~[[0.0068339 ]',
  '~ [0.01366779]',
  '~ [0.02050169]]',
  '<NDArray 3x1 @cpu(0)>',
  '',
  '~[[0.0068339]]',
  '<NDArray 1x1 @cpu(0)>',
];

/** The numbers of the lines that start with `~` in `expected`, from our output. */
function randomValues(ours: readonly string[], expected: readonly string[]): number[] {
  return ours
    .filter((_, i) => expected[i]?.startsWith('~'))
    .flatMap((l) => l.match(/-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?/g) ?? [])
    .map(Number);
}

describe.concurrent('d2l chapter 4 examples', () => {
  it('4.1 model-construction prints the book’s four outputs (shapes, layout)', async () => {
    const lines = await example('model-construction');
    expectLines(lines, BOOK_4_1);
    const values = randomValues(lines, BOOK_4_1);
    expect(values).toHaveLength(2 * 20 + 2);
    for (const v of values) expect(Number.isFinite(v)).toBe(true);
    // FancyMLP ends with 20 activations of norm at most 1, or below 0.8 then times 10: |sum| < 8 sqrt(20)
    for (const sum of values.slice(40)) expect(Math.abs(sum)).toBeLessThan(8 * Math.sqrt(20));
  });

  it('4.2 parameters prints the book’s names, listings, zeros, ones and Init lines', async () => {
    const lines = await example('parameters');
    expectLines(lines, BOOK_4_2);
    // the custom initializer keeps only |w| >= 5 in [-10, 10): zeros or 5 <= |w| < 10, then + 1
    const rows = lines.join('\n').split('<NDArray 20 @cpu(0)>');
    const mine = (rows[3].match(/-?\d+\.\d*/g) ?? []).map(Number);
    expect(mine).toHaveLength(20);
    for (const w of mine) expect(w === 0 || (Math.abs(w) >= 5 && Math.abs(w) < 10)).toBe(true);
    const plusOne = (rows[4].match(/-?\d+\.\d*/g) ?? []).map(Number);
    expect(plusOne.map((w, i) => Math.abs(w - 1 - mine[i]) < 1e-5)).toEqual(Array(20).fill(true));
  });

  it('4.3 deferred-init prints the book’s Init lines when, and only when, it initializes', async () => {
    expectLines(await example('deferred-init'), BOOK_4_3);
  });

  it('4.4 custom-layer prints the centered layer, the book’s parameter names and shapes', async () => {
    const lines = await example('custom-layer');
    expectLines(lines, BOOK_4_4);
    // the mean of a centered output is a float32 rounding residue
    expect(Math.abs(Number(lines[3]))).toBeLessThan(1e-6);
  });

  it('4.5 read-write round-trips arrays, a list, a dict and parameter files in MXNet’s format', async () => {
    expectLines(await example('read-write'), BOOK_4_5);
    const dir = path.join(OUT, 'read-write');
    const magic = (file: string) => fs.readFileSync(path.join(dir, file)).subarray(0, 8);
    // MXNet's NDArray-list magic 0x112, little-endian uint64
    for (const f of ['x', 'xy', 'mydict', 'mlp.params']) {
      expect([...magic(f)], f).toEqual([0x12, 0x01, 0, 0, 0, 0, 0, 0]);
    }
    const ones3 = nd.ones(3);
    const zeros4 = nd.zeros(4);
    expect(await nd.load(path.join(dir, 'x'))).toEqual([ones3]);
    expect(await nd.load(path.join(dir, 'xy'))).toEqual([ones3, zeros4]);
    expect(await nd.load(path.join(dir, 'mydict'))).toEqual({ x: ones3, y: zeros4 });
    // Gluon 1.x's structural names for the MLP's fields, with the shapes the forward pass inferred
    const params = await nd.load<Record<string, NDArray>>(path.join(dir, 'mlp.params'));
    expect(Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v.shape]))).toEqual({
      'hidden.weight': [256, 20],
      'hidden.bias': [256],
      'output.weight': [10, 256],
      'output.bias': [10],
    });
  });

  it('4.6 use-gpu prints cpu(0), the no-GPU fallback, and the book’s results on it', async () => {
    const lines = await example('use-gpu');
    expectLines(lines, BOOK_4_6);
    // net(y) is the one weight times 1, 2 and 3, and the weight printed after it
    const [o1, o2, o3, w] = randomValues(lines, BOOK_4_6).slice(6);
    expect(o2).toBeCloseTo(2 * o1, 6);
    expect(o3).toBeCloseTo(3 * o1, 6);
    expect(w).toBeCloseTo(o1, 6);
  });

  it('the same seed prints the same lines', async () => {
    const [a, b] = await Promise.all([example('custom-layer'), example('custom-layer')]);
    expect(a).toEqual(b);
  });
});
