/**
 * File access for `nd.save` / `nd.load` and Gluon's `saveParameters` / `loadParameters`, Node
 * only: the one atomic write of the repository (a temp file beside the target, flushed, then
 * renamed over it; leftovers of killed saves removed) and a read that refuses what is not a
 * regular file. `node:` modules are imported inside the functions, so a browser bundle that
 * never calls them never loads them; the codecs (mxnet-format.ts, safetensors.ts) import nothing
 * from here.
 */
import { NDArrayFileError } from './binary.js';

/** True while process `pid` runs (a process we may not signal still counts as running). */
function processIsAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: string }).code === 'EPERM';
  }
}

/**
 * Removes temporary files that an earlier save of `path` left behind when its process was killed
 * (`<name>.tmp-<pid>-<id>` whose process is gone). Files of a save still running are kept.
 * Returns the paths removed. Node only.
 * @example await removeStaleSaveFiles('net.params')
 */
export async function removeStaleSaveFiles(path: string): Promise<string[]> {
  const fs = await import('node:fs/promises');
  const { basename, dirname, join } = await import('node:path');
  const prefix = `${basename(path)}.tmp-`;
  const removed: string[] = [];
  let names: string[];
  try {
    names = await fs.readdir(dirname(path));
  } catch {
    return removed;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length).split('-')[0]);
    if (Number.isInteger(pid) && pid > 0 && processIsAlive(pid)) continue;
    const full = join(dirname(path), name);
    await fs.rm(full, { force: true });
    removed.push(full);
  }
  return removed;
}

/**
 * Writes `bytes` to `path` atomically: a temp file in the same directory, flushed to disk, then
 * renamed over `path`, so a reader (or a crash) sees the old file or the new one, never a part.
 * Leftovers of saves killed earlier are removed first. Node only.
 * @example await writeFileAtomic('x-file', nd.saveToBuffer([x]))
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const fs = await import('node:fs/promises');
  await removeStaleSaveFiles(path);
  const temp = `${path}.tmp-${process.pid}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
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
}

/**
 * Reads a whole file, or throws an `NDArrayFileError` naming it: missing, unreadable, or not a
 * regular file (a directory, a device, a FIFO). Node only.
 * @example const bytes = await readFileBytes('x-file')
 */
export async function readFileBytes(path: string): Promise<Uint8Array> {
  const fs = await import('node:fs/promises');
  let handle: Awaited<ReturnType<typeof fs.open>> | undefined;
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
