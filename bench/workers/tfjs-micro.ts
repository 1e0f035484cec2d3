/**
 * Micro-benchmark worker for TensorFlow.js: `tf.matMul` GFLOP/s on the workload shapes (result
 * read back with `dataSync`, as a training step must) and the per-op overhead of `tf.add` on two
 * (1,) tensors (with the `dispose` TF.js needs). Usage: `tsx workers/tfjs-micro.ts --backend wasm`.
 */
import { Args } from '../args.js';
import {
  flops,
  MATMUL_SHAPES,
  OVERHEAD_ITERATIONS,
  operandShapes,
  operands,
  secondsPerCall,
} from '../micro.js';
import { emit } from '../protocol.js';
import { startTfjs } from './tfjs-backend.js';

const args = new Args(process.argv.slice(2));
const backend = args.choice('backend', ['cpu', 'wasm'] as const, 'wasm');
const budget = args.int('ms-per-shape', 300) / 1000;
const tf = await startTfjs(backend);

for (const s of MATMUL_SHAPES) {
  if (backend === 'cpu' && !s.small) continue;
  const shapes = operandShapes(s);
  const data = operands(s);
  const a = tf.tensor2d(data.a, shapes.a);
  const b = tf.tensor2d(data.b, shapes.b);
  const seconds = secondsPerCall(() => {
    const c = tf.matMul(a, b, s.transA, s.transB);
    c.dataSync();
    c.dispose();
  }, budget);
  const { label, m, n, k, transA, transB } = s;
  emit({
    kind: 'matmul',
    framework: 'tfjs',
    backend,
    label,
    m,
    n,
    k,
    transA,
    transB,
    gflops: flops(s) / seconds / 1e9,
  });
}

const a = tf.tensor1d([1]);
const b = tf.tensor1d([2]);
for (let i = 0; i < 1000; i++) tf.add(a, b).dispose();
const start = performance.now();
for (let i = 0; i < OVERHEAD_ITERATIONS; i++) tf.add(a, b).dispose();
const microseconds = ((performance.now() - start) * 1000) / OVERHEAD_ITERATIONS;
emit({ kind: 'overhead', framework: 'tfjs', backend, op: 'add (1,)+(1,)', microseconds });
