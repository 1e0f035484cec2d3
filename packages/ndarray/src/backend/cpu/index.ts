/** The reference CPU backend: plain TypeScript kernels that define the semantics of every op. */
import type { Kernels } from '../kernels.js';
import { binary, unary } from './elementwise.js';
import { pick, pickScatter } from './indexing.js';
import { cast, transpose } from './layout.js';
import { matmul } from './matmul.js';
import { argReduce, reduce } from './reduce.js';

/** The reference backend. Faster backends must pass the same tests. */
export const cpuBackend: Kernels = {
  name: 'cpu',
  unary,
  binary,
  reduce,
  argReduce,
  matmul,
  transpose,
  cast,
  pick,
  pickScatter,
};
