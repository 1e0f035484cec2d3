// Tests of argument validation at ndarray's public boundary: attachGrad on integer arrays,
// markVariables with too few gradients, positional axes of concat/stack, creation of integers out
// of range, shapes, indices and options of the wrong JavaScript type, huge allocations.
import { describe, expect, it } from 'vitest';
import { autograd, nd } from './index.js';

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
