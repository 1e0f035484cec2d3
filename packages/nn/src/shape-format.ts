/** Formats shapes as MXNet prints them in messages: `(10,784)`, `(5,)`, `()`. */

/** `(10,784)` for [10, 784], `(5,)` for [5]. @example formatShape([256, 784]) // '(256,784)' */
export function formatShape(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(',')})`;
}
