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
import type { History } from '../callbacks/history.js';
import { Layer, uniqueName, type CallContext, type Shape } from '../layers/layer.js';
import { layerFromConfig } from '../layers/registry.js';
import { Rng } from '../random.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import { Compiled, type CompileArgs } from './compile.js';
import { evaluate, predict, trainOnBatch, type EvaluateArgs } from './evaluate.js';
import { fit, type FitArgs, type FitModel } from './fit.js';
import type { ModelLoadHandler, ModelSaveHandler } from '../io/handlers.js';
import { loadWeightsInto, saveModelTo, type SaveOptions } from './model-artifacts.js';
import { TrainingRun, type FitProgress, type ResumeInfo } from './training-state.js';
import { summaryText } from './summary.js';

export interface SequentialArgs {
  name?: string;
  /** Seeds weight initialization (default 0). */
  seed?: number;
}

/** TF.js-style single argument: `sequential({ layers, name })`. */
export interface SequentialConfig extends SequentialArgs {
  layers?: Layer[];
}

export type { ModelLoadHandler, ModelSaveHandler } from '../io/handlers.js';

/** Options of `model.save`: see saveModel. */
export type ModelSaveOptions = SaveOptions;

export class Sequential implements FitModel {
  readonly className = 'Sequential';
  readonly name: string;
  readonly seed: number;
  /** Set true (by a callback or the user) to end fit after the current batch/epoch. */
  stopTraining = false;
  /** The History of the last fit. */
  history: History | undefined;
  /** The one owner of this model's training state: the fit in progress and the state a load restored. */
  readonly training = new TrainingRun();
  private readonly stack: Layer[] = [];
  private outputShapes: Shape[] = [];
  private inputShapeFromData: Shape | undefined;
  private readonly initRng: Rng;
  private readonly layerRngs: Rng[] = [];
  private readonly fitSeeds: Rng;
  private compiledState: Compiled | undefined;

  constructor(layers: readonly Layer[] | SequentialConfig = [], args: SequentialArgs = {}) {
    const cfg: SequentialConfig = Array.isArray(layers) ? { ...args, layers: [...layers] } : { ...(layers as SequentialConfig), ...args };
    this.name = cfg.name ?? uniqueName('sequential');
    this.seed = cfg.seed ?? 0;
    const root = new Rng(this.seed);
    this.initRng = root.split();
    this.fitSeeds = root.split();
    for (const l of cfg.layers ?? []) this.add(l);
  }

  /** Appends a layer (built at once if the model's input shape is known). */
  add(layer: Layer): void {
    if (!(layer instanceof Layer)) throw new Error(`${this.name}.add: expected a Layer (e.g. layers.dense({units: 8})), got ${typeof layer}`);
    if (this.stack.some((l) => l.name === layer.name)) throw new Error(`${this.name}.add: a layer named '${layer.name}' is already in the model; layer names must be unique`);
    this.stack.push(layer);
    const input = this.inputShape;
    if (input) this.buildLayers(input);
  }

  get layers(): readonly Layer[] {
    return [...this.stack];
  }

  /** Finds a layer by name or index. */
  getLayer(nameOrIndex: string | number): Layer {
    const l = typeof nameOrIndex === 'number' ? this.stack[nameOrIndex] : this.stack.find((x) => x.name === nameOrIndex);
    if (!l) throw new Error(`${this.name}.getLayer: no layer ${JSON.stringify(nameOrIndex)}; layers: ${this.stack.map((x) => x.name).join(', ')}`);
    return l;
  }

  /** [batch|null, ...features] from the first layer, or from the first data seen. */
  get inputShape(): Shape | undefined {
    return this.stack[0]?.batchInputShape ?? this.inputShapeFromData;
  }

  /** Output shape of the last layer (the model must be built). */
  get outputShape(): Shape {
    const s = this.outputShapes[this.stack.length - 1];
    if (!s) throw new Error(`${this.name}: the model is not built yet; give the first layer an inputShape or call fit/predict`);
    return s;
  }

  get built(): boolean {
    return this.stack.length > 0 && this.outputShapes.length === this.stack.length;
  }

