/**
 * Pictures inline in a Jupyter notebook (Deno's TypeScript kernel): `display` takes what the
 * picture functions return (the path of the `.png` / `.svg` file they wrote in Node, or the SVG
 * text they return in a browser) or a {@link Figure}, and sends it to the notebook through Deno's
 * display protocol (`Deno.jupyter.display`), as matplotlib's inline backend does for the book.
 * Outside a kernel it does nothing (`mimeBundle` gives the bundle), so example scripts can call it too.
 * Nothing is drawn twice: the bundle is the file (or SVG) the figure code already produced.
 */
import { Figure } from './figure.js';

/** A Jupyter MIME bundle: `image/png` (base64) or `image/svg+xml` (text). */
export type MimeBundle = { 'image/png': string } | { 'image/svg+xml': string };

type NodeFs = typeof import('node:fs');

interface JupyterApi {
  display(obj: unknown, options?: { raw?: boolean }): Promise<void>;
}

const jupyter = (): JupyterApi | undefined =>
  (globalThis as { Deno?: { jupyter?: JupyterApi } }).Deno?.jupyter;

function base64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function readFile(file: string): Uint8Array {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  if (typeof proc?.getBuiltinModule !== 'function') {
    throw new Error(`display: cannot read ${file}: no file system here`);
  }
  const fs = proc.getBuiltinModule('node:fs') as NodeFs;
  return new Uint8Array(fs.readFileSync(file));
}

/**
 * The MIME bundle of a picture: a {@link Figure} (as SVG), SVG text, or the path of a `.png` or
 * `.svg` file (what `showFashionMnist`, `showImages`, `semilogy`, `xyplot`, `plt.show` and
 * `plotHistory` return in Node).
 * @example d2l.mimeBundle('out/relu.svg')  // { 'image/svg+xml': '<svg ...' }
 */
export function mimeBundle(picture: Figure | string): MimeBundle {
  if (picture instanceof Figure) return { 'image/svg+xml': picture.toSvg() };
  if (typeof picture !== 'string') throw new TypeError('display: expected a Figure, SVG text or a file path');
  const text = picture.trimStart();
  if (text.startsWith('<svg') || text.startsWith('<?xml')) return { 'image/svg+xml': picture };
  const ext = /\.([^./\\]+)$/.exec(picture)?.[1]?.toLowerCase();
  if (ext === 'svg') return { 'image/svg+xml': new TextDecoder().decode(readFile(picture)) };
  if (ext === 'png') return { 'image/png': base64(readFile(picture)) };
  throw new RangeError(`display: expected SVG text or a .png / .svg file, got ${JSON.stringify(picture)}`);
}

/**
 * Shows a picture in the notebook cell that calls it (Deno's Jupyter kernel), as many times as it
 * is called (in a loop too); elsewhere does nothing (after checking the picture). Accepts what the figure
 * functions return, or a {@link Figure}. Await it (`await d2l.display(file)`): the kernel sends the
 * picture asynchronously, and one still on its way when the cell ends can be lost or land under the
 * next cell. No d2lzh counterpart: matplotlib's inline backend does it.
 * @example await d2l.display(d2l.showFashionMnist(X.slice(0, 9), titles, { path: 'out/first-9.png' }));
 * @example await d2l.display(d2l.xyplot(x, x.relu(), 'relu'));
 */
export function display(picture: Figure | string): Promise<void> {
  const bundle = mimeBundle(picture);
  return jupyter()?.display(bundle, { raw: true }) ?? Promise.resolve();
}
