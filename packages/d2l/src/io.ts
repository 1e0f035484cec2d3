/**
 * The file writing of the figures, without importing a Node module: node:fs and node:path are
 * looked up through `process.getBuiltinModule` (Node >= 20.16) when a file is written, so the
 * figure API loads in a browser, where it returns SVG text instead of writing.
 */
type NodeFs = typeof import('node:fs');
type NodePath = typeof import('node:path');

/** node:fs and node:path, or an error naming `op` where there is no file system. */
function fileSystem(op: string): { fs: NodeFs; path: NodePath } {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  if (typeof proc?.getBuiltinModule !== 'function') {
    throw new Error(
      `${op}: no file system here (Node >= 20.16 writes files); use figure.toSvg() for the SVG text`,
    );
  }
  return {
    fs: proc.getBuiltinModule('node:fs') as NodeFs,
    path: proc.getBuiltinModule('node:path') as NodePath,
  };
}

/** True where files can be written (Node). */
export const hasFileSystem = (): boolean =>
  typeof (globalThis as { process?: { getBuiltinModule?: unknown } }).process?.getBuiltinModule ===
  'function';

/** Writes `data` to `file` atomically (a temporary file renamed), creating folders; returns `file`. */
export function writeFile(op: string, file: string, data: string | Uint8Array): string {
  const { fs, path } = fileSystem(op);
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw new Error(`${op}: cannot write ${file}: ${(err as Error).message}`);
  }
  return file;
}

/** `'svg'` or `'png'` from the file's extension; anything else is refused naming `op`. */
export function formatOf(op: string, file: string): 'svg' | 'png' {
  const ext = /\.([^./\\]+)$/.exec(file)?.[1]?.toLowerCase();
  if (ext !== 'svg' && ext !== 'png') {
    throw new RangeError(`${op}: the file must end in .svg or .png, got ${JSON.stringify(file)}`);
  }
  return ext;
}
