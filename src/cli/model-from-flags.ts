/**
 * Builds the CLI's networks: an MLP from flags (`--hidden 256,128
 * --activation relu --dropout 0.5 --l2 1e-4 --max-norm 3 --gaussian-noise
 * 0.1`), or a model from a Keras-style JSON spec (`--model spec.json`): a
 * Sequential (a list of layer configs, a Sequential config) or a functional
 * model (the TF.js/Keras functional config, as in a model.json), one input and
 * one output.
 *
 * Layout of a flag-built network: [GaussianNoise on the inputs] → for each
 * hidden size: Dense(activation, L1/L2 kernel penalty, max-norm kernel
 * constraint) → [Dropout] → Dense output (softmax over the classes, or one
 * linear unit whose bias starts at the training targets' mean).
 */
import { readFileSync } from 'node:fs';
import { Model, Sequential, layers, regularizers, constraints, initializers, type Layer } from '../index.js';
import { FUNCTIONAL_CLASS_NAMES, functionalGraph } from '../models/layer-config.js';
import type { PreparedData } from './prepare-data.js';
import type { Regularization } from './regimes.js';
import { UsageError } from './cli-error.js';
import { checkModelInput, defaultSampleShape } from './image-data.js';

/** Hidden layer sizes and activation of a flag-built MLP. */
export interface Architecture {
  readonly hidden: readonly number[];
  readonly activation: string;
}

/** What the output layer must fit. */
export type DataShape = Pick<PreparedData, 'inputSize' | 'outputs' | 'task' | 'targetMean'> & {
  /** The rows' image shape (`[h, w, c]`) when they are images: a spec starting with Conv2D takes them so. */
  readonly imageShape?: readonly number[] | null;
};

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

type Json = Record<string, unknown>;

const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What a spec file describes: a Sequential's layer list, or a functional config. */
type Spec = { kind: 'sequential'; layers: Json[] } | { kind: 'functional'; config: Json };

/**
 * Reads a spec in any of the accepted shapes: a list of layer configs; a
 * Sequential config (`{"class_name": "Sequential", "config": …}` or bare
 * `{"layers": […]}`); a functional config (`{"class_name": "Model" |
 * "Functional", "config": …}`, or bare `{"layers": […], "input_layers",
 * "output_layers"}`); any of these as a model.json's `modelTopology`
 * (with or without Keras's `model_config` wrapper).
 */
function readSpec(spec: unknown, file: string): Spec {
  let list: unknown = spec;
  if (isRecord(spec)) {
    const topo = (spec['modelTopology'] ?? spec) as Json;
    const inner = (isRecord(topo['model_config']) ? topo['model_config'] : topo) as Json;
    const cls = inner['class_name'];
    const cfg = inner['config'] ?? inner;
    if (typeof cls === 'string' && FUNCTIONAL_CLASS_NAMES.includes(cls)) {
      if (!isRecord(cfg)) throw new UsageError(`--model ${file}: a ${cls} spec needs a "config" object with "layers", "input_layers" and "output_layers"`);
      return { kind: 'functional', config: cfg };
    }
    if (cls !== undefined && cls !== 'Sequential') {
      throw new UsageError(`--model ${file}: only Sequential and functional (Model) specs are supported, got class_name ${JSON.stringify(cls)}`);
    }
    if (cls === undefined && isRecord(cfg) && (cfg['input_layers'] !== undefined || cfg['output_layers'] !== undefined)) return { kind: 'functional', config: cfg };
    list = Array.isArray(cfg) ? cfg : isRecord(cfg) ? cfg['layers'] : undefined;
  }
  if (!Array.isArray(list) || list.length === 0) {
    throw new UsageError(
      `--model ${file}: expected a non-empty array of layer configs ({"class_name": "Dense", "config": {...}}), a Sequential config with "layers", or a functional config with "layers", "input_layers" and "output_layers"`,
    );
  }
  return {
    kind: 'sequential',
    layers: list.map((l, i) => {
      if (!isRecord(l) || typeof l['class_name'] !== 'string') {
        throw new UsageError(`--model ${file}: layer ${i} must be an object with a string "class_name" and a "config"`);
      }
      return { ...l, config: { ...((l['config'] as Json) ?? {}) } };
    }),
  };
}

/**
 * A Sequential from its layer list; the first layer gets the data's input
 * size when it declares none (their image shape when the list starts with an
 * image layer such as Conv2D).
 */
