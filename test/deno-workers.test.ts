// The wasm backend's worker threads start under Deno (the notebooks' kernel), not only under Node:
// test/deno/worker-threads.ts runs large products in Deno and must see chunks done by the workers.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const DENO = path.join(ROOT, 'node_modules', '.bin', 'deno');

describe('wasm worker threads under Deno', () => {
  it('run chunks of a large product', () => {
    const out = execFileSync(
      DENO,
      [
        'run',
        '-A',
        '--config',
        path.join(ROOT, 'notebooks', 'deno.json'),
        path.join(ROOT, 'test', 'deno', 'worker-threads.ts'),
      ],
      {
        cwd: path.join(ROOT, 'notebooks'),
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
        timeout: 120_000,
      },
    );
    const chunks = Number(/worker chunks: (\d+)/.exec(out)?.[1] ?? -1);
    expect(chunks).toBeGreaterThan(0);
  }, 150_000);
});
