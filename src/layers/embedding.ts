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
import { baseArgs, bool, checkKeys, ConfigReader, positiveInt } from './args.js';
import { Layer, type CallContext, type Constraint, type Initializer, type LayerArgs, type Regularizer, type Shape } from './layer.js';
import { deserialize, resolveInitializer, serialize } from './serialization.js';
import type { ConstraintArg, InitializerArg, RegularizerArg } from './weight-args.js';

export interface EmbeddingArgs extends Omit<LayerArgs, 'activityRegularizer'> {
  /** Vocabulary size: ids lie in [0, inputDim). */
  inputDim: number;
  /** Vector length. */
  outputDim: number;
  /** Default randomUniform(−0.05, 0.05). */
  embeddingsInitializer?: InitializerArg;
  embeddingsRegularizer?: RegularizerArg;
  embeddingsConstraint?: ConstraintArg;
  activityRegularizer?: RegularizerArg;
  /** Only false (masking is not supported). */
  maskZero?: boolean;
  /** Keras 2: fixed sequence length (sets inputShape [inputLength]). */
  inputLength?: number | null;
  batchSize?: number;
  dtype?: string;
}

const OWN_KEYS = ['outputDim', 'embeddingsInitializer', 'embeddingsRegularizer', 'embeddingsConstraint', 'maskZero', 'inputLength'];

/** @example new Embedding({ inputDim: 1000, outputDim: 16 }) // [b, t] ids → [b, t, 16] */
export class Embedding extends Layer {
  readonly className = 'Embedding';
  readonly inputDim: number;
  readonly outputDim: number;
  readonly inputLength: number | null;
  readonly embeddingsInitializer: Initializer;
  readonly embeddingsRegularizer: Regularizer | undefined;
  readonly embeddingsConstraint: Constraint | undefined;
  embeddings: Variable | undefined;

  constructor(args: EmbeddingArgs) {
    if (typeof args !== 'object' || args === null) throw new Error(`Embedding: expected an options object like { inputDim: 100, outputDim: 8 }, got ${JSON.stringify(args)}`);
    checkKeys('Embedding', args, OWN_KEYS);
    // LayerArgs.inputDim means "inputShape [n]" elsewhere; here it is the vocabulary size.
    const { inputDim, inputLength, ...rest } = args;
    const len = inputLength === undefined || inputLength === null ? null : positiveInt('Embedding', 'inputLength', inputLength);
    const base = baseArgs('Embedding', len !== null && rest.inputShape === undefined && rest.batchInputShape === undefined ? { ...rest, inputShape: [len] } : rest);
    super(base, 'embedding');
    this.inputDim = positiveInt('Embedding', 'inputDim', inputDim);
    this.outputDim = positiveInt('Embedding', 'outputDim', args.outputDim);
    this.inputLength = len;
    if (bool('Embedding', 'maskZero', args.maskZero, false)) throw new Error('Embedding: maskZero=true is not supported (Regula has no masking)');
    this.embeddingsInitializer = resolveInitializer(args.embeddingsInitializer, 'randomUniform', 'Embedding embeddingsInitializer');
    this.embeddingsRegularizer = deserialize('regularizer', args.embeddingsRegularizer, 'Embedding embeddingsRegularizer');
    this.embeddingsConstraint = deserialize('constraint', args.embeddingsConstraint, 'Embedding embeddingsConstraint');
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

  protected layerConfig(): Record<string, unknown> {
    return {
      input_dim: this.inputDim,
      output_dim: this.outputDim,
      embeddings_initializer: this.embeddingsInitializer.getConfig(),
      embeddings_regularizer: serialize(this.embeddingsRegularizer),
      activity_regularizer: serialize(this.activityRegularizer),
      embeddings_constraint: serialize(this.embeddingsConstraint),
      mask_zero: false,
      input_length: this.inputLength,
    };
  }

  static fromConfig(config: Record<string, unknown>): Embedding {
    const r = new ConfigReader('Embedding', config);
    const args: EmbeddingArgs = { ...r.base(), inputDim: r.get('input_dim') as number, outputDim: r.get('output_dim') as number };
    const pairs: [keyof EmbeddingArgs, string][] = [
      ['embeddingsInitializer', 'embeddings_initializer'],
      ['embeddingsRegularizer', 'embeddings_regularizer'],
      ['embeddingsConstraint', 'embeddings_constraint'],
      ['maskZero', 'mask_zero'],
      ['inputLength', 'input_length'],
    ];
    for (const [k, key] of pairs) {
      const v = r.get(key);
      if (v !== undefined) (args as unknown as Record<string, unknown>)[k] = v;
    }
    r.done();
    return new Embedding(args);
  }
}

export function embedding(args: EmbeddingArgs): Embedding {
  return new Embedding(args);
}
