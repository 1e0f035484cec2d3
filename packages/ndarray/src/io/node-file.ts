/**
 * File access for `nd.save` / `nd.load` and Gluon's `saveParameters` / `loadParameters`, Node
 * only: the one atomic write of the repository (a temp file beside the target, flushed, then
 * renamed over it; leftovers of killed saves removed) and a read that refuses what is not a
 * regular file. Node's modules are fetched at call time through `process.getBuiltinModule`
 * (a computed `import()` on Node before 20.16), never by a static or literal `import`, so a
 * browser bundler (esbuild, webpack, Vite) sees nothing to resolve and the browser build works;
 * the codecs (mxnet-format.ts, safetensors.ts) import nothing from here.
 */
import type * as NodeFs from 'node:fs';
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
 * The temp file's handle that a save passes to a writer function: Node's `FileHandle` of
 * `node:fs/promises`, described by the calls a writer makes, so that the public types need no
 * Node types (a browser project without `@types/node` type-checks against them).
 */
export interface TempFileHandle {
  /** The file descriptor. */
  readonly fd: number;
  /** Writes `length` bytes of `data` from `offset` at `position` (default: the current one). */
  write(
    data: Uint8Array,
    offset?: number,
    length?: number,
    position?: number | null,
  ): Promise<{ bytesWritten: number }>;
  /** Writes the whole of `data` from the current position. */
  writeFile(data: Uint8Array | string): Promise<void>;
  /** Flushes the file's data and metadata to disk. */
  sync(): Promise<void>;
}

/** What a save writes: the bytes, or a function that writes them through the temp file's handle. */
export type FileContent = Uint8Array | ((file: TempFileHandle, tempPath: string) => Promise<void>);

/** An error of a save, naming the file asked for (never only the temp file); keeps the errno code. */
function saveError(path: string, reason: string, cause?: unknown): Error {
  const err = new Error(`cannot save ${path}: ${reason}`, cause === undefined ? undefined : { cause });
  const code = (cause as { code?: string } | undefined)?.code;
  return code === undefined ? err : Object.assign(err, { code });
}

/**
 * The file a save of `path` replaces: `path`, or the file its symbolic link (chain) points to,
 * with its stat when it exists. Refuses a folder, a device, a FIFO or a socket, a path under a
 * file and a missing folder, each with an error naming `path`.
 */
async function saveTarget(
  fs: typeof FsPromises,
  nodePath: typeof NodePath,
  path: string,
): Promise<{ target: string; stat?: NodeFs.Stats }> {
  let target = path;
  for (let hops = 0; hops <= 40; hops++) {
    let stat: NodeFs.Stats;
    try {
      stat = await fs.lstat(target);
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') {
        throw saveError(path, `cannot check ${target} (${(err as Error).message})`, err);
      }
      // Name the first folder on the way that is missing or is a file.
      for (let dir = nodePath.dirname(target); ; dir = nodePath.dirname(dir)) {
        const st = await fs.stat(dir).catch(() => undefined);
        if (st?.isDirectory()) break;
        const parent = nodePath.dirname(dir);
        const parentOk = parent === dir || (await fs.stat(parent).catch(() => undefined))?.isDirectory();
        if (st !== undefined) throw saveError(path, `${dir} is a file, not a folder`, err);
        if (parentOk) throw saveError(path, `the folder ${dir} does not exist`, err);
      }
      return { target };
    }
    if (stat.isSymbolicLink()) {
      target = nodePath.resolve(nodePath.dirname(target), await fs.readlink(target));
      continue;
    }
    const what = target === path ? 'it' : `its link target ${target}`;
    if (stat.isDirectory()) throw saveError(path, `${what} is a folder`);
    if (!stat.isFile()) {
      throw saveError(
        path,
        `${what} is not a regular file (a device, a FIFO or a socket); only regular files are replaced`,
      );
    }
    return { target, stat };
  }
  throw saveError(path, 'too many levels of symbolic links');
}

/**
 * Writes `content` to `path` atomically: a temp file in the same directory, flushed to disk, then
 * renamed over `path` (and the folder flushed), so a reader (or a crash) sees the old file or
 * the new one, never a part. Leftovers of saves killed earlier are removed first. Node only.
 *
 * A symbolic link is written through: its target gets the new content and the link stays. An
 * existing file keeps its permission bits (a 600 file stays 600) and, where allowed, its owner.
 * A hard-linked file is replaced under this name only (the other names keep the old, complete
 * content): replacing in place could tear it. A folder, a device, a FIFO, a path under a file or
 * in a missing folder is refused before anything is written, naming `path`. `content` may be a
 * function that writes through the temp file's handle (a download streams this way); whatever it
 * throws is rethrown as is, after the temp file is removed.
 * @example await writeFileAtomic('x-file', nd.saveToBuffer([x]))
 */
