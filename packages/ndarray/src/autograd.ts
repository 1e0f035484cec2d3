/**
 * The public autograd API, MXNet's `mx.autograd`: `record` and `pause` scopes (callbacks in
 * place of Python's `with` blocks), training-mode switches, `backward` over several heads,
 * `grad` that returns gradients instead of writing them, and `Function` for custom ops.
 */
import { computeGradients, backward as runBackward } from './autograd-core.js';
import { type GradReq, recordOp, state, withState } from './engine.js';
import { type BackwardOptions, NDArray } from './ndarray.js';
import { zerosLike } from './ops/creation.js';
import { shapesEqual, shapeToString } from './shape.js';

export type { GradReq } from './engine.js';
export type { BackwardOptions } from './ndarray.js';

/**
 * Runs `fn` with recording on (and training mode on unless `trainMode: false`), returning its
 * value. MXNet: `with autograd.record(train_mode=True):`. The callback must be synchronous.
 * @example const l = autograd.record(() => loss(net(X), y).sum()); l.backward();
 */
export function record<T>(fn: () => T, options: { trainMode?: boolean } = {}): T {
  return withState(true, options.trainMode ?? true, fn, 'autograd.record');
}

/**
 * Runs `fn` with recording off (and training mode off unless `trainMode: true`).
 * MXNet: `with autograd.pause(train_mode=False):`.
 * @example autograd.record(() => { const y = f(x); autograd.pause(() => log(y)); return y; })
 */
export function pause<T>(fn: () => T, options: { trainMode?: boolean } = {}): T {
  return withState(false, options.trainMode ?? false, fn, 'autograd.pause');
}

/** Runs `fn` in training mode without changing recording. MXNet: `with autograd.train_mode():`. @example autograd.trainMode(() => dropout(x)) */
export function trainMode<T>(fn: () => T): T {
  return withState(state.recording, true, fn, 'autograd.trainMode');
}

/** Runs `fn` in prediction mode without changing recording. MXNet: `with autograd.predict_mode():`. @example autograd.predictMode(() => net(X)) */
export function predictMode<T>(fn: () => T): T {
  return withState(state.recording, false, fn, 'autograd.predictMode');
}

/** True inside `record`. MXNet: `autograd.is_recording()`. @example autograd.isRecording() */
export function isRecording(): boolean {
  return state.recording;
}

/** True in training mode (inside `record` by default). MXNet: `autograd.is_training()`. @example autograd.isTraining() */
export function isTraining(): boolean {
  return state.training;
}

/**
 * Back-propagates from several heads at once (their gradients add). MXNet: `autograd.backward(heads, head_grads)`.
 * @example autograd.backward([l1, l2]);
 */
export function backward(
  heads: NDArray | readonly NDArray[],
  headGrads?: ReadonlyArray<NDArray | null> | NDArray,
  options: BackwardOptions = {},
): void {
  const hs = Array.isArray(heads) ? heads : [heads as NDArray];
  const hg =
    headGrads === undefined ? undefined : Array.isArray(headGrads) ? headGrads : [headGrads as NDArray];
  runBackward(hs, hg, options);
}

/** Options of `autograd.grad`. */
export interface GradOptions extends BackwardOptions {
  /** The gradients of the heads to start from, one per head (null: ones). MXNet: `head_grads`. */
  headGrads?: ReadonlyArray<NDArray | null>;
}

/**
 * Returns the gradients of `heads` with respect to `variables` without touching their `.grad`.
 * With `createGraph: true` the result is itself recorded (higher-order gradients).
 * MXNet: `autograd.grad(heads, variables, head_grads, retain_graph, create_graph)`.
 * @example const [dx] = autograd.grad(y, [x]);
 */
export function grad(
  heads: NDArray | readonly NDArray[],
  variables: readonly NDArray[],
  options: GradOptions = {},
): NDArray[] {
  const hs = Array.isArray(heads) ? heads : [heads as NDArray];
  for (const v of variables) {
    if (v._gradReq === 'null') {
      throw new Error(
        `autograd.grad: variable of shape ${shapeToString(v.shape)} has no gradient attached; call attachGrad() before recording`,
      );
    }
  }
  const leaves = computeGradients('autograd.grad', hs, options.headGrads, options);
  return variables.map((v) => leaves.get(v) ?? zerosLike(v));
}

