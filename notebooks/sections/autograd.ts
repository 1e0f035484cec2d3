/**
 * d2l 2.3 Automatic Gradient Computation
 *
 * "Dive into Deep Learning", MXNet edition, section 2.3, in the order of the book's code: the
 * gradient of `y = 2 x^T x` with `attach_grad`, `autograd.record` and `backward` (it is `4x`),
 * training and prediction modes (`autograd.is_training`), and the gradient of a function with
 * Python control flow (a `while` loop and an `if`), which equals `f(a) / a`.
 */
import { autograd, type NDArray, nd } from '@minimx/ndarray';

// #region 2.3.1 A simple example
// `x = nd.arange(4).reshape((4, 1))`, `x.attach_grad()` allocates its gradient, the forward pass
// `y = 2 * nd.dot(x.T, x)` runs under `autograd.record()`, `y.backward()` fills `x.grad`, which
// equals `4 * x`.
const x = nd.arange(4).reshape(4, 1);
x.attachGrad();
const y = autograd.record(() => nd.dot(x.T, x).mul(2));
y.backward();
console.log(`${x.grad}`);
x.grad!.equal(x.mul(4));
// #endregion

// #region 2.3.2 Training mode and prediction mode
// `autograd.is_training()` is False outside `record()` and True inside it.
console.log(autograd.isTraining());
autograd.record(() => {
  console.log(autograd.isTraining());
});
// #endregion

// #region 2.3.3 Gradients of Python control flow
// `f(a)` doubles `a` until its norm reaches 1000, then keeps it or multiplies it by 100 by the sign
// of its sum: piecewise linear in `a`, so the gradient `a.grad` equals `c / a`, with `c = f(a)`.
function f(a: NDArray): NDArray {
  let b = a.mul(2);
  while (b.norm().asScalar() < 1000) b = b.mul(2);
  return b.sum().asScalar() > 0 ? b : b.mul(100);
}

const a = nd.random.normal({ shape: [1] });
a.attachGrad();
const c = autograd.record(() => f(a));
c.backward();
a.grad!.equal(c.div(a));
// #endregion
