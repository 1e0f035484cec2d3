/**
 * Crash safety of the files we write: a process killed with SIGKILL while it saves parameters
 * never leaves a half-written file under the final name. A child saves a 4 MB parameter file in a
 * loop (alternately all 1s and all 2s); it is killed at random moments; each time, the file at the
 * final name must parse and hold one round's values entirely. (The interrupted download is
 * covered in packages/datasets/src/download.test.ts.)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseParameterFile } from '@minimx/nn';
import { afterAll, describe, expect, it } from 'vitest';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const FIXTURE = path.join(REPO, 'test', 'reliability', 'fixtures', 'save-loop.ts');

function startSaver(file: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, file], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (d) => {
      err += d;
    });
    child.stdout!.on('data', (d) => {
      if (String(d).includes('saved')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`save-loop exited early (${code}): ${err}`)));
  });
}

describe('a process killed while saving parameters', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minimx-crash-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('leaves the previous or the new file under the final name, never a mix or a torn one', async () => {
    const file = path.join(dir, 'net.params');
    for (let kill = 0; kill < 4; kill++) {
      const child = await startSaver(file);
      await new Promise((r) => setTimeout(r, 20 + Math.floor(Math.random() * 200)));
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
      const arrays = parseParameterFile(new Uint8Array(fs.readFileSync(file)), file);
      const values = new Set<number>();
      for (const a of arrays.values()) for (const v of a.data) values.add(v);
      expect(values.size, `after kill ${kill + 1}`).toBe(1);
      expect([1, 2]).toContain([...values][0]);
    }
    const leftovers = fs.readdirSync(dir).filter((f) => f !== 'net.params');
    // Temp files of killed writers may remain (named net.params.tmp-<pid>-...), never the final name torn.
    for (const f of leftovers) expect(f).toMatch(/^net\.params\.tmp-/);
  });
});
