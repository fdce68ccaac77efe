/**
 * Model: a graph of layers from inputs to outputs (Keras's functional API,
 * TF.js spelling `model({inputs, outputs})`), and the one implementation of
 * everything a model does — compile, fit, evaluate, predict, trainOnBatch,
 * weights, penalties, summary, save. A Sequential is a Model whose graph is a
 * chain (sequential.ts). A Model is a Layer too, so it can be called inside
 * another model.
 *
 * Weights of layers first called symbolically are made when the model is
 * made, layer i (in `layers` order) with split i of the model's seeded init
 * generator, so `model({inputs, outputs, seed})` is reproducible. A layer
 * called several times (a shared layer) has one set of weights, updated and
 * constrained once per step; its penalty counts once, its activity penalty
 * once per call (docs/semantics.md §9).
 *
 * @example
 * const x = input({ shape: [8] });
 * const h = layers.dense({ units: 8, activation: 'relu' }).apply(x);
 * const y = layers.dense({ units: 1 }).apply(layers.add().apply([x, h]));
 * const m = model({ inputs: x, outputs: y, seed: 1 });
 * m.compile({ optimizer: 'adam', loss: 'mse' });
 */
import type { History } from '../callbacks/history.js';
import { Layer, isShapeList, type CallContext, type Shape } from '../layers/layer.js';
import type { Node, SymbolicTensor } from '../layers/symbolic.js';
import type { ModelLoadHandler, ModelSaveHandler } from '../io/handlers.js';
import { Rng } from '../random.js';
import { nearest } from '../config/resolve.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import { Compiled, type CompileArgs } from './compile.js';
import { checkOptionKeys, evaluate, predict, trainOnBatch, type EvaluateArgs, type ModelData } from './evaluate.js';
import { fit, type FitArgs, type FitModel } from './fit.js';
import { analyzeGraph, runGraph, type Graph } from './graph.js';
import { functionalConfig, functionalFromConfig } from './layer-config.js';
import { loadWeightsInto, saveModelTo, type SaveOptions } from './model-artifacts.js';
import { summaryText } from './summary.js';
import { TrainingRun, type FitProgress, type ResumeInfo } from './training-state.js';

export interface ModelArgs {
  /** The model's inputs: symbolic tensors from `input()`. */
  inputs: SymbolicTensor | readonly SymbolicTensor[];
  /** The model's outputs: symbolic tensors computed from the inputs. */
  outputs: SymbolicTensor | readonly SymbolicTensor[];
  name?: string;
  /** Seeds weight initialization of layers not built yet (default 0). */
  seed?: number;
}

const MODEL_KEYS = ['inputs', 'outputs', 'name', 'seed'];

/** `a` with duplicates (by identity) removed, first occurrence kept. */
function unique<T>(a: readonly T[]): T[] {
  return [...new Set(a)];
}

/** The input shape(s) a node's layer was called with. */
function nodeInputShapes(node: Node): Shape | Shape[] {
  return node.listCall ? node.inputs.map((t) => t.shape) : node.inputs[0]!.shape;
}

/** '[null,4]'. */
const fmt = (s: Shape): string => `[${s.map((d) => (d === null ? 'null' : String(d))).join(',')}]`;

const sameFeatures = (a: Shape, b: Shape): boolean => a.length === b.length && a.every((d, i) => i === 0 || d === b[i] || d === null || b[i] === null);

export class Model extends Layer implements FitModel {
  static override readonly className: string = 'Model';
  static override readonly options = {};
  readonly seed: number;
  /** Set true (by a callback or the user) to end fit after the current batch/epoch. */
  stopTraining = false;
  /** The History of the last fit. */
  history: History | undefined;
  /** The one owner of this model's training state: the fit in progress and the state a load restored. */
  readonly training = new TrainingRun();
  /** The graph (a Sequential has one once its input shape is known). */
  protected graph: Graph | undefined;
  private ownLayers = new Set<Layer>();
  private readonly initRng: Rng;
  private readonly layerRngs: Rng[] = [];
  private readonly fitSeeds: Rng;
  private compiledState: Compiled | undefined;

