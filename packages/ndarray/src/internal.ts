/**
 * @minimx/ndarray/internal: the parts of the array-file code that minimx's own packages share at
 * run time and users do not call: CRC-32, the checks behind `nd.save`'s arguments, the reader that
 * recognises any array file (`@minimx/nn`'s parameter files), minimx's legacy "MMXP" codec, and the
 * Node-only atomic write and checked reads (`@minimx/nn`'s parameter files, `@minimx/datasets`'s
 * cache and downloads), and the active backend's kernels (`kernels()`: `@minimx/nn`'s SGD step and
 * `@minimx/datasets`' one-pass uint8 batches call theirs). **Not part of the public API**: outside
 * semver, and any release may change or remove it; import the user API (`nd.save`, `nd.load`,
 * `io.*` codecs) from `@minimx/ndarray`.
 *
 * A separate subpath, not a copy: the build splits the modules both entries need into shared
 * chunks, so this entry and `@minimx/ndarray` load one `NDArray` class and one `NDArrayFileError`.
 * @internal
 * @packageDocumentation
 * @module \@minimx/ndarray/internal
 */

export type { Kernels } from './backend/kernels.js';
export { kernels } from './backend/registry.js';
export {
  type ArrayFile,
  formatForPath,
  normalizeSaveData,
  readArrayFile,
  toRecord,
} from './io/array-file.js';
export { crc32 } from './io/binary.js';
export {
  decodeMinimxParameterFile,
  encodeMinimxParameterFile,
  isMinimxParameterFile,
} from './io/minimx-format.js';
export {
  type FileContent,
  type ReadFileOptions,
  readFileBytes,
  readRegularFileSync,
  removeStaleSaveFiles,
  type SyncFileSystem,
  type TempFileHandle,
  writeFileAtomic,
} from './io/node-file.js';
