/**
 * Micro-benchmark worker for minimx: `nd.dot` GFLOP/s on the workload shapes (on the default
 * backend, and on the reference `cpu` backend for the small shapes when the default is another),
 * and the per-op overhead of `nd.add` on two (1,) arrays. Usage: `tsx workers/minimx-micro.ts
 * [--seconds-per-shape 0.3]`.
 */
import { getBackend, nd, setBackend } from '@minimx/ndarray';
import { Args } from '../args.js';
import {
  flops,
  MATMUL_SHAPES,
  type MatmulShape,
  OVERHEAD_ITERATIONS,
  operandShapes,
  operands,
  secondsPerCall,
} from '../micro.js';
import { emit } from '../protocol.js';

const args = new Args(process.argv.slice(2));
const budget = args.int('ms-per-shape', 300) / 1000;

function benchMatmul(s: MatmulShape): void {
  const shapes = operandShapes(s);
  const data = operands(s);
  const a = nd.fromTypedArray(data.a, shapes.a);
  const b = nd.fromTypedArray(data.b, shapes.b);
  const seconds = secondsPerCall(() => nd.dot(a, b, { transposeA: s.transA, transposeB: s.transB }), budget);
  const { label, m, n, k, transA, transB } = s;
  emit({
    kind: 'matmul',
    framework: 'minimx',
    backend: getBackend(),
    label,
    m,
    n,
    k,
    transA,
    transB,
    gflops: flops(s) / seconds / 1e9,
  });
}

function benchOverhead(): void {
  const a = nd.array([1]);
  const b = nd.array([2]);
  for (let i = 0; i < 1000; i++) nd.add(a, b);
  const start = performance.now();
  for (let i = 0; i < OVERHEAD_ITERATIONS; i++) nd.add(a, b);
  const microseconds = ((performance.now() - start) * 1000) / OVERHEAD_ITERATIONS;
  emit({ kind: 'overhead', framework: 'minimx', backend: getBackend(), op: 'add (1,)+(1,)', microseconds });
}

const defaultBackend = getBackend();
for (const s of MATMUL_SHAPES) benchMatmul(s);
benchOverhead();
if (defaultBackend !== 'cpu') {
  setBackend('cpu');
  for (const s of MATMUL_SHAPES) if (s.small) benchMatmul(s);
  benchOverhead();
}
