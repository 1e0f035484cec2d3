/**
 * The browser entry beside the Node entry: it has the same names, and every name but the four it
 * replaces (`loadDataFashionMnist`, `showFashionMnist`, `showImages`, `plotHistory`) is the Node
 * entry's own object (one `limitBatches` cap, one `plt`); the three picture writers throw an error
 * naming the alternative; a training loop's `plot` option refuses without a file system, before
 * the first batch. The
 * browser `loadDataFashionMnist` itself is tested in browser-data.test.ts (and in Chromium by
 * test/browser-d2l-train.test.ts).
 */
import { cpu, nd } from '@minimx/ndarray';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as browser from './browser.js';
import * as node from './index.js';

afterEach(() => {
  vi.unstubAllGlobals();
  node.limitBatches(Infinity);
});

const REPLACED = ['loadDataFashionMnist', 'plotHistory', 'showFashionMnist', 'showImages'];

describe('the browser entry', () => {
  it('has the Node entry’s names, the same objects except the four it replaces', () => {
    expect(Object.keys(browser).sort()).toEqual(Object.keys(node).sort());
    for (const name of Object.keys(node) as (keyof typeof node)[]) {
      const same = (browser as Record<string, unknown>)[name] === node[name];
      expect(same, name).toBe(!REPLACED.includes(name));
    }
  });

  it('throws from the picture writers, naming what to use instead', () => {
    const X = nd.zeros([2, 28, 28, 1], { dtype: 'uint8' });
    expect(() => browser.showFashionMnist(X, ['a', 'b'])).toThrow(
      /^showFashionMnist: writes a picture file, which a browser cannot \(Node only\); in a page draw the images on a <canvas>/,
    );
    expect(() => browser.showImages(X, 1, 2)).toThrow(/^showImages: .*Node only.*<canvas>/);
    const history = { loss: [1], trainAcc: [0.5], testAcc: [0.5], time: [1], epochs: [] };
    expect(() => browser.plotHistory(history, 'out/h.svg')).toThrow(
      /^plotHistory: .*use d2l\.historyFigure\(history\)\.toSvg\(\)/,
    );
  });

  it('trains with the shared loop; its plot option refuses, before training, where there is no file system', () => {
    vi.stubGlobal('process', { ...process, getBuiltinModule: undefined });
    const X = nd.array([
      [1, 0],
      [0, 1],
    ]);
    const y = nd.array([0, 1], { dtype: 'int32' });
    const W = nd.zeros([2, 2]);
    W.attachGrad();
    const net = (x: typeof X) => x.dot(W);
    const loss = (yHat: typeof X, labels: typeof X) => yHat.logSoftmax().pick(labels).neg();
    const iter = [[X, y] as const];
    const run = (plot?: boolean) =>
      browser.trainCh3(net, iter, iter, loss, 1, 2, [W], 0.5, undefined, { quiet: true, plot });
    expect(run().testAcc).toHaveLength(1);
    const trained = Array.from(W.data as Float32Array);
    // Refused before the first batch, so no training is lost to the error.
    expect(() => run(true)).toThrow(
      /^trainCh3: plot writes a file, which needs a file system \(Node\); drop it and draw d2l\.historyFigure\(history\)\.toSvg\(\)/,
    );
    expect(Array.from(W.data as Float32Array)).toEqual(trained);
    expect(() =>
      browser.trainCh5(net, iter, iter, 2, { step() {} }, cpu(), 1, { quiet: true, plot: 'out/h.svg' }),
    ).toThrow(/^trainCh5: plot writes a file/);
  });
});
