/**
 * Starts a TensorFlow.js backend in Node without network access: `cpu` (plain JS kernels) or
 * `wasm` (XNNPACK, SIMD, one thread), whose .wasm files are read from
 * node_modules/@tensorflow/tfjs-backend-wasm/dist/ on disk.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

/** The TF.js backends the benchmark compares against. */
export type TfjsBackend = 'cpu' | 'wasm';

/**
 * Activates `name` and checks that it runs as promised (wasm: SIMD on, one thread).
 * @example await startTfjs('wasm'); tf.getBackend() // 'wasm'
 */
export async function startTfjs(name: TfjsBackend): Promise<typeof tf> {
  const require = createRequire(import.meta.url);
  // The Node bundle of tfjs-core has no gradients (the union package @tensorflow/tfjs adds them).
  // Their ES module sources use extensionless imports, which tsx's require hook resolves; they
  // register into tfjs-core's global gradient registry, which the Node bundle shares.
  require('@tensorflow/tfjs-core/dist/register_all_gradients');
  if (name === 'wasm') {
    const pkg = require.resolve('@tensorflow/tfjs-backend-wasm/package.json');
    setWasmPaths(`${path.join(path.dirname(pkg), 'dist')}${path.sep}`);
    setThreadsCount(1);
  }
  if (!(await tf.setBackend(name))) throw new Error(`tfjs: backend '${name}' failed to initialize`);
  await tf.ready();
  if (name === 'wasm' && !tf.env().getBool('WASM_HAS_SIMD_SUPPORT')) {
    throw new Error('tfjs: the wasm backend started without SIMD; this Node should support it');
  }
  return tf;
}