function sequentialFromSpec(list: Json[], file: string, data: DataShape, seed: number): { model: Sequential; lastActivation: unknown } {
  const first = list[0]!['config'] as Json;
  const declared = first['batch_input_shape'] ?? first['batchInputShape'];
  if (declared === undefined && first['input_dim'] === undefined && first['input_shape'] === undefined && first['inputShape'] === undefined) {
    first['batch_input_shape'] = [null, ...defaultSampleShape(list, data.inputSize, data.imageShape, `--model ${file}`)];
  }
  let model: Sequential;
  try {
    model = Sequential.fromConfig({ layers: list }, { seed });
    model.build();
  } catch (e) {
    throw new UsageError(`--model ${file}: ${(e as Error).message}`);
  }
  checkModelInput(model, data.inputSize, data.imageShape ?? null, `--model ${file}`);
  return { model, lastActivation: (list[list.length - 1]!['config'] as Json)['activation'] };
}

const quoted = (names: readonly string[]): string => names.map((n) => `'${n}'`).join(', ');

/**
 * A functional model from its config, weights initialized from `seed`. An
 * input layer that declares no shape gets `[null, inputs]` from the data.
 * The CLI trains on one table: one input of the data's width, one output.
 */
function functionalFromSpec(config: Json, file: string, data: DataShape, seed: number): { model: Model; lastActivation: unknown } {
  const cfg = { ...config };
  const sample = (): number[] => defaultSampleShape(cfg['layers'] as unknown[], data.inputSize, data.imageShape, `--model ${file}`);
  if (Array.isArray(cfg['layers'])) {
    cfg['layers'] = cfg['layers'].map((l: unknown) => {
      if (!isRecord(l) || l['class_name'] !== 'InputLayer' || !isRecord(l['config'])) return l;
      const c = l['config'];
      const shaped = ['batch_input_shape', 'batchInputShape', 'batch_shape', 'input_shape', 'inputShape', 'shape'].some((k) => c[k] !== undefined);
      return shaped ? l : { ...l, config: { ...c, batch_input_shape: [null, ...sample()] } };
    });
  }
  let model: Model;
  try {
    const g = functionalGraph(cfg);
    model = new Model({ inputs: g.inputs, outputs: g.outputs, seed, ...(g.name !== undefined ? { name: g.name } : {}) });
  } catch (e) {
    throw new UsageError(`--model ${file}: ${(e as Error).message}`);
  }
  if (model.inputs.length !== 1) {
    throw new UsageError(`--model ${file}: the model has ${model.inputs.length} inputs (${quoted(model.inputNames)}), but regula train feeds one table: give the model one input`);
  }
  if (model.outputs.length !== 1) {
    throw new UsageError(`--model ${file}: the model has ${model.outputs.length} outputs (${quoted(model.outputNames)}), but regula train fits one target: give the model one output`);
  }
  checkModelInput(model, data.inputSize, data.imageShape ?? null, `--model ${file}`);
  const out = model.outputs[0]!.sourceLayer;
  return { model, lastActivation: (out.getConfig() as Json)['activation'] };
}

/**
 * Reads a Keras-style model spec and builds it for `data` with weights from
 * `seed`: a list of `{class_name, config}` layer configs or a Sequential
 * config (the first layer gets `batch_input_shape [null, inputs]` when it
 * has none), or a functional config — `{"class_name": "Model", "config":
 * {name, layers: [{name, class_name, config, inbound_nodes}], input_layers,
 * output_layers}}` or the bare config — with one input and one output
 * (an InputLayer without a shape gets `[null, inputs]`); either may be a
 * TF.js `model.json`. A spec starting with an image layer (Conv2D,
 * MaxPooling2D, RandomFlip … after shape-agnostic ones such as Rescaling)
 * gets the data's image shape instead (`[null, 28, 28, 1]` for IDX images,
 * `[null, 8, 8, 1]` for the digits). The input must fit the data (the flat
 * width, or an image shape holding that many values) and the output width
 * the task (classes, or 1); a classifier ends in softmax.
 *
 * @throws UsageError for an unreadable file, bad JSON, an unsupported class,
 *   a graph that does not connect, several inputs or outputs, an input size
 *   or output width that does not fit the data.
 */
export function modelFromSpec(file: string, data: DataShape, seed: number): Model {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`--model ${file}: file not found or not readable`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--model ${file}: not valid JSON (${(e as Error).message})`);
  }
  const spec = readSpec(json, file);
  const { model, lastActivation } = spec.kind === 'functional' ? functionalFromSpec(spec.config, file, data, seed) : sequentialFromSpec(spec.layers, file, data, seed);
  const out = model.outputShapes[0]!;
  const width = out[out.length - 1];
  if (width !== data.outputs) {
    const want = data.task === 'classification' ? `${data.outputs} (one per class)` : '1 (regression)';
    throw new UsageError(`--model ${file}: the last layer has ${width} units but the data need ${want}`);
  }
  if (data.task === 'classification' && lastActivation !== 'softmax') {
    throw new UsageError(`--model ${file}: for classification the last layer needs activation "softmax" (class probabilities), got ${JSON.stringify(lastActivation ?? 'linear')}`);
  }
  return model;
}
