/**
 * Bidirectional (Keras 3, TF.js spelling): runs a recurrent layer forward
 * and a copy of it backward over the same sequence and merges the two
 * outputs. The copies are made from the layer's config as Keras and TF.js
 * make them: `forward_<name>`, and `backward_<name>` with `goBackwards`
 * flipped (or `backwardLayer` when given; it must run the other way and
 * agree on returnSequences / returnState). A backward layer with
 * returnSequences returns its steps last to first; they are reversed back in
 * time before merging (Keras). mergeMode: 'concat' (default, last axis),
 * 'sum', 'mul', 'ave', or null (a list [forward, backward]). With
 * returnState the outputs are the merged output(s), then the forward states,
 * then the backward states. A mask goes to both directions. Weights are the
 * forward layer's then the backward layer's, named
 * `<bidirectional>/forward_<name>/<weight>` as TF.js names them.
 */
import { add, mul } from '../ops/arithmetic.js';
import { concat, gather } from '../ops/shape-ops.js';
import type { Rng } from '../random.js';
import { Tensor } from '../tensor/tensor.js';
import { custom, invalid, type ArgsOf, type OptionSpec, type ValuesOf } from '../config/options.js';
import { isShapeList, type CallContext, type Layer, type LayerArgs, type Mask, type Shape } from './layer.js';
import { innerLayerFromConfig, innerLayerOption, Wrapper } from './wrapper.js';

/** How the two directions' outputs are combined (null: both, as a list). */
export type BidirectionalMergeMode = 'concat' | 'sum' | 'mul' | 'ave';
const MERGE_MODES = ['concat', 'sum', 'mul', 'ave'] as const;

/** The optional `backwardLayer` (Keras 3): written as `{class_name, config}` when given. */
function backwardLayerOption(): OptionSpec<Layer | undefined, Layer> {
  const inner = innerLayerOption();
  return {
    ...custom<Layer | undefined, Layer>({
      check: (v, w) => inner.parse(v, w, {}),
      toConfig: (l) => (l ? { class_name: l.className, config: l.getConfig() } : null),
      fromConfig: (v) => innerLayerFromConfig(v, 'backward_layer config'),
    }),
    writeIf: (o) => o['backwardLayer'] !== undefined,
  };
}

/** Bidirectional's options, in config key order. */
export const BIDIRECTIONAL_OPTIONS = {
  /** The recurrent layer (SimpleRNN, LSTM, GRU); its config is copied into both directions. */
  layer: innerLayerOption(),
  /** 'concat' (default), 'sum', 'mul', 'ave', or null for a list of both outputs. */
  mergeMode: custom<BidirectionalMergeMode, BidirectionalMergeMode>({
    check: (v, w) => {
      if (typeof v !== 'string' || !(MERGE_MODES as readonly string[]).includes(v)) throw invalid(w, `one of ${MERGE_MODES.map((m) => `'${m}'`).join(', ')} or null`, v);
      return v as BidirectionalMergeMode;
    },
    default: 'concat',
  }),
  /** Keras 3: the backward layer itself (default: a copy of `layer` with goBackwards flipped). */
  backwardLayer: backwardLayerOption(),
};

export type BidirectionalArgs = LayerArgs & ArgsOf<typeof BIDIRECTIONAL_OPTIONS>;

/** The recurrent options a layer's config must have. */
function rnnFlags(l: Layer, who: string): { returnSequences: boolean; returnState: boolean; goBackwards: boolean } {
  const c = l.getConfig();
  if (typeof c['go_backwards'] !== 'boolean' || typeof c['return_sequences'] !== 'boolean') {
    throw new Error(`${who}: Bidirectional needs a recurrent layer (SimpleRNN, LSTM, GRU) with goBackwards and returnSequences, got '${l.name}' (${l.className})`);
  }
  return { returnSequences: c['return_sequences'] as boolean, returnState: c['return_state'] === true, goBackwards: c['go_backwards'] as boolean };
}

/** A copy of `l` from its config, renamed, with goBackwards set. */
function copyOf(l: Layer, name: string, goBackwards: boolean): Layer {
  const config: Record<string, unknown> = { ...l.getConfig(), name, go_backwards: goBackwards };
  delete config['batch_input_shape'];
  return innerLayerFromConfig({ class_name: l.className, config }, name);
}

/** `t` [batch, steps, …] with its steps in reverse order. */
function reverseTime(t: Tensor): Tensor {
  const T = t.shape[1]!;
  const idx = new Int32Array(T);
  for (let i = 0; i < T; i++) idx[i] = T - 1 - i;
  return gather(t, new Tensor([T], 'int32', idx), 1);
}

/**
 * @example
 * layers.bidirectional({ layer: layers.lstm({ units: 16, returnSequences: true }) }) // [b, t, f] → [b, t, 32]
 */
export class Bidirectional extends Wrapper {
  static override readonly className = 'Bidirectional';
  static override readonly options = BIDIRECTIONAL_OPTIONS;
  declare readonly options: ValuesOf<typeof BIDIRECTIONAL_OPTIONS>;
  readonly forwardLayer: Layer;
  readonly backwardLayer: Layer;
  /** The merge mode; null returns both outputs as a list. */
  mergeMode: BidirectionalMergeMode | null;
  readonly returnSequences: boolean;
  readonly returnState: boolean;

