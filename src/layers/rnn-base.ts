/**
 * What SimpleRNN, LSTM and GRU share (Keras 3 `RNN` + `DropoutRNNCell`,
 * docs/semantics.md "Recurrent layers"): options, weights, Keras's recurrent
 * dropout, masking, and the call — the input projection of every step as one
 * GEMM, then the whole recurrence as one op (`rnnSequence`, fused step
 * kernels, backprop through time in the backend).
 *
 * Dropout (Keras 3 DropoutRNNCell): masks are drawn once per call (one batch)
 * and reused at every step, only in training and only for 0 < rate < 1. With
 * recurrentDropout > 0 an LSTM / GRU draws one mask per gate for the inputs
 * and one per gate for the recurrent state (Keras's implementation 1: 4 / 3
 * each); otherwise one input mask serves all gates. A layer with a `seed`
 * draws from its own advancing stream, else from the step's `ctx.rng`.
 */
import type { Activation } from '../activations.js';
import { bool, custom, int, num, req, seed, type ValuesOf } from '../config/options.js';
import type { Initializer } from '../config/types.js';
import { mul } from '../ops/arithmetic.js';
import { dense as denseOp } from '../ops/matmul.js';
import { dropoutMask } from '../ops/random-ops.js';
import { rnnGates, rnnSequence, RNN_ACTIVATIONS, type RnnActivation, type RnnCellKind } from '../ops/rnn.js';
import { concat, reshape, slice, toFloat } from '../ops/shape-ops.js';
import type { Rng } from '../random.js';
import { fmt } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import { Layer, type CallContext, type Mask, type Shape } from './layer.js';
import { activation, constraint, initializer, regularizer } from './options.js';

/** A dropout rate in [0, 1], default 0. */
const dropRate = () => ({ ...num({ lo: 0, hi: 1, default: 0 }) });

/** units and activation: the head of every recurrent table. */
export const RNN_HEAD = {
  /** Output and state size, a positive integer. */
  units: req(int()),
  /** Default tanh. */
  activation: activation('tanh'),
};

/** The weight options, in TF.js config order (LSTM inserts unitForgetBias after biasInitializer). */
export const RNN_USE_BIAS = { useBias: bool(true) };
export const RNN_INITIALIZERS = {
  kernelInitializer: initializer('glorotUniform'),
  recurrentInitializer: initializer('orthogonal'),
  biasInitializer: initializer('zeros'),
};
export const RNN_PENALTIES = {
  kernelRegularizer: regularizer(),
  recurrentRegularizer: regularizer(),
  biasRegularizer: regularizer(),
  activityRegularizer: regularizer(),
  kernelConstraint: constraint(),
  recurrentConstraint: constraint(),
  biasConstraint: constraint(),
  /** Fraction of the inputs dropped (one mask per sequence). */
  dropout: dropRate(),
  /** Fraction of the recurrent state dropped (one mask per sequence and gate). */
  recurrentDropout: dropRate(),
};

/** Read from Keras/TF.js configs, never written: TF.js `implementation`, Keras 3 `use_cudnn`. */
const ignored = (what: string) => ({ ...custom<unknown>({ check: (v) => v }), write: false, read: true, key: what });

/** The layer-level options of every recurrent layer (Keras RNN). */
export const RNN_TAIL = {
  /** Keras 3: the dropout masks' own seeded stream. */
  seed: seed(),
  returnSequences: bool(false),
  /** Also return the final states: [output, h] (LSTM: [output, h, c]). */
  returnState: bool(false),
  /** Process the steps last to first; the returned sequence is in processing order (Keras). */
  goBackwards: bool(false),
  stateful: custom<false, boolean>({
    check: (v, w) => {
      if (v !== false) throw new Error(`${w.layer}: stateful=true is not supported: every batch starts from zero states (stateful: false only)`);
      return false;
    },
    default: false,
  }),
  /** Accepted and ignored: the recurrence always runs as one fused loop. */
  unroll: bool(false),
  implementation: ignored('implementation'),
  useCudnn: ignored('use_cudnn'),
};

/** Keras activation name → the fused kernel's name. */
const FUSED_NAMES: Readonly<Record<string, RnnActivation>> = {
  linear: 'linear', relu: 'relu', relu6: 'relu6', sigmoid: 'sigmoid', hard_sigmoid: 'hardSigmoid', tanh: 'tanh',
  softsign: 'softsign', elu: 'elu', selu: 'selu', exponential: 'exponential',
};

/** The fused-kernel activation for `a`, or a clear error. */
export function rnnActivation(layer: string, arg: string, a: Activation): RnnActivation {
  const f = FUSED_NAMES[a.name];
  if (!f) throw new Error(`${layer}: ${arg} '${a.name}' is not supported by the recurrent kernels; use one of ${RNN_ACTIVATIONS.join(', ')}`);
  return f;
}

