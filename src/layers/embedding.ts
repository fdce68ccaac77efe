/**
 * Embedding: integer ids [batch, …] → vectors [batch, …, outputDim], a lookup
 * into `embeddings` [inputDim, outputDim] (default U(−0.05, 0.05), Keras).
 * Ids may be int32 or integer-valued float32; anything outside [0, inputDim)
 * is an error naming the id and where it was found.
 */
import { gather } from '../ops/shape-ops.js';
import type { Rng } from '../random.js';
import { fmt } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import type { Constraint, Initializer, Regularizer } from '../config/types.js';
import { bool, int, req, type ArgsOf, type ValuesOf } from '../config/options.js';
import { Layer, type CallContext, type LayerArgs, type Shape } from './layer.js';
import { constraint, initializer, regularizer } from './options.js';

/** Embedding's options, in config key order. */
export const EMBEDDING_OPTIONS = {
  /** Vocabulary size: ids lie in [0, inputDim) (not "inputShape [n]" as elsewhere). */
  inputDim: req(int()),
  /** Vector length. */
  outputDim: req(int()),
  /** Default randomUniform(−0.05, 0.05). */
  embeddingsInitializer: initializer('randomUniform'),
  embeddingsRegularizer: regularizer(),
  activityRegularizer: regularizer(),
  embeddingsConstraint: constraint(),
  /** Id 0 is padding: the output carries a mask that is 0 there (docs/semantics.md §9), for RNNs and GlobalAveragePooling1D. */
  maskZero: bool(false),
  /** Keras 2: fixed sequence length (sets inputShape [inputLength]). */
  inputLength: int(),
};

export type EmbeddingArgs = Omit<LayerArgs, 'inputDim'> & ArgsOf<typeof EMBEDDING_OPTIONS>;

/** @example new Embedding({ inputDim: 1000, outputDim: 16 }) // [b, t] ids → [b, t, 16] */
export class Embedding extends Layer {
  static override readonly className = 'Embedding';
  static override readonly options = EMBEDDING_OPTIONS;
  declare readonly options: ValuesOf<typeof EMBEDDING_OPTIONS>;
  embeddings: Variable | undefined;

  constructor(args: EmbeddingArgs) {
    super(args, 'embedding');
    const len = this.options.inputLength;
    if (len !== undefined && !this.batchInputShape) this.batchInputShape = [(this.options as { batchSize?: number }).batchSize ?? null, len];
  }

  get inputDim(): number {
    return this.options.inputDim;
  }
  get outputDim(): number {
    return this.options.outputDim;
  }
  get inputLength(): number | null {
    return this.options.inputLength ?? null;
  }
  get embeddingsInitializer(): Initializer {
    return this.options.embeddingsInitializer;
  }
  get embeddingsRegularizer(): Regularizer | undefined {
    return this.options.embeddingsRegularizer;
  }
  get embeddingsConstraint(): Constraint | undefined {
    return this.options.embeddingsConstraint;
  }

  override build(_inputShape: Shape, rng: Rng): void {
    this.embeddings = this.addWeight(
      {
        name: 'embeddings',
        shape: [this.inputDim, this.outputDim],
        initializer: this.embeddingsInitializer,
        regularizer: this.embeddingsRegularizer,
        constraint: this.embeddingsConstraint,
      },
      rng,
    );
  }

  /** With `maskZero`, the mask of the ids: 1 where an id is not 0 (Keras's `compute_mask`). */
  override computeMask(inputs: Tensor | Tensor[]): Tensor | null {
    if (!this.options.maskZero || Array.isArray(inputs)) return null;
    const d = inputs.data;
    const m = new Float32Array(inputs.size);
    for (let i = 0; i < d.length; i++) m[i] = d[i] === 0 ? 0 : 1;
    return new Tensor(inputs.shape, 'float32', m);
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    const ids = new Int32Array(x.size);
    const d = x.data;
    for (let i = 0; i < d.length; i++) {
      const v = d[i]!;
      if (!Number.isInteger(v) || v < 0 || v >= this.inputDim) {
        throw new Error(`${this.name}: id ${v} at flat index ${i} of input ${fmt(x.shape)} is not an integer in [0, ${this.inputDim}) (inputDim ${this.inputDim})`);
      }
      ids[i] = v;
    }
    return gather(this.embeddings!, new Tensor(x.shape, 'int32', ids), 0);
  }

  computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape, this.outputDim];
  }
}

export function embedding(args: EmbeddingArgs): Embedding {
  return new Embedding(args);
}
