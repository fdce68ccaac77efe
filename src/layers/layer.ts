/**
 * The layer contract (Keras's, kept small): a layer is built lazily from the
 * first input shape, creates its weights with `addWeight` (initializer,
 * regularizer, constraint attached to the Variable), computes `call(x, ctx)`,
 * and exposes `losses` — weight penalties recomputed at access time for
 * trainable weights, plus activity penalties of its most recent call.
 *
 * Options are data: each layer class declares `static options` (a table of
 * src/config option specs, in config key order) and `static className`; this
 * base parses constructor args against BASE_OPTIONS + that table
 * (`this.options`), writes `getConfig()` from it and reads `fromConfig()`
 * back. A class whose table has a `seed` option gets its own random stream
 * (`this.noise`) and the `getRngState`/`setRngState` pair exact resume uses.
 *
 * Who may import this: layers, models, callbacks, io. It imports ops,
 * tensor/, random.ts and config/ (plus the option kinds in ./options.ts).
 */
import { Rng, type RngState } from '../random.js';
import type { Tensor } from '../tensor/tensor.js';
import { Variable } from '../tensor/variable.js';
import { fmt } from '../tensor/shape.js';
import type { DType } from '../tensor/dtype.js';
import { div } from '../ops/arithmetic.js';
import { argsFromConfig, parseOptions, toConfig, type ArgsOf, type OptionSpecs } from '../config/options.js';
import type { Constraint, Initializer, Regularizer, Shape } from '../config/types.js';
import { BASE_OPTIONS } from './options.js';
import { NoiseStream } from './noise-stream.js';
import { describeSymbolic, isSymbolic, Node, SymbolicTensor } from './symbolic.js';

export type { Constraint, Initializer, Regularizer, SerializedObject, Shape } from '../config/types.js';

/** What every `call` receives. */
export interface CallContext {
  /** True inside fit/trainOnBatch: dropout and noise are active, BN uses batch stats. */
  readonly training: boolean;
  /**
   * Random stream for stochastic layers that have no seed of their own; the
   * model derives it from `fit({seed})` so a whole run is reproducible.
   */
  readonly rng?: Rng;
  /**
   * Set by models: activity penalties of this call add to those of earlier
   * calls in the same forward pass (a shared layer called twice), instead of
   * replacing them as a standalone call does.
   */
  readonly accumulate?: boolean;
  /**
   * The mask of the input (functional graphs and Sequential): [batch, steps],
   * 1 where a step is real and 0 where it is padding (from Embedding
   * `maskZero` or Masking); a list for layers called on a list (null where an
   * input has none). Only layers whose `supportsMasking` is true receive one
   * (docs/semantics.md §9).
   */
  readonly mask?: Tensor | null | readonly (Tensor | null)[];
}

/** A mask or, for list calls, one per input. */
export type Mask = Tensor | null | readonly (Tensor | null)[];

export interface AddWeightArgs {
  name: string;
  shape: readonly number[];
  initializer: Initializer;
  regularizer?: Regularizer | undefined;
  constraint?: Constraint | undefined;
  trainable?: boolean;
}

/** Options every layer accepts (TF.js spelling). */
export type LayerArgs = ArgsOf<typeof BASE_OPTIONS>;

/** What a layer class provides besides its instances: its name and option table. */
export interface LayerClass<L extends Layer = Layer> {
  new (args: never): L;
  /** Keras class name, e.g. 'Dense' (used in model.json and errors). */
  readonly className: string;
  readonly options: OptionSpecs;
  readonly fromConfig: (config: Record<string, unknown>) => Layer;
}

/** Config keys other writers emit that carry no meaning here (ignored when at their neutral value). */
const TOLERATED: Readonly<Record<string, (v: unknown) => boolean>> = {
  dtype: (v) => v === null || v === 'float32' || (typeof v === 'object' && JSON.stringify(v).includes('float32')),
  data_format: (v) => v === null || v === 'channels_last',
  groups: (v) => v === null || v === 1,
  lora_rank: (v) => v === null,
  lora_alpha: (v) => v === null,
  quantization_config: (v) => v === null,
  batch_size: (v) => v === null,
};

const merged = new WeakMap<object, OptionSpecs>();
/** BASE_OPTIONS then the class's own (an own option of the same name replaces the base one). */
function allOptions(cls: LayerClass): OptionSpecs {
  let m = merged.get(cls);
  if (!m) merged.set(cls, (m = { ...BASE_OPTIONS, ...cls.options }));
  return m;
}

