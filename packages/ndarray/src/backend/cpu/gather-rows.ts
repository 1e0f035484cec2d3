/**
 * Reference kernels of the DataLoader's one-pass batch: rows of a uint8 array (images) gathered
 * into a new Float32Array, each byte mapped through a 256-entry table or divided by a number, the
 * values the per-item transforms give (see `@minimx/datasets`' fused-batch tests).
 */

/** out[k·rowSize + j] = table[data[indices[k]·rowSize + j]]. */
export function gatherRowsLookupU8(
  data: Uint8Array,
  rowSize: number,
  indices: Int32Array,
  table: Float32Array,
): Float32Array {
  const out = new Float32Array(indices.length * rowSize);
  for (let k = 0; k < indices.length; k++) {
    const base = indices[k] * rowSize;
    const o = k * rowSize;
    for (let j = 0; j < rowSize; j++) out[o + j] = table[data[base + j]];
  }
  return out;
}

/** out[k·rowSize + j] = data[indices[k]·rowSize + j] / divisor, rounded to float32. */
export function gatherRowsDivideU8(
  data: Uint8Array,
  rowSize: number,
  indices: Int32Array,
  divisor: number,
): Float32Array {
  const out = new Float32Array(indices.length * rowSize);
  for (let k = 0; k < indices.length; k++) {
    const base = indices[k] * rowSize;
    const o = k * rowSize;
    for (let j = 0; j < rowSize; j++) out[o + j] = data[base + j] / divisor;
  }
  return out;
}
