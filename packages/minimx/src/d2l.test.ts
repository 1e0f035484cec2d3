/**
 * `minimx/d2l` is @minimx/d2l: the same functions and classes, so `import * as d2l from
 * 'minimx/d2l'` and `'@minimx/d2l'` are interchangeable.
 */
import * as pkg from '@minimx/d2l';
import { describe, expect, it } from 'vitest';
import * as d2l from './d2l.js';

describe('minimx/d2l', () => {
  it('re-exports every name of @minimx/d2l, identical', () => {
    expect(Object.keys(d2l).sort()).toEqual(Object.keys(pkg).sort());
    for (const name of Object.keys(pkg))
      expect((d2l as Record<string, unknown>)[name]).toBe((pkg as Record<string, unknown>)[name]);
    expect(String(d2l.tryGpu())).toBe('cpu(0)');
  });
});
