/**
 * Reverse-mode differentiation over the tape: topologically orders the nodes reachable from
 * the heads, runs each op's gradient rule in reverse, sums gradients back to input shapes
 * (un-broadcasting happens here, once, for every rule) and accumulates paths that meet.
 */
import { type GradRule, needsGrad, state, type TapeNode, withState } from './engine.js';
import { gradientRules } from './gradients.js';
import type { BackwardOptions, NDArray } from './ndarray.js';
import { ones } from './ops/creation.js';
import { sumTo } from './ops/shape-ops.js';
import { shapesEqual, shapeToString } from './shape.js';

/** Orders the arrays reachable from `heads` through tape nodes so each comes after its inputs. */
function topologicalOrder(heads: readonly NDArray[]): NDArray[] {
  const order: NDArray[] = [];
  const visited = new Set<NDArray>();
  const stack: Array<[NDArray, number]> = [];
  for (const h of heads) {
    if (visited.has(h)) continue;
    visited.add(h);
    stack.push([h, 0]);
    while (stack.length) {
      const top = stack[stack.length - 1];
      const node = top[0]._node;
      if (node && top[1] < node.inputs.length) {
        const next = node.inputs[top[1]++];
        if (!visited.has(next)) {
          visited.add(next);
          stack.push([next, 0]);
        }
      } else {
        order.push(top[0]);
        stack.pop();
      }
    }
  }
  return order;
}

/** What an array is, for error messages. */
function describe(x: NDArray): string {
  const kind = x._gradReq !== 'null' ? 'a variable' : x._node !== null ? 'a recorded output' : 'a constant';
  return `${kind} of shape ${shapeToString(x.shape)}`;
}

/**
 * Refuses a node whose output or an input was written in place after the node was recorded:
 * its rule would use the new values and give a silently wrong gradient (PyTorch's version check).
 */
function checkVersions(caller: string, output: NDArray, node: TapeNode): void {
  const clock = node.clock;
  if (writtenAfter(output, clock)) throw modifiedError(caller, node, output, 'its output');
  const inputs = node.inputs;
  for (let j = 0; j < inputs.length; j++) {
    if (writtenAfter(inputs[j], clock)) throw modifiedError(caller, node, inputs[j], `input ${j}`);
  }
}

/** True when checkVersions would refuse the node (its output or an input written after recording). */
function versionsStale(output: NDArray, node: TapeNode): boolean {
  return writtenAfter(output, node.clock) || node.inputs.some((input) => writtenAfter(input, node.clock));
}

/** True when `x`'s storage (shared with its views) was written in place after `clock`. */
function writtenAfter(x: NDArray, clock: number): boolean {
  const v = x._storageVersion;
  return v !== null && v.version > clock;
}

function modifiedError(caller: string, node: TapeNode, x: NDArray, which: string): Error {
  return new Error(
    `${caller}: ${which} of '${node.op}' (${describe(x)}) was modified in place by '${x._storageVersion?.writtenBy}' after '${node.op}' ` +
      'was recorded, so its gradient would use the new values; write it before autograd.record or after backward, ' +
      'or compute from a copy (x.copy())',
  );
}

/**
 * Computes d(sum of heads · headGrads)/d(leaf) for every variable reached. Returns the map
 * from each variable to its gradient. Releases the tape unless `retainGraph`.
 */