  /** `defaultName` is for subclasses (Sequential names itself 'sequential'). */
  constructor(args: ModelArgs, defaultName = 'model') {
    const who = `model${typeof args?.name === 'string' ? ` '${args.name}'` : ''}`;
    if (typeof args !== 'object' || args === null) throw new Error(`${who}: expected {inputs, outputs, name?, seed?}, got ${String(args)}`);
    for (const k of Object.keys(args)) {
      if (!MODEL_KEYS.includes(k)) throw new Error(`${who}: unknown option '${k}'; valid options: ${MODEL_KEYS.join(', ')}${nearest(k, MODEL_KEYS) ? ` (did you mean '${nearest(k, MODEL_KEYS)}'?)` : ''}`);
    }
    super(args.name !== undefined ? { name: args.name } : {}, defaultName);
    const seed = args.seed ?? 0;
    if (!Number.isInteger(seed) || seed < 0) throw new Error(`${this.name}: seed must be an integer ≥ 0, got ${String(seed)}`);
    this.seed = seed;
    const root = new Rng(this.seed);
    this.initRng = root.split();
    this.fitSeeds = root.split();
    if (args.inputs !== undefined || args.outputs !== undefined || new.target === Model) {
      if (args.inputs === undefined) throw new Error(`${who}: 'inputs' is required: model({ inputs: input({ shape: [n] }), outputs })`);
      if (args.outputs === undefined) throw new Error(`${who}: 'outputs' is required: model({ inputs, outputs: layer.apply(...) })`);
      this.setGraph(analyzeGraph(args.inputs, args.outputs, `model '${this.name}'`));
    }
  }

  /**
   * Takes a graph: builds the layers not built yet (layer i with split i of
   * the init generator, from the shapes of its first call) and checks that a
   * shared layer with weights is always called on the same feature shape.
   */
  protected setGraph(graph: Graph): void {
    this.graph = graph;
    const own = this.layers;
    this.ownLayers = new Set(own);
    own.forEach((l, i) => {
      const rng = (this.layerRngs[i] ??= this.initRng.split());
      const calls = graph.nodes.filter((n) => n.layer === l && n.inputs.length > 0);
      if (!l.built && calls.length > 0) {
        l.build(nodeInputShapes(calls[0]!), rng);
        l.built = true;
      }
      if (l.weights.length === 0) return;
      const first = nodeInputShapes(calls[0] ?? graph.nodes.find((n) => n.layer === l)!);
      for (const c of calls.slice(1)) {
        const s = nodeInputShapes(c);
        const a = isShapeList(first) ? first : [first];
        const b = isShapeList(s) ? s : [s];
        if (a.length !== b.length || a.some((x, j) => !sameFeatures(x, b[j]!))) {
          throw new Error(`model '${this.name}': shared layer '${l.name}' (${l.className}) was called on ${b.map(fmt).join(', ')} from '${c.inputs.map((t) => t.sourceLayer.name).join("', '")}' but its weights were made for ${a.map(fmt).join(', ')}; a shared layer needs the same input shape at every call`);
        }
      }
    });
    this.built = true;
    const ins = graph.inputs;
    this.batchInputShape = ins.length === 1 ? [...ins[0]!.shape] : undefined;
  }

  /** The graph, or an error saying the model is not built. */
  protected requireGraph(who: string): Graph {
    if (!this.graph) throw new Error(`${who}: the model is not built yet; give the first layer an inputShape or call fit/predict`);
    return this.graph;
  }

  /** Layers in TF.js order: input layers first, then by decreasing depth. */
  get layers(): readonly Layer[] {
    return this.graph ? [...this.graph.layers] : [];
  }

  /** Finds a layer by name or index. */
  getLayer(nameOrIndex: string | number): Layer {
    const all = this.layers;
    const l = typeof nameOrIndex === 'number' ? all[nameOrIndex] : all.find((x) => x.name === nameOrIndex);
    if (!l) throw new Error(`${this.name}.getLayer: no layer ${JSON.stringify(nameOrIndex)}; layers: ${all.map((x) => x.name).join(', ')}`);
    return l;
  }

  /** The model's symbolic inputs. */
  get inputs(): readonly SymbolicTensor[] {
    return this.requireGraph(this.name).inputs;
  }

  /** The model's symbolic outputs. */
  get outputs(): readonly SymbolicTensor[] {
    return this.requireGraph(this.name).outputs;
  }

  /** Names of the input layers, in input order (keys of `x` given as an object). */
  get inputNames(): readonly string[] {
    return this.requireGraph(this.name).inputs.map((t) => t.sourceLayer.name);
  }

  /**
   * Output names, in output order (keys of `y`, `loss`, `metrics` and
   * `lossWeights` given as objects; log prefixes): the name of the layer
   * that makes each output, with `_<i>` added where one layer makes several.
   */
  get outputNames(): readonly string[] {
    const outs = this.requireGraph(this.name).outputs;
    const names = outs.map((t) => t.sourceLayer.name);
    return names.map((n, i) => (names.indexOf(n) !== names.lastIndexOf(n) ? `${n}_${i}` : n));
  }

  /** Shapes of the inputs (batch dimension null unless fixed). */
  get inputShapes(): Shape[] {
    return this.requireGraph(this.name).inputs.map((t) => [...t.shape]);
  }

