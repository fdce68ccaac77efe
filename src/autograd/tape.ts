/**
 * The define-by-run tape. While `valueAndGrad` runs its function, every op whose
 * inputs depend on a watched variable records a node: its inputs, its output and
 * how to map the output's gradient to the inputs' gradients. `backward` walks the
 * nodes once, newest first. Backward rules run with recording paused (no
 * higher-order gradients).
 */
import type { Tensor } from '../tensor/tensor.js';

/** One recorded op: inputs, output and the rule mapping dy to the inputs' gradients. */
export interface TapeNode {
  readonly tape: number;
  readonly op: string;
  readonly inputs: readonly Tensor[];
  readonly output: Tensor;
  /** Per input: whether it is tracked (needs a gradient); rules may skip the others' gradients. */
  readonly needs: readonly boolean[];
  /** Maps dy to one gradient per input; `needs[i]` false means input i's gradient is never used (may be null). */
  readonly backward: (dy: Tensor, needs: readonly boolean[]) => ReadonlyArray<Tensor | null>;
}

interface ActiveTape {
  id: number;
  watched: Set<Tensor>;
  nodes: TapeNode[];
}

let active: ActiveTape | undefined;
let paused = 0;
let nextTape = 1;

/** True if `t` takes part in the gradient being recorded. */
export function isTracked(t: Tensor): boolean {
  if (!active || paused > 0) return false;
  return active.watched.has(t) || t.node?.tape === active.id;
}

/**
 * Records `output = op(inputs)` if any input is tracked. Returns `output`.
 * `backward(dy)` returns one gradient (or null) per input, shaped like it.
 */
export function record(op: string, inputs: readonly Tensor[], output: Tensor, backward: TapeNode['backward']): Tensor {
  if (!active || paused > 0) return output;
  const needs = inputs.map(isTracked);
  if (needs.indexOf(true) < 0) return output;
  const node: TapeNode = { tape: active.id, op, inputs, output, needs, backward };
  output.node = node;
  active.nodes.push(node);
  return output;
}

/** Runs fn without recording. */
export function noGrad<T>(fn: () => T): T {
  paused++;
  try {
    return fn();
  } finally {
    paused--;
  }
}

/** Starts a tape watching `vars`; returns a handle to finish it. Internal to grad.ts. */
export function startTape(vars: readonly Tensor[]): ActiveTape {
  if (active) throw new Error('valueAndGrad: nested gradient tapes are not supported');
  active = { id: nextTape++, watched: new Set(vars), nodes: [] };
  return active;
}

/** Ends the active tape (its nodes stay with the handle `startTape` returned). Internal to grad.ts. */
export function stopTape(): void {
  active = undefined;
}

export type { ActiveTape };