export function computeGradients(
  caller: string,
  heads: readonly NDArray[],
  headGrads: ReadonlyArray<NDArray | null> | undefined,
  options: BackwardOptions,
  offerBuffers = false,
): Map<NDArray, NDArray> {
  for (const h of heads) {
    if (h._node === null && h._gradReq === 'null') {
      throw new Error(
        `${caller}: the array of shape ${shapeToString(h.shape)} was not computed from any variable inside autograd.record() ` +
          '(call attachGrad() on the inputs and compute it inside record, or the tape was already released by an earlier backward)',
      );
    }
  }
  if (headGrads && headGrads.length !== heads.length) {
    throw new RangeError(`${caller}: got ${headGrads.length} head gradients for ${heads.length} heads`);
  }
  const createGraph = options.createGraph ?? false;
  // A recorded gradient refers to intermediate arrays of the first graph, so it must stay alive.
  const retainGraph = options.retainGraph ?? createGraph;
  return withState(
    createGraph,
    state.training,
    () => {
      const grads = new Map<NDArray, NDArray>();
      heads.forEach((h, i) => {
        const hg = headGrads?.[i] ?? ones(h.shape, { dtype: h.dtype });
        if (!shapesEqual(hg.shape, h.shape)) {
          throw new RangeError(
            `${caller}: head gradient ${shapeToString(hg.shape)} does not match head ${shapeToString(h.shape)}`,
          );
        }
        const prev = grads.get(h);
        grads.set(h, prev ? prev.add(hg) : hg);
      });
      const order = topologicalOrder(heads);
      const leaves = new Map<NDArray, NDArray>();
      const buffers = offerBuffers && !createGraph ? soleUseBuffers(order, heads, headGrads) : null;
      for (let i = order.length - 1; i >= 0; i--) {
        const x = order[i];
        const g = grads.get(x);
        const node = x._node;
        if (!node) {
          if (g && x._gradReq !== 'null') leaves.set(x, g);
          continue;
        }
        if (!g) continue;
        checkVersions(caller, x, node);
        grads.delete(x);
        const rule: GradRule | undefined = node.rule ?? gradientRules[node.op as keyof typeof gradientRules];
        if (!rule) throw new Error(`${caller}: no gradient rule for op '${node.op}'`);
        const needs = node.inputs.map(needsGrad);
        const into = buffers === null ? undefined : node.inputs.map((v) => buffers.get(v) ?? null);
        const inputGrads = rule(g, {
          inputs: node.inputs,
          output: x,
          attrs: node.attrs,
          needsGrad: needs,
          into,
        });
        node.inputs.forEach((input, j) => {
          const gi = inputGrads[j];
          if (!gi || !needs[j]) return;
          const reduced = sumTo(gi, input.shape);
          const prev = grads.get(input);
          grads.set(input, prev ? prev.add(reduced) : reduced);
        });
      }
      // Released only once every rule has run: after an error the tape is intact, so a retry
      // fails the same way instead of reporting an array "not computed from any variable".
      if (!retainGraph) for (const x of order) x._node = null;
      return leaves;
    },
    caller,
  );
}

/**
 * The gradient buffers a rule may write into directly (see GradContext `into`): for each variable
 * with gradReq 'write' that is the input of exactly one node, is not a head, and whose buffer takes
 * no part in the graph (as an array or a head gradient), its buffer. Such a variable's gradient is
 * that one rule's result, so writing it in place is what `backward()` would have copied. None when
 * the walk would be refused part-way (a node's version check or a missing rule), so a refused
 * backward leaves every gradient as it was.
 */
function soleUseBuffers(
  order: readonly NDArray[],
  heads: readonly NDArray[],
  headGrads: ReadonlyArray<NDArray | null> | undefined,
): Map<NDArray, NDArray> {
  const uses = new Map<NDArray, number>();
  const buffers = new Map<NDArray, NDArray>();
  for (const x of order) {
    const node = x._node;
    if (!node) continue;
    // A walk that is going to be refused (a stale array, an op without a rule) must leave every
    // gradient buffer as it was, so no buffer is offered to the rules that would run before it.
    if (versionsStale(x, node) || !(node.rule ?? gradientRules[node.op as keyof typeof gradientRules]))
      return buffers;
    for (const input of node.inputs) uses.set(input, (uses.get(input) ?? 0) + 1);
  }
  for (const [v, n] of uses) {
    const buffer = v._grad;
    if (n !== 1 || v._node !== null || v._gradReq !== 'write' || buffer === null) continue;
    if (heads.includes(v) || uses.has(buffer) || heads.includes(buffer) || headGrads?.includes(buffer))
      continue;
    buffers.set(v, buffer);
  }
  return buffers;
}

/** Runs backward from `heads` and writes (or adds, per gradReq) into each variable's `.grad`. */
export function backward(
  heads: readonly NDArray[],
  headGrads: ReadonlyArray<NDArray | null> | undefined,
  options: BackwardOptions = {},
): void {
  const leaves = computeGradients('backward', heads, headGrads, options, true);
  for (const [variable, g] of leaves) {
    const buffer = variable._grad;
    if (!buffer) continue;
    if (variable._gradReq === 'add') buffer.set(buffer.add(g.detach()));
    else if (g !== buffer) buffer.set(g.detach());
    else buffer._noteWrite('backward');
    variable._freshGrad = true;
  }
}
