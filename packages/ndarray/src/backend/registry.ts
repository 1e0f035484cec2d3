/**
 * Which backend runs the kernels. Ops call `kernels()` on every use, so switching backends
 * takes effect at once. A backend may be partial: missing kernels fall back to the reference.
 */
import { cpuBackend } from './cpu/index.js';
import type { Kernels } from './kernels.js';
import { wasmAvailable, wasmBackend } from './wasm/index.js';

const registered = new Map<string, Kernels>([['cpu', cpuBackend]]);
if (wasmAvailable) registered.set('wasm', { ...cpuBackend, ...wasmBackend });
/** The default is 'wasm' (float32 matmul on WebAssembly SIMD) wherever it loads, else 'cpu'. */
let active: Kernels = registered.get('wasm') ?? cpuBackend;

/** The kernels ops dispatch to. */
export function kernels(): Kernels {
  return active;
}

/**
 * Registers a backend under its name. Kernels it does not define come from the reference CPU backend.
 * @example registerBackend({ name: 'fast', matmul: myMatmul });
 */
export function registerBackend(backend: Partial<Kernels> & { name: string }): void {
  registered.set(backend.name, { ...cpuBackend, ...backend });
}

/**
 * Makes the named backend the active one.
 * @example setBackend('cpu'); // the plain TypeScript reference kernels
 */
export function setBackend(name: string): void {
  const b = registered.get(name);
  if (!b)
    throw new Error(
      `setBackend: unknown backend '${name}'; registered: ${[...registered.keys()].join(', ')}`,
    );
  active = b;
}

/**
 * The active backend's name.
 * @example getBackend(); // 'wasm' (or 'cpu' where WebAssembly SIMD is unavailable)
 */
export function getBackend(): string {
  return active.name;
}

/** Names of all registered backends. */
export function listBackends(): string[] {
  return [...registered.keys()];
}