  /** Shapes of the outputs. */
  get outputShapes(): Shape[] {
    return this.requireGraph(this.name).outputs.map((t) => [...t.shape]);
  }

  /** Output shape of a single-output model. */
  get outputShape(): Shape {
    const s = this.outputShapes;
    if (s.length !== 1) throw new Error(`${this.name}: the model has ${s.length} outputs; use outputShapes`);
    return s[0]!;
  }

  /** A built Model has nothing to build; a Sequential overrides this. */
  override build(_inputShape?: Shape | Shape[]): void {
    this.requireGraph(`${this.name}.build`);
  }

  /** Internal: builds from data when needed (Sequential) and returns the input/output shapes. */
  ensureBuilt(xs: readonly Tensor[], who: string): { inputs: Shape[]; outputs: Shape[] } {
    const g = this.requireGraph(who);
    if (xs.length !== g.inputs.length) throw new Error(`${who}: the model has ${g.inputs.length} inputs, got ${xs.length} tensors`);
    return { inputs: this.inputShapes, outputs: this.outputShapes };
  }

  /** Runs the model on inputs in model order (clearing activity penalties first); one tensor per output. */
  forward(xs: readonly Tensor[], training: boolean, rng?: Rng): Tensor[] {
    if (!this.built) this.ensureBuilt(xs, `${this.name}.forward`);
    this.clearActivityLosses();
    return runGraph(this.requireGraph(this.name), xs, training && rng ? { training, rng } : { training }, (n) => this.ownLayers.has(n.layer)).outputs;
  }

  /** The Layer contract, for a model called inside another model: runs the graph, penalties accumulate. */
  call(x: Tensor | Tensor[], ctx: CallContext): Tensor | Tensor[] {
    const xs = Array.isArray(x) ? x : [x];
    const g = this.requireGraph(this.name);
    if (xs.length !== g.inputs.length) throw new Error(`${this.name}: the model has ${g.inputs.length} inputs, got ${xs.length} tensors`);
    if (!ctx.accumulate) this.clearActivityLosses();
    const inMasks = ctx.mask === undefined || ctx.mask === null ? undefined : Array.isArray(ctx.mask) ? ctx.mask : [ctx.mask as Tensor];
    const { outputs, masks } = runGraph(g, xs, ctx, (n) => this.ownLayers.has(n.layer), inMasks);
    this.lastOutputMasks = masks;
    return outputs.length === 1 ? outputs[0]! : outputs;
  }

  /** Output masks of the most recent call (a nested model hands them on). */
  private lastOutputMasks: (Tensor | null)[] = [];

  /** A model passes masks through its graph. */
  override get supportsMasking(): boolean {
    return true;
  }

  /** The mask of the first output of the most recent call (a model inside another model). */
  override computeMask(): Tensor | null {
    return this.lastOutputMasks[0] ?? null;
  }

  /** The TF.js/Keras functional config: layers with their inbound nodes, input and output layers. */
  override getConfig(): Record<string, unknown> {
    return functionalConfig(this);
  }

  /** Rebuilds a functional model from `getConfig()` output (or a TF.js/Keras model.json config). */
  static override get fromConfig(): (config: Record<string, unknown>) => Layer {
    return (config) => functionalFromConfig(config);
  }

