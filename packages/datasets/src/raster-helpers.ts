/**
 * What the package's own pictures (show.ts: `showFashionMnist`'s PNG and SVG) need beside
 * raster.ts's `Canvas`: the height of a line of text in raster.ts's 5x7 font, and Base64 for the
 * `data:` URLs of images embedded in an SVG. Kept out of raster.ts, whose exports are the public
 * `@minimx/datasets/raster`, and out of both package entries; modules and tests import it by path.
 */

/** Font rows per line of text (7 for a glyph, 2 for descenders, 1 of spacing). */
export const LINE_ROWS = 10;

/**
 * Base64 of `bytes` (for `data:` URLs), in Node and in a browser.
 *
 * MXNet counterpart: none.
 *
 * @example
 * ```ts
 * `data:image/png;base64,${toBase64(encodePng(rgb, w, h))}`;
 * ```
 */
export function toBase64(bytes: Uint8Array): string {
  const B = (globalThis as { Buffer?: { from(a: Uint8Array): { toString(enc: string): string } } }).Buffer;
  if (B) return B.from(bytes).toString('base64');
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}
