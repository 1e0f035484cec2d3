/**
 * The browser `loadDataFashionMnist`, run under Node with @minimx/datasets resolved to its browser
 * entry (as a bundler's `browser` condition resolves it), so the files are fetched and checked by
 * the browser code (`fetch`, `DecompressionStream`, `crypto.subtle`, which Node has too). A `fetch`
 * option serves Debian's Fashion-MNIST files from /usr/share/datasets; skipped, with a message,
 * without them. test/browser-d2l-train.test.ts runs the same in headless Chromium.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadDataFashionMnist } from './browser-data.js';
import { limitBatches } from './data.js';

vi.mock('@minimx/datasets', () => import('../../datasets/src/browser.js'));

const DEBIAN = '/usr/share/datasets/fashion-mnist';
const present = existsSync(join(DEBIAN, 'train-images-idx3-ubyte.gz'));
if (!present)
  console.warn('d2l browser-data.test: no Fashion-MNIST (apt-get install dataset-fashion-mnist); skipping');

afterEach(() => limitBatches(Infinity));

/** A `fetch` over Debian's folder at `base`, recording the URLs asked for. */
function fetchFrom(base: string, asked: string[]) {
  return async (url: string): Promise<Response> => {
    asked.push(url);
    if (!url.startsWith(base)) return new Response('not found', { status: 404 });
    const file = join(DEBIAN, url.slice(base.length).split('/').pop() ?? '');
    return existsSync(file) ? new Response(readFileSync(file)) : new Response('not found', { status: 404 });
  };
}

describe('loadDataFashionMnist (browser)', () => {
  it('refuses a root folder and a bad batch size before fetching anything', async () => {
    const asked: string[] = [];
    const fetch = fetchFrom('http://h/', asked);
    await expect(
      loadDataFashionMnist(256, { root: '/tmp/x', fetch } as Parameters<typeof loadDataFashionMnist>[1]),
    ).rejects.toThrow(/^loadDataFashionMnist: a browser has no cache folder \(root\); give the URL/);
    await expect(loadDataFashionMnist(0, { fetch })).rejects.toThrow(
      /^loadDataFashionMnist: batchSize must be a positive integer, got 0/,
    );
    expect(asked).toEqual([]);
  });

  it.skipIf(!present)(
    'fetches both splits from url and gives the book’s batches',
    async () => {
      const asked: string[] = [];
      const [trainIter, testIter] = await loadDataFashionMnist(256, {
        url: 'http://h/data/',
        fetch: fetchFrom('http://h/data/', asked),
      });
      expect(asked.sort()).toEqual(
        [
          'train-images-idx3-ubyte.gz',
          'train-labels-idx1-ubyte.gz',
          't10k-images-idx3-ubyte.gz',
          't10k-labels-idx1-ubyte.gz',
        ]
          .map((f) => `http://h/data/${f}`)
          .sort(),
      );
      expect([trainIter.length, testIter.length]).toEqual([235, 40]);
      const [X, y] = testIter[Symbol.iterator]().next().value as [
        import('@minimx/ndarray').NDArray,
        import('@minimx/ndarray').NDArray,
      ];
      expect([X.shape, X.dtype, y.shape, y.dtype]).toEqual([[256, 1, 28, 28], 'float32', [256], 'int32']);
      // The test split in order: Debian's (upstream) first test labels.
      expect(Array.from(y.data.slice(0, 5) as Int32Array)).toEqual([9, 2, 1, 1, 6]);
      expect(X.max().asScalar()).toBe(1);
    },
    60_000,
  );

  it.skipIf(!present)(
    'resizes batch by batch, reads the Gluon layout of repoUrl, and is capped by limitBatches',
    async () => {
      const asked: string[] = [];
      limitBatches(2);
      const [trainIter, testIter] = await loadDataFashionMnist(16, {
        resize: 14,
        repoUrl: 'http://h/repo/',
        fetch: fetchFrom('http://h/repo/gluon/dataset/fashion-mnist/', asked),
      });
      expect(asked).toContain('http://h/repo/gluon/dataset/fashion-mnist/t10k-images-idx3-ubyte.gz');
      const shapes = [...trainIter].map(([X]) => X.shape);
      expect(shapes).toEqual([
        [16, 1, 14, 14],
        [16, 1, 14, 14],
      ]);
      expect(testIter.length).toBe(2);
    },
    60_000,
  );

  it('rejects with the URL when a file is missing', async () => {
    await expect(
      loadDataFashionMnist(256, { url: 'http://h/nowhere/', fetch: fetchFrom('http://h/data/', []) }),
    ).rejects.toThrow(/http:\/\/h\/nowhere\/t(rain|10k)-(images|labels)-idx[13]-ubyte\.gz failed: HTTP 404/);
  });
});
