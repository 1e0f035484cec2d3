/**
 * Writes docs/d2l/: one page per example, block by block, the book's Gluon code described in a line
 * or two (naming the calls and the d2l section, never copying the book) beside our code, which is
 * copied verbatim from the `// #region` blocks of the example file; then the lines our full run
 * printed (examples/results/<name>.txt) next to the book's numbers. `npx tsx examples/gen-docs.ts`
 * rewrites the pages; examples/docs.test.ts regenerates them in memory and fails when they differ,
 * so the pages can never drift from the code.
 *
 * Conventions in an example file: the first doc comment is the header (its first line is the page
 * title); a block opens with `// #region <title>`, continues with comment lines that describe the
 * Gluon code (`// helpers: a b` adds the `// #region a` and `b` blocks of @minimx/d2l's sources,
 * packages/d2l/src/*.ts, after it) and closes with
 * `// #endregion`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const EXAMPLES_DIR = path.dirname(fileURLToPath(import.meta.url));
const REPO_DIR = path.dirname(EXAMPLES_DIR);
/** The sources of @minimx/d2l, whose `// #region` blocks the `// helpers:` lines name. */
export const D2L_SRC_DIR = path.join(REPO_DIR, 'packages', 'd2l', 'src');
/** Where the pages go, relative to the repository root. */
export const DOCS_DIR = path.join(REPO_DIR, 'docs', 'd2l');

