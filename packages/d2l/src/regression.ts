/**
 * The linear-regression helpers of d2l 3.2, saved in d2lzh for later sections: the model
 * `linreg`, the per-sample `squaredLoss` and the in-place mini-batch update `sgd` (which the
 * scratch classifiers of chapter 3 reuse through `trainCh3`).
 */
import { type NDArray, nd } from '@minimx/ndarray';

// #region linreg
/**
 * The linear regression model `Xw + b`. d2l 3.2: `d2l.linreg(X, w, b)`.
 * @example const yHat = d2l.linreg(X, w, b);
 */
export function linreg(X: NDArray, w: NDArray, b: NDArray): NDArray {
  return nd.dot(X, w).add(b);
}
// #endregion

// #region squaredLoss
/**
 * The squared loss `(yHat - y)² / 2`, one value per sample (y is reshaped to yHat's shape).
 * d2l 3.2: `d2l.squared_loss(y_hat, y)`.
 * @example const l = d2l.squaredLoss(d2l.linreg(X, w, b), y);
 */
export function squaredLoss(yHat: NDArray, y: NDArray): NDArray {
  return yHat.sub(y.reshape(yHat.shape)).pow(2).div(2);
}
// #endregion

// #region sgd
/**
 * Mini-batch stochastic gradient descent, in place: `param -= lr * param.grad / batchSize` for
 * each parameter (a last, smaller batch is still divided by `batchSize`, as in the book).
 * d2l 3.2: `d2l.sgd(params, lr, batch_size)`.
 * @example d2l.sgd([w, b], 0.03, 10);
 */
export function sgd(params: readonly NDArray[], lr: number, batchSize: number): void {
  for (const param of params) {
    if (param.grad === null)
      throw new Error(`sgd: a parameter of shape (${param.shape}) has no gradient; call attachGrad()`);
    param.set(param.sub(param.grad.mul(lr).div(batchSize)));
  }
}
// #endregion
