/**
 * Where a Gluon softmax-regression or MLP training step's time goes (d2l 3.7 / 3.10 through the
 * public API on a fixed synthetic batch of 256): the median step by CPU time, and with
 * `--kernels` each backend kernel's share. For profiling; the bench proper is run.ts.
 * Usage: `cd bench && npx tsx dense-step.ts [--model mlp|softmax] [--steps 200] [--kernels]`.
 */
import { performance } from 'node:perf_hooks';
import { autograd, nd } from '@minimx/ndarray';
import { kernels } from '@minimx/ndarray/backend/registry.js';
import { setMatmulThreads } from '@minimx/ndarray/backend/wasm/index.js';
import { loss as gloss, nn, Trainer } from '@minimx/nn';
import { Args } from './args.js';

const args = new Args(process.argv.slice(2));
const steps = args.int('steps', 200);
const model = args.choice('model', ['mlp', 'softmax'] as const, 'mlp');
setMatmulThreads(0);

const totals = new Map<string, { ms: number; calls: number }>();
if (args.has('kernels')) {
  const k = kernels() as unknown as Record<string, unknown>;
  for (const [name, fn] of Object.entries(k)) {
    if (typeof fn !== 'function') continue;
    k[name] = (...a: unknown[]) => {
      const label = ['unary', 'binary', 'reduce'].includes(name)
        ? `${name}:${a[0]} ${(a[name === 'binary' ? 5 : 2] as { length: number }).length}`
        : name;
      const c0 = process.cpuUsage();
      const r = (fn as (...x: unknown[]) => unknown)(...a);
      const u = process.cpuUsage(c0);
      const c = (u.user + u.system) / 1000;
      const e = totals.get(label) ?? { ms: 0, calls: 0 };
      e.ms += c;
      e.calls++;
      totals.set(label, e);
      return r;
    };
  }
}

const net = new nn.Sequential();
if (model === 'softmax') net.add(new nn.Dense(10, { inUnits: 784 }));
else net.add(new nn.Dense(256, { activation: 'relu', inUnits: 784 }), new nn.Dense(10, { inUnits: 256 }));
net.initialize();
const lossFn = new gloss.SoftmaxCrossEntropyLoss();
const X = nd.random.uniform(0, 1, [256, 784]);
const y = nd.fromTypedArray(
  Int32Array.from({ length: 256 }, (_, i) => (i * 7) % 10),
  [256],
);
const trainer = new Trainer(net.collectParams(), 'sgd', { learningRate: model === 'mlp' ? 0.5 : 0.1 });

let lossSum = 0;
function step(): void {
  const l = autograd.record(() => lossFn.forward(net.forward(X), y));
  l.backward();
  trainer.step(256);
  lossSum = l.sum().asScalar();
}

for (let i = 0; i < 20; i++) step();
totals.clear();
const wall: number[] = [];
const cpu: number[] = [];
for (let i = 0; i < steps; i++) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  step();
  wall.push(performance.now() - t0);
  const c = process.cpuUsage(c0);
  cpu.push((c.user + c.system) / 1000);
}
const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];
console.log(
  `${model} step: median ${(median(wall) * 1000).toFixed(0)} µs wall, ${(median(cpu) * 1000).toFixed(0)} µs CPU (${steps} steps), loss sum ${lossSum.toFixed(4)}`,
);
let kernelMs = 0;
for (const [name, e] of [...totals].sort((a, b) => b[1].ms - a[1].ms)) {
  kernelMs += e.ms;
  console.log(
    `${((e.ms / steps) * 1000).toFixed(0).padStart(7)} µs/step  ${String(e.calls / steps).padStart(4)} calls  ${name}`,
  );
}
if (totals.size)
  console.log(
    `kernels ${((kernelMs / steps) * 1000).toFixed(0)} µs/step of ${((cpu.reduce((a, b) => a + b) / steps) * 1000).toFixed(0)} (mean CPU)`,
  );
