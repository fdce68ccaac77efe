/**
 * Reshape: [batch, …] → [batch, ...targetShape]; one entry of targetShape may
 * be −1 (inferred). The batch dimension is never touched.
 */
import { reshape as reshapeOp } from '../ops/shape-ops.js';
import { fmt } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { baseArgs, checkKeys, ConfigReader } from './args.js';
import { Layer, type CallContext, type LayerArgs, type Shape } from './layer.js';

export interface ReshapeArgs extends Omit<LayerArgs, 'activityRegularizer'> {
  /** Target shape without the batch dimension; at most one −1. */
  targetShape: readonly number[];
  batchSize?: number;
  dtype?: string;
}

/** Resolves a −1 in `target` for `inSize` elements per sample, or throws naming both shapes. */
function resolveTarget(target: readonly number[], inShape: readonly number[], name: string): number[] {
  const inSize = inShape.reduce((a, b) => a * b, 1);
  const known = target.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  const out = target.map((d) => (d === -1 ? (known === 0 ? 0 : inSize / known) : d));
  const outSize = out.reduce((a, b) => a * b, 1);
  if (!out.every((d) => Number.isInteger(d)) || outSize !== inSize) {
    throw new Error(`${name}: cannot reshape input ${fmt(inShape)} (${inSize} values per sample) to target shape ${fmt(target)}`);
  }
  return out;
}

/** @example new Reshape({ targetShape: [3, -1] }) // [b, 12] → [b, 3, 4] */
export class Reshape extends Layer {
  readonly className = 'Reshape';
  readonly targetShape: readonly number[];

  constructor(args: ReshapeArgs) {
    if (typeof args !== 'object' || args === null) throw new Error(`Reshape: expected an options object like { targetShape: [3, 4] }, got ${JSON.stringify(args)}`);
    checkKeys('Reshape', args, ['targetShape']);
    const t = args.targetShape;
    if (!Array.isArray(t) || t.some((d) => !Number.isInteger(d) || (d < 1 && d !== -1)) || t.filter((d) => d === -1).length > 1) {
      throw new Error(`Reshape: targetShape must be an array of positive integers with at most one -1, got ${JSON.stringify(t)}`);
    }
    super(baseArgs('Reshape', args), 'reshape');
    this.targetShape = [...t];
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    if (x.rank === 0) throw new Error(`${this.name}: Reshape needs an input with a batch dimension, got a scalar`);
    return reshapeOp(x, [x.shape[0]!, ...resolveTarget(this.targetShape, x.shape.slice(1), this.name)]);
  }

  computeOutputShape(inputShape: Shape): Shape {
    const rest = inputShape.slice(1);
    if (!rest.every((d): d is number => typeof d === 'number')) return [inputShape[0] ?? null, ...this.targetShape.map((d) => (d === -1 ? null : d))];
    return [inputShape[0] ?? null, ...resolveTarget(this.targetShape, rest, this.name)];
  }

  protected layerConfig(): Record<string, unknown> {
    return { target_shape: [...this.targetShape] };
  }

  static fromConfig(config: Record<string, unknown>): Reshape {
    const r = new ConfigReader('Reshape', config);
    // TF.js writes an inferred dimension as null, Keras as -1.
    const target = r.get('target_shape');
    const args: ReshapeArgs = { ...r.base(), targetShape: (Array.isArray(target) ? target.map((d) => (d === null ? -1 : d)) : target) as number[] };
    r.done();
    return new Reshape(args);
  }
}

export function reshape(args: ReshapeArgs): Reshape {
  return new Reshape(args);
}
