/**
 * Fused activation gradients: `sigmoidBackward`, the sigmoid's gradient from its output in one
 * kernel (the composite `dy · y · (1 - y)` is three element-wise passes and three temporaries).
 * The sigmoid's gradient rule calls it; it is a primitive with its own rule, so second-order
 * gradients through a sigmoid still work.
 */
import { kernels } from '../backend/registry.js';
import { isFloat, promote } from '../dtype.js';
import { recordOp } from '../engine.js';
import type { NDArray } from '../ndarray.js';
import { shapesEqual, shapeToString } from '../shape.js';
import { checkArray, empty } from './operand.js';

/**
 * `dy · y · (1 - y)`: the gradient of the sigmoid with respect to its input, given its output `y`
 * and the output gradient `dy` (same shape). The result's dtype is the wider of the two (float32
 * for integer inputs).
 * @example sigmoidBackward(x.sigmoid(), nd.onesLike(x)) // σ'(x)
 */
export function sigmoidBackward(y: NDArray, dy: NDArray): NDArray {
  checkArray('sigmoidBackward', y, 'y');
  checkArray('sigmoidBackward', dy, 'dy');
  if (!shapesEqual(y.shape, dy.shape)) {
    throw new RangeError(
      `sigmoidBackward: y has shape ${shapeToString(y.shape)} but dy has shape ${shapeToString(dy.shape)}`,
    );
  }
  const wide = promote(y.dtype, dy.dtype);
  const dtype = isFloat(wide) ? wide : 'float32';
  const a = y.dtype === dtype ? y : y.astype(dtype);
  const b = dy.dtype === dtype ? dy : dy.astype(dtype);
  const out = empty(y.shape, dtype);
  kernels().sigmoidBackward(a.data, b.data, out.data);
  return recordOp('sigmoidBackward', [a, b], out);
}
