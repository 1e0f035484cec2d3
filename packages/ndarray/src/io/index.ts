/**
 * Array files: MXNet's NDArray-list format, safetensors and minimx's legacy parameter format
 * (pure codecs on bytes), `nd.save` / `nd.load`, and the Node-only atomic write and checked read
 * that `@minimx/nn`'s parameter files reuse. Reachable as `io` from `@minimx/ndarray`.
 */
export {
  type ArrayFile,
  type ArrayFileFormat,
  formatForPath,
  type LoadOptions,
  type LoadResult,
  loadFromBuffer,
  normalizeSaveData,
  readArrayFile,
  type SaveData,
  type SaveOptions,
  saveToBuffer,
  toRecord,
} from './array-file.js';
export { crc32, NDArrayFileError } from './binary.js';
export {
  decodeMinimxParameterFile,
  encodeMinimxParameterFile,
  isMinimxParameterFile,
} from './minimx-format.js';
export {
  decodeNDArrayList,
  type EncodeNDArrayListOptions,
  encodeNDArrayList,
  isNDArrayList,
  NDARRAY_LIST_MAGIC,
  type NDArrayList,
} from './mxnet-format.js';
export {
  type FileContent,
  type ReadFileOptions,
  readFileBytes,
  readRegularFileSync,
  removeStaleSaveFiles,
  type SyncFileSystem,
  type TempFileHandle,
  writeFileAtomic,
} from './node-file.js';
export {
  decodeSafetensors,
  encodeSafetensors,
  isSafetensors,
  type SafetensorsContents,
} from './safetensors.js';
export { load, save } from './save-load.js';
