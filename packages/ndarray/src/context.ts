/**
 * Device contexts, MXNet's `mx.Context`: `cpu(i)` and `gpu(i)` name a device, and a small registry
 * maps each device type to the backend that owns its memory. Only the host device `cpu(0)` has a
 * backend today (the kernels of backend/registry.ts work on its typed arrays), so every NDArray
 * lives there; `gpu(i)` can be constructed and compared, and placing an array on it fails with a
 * `DeviceUnavailableError` that names the op and the context. A GPU backend plugs in by calling
 * `registerDevice('gpu', ...)` (see docs/architecture.md, "Contexts"). Contexts are interned:
 * `mx.cpu()` always returns the same object, so `===` and `equals` agree.
 */

/** The kinds of device MXNet names: `'cpu'` and `'gpu'`. */
export type DeviceType = 'cpu' | 'gpu';

/** What a device backend tells the context registry: its name and how many devices it drives. */
export interface DeviceBackend {
  /** A name for error messages, e.g. `'typed arrays on the host'`. */
  readonly name: string;
  /** The number of devices of this type (`gpu(0)` .. `gpu(n-1)` are valid). */
  numDevices(): number;
}

const interned = new Map<string, Context>();

/**
 * A device: its type and its index. MXNet: `mx.Context(device_type, device_id)`; usually made with
 * `mx.cpu()` or `mx.gpu(i)`. Printing gives `cpu(0)`; two contexts are equal when both fields are
 * (`a.equals(b)`, and `a === b` too, since contexts are interned).
 * @example
 * const ctx = new Context('gpu', 1);
 * ctx.toString();          // 'gpu(1)'
 * ctx === mx.gpu(1);       // true
 */
export class Context {
  /** `'cpu'` or `'gpu'`. MXNet: `ctx.device_type`. */
  readonly deviceType: DeviceType;
  /** The device index. MXNet: `ctx.device_id`. */
  readonly deviceId: number;

  constructor(deviceType: DeviceType, deviceId = 0) {
    if (deviceType !== 'cpu' && deviceType !== 'gpu') {
      throw new TypeError(`Context: deviceType must be 'cpu' or 'gpu', got ${JSON.stringify(deviceType)}`);
    }
    if (!Number.isInteger(deviceId) || deviceId < 0) {
      throw new RangeError(`Context: deviceId must be a non-negative integer, got ${String(deviceId)}`);
    }
    this.deviceType = deviceType;
    this.deviceId = deviceId;
    const key = `${deviceType}(${deviceId})`;
    const existing = interned.get(key);
    // biome-ignore lint/correctness/noConstructorReturn: interning makes `new Context('cpu', 0) === mx.cpu()`.
    if (existing) return existing;
    Object.freeze(this);
    interned.set(key, this);
  }

  /** The context new arrays get when none is given: `cpu(0)`. MXNet: `mx.context.current_context()`. */
  static get default(): Context {
    return currentContext();
  }

  /** True when `other` is a Context of the same type and index. MXNet: `ctx == other`. @example x.context.equals(mx.cpu()) */
  equals(other: unknown): boolean {
    return (
      other instanceof Context && other.deviceType === this.deviceType && other.deviceId === this.deviceId
    );
  }

  /** `cpu(0)`, `gpu(1)`: what MXNet prints. */
  toString(): string {
    return `${this.deviceType}(${this.deviceId})`;
  }

