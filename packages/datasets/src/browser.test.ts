/**
 * The browser entry (`exports['.'].browser`) is the pure part of the Node entry: every name it has
 * is the very object index.ts exports, and `vision` carries `transforms` and the data sets that fetch
 * their files (fetch-vision.ts; tested in headless Chromium by test/browser-datasets.test.ts). That it pulls no
 * Node module is checked by bundling the packed package for a browser (test/consumer.test.ts).
 */
import { describe, expect, it } from 'vitest';
import * as browser from './browser.js';
import * as node from './index.js';
import * as raster from './raster.js';

describe('@minimx/datasets browser entry', () => {
  it('re-exports the Node entry’s own objects, minus the Node-only ones', () => {
    for (const [name, value] of Object.entries(browser)) {
      if (name === 'vision') continue;
      expect(name in node, name).toBe(true);
      expect(value, name).toBe((node as Record<string, unknown>)[name]);
    }
    for (const name of [
      'downloadFile',
      'fetchFile',
      'gunzip',
      'sha256Hex',
      'showFashionMnist',
      'defaultRoot',
    ])
      expect(name in browser, name).toBe(false);
  });

  it('keeps the package’s own helpers out of both entries (they are imported by module path)', () => {
    for (const name of [
      'checkRoot',
      'fileUrl',
      'fileUrls',
      'gluonRepoUrl',
      'cleanStaleTempFiles',
      'isGzip',
      'DEFAULT_MAX_OUTPUT_BYTES',
      'sha256Hex',
      'LINE_ROWS',
      'toBase64',
    ]) {
      expect(name in node, name).toBe(false);
      expect(name in browser, name).toBe(false);
    }
  });

  it('@minimx/datasets/raster (raster.ts) exports the picture API only: LINE_ROWS and toBase64 are raster-helpers.ts’s', () => {
    expect(Object.keys(raster).sort()).toEqual(['Canvas', 'encodePng', 'textWidth']);
  });

  it('has vision.transforms, the same module as the Node entry’s, and the fetching vision data sets', () => {
    expect(Object.keys(browser.vision).sort()).toEqual([
      'FashionMNIST',
      'MNIST',
      'transforms',
      'verifyIdxBytes',
    ]);
    expect(browser.vision.FashionMNIST).not.toBe(node.vision.FashionMNIST);
    expect(browser.vision.FashionMNIST.files).toBe(node.vision.FashionMNIST.files);
    expect(browser.vision.transforms).toBe(node.vision.transforms);
    expect(browser.transforms.ToTensor).toBe(node.transforms.ToTensor);
  });
});
