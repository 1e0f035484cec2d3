/**
 * Checks the built API site (docs/api, from `npm run docs`) as a user meets it: the search box,
 * run exactly as the site's page runs it (lunr over assets/search.js, each word as `*word*`),
 * finds the page of each MXNet name our doc comments cite; every symbol has one page (the
 * umbrella and the datasets and d2l browser entries re-export, they do not repeat; the browser
 * entries' own names have pages under them); the guides and d2l pages are rendered documents.
 * Exits non-zero naming what is missing.
 * Usage: `node scripts/check-api-site.mjs [docs/api]`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';

const lunr = createRequire(import.meta.url)('lunr');
const site = process.argv[2] ?? 'docs/api';
const failures = [];

const script = readFileSync(join(site, 'assets/search.js'), 'utf8');
const encoded = script.match(/"([A-Za-z0-9+/=]+)"/)?.[1];
if (!encoded) throw new Error(`${site}/assets/search.js: no search data`);
const data = JSON.parse(inflateSync(Buffer.from(encoded, 'base64')).toString('utf8'));
const index = lunr.Index.load(data.index);
const rowName = (ref) => {
  const row = data.rows[Number(ref)];
  return row.parent ? `${row.parent}.${row.name}` : row.name;
};

// [what a reader of the book types, a page that must be among the first results]
const searches = [
  ['attach_grad', '@minimx/ndarray.NDArray.attachGrad'],
  ['collect_params', '@minimx/nn.nn.Block.collectParams'],
  ['Convolution', '@minimx/ndarray.nd.convolution'],
  ['SoftmaxCrossEntropyLoss', '@minimx/nn.loss.SoftmaxCrossEntropyLoss'],
  ['set_learning_rate', '@minimx/nn.Trainer.setLearningRate'],
  ['asnumpy', '@minimx/ndarray.NDArray.toArray'],
  ['keepdims', '@minimx/ndarray.nd.ReduceOptions.keepdims'],
  ['try_gpu', '@minimx/d2l.tryGpu'],
  ['train_ch5', '@minimx/d2l.trainCh5'],
  ['load_data_fashion_mnist', '@minimx/d2l.loadDataFashionMnist'],
  ['load_data_fashion_mnist', '@minimx/d2l (browser).loadDataFashionMnist'],
];
const FIRST = 30;
for (const [query, expected] of searches) {
  const hits = index.search(
    query
      .split(' ')
      .map((w) => `*${w}*`)
      .join(' '),
  );
  const names = hits.map((h) => rowName(h.ref));
  const at = names.indexOf(expected);
  if (at < 0 || at >= FIRST) {
    failures.push(
      `search '${query}': ${expected} is ${at < 0 ? 'not found' : `result ${at + 1}`} (first: ${names.slice(0, 5).join(', ')})`,
    );
  }
}

// One page per symbol: no class, interface or function page under the umbrella's modules.
for (const kind of ['classes', 'interfaces', 'functions', 'types', 'variables']) {
  const dir = join(site, kind);
  if (!existsSync(dir)) continue;
  const repeated = readdirSync(dir).filter((f) => f.startsWith('minimx.') || f.startsWith('minimx_'));
  if (repeated.length) failures.push(`${kind}/ repeats umbrella symbols: ${repeated.slice(0, 5).join(', ')}`);
}
// NDArray (under ndarray and the umbrella), DataLoader and Canvas (under the datasets Node and
// browser entries): one class page each.
for (const name of ['NDArray', 'DataLoader', 'Canvas']) {
  const pages = readdirSync(join(site, 'classes')).filter((f) => f.endsWith(`.${name}.html`));
  if (pages.length !== 1) failures.push(`${name} has ${pages.length} class pages: ${pages}`);
}
// The datasets browser entry (the `browser` condition) is a module of the site, with its own
// fetching vision.FashionMNIST.
const modulePages = readdirSync(join(site, 'modules'));
if (!modulePages.includes('_minimx_datasets_(browser).vision.html'))
  failures.push('the @minimx/datasets browser entry has no vision page');
// The d2l browser entry is a module too: its own pages are the fetching loadDataFashionMnist and
// the three picture writers that throw there (showFashionMnist, showImages, plotHistory, naming
// the alternative); the names it shares with the Node entry (trainCh3, historyFigure, sgd, Figure)
// stay one page each, under @minimx/d2l.
if (!modulePages.includes('_minimx_d2l_(browser).html'))
  failures.push('the @minimx/d2l browser entry has no page');
const functionPages = readdirSync(join(site, 'functions'));
for (const name of ['loadDataFashionMnist', 'showFashionMnist', 'showImages', 'plotHistory']) {
  if (!functionPages.includes(`_minimx_d2l_(browser).${name}.html`))
    failures.push(`the @minimx/d2l browser entry has no ${name} page`);
}
for (const [kind, name] of [
  ['functions', 'trainCh3'],
  ['functions', 'historyFigure'],
  ['functions', 'sgd'],
  ['classes', 'Figure'],
]) {
  const pages = readdirSync(join(site, kind)).filter((f) => f.endsWith(`.${name}.html`));
  if (pages.length !== 1 || pages[0] !== `_minimx_d2l.${name}.html`)
    failures.push(`${name} has ${pages.length} ${kind} pages (want _minimx_d2l.${name}.html only): ${pages}`);
}

// The guides and the d2l pages are documents of the site, not raw .md files.
const documents = new Set(existsSync(join(site, 'documents')) ? readdirSync(join(site, 'documents')) : []);
const guides = readdirSync('docs').filter((f) => f.endsWith('.md'));
const d2lPages = readdirSync('docs/d2l').filter((f) => f.endsWith('.md'));
for (const f of guides)
  if (!documents.has(f.replace(/\.md$/, '.html'))) failures.push(`docs/${f} is not a page`);
for (const f of d2lPages) {
  if (!documents.has(`d2l_${f.replace(/\.md$/, '.html')}`)) failures.push(`docs/d2l/${f} is not a page`);
}

if (failures.length) {
  console.error(`check-api-site: ${failures.length} problem(s) in ${site}:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
console.log(
  `check-api-site: ${searches.length} MXNet names found by search, one page per symbol, ${guides.length} guides and ${d2lPages.length} d2l pages rendered`,
);