/** The examples in the book's order, with the book's numbers where DESIGN.md has them. */
export const PAGES: readonly PageSpec[] = [
  {
    file: 'linear-regression-scratch.ts',
    notes: [
      'The loss cannot fall below the noise: labels carry noise of standard deviation 0.01, so the',
      'mean squared loss `(y_hat - y)^2 / 2` levels off near 0.01^2 / 2 = 5e-5 after a few epochs,',
      'in the book and here. The learned w and b land within 0.01 of [2, -3.4] and 4.2 (the examples',
      'test checks it).',
    ],
  },
  {
    file: 'linear-regression-concise.ts',
    notes: [
      'As in 3.2 the mean loss levels off near the noise floor 0.01^2 / 2 = 5e-5, and',
      '`dense.weight.data()`, `dense.bias.data()` land within 0.01 of the true values (the examples',
      'test checks it).',
    ],
  },
  {
    file: 'fashion-mnist.ts',
    notes: [
      'The book prints the sizes `(60000, 10000)`, the shape `(28, 28, 1)` with dtype uint8, and the',
      'label of `mnist_train[0]` as the NumPy int32 `2`. Ours prints the same sizes, shape and dtype;',
      'the first training label of the files read here (the upstream Zalando files, as Debian ships',
      'them, verified by checksum) is 9, ankle boot, as the picture shows. The reading time depends on',
      'the machine (the book reads with 4 worker processes, we read in one thread).',
    ],
  },
  {
    file: 'softmax-regression-scratch.ts',
    book: { epoch1: '0.7896 / 0.745 / 0.803', epoch5: '0.4895 / 0.835 / 0.840' },
    band: 'loss 0.47-0.51, train acc 0.82-0.85, test acc 0.80-0.86',
  },
  {
    file: 'softmax-regression-concise.ts',
    book: { epoch1: '0.7906 / 0.745 / 0.792', epoch5: '0.4895 / 0.834 / 0.841' },
    band: 'loss 0.47-0.51, train acc 0.82-0.85, test acc 0.80-0.86',
  },
  {
    file: 'mlp-scratch.ts',
    book: { epoch1: '0.7748 / 0.710 / 0.833', epoch5: '0.3669 / 0.864 / 0.861' },
    band: 'loss 0.35-0.40, train acc 0.85-0.88, test acc 0.80-0.89',
  },
  {
    file: 'mlp-concise.ts',
    book: { epoch1: '0.7917 / 0.708 / 0.813', epoch5: '0.3763 / 0.860 / 0.872' },
    band: 'loss 0.35-0.40, train acc 0.85-0.88, test acc 0.80-0.89',
  },
  {
    file: 'weight-decay.ts',
    notes: [
      'What the book shows: without weight decay (lambd = 0) the training loss falls by orders of',
      'magnitude while the test loss stays high, and the L2 norm of w stays large (above 10); with',
      'lambd = 3 (and wd = 3) both losses fall together and the norm of w shrinks to a few hundredths.',
      'The pictures are written to `out/weight-decay-*.svg`.',
    ],
  },
  {
    file: 'dropout.ts',
    notes: [
      'The book trains both versions for 5 epochs at learning rate 0.5; no band is set for this',
      'section. Compare with the MLP of 3.9: dropout keeps the training loss higher for the',
      'same number of epochs.',
    ],
  },
  {
    file: 'model-construction.ts',
    notes: [
      'The book (no seed) shows two 2x10 arrays of small values for the `MLP` and the `MySequential`',
      'versions, then the one-element sums 18.571953 for `FancyMLP` and 24.86621 for the nested',
      'network. Ours prints the same four outputs with the same shapes, footers and line layout (the',
      'chapter-4 examples test compares them); the values are random in both. `FancyMLP` halves its',
      '20 activations until their norm is at most 1 and multiplies them by 10 when it is below 0.8, so',
      "their sum is below 8 * sqrt(20), about 35.8, in magnitude (tested); the book's two sums and ours",
      'are in that range.',
    ],
  },
  {
    file: 'parameters.ts',
    notes: [
      "Every line that does not depend on random numbers equals the book's (tested): the",
      '`dense0_` and `sequential0_` listings with their `Parameter ...` lines, the zero gradient and',
      "bias, the row of ones from `init.Constant(1)`, the custom initializer's two `Init ...` lines and",
      "the eight ones of the shared layers. The random rows have the book's layout; the custom",
      "initializer's row holds zeros and values with 5 <= |w| < 10, then the same plus one after",
      '`setData`. Where the notebook displays a tuple, `(dense0_ (...), mxnet.gluon.parameter.ParameterDict)`,',
      'ours prints its two items on one line (the class as `ParameterDict`).',
    ],
  },
  {
    file: 'deferred-init.ts',
    notes: [
      'The book prints nothing on `initialize`, `Init dense0_weight (256, 20)` and',
      '`Init dense1_weight (10, 256)` on the first forward pass, nothing on the second, the same two',
      'lines on `force_reinit`, and `Init dense2_weight (256, 20)`, `Init dense3_weight (10, 256)`',
      'for the network with `in_units`. Ours prints exactly these (tested), after two lines of its',
      'own before the first forward pass: the weight listed with shape (256, 0), and the',
      '`DeferredInitializationError` that reading it raises, which the section describes in words.',
    ],
  },
  {
    file: 'custom-layer.ts',
    notes: [
      'The centered `[-2. -1.  0.  1.  2.]`, the names `param2`, `mydense0_weight`, `mydense0_bias`',
      "and their shapes equal the book's (tested). One spelling differs: MXNet lists a parameter",
      "made by `params.get` without a dtype as `dtype=<class 'numpy.float32'>` (its default dtype is",
      "the NumPy type object), minimx as `dtype=float32`, as Gluon's own layers print it. The mean of",
      'the centered output is a float32 rounding residue (the book: -7.212293e-10). The last two',
      'outputs are random; with `--seed 1` the (2, 1) output is all zeros, the ReLU of negative sums,',
      "where the book's happened to be positive.",
    ],
  },
  {
    file: 'read-write.ts',
    notes: [
      'The loaded arrays equal the saved ones, `[1. 1. 1.]` and `[0. 0. 0. 0.]`, the dict keeps its',
      'keys `x` and `y`, and `Y2 == Y` is all ones, as in the book (tested; the test also reads the',
      "four files back and checks MXNet's list magic and the parameter names `hidden.weight`,",
      '`hidden.bias`, `output.weight`, `output.bias`). The notebook displays the list, the tuple and',
      "the dict the IPython way (`[\\n [1. 1. 1.]\\n <NDArray 3 @cpu(0)>]`); Node's `console.log`",
      'prints the same arrays and keys with its own brackets and indentation.',
    ],
  },
  {
    file: 'use-gpu.ts',
    notes: [
      'The book runs on two GPUs (`@gpu(0)`, `@gpu(1)` in its footers). Without a GPU backend, ours',
      'names the devices as the book does, `(cpu(0), gpu(0), gpu(1))`, shows `x.context` as `cpu(0)`,',
      'reports the error an array on `gpu(0)` raises, and runs the rest on `d2l.tryGpu()`, which is',
      "`cpu(0)`: the footers say `@cpu(0)` where the book's say `@gpu(...)`, `asInContext` returns",
      'the same array and `copyto` a new one (true, false), and `(z + 2).exp() * y` is',
      '`[ 20.085537 109.1963   445.2395  ]` as in the book (tested). The Dense(1) output is its one',
      'random weight times 1, 2 and 3.',
    ],
  },
];

