/**
 * What regula/tfjs models take as data: one tensor, a list in model order,
 * or an object keyed by input/output name — converted to Regula's model data.
 */
import type { ModelData } from '../models/evaluate.js';
import { Tensor, unwrap } from './tensor.js';

type Named<T> = { [name: string]: T };

/** Inputs or targets: one tensor, a list in model order, or an object keyed by input/output name. */
export type TensorOrArrayOrMap = Tensor | Tensor[] | Named<Tensor>;

/** TF.js's class weights: class index → weight. */
export type ClassWeight = { [classIndex: number]: number };

/** Tensors (or a list, or an object of them) as Regula model data. */
export function toData(x: TensorOrArrayOrMap, who: string): ModelData {
  if (x instanceof Tensor) return unwrap(x);
  if (Array.isArray(x)) return x.map((t) => unwrap(t));
  if (typeof x === 'object' && x !== null) return Object.fromEntries(Object.entries(x).map(([k, t]) => [k, unwrap(t)]));
  throw new Error(`${who}: expected a tf.Tensor, a list or an object of them, got ${typeof x}`);
}