  /** Output shape(s) for input shape(s): the outputs' shapes with the batch dimension of the first input. */
  computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const g = this.requireGraph(this.name);
    const given = isShapeList(inputShape) ? inputShape : [inputShape];
    if (given.length !== g.inputs.length) throw new Error(`the model has ${g.inputs.length} inputs, called on ${given.length}`);
    given.forEach((s, i) => {
      if (!sameFeatures(s, g.inputs[i]!.shape)) throw new Error(`input ${i} has shape ${fmt(s)} but the model expects ${fmt(g.inputs[i]!.shape)}`);
    });
    const out = g.outputs.map((t) => [given[0]![0] ?? null, ...t.shape.slice(1)]);
    return out.length === 1 ? out[0]! : out;
  }

  /**
   * Every layer, nested models' layers included, each once; `frozen` marks
   * layers inside a model whose `trainable` is false (Keras freezes a model's
   * layers with it, so their weight penalties drop out).
   */
  private leafLayers(): { layer: Layer; frozen: boolean }[] {
    const out: { layer: Layer; frozen: boolean }[] = [];
    const seen = new Set<Layer>();
    const walk = (ls: readonly Layer[], frozen: boolean): void => {
      for (const l of ls) {
        if (l instanceof Model) walk(l.layers, frozen || !l.trainable);
        else if (!seen.has(l)) {
          seen.add(l);
          out.push({ layer: l, frozen });
        }
      }
    };
    walk(this.layers, !this.trainable);
    return out;
  }

  override clearActivityLosses(): void {
    for (const { layer } of this.leafLayers()) layer.clearActivityLosses();
  }

  /** Every weight, layer by layer (TF.js order), each once. */
  override get weights(): Variable[] {
    return unique(this.layers.flatMap((l) => l.weights));
  }
  override get trainableWeights(): Variable[] {
    if (!this.trainable) return [];
    const out: Variable[] = [];
    const seen = new Set<Variable>();
    for (const l of this.layers) {
      for (const w of l.trainableWeights) {
        if (seen.has(w)) continue;
        seen.add(w);
        out.push(w);
      }
    }
    return out;
  }
  override get nonTrainableWeights(): Variable[] {
    if (!this.trainable) return this.weights;
    const t = new Set(this.trainableWeights);
    return this.weights.filter((w) => !t.has(w));
  }

  /** Weight penalties (recomputed now, trainable weights) + activity penalties of the last forward pass, each layer once. */
  override get losses(): Tensor[] {
    const out: Tensor[] = [];
    for (const { layer, frozen } of this.leafLayers()) for (const p of frozen ? layer.activityPenalties : layer.losses) out.push(p);
    return out;
  }

  /** Copies of all weights, in `weights` order. */
  override getWeights(): Tensor[] {
    return this.weights.map((w) => w.read());
  }

  /** Sets all weights in `weights` order; count and shapes must match (checked before any is set). */
  override setWeights(values: readonly Tensor[]): void {
    const ws = this.weights;
    if (values.length !== ws.length) throw new Error(`${this.name}.setWeights: the model has ${ws.length} weight arrays, got ${values.length}`);
    ws.forEach((w, i) => {
      const v = values[i]!;
      if (v.shape.length !== w.shape.length || v.shape.some((d, j) => d !== w.shape[j])) {
        throw new Error(`${this.name}.setWeights: weight ${i} ('${w.name}') has shape ${fmt(w.shape)}, got ${fmt(v.shape)}`);
      }
    });
    ws.forEach((w, i) => w.assign(values[i]!));
  }

  override countParams(): number {
    return this.weights.reduce((s, w) => s + w.size, 0);
  }

  /** Prints (default console.log) and returns the Keras summary table (with each layer's inbound layers). */
  summary(printFn: (line: string) => void = (l) => console.log(l)): string {
    this.build();
    const g = this.requireGraph(this.name);
    const rows = this.layers.map((l) => {
      const nodes = g.nodes.filter((n) => n.layer === l);
      const shapes = nodes.flatMap((n) => n.outputs.map((t) => t.shape));
      const from = nodes.flatMap((n) => n.inputs.map((t) => `${t.sourceLayer.name}[${t.node.index}][${t.tensorIndex}]`));
      return { layer: l, shape: shapes.length === 1 ? shapes[0]! : shapes, connected: from };
    });
    const text = summaryText(this.name, rows, { connected: true });
    printFn(text);
    return text;
  }

  /** Sets optimizer, loss(es), metrics and loss weights (names or objects; per output for several outputs). */
  compile(args: CompileArgs): void {
    this.compiledState = new Compiled(args, this.compileOutputNames());
  }

  /** Output names compile spreads per-output specs over. */
  protected compileOutputNames(): readonly string[] {
    return this.outputNames;
  }

  /** The compiled state (optimizer, losses, metrics), if compiled. */
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

  /** Trains; x and y are tensors, lists in model order, or objects keyed by input/output name. Resolves with the History. */
  fit(x: ModelData, y: ModelData, args: FitArgs = {}): Promise<History> {
    return fit(this, x, y, args);
  }

  /** {loss, ...metrics} over (x, y); loss includes every penalty. */
  evaluate(x: ModelData, y: ModelData, args: EvaluateArgs = {}): Record<string, number> {
    return evaluate(this, x, y, args);
  }

  /** Outputs for x in batches (default 32), inference mode: one tensor, or a list for several outputs. */
  predict(x: ModelData, args: { batchSize?: number } = {}): Tensor | Tensor[] {
    const ys = predict(this, x, args);
    return ys.length === 1 ? ys[0]! : ys;
  }

  /** One optimizer step on (x, y); returns {loss, ...metrics} of this batch. */
  trainOnBatch(x: ModelData, y: ModelData, args: { sampleWeight?: Tensor; seed?: number } = {}): Record<string, number> {
    checkOptionKeys(args, ['sampleWeight', 'seed'], 'trainOnBatch', { classWeight: 'pass sampleWeight (one weight per row)' });
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
  save(target: string | ModelSaveHandler, opts: SaveOptions = {}): Promise<void> {
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

/** TF.js-style factory: `model({ inputs, outputs, name })`. */
export function model(args: ModelArgs): Model {
  return new Model(args);
}
