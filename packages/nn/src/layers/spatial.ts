/**
 * Helpers shared by the 2-D layers (Conv2D and the pooling layers): window sizes given as a
 * number or a pair, the layout check, and Python's spelling of tuples, booleans and floats, which
 * Gluon's `__repr__` prints (`kernel_size=(5, 5)`, `ceil_mode=False`, `eps=1e-05`).
 */

/** A 2-D size: one number for both axes, or `[height, width]`. MXNet: an int or a 2-tuple. */
export type Size2 = number | readonly [number, number];

function describe(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => String(v)).join(', ')}]`;
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/**
 * Expands a number or a pair into `[h, w]`, each an integer of at least `min`, or throws naming
 * the layer and the option: `conv0: strides must be an integer >= 1 or a pair of them, got [0, 1]`.
 */
export function toPair(where: string, option: string, value: unknown, min: number): [number, number] {
  const pair = typeof value === 'number' ? [value, value] : value;
  if (
    Array.isArray(pair) &&
    pair.length === 2 &&
    pair.every((v) => typeof v === 'number' && Number.isInteger(v) && v >= min)
  ) {
    return [pair[0], pair[1]];
  }
  throw new RangeError(
    `${where}: ${option} must be an integer >= ${min} or a pair of them, got ${describe(value)}`,
  );
}

/** Only NCHW is implemented; any other layout is an error naming the layer. */
export function checkLayout(where: string, layout: unknown): 'NCHW' {
  if (layout === undefined || layout === 'NCHW') return 'NCHW';
  throw new RangeError(`${where}: layout ${describe(layout)} is not supported; only 'NCHW' is implemented`);
}

/** A boolean option, its default when omitted; anything else is a TypeError naming the layer and the option. */
export function toBool(where: string, option: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value === 'boolean') return value;
  throw new TypeError(`${where}: ${option} must be true or false, got ${describe(value)}`);
}

/** Throws unless `x` is 4-D (N, C, H, W). */
export function check4D(where: string, shape: readonly number[], formatted: string): void {
  if (shape.length !== 4) {
    throw new RangeError(
      `${where}: expected a 4-D input (N, C, H, W) for layout NCHW, got ${shape.length}-D input ${formatted}`,
    );
  }
}

/** Python's tuple spelling: `(5, 5)`, `(1,)`. */
export function pyTuple(values: readonly number[]): string {
  return values.length === 1 ? `(${values[0]},)` : `(${values.join(', ')})`;
}

/** Python's `True` / `False`. */
export function pyBool(value: boolean): string {
  return value ? 'True' : 'False';
}

/**
 * Python's `repr` of a float: the shortest round-trip digits as in JavaScript, but in exponent form
 * below 1e-4 and from 1e16 on, with a two-digit exponent (`1e-05`), and `.0` on whole numbers.
 */
export function pyFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa, exponentText] = x.toExponential().split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 16) {
    return `${mantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  const plain = String(x);
  return plain.includes('.') ? plain : `${plain}.0`;
}

/** Prefixes an op's error with the layer's name (`conv0: ...`), keeping its class. */
export function rethrowAs(where: string, error: unknown): never {
  if (error instanceof Error) {
    const Ctor = error instanceof RangeError ? RangeError : error instanceof TypeError ? TypeError : Error;
    throw new Ctor(`${where}: ${error.message}`, { cause: error });
  }
  throw error;
}