  /** Builds unbuilt layers in order (layer i always uses split i of the init Rng). */
  private buildLayers(input: Shape): void {
    let shape = input;
    this.outputShapes = [];
    this.stack.forEach((l, i) => {
      const rng = (this.layerRngs[i] ??= this.initRng.split());
      if (!l.built) {
        l.build(shape, rng);
        l.built = true;
      }
      shape = l.computeOutputShape(shape);
      this.outputShapes.push(shape);
    });
  }

  /** Builds for `inputShape` (with batch dim, null allowed) if not built yet. */
  build(inputShape?: Shape): void {
    if (this.built) return;
    const s = inputShape ?? this.inputShape;
    if (!s) throw new Error(`${this.name}: cannot infer shapes: the first layer has no inputShape; pass inputShape to it or call build([null, ...features])`);
    if (!this.stack[0]?.batchInputShape) this.inputShapeFromData = [...s];
    if (this.stack.length === 0) throw new Error(`${this.name}: the model has no layers`);
    this.buildLayers(s);
  }

  /** Internal: builds from data when needed and returns the model's input/output shapes. */
  ensureBuilt(x: Tensor, who: string): { input: Shape; output: Shape } {
    if (this.stack.length === 0) throw new Error(`${who}: the model has no layers; add some first`);
    if (!this.built) this.build(this.inputShape ?? [null, ...x.shape.slice(1)]);
    return { input: this.inputShape!, output: this.outputShape };
  }

  /** Runs every layer. Training mode gives each layer its own split of `rng`. */
  forward(x: Tensor, training: boolean, rng?: Rng): Tensor {
    if (!this.built) this.build(this.inputShape ?? [null, ...x.shape.slice(1)]);
    this.clearActivityLosses();
    let y = x;
    for (const l of this.stack) {
      const ctx: CallContext = training && rng ? { training, rng: rng.split() } : { training };
      y = l.apply(y, ctx);
    }
    return y;
  }

  /** The model applied to `x` (inference by default; no batching — see predict). */
  apply(x: Tensor, opts: { training?: boolean; seed?: number } = {}): Tensor {
    return this.forward(x, opts.training ?? false, opts.training ? new Rng(opts.seed ?? 0) : undefined);
  }

  clearActivityLosses(): void {
    for (const l of this.stack) l.clearActivityLosses();
  }

  /** Every weight, layer by layer. */
  get weights(): Variable[] {
    return this.stack.flatMap((l) => l.weights);
  }
  get trainableWeights(): Variable[] {
    return this.stack.flatMap((l) => l.trainableWeights);
  }
  get nonTrainableWeights(): Variable[] {
    return this.stack.flatMap((l) => l.nonTrainableWeights);
  }

  /** Weight penalties (recomputed now, trainable weights) + activity penalties of the last forward pass. */
  get losses(): Tensor[] {
    return this.stack.flatMap((l) => l.losses);
  }

  /** Copies of all weights, in `weights` order. */
  getWeights(): Tensor[] {
    return this.stack.flatMap((l) => l.getWeights());
  }

  /** Sets all weights in `weights` order; count and shapes must match. */
  setWeights(values: readonly Tensor[]): void {
    const total = this.weights.length;
    if (values.length !== total) throw new Error(`${this.name}.setWeights: the model has ${total} weight arrays, got ${values.length}`);
    let off = 0;
    for (const l of this.stack) {
      const n = l.weights.length;
      l.setWeights(values.slice(off, off + n));
      off += n;
    }
  }

  countParams(): number {
    return this.stack.reduce((s, l) => s + l.countParams(), 0);
  }

  /** Prints (default console.log) and returns the Keras summary table. */
  summary(printFn: (line: string) => void = (l) => console.log(l)): string {
    this.build();
    const text = summaryText(this.name, this.stack, this.outputShapes);
    printFn(text);
    return text;
  }

  /** Keras/TF.js Sequential config: {name, layers: [{class_name, config}]}. */
  getConfig(): { name: string; layers: { class_name: string; config: Record<string, unknown> }[] } {
    return { name: this.name, layers: this.stack.map((l) => ({ class_name: l.className, config: l.getConfig() })) };
  }

