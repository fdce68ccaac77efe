/**
 * Sequential: a linear stack of layers (Keras semantics, TF.js spelling).
 * Shapes are inferred layer by layer with `computeOutputShape` from the first
 * layer's `inputShape` (or from the first data seen); weights are built with a
 * seeded Rng, one split per layer, so `new Sequential(layers, {seed})` is
 * reproducible. Training lives in fit.ts / evaluate.ts / steps.ts; this file
 * holds the stack, its weights, penalties, config and summary.
 *
 * @example
 * const model = new Sequential([layers.dense({ units: 8, activation: 'relu', inputShape: [4] }), layers.dense({ units: 3 })], { seed: 42 });
 * model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
 * const history = await model.fit(x, y, { epochs: 10, verbose: 0 });
 */
import { Layer, type Shape } from '../layers/layer.js';
import { InputLayer } from '../layers/input-layer.js';
import { SymbolicTensor } from '../layers/symbolic.js';
import type { DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { analyzeGraph } from './graph.js';
import { Model } from './model.js';
import { deserializeLayer } from './layer-config.js';
import type { ModelData } from './evaluate.js';
import type { SaveOptions } from './model-artifacts.js';
import { summaryText } from './summary.js';

export interface SequentialArgs {
  name?: string;
  /** Seeds weight initialization (default 0). */
  seed?: number;
}

/** TF.js-style single argument: `sequential({ layers, name })`. */
export interface SequentialConfig extends SequentialArgs {
  /** Layers in order; the first may be `input({shape})` (Keras 3 style). */
  layers?: (Layer | SymbolicTensor)[];
}

export type { ModelLoadHandler, ModelSaveHandler } from '../io/handlers.js';

/** Options of `model.save`: see saveModel. */
export type ModelSaveOptions = SaveOptions;

export class Sequential extends Model {
  static override readonly className: string = 'Sequential';
  private readonly stack: Layer[] = [];
  private inputShapeFromData: Shape | undefined;

  constructor(layers: readonly (Layer | SymbolicTensor)[] | SequentialConfig = [], args: SequentialArgs = {}) {
    const cfg: SequentialConfig = Array.isArray(layers) ? { ...args, layers: [...layers] } : { ...(layers as SequentialConfig), ...args };
    super({ inputs: undefined as never, outputs: undefined as never, ...(cfg.name !== undefined ? { name: cfg.name } : {}), seed: cfg.seed ?? 0 }, 'sequential');
    for (const l of cfg.layers ?? []) this.add(l);
  }

  /** Appends a layer (built at once if the model's input shape is known); `input({shape})` may come first. */
  add(layer: Layer | SymbolicTensor): void {
    if (layer instanceof SymbolicTensor) {
      if (!(layer.sourceLayer instanceof InputLayer) || this.stack.length > 0) {
        throw new Error(`${this.name}.add: a symbolic tensor can only start a Sequential, and only one from input({shape}); got ${layer.toString()}`);
      }
      layer = layer.sourceLayer;
    }
    if (!(layer instanceof Layer)) throw new Error(`${this.name}.add: expected a Layer (e.g. layers.dense({units: 8})), got ${typeof layer}`);
    if (this.stack.some((l) => l.name === layer.name)) throw new Error(`${this.name}.add: a layer named '${layer.name}' is already in the model; layer names must be unique`);
    if (layer instanceof InputLayer && this.stack.length > 0) throw new Error(`${this.name}.add: an InputLayer can only be the first layer`);
    this.stack.push(layer);
    if (this.graph) this.extend(layer);
    else if (this.inputShape) this.connect(this.inputShape, 'float32');
  }

  override get layers(): readonly Layer[] {
    return [...this.stack];
  }

  /** [batch|null, ...features] from the first layer, or from the first data seen. */
  get inputShape(): Shape | undefined {
    return this.stack[0]?.batchInputShape ?? this.inputShapeFromData;
  }

  override get inputNames(): readonly string[] {
    const first = this.stack[0];
    return [first instanceof InputLayer ? first.name : (this.graph?.inputs[0]!.sourceLayer.name ?? `${this.name}_input`)];
  }

  override get outputNames(): readonly string[] {
    return [this.stack[this.stack.length - 1]?.name ?? 'output'];
  }

  protected override compileOutputNames(): readonly string[] {
    return ['output'];
  }

  /** Makes the chain graph from an input of `shape`: the first layer's InputLayer, or one of its own. */
  private connect(shape: Shape, dtype: DType): void {
    const first = this.stack[0];
    if (!first) return;
    let t = first instanceof InputLayer ? first.output : new InputLayer({ batchInputShape: [null, ...shape.slice(1)], dtype, name: `${this.name}_input` }).output;
    for (const l of first instanceof InputLayer ? this.stack.slice(1) : this.stack) t = this.chain(l, t);
    this.setGraph(analyzeGraph(this.graphInput(t), t, `model '${this.name}'`));
  }

  /** Calls `l` on the chain's current output; a layer with several outputs cannot be in a chain (Keras). */
  private chain(l: Layer, t: SymbolicTensor): SymbolicTensor {
    const y: unknown = l.apply(t);
    if (Array.isArray(y)) {
      throw new Error(`${this.name}: layer '${l.name}' (${l.className}) returns ${y.length} outputs${(l.options as { returnState?: boolean }).returnState ? ' (returnState)' : ''}; every layer of a Sequential must return one tensor — use the functional API (model({inputs, outputs})) for several outputs`);
    }
    return y as SymbolicTensor;
  }

  /** The input a chain ending at `t` starts from. */
  private graphInput(t: SymbolicTensor): SymbolicTensor {
    let cur = t;
    while (cur.node.inputs.length > 0) cur = cur.node.inputs[0]!;
    return cur;
  }

  /** Calls a layer added after the graph exists on the current output. */
  private extend(layer: Layer): void {
    const g = this.graph!;
    this.setGraph(analyzeGraph(g.inputs, this.chain(layer, g.outputs[0]!), `model '${this.name}'`));
  }

  /** Builds for `inputShape` (with batch dim, null allowed) if not built yet. */
  override build(inputShape?: Shape | Shape[]): void {
    if (this.built) return;
    const s = (inputShape as Shape | undefined) ?? this.inputShape;
    if (!s) throw new Error(`${this.name}: cannot infer shapes: the first layer has no inputShape; pass inputShape to it or call build([null, ...features])`);
    if (this.stack.length === 0) throw new Error(`${this.name}: the model has no layers`);
    if (!this.stack[0]!.batchInputShape) this.inputShapeFromData = [...s];
    this.connect(s, 'float32');
  }

  /** Internal: builds from data when needed and returns the model's input/output shapes. */
  override ensureBuilt(xs: readonly Tensor[], who: string): { inputs: Shape[]; outputs: Shape[] } {
    if (this.stack.length === 0) throw new Error(`${who}: the model has no layers; add some first`);
    if (xs.length !== 1) throw new Error(`${who}: a Sequential model has one input, got ${xs.length} tensors`);
    if (!this.built) {
      const x = xs[0]!;
      const s = this.inputShape ?? [null, ...x.shape.slice(1)];
      if (!this.stack[0]!.batchInputShape) this.inputShapeFromData = [...s];
      this.connect(s, x.dtype);
    }
    return { inputs: this.inputShapes, outputs: this.outputShapes };
  }

  /** Builds from `inputShape` first when the model has no input shape yet (a Sequential called inside another model). */
  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    if (!this.built) this.build(inputShape);
    return super.computeOutputShape(inputShape);
  }

  /** Outputs for x in batches (default 32), inference mode. */
  override predict(x: ModelData, args: { batchSize?: number } = {}): Tensor {
    return super.predict(x, args) as Tensor;
  }

  /** Prints (default console.log) and returns the Keras summary table. */
  override summary(printFn: (line: string) => void = (l) => console.log(l)): string {
    this.build();
    const g = this.requireGraph(this.name);
    const rows = this.stack.map((l) => ({ layer: l, shape: g.nodes.find((n) => n.layer === l)!.outputs[0]!.shape }));
    const text = summaryText(this.name, rows);
    printFn(text);
    return text;
  }

  /** Keras/TF.js Sequential config: {name, layers: [{class_name, config}]}. */
  override getConfig(): { name: string; trainable?: false; layers: { class_name: string; config: Record<string, unknown> }[] } {
    // A frozen model says so (Keras 3 writes `trainable` too); TF.js ignores the key.
    return { name: this.name, ...(this.trainable ? {} : { trainable: false as const }), layers: this.stack.map((l) => ({ class_name: l.className, config: l.getConfig() })) };
  }

  /** Rebuilds a model from `getConfig()` output (or a TF.js layer list) via the layer registry. */
  static override get fromConfig(): (config: Record<string, unknown> | unknown[], args?: SequentialArgs) => Sequential {
    return (config, args) => Sequential.fromSequentialConfig(config as never, args);
  }

  /** Rebuilds a Sequential from `{name, layers}` (or a plain layer list). */
  static fromSequentialConfig(config: { name?: string; trainable?: boolean; layers: unknown[] } | unknown[], args: SequentialArgs = {}): Sequential {
    const list = Array.isArray(config) ? config : config?.layers;
    if (!Array.isArray(list)) throw new Error(`Sequential.fromConfig: expected {name, layers: [...]}, got ${JSON.stringify(config)?.slice(0, 80)}`);
    const layers = list.map((c, i) => {
      if (typeof c !== 'object' || c === null) throw new Error(`Sequential.fromConfig: layer ${i} must be {class_name, config}, got ${JSON.stringify(c)}`);
      return deserializeLayer(c as { class_name: string; config: Record<string, unknown> });
    });
    const name = Array.isArray(config) ? undefined : config.name;
    const m = new Sequential(layers, { ...(name !== undefined ? { name } : {}), ...args });
    if (!Array.isArray(config) && config.trainable === false) m.trainable = false;
    return m;
  }
}

/** TF.js-style factory: `sequential({ layers: [...] })`. */
export function sequential(config: SequentialConfig = {}): Sequential {
  return new Sequential(config);
}
