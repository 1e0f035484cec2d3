/**
 * Headless Chromium for the browser tests: `readPageOut(url)` loads a page with Debian's chromium
 * (the flags this closed network needs: no background networking, sync or component updates; a
 * fresh profile folder, removed afterwards) and returns the JSON its script wrote into `<pre id="out">`.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where Debian's `chromium` package installs the browser (.ci/run installs it). */
export const CHROMIUM = '/usr/bin/chromium';

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
    const args = [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${profile}`,
      '--virtual-time-budget=30000',
      '--dump-dom',
      url,
    ];
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
