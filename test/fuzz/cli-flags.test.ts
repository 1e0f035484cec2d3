/**
 * Fuzzing the examples' command line (`parseFlags` of examples/cli.ts), the other outside input
 * every example reads: random argv lists built from the real flags, numbers of every kind
 * (negative, fractional, huge, NaN, hex, empty) and junk either parse into sane values (integers
 * in range, a folder name) or throw a RangeError that names the flag and shows the usage line.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFlags } from '../../examples/cli.js';
import { fcParams } from '../property/arbitraries.js';

const flag = fc.constantFrom(
  '--epochs',
  '--seed',
  '--batches',
  '--out',
  '--epoch',
  '-e',
  '--',
  '',
  '--seed=',
);
const value = fc.oneof(
  fc.integer({ min: -5, max: 1_000_000 }).map(String),
  fc.constantFrom(
    '0',
    '1',
    '1.5',
    '-1',
    '1e3',
    '0x10',
    'NaN',
    'Infinity',
    '',
    ' ',
    '9'.repeat(400),
    '__proto__',
  ),
  fc.string({ maxLength: 8 }),
);
const token = fc.oneof(
  flag,
  value,
  fc.tuple(flag, value).map(([f, v]) => `${f}=${v}`),
);

describe('parseFlags on random command lines', () => {
  it('returns sane values or a RangeError naming the flag with the usage line', () => {
    fc.assert(
      fc.property(fc.array(token, { maxLength: 8 }), (argv) => {
        let args: ReturnType<typeof parseFlags>;
        try {
          args = parseFlags(argv, { epochs: 5 });
        } catch (err) {
          expect(err).toBeInstanceOf(RangeError);
          expect((err as Error).message).toMatch(/usage: npx tsx examples/);
          expect((err as Error).message).toMatch(/^(--\w+: |unknown flag )/);
          return;
        }
        expect(Number.isSafeInteger(args.epochs) && args.epochs >= 0).toBe(true);
        expect(args.seed === undefined || (Number.isSafeInteger(args.seed) && args.seed >= 0)).toBe(true);
        expect(args.batches === Infinity || (Number.isSafeInteger(args.batches) && args.batches >= 1)).toBe(
          true,
        );
        expect(typeof args.out === 'string' && args.out.length > 0).toBe(true);
      }),
      fcParams(500),
    );
  });
});
