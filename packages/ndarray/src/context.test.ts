// Tests of device contexts: cpu()/gpu() values, printing and equality, x.context, asInContext,
// copyto, validated ctx options on creation routines, the no-GPU error, waitall/waitToRead.
import { describe, expect, it } from 'vitest';
import {
  autograd,
  Context,
  context,
  cpu,
  DeviceUnavailableError,
  gpu,
  type NDArray,
  nd,
  numGpus,
} from './index.js';

describe('Context values', () => {
  it('print as MXNet does and compare by type and index', () => {
    expect(cpu().toString()).toBe('cpu(0)');
    expect(String(gpu(1))).toBe('gpu(1)');
    expect(cpu().deviceType).toBe('cpu');
    expect(gpu(2).deviceId).toBe(2);
    expect(cpu().equals(cpu(0))).toBe(true);
    expect(cpu().equals(gpu())).toBe(false);
    expect(gpu(0).equals(gpu(1))).toBe(false);
    expect(cpu().equals('cpu(0)')).toBe(false);
    // interned: === agrees with equals, and new Context gives the same object
    expect(new Context('gpu', 1)).toBe(gpu(1));
    expect(cpu(0)).toBe(cpu());
    expect(Object.isFrozen(cpu())).toBe(true);
  });
  it('reject a bad device type or index', () => {
    // @ts-expect-error not a device type
    expect(() => new Context('tpu')).toThrow(`Context: deviceType must be 'cpu' or 'gpu', got "tpu"`);
    expect(() => gpu(-1)).toThrow('Context: deviceId must be a non-negative integer, got -1');
    expect(() => cpu(0.5)).toThrow(RangeError);
  });
  it('the default is cpu(0), and there are no GPUs', () => {
    expect(Context.default).toBe(cpu());
    expect(context.currentContext()).toBe(cpu());
    expect(numGpus()).toBe(0);
    expect(context.numGpus()).toBe(0);
  });
});

describe('x.context, asInContext and copyto', () => {
  it('every array lives on cpu(0) and prints it', () => {
    const x = nd.array([1, 2, 3]);
    expect(x.context).toBe(cpu());
    expect(x.ctx).toBe(cpu());
    expect(x.context.equals(nd.zeros([2]).context)).toBe(true);
    expect(x.toString()).toMatch(/<NDArray 3 @cpu\(0\)>$/);
  });
  it('asInContext returns the same array when it is already there', () => {
    const y = nd.ones([2]);
    expect(y.asInContext(cpu())).toBe(y);
    expect(() => y.asInContext(gpu())).toThrow(DeviceUnavailableError);
    // @ts-expect-error a string is not a Context
    expect(() => y.asInContext('cpu')).toThrow(
      'asInContext: ctx must be a Context such as mx.cpu() or mx.gpu(0), got "cpu"',
    );
  });
  it('copyto(ctx) makes a new array, copyto(array) writes into it', () => {
    const x = nd.array([1, 2, 3]);
    const y = x.copyto(cpu());
    expect(y).not.toBe(x);
    expect(y.data).not.toBe(x.data);
    expect(y.toArray()).toEqual([1, 2, 3]);
    const z = nd.zeros([3], { dtype: 'int32' });
    expect(x.mul(1.5).copyto(z)).toBe(z);
    expect(z.toArray()).toEqual([1, 3, 4]);
    expect(() => x.copyto(nd.zeros([4]))).toThrow(
      'copyto: cannot copy an array of shape (3,) into one of shape (4,)',
    );
    expect(() => x.copyto(gpu(0))).toThrow('copyto: cannot place an array on gpu(0)');
  });
  it('copyto is recorded, so the gradient reaches the source', () => {
    const w = nd.array([1, 2]);
    w.attachGrad();
    const target = nd.zeros([2]);
    autograd.record(() => w.copyto(cpu()).mul(3).sum().add(w.copyto(target).square().sum())).backward();
    expect(w.grad!.toArray()).toEqual([5, 7]);
  });
});