/** One docs page: the example file and, for the trainCh3 sections, the book's numbers. */
export interface PageSpec {
  file: string;
  /** The book's epoch 1 and epoch 5 lines as "loss / train acc / test acc" (from DESIGN.md). */
  book?: { epoch1: string; epoch5: string };
  /** The band a 5-epoch run must land in. */
  band?: string;
  /** What the book prints, in words, for sections without an epoch table. */
  notes?: string[];
}

/** A `// #region` block of a source file. */
export interface Region {
  title: string;
  /** The comment lines after the region line, without `// ` (the Gluon description). */
  description: string[];
  /** @minimx/d2l blocks named by a `// helpers:` line. */
  helpers: string[];
  /** The code of the block, dedented, without the description. */
  code: string;
}

/** The header and the blocks of a source file. */
export interface ParsedSource {
  title: string;
  header: string[];
  regions: Region[];
}

function dedent(lines: string[]): string[] {
  const indents = lines.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut));
}

/**
 * Splits a source file into its header (the first doc comment) and its `// #region` blocks.
 * @example parseSource(fs.readFileSync('examples/mlp-scratch.ts', 'utf8')).regions.map((r) => r.title)
 */
export function parseSource(source: string, file = '<source>'): ParsedSource {
  const lines = source.split('\n');
  const start = lines.findIndex((l) => l.trim().startsWith('/**'));
  const end = lines.findIndex((l, i) => i >= start && l.trim().endsWith('*/'));
  if (start < 0 || end < 0) throw new Error(`${file}: no header doc comment`);
  const header = lines
    .slice(start, end + 1)
    .map((l) =>
      l
        .trim()
        .replace(/^\/\*\*\s?/, '')
        .replace(/\s?\*\/$/, '')
        .replace(/^\*\s?/, ''),
    )
    .join('\n')
    .trim()
    .split('\n');
  const regions: Region[] = [];
  for (let i = end + 1; i < lines.length; i++) {
    const open = /^\s*\/\/ #region (.+)$/.exec(lines[i]);
    if (!open) continue;
    const close = lines.findIndex((l, k) => k > i && /^\s*\/\/ #endregion/.test(l));
    if (close < 0) throw new Error(`${file}:${i + 1}: #region "${open[1]}" has no #endregion`);
    const body = lines.slice(i + 1, close);
    let k = 0;
    const description: string[] = [];
    const helpers: string[] = [];
    for (; k < body.length && /^\s*\/\/( |$)/.test(body[k]); k++) {
      const text = body[k].trim().replace(/^\/\/ ?/, '');
      const helper = /^helpers: (.+)$/.exec(text);
      if (helper) helpers.push(...helper[1].split(/\s+/));
      else description.push(text);
    }
    regions.push({
      title: open[1].trim(),
      description,
      helpers,
      code: dedent(body.slice(k)).join('\n').trim(),
    });
    i = close;
  }
  return { title: header[0], header: header.slice(1), regions };
}

/** The epoch lines of a results file, parsed. */
export function epochLines(results: string): { epoch: number; text: string }[] {
  return results
    .split('\n')
    .map((l) => /^epoch (\d+), loss [\d.]+, train acc [\d.]+, test acc [\d.]+$/.exec(l.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ epoch: Number(m[1]), text: m[0] }));
}

