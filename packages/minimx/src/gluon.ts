/**
 * `mx.gluon`: the Gluon API from @minimx/nn (nn, loss, Trainer, ...) with `gluon.data` from
 * @minimx/datasets, so `gluon.data.vision.FashionMNIST` and `gluon.data.DataLoader` read as in MXNet.
 */

export * as data from '@minimx/datasets';
export * from '@minimx/nn';
