/**
 * File access for `nd.save` / `nd.load` and Gluon's `saveParameters` / `loadParameters`, Node
 * only: the one atomic write of the repository (a temp file beside the target, flushed, then
 * renamed over it; leftovers of killed saves removed) and a read that refuses what is not a
 * regular file. Node's modules are fetched at call time through `process.getBuiltinModule`
 * (a computed `import()` on Node before 20.16), never by a static or literal `import`, so a
 * browser bundler (esbuild, webpack, Vite) sees nothing to resolve and the browser build works;
 * the codecs (mxnet-format.ts, safetensors.ts) import nothing from here.
 */
import type * as FsPromises from 'node:fs/promises';
import type * as NodePath from 'node:path';
import { NDArrayFileError } from './binary.js';

interface NodeProcess {
  pid: number;
  kill(pid: number, signal: number): void;
  versions?: { node?: string };
  getBuiltinModule?: (id: string) => unknown;
}

function nodeProcess(op: string): NodeProcess {
  const proc = (globalThis as { process?: NodeProcess }).process;
  if (!proc?.versions?.node) {
    throw new Error(`${op}: file access needs Node.js; in a browser use nd.saveToBuffer / nd.loadFromBuffer`);
  }
  return proc;
}

/** A Node built-in module (`fs/promises`, `path`), fetched at call time. */
async function builtin<T>(op: string, name: string): Promise<T> {
  const proc = nodeProcess(op);
  const id = `node:${name}`;
  const mod = proc.getBuiltinModule?.(id);
  if (mod) return mod as T;
  return (await import(/* @vite-ignore */ /* webpackIgnore: true */ id)) as T;
}

/** True while process `pid` runs (a process we may not signal still counts as running). */
function processIsAlive(pid: number): boolean {
  const proc = nodeProcess('removeStaleSaveFiles');
  if (pid === proc.pid) return true;
  try {
    proc.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: string }).code === 'EPERM';
  }
}

/** Marks a temporary file as minimx's: `<name>.tmp-minimx-<pid>-<12 hex digits>`. */
const TEMP_MARK = '.tmp-minimx-';
/** The longest `<name>` part of a temp name, in UTF-8 bytes, so the whole fits NAME_MAX (255). */
const TEMP_NAME_BYTES = 200;

/** `name` cut to at most {@link TEMP_NAME_BYTES} UTF-8 bytes, at a character boundary. */
function tempStem(name: string): string {
  const encoder = new TextEncoder();
  if (encoder.encode(name).length <= TEMP_NAME_BYTES) return name;
  let stem = '';
  let bytes = 0;
  for (const ch of name) {
    bytes += encoder.encode(ch).length;
    if (bytes > TEMP_NAME_BYTES) break;
    stem += ch;
  }
  return stem;
}

/**
 * The temp name a save of a file called `name` uses in this process:
 * `<name>.tmp-minimx-<pid>-<12 hex>` (`<name>` shortened for very long names, so the temp name
 * stays under NAME_MAX). Only names of exactly this form are ever cleaned up.
 */
function tempNameFor(name: string, pid: number): string {
  const random = new Uint8Array(6);
  globalThis.crypto.getRandomValues(random);
  const hex = Array.from(random, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${tempStem(name)}${TEMP_MARK}${pid}-${hex}`;
}

/** The pid in `entry` if it is a temp name of a save of `name` (see {@link tempNameFor}). */
function tempNamePid(entry: string, name: string): number | undefined {
  const prefix = `${tempStem(name)}${TEMP_MARK}`;
  if (!entry.startsWith(prefix)) return undefined;
  const m = /^([1-9][0-9]{0,9})-[0-9a-f]{12}$/.exec(entry.slice(prefix.length));
  return m ? Number(m[1]) : undefined;
}

/**
 * Removes temporary files that an earlier save of `path` left behind when its process was killed:
 * regular files named exactly `<name>.tmp-minimx-<pid>-<12 hex>` whose process is gone. Files of a
 * save still running, and every other name (`<name>.tmp-backup`, `<name>.tmp-2024-copy`, a
 * folder or a link with a temp name) are kept. Returns the paths removed. Node only.
 * @example await removeStaleSaveFiles('net.params')
 */
export async function removeStaleSaveFiles(path: string): Promise<string[]> {
  const fs = await builtin<typeof FsPromises>('removeStaleSaveFiles', 'fs/promises');
  const { basename, dirname, join } = await builtin<typeof NodePath>('removeStaleSaveFiles', 'path');
  const name = basename(path);
  const removed: string[] = [];
  let names: string[];
  try {
    names = await fs.readdir(dirname(path));
  } catch {
    return removed;
  }
  for (const entry of names) {
    const pid = tempNamePid(entry, name);
    if (pid === undefined || processIsAlive(pid)) continue;
    const full = join(dirname(path), entry);
    try {
      if (!(await fs.lstat(full)).isFile()) continue;
      await fs.rm(full);
      removed.push(full);
    } catch {
      // raced with another cleaner, or not ours to remove: leave it
    }
  }
  return removed;
}

/**
 * Writes `bytes` to `path` atomically: a temp file in the same directory, flushed to disk, then
 * renamed over `path` (and the folder flushed), so a reader (or a crash) sees the old file or
 * the new one, never a part. Leftovers of saves killed earlier are removed first. Node only.
 * @example await writeFileAtomic('x-file', nd.saveToBuffer([x]))
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const fs = await builtin<typeof FsPromises>('writeFileAtomic', 'fs/promises');
  await removeStaleSaveFiles(path);
  const temp = `${path}.tmp-${nodeProcess('writeFileAtomic').pid}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  try {
    const handle = await fs.open(temp, 'w');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, path);
  } catch (err) {
    await fs.rm(temp, { force: true });
    throw err;
  }
  await syncFolder(fs, path);
}

/** Flushes the folder holding `path`, so the rename itself survives a power cut (best effort). */
async function syncFolder(fs: typeof FsPromises, path: string): Promise<void> {
  const { dirname } = await builtin<typeof NodePath>('writeFileAtomic', 'path');
  try {
    const dir = await fs.open(dirname(path), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  } catch {
    // some file systems refuse fsync on folders; the rename is still atomic
  }
}

/**
 * Reads a whole file, or throws an `NDArrayFileError` naming it: missing, unreadable, or not a
 * regular file (a directory, a device, a FIFO). Node only.
 * @example const bytes = await readFileBytes('x-file')
 */
export async function readFileBytes(path: string): Promise<Uint8Array> {
  const fs = await builtin<typeof FsPromises>('readFileBytes', 'fs/promises');
  let handle: FsPromises.FileHandle | undefined;
  try {
    handle = await fs.open(path, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    const stat = await handle.stat();
    if (!stat.isFile()) {
      const kind = stat.isDirectory() ? 'a directory' : 'not a regular file';
      throw new NDArrayFileError(path, `cannot read the file (${kind})`);
    }
    return new Uint8Array(await handle.readFile());
  } catch (err) {
    if (err instanceof NDArrayFileError) throw err;
    throw new NDArrayFileError(path, `cannot read the file (${(err as Error).message})`);
  } finally {
    await handle?.close();
  }
}