const fence = (lang: string, body: string) => `\`\`\`${lang}\n${body}\n\`\`\``;

/** The line linking a page to its notebook (notebooks/<name>.ipynb), when there is one. */
const notebookLink = (name: string): string[] =>
  fs.existsSync(path.join(REPO_DIR, 'notebooks', `${name}.ipynb`))
    ? [
        '',
        `Notebook: [notebooks/${name}.ipynb](../../notebooks/${name}.ipynb), the same blocks as a TypeScript`,
        'Jupyter notebook with the outputs of a full run ([how to open it](../../notebooks/README.md)).',
      ]
    : [];

function numbers(line: string): string {
  const m = /loss ([\d.]+), train acc ([\d.]+), test acc ([\d.]+)/.exec(line);
  return m ? `${m[1]} / ${m[2]} / ${m[3]}` : line;
}

/** A `// #region` block of @minimx/d2l and the file it is in (relative to packages/d2l/src). */
export interface HelperBlock {
  file: string;
  region: Region;
}

/**
 * The `// #region` blocks of @minimx/d2l's sources (not its tests), by region title.
 * @example d2lHelpers().get('trainCh3')?.file // 'train.ts'
 */
export function d2lHelpers(dir = D2L_SRC_DIR): Map<string, HelperBlock> {
  const helpers = new Map<string, HelperBlock>();
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .sort();
  for (const file of files) {
    for (const region of parseSource(fs.readFileSync(path.join(dir, file), 'utf8'), file).regions) {
      helpers.set(region.title, { file, region });
    }
  }
  return helpers;
}

/**
 * The markdown of one page, from the example's source, the d2l helpers' blocks and the results file.
 * @example renderPage(PAGES[3], exampleSource, d2lHelpers(), resultsText)
 */
export function renderPage(
  spec: PageSpec,
  source: string,
  helpers: ReadonlyMap<string, HelperBlock>,
  results: string | null,
): string {
  const parsed = parseSource(source, spec.file);
  const name = spec.file.replace(/\.ts$/, '');
  const out: string[] = [
    `<!-- Generated by examples/gen-docs.ts from examples/${spec.file}; do not edit by hand. -->`,
    '',
    `# ${parsed.title}`,
    '',
    parsed.header.join('\n').trim(),
    '',
    `Source: [examples/${spec.file}](../../examples/${spec.file}). Run it from the repository root:`,
    '',
    fence('sh', `npx tsx examples/${spec.file}`),
    '',
    'Each block below says what the Gluon code of the book does (read it in the book, section and',
    'calls named) and shows our code, copied from the example file.',
  ];
  out.push(...notebookLink(name));
  for (const region of parsed.regions) {
    out.push('', `## ${region.title}`, '');
    if (region.description.length) out.push(`**Gluon:** ${region.description.join(' ').trim()}`, '');
    if (region.code) out.push('**minimx:**', '', fence('ts', region.code));
    for (const h of region.helpers) {
      const helper = helpers.get(h);
      if (!helper) {
        throw new Error(
          `${spec.file}: region "${region.title}" names helper "${h}", not a region of packages/d2l/src`,
        );
      }
      const src = `packages/d2l/src/${helper.file}`;
      out.push('', `In [${src}](../../${src}) (\`d2l.${h}\`):`, '', fence('ts', helper.region.code));
    }
  }
  out.push('', '## Results', '');
  if (spec.book) {
    out.push(
      'The book prints (MXNet edition, batch 256, no fixed seed) and our run below printed, as',
      '"loss / train acc / test acc":',
      '',
    );
    const ours = results ? epochLines(results) : [];
    const ours1 = ours.find((l) => l.epoch === 1);
    const ours5 = ours.find((l) => l.epoch === 5);
    out.push(
      '| epoch | book | minimx |',
      '|---|---|---|',
      `| 1 | ${spec.book.epoch1} | ${ours1 ? numbers(ours1.text) : '(not run yet)'} |`,
      `| 5 | ${spec.book.epoch5} | ${ours5 ? numbers(ours5.text) : '(not run yet)'} |`,
      '',
      `The band a 5-epoch run must land in: ${spec.band}. Loss and train accuracy are stable from run`,
      'to run; the test accuracy of a single epoch swings by points.',
      '',
    );
  }
  if (spec.notes) out.push(spec.notes.join('\n'), '');
  if (results) {
    out.push(
      `What our full run printed ([examples/results/${name}.txt](../../examples/results/${name}.txt)):`,
      '',
    );
    out.push(fence('text', results.trimEnd()));
  } else {
    out.push('No full run recorded yet.');
  }
  return `${out.join('\n')}\n`;
}

