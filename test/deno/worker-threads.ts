// Run under Deno by test/deno-workers.test.ts: a few large float32 products on the wasm backend, then
// prints how many chunks the worker threads ran. Deno evaluates an `eval: true` worker as a module
// that already declares `module`, so a worker program that declared it again failed to start and
// every product ran on the calling thread alone.
import { nd } from '@minimx/ndarray';
import { matmulWorkerChunks, setMatmulThreads } from '../../packages/ndarray/src/backend/wasm/gemm.js';

setMatmulThreads(1); // one worker even on a one-core machine

const a = nd.ones([384, 384]);
for (let round = 0; round < 20 && matmulWorkerChunks() === 0; round++) {
  nd.dot(a, a);
  await new Promise((resolve) => setTimeout(resolve, 50));
}
console.log(`worker chunks: ${matmulWorkerChunks()}`);
