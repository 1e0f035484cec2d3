// Tests of the ctx option of initialize (Block, ParameterDict, Parameter) and of param.data(ctx) /
// param.listCtx(), as Gluon has them on a machine with only a CPU.
import { cpu, DeviceUnavailableError, gpu, nd } from '@minimx/ndarray';
import { beforeEach, describe, expect, it } from 'vitest';
import { DeferredInitializationError, nn, Parameter, ParameterDict } from './index.js';

beforeEach(() => nn.resetNameCounters());

function mlp(): nn.Sequential {
  const net = new nn.Sequential();
  net.add(new nn.Dense(2, { inUnits: 3 }));
  return net;
}

describe('initialize({ ctx })', () => {
  it('accepts cpu() or a list of contexts; data(ctx) and listCtx() as in Gluon', () => {
    const net = mlp();
    net.initialize(null, { ctx: cpu() });
    const w = net.collectParams().lookup('dense0_weight');
    expect(w.listCtx()).toEqual([cpu()]);
    expect(w.data(cpu())).toBe(w.data());
    expect(w.grad(cpu())).toBe(w.grad());
    expect(w.data().context).toBe(cpu());
    const other = mlp();
    other.initialize(null, { ctx: [cpu(0), cpu()] });
    expect(other.collectParams().lookup('dense1_weight').listCtx().map(String)).toEqual(['cpu(0)']);
    expect(net.forward(nd.ones([4, 3])).shape).toEqual([4, 2]);
  });
  it('defaults to [cpu(0)], including for parameters that get their value from setData', () => {
    const p = new Parameter('w', { shape: [2] });
    p.initialize();
    expect(p.listCtx()).toEqual([cpu()]);
    const q = new Parameter('q');
    q.setData(nd.ones([3]));
    expect(q.listCtx()).toEqual([cpu()]);
  });
  it('refuses gpu() with the no-GPU error, and initializes nothing', () => {
    const net = mlp();
    expect(() => net.initialize(null, { ctx: gpu() })).toThrow(DeviceUnavailableError);
    expect(() => net.initialize(null, { ctx: gpu() })).toThrow(
      'initialize: cannot place an array on gpu(0): minimx has no GPU backend yet',
    );
    expect(() => net.collectParams().lookup('dense0_weight').data()).toThrow(/has not been initialized/);
    const p = new Parameter('w', { shape: [2] });
    expect(() => p.initialize(null, { ctx: [cpu(), gpu(1)] })).toThrow(
      "Parameter 'w' initialize: cannot place an array on gpu(1)",
    );
    expect(p.isInitialized).toBe(false);
  });
  it('rejects a ctx that is not a Context, or an empty list, even on an empty dict', () => {
    // @ts-expect-error a string is not a Context
    expect(() => mlp().initialize(null, { ctx: 'cpu' })).toThrow(
      'initialize: ctx must be a Context or a list of Contexts such as mx.cpu(), got "cpu"',
    );
    expect(() => mlp().initialize(null, { ctx: [] })).toThrow(
      'initialize: ctx must hold at least one Context',
    );
    // @ts-expect-error a number is not a Context
    expect(() => new ParameterDict().initialize(null, { ctx: 0 })).toThrow(TypeError);
  });
  it('data(ctx) on a context the parameter is not on fails as Gluon does', () => {
    const p = new Parameter('dense0_weight', { shape: [2, 2] });
    p.initialize();
    expect(() => p.data(gpu())).toThrow(
      "Parameter 'dense0_weight' was not initialized on context gpu(0). It was only initialized on [cpu(0)].",
    );
    expect(() => p.data(cpu(1))).toThrow(/not initialized on context cpu\(1\)/);
  });
  it('listCtx while deferred returns the requested contexts; before initialize it is an error', () => {
    const net = new nn.Sequential();
    net.add(new nn.Dense(2));
    const w = net.collectParams().lookup('dense0_weight');
    expect(() => w.listCtx()).toThrow("Parameter 'dense0_weight' has not been initialized");
    net.initialize(null, { ctx: cpu() });
    expect(w.listCtx()).toEqual([cpu()]);
    expect(() => w.data(cpu())).toThrow(DeferredInitializationError);
    net.forward(nd.ones([1, 5]));
    expect(w.data(cpu()).shape).toEqual([2, 5]);
  });
});