  constructor(args: BidirectionalArgs) {
    // null means "no merge" here, not "absent" (which options parsing makes of null).
    const raw = args as unknown as Record<string, unknown> | undefined;
    const noMerge = typeof raw === 'object' && raw !== null && 'mergeMode' in raw && raw['mergeMode'] === null;
    super(args, 'bidirectional');
    this.mergeMode = noMerge ? null : this.options.mergeMode;
    const layer = this.options.layer;
    const f = rnnFlags(layer, this.name);
    const base = layer.name.replace(/^(forward_|backward_)/, '');
    this.forwardLayer = copyOf(layer, `forward_${base}`, f.goBackwards);
    const given = this.options.backwardLayer;
    this.backwardLayer = given ?? copyOf(layer, `backward_${base}`, !f.goBackwards);
    if (given) {
      const b = rnnFlags(given, this.name);
      if (b.goBackwards === f.goBackwards) throw new Error(`${this.name}: backwardLayer '${given.name}' must run the other way: its goBackwards (${b.goBackwards}) equals the forward layer's`);
      if (b.returnSequences !== f.returnSequences || b.returnState !== f.returnState) {
        throw new Error(`${this.name}: backwardLayer '${given.name}' must have the forward layer's returnSequences (${f.returnSequences}) and returnState (${f.returnState}), got ${b.returnSequences} and ${b.returnState}`);
      }
    }
    for (const l of this.inner) if (!l.built) l.weightNamePrefix = `${this.name}/${l.name}/`;
    this.returnSequences = f.returnSequences;
    this.returnState = f.returnState;
    // An inputShape given to the wrapped layer is the wrapper's (both see the same sequence).
    if (!this.batchInputShape && layer.batchInputShape) this.batchInputShape = [...layer.batchInputShape];
    this.initRngDelegation();
  }

  /** The wrapped recurrent layer as given (its config is what configs store). */
  get layer(): Layer {
    return this.options.layer;
  }

  protected get inner(): readonly Layer[] {
    return [this.forwardLayer, this.backwardLayer];
  }

  /** Both directions take the mask. */
  override get supportsMasking(): boolean {
    return true;
  }

  /** With returnSequences the input mask passes on (to every output); otherwise none. */
  override computeMask(_inputs: Tensor | Tensor[], mask: Mask | undefined): Tensor | null {
    if (!this.returnSequences || mask === undefined || mask === null || Array.isArray(mask)) return null;
    return mask as Tensor;
  }

  override build(inputShape: Shape | Shape[], rng: Rng): void {
    if (isShapeList(inputShape)) throw new Error(`${this.name}: Bidirectional takes one input, got ${inputShape.length}`);
    for (const l of this.inner) {
      if (l.built) continue;
      l.build(inputShape, rng);
      l.built = true;
    }
  }

  private merge(a: Tensor, b: Tensor): Tensor | Tensor[] {
    switch (this.mergeMode) {
      case 'concat':
        return concat([a, b], a.rank - 1);
      case 'sum':
        return add(a, b);
      case 'mul':
        return mul(a, b);
      case 'ave':
        return mul(add(a, b), 0.5);
      default:
        return [a, b];
    }
  }

  call(x: Tensor, ctx: CallContext): Tensor | Tensor[] {
    const sub: CallContext = { training: ctx.training, ...(ctx.rng ? { rng: ctx.rng } : {}), ...(ctx.accumulate ? { accumulate: true } : {}), ...(ctx.mask ? { mask: ctx.mask } : {}) };
    const yf = this.forwardLayer.apply(x, sub);
    const yb = this.backwardLayer.apply(x, sub);
    const [fOut, fStates] = Array.isArray(yf) ? [yf[0]!, yf.slice(1)] : [yf, []];
    const [bOutRaw, bStates] = Array.isArray(yb) ? [yb[0]!, yb.slice(1)] : [yb, []];
    const bOut = this.returnSequences ? reverseTime(bOutRaw) : bOutRaw;
    const merged = this.merge(fOut, bOut);
    if (!this.returnState) return merged;
    return (Array.isArray(merged) ? merged : [merged]).concat(fStates, bStates);
  }

  computeOutputShape(inputShape: Shape): Shape | Shape[] {
    const s = this.forwardLayer.computeOutputShape(inputShape);
    const [out, states] = isShapeList(s) ? [s[0]!, s.slice(1)] : [s, []];
    const outs: Shape[] =
      this.mergeMode === 'concat' ? [[...out.slice(0, -1), out[out.length - 1] === null ? null : 2 * (out[out.length - 1] as number)]] : this.mergeMode === null ? [out, [...out]] : [out];
    const all = outs.concat(states, states.map((t) => [...t]));
    return all.length === 1 ? all[0]! : all;
  }

  /** TF.js/Keras config: merge_mode (null when unmerged), the layer, backward_layer when given. */
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), merge_mode: this.mergeMode };
  }

  /** Reads `merge_mode: null` as "no merge" (options parsing would take null as absent). */
  static override get fromConfig(): (config: Record<string, unknown>) => Layer {
    const base = super.fromConfig;
    return (config) => {
      const l = base(config) as Bidirectional;
      if (typeof config === 'object' && config !== null && 'merge_mode' in config && config['merge_mode'] === null) l.mergeMode = null;
      return l;
    };
  }
}

/** Factory: `layers.bidirectional({ layer: layers.lstm({ units: 8 }), mergeMode: 'concat' })`. */
export function bidirectional(args: BidirectionalArgs): Bidirectional {
  return new Bidirectional(args);
}
