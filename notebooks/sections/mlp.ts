/**
 * d2l 3.8 Multilayer Perceptron
 *
 * "Dive into Deep Learning", MXNet edition, section 3.8, in the order of the book's code: the
 * three activation functions ReLU, sigmoid and tanh plotted with `xyplot` over [-8, 8), each with
 * its derivative, which `autograd` computes (`attach_grad`, `record`, `backward`).
 */
import * as d2l from '@minimx/d2l';
import { autograd, type NDArray, nd } from '@minimx/ndarray';

// #region 3.8.2 Activation functions
// `xyplot(x_vals, y_vals, name)` draws `name(x)` against x in a 5 x 2.5 inch figure (helper of the
// section, saved in d2lzh), over `x = nd.arange(-8.0, 8.0, 0.1)` with `x.attach_grad()`.
// helpers: xyplot
const x = nd.arange(-8.0, 8.0, 0.1);
x.attachGrad();
// #endregion

// #region 3.8.2.1 ReLU function
// `y = x.relu()` under `autograd.record()`, plotted; then `y.backward()` and `x.grad` plotted as
// "grad of relu": 0 for negative inputs, 1 for positive ones.
let y: NDArray = autograd.record(() => x.relu());
await d2l.display(d2l.xyplot(x, y, 'relu'));
y.backward();
await d2l.display(d2l.xyplot(x, x.grad!, 'grad of relu'));
// #endregion

// #region 3.8.2.2 Sigmoid function
// `y = x.sigmoid()` squashes inputs into (0, 1); its derivative peaks at 0.25 at x = 0.
y = autograd.record(() => x.sigmoid());
await d2l.display(d2l.xyplot(x, y, 'sigmoid'));
y.backward();
await d2l.display(d2l.xyplot(x, x.grad!, 'grad of sigmoid'));
// #endregion

// #region 3.8.2.3 Tanh function
// `y = x.tanh()` squashes inputs into (-1, 1); its derivative peaks at 1 at x = 0.
y = autograd.record(() => x.tanh());
await d2l.display(d2l.xyplot(x, y, 'tanh'));
y.backward();
await d2l.display(d2l.xyplot(x, x.grad!, 'grad of tanh'));
// #endregion
