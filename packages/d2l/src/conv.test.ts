/**
 * Tests of the chapter-5 helpers: `corr2d` against the value the book prints for
 * X = arange(9).reshape(3,3), K = arange(4).reshape(2,2) (`[[19. 25.] [37. 43.]]`, d2l 5.1);
 * `Residual` gives the book's shapes (5.11: (4,3,6,6) kept, and (4,6,3,3) with the 1x1
 * convolution and stride 2) and computes relu(bn2(conv2(relu(bn1(conv1 X)))) + shortcut X);
 * `tryGpu` is cpu(0) on this machine, as the book's helper is without a GPU.
 */
import { autograd, cpu, nd } from '@minimx/ndarray';
import { nn } from '@minimx/nn';
import { describe, expect, it } from 'vitest';
import * as d2l from './index.js';

describe('corr2d', () => {
  it("gives the book's [[19, 25], [37, 43]]", () => {
    const Y = d2l.corr2d(nd.arange(9).reshape(3, 3), nd.arange(4).reshape(2, 2));
    expect(Y.shape).toEqual([2, 2]);
    expect(Y.toArray()).toEqual([
      [19, 25],
      [37, 43],
    ]);
  });

  it('detects the vertical edges of 5.1.3 with K = [[1, -1]]', () => {
    const X = nd.ones([6, 8]);
    X.set(':, 2:6', 0);
    const Y = d2l.corr2d(X, nd.array([[1, -1]]));
    expect(Y.shape).toEqual([6, 7]);
    expect((Y.toArray() as number[][])[0]).toEqual([0, 1, 0, 0, 0, -1, 0]);
  });

  it('refuses a kernel larger than the input, and non-2-D input', () => {
    expect(() => d2l.corr2d(nd.zeros([2, 2]), nd.zeros([3, 1]))).toThrow(
      /corr2d: kernel \(3,1\) is larger than X \(2,2\)/,
    );
    expect(() => d2l.corr2d(nd.zeros([1, 2, 2]), nd.zeros([1, 1]))).toThrow(/corr2d: expected 2-D/);
  });
});

describe('Residual', () => {
  it("keeps (4,3,6,6), and halves to (4,6,3,3) with use1x1conv and strides 2 (the book's shapes)", () => {
    const X = nd.random.uniform({ shape: [4, 3, 6, 6] });
    const blk = new d2l.Residual(3);
    blk.initialize();
    expect(blk(X).shape).toEqual([4, 3, 6, 6]);
    const blk2 = new d2l.Residual(6, { use1x1conv: true, strides: 2 });
    blk2.initialize();
    expect(blk2(X).shape).toEqual([4, 6, 3, 3]);
    expect(blk2.conv3).toBeInstanceOf(nn.Conv2D);
    expect(blk.conv3).toBeNull();
    // conv1, conv2, conv3: weight and bias; bn1, bn2: gamma, beta, running mean and variance
    expect(blk2.collectParams().size).toBe(14);
    expect(blk.collectParams().size).toBe(12);
  });

  it('computes relu(bn2(conv2(relu(bn1(conv1 X)))) + conv3 X), and trains', () => {
    const X = nd.random.normal({ shape: [2, 2, 5, 5] });
    const blk = new d2l.Residual(4, { use1x1conv: true });
    blk.initialize();
    const [out, expected] = autograd.record(() => {
      const out = blk(X);
      const Y = blk.bn2(blk.conv2(blk.bn1(blk.conv1(X)).relu()));
      return [out, Y.add(blk.conv3!(X)).relu()];
    });
    expect(out.toArray()).toEqual(expected.toArray());
    expect(out.min().asScalar()).toBeGreaterThanOrEqual(0);
    const l = autograd.record(() => blk(X).sum());
    l.backward();
    expect(blk.conv1.weight.grad().abs().sum().asScalar()).toBeGreaterThan(0);
  });
});

describe('tryGpu', () => {
  it('is cpu(0) on a machine without a GPU', () => {
    const ctx = d2l.tryGpu();
    expect(ctx).toBe(cpu());
    expect(String(ctx)).toBe('cpu(0)');
  });
});
