/**
 * Writes notebooks/*.ipynb, one TypeScript notebook (Deno's Jupyter kernel) per d2l section, from
 * the same `// #region` blocks that examples/gen-docs.ts turns into docs/d2l pages, so the example
 * file stays the one source of truth: a markdown cell with the section's title, the book's
 * citation and the example's header, then for each block a markdown cell (its title and its
 * description of the Gluon code) and a code cell (its code). The imports and the example's other
 * top-level lines go to a first code cell, where `parseArgs` (the command line) becomes
 * `notebookArgs` (notebooks/args.ts: the book's settings, shortened only by CI's environment
 * variables), and `console.log(`wrote ${file}`)` after a picture becomes
 * `await d2l.display(file)`, so the picture shows under the cell (a function that shows one becomes
 * `async`, and its calls are awaited). Chapter 2 has no example file; its sources are
 * notebooks/sections/*.ts, written in the same convention.
 *
 * `npx tsx notebooks/generate.ts` rewrites a notebook only when its cells' sources changed (and then
 * without outputs: execute it with `npm run notebooks:execute -- <name>`); `--check` lists the
 * notebooks that are out of date and exits 1 (test/notebooks.test.ts runs it).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseSource } from '../examples/gen-docs.js';

const NOTEBOOKS_DIR = path.dirname(fileURLToPath(import.meta.url));
const REPO_DIR = path.dirname(NOTEBOOKS_DIR);

/** The notebooks in the book's order: the example (or chapter-2 section) each is made from. */
export const NOTEBOOKS: readonly string[] = [
  'notebooks/sections/ndarray.ts',
  'notebooks/sections/autograd.ts',
  'examples/linear-regression-scratch.ts',
  'examples/linear-regression-concise.ts',
  'examples/fashion-mnist.ts',
  'examples/softmax-regression-scratch.ts',
  'examples/softmax-regression-concise.ts',
  'notebooks/sections/mlp.ts',
  'examples/mlp-scratch.ts',
  'examples/mlp-concise.ts',
  'notebooks/sections/underfit-overfit.ts',
  'examples/weight-decay.ts',
  'examples/dropout.ts',
  'examples/model-construction.ts',
  'examples/parameters.ts',
  'examples/deferred-init.ts',
  'examples/custom-layer.ts',
  'examples/read-write.ts',
  'examples/use-gpu.ts',
  'examples/conv-layer.ts',
  'examples/padding-and-strides.ts',
  'examples/channels.ts',
  'examples/pooling.ts',
  'examples/lenet.ts',
  'examples/alexnet.ts',
  'examples/vgg.ts',
  'examples/nin.ts',
  'examples/googlenet.ts',
  'examples/batch-norm.ts',
  'examples/resnet.ts',
  'examples/densenet.ts',
];

/**
 * The notebooks whose committed run is short, and why: a full epoch of these networks takes hours
 * on a CPU. `batchSize` and `size` are the book's mini-batch and image size, `bookSeconds` its GPU
 * time per epoch. How long an epoch takes here is measured on the section's docs/d2l page (the
 * notebook points there rather than repeat a figure that is re-measured).
 */
export const SHORT_RUNS: Readonly<
  Record<
    string,
    {
      epochs: number;
      batches: number;
      batchSize: number;
      size: number;
      bookSeconds: number;
      /** A smaller mini-batch for the short run, and why the book's does not fit. */
      memory?: { batchSize: number; why: string };
    }
  >
> = {
  'examples/alexnet.ts': {
    epochs: 1,
    batches: 2,
    batchSize: 128,
    size: 224,
    bookSeconds: 66,
  },
  'examples/vgg.ts': {
    epochs: 1,
    batches: 2,
    batchSize: 128,
    size: 224,
    bookSeconds: 135,
    memory: {
      batchSize: 32,
      why: 'with 128 the kernel grew past 10.7 GB and was killed for want of memory',
    },
  },
  'examples/nin.ts': {
    epochs: 1,
    batches: 2,
    batchSize: 128,
    size: 224,
    bookSeconds: 96,
  },
  'examples/googlenet.ts': {
    epochs: 1,
    batches: 2,
    batchSize: 128,
    size: 96,
    bookSeconds: 74,
  },
  'examples/resnet.ts': {
    epochs: 1,
    batches: 2,
    batchSize: 256,
    size: 96,
    bookSeconds: 57,
  },
  'examples/densenet.ts': {
    epochs: 1,
    batches: 2,
    batchSize: 256,
    size: 96,
    bookSeconds: 60,
  },
};