  /** Lets `console.log(ctx)` print `cpu(0)` as MXNet's `print(ctx)` does. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/**
 * The host CPU. MXNet: `mx.cpu(device_id=0)`.
 * @example nd.zeros([2, 3], { ctx: mx.cpu() })
 */
export function cpu(deviceId = 0): Context {
  return new Context('cpu', deviceId);
}

/**
 * The GPU with index `deviceId`. Constructing it always works; using it to hold an array fails
 * until a GPU backend is registered, as on an MXNet machine without a GPU. MXNet: `mx.gpu(device_id=0)`.
 * @example
 * let ctx = mx.gpu();
 * try { nd.zeros([1], { ctx }); } catch { ctx = mx.cpu(); }  // d2l's try_gpu
 */
export function gpu(deviceId = 0): Context {
  return new Context('gpu', deviceId);
}

/** The device of every array created without a `ctx`: `cpu(0)`. MXNet: `mx.context.current_context()`. @example currentContext() // cpu(0) */
export function currentContext(): Context {
  return cpu(0);
}

const hostBackend: DeviceBackend = {
  name: 'the CPU backend (typed arrays on the host)',
  numDevices: () => 1,
};
const devices = new Map<DeviceType, DeviceBackend>([['cpu', hostBackend]]);

/**
 * Registers the backend that owns the memory of `deviceType` devices (the hook a GPU backend uses).
 * @example registerDevice('gpu', { name: 'webgpu', numDevices: () => 1 })
 */
export function registerDevice(deviceType: DeviceType, backend: DeviceBackend): void {
  if (deviceType !== 'cpu' && deviceType !== 'gpu') {
    throw new TypeError(
      `registerDevice: deviceType must be 'cpu' or 'gpu', got ${JSON.stringify(deviceType)}`,
    );
  }
  devices.set(deviceType, backend);
}

/**
 * The number of GPUs a backend drives: 0 here, as there is no GPU backend yet.
 * MXNet: `mx.context.num_gpus()`.
 * @example mx.context.numGpus() // 0
 */
export function numGpus(): number {
  return devices.get('gpu')?.numDevices() ?? 0;
}

/** Thrown when an array is placed on a device no backend provides (`gpu(0)` here). */
export class DeviceUnavailableError extends Error {
  /** The error's class name, `'DeviceUnavailableError'`. */
  override name = 'DeviceUnavailableError';
}

/** Checks that `ctx` is a Context (or undefined, meaning the default), naming `op` if not. */
export function checkContext(op: string, ctx: unknown): Context {
  if (ctx === undefined || ctx === null) return currentContext();
  if (!(ctx instanceof Context)) {
    const got = typeof ctx === 'string' ? JSON.stringify(ctx) : typeof ctx;
    throw new TypeError(`${op}: ctx must be a Context such as mx.cpu() or mx.gpu(0), got ${got}`);
  }
  return ctx;
}

/**
 * Validates `ctx` and checks that arrays can live there: returns the context, or throws naming
 * `op` and the context (a `DeviceUnavailableError` when no backend provides the device).
 */
export function placeOn(op: string, ctx: unknown): Context {
  const c = checkContext(op, ctx);
  if (c.deviceType === 'cpu' && c.deviceId === 0) return c;
  const backend = devices.get(c.deviceType);
  if (backend === undefined) {
    throw new DeviceUnavailableError(
      `${op}: cannot place an array on ${c}: minimx has no GPU backend yet ` +
        '(mx.context.numGpus() is 0); use mx.cpu()',
    );
  }
  const n = backend.numDevices();
  if (c.deviceId >= n) {
    throw new DeviceUnavailableError(
      `${op}: cannot place an array on ${c}: ${backend.name} has ${n} ${c.deviceType} device${n === 1 ? '' : 's'}` +
        (c.deviceType === 'cpu' ? ', cpu(0)' : ''),
    );
  }
  if (c.deviceType !== 'cpu') {
    // A registered device backend would allocate here; arrays still hold host typed arrays.
    throw new DeviceUnavailableError(
      `${op}: cannot place an array on ${c}: ${backend.name} is registered but NDArray storage on it is not implemented`,
    );
  }
  return c;
}

/**
 * Waits until every pending computation has finished. MXNet's engine is asynchronous, so its
 * `nd.waitall()` blocks; minimx computes each op before returning, so there is nothing to wait for
 * and this returns at once. It exists so code written for MXNet (benchmarks, d2l's timing cells) runs
 * unchanged. MXNet: `nd.waitall()`.
 * @example nd.waitall()
 */
export function waitall(): void {}
