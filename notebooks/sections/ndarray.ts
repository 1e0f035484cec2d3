/**
 * d2l 2.2 Data Manipulation
 *
 * "Dive into Deep Learning", MXNet edition, section 2.2, in the order of the book's code: making
 * NDArrays (`nd.arange`, `reshape`, `nd.zeros`, `nd.ones`, `nd.array`, `nd.random.normal`),
 * elementwise arithmetic, `nd.dot`, `nd.concat`, comparisons, sums and norms, broadcasting,
 * indexing and slicing, and in-place writes. No training; every cell prints an array in MXNet's form.
 */
import { nd } from '@minimx/ndarray';

// #region 2.2.1 Creating an NDArray
// `nd.arange(12)` makes a row vector of 0..11 (float32); `.shape` and `.size` describe it;
// `reshape((3, 4))` makes it a 3x4 matrix; `nd.zeros((2, 3, 4))`, `nd.ones((3, 4))`, `nd.array`
// of nested lists and `nd.random.normal(0, 1, shape=(3, 4))` make others.
const x = nd.arange(12);
console.log(`${x}`, x.shape, x.size);
const X = x.reshape(3, 4);
console.log(`${X}`);
console.log(`${nd.zeros([2, 3, 4])}`);
console.log(`${nd.ones([3, 4])}`);
const Y = nd.array([
  [2, 1, 4, 3],
  [1, 2, 3, 4],
  [4, 3, 2, 1],
]);
console.log(`${Y}`);
console.log(`${nd.random.normal({ loc: 0, scale: 1, shape: [3, 4] })}`);
// #endregion

// #region 2.2.2 Operations
// Elementwise `X + Y`, `X * Y`, `X / Y` and `Y.exp()`; the matrix product `nd.dot(X, Y.T)`;
// `nd.concat(X, Y, dim=0)` and `dim=1` stack along rows and columns; `X == Y` gives 0/1 values;
// `X.sum()` and `X.norm().asscalar()` reduce to one number.
console.log(`${X.add(Y)}`, `${X.mul(Y)}`, `${X.div(Y)}`, `${Y.exp()}`);
console.log(`${nd.dot(X, Y.T)}`);
console.log(`${nd.concat(X, Y, { dim: 0 })}`, `${nd.concat(X, Y, { dim: 1 })}`);
console.log(`${X.equal(Y)}`);
console.log(`${X.sum()}`, X.norm().asScalar());
// #endregion

// #region 2.2.3 Broadcast mechanism
// A (3, 1) `A` plus a (1, 2) `B` copies A's column and B's row to a common (3, 2) shape first.
const A = nd.arange(3).reshape(3, 1);
const B = nd.arange(2).reshape(1, 2);
console.log(`${A}`, `${B}`);
A.add(B);
// #endregion

// #region 2.2.4 Indexing
// `X[1:3]` takes rows 1 and 2; `X[1, 2] = 9` writes one element; `X[1:2, :] = 12` a whole row.
console.log(`${X.get('1:3')}`);
X.set('1, 2', 9);
console.log(`${X}`);
X.set('1:2, :', 12);
X;
// #endregion

// #region 2.2.5 Saving memory
// `Z = Y.zeros_like(); Z[:] = X + Y` writes the result into Z's memory instead of a new array;
// `X += Y` updates X in place.
const Z = nd.zerosLike(Y);
Z.set(X.add(Y));
console.log(`${Z}`);
X.addInPlace(Y);
X;
// #endregion
