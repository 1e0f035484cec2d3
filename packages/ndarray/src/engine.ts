/**
 * The engine: autograd's recording state and the tape. Ops compute their output with the
 * kernels, then call `recordOp`, which (only while recording, and only when an input needs a
 * gradient) hangs a tape node on the output naming the primitive, its inputs and attributes.
 * The tape is therefore the graph of nodes reachable from the arrays the user still holds: no
 * global list grows, and `backward()` releases the nodes it walked unless asked to retain them.
 */
import type { Primitive } from './gradients.js';
import type { NDArray } from './ndarray.js';

/** How `backward()` treats a variable's gradient buffer: overwrite, accumulate, or none. */
export type GradReq = 'write' | 'add' | 'null';

/** Attributes of a recorded op (axis, keepdims, ...), passed back to its gradient rule. */
export type Attrs = Readonly<Record<string, unknown>>;

/** What a gradient rule receives: the recorded inputs, the output and the attributes. */
export interface GradContext {
  readonly inputs: readonly NDArray[];
  readonly output: NDArray;
  readonly attrs: Attrs;
  /** Which inputs need a gradient; a rule may skip computing the others (returning null). */
  readonly needsGrad: readonly boolean[];
  /**
   * Per input, an array the rule may write that input's whole gradient into and return in place of
   * a new one, or null: `backward()` offers a variable's own gradient buffer ('write') when this is
   * the variable's only use in the graph, so the gradient needs no array and no copy of its own.
   */
  readonly into?: readonly (NDArray | null)[];
}

/**
 * A gradient rule: given the gradient of the output, the gradients of each input (null where
 * an input gets none). Gradients may have the broadcast output shape; the engine sums them back
 * to each input's shape.
 */
export type GradRule = (dy: NDArray, ctx: GradContext) => ReadonlyArray<NDArray | null>;

/** One recorded operation. */
export interface TapeNode {
  readonly op: Primitive;
  readonly inputs: readonly NDArray[];
  readonly attrs: Attrs;
  /** A rule of its own (custom functions); otherwise the table entry for `op` is used. */
  readonly rule?: GradRule;
  /**
   * The write clock when the node was recorded: an input (or the output) whose storage's
   * version is larger was written in place afterwards, and backward refuses to use its new values.
   */
  readonly clock: number;
}

/** Autograd's global mode: whether ops are recorded and whether layers act as in training. */
export const state = { recording: false, training: false };

const noAttrs: Attrs = Object.freeze({});

/** True when `x` takes part in differentiation: it is a variable or was computed from one. */
export function needsGrad(x: NDArray): boolean {
  return x._node !== null || x._gradReq !== 'null';
}

/**
 * The write clock: every in-place write stamps its target's storage with the next value, and
 * every tape node keeps the value current when it was recorded, so backward can tell whether an
 * array the node used was overwritten since (PyTorch's version counter, with one counter for all
 * arrays so a node stores one number instead of one per input).
 */
let writeClock = 0;

/**
 * The version of one storage (typed array): the clock of its last in-place write and the op that
 * made it. Every NDArray viewing the same storage (`reshape`, `detach`, `flatten`, ...) holds the
 * same object, so a write through any of them is seen by a node that recorded another. Created on
 * the first write or the first view, so an array that is never written nor viewed allocates none.
 */
export interface StorageVersion {
  version: number;
  writtenBy: string;
}

/** The version of `x`'s storage, created if it has none yet. */
function storageVersion(x: NDArray): StorageVersion {
  let v = x._storageVersion;
  if (v === null) {
    v = { version: 0, writtenBy: '' };
    x._storageVersion = v;
  }
  return v;
}

/**
 * Makes `view`, a new NDArray over `base`'s typed array, share `base`'s version, so writes through
 * either are seen by tape nodes that recorded the other. Every op that returns a view calls it.
 */
export function shareStorage(base: NDArray, view: NDArray): void {
  view._storageVersion = storageVersion(base);
}

/** The current write clock (for tests and for `recordOp`). */
export function currentClock(): number {
  return writeClock;
}

/**
 * Notes an in-place write into `x` by `op`: bumps its version so that a tape node recorded
 * before the write refuses it in backward. `checkInPlace` calls it; code that writes an array's
 * typed array directly (the optimizers' updates) calls it too.
 */
export function noteWrite(x: NDArray, op: string): void {
  const v = storageVersion(x);
  v.version = ++writeClock;
  v.writtenBy = op;
}

/**
 * Refuses an in-place write into `x` while recording when `x` is part of the graph (a variable
 * or a recorded output), with MXNet's message: the tape would otherwise hold overwritten values.
 * Every in-place path (`set`, `addInPlace`, the `out` option, `copyto`) calls this; it also bumps
 * the target's version (`noteWrite`), which backward checks.
 */
export function checkInPlace(op: string, x: NDArray): void {
  if (state.recording && needsGrad(x)) {
    throw new Error(
      `${op}: Inplace operations (+=, -=, x[:]=, etc) are not supported when recording with autograd ` +
        `(the target of shape (${x.shape.join(',')}${x.shape.length === 1 ? ',' : ''}) is ${
          x._node !== null ? 'a recorded output' : 'a variable'
        }); write outside autograd.record, or into an array that is not part of the graph`,
    );
  }
  noteWrite(x, op);
}

/**
 * Records `output = op(inputs)` on the tape when recording and some input needs a gradient.
 * Returns `output` so ops can end with `return recordOp(...)`.
 */
export function recordOp(
  op: Primitive,
  inputs: readonly NDArray[],
  output: NDArray,
  attrs?: Attrs,
  rule?: GradRule,
): NDArray {
  if (!state.recording) return output;
  for (let i = 0; i < inputs.length; i++) {
    if (needsGrad(inputs[i])) {
      output._node = { op, inputs, attrs: attrs ?? noAttrs, rule, clock: writeClock };
      return output;
    }
  }
  return output;
}

/** Runs `fn` with the given recording/training flags, restoring the previous ones afterwards. */
export function withState<T>(recording: boolean, training: boolean, fn: () => T, caller: string): T {
  const prevRecording = state.recording;
  const prevTraining = state.training;
  state.recording = recording;
  state.training = training;
  try {
    const result = fn();
    if (result instanceof Promise) {
      throw new TypeError(
        `${caller}: the callback must be synchronous (it returned a Promise); ` +
          'await outside the callback instead, so concurrent trainings cannot share one recording scope',
      );
    }
    return result;
  } finally {
    state.recording = prevRecording;
    state.training = prevTraining;
  }
}
