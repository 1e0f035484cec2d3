// Tests of argument validation at ndarray's public boundary: attachGrad on integer arrays,
// markVariables with too few gradients, positional axes of concat/stack, creation of integers out
// of range, shapes, indices and options of the wrong JavaScript type, huge allocations.
import { describe, expect, it } from 'vitest';
import { autograd, NDArray, nd } from './index.js';

describe('attachGrad and markVariables', () => {
  it('refuse integer arrays with a clear error (their gradients would be zeros)', () => {
    for (const dtype of ['int32', 'uint8'] as const) {
      expect(() => nd.array([1, 2, 3], { dtype }).attachGrad()).toThrow(
        `attachGrad: cannot differentiate an array of dtype ${dtype} (shape (3,)): gradients need float32 or float64`,
      );
      nd.array([1], { dtype }).attachGrad({ gradReq: 'null' }); // detaching is fine
    }
    const x = nd.array([1, 2], { dtype: 'float64' });
    x.attachGrad();
    expect(x.grad!.dtype).toBe('float64');
  });
  it('markVariables needs one gradient buffer of the right shape per variable', () => {
    const a = nd.zeros([2]);
    const b = nd.zeros([3]);
    expect(() => autograd.markVariables([a, b], [nd.zeros([2])])).toThrow(
      'markVariables: expected one gradient buffer per variable, got 2 variables and 1 gradients',
    );
    expect(() => autograd.markVariables([a], [nd.zeros([3])])).toThrow(
      "markVariables: gradient 0 must be an NDArray of the variable's shape (2,), got (3,)",
    );
    expect(a.gradReq).toBe('null');
  });
});

describe('concat and stack with a positional axis (plain JavaScript)', () => {
  const a = nd.array([[1, 2]]);
  const b = nd.array([[3, 4]]);
  it('a trailing number is the axis, not an options object', () => {
    expect(nd.concat(a, b, 0).shape).toEqual([2, 2]);
    expect(nd.concat(a, b, 1).shape).toEqual([1, 4]);
    expect(nd.concat([a, b], 0).shape).toEqual([2, 2]);
    expect(nd.stack(a, b, 1).shape).toEqual([1, 2, 2]);
    expect(nd.stack([a, b], -1).shape).toEqual([1, 2, 2]);
    expect(nd.stack(a, b).shape).toEqual([2, 1, 2]);
  });
  it('another trailing value is refused, naming it', () => {
    expect(() => nd.concat(a, b, '0' as never)).toThrow(
      'concat: the last argument must be an NDArray, an options object or the dim as a number, got string',
    );
    expect(() => nd.stack(a, b, null as never)).toThrow(
      'stack: the last argument must be an NDArray, an options object or the axis as a number, got null',
    );
    expect(() => nd.concat(a, b, 2)).toThrow(/concat/);
  });
});