describe('ctx options of creation routines', () => {
  const gpuOps: [string, () => NDArray][] = [
    ['zeros', () => nd.zeros([1], { ctx: gpu() })],
    ['ones', () => nd.ones([1], { ctx: gpu() })],
    ['full', () => nd.full([1], 2, { ctx: gpu() })],
    ['array', () => nd.array([1, 2], { ctx: gpu() })],
    ['arange', () => nd.arange(3, null, 1, { ctx: gpu() })],
    ['oneHot', () => nd.oneHot(nd.array([0]), 2, { ctx: gpu() })],
    ['random.normal', () => nd.random.normal({ shape: [2], ctx: gpu() })],
    ['random.uniform', () => nd.random.uniform(0, 1, [2], { ctx: gpu() })],
    ['random.randint', () => nd.random.randint(0, 5, { shape: [2], ctx: gpu() })],
    ['random.multinomial', () => nd.random.multinomial(nd.ones([3]), { ctx: gpu() })],
  ];
  it.each(gpuOps)('%s on gpu(0) fails naming the op, the context and the missing backend', (op, make) => {
    expect(make).toThrow(DeviceUnavailableError);
    expect(make).toThrow(
      `${op}: cannot place an array on gpu(0): minimx has no GPU backend yet (mx.context.numGpus() is 0); use mx.cpu()`,
    );
  });
  it('accept cpu() and reject anything that is not a Context', () => {
    expect(nd.zeros([2, 3], { ctx: cpu() }).shape).toEqual([2, 3]);
    expect(nd.array([1], { ctx: cpu(0) }).context).toBe(cpu());
    expect(nd.random.uniform({ shape: [2], ctx: cpu() }).shape).toEqual([2]);
    // @ts-expect-error a string is not a Context
    expect(() => nd.zeros([1], { ctx: 'gpu(0)' })).toThrow(TypeError);
    // @ts-expect-error a plain object is not a Context
    expect(() => nd.ones([1], { ctx: { deviceType: 'cpu', deviceId: 0 } })).toThrow(
      'ones: ctx must be a Context such as mx.cpu() or mx.gpu(0), got object',
    );
    expect(() => nd.zeros([1], { ctx: cpu(1) })).toThrow('zeros: cannot place an array on cpu(1)');
  });
  it("d2l's try_gpu falls back to cpu(0)", () => {
    const tryGpu = (i = 0): Context => {
      try {
        const ctx = gpu(i);
        nd.zeros([1], { ctx });
        return ctx;
      } catch (e) {
        if (!(e instanceof DeviceUnavailableError)) throw e;
        return cpu();
      }
    };
    expect(tryGpu()).toBe(cpu());
  });
});

describe('waitall and waitToRead', () => {
  it('return at once: every op has finished when it returns', () => {
    const y = nd.ones([2]).mul(2);
    expect(y.waitToRead()).toBeUndefined();
    expect(nd.waitall()).toBeUndefined();
    expect(y.toArray()).toEqual([2, 2]);
  });
});

describe('the device registry (the hook for a GPU backend)', () => {
  // Runs last in this file: it registers a stand-in GPU backend for the rest of the process.
  it('numGpus() asks the registered backend; storage on it is refused until NDArray supports it', () => {
    context.registerDevice('gpu', { name: 'a stand-in GPU backend', numDevices: () => 2 });
    expect(numGpus()).toBe(2);
    expect(() => nd.zeros([1], { ctx: gpu(2) })).toThrow(
      'zeros: cannot place an array on gpu(2): a stand-in GPU backend has 2 gpu devices',
    );
    expect(() => nd.zeros([1], { ctx: gpu(1) })).toThrow(
      'zeros: cannot place an array on gpu(1): a stand-in GPU backend is registered but NDArray storage on it is not implemented',
    );
    // @ts-expect-error not a device type
    expect(() => context.registerDevice('tpu', { name: 'x', numDevices: () => 1 })).toThrow(TypeError);
  });
});