const nameCounts = new Map<string, number>();

/** Unique snake_case layer names: dense, dense_1, dense_2 … (Keras style). */
export function uniqueName(base: string): string {
  const n = nameCounts.get(base) ?? 0;
  nameCounts.set(base, n + 1);
  return n === 0 ? base : `${base}_${n}`;
}

/** `cls.fromConfig(config)`: reads BASE_OPTIONS and the class's options from a config, then constructs. */
function layerFromConfigOf(cls: LayerClass, config: Record<string, unknown>): Layer {
  const where = `${cls.className}.fromConfig`;
  if (typeof config !== 'object' || config === null || Array.isArray(config)) throw new Error(`${where}: config must be an object, got ${JSON.stringify(config)}`);
  const args: Record<string, unknown> = {};
  const read = argsFromConfig(allOptions(cls), config, args);
  // Keras 3 spells batch_input_shape as batch_shape.
  read.add('batch_shape');
  if (args['batchInputShape'] === undefined && config['batch_shape'] !== undefined && config['batch_shape'] !== null) args['batchInputShape'] = config['batch_shape'];
  for (const [k, v] of Object.entries(config)) {
    if (read.has(k) || TOLERATED[k]?.(v)) continue;
    throw new Error(`${where}: unsupported config key '${k}' = ${JSON.stringify(v)}`);
  }
  return new cls(args as never);
}

export abstract class Layer {
  /** Keras class name; each layer class sets it. */
  static readonly className: string = 'Layer';
  /** The layer's own options, in config key order; each layer class sets it. */
  static readonly options: OptionSpecs = {};
  readonly name: string;
  trainable: boolean;
  built = false;
  batchInputShape: Shape | undefined;
  activityRegularizer: Regularizer | undefined;
  protected readonly weightList: Variable[] = [];
  private activityLosses: Tensor[] = [];
  /** One Node per call on symbolic tensors (functional API), in call order. */
  readonly inboundNodes: Node[] = [];
  /**
   * Where the names of weights made from now on start (default `${name}/`).
   * A wrapper sets it on the layers it wraps, as TF.js's name scopes do:
   * `time_distributed/kernel`, `bidirectional/forward_lstm/kernel`.
   */
  weightNamePrefix: string | undefined;
  /** Every parsed option (base and own), by option name. */
  readonly options: Readonly<Record<string, unknown>>;
  /** The own random stream of a stochastic layer (one whose table has `seed`). */
  protected readonly noise: NoiseStream | undefined;
  /** Stochastic layers only: their own stream's state (undefined without a seed), for exact resume. */
  declare getRngState?: () => RngState | undefined;
  /** Stochastic layers only: restores a state from `getRngState`. */
  declare setRngState?: (s: RngState) => void;

  /** Parses `args` against BASE_OPTIONS and the class's `static options`. */
  constructor(args: unknown, defaultBase: string) {
    const cls = new.target as unknown as LayerClass;
    const specs = allOptions(cls);
    const o = parseOptions(cls.className, specs, args);
    this.options = o;
    this.name = (o['name'] as string | undefined) ?? uniqueName(defaultBase);
    this.trainable = o['trainable'] as boolean;
    this.activityRegularizer = o['activityRegularizer'] as Regularizer | undefined;
    const batch = (o['batchSize'] as number | undefined) ?? null;
    const bis = o['batchInputShape'] as Shape | undefined;
    const shape = o['inputShape'] as Shape | undefined;
    // inputDim means "inputShape [n]" unless the class redefines it (Embedding's vocabulary size).
    const dim = specs['inputDim'] === BASE_OPTIONS.inputDim ? (o['inputDim'] as number | undefined) : undefined;
    if (bis) this.batchInputShape = [...bis];
    else if (shape) this.batchInputShape = [batch, ...shape];
    else if (dim !== undefined) this.batchInputShape = [batch, dim];
    if ('seed' in cls.options) {
      const stream = new NoiseStream(o['seed'] as number | undefined, () => this.name);
      this.noise = stream;
      this.getRngState = () => stream.getState();
      this.setRngState = (st) => stream.setState(st);
    }
  }

