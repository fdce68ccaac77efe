/**
 * The one table of differences between Regula's TF.js-spelled configs
 * (model.json: `{class_name, config}` with snake_case keys) and Keras 3's
 * serialized objects (`{module, class_name, config, registered_name}`), and
 * the pure-JSON conversions of one layer config in each direction.
 *
 * - Models: TF.js 'Model' is Keras 3's 'Functional' (module
 *   keras.src.models.functional, registered_name 'Functional'); 'Sequential'
 *   is in module keras.
 * - Layers: the same class names, module keras.layers.
 * - dtype: Keras 3 writes a DTypePolicy object; Regula computes in float32.
 * - Initializers / regularizers / constraints: module keras.initializers /
 *   keras.regularizers / keras.constraints; Keras 3 calls the orthogonal
 *   initializer 'OrthogonalInitializer'.
 * - Keys one side writes that the other lacks: dropped when at their
 *   neutral value (below), refused otherwise.
 *
 * io only (no models). Browser-safe.
 */
import { isRecord, show } from '../keras-format.js';

type Json = Record<string, unknown>;

/** A Keras 3 serialized object. */
export interface KerasObject {
  module: string | null;
  class_name: string;
  config: Json;
  registered_name: string | null;
  build_config?: Json;
  compile_config?: Json | null;
  [k: string]: unknown;
}

/** The Keras 3 DTypePolicy object for float32. */
export function dtypePolicy(name = 'float32'): KerasObject {
  return { module: 'keras', class_name: 'DTypePolicy', config: { name }, registered_name: null };
}

/** Keras's `naming.to_snake_case`: 'MaxPooling2D' → 'max_pooling2d', 'Conv2DTranspose' → 'conv2d_transpose'. */
export function toSnakeCase(name: string): string {
  let s = name.replace(/\W+/g, '');
  s = s.replace(/(.)([A-Z][a-z]+)/g, '$1_$2');
  return s.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

/** Model class names: TF.js ↔ Keras 3. */
export const MODEL_TO_KERAS: Readonly<Record<string, { class_name: string; module: string; registered_name: string | null }>> = {
  Sequential: { class_name: 'Sequential', module: 'keras', registered_name: null },
  Model: { class_name: 'Functional', module: 'keras.src.models.functional', registered_name: 'Functional' },
};
/** Keras 3 model class names Regula reads ('Model' as older Keras and TF.js write it). */
export const KERAS_MODEL_CLASSES: Readonly<Record<string, 'Sequential' | 'Model'>> = { Sequential: 'Sequential', Functional: 'Model', Model: 'Model' };

/** Object class names that differ (Regula → Keras 3); the reverse is derived. */
const CLASS_TO_KERAS: Readonly<Record<string, string>> = { Orthogonal: 'OrthogonalInitializer' };
const CLASS_FROM_KERAS: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(CLASS_TO_KERAS).map(([a, b]) => [b, a]));

/** The Keras module of a nested object, by the config key holding it. */
function moduleOfKey(key: string): string | undefined {
  if (key.endsWith('_initializer')) return 'keras.initializers';
  if (key.endsWith('_regularizer')) return 'keras.regularizers';
  if (key.endsWith('_constraint')) return 'keras.constraints';
  return undefined;
}

/**
 * Per layer class: config keys Regula writes that Keras 3 has no argument
 * for, with the value at which they mean nothing (dropped on export; any
 * other value cannot be expressed in Keras and is refused).
 */
const REGULA_ONLY: Readonly<Record<string, Json>> = {
  Embedding: { input_length: null },
};

/**
 * Per layer class: config keys Keras 3 writes that Regula has no option for,
 * with their neutral values (dropped on import; other values are left for
 * the layer's fromConfig to refuse, naming the key).
 */
const KERAS_ONLY: Readonly<Record<string, Json>> = {
  '*': { lora_rank: null, lora_alpha: null, quantization_config: null, autocast: true },
  InputLayer: { ragged: false, optional: false, sparse: false },
  BatchNormalization: { synchronized: false, renorm: false, renorm_clipping: null, renorm_momentum: 0.99 },
  LayerNormalization: { rms_scaling: false },
  GlobalAveragePooling1D: { keepdims: false, data_format: 'channels_last' },
  GlobalMaxPooling1D: { keepdims: false, data_format: 'channels_last' },
  GlobalAveragePooling2D: { keepdims: false },
  GlobalMaxPooling2D: { keepdims: false },
  MaxPooling1D: { data_format: 'channels_last' },
  AveragePooling1D: { data_format: 'channels_last' },
  Flatten: { data_format: 'channels_last' },
  Embedding: { sparse: false },
  SimpleRNN: { zero_output_for_mask: false, use_cudnn: 'auto' },
  LSTM: { zero_output_for_mask: false, use_cudnn: 'auto' },
  GRU: { zero_output_for_mask: false, use_cudnn: 'auto' },
};

