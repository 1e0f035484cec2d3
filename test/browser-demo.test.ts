/**
 * The demo page (examples/web, `npm run demo`) in headless Chromium: served by its own server on
 * 127.0.0.1 with Debian's Fashion-MNIST files, it downloads them with the browser entry of
 * @minimx/datasets, trains the MLP for 40 batches in its Web Worker, and must show a falling loss,
 * a drawn chart, and 24 test images with true and predicted labels, and a second run must end at
 * its Stop button. A screenshot of the page after the first run goes to test-output/demo.png
 * (gitignored). Skipped without Chromium or the data set, except under CI.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDataDir, startDemoServer } from '../examples/web/serve.js';
import { CHROMIUM, openPage } from './chromium.js';

const root = resolve(__dirname, '..');
const ready = existsSync(CHROMIUM) && findDataDir() !== undefined;
if (!ready && process.env.CI) {
  throw new Error(
    'demo test: needs /usr/bin/chromium and Fashion-MNIST (apt-get install chromium dataset-fashion-mnist)',
  );
}

/** The screenshot's stable path. */
export const SCREENSHOT = join(root, 'test-output', 'demo.png');

describe.skipIf(!ready)('the demo page in headless Chromium', () => {
  let demo: Awaited<ReturnType<typeof startDemoServer>>;
  beforeAll(async () => {
    demo = await startDemoServer({ port: 0 });
  });
  afterAll(async () => {
    await demo?.close();
  });

  it('trains the MLP for 40 batches: the loss falls, the chart and the predictions render; Stop stops', async () => {
    const page = await openPage(`${demo.url}?model=mlp&batches=40&evalEvery=10&autostart=1`, {
      width: 1280,
      height: 900,
    });
    try {
      const state = await page.waitFor<string>(
        "['done', 'error'].includes(window.demo?.state) && window.demo.state",
        90_000,
      );
      // biome-ignore lint/suspicious/noExplicitAny: the page's window.demo, checked field by field below
      const run = await page.evaluate<any>('window.demo');
      expect(run.error, page.console.join('\n')).toBe('');
      expect(state).toBe('done');
      expect(run.model).toBe('mlp');
      expect(run.backend).toBe('wasm');
      expect(run.losses).toHaveLength(40);
      const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
      // The first batches of the MLP start near ln(10) = 2.30; 40 batches at lr 0.5 bring it near 0.8.
      expect(run.losses[0]).toBeGreaterThan(2);
      expect(mean(run.losses.slice(-10))).toBeLessThan(0.7 * mean(run.losses.slice(0, 5)));
      expect(run.evals.map((e: { step: number }) => e.step)).toEqual([10, 20, 30, 40]);
      expect(run.evals.at(-1).testAcc).toBeGreaterThan(0.5);
      expect(run.predictions).toHaveLength(24);
      // The grid: 24 images, each with its true label (the first test label is 9, ankle boot) and a prediction.
      const cells = await page.evaluate<{ truth: string; pred: string; cls: string; ink: number }[]>(`
        Array.from(document.querySelectorAll('#grid figure')).map((f) => {
          const px = f.querySelector('canvas').getContext('2d').getImageData(0, 0, 28, 28).data;
          let ink = 0;
          for (let i = 0; i < px.length; i += 4) if (px[i] < 200) ink++;
          return { truth: f.querySelector('.truth').textContent, pred: f.querySelector('.pred').textContent, cls: f.className, ink };
        })`);
      expect(cells).toHaveLength(24);
      expect(cells[0].truth).toBe('ankle boot');
      for (const c of cells) {
        expect(c.pred).toMatch(/^[✓✗] [a-z -]+$/);
        expect(['right', 'wrong']).toContain(c.cls);
        expect(c.ink).toBeGreaterThan(20);
      }
      // The chart: pixels of the loss line's blue, the training accuracy's orange and the test accuracy's green.
      const colours = await page.evaluate<Record<string, number>>(`(() => {
        const c = document.getElementById('chart');
        const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        const n = { blue: 0, orange: 0, green: 0 };
        for (let i = 0; i < px.length; i += 4) {
          const [r, g, b, a] = [px[i], px[i + 1], px[i + 2], px[i + 3]];
          if (a < 200) continue;
          if (b > 200 && r < 80 && g < 130) n.blue++;
          else if (r > 200 && g > 60 && g < 120 && b < 40) n.orange++;
          else if (g > 130 && r < 60 && b < 100) n.green++;
        }
        return n;
      })()`);
      expect(colours.blue).toBeGreaterThan(200);
      expect(colours.orange).toBeGreaterThan(200);
      expect(colours.green).toBeGreaterThan(50);
      mkdirSync(join(root, 'test-output'), { recursive: true });
      await page.screenshot(SCREENSHOT);
      expect(existsSync(SCREENSHOT)).toBe(true);
      // Train again, then Stop: the worker sees the message between two batches.
      await page.evaluate("document.getElementById('train').click()");
      await page.waitFor("window.demo.state === 'training' && window.demo.losses.length >= 3", 30_000);
      await page.evaluate("document.getElementById('train').click()");
      await page.waitFor("window.demo.state === 'done'", 30_000);
      const stopped = await page.evaluate<[number, string]>(
        "[window.demo.losses.length, document.getElementById('status').textContent]",
      );
      expect(stopped[0]).toBeLessThan(40);
      expect(stopped[1]).toBe(`Stopped after ${stopped[0]} batches.`);
    } finally {
      await page.close();
    }
  }, 120_000);
});
