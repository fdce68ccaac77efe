/**
 * A model's compile state ↔ Keras 3's `compile_config` (what
 * `Trainer.get_compile_config` writes and `compile_from_config` reads):
 * `{optimizer: {module: 'keras.optimizers', class_name, config}, loss,
 * loss_weights, metrics, weighted_metrics, run_eagerly,
 * steps_per_execution, jit_compile}`. Losses are written as Keras 3
 * objects (`keras.losses`), metrics as Keras's snake_case names (or
 * `keras.metrics` objects), one per output as a list for several outputs.
 * A user-function loss has no Keras 3 form: the archive is then saved
 * without a compile_config.
 */
import { isRecord } from '../io/keras-format.js';
import { toSnakeCase } from '../io/keras3/names.js';
import { LossFunctionWrapper, type Loss, type LossIdentifier } from '../losses.js';
import { Metric, type MetricIdentifier } from '../metrics.js';
import type { OptimizerIdentifier } from '../optimizers/index.js';
import type { CompileArgs } from './compile.js';
import type { Model } from './model.js';

type Json = Record<string, unknown>;

/** Regula metric names (any spelling: '_' and case ignored) → Keras 3's. */
const METRIC_TO_KERAS: Readonly<Record<string, string>> = {
  accuracy: 'accuracy',
  acc: 'accuracy',
  binaryaccuracy: 'binary_accuracy',
  categoricalaccuracy: 'categorical_accuracy',
  sparsecategoricalaccuracy: 'sparse_categorical_accuracy',
  mse: 'mean_squared_error',
  meansquarederror: 'mean_squared_error',
  mae: 'mean_absolute_error',
  meanabsoluteerror: 'mean_absolute_error',
  auc: 'auc',
  binarycrossentropy: 'binary_crossentropy',
  categoricalcrossentropy: 'categorical_crossentropy',
  sparsecategoricalcrossentropy: 'sparse_categorical_crossentropy',
};

const keyOf = (s: string): string => s.replace(/_/g, '').toLowerCase();

function lossToKeras(l: Loss): Json | undefined {
  if (l instanceof LossFunctionWrapper) return undefined;
  const c = l.getConfig();
  return { module: 'keras.losses', class_name: c.class_name, config: c.config ?? {}, registered_name: null };
}

function metricToKeras(m: MetricIdentifier): unknown {
  if (m instanceof Metric) {
    const c = m.getConfig();
    return { module: 'keras.metrics', class_name: c.class_name, config: c.config ?? {}, registered_name: null };
  }
  return METRIC_TO_KERAS[keyOf(m)] ?? toSnakeCase(m);
}

/** The Keras 3 compile_config of a compiled model; null when uncompiled or its loss is a user function. */
export function compileConfigOf(model: Model): Json | null {
  const c = model.compiled;
  if (!c) return null;
  const losses = c.heads.map((h) => lossToKeras(h.loss));
  if (losses.some((l) => l === undefined)) return null;
  const opt = c.optimizer.getConfig();
  const multi = c.heads.length > 1;
  return {
    optimizer: { module: 'keras.optimizers', class_name: opt.class_name, config: opt.config ?? {}, registered_name: null },
    loss: multi ? losses : losses[0],
    loss_weights: multi ? c.heads.map((h) => h.weight) : null,
    metrics: multi ? c.heads.map((h) => h.metricSpecs.map(metricToKeras)) : c.heads[0]!.metricSpecs.map(metricToKeras),
    weighted_metrics: null,
    run_eagerly: false,
    steps_per_execution: 1,
    jit_compile: 'auto',
  };
}

/** A Keras 3 object → Regula's `{class_name, config}` (module and registered name dropped). */
function unwrap(v: unknown): unknown {
  if (!isRecord(v) || typeof v['class_name'] !== 'string') return v;
  return { class_name: v['class_name'], config: isRecord(v['config']) ? v['config'] : {} };
}

/** A metric spec from Keras: its name, or a class name as Keras's snake_case name. */
function metricFromKeras(m: unknown): MetricIdentifier | undefined {
  if (typeof m === 'string') return m;
  if (isRecord(m) && typeof m['class_name'] === 'string') {
    const name = isRecord(m['config']) && typeof m['config']['name'] === 'string' ? m['config']['name'] : undefined;
    return name ?? toSnakeCase(m['class_name']);
  }
  return undefined;
}

/**
 * Regula compile arguments from a Keras 3 compile_config, or undefined when
 * there is none or it names something Regula lacks (the model then loads
 * uncompiled, as Keras's `load_model(compile=False)` would).
 */
export function compileArgsFromKeras(cc: unknown): CompileArgs | undefined {
  if (!isRecord(cc) || cc['optimizer'] === undefined || cc['loss'] === undefined || cc['loss'] === null) return undefined;
  const loss = Array.isArray(cc['loss']) ? cc['loss'].map(unwrap) : isRecord(cc['loss']) && typeof cc['loss']['class_name'] !== 'string' ? Object.fromEntries(Object.entries(cc['loss']).map(([k, v]) => [k, unwrap(v)])) : unwrap(cc['loss']);
  const ms = cc['metrics'];
  let metrics: CompileArgs['metrics'] | undefined;
  if (Array.isArray(ms)) {
    const nested = ms.length > 0 && ms.every((m) => Array.isArray(m));
    metrics = nested ? (ms as unknown[][]).map((l) => l.map(metricFromKeras).filter((m): m is MetricIdentifier => m !== undefined)) : ms.map(metricFromKeras).filter((m): m is MetricIdentifier => m !== undefined);
  }
  const args: CompileArgs = { optimizer: unwrap(cc['optimizer']) as OptimizerIdentifier, loss: loss as LossIdentifier };
  if (metrics !== undefined) args.metrics = metrics;
  const lw = cc['loss_weights'];
  if (Array.isArray(lw) || isRecord(lw)) args.lossWeights = lw as CompileArgs['lossWeights'];
  return args;
}
