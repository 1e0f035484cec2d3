/**
 * Headless Chromium for the browser tests: `readPageOut(url)` loads a page with Debian's chromium
 * (the flags this closed network needs: no background networking, sync or component updates; a
 * fresh profile folder, removed afterwards) and returns the JSON its script wrote into `<pre id="out">`.
 * `openPage(url)` drives a page over the DevTools protocol (on a pipe, no port) for tests that wait
 * on a page's state, evaluate in it, and take screenshots.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where Debian's `chromium` package installs the browser (.ci/run installs it). */
export const CHROMIUM = '/usr/bin/chromium';

/** The flags of every launch: headless, and nothing that reaches for the network by itself. */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Undoes the HTML escaping Chromium's `--dump-dom` applies to the text of `#out`. */
function unescapeHtml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/**
 * Loads `url` in headless Chromium (30 s of virtual time) and parses the JSON in its `#out` element.
 * @example const result = await readPageOut<{ error?: string }>('http://127.0.0.1:8080/');
 */
export async function readPageOut<T>(url: string): Promise<T> {
  const profile = mkdtempSync(join(tmpdir(), 'minimx-chromium-'));
  try {
    const args = [...FLAGS, `--user-data-dir=${profile}`, '--virtual-time-budget=30000', '--dump-dom', url];
    const dom = await new Promise<string>((done, fail) =>
      execFile(CHROMIUM, args, { timeout: 90_000, maxBuffer: 1 << 22 }, (err, stdout) =>
        err ? fail(err) : done(stdout),
      ),
    );
    const text = /<pre id="out">([\s\S]*?)<\/pre>/.exec(dom)?.[1] ?? '';
    return JSON.parse(unescapeHtml(text)) as T;
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

/** A page in headless Chromium, driven over the DevTools protocol. */
export interface ChromiumPage {
  /** Evaluates `expression` in the page (awaiting a Promise) and returns its value as JSON. */
  evaluate<T>(expression: string): Promise<T>;
  /** Polls `expression` every 250 ms until it is truthy, then returns its value; throws after `timeoutMs`. */
  waitFor<T>(expression: string, timeoutMs: number): Promise<T>;
  /** Writes a PNG of the whole page (the viewport's width, the document's height) to `path`. */
  screenshot(path: string): Promise<void>;
  /** Messages the page logged (`console.*`) and its uncaught exceptions. */
  readonly console: string[];
  /** Closes the browser and removes its profile folder. */
  close(): Promise<void>;
}

/**
 * Opens `url` in headless Chromium with a `width`x`height` viewport, driven over the DevTools
 * protocol on a pipe (`--remote-debugging-pipe`: JSON messages ended by NUL on file descriptors 3
 * and 4), so no port is opened.
 * @example const page = await openPage('http://127.0.0.1:8080/'); await page.screenshot('out.png');
 */
export async function openPage(url: string, { width = 1280, height = 900 } = {}): Promise<ChromiumPage> {
  const profile = mkdtempSync(join(tmpdir(), 'minimx-chromium-'));
  const child = spawn(
    CHROMIUM,
    [
      ...FLAGS,
      `--user-data-dir=${profile}`,
      '--remote-debugging-pipe',
      `--window-size=${width},${height}`,
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] },
  );
  const toBrowser = child.stdio[3] as NodeJS.WritableStream;
  const fromBrowser = child.stdio[4] as NodeJS.ReadableStream;
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr = (stderr + d).slice(-4000);
  });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const consoleLines: string[] = [];
  let nextId = 1;
  let buffer = '';
  const exited = new Promise<void>((done) => child.on('exit', () => done()));
  child.on('exit', (code) => {
    for (const p of pending.values()) p.reject(new Error(`chromium exited (${code}) ${stderr}`));
    pending.clear();
  });
  fromBrowser.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    for (let end = buffer.indexOf('\0'); end >= 0; end = buffer.indexOf('\0')) {
      const msg = JSON.parse(buffer.slice(0, end));
      buffer = buffer.slice(end + 1);
      if (msg.id !== undefined) {
        const p = pending.get(msg.id);
        pending.delete(msg.id);
        if (msg.error) p?.reject(new Error(`${msg.error.message} ${msg.error.data ?? ''}`.trim()));
        else p?.resolve(msg.result);
      } else if (msg.method === 'Runtime.consoleAPICalled') {
        consoleLines.push(
          `${msg.params.type}: ${msg.params.args.map((a: { value?: unknown; description?: string }) => a.value ?? a.description).join(' ')}`,
        );
      } else if (msg.method === 'Runtime.exceptionThrown') {
        consoleLines.push(
          `exception: ${msg.params.exceptionDetails?.exception?.description ?? msg.params.exceptionDetails?.text}`,
        );
      }
    }
  });
  // biome-ignore lint/suspicious/noExplicitAny: DevTools protocol results, read field by field
  const send = (method: string, params: object = {}, sessionId?: string): Promise<any> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      toBrowser.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    });
  const close = async () => {
    await send('Browser.close').catch(() => {});
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    rmSync(profile, { recursive: true, force: true });
  };
  try {
    const { targetId } = await send('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
    const session = (method: string, params: object = {}) => send(method, params, sessionId);
    await session('Runtime.enable');
    await session('Emulation.setDeviceMetricsOverride', {
      width,
      height,
      deviceScaleFactor: 1,
      mobile: false,
    });
    await session('Page.navigate', { url });
    const evaluate = async <T>(expression: string): Promise<T> => {
      const r = await session('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true });
      if (r.exceptionDetails) {
        throw new Error(
          `in the page: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`,
        );
      }
      return r.result.value as T;
    };
    return {
      evaluate,
      console: consoleLines,
      async waitFor<T>(expression: string, timeoutMs: number) {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const value = await evaluate<T>(expression).catch(() => undefined);
          if (value) return value;
          if (Date.now() > deadline) {
            throw new Error(
              `timed out after ${timeoutMs} ms waiting for ${expression}\n${consoleLines.join('\n')}`,
            );
          }
          await new Promise((r) => setTimeout(r, 250));
        }
      },
      async screenshot(path: string) {
        const full = await evaluate<number>('document.documentElement.scrollHeight');
        await session('Emulation.setDeviceMetricsOverride', {
          width,
          height: Math.max(height, full),
          deviceScaleFactor: 1,
          mobile: false,
        });
        const { data } = await session('Page.captureScreenshot', { format: 'png' });
        writeFileSync(path, Buffer.from(data, 'base64'));
        await session('Emulation.setDeviceMetricsOverride', {
          width,
          height,
          deviceScaleFactor: 1,
          mobile: false,
        });
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
