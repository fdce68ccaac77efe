/**
 * The optional training state saved beside a model so `fit` can resume
 * exactly (ARCHITECTURE decision 9): optimizer slots and iteration count,
 * learning rate, the next epoch, the fit RNG state and the states of
 * stateful callbacks.
 *
 * On disk it is `training-state.json` (this JSON, with tensors replaced by
 * `{"$tensor": name}` references) + `training-state.bin` (the tensors, in
 * TF.js weight layout, described by the file's own `weightsManifest`). The
 * `saveId` ties it to the `model.json` written by the same save, so a state
 * left over from another save is never applied to the wrong weights.
 *
 * The JSON is data only: decoding accepts plain values and the tagged forms
 * below, nothing else, and never evaluates anything. Browser-safe.
 */
import { Tensor } from '../tensor/tensor.js';
import { isRecord, ModelFormatError, show, type WeightsManifest } from './keras-format.js';
import type { NamedTensor } from './weights.js';

/** A value a training state may hold: JSON plus tensors, typed arrays and non-finite numbers. */
export type StateValue =
  | number
  | string
  | boolean
  | null
  | Tensor
  | Float32Array
  | Int32Array
  | StateValue[]
  | { [key: string]: StateValue | undefined };

/** The JSON file's shape. */
export interface TrainingStateJson {
  format: 'regula-training-state';
  version: 1;
  generatedBy: string;
  /** Equal to `userDefinedMetadata.regula.saveId` in the model.json of the same save. */
  saveId: string;
  state: unknown;
  weightsManifest: WeightsManifest;
}

const MAX_DEPTH = 64;

/**
 * Replaces tensors and typed arrays by references into a tensor list.
 * Throws (naming the path) on values that are not serializable data.
 */
export function encodeState(state: StateValue): { json: unknown; tensors: NamedTensor[] } {
  const tensors: NamedTensor[] = [];
  const add = (t: Tensor): string => {
    const name = `t${tensors.length}`;
    tensors.push({ name, tensor: t });
    return name;
  };
  const enc = (v: StateValue | undefined, path: string, depth: number): unknown => {
    if (depth > MAX_DEPTH) throw new Error(`training state: nesting deeper than ${MAX_DEPTH} at ${path}`);
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
    if (typeof v === 'number') return Number.isFinite(v) ? v : { $number: String(v) };
    if (v instanceof Tensor) return { $tensor: add(v) };
    if (v instanceof Float32Array) return { $float32array: add(new Tensor([v.length], 'float32', Float32Array.from(v))) };
    if (v instanceof Int32Array) return { $int32array: add(new Tensor([v.length], 'int32', Int32Array.from(v))) };
    if (Array.isArray(v)) return v.map((x, i) => enc(x, `${path}[${i}]`, depth + 1));
    if (isRecord(v) && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null)) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        if (k.startsWith('$')) throw new Error(`training state: key '${k}' at ${path} starts with '$', which is reserved`);
        if (x !== undefined) out[k] = enc(x, `${path}.${k}`, depth + 1);
      }
      return out;
    }
    const what = typeof v === 'object' ? (v as object).constructor?.name ?? 'object' : typeof v;
    throw new Error(`training state: cannot save a ${what} at ${path}; only numbers, strings, booleans, null, arrays, plain objects, Tensors and Float32Array/Int32Array can be saved`);
  };
  return { json: enc(state, 'state', 0), tensors };
}

/** Inverse of `encodeState`, validating every node of the untrusted JSON. */
export function decodeState(json: unknown, tensors: ReadonlyMap<string, Tensor>, file: string): StateValue {
  const used = new Set<string>();
  const ref = (name: unknown, path: string): Tensor => {
    if (typeof name !== 'string') throw new ModelFormatError(file, `${path}: tensor reference must be a string, got ${show(name)}`);
    const t = tensors.get(name);
    if (!t) throw new ModelFormatError(file, `${path}: refers to tensor '${name}', which the manifest does not list`);
    used.add(name);
    return t;
  };
  const dec = (v: unknown, path: string, depth: number): StateValue => {
    if (depth > MAX_DEPTH) throw new ModelFormatError(file, `nesting deeper than ${MAX_DEPTH} at ${path}`);
    if (v === null || typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number') return v;
    if (Array.isArray(v)) return v.map((x, i) => dec(x, `${path}[${i}]`, depth + 1));
    if (!isRecord(v)) throw new ModelFormatError(file, `${path}: unexpected value ${show(v)}`);
    const keys = Object.keys(v);
    const tag = keys.find((k) => k.startsWith('$'));
    if (tag !== undefined) {
      if (keys.length !== 1) throw new ModelFormatError(file, `${path}: a tagged value must have exactly one key, got ${show(keys)}`);
      const x = v[tag];
      switch (tag) {
        case '$number':
          if (x === 'NaN') return NaN;
          if (x === 'Infinity') return Infinity;
          if (x === '-Infinity') return -Infinity;
          throw new ModelFormatError(file, `${path}: $number must be 'NaN', 'Infinity' or '-Infinity', got ${show(x)}`);
        case '$tensor':
          return ref(x, path);
        case '$float32array': {
          const t = ref(x, path);
          if (t.dtype !== 'float32' || t.rank !== 1) throw new ModelFormatError(file, `${path}: $float32array must refer to a 1-D float32 tensor`);
          return Float32Array.from(t.data);
        }
        case '$int32array': {
          const t = ref(x, path);
          if (t.dtype !== 'int32' || t.rank !== 1) throw new ModelFormatError(file, `${path}: $int32array must refer to a 1-D int32 tensor`);
          return Int32Array.from(t.data);
        }
        default:
          throw new ModelFormatError(file, `${path}: unknown tag '${tag}'`);
      }
    }
    const out: Record<string, StateValue> = {};
    // defineProperty: a key like "__proto__" stays a plain data key, never a prototype.
    for (const k of keys) Object.defineProperty(out, k, { value: dec(v[k], `${path}.${k}`, depth + 1), enumerable: true, writable: true, configurable: true });
    return out;
  };
  const state = dec(json, 'state', 0);
  for (const name of tensors.keys()) {
    if (!used.has(name)) throw new ModelFormatError(file, `manifest lists tensor '${name}' that the state never uses`);
  }
  return state;
}

/** Validates the top level of an untrusted training-state.json. */
export function checkTrainingStateJson(v: unknown, file: string): { saveId: string; state: unknown; manifestRaw: unknown } {
  if (!isRecord(v)) throw new ModelFormatError(file, `expected a JSON object at top level, got ${show(v)}`);
  if (v['format'] !== 'regula-training-state') throw new ModelFormatError(file, `format must be 'regula-training-state', got ${show(v['format'])}`);
  if (v['version'] !== 1) throw new ModelFormatError(file, `version must be 1, got ${show(v['version'])}`);
  if (typeof v['saveId'] !== 'string') throw new ModelFormatError(file, `saveId must be a string, got ${show(v['saveId'])}`);
  if (!('state' in v)) throw new ModelFormatError(file, 'state is missing');
  return { saveId: v['saveId'], state: v['state'], manifestRaw: v['weightsManifest'] ?? [] };
}
