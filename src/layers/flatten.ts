/**
 * Flatten: [batch, d1, d2, …] → [batch, d1·d2·…] (a [batch] input becomes [batch, 1]).
 */
import { reshape } from '../ops/shape-ops.js';
import type { Tensor } from '../tensor/tensor.js';
import { baseArgs, checkKeys, ConfigReader } from './args.js';
import { Layer, type CallContext, type LayerArgs, type Shape } from './layer.js';

export interface FlattenArgs extends Omit<LayerArgs, 'activityRegularizer'> {
  /** Only 'channels_last'. */
  dataFormat?: 'channels_last' | 'channelsLast';
  batchSize?: number;
  dtype?: string;
}

/** @example new Flatten() // [b, 4, 3] → [b, 12] */
export class Flatten extends Layer {
  readonly className = 'Flatten';

  constructor(args: FlattenArgs = {}) {
    if (typeof args !== 'object' || args === null) throw new Error(`Flatten: expected an options object, got ${JSON.stringify(args)}`);
    checkKeys('Flatten', args, ['dataFormat']);
    if (args.dataFormat !== undefined && args.dataFormat !== 'channels_last' && args.dataFormat !== 'channelsLast') {
      throw new Error(`Flatten: dataFormat must be 'channels_last', got ${JSON.stringify(args.dataFormat)}`);
    }
    super(baseArgs('Flatten', args), 'flatten');
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    if (x.rank === 0) throw new Error(`${this.name}: Flatten needs an input with a batch dimension, got a scalar`);
    return reshape(x, [x.shape[0]!, x.shape.slice(1).reduce((a, b) => a * b, 1)]);
  }

  computeOutputShape(inputShape: Shape): Shape {
    const rest = inputShape.slice(1);
    const known = rest.every((d): d is number => typeof d === 'number');
    return [inputShape[0] ?? null, known ? rest.reduce((a, b) => a * b, 1) : null];
  }

  protected layerConfig(): Record<string, unknown> {
    return {};
  }

  static fromConfig(config: Record<string, unknown>): Flatten {
    const r = new ConfigReader('Flatten', config);
    const args = r.base();
    r.done();
    return new Flatten(args);
  }
}

export function flatten(args: FlattenArgs = {}): Flatten {
  return new Flatten(args);
}