/** The second argument of `notebookArgs` for a short run: `{ epochs: 1, batches: 2 }`. */
const shortRunArg = (run: (typeof SHORT_RUNS)[string]): string =>
  `{ epochs: ${run.epochs}, batches: ${run.batches}${run.memory ? `, batchSize: ${run.memory.batchSize}` : ''} }`;

/** The markdown cell that says a notebook's run is short, what a full epoch takes, and where the figures are. */
function shortRunText(file: string, run: (typeof SHORT_RUNS)[string]): string {
  const name = path.basename(file, '.ts');
  const [train, test] = [Math.ceil(60000 / run.batchSize), Math.ceil(10000 / run.batchSize)];
  const page = `../docs/d2l/${name}.md`;
  return [
    '## A short run',
    '',
    `The book trains this network for 5 epochs on a GPU, ${run.bookSeconds} s per epoch. On a CPU a full`,
    `epoch, ${train} training batches of ${run.batchSize} images at ${run.size}x${run.size} and ${test} test batches, takes`,
    `hours on this machine's 2 cores, about 1 to 5 hours for the networks of 5.6-5.12:`,
    `[docs/d2l/${name}.md](${page}) has the time per batch measured here and the epoch it implies.`,
    'So the run committed here is short: the first code',
    `cell's \`notebookArgs({ epochs: 5 }, ${shortRunArg(run)})\` trains ${run.epochs} epoch and stops`,
    `every pass over a data set after ${run.batches} batches (it prints "a short run: ...")${
      run.memory
        ? `, in mini-batches of ${run.memory.batchSize} rather than the book's ${run.batchSize} (${run.memory.why})`
        : ''
    }. The epoch line below`,
    "is therefore the loss and accuracies of a network after those few updates, not the book's;",
    "its time is that of the few batches. For the book's run, drop the second argument of",
    "`notebookArgs` and expect hours per epoch. The book's five epoch lines, and a full run of ours",
    `once one is recorded, are on [docs/d2l/${name}.md](${page}) under "Results".`,
  ].join('\n');
}

/** The notebook file name of a source: `examples/mlp-scratch.ts` -> `mlp-scratch.ipynb`. */
export const notebookName = (source: string): string => `${path.basename(source, '.ts')}.ipynb`;

interface Cell {
  cell_type: 'markdown' | 'code';
  id: string;
  metadata: Record<string, unknown>;
  source: string[];
  outputs?: unknown[];
  execution_count?: number | null;
}

interface Notebook {
  cells: Cell[];
  metadata: Record<string, unknown>;
  nbformat: number;
  nbformat_minor: number;
}

const lines = (text: string): string[] => {
  const all = text.split('\n');
  return all.map((l, i) => (i < all.length - 1 ? `${l}\n` : l)).filter((l) => l !== '');
};

/**
 * Rewrites an example's top-level and block code for a notebook (see the file's header). A
 * picture is shown with `await d2l.display(file)` (the kernel sends it asynchronously); a function
 * that shows one becomes `async` and its calls `await` it.
 */
function forNotebook(code: string): string {
  return code
    .replace(/\bparseArgs\(/g, 'notebookArgs(')
    .replace(/console\.log\(`wrote \$\{(\w+)\}`\);/g, 'await d2l.display($1);');
}

/**
 * Deno's kernel shows the completion value of a cell, which after a trailing declaration is the
 * value of an earlier expression (an assignment, say); Python's shows a value only when the last
 * statement is an expression. A cell whose last statement is not one ends in `void 0;`, as quiet
 * as the book's. So does one that ends in `net.add(...)`: Gluon's `add` returns None, ours the
 * network (for chaining), which the kernel would print in full.
 */
function quietEnds(cells: string[]): string[] {
  return cells.map((code) => {
    const starts = code.split('\n').filter((l) => /^[^\s)\]}.]/.test(l) && !/^\/\//.test(l));
    const last = starts.at(-1) ?? '';
    const declaration =
      /^(const|let|var|function|async function|class|for|while|if|try|switch|interface|type)\b/;
    const expressions = starts.some(
      (l) => !declaration.test(l) && !/^(import |console\.log\(|await d2l\.display\()/.test(l),
    );
    if (/^net\.add\(/.test(last)) return `${code}\nvoid 0;`;
    return declaration.test(last) && expressions ? `${code}\nvoid 0;` : code;
  });
}

/** The functions of the notebook that show a picture, made `async`; their calls `await` them. */
function awaitDisplays(cells: string[]): string[] {
  const shows = new Set<string>();
  const out = cells.map((code) =>
    code.replace(
      /^function (\w+)\(([\s\S]*?)\): void \{\n([\s\S]*?)\n\}$/gm,
      (all, name: string, params: string, body: string) => {
        if (!body.includes('await d2l.display(')) return all;
        shows.add(name);
        return `async function ${name}(${params}): Promise<void> {\n${body}\n}`;
      },
    ),
  );
  if (shows.size === 0) return out;
  const call = new RegExp(`^(${[...shows].join('|')})\\(`, 'gm');
  return out.map((code) => code.replace(call, 'await $1('));
}

/**
 * The top-level lines of a source outside its header and its `// #region` blocks: `before[0]` are
 * the lines before the first block (the imports, `const args = parseArgs(...)`), `before[k]` the
 * lines after block k-1, which stay after it. Comments and blank lines are dropped.
 */
function topLevel(source: string): string[][] {
  const all = source.split('\n');
  const end = all.findIndex((l) => l.trim().endsWith('*/'));
  const before: string[][] = [[]];
  let depth = 0;
  for (let i = end + 1; i < all.length; i++) {
    const l = all[i];
    if (/^\s*\/\/ #region /.test(l)) depth++;
    else if (/^\s*\/\/ #endregion/.test(l)) {
      depth--;
      before.push([]);
    } else if (depth === 0 && l.trim() && !/^\s*\/\//.test(l)) before[before.length - 1].push(l);
  }
  return before;
}

/** The cells of the notebook made from `source` (its text) at repository path `file`. */
export function notebookCells(file: string, source: string): Cell[] {
  const parsed = parseSource(source, file);
  const name = path.basename(file, '.ts');
  const m = /^d2l (\d+(?:\.\d+)*) (.+)$/.exec(parsed.title);
  if (!m)
    throw new Error(
      `${file}: the header's first line must be "d2l <section> <title>", got "${parsed.title}"`,
    );
  const [, section, title] = m;
  // the command line's flags (a paragraph starting "Flags:") are not a notebook's
  const header = parsed.header
    .join('\n')
    .replace(/^Flags:[\s\S]*?(\n\n|(?![\s\S]))/m, '')
    .trim();
  const intro = [
    `# ${section} ${title}`,
    '',
    `A TypeScript notebook for section ${section}, "${title}", of *Dive into Deep Learning* (MXNet`,
    'edition; read the text and the Gluon code there). Each markdown cell below says in our words what',
    'the Gluon code of the block does; the code cell under it is the same thing in minimx.',
    '',
    header,
    '',
    `Generated by [notebooks/generate.ts](generate.ts) from [${file}](../${file}); edit that file, not`,
    'this notebook.',
  ].join('\n');
  const top = topLevel(source);
  let code = top[0].filter((l) => !/\/cli\.js';$/.test(l)).map(forNotebook);
  code = code.map((l) => l.replace(/^notebookArgs\(/, 'const args = notebookArgs('));
  const short = SHORT_RUNS[file];
  if (short) {
    const call = /notebookArgs\((\{[^}]*\})\);/;
    if (!code.some((l) => call.test(l)))
      throw new Error(`${file}: a short run needs a parseArgs({ ... }) line`);
    code = code.map((l) => l.replace(call, `notebookArgs($1, ${shortRunArg(short)});`));
  }
  const imports = code.filter((l) => /^import /.test(l));
  const rest = code.filter((l) => !/^import /.test(l));
  const codes = quietEnds(
    awaitDisplays(
      parsed.regions.map((r, k) => forNotebook([r.code, ...(top[k + 1] ?? [])].join('\n').trim())),
    ),
  );
  const regions = parsed.regions.map((r, k) => ({ ...r, code: codes[k] }));
  const usesDisplay = regions.some((r) => r.code.includes('d2l.display('));
  if (usesDisplay && !imports.some((l) => /^import \* as d2l from '@minimx\/d2l';$/.test(l))) {
    imports.push("import * as d2l from '@minimx/d2l';");
  }
  if (rest.some((l) => l.includes('notebookArgs(')))
    imports.push("import { notebookArgs } from './args.ts';");
  code = [...imports, ...(rest.length ? ['', ...rest] : [])];
  const cells: Cell[] = [];
  const add = (type: Cell['cell_type'], text: string) => {
    const cell: Cell = {
      cell_type: type,
      id: `${name}-${cells.length}`.slice(0, 64),
      metadata: {},
      source: lines(text),
    };
    if (type === 'code') Object.assign(cell, { execution_count: null, outputs: [] });
    cells.push(cell);
  };
  add('markdown', intro);
  add('code', code.join('\n'));
  const training = regions.map((r) => /\btrainCh5\(/.test(r.code)).lastIndexOf(true);
  if (short && training < 0) throw new Error(`${file}: a short run needs a region that calls trainCh5`);
  for (const [k, r] of regions.entries()) {
    if (short && k === training) add('markdown', shortRunText(file, short));
    const helpers = r.helpers.length
      ? `\n\nFrom \`@minimx/d2l\` (the book's \`d2lzh\`): ${r.helpers.map((h) => `\`d2l.${h}\``).join(', ')}.`
      : '';
    add('markdown', `## ${r.title}\n\n${r.description.join('\n').trim()}${helpers}`);
    if (r.code) add('code', r.code);
  }
  return cells;
}

const METADATA = {
  kernelspec: { display_name: 'Deno', language: 'typescript', name: 'deno' },
  language_info: {
    codemirror_mode: 'typescript',
    file_extension: '.ts',
    mimetype: 'text/x.typescript',
    name: 'typescript',
    nbconvert_exporter: 'script',
    pygments_lexer: 'typescript',
  },
};

const sources = (nb: Notebook) => JSON.stringify(nb.cells.map((c) => [c.cell_type, c.source.join('')]));

/** A copy of a JSON value with every object's keys in sorted order. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(obj)
      .sort()
      .map((k) => [k, sortKeys(obj[k])]),
  );
}

/**
 * When only markdown cells changed (the code cells are the same, in the same order), the old
 * notebook's outputs are still those of its code: they move to `nb`. Returns whether they did.
 */
function keepOutputs(nb: Notebook, old: Notebook): boolean {
  const code = (n: Notebook) => n.cells.filter((c) => c.cell_type === 'code');
  const [now, before] = [code(nb), code(old)];
  if (
    JSON.stringify(now.map((c) => c.source.join(''))) !== JSON.stringify(before.map((c) => c.source.join('')))
  )
    return false;
  now.forEach((c, i) => {
    c.outputs = before[i].outputs;
    c.execution_count = before[i].execution_count;
    c.metadata = before[i].metadata;
  });
  nb.metadata = { ...nb.metadata, ...old.metadata };
  return true;
}

/** The notebooks whose cells' sources differ from their example's (or that are missing). */
export function outOfDate(): string[] {
  return NOTEBOOKS.filter((file) => {
    const target = path.join(NOTEBOOKS_DIR, notebookName(file));
    if (!fs.existsSync(target)) return true;
    const have = JSON.parse(fs.readFileSync(target, 'utf8')) as Notebook;
    const want = {
      cells: notebookCells(file, fs.readFileSync(path.join(REPO_DIR, file), 'utf8')),
    } as Notebook;
    return sources(have) !== sources(want);
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const stale = outOfDate();
  if (process.argv.includes('--check')) {
    for (const file of stale) console.log(`notebooks/${notebookName(file)} is out of date with ${file}`);
    process.exit(stale.length ? 1 : 0);
  }
  for (const file of stale) {
    const target = path.join(NOTEBOOKS_DIR, notebookName(file));
    const nb: Notebook = {
      cells: notebookCells(file, fs.readFileSync(path.join(REPO_DIR, file), 'utf8')),
      metadata: METADATA,
      nbformat: 4,
      nbformat_minor: 5,
    };
    const kept = fs.existsSync(target) && keepOutputs(nb, JSON.parse(fs.readFileSync(target, 'utf8')));
    // sorted keys, indent 1: how nbformat writes, so executing a notebook changes only its outputs
    fs.writeFileSync(target, `${JSON.stringify(sortKeys(nb), null, 1)}\n`);
    console.log(
      `wrote notebooks/${notebookName(file)} (${kept ? 'only markdown changed: outputs kept' : 'no outputs yet'})`,
    );
  }
}