/**
 * A differentiable function with a hand-written backward, MXNet's `autograd.Function`.
 * Subclass it, implement `forward` and `backward` (both on NDArrays, not recorded), and call `apply`.
 * `saveForBackward` keeps values for backward.
 * @example
 * class Sigmoid extends autograd.Function {
 *   forward(x: NDArray) { const y = x.neg().exp().add(1).reciprocal(); this.saveForBackward(y); return y; }
 *   backward(dy: NDArray) { const [y] = this.saved; return dy.mul(y).mul(y.neg().add(1)); }
 * }
 * const y = new Sigmoid().apply(x);
 */
// biome-ignore lint/suspicious/noShadowRestrictedNames: the name mirrors MXNet's autograd.Function and is only reachable as autograd.Function.
export abstract class Function {
  /** Values stored by `saveForBackward`. */
  saved: NDArray[] = [];

  /** Stores values for `backward`. MXNet: `self.save_for_backward(...)`. */
  saveForBackward(...values: NDArray[]): void {
    this.saved = values;
  }

  /** Computes the outputs from the inputs (runs with recording paused). */
  abstract forward(...inputs: NDArray[]): NDArray;

  /** Given the output gradient, returns one gradient per input (same shapes as the inputs). */
  abstract backward(dy: NDArray): NDArray | NDArray[];

  /** Runs forward and, when recording, records this function's backward on the tape. */
  apply(...inputs: NDArray[]): NDArray {
    const wasRecording = state.recording;
    const output = withState(false, state.training, () => this.forward(...inputs), 'autograd.Function');
    if (!wasRecording) return output;
    const result = output.detach();
    return recordOp('custom', inputs, result, undefined, (dy) => {
      const grads = withState(false, state.training, () => this.backward(dy), 'autograd.Function.backward');
      const list = Array.isArray(grads) ? grads : [grads];
      if (list.length !== inputs.length) {
        throw new RangeError(
          `autograd.Function: backward returned ${list.length} gradients for ${inputs.length} inputs`,
        );
      }
      list.forEach((g, i) => {
        if (!shapesEqual(g.shape, inputs[i].shape)) {
          throw new RangeError(
            `autograd.Function: gradient ${i} has shape ${shapeToString(g.shape)}, input has ${shapeToString(inputs[i].shape)}`,
          );
        }
      });
      return list;
    });
  }
}

/** Marks arrays as variables with the given gradient buffers. MXNet: `autograd.mark_variables`. @example autograd.markVariables([x], [nd.zerosLike(x)]) */
export function markVariables(
  variables: readonly NDArray[],
  gradients: readonly NDArray[],
  gradReqs: GradReq | readonly GradReq[] = 'write',
): void {
  if (!Array.isArray(variables) || !Array.isArray(gradients) || variables.length !== gradients.length) {
    throw new RangeError(
      `markVariables: expected one gradient buffer per variable, got ${Array.isArray(variables) ? variables.length : typeof variables} variables and ${Array.isArray(gradients) ? gradients.length : typeof gradients} gradients`,
    );
  }
  if (typeof gradReqs !== 'string' && gradReqs.length !== variables.length) {
    throw new RangeError(`markVariables: got ${gradReqs.length} gradReqs for ${variables.length} variables`);
  }
  variables.forEach((v, i) => {
    const g = gradients[i];
    if (!(g instanceof NDArray) || !shapesEqual(g.shape, v.shape)) {
      throw new RangeError(
        `markVariables: gradient ${i} must be an NDArray of the variable's shape ${shapeToString(v.shape)}, got ${g instanceof NDArray ? shapeToString(g.shape) : String(g)}`,
      );
    }
  });
  variables.forEach((v, i) => {
    v.attachGrad({ gradReq: typeof gradReqs === 'string' ? gradReqs : gradReqs[i] });
    if (v._grad) v._grad = gradients[i];
  });
}