type RnnValues = ValuesOf<typeof RNN_HEAD & typeof RNN_USE_BIAS & typeof RNN_INITIALIZERS & typeof RNN_PENALTIES & typeof RNN_TAIL>;

/** The dropout masks of the most recent training call (for tests and inspection). */
export interface RnnDropoutMasks {
  /** Input masks [batch, features]: one, or one per gate. */
  input: Tensor[];
  /** Recurrent masks [gates, batch, units], or null. */
  recurrent: Tensor | null;
}

/** SimpleRNN, LSTM and GRU. */
export abstract class RNNBase extends Layer {
  declare readonly options: RnnValues;
  kernel: Variable | undefined;
  recurrentKernel: Variable | undefined;
  bias: Variable | undefined;
  /** The masks drawn by the last training call with dropout (null otherwise). */
  lastDropoutMasks: RnnDropoutMasks | null = null;
  protected abstract readonly cell: RnnCellKind;

  protected constructor(args: unknown, base: string) {
    super(args, base);
    rnnActivation(this.name, 'activation', this.options.activation);
  }

  get units(): number {
    return this.options.units;
  }
  get returnSequences(): boolean {
    return this.options.returnSequences;
  }
  get returnState(): boolean {
    return this.options.returnState;
  }
  get goBackwards(): boolean {
    return this.options.goBackwards;
  }
  get dropout(): number {
    return this.options.dropout;
  }
  get recurrentDropout(): number {
    return this.options.recurrentDropout;
  }

  /** The recurrent activation (LSTM, GRU; SimpleRNN has none). */
  protected recurrentActivationName(): RnnActivation {
    return 'sigmoid';
  }
  /** GRU's resetAfter (the others: unused). */
  protected resetAfter(): boolean {
    return false;
  }
  /** Bias shape: [G·units] (GRU resetAfter: [2, G·units]). */
  protected biasShape(): number[] {
    return [rnnGates(this.cell) * this.units];
  }
  /** The bias initializer (LSTM's unitForgetBias wraps it). */
  protected biasInit(): Initializer {
    return this.options.biasInitializer;
  }
  /** Number of states: 1 (LSTM: 2, h and c). */
  protected get stateCount(): number {
    return this.cell === 'lstm' ? 2 : 1;
  }

  /** Passes the mask on with returnSequences, consumes it otherwise (Keras). */
  override get supportsMasking(): boolean {
    return true;
  }
  override computeMask(_inputs: Tensor | Tensor[], mask: Mask | undefined): Tensor | null {
    if (!this.returnSequences || mask === undefined || mask === null || Array.isArray(mask)) return null;
    return mask as Tensor;
  }

  override build(inputShape: Shape, rng: Rng): void {
    const n = inputShape[2];
    if (inputShape.length !== 3 || typeof n !== 'number') {
      throw new Error(`${this.name}: ${this.className} expects inputs [batch, steps, features] with known features, got [${inputShape.map((d) => (d === null ? 'null' : d)).join(',')}]`);
    }
    const G = rnnGates(this.cell);
    const u = this.units;
    const o = this.options;
    this.kernel = this.addWeight({ name: 'kernel', shape: [n, G * u], initializer: o.kernelInitializer, regularizer: o.kernelRegularizer, constraint: o.kernelConstraint }, rng);
    this.recurrentKernel = this.addWeight(
      { name: 'recurrent_kernel', shape: [u, G * u], initializer: o.recurrentInitializer, regularizer: o.recurrentRegularizer, constraint: o.recurrentConstraint },
      rng,
    );
    if (o.useBias) this.bias = this.addWeight({ name: 'bias', shape: this.biasShape(), initializer: this.biasInit(), regularizer: o.biasRegularizer, constraint: o.biasConstraint }, rng);
  }

