/**
 * Builds the CLI's networks: an MLP from flags (`--hidden 256,128
 * --activation relu --dropout 0.5 --l2 1e-4 --max-norm 3 --gaussian-noise
 * 0.1`), or a Sequential from a Keras-style JSON spec (`--model spec.json`).
 *
 * Layout of a flag-built network: [GaussianNoise on the inputs] → for each
 * hidden size: Dense(activation, L1/L2 kernel penalty, max-norm kernel
 * constraint) → [Dropout] → Dense output (softmax over the classes, or one
 * linear unit whose bias starts at the training targets' mean).
 */
import { readFileSync } from 'node:fs';
import { Sequential, layers, regularizers, constraints, initializers, type Layer } from '../index.js';
import type { PreparedData } from './prepare-data.js';
import type { Regularization } from './regimes.js';
import { UsageError } from './cli-error.js';

/** Hidden layer sizes and activation of a flag-built MLP. */
export interface Architecture {
  readonly hidden: readonly number[];
  readonly activation: string;
}

/** What the output layer must fit. */
export type DataShape = Pick<PreparedData, 'inputSize' | 'outputs' | 'task' | 'targetMean'>;

function kernelPenalty(r: Regularization) {
  if (r.l1 > 0 && r.l2 > 0) return regularizers.l1l2({ l1: r.l1, l2: r.l2 });
  if (r.l1 > 0) return regularizers.l1(r.l1);
  if (r.l2 > 0) return regularizers.l2(r.l2);
  return undefined;
}

/**
 * The MLP of `arch` under regularization `r`, weights initialized from `seed`.
 *
 * @example
 * const model = buildModel(data, { hidden: [256, 256], activation: 'relu' }, { ...NO_REGULARIZATION, dropout: 0.5 }, 42);
 */
export function buildModel(data: DataShape, arch: Architecture, r: Regularization, seed: number): Sequential {
  const stack: Layer[] = [];
  const penalty = kernelPenalty(r);
  const inputShape = [data.inputSize];
  if (r.gaussianNoise > 0) stack.push(layers.gaussianNoise({ stddev: r.gaussianNoise, inputShape, name: 'input_noise' }));
  arch.hidden.forEach((units, i) => {
    stack.push(
      layers.dense({
        units,
        activation: arch.activation,
        name: `hidden_${i + 1}`,
        ...(stack.length === 0 ? { inputShape } : {}),
        ...(penalty ? { kernelRegularizer: penalty } : {}),
        ...(r.maxNorm > 0 ? { kernelConstraint: constraints.maxNorm(r.maxNorm) } : {}),
      }),
    );
    if (r.dropout > 0) stack.push(layers.dropout({ rate: r.dropout, name: `dropout_${i + 1}` }));
  });
  const classification = data.task === 'classification';
  stack.push(
    layers.dense({
      units: data.outputs,
      activation: classification ? 'softmax' : 'linear',
      name: 'output',
      ...(stack.length === 0 ? { inputShape } : {}),
      ...(penalty ? { kernelRegularizer: penalty } : {}),
      ...(classification ? {} : { biasInitializer: initializers.constant(data.targetMean) }),
    }),
  );
  return new Sequential(stack, { seed });
}

/** Layer configs of a spec file in any of the accepted shapes. */
function specLayers(spec: unknown, file: string): Record<string, unknown>[] {
  const obj = spec as Record<string, unknown> | null;
  let list: unknown = spec;
  if (obj && !Array.isArray(obj) && typeof obj === 'object') {
    const topo = (obj['modelTopology'] ?? obj) as Record<string, unknown>;
    const inner = (topo['model_config'] ?? topo) as Record<string, unknown>;
    const cfg = (inner['config'] ?? inner) as Record<string, unknown> | unknown[];
    list = Array.isArray(cfg) ? cfg : (cfg as Record<string, unknown>)['layers'];
    if (inner['class_name'] !== undefined && inner['class_name'] !== 'Sequential') {
      throw new UsageError(`--model ${file}: only Sequential models are supported, got class_name ${JSON.stringify(inner['class_name'])}`);
    }
  }
  if (!Array.isArray(list) || list.length === 0) {
    throw new UsageError(
      `--model ${file}: expected a non-empty array of layer configs ({"class_name": "Dense", "config": {...}}) or a Sequential config with "layers"`,
    );
  }
  return list.map((l, i) => {
    if (!l || typeof l !== 'object' || typeof (l as Record<string, unknown>)['class_name'] !== 'string') {
      throw new UsageError(`--model ${file}: layer ${i} must be an object with a string "class_name" and a "config"`);
    }
    return l as Record<string, unknown>;
  });
}

/**
 * Reads a Keras-style model spec (a list of `{class_name, config}` layer
 * configs, a Sequential config, or a TF.js `model.json`) and builds it for
 * `data`. The first layer gets `batch_input_shape [null, inputs]` when it has
 * none; the output width must match the task (classes, or 1).
 *
 * @throws UsageError for an unreadable file, bad JSON, a non-Sequential model,
 *   an input size or output width that does not fit the data.
 */
export function modelFromSpec(file: string, data: DataShape, seed: number): Sequential {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`--model ${file}: file not found or not readable`);
  }
  let spec: unknown;
  try {
    spec = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--model ${file}: not valid JSON (${(e as Error).message})`);
  }
  const list = specLayers(spec, file).map((l) => ({ ...l, config: { ...((l['config'] as Record<string, unknown>) ?? {}) } }));
  const first = list[0]!.config;
  const declared = first['batch_input_shape'] ?? first['batchInputShape'];
  if (declared === undefined && first['input_dim'] === undefined && first['input_shape'] === undefined) {
    first['batch_input_shape'] = [null, data.inputSize];
  }
  let model: Sequential;
  try {
    model = Sequential.fromConfig({ layers: list }, { seed });
    model.build();
  } catch (e) {
    throw new UsageError(`--model ${file}: ${(e as Error).message}`);
  }
  const inShape = model.inputShape;
  if (inShape && inShape[inShape.length - 1] !== data.inputSize) {
    throw new UsageError(`--model ${file}: the model takes ${inShape[inShape.length - 1]} inputs but the data have ${data.inputSize} features`);
  }
  const out = model.outputShape;
  const width = out[out.length - 1];
  if (width !== data.outputs) {
    const want = data.task === 'classification' ? `${data.outputs} (one per class)` : '1 (regression)';
    throw new UsageError(`--model ${file}: the last layer has ${width} units but the data need ${want}`);
  }
  const lastActivation = (list[list.length - 1]!.config as Record<string, unknown>)['activation'];
  if (data.task === 'classification' && lastActivation !== 'softmax') {
    throw new UsageError(`--model ${file}: for classification the last layer needs activation "softmax" (class probabilities), got ${JSON.stringify(lastActivation ?? 'linear')}`);
  }
  return model;
}
