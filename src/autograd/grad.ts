/**
 * Reverse-mode gradients over the define-by-run tape.
 * @example
 * const { value, grads } = valueAndGrad(() => sum(square(w)), [w]);
 */
import { getBackend } from '../backend/select.js';
import type { FloatArray } from '../backend/backend.js';
import { fmt, shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { noGrad, startTape, stopTape } from './tape.js';

/** What `valueAndGrad` returns. */
export interface ValueAndGrad {
  value: Tensor;
  /** One gradient per requested tensor, same shape (zeros where it did not influence the value). */
  grads: Tensor[];
}

/**
 * Runs `f` while recording, then returns f's scalar value and d value / d x for
 * each x in `wrt`. `f` must return a scalar (size-1) float tensor.
 */
export function valueAndGrad(f: () => Tensor, wrt: readonly Tensor[]): ValueAndGrad {
  const tape = startTape(wrt);
  let value: Tensor;
  try {
    value = f();
  } catch (e) {
    stopTape();
    throw e;
  }
  stopTape();
  if (!(value instanceof Tensor) || value.size !== 1 || value.dtype !== 'float32') {
    throw new Error(`valueAndGrad: the function must return a float32 scalar, got ${value instanceof Tensor ? fmt(value.shape) : typeof value}`);
  }
  const b = getBackend();
  const grads = new Map<Tensor, Tensor>();
  grads.set(value, new Tensor(value.shape, 'float32', b.fill(1, 1)));
  noGrad(() => {
    for (let i = tape.nodes.length - 1; i >= 0; i--) {
      const node = tape.nodes[i]!;
      const dy = grads.get(node.output);
      if (!dy) continue;
      const dins = node.backward(dy, node.needs);
      for (let j = 0; j < node.inputs.length; j++) {
        const inp = node.inputs[j]!;
        const g = dins[j];
        if (!g || !node.needs[j]) continue;
        if (!shapesEqual(g.shape, inp.shape)) {
          throw new Error(`internal: backward of '${node.op}' gave ${fmt(g.shape)} for input ${fmt(inp.shape)}`);
        }
        const prev = grads.get(inp);
        grads.set(inp, prev ? new Tensor(inp.shape, 'float32', b.axpby(1, prev.data as FloatArray, 1, g.data as FloatArray)) : g);
      }
      grads.delete(node.output);
    }
  });
  for (const n of tape.nodes) n.output.node = undefined;
  return {
    value,
    grads: wrt.map((x) => grads.get(x) ?? new Tensor(x.shape, 'float32', b.fill(x.size, 0))),
  };
}

/** Gradients only. */
export function grad(f: () => Tensor, wrt: readonly Tensor[]): Tensor[] {
  return valueAndGrad(f, wrt).grads;
}
