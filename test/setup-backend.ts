/**
 * Vitest setup file: registers the NDArray equality tester for `toEqual`, and runs the whole suite
 * on another backend or WebAssembly kernel build when an environment variable asks for it, so that
 * every backend passes the same tests. `.ci/run` runs the
 * suite three times: as is (wasm backend, relaxed-SIMD build), with MINIMX_TEST_BACKEND=cpu (the
 * reference kernels) and with MINIMX_TEST_WASM_BUILD=simd (the build for engines without relaxed SIMD).
 */
import { setBackend, testing } from '@minimx/ndarray';
import { expect } from 'vitest';
import { setWasmKernelBuild, wasmKernelBuild } from '../packages/ndarray/src/backend/wasm/gemm.js';

// toEqual on NDArrays compares dtype, shape and values directly instead of walking the iterator.
expect.addEqualityTesters([testing.ndarrayEquality]);

const backend = process.env.MINIMX_TEST_BACKEND;
if (backend) setBackend(backend);

const build = process.env.MINIMX_TEST_WASM_BUILD;
if (build) {
  if (build !== 'simd' && build !== 'relaxed-simd') {
    throw new Error(`MINIMX_TEST_WASM_BUILD must be 'simd' or 'relaxed-simd', got '${build}'`);
  }
  setWasmKernelBuild(build === 'relaxed-simd');
  if (wasmKernelBuild() !== build)
    throw new Error(`MINIMX_TEST_WASM_BUILD=${build}: that build is unavailable here`);
}
