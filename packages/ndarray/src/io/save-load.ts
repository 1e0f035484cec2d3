/**
 * `nd.save` and `nd.load`, MXNet's `mx.nd.save(fname, data)` and `mx.nd.load(fname)`: the
 * file halves of `saveToBuffer` / `loadFromBuffer` (Node only). The save is atomic and the
 * load reads the whole file, decodes it and only then returns, so a failure leaves nothing
 * behind and changes nothing.
 */
import {
  formatForPath,
  type LoadOptions,
  type LoadResult,
  loadFromBuffer,
  type SaveData,
  type SaveOptions,
  saveToBuffer,
} from './array-file.js';
import { readFileBytes, writeFileAtomic } from './node-file.js';

/**
 * Saves one array, a list or named arrays to `file` (Node only), atomically, in MXNet's binary
 * format (the bytes MXNet 1.9 writes, so `mx.nd.load` reads it), or as safetensors when the path
 * ends in `.safetensors` or `format: 'safetensors'` (named arrays only). MXNet: `nd.save(fname, data)`.
 * @example
 * await nd.save('x-file', x);
 * await nd.save('x-files', [x, y]);
 * await nd.save('mydict', { x, y });
 * await nd.save('weights.safetensors', { w });
 */
export async function save(file: string, data: SaveData, options: SaveOptions = {}): Promise<void> {
  const bytes = saveToBuffer(data, { ...options, format: options.format ?? formatForPath(file) });
  await writeFileAtomic(file, bytes);
}

/**
 * Loads a file written by `nd.save`, MXNet's `nd.save`/`save_parameters`, PyTorch's
 * `safetensors.torch.save_file`, or minimx's older `saveParameters` (Node only): a list when the
 * file has no names, an object of named arrays otherwise. Corrupt or unsupported files throw an
 * `NDArrayFileError` naming the file, the offset and the field. The type parameter only
 * narrows the declared result (nothing is checked at run time). MXNet: `nd.load(fname)`.
 * @example
 * const [x2, y2] = await nd.load<NDArray[]>('xy');
 * const { x, y } = await nd.load<Record<string, NDArray>>('mydict');
 */
export async function load<T extends LoadResult = LoadResult>(
  file: string,
  options: LoadOptions = {},
): Promise<T> {
  const bytes = await readFileBytes(file);
  const format = options.format ?? (formatForPath(file) === 'safetensors' ? 'safetensors' : undefined);
  return loadFromBuffer<T>(bytes, { source: file, ...options, format });
}