  /** Keras class name, e.g. 'Dense' (the class's `static className`). */
  get className(): string {
    return (this.constructor as unknown as LayerClass).className;
  }

  /**
   * Builds a layer of this class from its Keras/TF.js config (snake_case
   * keys), rejecting keys it does not know. A getter, so `Dense.fromConfig`
   * works unbound too.
   */
  static get fromConfig(): (config: Record<string, unknown>) => Layer {
    const cls = this as unknown as LayerClass;
    return (config) => layerFromConfigOf(cls, config);
  }

  /**
   * Creates weights for `inputShape` (batch dim may be null); a layer called
   * on a list (merge layers, models with several inputs) gets a list of
   * shapes. Default: none.
   */
  build(_inputShape: Shape | Shape[], _rng: Rng): void {}

  /** The computation: one tensor in and out, or lists for layers called on lists. Batch dimension known. */
  abstract call(x: Tensor | Tensor[], ctx: CallContext): Tensor | Tensor[];

  /** Output shape(s) for input shape(s) (batch dim may be null). */
  abstract computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[];

  /**
   * On symbolic tensors (functional API): records a Node and returns symbolic
   * outputs. On tensors: builds if needed, runs `call`, records the activity
   * penalty (divided by batch size, Keras ≥ 3.14).
   */
  apply(x: SymbolicTensor, ctx?: CallContext): SymbolicTensor;
  apply(x: SymbolicTensor[], ctx?: CallContext): SymbolicTensor | SymbolicTensor[];
  apply(x: Tensor, ctx?: CallContext, rng?: Rng): Tensor;
  apply(x: Tensor[], ctx?: CallContext, rng?: Rng): Tensor | Tensor[];
  apply(x: Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[], ctx: CallContext = { training: false }, rng?: Rng): Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[] {
    if (isSymbolic(x)) return this.applySymbolic(x);
    const xs = x as Tensor | Tensor[];
    if (Array.isArray(xs) && xs.some((t) => t instanceof SymbolicTensor)) {
      throw new Error(`${this.name}: cannot mix symbolic tensors (from input()) and concrete tensors in one call`);
    }
    if (!this.built) {
      // Standalone use: weights come from a fixed default stream (seed 0) unless an Rng is given.
      const shapeOf = (t: Tensor): Shape => [null, ...t.shape.slice(1)];
      this.build(Array.isArray(xs) ? xs.map(shapeOf) : shapeOf(xs), rng ?? new Rng(0));
      this.built = true;
    }
    const y = this.call(xs, ctx);
    if (!ctx.accumulate) this.activityLosses = [];
    if (this.activityRegularizer) {
      for (const out of Array.isArray(y) ? y : [y]) {
        const p = this.activityRegularizer.apply(out);
        const batch = out.rank > 0 ? out.shape[0]! : 0;
        this.activityLosses.push(batch > 0 ? div(p, batch) : p);
      }
    }
    return y;
  }

  /** The functional-API half of `apply`: shape inference and a new Node; no weights are made here. */
  private applySymbolic(x: SymbolicTensor | SymbolicTensor[]): SymbolicTensor | SymbolicTensor[] {
    const list = Array.isArray(x);
    const inputs = list ? [...x] : [x];
    const shapes = inputs.map((t) => t.shape);
    const from = inputs.map(describeSymbolic).join(' and ');
    const want = this.batchInputShape;
    if (want && !list) {
      const got = shapes[0]!;
      const ok = got.length === want.length && want.every((d, i) => i === 0 || d === null || got[i] === null || d === got[i]);
      if (!ok) throw new Error(`${this.name} (${this.className}) expects input shape ${fmtShape(want)} (its inputShape) but was called on ${from}`);
    }
    let out: Shape | Shape[];
    try {
      out = this.computeOutputShape(list ? shapes : shapes[0]!);
    } catch (e) {
      throw new Error(`${this.name} (${this.className}) cannot be called on ${from}: ${(e as Error).message}`);
    }
    const node = new Node(this, inputs, list);
    this.inboundNodes.push(node);
    const outShapes = isShapeList(out) ? out : [out];
    outShapes.forEach((s, i) => node.outputs.push(new SymbolicTensor([...s], this.outputDType(inputs.map((t) => t.dtype)), node, i)));
    return isShapeList(out) ? [...node.outputs] : node.outputs[0]!;
  }

