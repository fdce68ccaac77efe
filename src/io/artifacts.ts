/**
 * In-memory model artifacts, the currency of TF.js's io: the same object
 * `tf.io.fromMemory(...)` takes and a `tf.io.withSaveHandler` callback
 * receives — `{modelTopology, weightSpecs, weightData, format, generatedBy,
 * convertedBy}` — so a Regula model can be handed to TF.js (and back)
 * without files, in a browser too. Regula adds one optional field,
 * `trainingState`, that TF.js ignores.
 *
 * This file converts between models and artifacts and validates untrusted
 * artifacts; it does no I/O. Browser-safe.
 */
import type { Tensor } from '../tensor/tensor.js';
import {
  checkModelJson,
  checkTopology,
  checkWeightSpecs,
  GENERATED_BY,
  isRecord,
  ModelFormatError,
  show,
  type ModelTopology,
  type TrainingConfig,
  type WeightSpec,
} from './keras-format.js';
import { modelTopology, namedWeights, type ModelLike } from './model-json.js';
import { decodeState, encodeState, type StateValue } from './training-state.js';
import { concatBytes, decodeWeights, DEFAULT_MAX_WEIGHT_BYTES, encodeWeights, specsByteLength } from './weights.js';

/** Weight bytes as TF.js passes them: one buffer or a list of shard buffers. */
export type WeightData = ArrayBuffer | ArrayBuffer[];

/** A training state in memory: its JSON (tensors as references) and their bytes. */
export interface TrainingStateArtifacts {
  state: unknown;
  weightSpecs: WeightSpec[];
  weightData: ArrayBuffer;
}

/**
 * TF.js `ModelArtifacts` (the subset a Layers model uses) + Regula's
 * optional `trainingState`.
 */
export interface ModelArtifacts {
  modelTopology?: ModelTopology | object;
  weightSpecs?: WeightSpec[];
  weightData?: WeightData;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  trainingConfig?: TrainingConfig;
  userDefinedMetadata?: Record<string, unknown>;
  /** Regula only: what `fit` needs to resume exactly (see training-state.ts). */
  trainingState?: TrainingStateArtifacts;
}

/** Copies a typed view into a fresh, exactly sized ArrayBuffer. */
export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const out = new ArrayBuffer(bytes.length);
  new Uint8Array(out).set(bytes);
  return out;
}

/** `weightData` (one buffer, several, or a typed view) as one byte array. */
export function weightDataBytes(wd: unknown, source: string): Uint8Array {
  if (wd === undefined || wd === null) return new Uint8Array(0);
  if (wd instanceof ArrayBuffer) return new Uint8Array(wd);
  if (ArrayBuffer.isView(wd)) return new Uint8Array(wd.buffer, wd.byteOffset, wd.byteLength);
  if (Array.isArray(wd)) {
    return concatBytes(
      wd.map((b, i) => {
        if (b instanceof ArrayBuffer) return new Uint8Array(b);
        if (ArrayBuffer.isView(b)) return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
        throw new ModelFormatError(source, `weightData[${i}] must be an ArrayBuffer, got ${show(b)}`);
      }),
    );
  }
  throw new ModelFormatError(source, `weightData must be an ArrayBuffer or an array of them, got ${show(wd)}`);
}

/** Encodes a training state (tensors → bytes) for artifacts. */
export function trainingStateToArtifacts(state: StateValue): TrainingStateArtifacts {
  const { json, tensors } = encodeState(state);
  const { specs, data } = encodeWeights(tensors);
  return { state: json, weightSpecs: specs, weightData: toArrayBuffer(data) };
}

/** Decodes untrusted training-state artifacts (sizes validated before allocation). */
export function trainingStateFromArtifacts(t: unknown, source: string, maxBytes = DEFAULT_MAX_WEIGHT_BYTES): StateValue {
  if (!isRecord(t)) throw new ModelFormatError(source, `trainingState must be an object, got ${show(t)}`);
  const specs = checkWeightSpecs(t['weightSpecs'] ?? [], source);
  const tensors = decodeWeights(specs, weightDataBytes(t['weightData'], source), source, maxBytes);
  return decodeState(t['state'], tensors, source);
}

