// Interleaved A/B of the WebAssembly matrix product between two versions of assembly/: the kernel
// source at a git revision (default HEAD) against the working tree, each compiled (relaxed SIMD, or
// plain with --simd) and run on the products of one softmax-regression and one MLP training step
// (batch 256, the calls nd.dot and Dense make forward and backward). Prints the median CPU time of
// each, raw kernel and with the copies into and out of WebAssembly memory that gemm.ts makes, and
// how many outputs differ between the two (0: bit for bit the same); with --torch, then PyTorch's
// torch.mm on the same shapes (/usr/bin/python3, one OpenBLAS thread, CPU time, after a warm-up pass:
// the first pass over the shapes runs up to 3x slower while the allocator settles). Node 20 needs
// relaxed SIMD on:
//   node --experimental-wasm-relaxed-simd scripts/gemm-ab.mjs [rev] [--simd] [--filter=name] [--torch]
// Pin it (taskset -c 1) on a shared machine; CPU time, not wall time, is what it reports.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';

const root = fileURLToPath(new URL('../', import.meta.url));
const repo = fileURLToPath(new URL('../../../', import.meta.url));
const args = process.argv.slice(2);
const rev = args.find((a) => !a.startsWith('--')) ?? 'HEAD';
const relaxed = !args.includes('--simd');
const filter = args.find((a) => a.startsWith('--filter='))?.slice(9);

/** The products of one training step: [name, m, n, k, transA, transB]. */
const SHAPES = [
  ['softmax X.Wt', 256, 10, 784, false, true],
  ['softmax dW = dYt.X', 10, 784, 256, true, false],
  ['mlp X.W1t', 256, 256, 784, false, true],
  ['mlp dW1 = dZt.X', 256, 784, 256, true, false],
  ['mlp H.W2t', 256, 10, 256, false, true],
  ['mlp dW2 = dYt.H', 10, 256, 256, true, false],
  ['mlp dH = dY.W2', 256, 256, 10, false, false],
];

async function compile(source) {
  const flags = [
    '-O3',
    '--noAssert',
    '--runtime',
    'stub',
    '--use',
    'abort=',
    '--importMemory',
    '--enable',
    'simd',
  ];
  if (relaxed) flags.push('--enable', 'relaxed-simd');
  let binary = null;
  const errors = [];
  const { error } = await asc.main(
    [basename(source), '--baseDir', dirname(source), '-o', 'out.wasm', ...flags],
    {
      writeFile: (name, contents) => {
        if (name.endsWith('.wasm')) binary = contents;
      },
      stdout: { write: () => true },
      stderr: { write: (s) => errors.push(String(s)) },
    },
  );
  if (error || !binary)
    throw new Error(`gemm-ab: compiling ${source} failed\n${errors.join('')}${error ?? ''}`);
  return binary;
}

/** assembly/ at `rev`, written to a temporary directory. */
function checkout(revision) {
  const dir = mkdtempSync(join(tmpdir(), 'gemm-ab-'));
  const files = execFileSync('git', ['ls-tree', '--name-only', `${revision}:packages/ndarray/assembly`], {
    cwd: repo,
    encoding: 'utf8',
  })
    .split('\n')
    .filter(Boolean);
  for (const f of files)
    writeFileSync(
      join(dir, f),
      execFileSync('git', ['show', `${revision}:packages/ndarray/assembly/${f}`], { cwd: repo }),
    );
  return join(dir, 'kernels.ts');
}

function instantiate(binary) {
  const memory = new WebAssembly.Memory({ initial: 400 });
  const ex = new WebAssembly.Instance(new WebAssembly.Module(binary), { env: { memory } }).exports;
  return { memory, ex };
}

const old = checkout(rev);
const engines = [
  instantiate(await compile(old)),
  instantiate(await compile(join(root, 'assembly/kernels.ts'))),
];
rmSync(dirname(old), { recursive: true });
const align = (x) => (x + 63) & ~63;
const cpu = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};
let seed = 1;
const random = () => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed / 2 ** 32;
};
const median = (v) => v.sort((x, y) => x - y)[v.length >> 1].toFixed(1);

console.log(`${rev} -> working tree, ${relaxed ? 'relaxed-simd' : 'simd'} build, CPU time per call (µs)`);
for (const [name, m, n, k, transA, transB] of SHAPES) {
  if (filter && !name.includes(filter)) continue;
  const a = Float32Array.from({ length: m * k }, random);
  const b = Float32Array.from({ length: k * n }, random);
  const rsa = transA ? 1 : k;
  const csa = transA ? m : 1;
  const rsb = transB ? 1 : n;
  const csb = transB ? k : 1;
  const runs = engines.map(({ memory, ex }) => {
    const aOff = align(64 + ex.gemmWorkFloats() * 4);
    const bOff = align(aOff + m * k * 4);
    const cOff = align(bOff + k * n * 4);
    const f32 = new Float32Array(memory.buffer);
    const out = new Float32Array(m * n);
    const kernel = () => ex.gemm(aOff, rsa, csa, bOff, rsb, csb, cOff, n, m, n, k, 64);
    const copies = () => {
      f32.set(a, aOff >> 2);
      f32.set(b, bOff >> 2);
      kernel();
      out.set(new Float32Array(memory.buffer, cOff, m * n));
    };
    copies();
    return { kernel, copies, out };
  });
  let differ = 0;
  for (let i = 0; i < m * n; i++) if (!Object.is(runs[0].out[i], runs[1].out[i])) differ++;
  const reps = Math.max(3, Math.round(1e8 / (2 * m * n * k + 2e6)));
  const t = [[], [], [], []];
  for (let r = 0; r < 21; r++)
    for (let e = 0; e < 2; e++)
      for (const [w, fn] of [
        [0, runs[e].kernel],
        [1, runs[e].copies],
      ]) {
        const c0 = cpu();
        for (let i = 0; i < reps; i++) fn();
        t[e * 2 + w].push((cpu() - c0) / reps);
      }
  console.log(
    `${name.padEnd(19)} kernel ${median(t[0])} -> ${median(t[2])}; with copies ${median(t[1])} -> ${median(t[3])}; outputs that differ ${differ}/${m * n}`,
  );
}

/** PyTorch's torch.mm on the same shapes and operand layouts, one thread, median CPU time per call. */
const TORCH = `
import os, sys, json, time
for v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"): os.environ[v] = "1"
import torch
torch.set_num_threads(1)
shapes = json.loads(sys.argv[1])
for rnd in range(2):
    for name, m, n, k, ta, tb in shapes:
        a = torch.rand(k, m).t() if ta else torch.rand(m, k)
        b = torch.rand(n, k).t() if tb else torch.rand(k, n)
        reps = max(3, round(1e8 / (2 * m * n * k + 2e6)))
        ts = []
        for r in range(21):
            c0 = time.process_time()
            for i in range(reps): torch.mm(a, b)
            ts.append((time.process_time() - c0) / reps * 1e6)
        ts.sort()
        if rnd == 1: print("%-19s torch.mm %.1f" % (name, ts[10]))
`;
if (args.includes('--torch')) {
  const shapes = SHAPES.filter(([name]) => !filter || name.includes(filter));
  console.log('PyTorch, 1 thread, CPU time per call (µs)');
  process.stdout.write(execFileSync('/usr/bin/python3', ['-c', TORCH, JSON.stringify(shapes)]));
}