export async function writeFileAtomic(path: string, content: FileContent): Promise<void> {
  const fs = await builtin<typeof FsPromises>('writeFileAtomic', 'fs/promises');
  const nodePath = await builtin<typeof NodePath>('writeFileAtomic', 'path');
  const { target, stat } = await saveTarget(fs, nodePath, path);
  await removeStaleSaveFiles(target);
  const temp = nodePath.join(
    nodePath.dirname(target),
    tempNameFor(nodePath.basename(target), nodeProcess('writeFileAtomic').pid),
  );
  let handle: FsPromises.FileHandle;
  try {
    handle = await fs.open(temp, 'wx');
  } catch (err) {
    throw saveError(
      path,
      `cannot create a file in ${nodePath.dirname(target)} (${(err as Error).message})`,
      err,
    );
  }
  let step = 'writing';
  try {
    try {
      if (stat !== undefined) {
        await handle.chmod(stat.mode & 0o7777);
        await handle.chown(stat.uid, stat.gid).catch(() => undefined); // only root may give files away
      }
      if (typeof content === 'function') {
        step = '';
        await content(handle, temp);
        step = 'writing';
      } else {
        await handle.writeFile(content);
      }
      step = 'flushing';
      await handle.sync();
    } finally {
      await handle.close();
    }
    step = 'renaming';
    await fs.rename(temp, target);
  } catch (err) {
    await fs.rm(temp, { force: true });
    if (step === '') throw err;
    throw saveError(path, `${step} failed (${(err as Error).message})`, err);
  }
  await syncFolder(fs, target);
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
 * The synchronous calls of `node:fs` that {@link readRegularFileSync} uses (`node:fs` itself is
 * one), described here so that the public types need no Node types.
 */
export interface SyncFileSystem {
  /** `fs.openSync`. */
  openSync(path: string, flags: number): number;
  /** `fs.fstatSync`, of which the reader uses the kind and the size. */
  fstatSync(fd: number): { isFile(): boolean; isDirectory(): boolean; readonly size: number };
  /** `fs.readSync`. */
  readSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): number;
  /** `fs.closeSync`. */
  closeSync(fd: number): void;
  /** `fs.constants`: the open flags the reader passes. */
  readonly constants: { readonly O_RDONLY: number; readonly O_NONBLOCK?: number };
}

/** Options of {@link readFileBytes} and {@link readRegularFileSync}. */
export interface ReadFileOptions {
  /** The largest file accepted, in bytes (default: no limit beyond the file's own size). */
  maxBytes?: number;
}

/** An `NDArrayFileError` that keeps the errno code of its cause (`ENOENT` for a missing file). */
function readError(path: string, detail: string, cause?: unknown): NDArrayFileError {
  const err = new NDArrayFileError(path, `cannot read the file (${detail})`);
  const code = (cause as { code?: string } | undefined)?.code;
  return code === undefined ? err : Object.assign(err, { code });
}

/**
 * The checked read, with the synchronous calls of `fs` (pass `node:fs`): the whole of a regular
 * file, or an `NDArrayFileError` naming it: missing (its `code` is `ENOENT`), unreadable, not a
 * regular file (a folder, a device such as /dev/zero, a FIFO, which is opened without blocking
 * and refused by its type), larger than `maxBytes`, or changed in size while read. Reads at most
 * the size the file had when opened, so it never reads without end. `readFileBytes` and the
 * data-set cache both read through it.
 * @example const bytes = readRegularFileSync(fs, 'x-file', { maxBytes: 1 << 20 })
 */
export function readRegularFileSync(
  fs: SyncFileSystem,
  path: string,
  options: ReadFileOptions = {},
): Uint8Array {
  let fd: number;
  try {
    fd = fs.openSync(path, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (err) {
    throw readError(path, (err as Error).message, err);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw readError(path, stat.isDirectory() ? 'a directory' : 'not a regular file');
    const max = options.maxBytes ?? Number.POSITIVE_INFINITY;
    if (stat.size > max) throw readError(path, `${stat.size} bytes, more than the ${max} expected`);
    const bytes = new Uint8Array(stat.size);
    let got = 0;
    while (got < bytes.length) {
      const n = fs.readSync(fd, bytes, got, bytes.length - got, got);
      if (n === 0) throw readError(path, `it shrank from ${stat.size} to ${got} bytes while being read`);
      got += n;
    }
    if (fs.readSync(fd, new Uint8Array(1), 0, 1, got) !== 0) {
      throw readError(path, `it grew past ${stat.size} bytes while being read`);
    }
    return bytes;
  } catch (err) {
    if (err instanceof NDArrayFileError) throw err;
    throw readError(path, (err as Error).message, err);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Reads a whole file, or throws an `NDArrayFileError` naming it: missing, unreadable, not a
 * regular file (a directory, a device, a FIFO) or larger than `maxBytes` (see
 * {@link readRegularFileSync}, which does the reading). Node only.
 * @example const bytes = await readFileBytes('x-file')
 */
export async function readFileBytes(path: string, options: ReadFileOptions = {}): Promise<Uint8Array> {
  const fs = await builtin<typeof NodeFs>('readFileBytes', 'fs');
  return readRegularFileSync(fs, path, options);
}