/** Options of `modelToArtifacts`. */
export interface ToArtifactsOptions {
  /** Omit the topology (weights only). */
  weightsOnly?: boolean;
  /** A training state to include (models/ supplies it for `includeOptimizer`). */
  trainingState?: StateValue;
}

/**
 * Serializes a built model. Everything that can fail (configs, custom
 * objects, the training state) fails here, before any byte is written.
 */
export function modelToArtifacts(model: ModelLike, opts: ToArtifactsOptions = {}): ModelArtifacts {
  const topology = opts.weightsOnly ? undefined : modelTopology(model);
  const { specs, data } = encodeWeights(namedWeights(model));
  const a: ModelArtifacts = {
    format: 'layers-model',
    generatedBy: GENERATED_BY,
    convertedBy: null,
    weightSpecs: specs,
    weightData: toArrayBuffer(data),
  };
  if (topology) a.modelTopology = topology;
  if (opts.trainingState !== undefined) a.trainingState = trainingStateToArtifacts(opts.trainingState);
  return a;
}

/**
 * Refuses a weight holding NaN or ±Infinity (a corrupt file, or a model saved
 * after training diverged), naming the weight, the first bad index and value.
 */
function checkFinite(name: string, t: Tensor, source: string): void {
  if (t.dtype !== 'float32') return;
  const d = t.data;
  for (let i = 0; i < d.length; i++) {
    if (!Number.isFinite(d[i]!)) {
      let bad = 0;
      for (let j = i; j < d.length; j++) if (!Number.isFinite(d[j]!)) bad++;
      throw new ModelFormatError(source, `weight '${name}' holds ${d[i]} at index ${i} (${bad} of ${d.length} values are not finite); the weights are corrupt or were saved after training diverged`);
    }
  }
}

/** What `readArtifacts` returns: validated parts, weights decoded. */
export interface CheckedArtifacts {
  topology: ModelTopology | undefined;
  weights: Map<string, Tensor>;
  /** Only 'model'-group weights are in `weights`; TF.js optimizer weights are dropped. */
  trainingState: StateValue | undefined;
}

/**
 * Validates untrusted artifacts (from TF.js, a handler or memory) and decodes
 * the weights. `needTopology` false accepts weights-only artifacts.
 */
export function readArtifacts(a: unknown, source: string, needTopology: boolean, maxBytes = DEFAULT_MAX_WEIGHT_BYTES): CheckedArtifacts {
  if (!isRecord(a)) throw new ModelFormatError(source, `model artifacts must be an object, got ${show(a)}`);
  if (a['modelTopology'] instanceof ArrayBuffer) throw new ModelFormatError(source, 'modelTopology is a binary GraphDef (a TF.js graph model); only Layers models (Sequential or functional) can be loaded');
  checkModelJson({ format: a['format'], modelTopology: a['modelTopology'] }, source, false);
  let topology: ModelTopology | undefined;
  if (needTopology) {
    if (a['modelTopology'] === undefined || a['modelTopology'] === null) throw new ModelFormatError(source, 'modelTopology is missing (weights-only artifacts: build the model and use loadWeights)');
    topology = checkTopology(a['modelTopology'], source);
  }
  const specs = checkWeightSpecs(a['weightSpecs'] ?? [], source);
  specsByteLength(specs, source, maxBytes);
  const all = decodeWeights(specs, weightDataBytes(a['weightData'], source), source, maxBytes);
  const weights = new Map<string, Tensor>();
  for (const s of specs) if (s.group !== 'optimizer') weights.set(s.name, all.get(s.name)!);
  for (const [name, t] of weights) checkFinite(name, t, source);
  const ts = a['trainingState'];
  const trainingState = ts === undefined || ts === null ? undefined : trainingStateFromArtifacts(ts, `${source} trainingState`, maxBytes);
  return { topology, weights, trainingState };
}
