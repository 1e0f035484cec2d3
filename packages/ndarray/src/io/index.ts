/**
 * Array files, the user API: MXNet's NDArray-list format and safetensors (pure codecs on bytes),
 * `nd.save` / `nd.load` and their in-memory halves. Reachable as `io` from `@minimx/ndarray`.
 * What minimx's own packages share beyond this (CRC-32, the legacy "MMXP" codec, the Node-only
 * atomic write and checked reads) is in `@minimx/ndarray/internal`, outside the public API.
 */
export {
  type ArrayFileFormat,
  type LoadOptions,
  type LoadResult,
  loadFromBuffer,
  type SaveData,
  type SaveOptions,
  saveToBuffer,
} from './array-file.js';
export { NDArrayFileError } from './binary.js';
export {
  decodeNDArrayList,
  type EncodeNDArrayListOptions,
  encodeNDArrayList,
  isNDArrayList,
  NDARRAY_LIST_MAGIC,
  type NDArrayList,
} from './mxnet-format.js';
export {
  decodeSafetensors,
  encodeSafetensors,
  isSafetensors,
  type SafetensorsContents,
} from './safetensors.js';
export { load, save } from './save-load.js';