/** Config keys of wrappers (TimeDistributed, Bidirectional) that hold a whole layer. */
const LAYER_KEYS = new Set(['layer', 'backward_layer']);

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** A nested `{class_name, config}` (initializer, regularizer, constraint) in Keras 3 form. */
function nestedToKeras(key: string, v: unknown): unknown {
  const module = moduleOfKey(key);
  if (!module || !isRecord(v) || typeof v['class_name'] !== 'string') return v;
  const cls = v['class_name'];
  return { module, class_name: CLASS_TO_KERAS[cls] ?? cls, config: isRecord(v['config']) ? v['config'] : {}, registered_name: null };
}

/** A nested Keras 3 object as `{class_name, config}` for Regula. */
function nestedFromKeras(v: unknown): unknown {
  if (!isRecord(v) || typeof v['class_name'] !== 'string' || !('config' in v)) return v;
  const cls = v['class_name'];
  const out: Json = { class_name: CLASS_FROM_KERAS[cls] ?? (typeof v['registered_name'] === 'string' && v['registered_name'] !== '' ? v['registered_name'] : cls), config: isRecord(v['config']) ? v['config'] : {} };
  return out;
}

/**
 * A Regula layer config (as getConfig writes it) in Keras 3 form: dtype as a
 * DTypePolicy, nested objects with their module, input shapes removed (Keras
 * 3 models carry an InputLayer). Returns the problems instead of a config
 * when a Regula-only option has a value Keras cannot express.
 */
export function layerConfigToKeras(cls: string, name: string, config: Json): Json {
  const out: Json = {};
  const only = REGULA_ONLY[cls] ?? {};
  const refused: string[] = [];
  for (const [k, v] of Object.entries(config)) {
    if (k === 'batch_input_shape' || k === 'input_shape' || k === 'batch_size') continue;
    if (k in only) {
      if (!same(v, only[k])) refused.push(`${k} = ${show(v)}`);
      continue;
    }
    if (k === 'dtype') out[k] = dtypePolicy(typeof v === 'string' ? v : 'float32');
    else if (LAYER_KEYS.has(k) && isRecord(v) && typeof v['class_name'] === 'string' && isRecord(v['config'])) {
      const inner = v['class_name'];
      out[k] = { module: LAYER_MODULE, class_name: inner, config: layerConfigToKeras(inner, String(v['config']['name'] ?? k), v['config']), registered_name: null };
    } else out[k] = nestedToKeras(k, v);
  }
  if (refused.length > 0) throw new Error(`layer '${name}' (${cls}) uses Regula-only options Keras 3 cannot express: ${refused.join(', ')}`);
  return out;
}

/** The InputLayer entry of a Keras 3 model config. */
export function inputLayerToKeras(name: string, batchShape: readonly (number | null)[], dtype: string): KerasObject {
  return { module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: [...batchShape], dtype, sparse: false, name }, registered_name: null };
}

/** A Keras 3 layer config in Regula's form: policies and nested objects unwrapped, Keras-only neutral keys dropped. */
export function layerConfigFromKeras(cls: string, config: Json): Json {
  const out: Json = {};
  const drop = { ...KERAS_ONLY['*'], ...(KERAS_ONLY[cls] ?? {}) };
  for (const [k, v] of Object.entries(config)) {
    if (k in drop && same(v, drop[k])) continue;
    if (k === 'dtype') {
      // A DTypePolicy (or its name); Regula computes in float32 — mixed policies keep float32 variables too.
      const name = isRecord(v) ? (isRecord(v['config']) ? v['config']['name'] : undefined) : v;
      out[k] = typeof name === 'string' && (name === 'float32' || name.startsWith('mixed_')) ? 'float32' : name ?? 'float32';
      continue;
    }
    if (LAYER_KEYS.has(k) && isRecord(v) && typeof v['class_name'] === 'string' && isRecord(v['config'])) {
      out[k] = { class_name: v['class_name'], config: layerConfigFromKeras(v['class_name'], v['config']) };
      continue;
    }
    out[k] = nestedFromKeras(v);
  }
  return out;
}

/** The module of a layer class in Keras 3. */
export const LAYER_MODULE = 'keras.layers';