describe('integers: out-of-range creation is refused, reductions keep the dtype as in MXNet', () => {
  it('nd.array and nd.full refuse values an integer dtype cannot hold (NaN, infinities, out of range)', () => {
    expect(() => nd.array([300], { dtype: 'uint8' })).toThrow('array: 300 does not fit in uint8 (0 to 255)');
    expect(() => nd.array([[1, -1]], { dtype: 'uint8' })).toThrow('array: -1 does not fit in uint8');
    expect(() => nd.array([Number.NaN], { dtype: 'int32' })).toThrow('array: NaN does not fit in int32');
    expect(() => nd.array([2 ** 31], { dtype: 'int32' })).toThrow('array: 2147483648 does not fit in int32');
    expect(() => nd.array(new Float32Array([Number.POSITIVE_INFINITY]), { dtype: 'int32' })).toThrow(
      'array: Infinity does not fit in int32',
    );
    expect(() => nd.full([2], 256, { dtype: 'uint8' })).toThrow('full: 256 does not fit in uint8');
    expect(Array.from(nd.array([2.7, -2.7, 255.5], { dtype: 'int32' }).data)).toEqual([2, -2, 255]); // truncated, as NumPy
    expect(Array.from(nd.array([0, 255], { dtype: 'uint8' }).data)).toEqual([0, 255]);
    expect(() => nd.full([2], 'abc' as never)).toThrow('full: the fill value must be a number, got "abc"');
  });
  it('astype is a C cast, as in MXNet: it truncates, wraps out-of-range values and maps NaN to 0 (documented)', () => {
    expect(Array.from(nd.array([300, -1, Number.NaN, 2.9]).astype('uint8').data)).toEqual([44, 255, 0, 2]);
  });
  it('a uint8 sum stays uint8 and wraps, as in MXNet; cast first to count', () => {
    const pixels = nd.full([784], 200, { dtype: 'uint8' });
    const s = pixels.sum();
    expect(s.dtype).toBe('uint8');
    expect(s.asScalar()).toBe((784 * 200) % 256);
    expect(pixels.astype('float32').sum().asScalar()).toBe(156800);
  });
  it('random.randint refuses bounds beyond int32 instead of returning negatives', () => {
    expect(() => nd.random.randint(0, 2 ** 33)).toThrow(
      "random.randint: low and high must lie within int32's range [-2147483648, 2147483648), got 0 and 8589934592",
    );
    expect(() => nd.random.randint(-(2 ** 31) - 1, 0)).toThrow(/int32's range/);
    const r = nd.random.randint(2 ** 31 - 2, 2 ** 31, { shape: 50 });
    expect(Array.from(r.data).every((v) => v === 2 ** 31 - 2 || v === 2 ** 31 - 1)).toBe(true);
  });
});

describe('shapes, nesting and sizes', () => {
  it('new NDArray refuses negative and fractional extents', () => {
    expect(() => new NDArray(new Float32Array(6), [-2, -3])).toThrow(
      'NDArray: shape must hold non-negative integers, got [-2, -3]',
    );
    expect(() => new NDArray(new Float32Array(3), [1.5, 2])).toThrow(
      'NDArray: shape must hold non-negative integers',
    );
  });
  it('a 100,000-deep nested array is refused, not a stack overflow', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(() => nd.array(deep as never)).toThrow(
      'array: nested more than 32 levels deep; an array has at most 32 axes',
    );
    let ok: unknown = 1;
    for (let i = 0; i < 32; i++) ok = [ok];
    expect(nd.array(ok as never).ndim).toBe(32);
  });
  it('a zero extent beside huge ones is an empty array; too many elements name the op and shape', () => {
    expect(nd.zeros([1e300, 1e300, 0]).size).toBe(0);
    expect(() => nd.zeros([1e6, 1e6])).toThrow(
      'zeros: shape (1000000,1000000) has 1000000000000 elements, more than the 4294967296 an array may hold',
    );
    expect(() => nd.ones([1e6, 1e6]).sum()).toThrow(/^ones: shape \(1000000,1000000\)/);
    // An op's computed output shape: named with its shape (it was `Invalid typed array length`).
    expect(() => nd.ones([100000, 1]).add(nd.ones([1, 100000]))).toThrow(
      /^cannot allocate an array of shape \(100000,100000\) of 10000000000 float32 elements \(37.3 GiB\)/,
    );
  });
});

describe('wrong JavaScript types and malformed indices name the argument', () => {
  const x = nd.array([
    [1, 2, 3],
    [4, 5, 6],
  ]);
  it('get(null), a slice with a 4th item, sum({ axis: "1" })', () => {
    expect(() => x.get(null as never)).toThrow(
      'get: an index must be a string, a number or a list, got null',
    );
    expect(() => x.get([[0, 5, 1, 99]] as never)).toThrow(
      'get: index item [0,5,1,99] on axis 0 is not a number, null or [start, stop, step]',
    );
    expect(() => x.get([['0', 1]] as never)).toThrow(/get: index item \["0",1\]/);
    expect(() => x.sum({ axis: '1' as never })).toThrow(
      'sum: axis must be an integer or a list of integers, got "1"',
    );
    expect(() => x.sum({ axis: ['1'] as never })).toThrow('sum: axis must be an integer, got "1"');
    expect(() => x.softmax({ axis: '1' as never })).toThrow('softmax: axis must be an integer, got "1"');
  });
  it('pick and take refuse an unknown mode', () => {
    expect(() => x.pick(nd.array([0, 1]), { mode: 'bogus' as never })).toThrow(
      "pick: mode must be 'clip' or 'wrap', got \"bogus\"",
    );
    expect(() => x.take(nd.array([0]), { mode: 'bogus' as never })).toThrow(
      "take: mode must be 'clip', 'wrap' or 'raise'",
    );
  });
});
