/**
 * Where a LeNet training step's time goes: d2l 5.5's network through the public Gluon API on a
 * fixed synthetic batch of 256, every backend kernel wrapped with a CPU-time counter, printing the median
 * step (wall and CPU time) and each kernel's share. For profiling; the bench proper is run.ts.
 * Usage: `cd bench && npx tsx lenet-step.ts [--steps 30] [--threads 0] [--no-kernels]`.
 */
import { performance } from 'node:perf_hooks';
import { autograd, nd } from '@minimx/ndarray';
import { kernels } from '@minimx/ndarray/backend/registry.js';
import { setMatmulThreads } from '@minimx/ndarray/backend/wasm/index.js';
import { loss as gloss, nn, Trainer } from '@minimx/nn';
import { Args } from './args.js';

const args = new Args(process.argv.slice(2));
const steps = args.int('steps', 30);
setMatmulThreads(args.int('threads', 0));

const totals = new Map<string, { ms: number; calls: number }>();
if (!args.has('no-kernels')) {
  const k = kernels() as unknown as Record<string, unknown>;
  for (const [name, fn] of Object.entries(k)) {
    if (typeof fn !== 'function') continue;
    k[name] = (...a: unknown[]) => {
      const label = ['unary', 'binary', 'reduce'].includes(name)
        ? `${name}:${a[0]} ${(a[name === 'binary' ? 5 : 2] as { length: number }).length}`
        : name.startsWith('conv') || name.startsWith('pool')
          ? `${name} ${(a[0] as { length: number }).length}`
          : name;
      const c0 = process.cpuUsage();
      const r = (fn as (...x: unknown[]) => unknown)(...a);
      const c = process.cpuUsage(c0);
      const e = totals.get(label) ?? { ms: 0, calls: 0 };
      e.ms += (c.user + c.system) / 1000;
      e.calls++;
      totals.set(label, e);
      return r;
    };
  }
}

const net = new nn.HybridSequential();
net.add(
  new nn.Conv2D(6, { kernelSize: 5, activation: 'sigmoid' }),
  new nn.MaxPool2D({ poolSize: 2, strides: 2 }),
  new nn.Conv2D(16, { kernelSize: 5, activation: 'sigmoid' }),
  new nn.MaxPool2D({ poolSize: 2, strides: 2 }),
  new nn.Dense(120, { activation: 'sigmoid' }),
  new nn.Dense(84, { activation: 'sigmoid' }),
  new nn.Dense(10),
);
net.initialize();
const lossFn = new gloss.SoftmaxCrossEntropyLoss();
const X = nd.random.uniform(0, 1, [256, 1, 28, 28]);
const y = nd.fromTypedArray(
  Int32Array.from({ length: 256 }, (_, i) => i % 10),
  [256],
);
net.forward(X);
const trainer = new Trainer(net.collectParams(), 'sgd', { learningRate: 0.9 });

function step(): void {
  const l = autograd.record(() => lossFn.forward(net.forward(X), y));
  l.backward();
  trainer.step(256);
  l.sum().asScalar();
}

for (let i = 0; i < 3; i++) step();
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
  `step: median ${median(wall).toFixed(1)} ms wall, ${median(cpu).toFixed(1)} ms CPU (${steps} steps)`,
);
let kernelMs = 0;
for (const [name, e] of [...totals].sort((a, b) => b[1].ms - a[1].ms)) {
  kernelMs += e.ms;
  console.log(
    `${(e.ms / steps).toFixed(2).padStart(7)} ms/step  ${String(e.calls / steps).padStart(4)} calls  ${name}`,
  );
}
if (totals.size)
  console.log(
    `kernels ${(kernelMs / steps).toFixed(1)} CPU ms/step of ${(cpu.reduce((a, b) => a + b) / steps).toFixed(1)} (mean)`,
  );