  call(xIn: Tensor, ctx: CallContext): Tensor | Tensor[] {
    const x = xIn.dtype === 'int32' ? toFloat(xIn) : xIn;
    const kernel = this.kernel!;
    const [n, Gu] = kernel.shape as [number, number];
    if (x.rank !== 3 || x.shape[2] !== n) throw new Error(`${this.name}: ${this.className} expects inputs [batch, steps, ${n}], got ${fmt(x.shape)}`);
    const [b, T] = x.shape as [number, number, number];
    if (T < 1) throw new Error(`${this.name}: a sequence needs at least one step, got input ${fmt(x.shape)}`);
    const u = this.units;
    const G = rnnGates(this.cell);
    const mask = this.sequenceMask(ctx.mask, b, T);
    const drop = ctx.training && this.dropout > 0 && this.dropout < 1;
    const rdrop = ctx.training && this.recurrentDropout > 0 && this.recurrentDropout < 1;
    const perGate = this.cell !== 'simpleRNN' && this.recurrentDropout !== 0;
    let inputMasks: Tensor[] = [];
    let recMask: Tensor | null = null;
    if (drop || rdrop) {
      const rng = this.noise!.next(ctx);
      if (drop) for (let g = 0; g < (perGate ? G : 1); g++) inputMasks.push(dropoutMask([b, n], this.dropout, rng));
      if (rdrop) recMask = dropoutMask([G, b, u], this.recurrentDropout, rng);
      this.lastDropoutMasks = { input: inputMasks, recurrent: recMask };
    } else {
      inputMasks = [];
    }
    const bias = this.bias;
    let inBias: Tensor | null = bias ?? null;
    let recBias: Tensor | null = null;
    if (bias && bias.rank === 2) {
      inBias = reshape(slice(bias, [0, 0], [1, Gu]), [Gu]);
      recBias = reshape(slice(bias, [1, 0], [1, Gu]), [Gu]);
    }
    let zx: Tensor;
    if (inputMasks.length <= 1) {
      const xm = inputMasks.length === 1 ? mul(x, reshape(inputMasks[0]!, [b, 1, n])) : x;
      zx = denseOp(reshape(xm, [b * T, n]), kernel, inBias, 'linear');
    } else {
      const parts = inputMasks.map((m, g) => {
        const xg = reshape(mul(x, reshape(m, [b, 1, n])), [b * T, n]);
        const kg = slice(kernel, [0, g * u], [n, u]);
        const bg = inBias ? slice(inBias, [g * u], [u]) : null;
        return denseOp(xg, kg, bg, 'linear');
      });
      zx = concat(parts, 1);
    }
    const y = rnnSequence(reshape(zx, [b, T, Gu]), this.recurrentKernel!, recBias, {
      cell: this.cell,
      activation: rnnActivation(this.name, 'activation', this.options.activation),
      recurrentActivation: this.recurrentActivationName(),
      resetAfter: this.resetAfter(),
      goBackwards: this.goBackwards,
      recurrentMask: recMask,
      mask,
    });
    const last = reshape(slice(y, [0, T - 1, 0], [b, 1, u]), [b, u]);
    const out = this.returnSequences ? (this.cell === 'lstm' ? slice(y, [0, 0, 0], [b, T, u]) : y) : last;
    if (!this.returnState) return out;
    const states = [last];
    if (this.cell === 'lstm') states.push(reshape(slice(y, [0, T, 0], [b, 1, u]), [b, u]));
    return [out, ...states];
  }

  /** The mask as float32 [batch, steps], or null; errors name the layer and both shapes. */
  private sequenceMask(m: Mask | undefined, b: number, T: number): Tensor | null {
    if (m === undefined || m === null) return null;
    if (Array.isArray(m)) throw new Error(`${this.name}: ${this.className} takes one input and one mask, got a list of masks`);
    const t = m as Tensor;
    if (t.rank !== 2 || t.shape[0] !== b || t.shape[1] !== T) throw new Error(`${this.name}: the mask must be [batch, steps] = [${b}, ${T}], got ${fmt(t.shape)}`);
    return t.dtype === 'float32' ? t : toFloat(t);
  }

  computeOutputShape(inputShape: Shape): Shape | Shape[] {
    if (inputShape.length !== 3) throw new Error(`${this.className} expects inputs [batch, steps, features], got [${inputShape.map((d) => (d === null ? 'null' : d)).join(',')}]`);
    const [b, T] = inputShape as [number | null, number | null];
    const out: Shape = this.returnSequences ? [b, T, this.units] : [b, this.units];
    if (!this.returnState) return out;
    const states: Shape[] = [];
    for (let i = 0; i < this.stateCount; i++) states.push([b, this.units]);
    return [out, ...states];
  }
}

/** `Initializer` for LSTM's unitForgetBias: [init(u), ones(u), init(2u)] (Keras 3). */
export function unitForgetBiasInit(inner: Initializer, units: number): Initializer {
  return {
    apply(shape: readonly number[], rng: Rng): Tensor {
      const a = inner.apply([units], rng).data;
      const c = inner.apply([2 * units], rng).data;
      const out = new Float32Array(4 * units);
      out.set(a as ArrayLike<number>, 0);
      out.fill(1, units, 2 * units);
      out.set(c as ArrayLike<number>, 2 * units);
      return new Tensor(shape, 'float32', out);
    },
    getConfig: () => inner.getConfig(),
  };
}
