/**
 * GlobalAveragePooling1D: mean over the steps axis.
 * Input [batch, steps, channels] → [batch, channels].
 */
import { mean } from '../ops/reduce.js';
import { fmt } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { baseArgs, checkKeys, ConfigReader } from './args.js';
import { Layer, type CallContext, type LayerArgs, type Shape } from './layer.js';

export interface GlobalPooling1DArgs extends Omit<LayerArgs, 'activityRegularizer'> {
  /** Only 'channels_last'. */
  dataFormat?: 'channels_last' | 'channelsLast';
  batchSize?: number;
  dtype?: string;
}

/** Shared argument check and config reading for both global 1-D poolings. */
export function parseGlobalPool(layer: string, args: GlobalPooling1DArgs): void {
  if (typeof args !== 'object' || args === null) throw new Error(`${layer}: expected an options object, got ${JSON.stringify(args)}`);
  checkKeys(layer, args, ['dataFormat']);
  if (args.dataFormat !== undefined && args.dataFormat !== 'channels_last' && args.dataFormat !== 'channelsLast') {
    throw new Error(`${layer}: dataFormat must be 'channels_last', got ${JSON.stringify(args.dataFormat)}`);
  }
}

export function globalPoolFromConfig(layer: string, config: Record<string, unknown>): GlobalPooling1DArgs {
  const r = new ConfigReader(layer, config);
  const args = r.base();
  const keep = r.get('keepdims');
  if (keep !== undefined && keep !== false) throw new Error(`${layer}.fromConfig: keepdims=true is not supported`);
  r.done();
  return args;
}

export function globalPoolOutputShape(inputShape: Shape, name: string): Shape {
  if (inputShape.length !== 3) throw new Error(`${name}: expects input [batch, steps, channels], got [${inputShape.join(',')}]`);
  return [inputShape[0] ?? null, inputShape[2] ?? null];
}

export function checkRank3(x: Tensor, name: string): void {
  if (x.rank !== 3) throw new Error(`${name}: expects input [batch, steps, channels], got ${fmt(x.shape)}`);
}

/** @example new GlobalAveragePooling1D() // [b, t, c] → [b, c] */
export class GlobalAveragePooling1D extends Layer {
  readonly className = 'GlobalAveragePooling1D';

  constructor(args: GlobalPooling1DArgs = {}) {
    parseGlobalPool('GlobalAveragePooling1D', args);
    super(baseArgs('GlobalAveragePooling1D', args), 'global_average_pooling1d');
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    checkRank3(x, this.name);
    return mean(x, 1);
  }

  computeOutputShape(inputShape: Shape): Shape {
    return globalPoolOutputShape(inputShape, this.name);
  }

  protected layerConfig(): Record<string, unknown> {
    return {};
  }

  static fromConfig(config: Record<string, unknown>): GlobalAveragePooling1D {
    return new GlobalAveragePooling1D(globalPoolFromConfig('GlobalAveragePooling1D', config));
  }
}

export function globalAveragePooling1d(args: GlobalPooling1DArgs = {}): GlobalAveragePooling1D {
  return new GlobalAveragePooling1D(args);
}