/** The index page, linking every section. */
export function renderIndex(sources: Map<string, string>): string {
  const out = [
    '<!-- Generated by examples/gen-docs.ts; do not edit by hand. -->',
    '',
    '# d2l chapter 3 in minimx',
    '',
    'One page per runnable section of "Dive into Deep Learning" (MXNet edition), chapter 3: what the',
    "book's Gluon code does, block by block, beside our TypeScript, and what our runs printed next to",
    "the book's numbers. Every example runs from the repository root after `npm ci`, and takes",
    '`--epochs N`, `--seed N`, `--batches N` (stop each pass after N batches) and `--out DIR` (pictures,',
    'default `out/`).',
    '',
    '| section | page | command |',
    '|---|---|---|',
  ];
  for (const spec of PAGES) {
    const parsed = parseSource(sources.get(spec.file)!, spec.file);
    const name = spec.file.replace(/\.ts$/, '');
    out.push(`| ${parsed.title} | [${name}](${name}.md) | \`npx tsx examples/${spec.file}\` |`);
  }
  out.push(
    '',
    'The `d2lzh` helpers the chapter saves for later (`loadDataFashionMnist`, `trainCh3`, `sgd`, ...) live',
    'in the [`@minimx/d2l`](../../packages/d2l/README.md) package (also `minimx/d2l`), which the examples',
    'import as the book imports `d2lzh as d2l`; see also the d2l rows of [../mxnet-mapping.md](../mxnet-mapping.md).',
    '',
    'The same sections (and chapter 2, ndarray and autograd) are TypeScript Jupyter notebooks with the',
    'outputs of a full run, generated from the same example files: [notebooks/](../../notebooks/README.md).',
  );
  return `${out.join('\n')}\n`;
}

/**
 * Every page of docs/d2l/ as `file name -> markdown`, computed from the example files.
 * @example for (const [name, text] of generateDocs()) fs.writeFileSync(path.join(DOCS_DIR, name), text);
 */
export function generateDocs(): Map<string, string> {
  const read = (f: string) => fs.readFileSync(path.join(EXAMPLES_DIR, f), 'utf8');
  const helpers = d2lHelpers();
  const sources = new Map(PAGES.map((p) => [p.file, read(p.file)]));
  const pages = new Map<string, string>();
  for (const spec of PAGES) {
    const name = spec.file.replace(/\.ts$/, '');
    const resultsFile = path.join(EXAMPLES_DIR, 'results', `${name}.txt`);
    const results = fs.existsSync(resultsFile) ? fs.readFileSync(resultsFile, 'utf8') : null;
    pages.set(`${name}.md`, renderPage(spec, sources.get(spec.file)!, helpers, results));
  }
  pages.set('README.md', renderIndex(sources));
  return pages;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  fs.mkdirSync(DOCS_DIR, { recursive: true });
  for (const [name, text] of generateDocs()) {
    fs.writeFileSync(path.join(DOCS_DIR, name), text);
    console.log(`wrote docs/d2l/${name}`);
  }
}
