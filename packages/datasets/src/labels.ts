/**
 * The text labels of Fashion-MNIST's ten classes, d2l's `get_fashion_mnist_labels`.
 */
import { NDArray } from '@minimx/ndarray';

/** The ten Fashion-MNIST class names, index = numeric label (the spelling d2l uses). */
export const FASHION_MNIST_CLASSES: readonly string[] = Object.freeze([
  't-shirt',
  'trouser',
  'pullover',
  'dress',
  'coat',
  'sandal',
  'shirt',
  'sneaker',
  'bag',
  'ankle boot',
]);

/**
 * Maps numeric labels (numbers, a typed array, or an NDArray such as `y` or `argmax` output,
 * float or int) to Fashion-MNIST's text labels; an error names a label that is not 0..9.
 *
 * MXNet counterpart: d2l's `d2l.get_fashion_mnist_labels(labels)`.
 *
 * @example
 * ```ts
 * getFashionMnistLabels([2, 9]); // ['pullover', 'ankle boot']
 * const titles = getFashionMnistLabels(y).map((t, i) => `${t}\n${predicted[i]}`);
 * ```
 */
export function getFashionMnistLabels(labels: NDArray | ArrayLike<number> | Iterable<number>): string[] {
  const values: ArrayLike<number> =
    labels instanceof NDArray
      ? labels.data
      : Symbol.iterator in Object(labels)
        ? Array.from(labels as Iterable<number>)
        : (labels as ArrayLike<number>);
  return Array.from(values, (v, i) => {
    const name = Number.isInteger(v) ? FASHION_MNIST_CLASSES[v] : undefined;
    if (name === undefined)
      throw new RangeError(`getFashionMnistLabels: label ${i} is ${v}, not an integer in 0..9`);
    return name;
  });
}
