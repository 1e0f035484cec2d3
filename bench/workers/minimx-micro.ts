/**
 * Micro-benchmark worker for minimx: `nd.dot` GFLOP/s on the workload shapes (on the default
 * backend, and on the reference `cpu` backend for the small shapes when the default is another),
 * and the per-op overhead of `nd.add` on two (1,) arrays. Usage: `tsx workers/minimx-micro.ts
 * [--ms-per-shape 300] [--threads 0]` (`--threads`: the wasm matmul's extra worker threads).
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
import { type BenchRecord, emit, type MatmulRecord, type OverheadRecord } from '../protocol.js';
import { applyThreadsOption, minimxBackendLabel } from './minimx-threads.js';

const args = new Args(process.argv.slice(2));
const budget = args.int('ms-per-shape', 300) / 1000;
applyThreadsOption(args);

type Unlabelled = Omit<MatmulRecord, 'backend'> | Omit<OverheadRecord, 'backend'>;

function benchMatmul(s: MatmulShape): Unlabelled {
  const shapes = operandShapes(s);
  const data = operands(s);
  const a = nd.fromTypedArray(data.a, shapes.a);
  const b = nd.fromTypedArray(data.b, shapes.b);
  const seconds = secondsPerCall(() => nd.dot(a, b, { transposeA: s.transA, transposeB: s.transB }), budget);
  const { label, m, n, k, transA, transB } = s;
  return {
    kind: 'matmul',
    framework: 'minimx',
    label,
    m,
    n,
    k,
    transA,
    transB,
    gflops: flops(s) / seconds / 1e9,
  };
}

function benchOverhead(): Unlabelled {
  const a = nd.array([1]);
  const b = nd.array([2]);
  for (let i = 0; i < 1000; i++) nd.add(a, b);
  const start = performance.now();
  for (let i = 0; i < OVERHEAD_ITERATIONS; i++) nd.add(a, b);
  const microseconds = ((performance.now() - start) * 1000) / OVERHEAD_ITERATIONS;
  return { kind: 'overhead', framework: 'minimx', op: 'add (1,)+(1,)', microseconds };
}

/** Runs the shapes (all, or the small ones) and the overhead loop, then reports them under one label. */
function benchBackend(smallOnly: boolean): void {
  const results = MATMUL_SHAPES.filter((s) => !smallOnly || s.small).map(benchMatmul);
  results.push(benchOverhead());
  const backend = minimxBackendLabel();
  for (const r of results) emit({ ...r, backend } as BenchRecord);
}

const defaultBackend = getBackend();
benchBackend(false);
if (defaultBackend !== 'cpu') {
  setBackend('cpu');
  benchBackend(true);
}
