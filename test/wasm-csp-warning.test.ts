/**
 * Under a Content-Security-Policy without 'wasm-unsafe-eval', a browser validates WebAssembly but
 * refuses to compile it. minimx then runs the TypeScript kernels, and says so once on the console,
 * naming the directive. Simulated here by a WebAssembly.Module constructor that throws as Chrome's
 * does under such a policy; the wasm module is loaded afresh for each case.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';

const gemmPath = '../packages/ndarray/src/backend/wasm/gemm.ts';

describe('wasm backend under a strict Content-Security-Policy', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.resetModules();
  });

  it("warns once, naming 'wasm-unsafe-eval', and falls back to the TypeScript kernels", async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    vi.spyOn(WebAssembly, 'Module').mockImplementation(() => {
      throw new WebAssembly.CompileError(
        "WebAssembly.Module(): Refused to compile or instantiate WebAssembly module because 'unsafe-eval' is not an allowed source of script",
      );
    });
    vi.resetModules();
    const gemm = await import(gemmPath);
    expect(gemm.wasmAvailable).toBe(false);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toContain("'wasm-unsafe-eval'");
    expect(String(warn.mock.calls[0][0])).toContain('Refused to compile');
  });

  it('says nothing where WebAssembly compiles', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    vi.resetModules();
    const gemm = await import(gemmPath);
    expect(gemm.wasmAvailable).toBe(true);
    expect(warn).not.toHaveBeenCalled();
  });
});