  /** Rebuilds a model from `getConfig()` output (or a TF.js layer list) via the layer registry. */
  static fromConfig(config: { name?: string; layers: unknown[] } | unknown[], args: SequentialArgs = {}): Sequential {
    const list = Array.isArray(config) ? config : config?.layers;
    if (!Array.isArray(list)) throw new Error(`Sequential.fromConfig: expected {name, layers: [...]}, got ${JSON.stringify(config)?.slice(0, 80)}`);
    const layers = list.map((c, i) => {
      if (typeof c !== 'object' || c === null) throw new Error(`Sequential.fromConfig: layer ${i} must be {class_name, config}, got ${JSON.stringify(c)}`);
      return layerFromConfig(c as { class_name: string; config: Record<string, unknown> });
    });
    const name = Array.isArray(config) ? undefined : config.name;
    return new Sequential(layers, { ...(name !== undefined ? { name } : {}), ...args });
  }

  /** Sets optimizer, loss and metrics (names or objects). */
  compile(args: CompileArgs): void {
    this.compiledState = new Compiled(args);
  }

  /** The compiled state (optimizer, loss, metrics), if compiled. */
  get compiled(): Compiled | undefined {
    return this.compiledState;
  }

  get optimizer(): Optimizer | undefined {
    return this.compiledState?.optimizer;
  }

  requireCompiled(who: string): Compiled {
    if (!this.compiledState) throw new Error(`${who}: the model must be compiled first: model.compile({ optimizer: 'adam', loss: 'mse' })`);
    return this.compiledState;
  }

  /** Where the fit in progress (or the last one) is: seed, epoch, step (read-only; a save captures it). */
  get fitProgress(): Readonly<FitProgress> | undefined {
    return this.training.progress;
  }

  /** Set by loading a model saved with its training state: where fit continues (read-only). */
  get resumeInfo(): Readonly<ResumeInfo> | undefined {
    return this.training.resumeInfo;
  }

  /** Trains; see `FitArgs`. Resolves with the History. */
  fit(x: Tensor, y: Tensor, args: FitArgs = {}): Promise<History> {
    return fit(this, x, y, args);
  }

  /** {loss, ...metrics} over (x, y); loss includes every penalty. */
  evaluate(x: Tensor, y: Tensor, args: EvaluateArgs = {}): Record<string, number> {
    return evaluate(this, x, y, args);
  }

  /** Outputs for x in batches (default 32), inference mode. */
  predict(x: Tensor, args: { batchSize?: number } = {}): Tensor {
    return predict(this, x, args);
  }

  /** One optimizer step on (x, y); returns {loss, ...metrics} of this batch. */
  trainOnBatch(x: Tensor, y: Tensor, args: { sampleWeight?: Tensor; seed?: number } = {}): Record<string, number> {
    return trainOnBatch(this, x, y, new Rng(args.seed ?? this.nextFitSeed()), args.sampleWeight);
  }

  nextFitSeed(): number {
    return this.fitSeeds.uint32();
  }

  getLearningRate(): number {
    return this.requireCompiled('getLearningRate').optimizer.learningRate;
  }

  setLearningRate(lr: number): void {
    this.requireCompiled('setLearningRate').optimizer.learningRate = lr;
  }

  metricDirection(name: string): 'min' | 'max' | undefined {
    return this.compiledState?.direction(name);
  }

  /**
   * Saves in TF.js Layers format: to a directory (Node) or through a TF.js
   * save handler (anywhere). `includeOptimizer` (default true when compiled)
   * adds the training state for an exact resume; `weightsOnly` skips the topology;
   * `extraFiles` are saved in the same generation as the model.
   */
  save(target: string | ModelSaveHandler, opts: ModelSaveOptions = {}): Promise<void> {
    return saveModelTo(this, target, opts);
  }

  /** Saves the weights only (`weights.json` + shards in a directory, or through a handler). */
  saveWeights(target: string | ModelSaveHandler): Promise<void> {
    return this.save(target, { weightsOnly: true });
  }

  /** Loads weights saved by `saveWeights` or `save` (matched by name; shapes must agree). */
  loadWeights(source: string | ModelLoadHandler | object): Promise<void> {
    return loadWeightsInto(this, source);
  }
}

/** TF.js-style factory: `sequential({ layers: [...] })`. */
export function sequential(config: SequentialConfig = {}): Sequential {
  return new Sequential(config);
}
