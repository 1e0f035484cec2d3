/**
 * Vitest setup file: runs the whole suite on another backend or WebAssembly kernel build when an
 * environment variable asks for it, so that every backend passes the same tests. `.ci/run` runs the
 * suite three times: as is (wasm backend, relaxed-SIMD build), with MINIMX_TEST_BACKEND=cpu (the
 * reference kernels) and with MINIMX_TEST_WASM_BUILD=simd (the build for engines without relaxed SIMD).
 */
import { setBackend } from '@minimx/ndarray';
import { setWasmKernelBuild, wasmKernelBuild } from '../packages/ndarray/src/backend/wasm/gemm.js';

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
