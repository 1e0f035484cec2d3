/** The reference CPU backend: plain TypeScript kernels that define the semantics of every op. */
import type { Kernels } from '../kernels.js';
import { batchNormBackward, batchNormForward } from './batch-norm.js';
import { conv2d, conv2dBackwardData, conv2dBackwardFilter, conv2dBiasActBackward } from './conv.js';
import { biasAct, denseBiasActBackward } from './dense.js';
import { binary, sigmoidBackward, unary, where } from './elementwise.js';
import { gatherRowsDivideU8, gatherRowsLookupU8 } from './gather-rows.js';
import { gather, pick, pickScatter, scatterAdd } from './indexing.js';
import { cast, copyStrided, transpose } from './layout.js';
import { matmul } from './matmul.js';
import { sgdUpdate } from './optim.js';
import { pool2d, pool2dBackward } from './pool.js';
import { argReduce, reduce } from './reduce.js';
import { softmax, softmaxCrossEntropy, softmaxCrossEntropyBackward } from './softmax.js';

/** The reference backend. Faster backends must pass the same tests. */
export const cpuBackend: Kernels = {
  name: 'cpu',
  unary,
  binary,
  sigmoidBackward,
  reduce,
  argReduce,
  matmul,
  transpose,
  cast,
  pick,
  pickScatter,
  softmax,
  softmaxCrossEntropy,
  softmaxCrossEntropyBackward,
  copyStrided,
  gather,
  scatterAdd,
  where,
  conv2d,
  conv2dBackwardData,
  conv2dBackwardFilter,
  conv2dBiasActBackward,
  biasAct,
  denseBiasActBackward,
  pool2d,
  pool2dBackward,
  batchNormForward,
  batchNormBackward,
  sgdUpdate,
  gatherRowsLookupU8,
  gatherRowsDivideU8,
};