  /**
   * True when the layer accepts a masked input (Keras's `supports_masking`):
   * it either passes the mask on unchanged (the default `computeMask`) or
   * consumes it (RNNs, GlobalAveragePooling1D). A model refuses to hand a
   * mask to a layer without it, naming both layers.
   */
  get supportsMasking(): boolean {
    return false;
  }

  /**
   * The mask of this layer's output, given its inputs and their mask (Keras's
   * `compute_mask`). Default: a masking-aware layer passes a single input's
   * mask on; otherwise no mask. Embedding (`maskZero`) and Masking make one.
   */
  computeMask(_inputs: Tensor | Tensor[], mask: Mask | undefined): Tensor | null {
    if (!this.supportsMasking || mask === undefined || mask === null) return null;
    return Array.isArray(mask) ? null : (mask as Tensor);
  }

  /** The dtype of symbolic outputs (float32 unless a layer passes ids through). */
  protected outputDType(_inputDTypes: readonly DType[]): DType {
    return 'float32';
  }

  /** Activity penalties of the calls since the last clear (no weight penalties). */
  get activityPenalties(): Tensor[] {
    return [...this.activityLosses];
  }

  /** Called by models before each top-level forward pass. */
  clearActivityLosses(): void {
    if (this.activityLosses.length > 0) this.activityLosses = [];
  }

  /** Creates a weight Variable named `${layer}/${name}`. */
  protected addWeight(args: AddWeightArgs, rng: Rng): Variable {
    const init = args.initializer.apply(args.shape, rng);
    if (init.shape.length !== args.shape.length || init.shape.some((d, i) => d !== args.shape[i])) {
      throw new Error(`${this.name}: initializer gave ${fmt(init.shape)} for weight '${args.name}' ${fmt(args.shape)}`);
    }
    const v = new Variable(init, {
      name: `${this.weightNamePrefix ?? `${this.name}/`}${args.name}`,
      trainable: args.trainable ?? true,
      regularizer: args.regularizer,
      constraint: args.constraint,
    });
    this.weightList.push(v);
    return v;
  }

  /** All weights in creation order (Keras order: trainable first is NOT enforced; TF.js order is creation order). */
  get weights(): Variable[] {
    return [...this.weightList];
  }

  get trainableWeights(): Variable[] {
    return this.trainable ? this.weightList.filter((w) => w.trainable) : [];
  }

  get nonTrainableWeights(): Variable[] {
    return this.trainable ? this.weightList.filter((w) => !w.trainable) : [...this.weightList];
  }

  /** Weight penalties (recomputed now, trainable weights only) + activity penalties of the last call. */
  get losses(): Tensor[] {
    const out: Tensor[] = [];
    if (this.trainable) for (const w of this.weightList) if (w.trainable && w.regularizer) out.push(w.regularizer.apply(w));
    for (const p of this.activityLosses) out.push(p);
    return out;
  }

  /** Copies of the current weight values. */
  getWeights(): Tensor[] {
    return this.weightList.map((w) => w.read());
  }

  /** Sets weights in `weights` order; shapes must match. */
  setWeights(values: readonly Tensor[]): void {
    if (values.length !== this.weightList.length) {
      throw new Error(`${this.name}.setWeights: expected ${this.weightList.length} arrays, got ${values.length}`);
    }
    values.forEach((v, i) => this.weightList[i]!.assign(v));
  }

  countParams(): number {
    return this.weightList.reduce((s, w) => s + w.size, 0);
  }

  /** Keras config: name, trainable, dtype, batch_input_shape (if set) + the layer's own keys. */
  getConfig(): Record<string, unknown> {
    const base: Record<string, unknown> = { name: this.name, trainable: this.trainable, dtype: 'float32' };
    if (this.batchInputShape) base['batch_input_shape'] = [...this.batchInputShape];
    const own = toConfig((this.constructor as unknown as LayerClass).options, { ...this.options, activityRegularizer: this.activityRegularizer });
    return { ...base, ...own };
  }
}

/** '[null,4]'. */
function fmtShape(s: Shape): string {
  return `[${s.map((d) => (d === null ? 'null' : String(d))).join(',')}]`;
}

/** True when `s` is a list of shapes rather than one shape. */
export function isShapeList(s: Shape | Shape[]): s is Shape[] {
  return s.length > 0 && Array.isArray(s[0]);
}
