/**
 * TF.js values → core tensors: nested arrays (typed arrays at any level),
 * numbers and typed arrays, with TF.js's dtype inference (Int32Array and
 * Uint8Array give int32, everything else float32) and its int32 conversion
 * (truncation, as `Int32Array.from` does). Booleans and strings are not
 * provided.
 */
import { tensor as coreTensor } from '../tensor/create.js';
import { Tensor as CoreTensor } from '../tensor/tensor.js';
import type { DataType, TensorLike } from './types.js';

function isTyped(v: unknown): v is Float32Array | Int32Array | Uint8Array | Float64Array {
  return ArrayBuffer.isView(v) && !(v instanceof DataView);
}

/** The flat values and inferred shape of nested arrays; errors name `op`. */
export function flattenValues(values: TensorLike, op: string): { flat: ArrayLike<number>; shape: number[]; inferred: DataType } {
  if (typeof values === 'number') return { flat: [values], shape: [], inferred: 'float32' };
  if (isTyped(values)) return { flat: values, shape: [values.length], inferred: values instanceof Int32Array || values instanceof Uint8Array ? 'int32' : 'float32' };
  if (!Array.isArray(values)) throw new Error(`${op}: expected numbers, a typed array or nested arrays of them, got ${values === null ? 'null' : typeof values}`);
  const shape: number[] = [];
  let level: unknown = values;
  while (Array.isArray(level) || isTyped(level)) {
    shape.push((level as ArrayLike<unknown>).length);
    level = Array.isArray(level) ? level[0] : undefined;
  }
  const flat: number[] = [];
  const walk = (v: unknown, depth: number): void => {
    if (depth === shape.length) {
      if (typeof v !== 'number') throw new Error(`${op}: expected a number at depth ${depth}, got ${typeof v} (regula/tfjs tensors hold numbers only: no booleans or strings)`);
      flat.push(v);
      return;
    }
    if (!(Array.isArray(v) || isTyped(v)) || (v as ArrayLike<unknown>).length !== shape[depth]) {
      throw new Error(`${op}: ragged nested array: expected length ${shape[depth]} at depth ${depth} of shape [${shape.join(',')}]`);
    }
    for (let i = 0; i < (v as ArrayLike<unknown>).length; i++) walk((v as ArrayLike<unknown>)[i], depth + 1);
  };
  walk(values, 0);
  return { flat, shape, inferred: 'float32' };
}

/** A core tensor from TF.js values, an optional shape (of the same size) and dtype. */
export function coreFromValues(values: TensorLike, shape: readonly number[] | undefined, dtype: DataType | undefined, op: string): CoreTensor {
  const { flat, shape: inferred, inferred: guess } = flattenValues(values, op);
  const s = shape ?? inferred;
  const n = s.reduce((p, d) => p * d, 1);
  if (n !== flat.length) throw new Error(`${op}: shape [${s.join(',')}] needs ${n} values, got ${flat.length}`);
  const dt = dtype ?? guess;
  if (dt === 'int32') return new CoreTensor(s, 'int32', Int32Array.from(flat));
  if (dt !== 'float32') throw new Error(`${op}: regula/tfjs has dtypes 'float32' and 'int32', got '${String(dt)}'`);
  return coreTensor(flat, s);
}
