/**
 * Keeps docs/d2l/ in step with the example files: regenerates every page in memory with
 * examples/gen-docs.ts and fails, naming the page, when the file on disk differs (run
 * `npx tsx examples/gen-docs.ts` to rewrite them). Also checks the block conventions the generator
 * relies on: every example has a header and regions, and every `// helpers:` name is a region of
 * @minimx/d2l's sources (packages/d2l/src).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOCS_DIR, epochLines, generateDocs, PAGES, parseSource } from './gen-docs.js';

describe('docs/d2l pages', () => {
  const pages = generateDocs();

  for (const [name, text] of pages) {
    it(`docs/d2l/${name} matches the example files (else run: npx tsx examples/gen-docs.ts)`, () => {
      const file = path.join(DOCS_DIR, name);
      expect(fs.existsSync(file), `${file} exists`).toBe(true);
      expect(fs.readFileSync(file, 'utf8')).toBe(text);
    });
  }

  it('has no stale page that no example generates', () => {
    const onDisk = fs.readdirSync(DOCS_DIR).filter((f) => f.endsWith('.md'));
    expect(onDisk.sort()).toEqual([...pages.keys()].sort());
  });

  it('every example opens with the d2l section it follows and has blocks', () => {
    for (const spec of PAGES) {
      const parsed = parseSource(
        fs.readFileSync(path.join(DOCS_DIR, '..', '..', 'examples', spec.file), 'utf8'),
      );
      expect(parsed.title).toMatch(/^d2l [345]\.\d+ /);
      expect(parsed.regions.length).toBeGreaterThan(0);
    }
  });
});

describe('parseSource', () => {
  it('splits a file into header, descriptions, helpers and code', () => {
    const src = [
      '/**',
      ' * d2l 9.9 Title',
      ' *',
      ' * Body.',
      ' */',
      'const a = 1;',
      '// #region Block one',
      '// What Gluon does.',
      '// helpers: sgd',
      '  const b = 2;',
      '// #endregion',
    ].join('\n');
    const parsed = parseSource(src);
    expect(parsed.title).toBe('d2l 9.9 Title');
    expect(parsed.regions).toEqual([
      { title: 'Block one', description: ['What Gluon does.'], helpers: ['sgd'], code: 'const b = 2;' },
    ]);
  });

  it('names the file and line of an unclosed region', () => {
    expect(() => parseSource('/** x */\n// #region open\nconst a = 1;', 'f.ts')).toThrow(
      /f\.ts:2: #region "open"/,
    );
  });

  it('reads epoch lines out of a results file', () => {
    expect(epochLines('$ cmd\nepoch 1, loss 0.7866, train acc 0.749, test acc 0.793\nwrote x')).toEqual([
      { epoch: 1, text: 'epoch 1, loss 0.7866, train acc 0.749, test acc 0.793' },
    ]);
  });
});
