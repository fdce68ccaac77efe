/**
 * Options shared by MaxPooling1D and AveragePooling1D (a helper value, not a
 * base class): poolSize (default 2), strides (default poolSize), padding
 * valid | same; their TF.js config form ([n] arrays) and parsing.
 */
import { convOutput, type PoolPadding } from '../ops/conv.js';
import { checkKeys, ConfigReader, oneOf, positiveInt1 } from './args.js';
import type { LayerArgs, Shape } from './layer.js';

export interface Pooling1DArgs extends Omit<LayerArgs, 'activityRegularizer'> {
  /** Window length, n or [n] (default 2). */
  poolSize?: number | readonly [number];
  /** Step, n or [n] (default poolSize). */
  strides?: number | readonly [number] | null;
  /** Default 'valid'. */
  padding?: PoolPadding;
  /** Only 'channels_last'. */
  dataFormat?: 'channels_last' | 'channelsLast';
  batchSize?: number;
  dtype?: string;
}

export interface Pool1d {
  poolSize: number;
  strides: number;
  padding: PoolPadding;
}

/** Validates options (unknown keys, positive sizes, padding). */
export function parsePool1d(layer: string, a: Pooling1DArgs): Pool1d {
  if (typeof a !== 'object' || a === null) throw new Error(`${layer}: expected an options object like { poolSize: 2 }, got ${JSON.stringify(a)}`);
  checkKeys(layer, a, ['poolSize', 'strides', 'padding', 'dataFormat']);
  const poolSize = positiveInt1(layer, 'poolSize', a.poolSize ?? 2);
  const strides = positiveInt1(layer, 'strides', a.strides ?? poolSize);
  const padding = oneOf(layer, 'padding', a.padding ?? 'valid', ['valid', 'same'] as const);
  if (a.dataFormat !== undefined) oneOf(layer, 'dataFormat', a.dataFormat, ['channels_last', 'channelsLast']);
  return { poolSize, strides, padding };
}

export function pool1dOutputShape(p: Pool1d, inputShape: Shape, name: string): Shape {
  if (inputShape.length !== 3) throw new Error(`${name}: expects input [batch, steps, channels], got [${inputShape.join(',')}]`);
  const steps = inputShape[1];
  const outLen = typeof steps === 'number' ? convOutput(steps, p.poolSize, p.strides, 1, p.padding, name).outLen : null;
  return [inputShape[0] ?? null, outLen, inputShape[2] ?? null];
}

/** TF.js Pooling1D config: pool_size [n], padding, strides [n]. */
export function pool1dConfig(p: Pool1d): Record<string, unknown> {
  return { pool_size: [p.poolSize], padding: p.padding, strides: [p.strides] };
}

export function pool1dFromConfig(className: string, config: Record<string, unknown>): Pooling1DArgs {
  const r = new ConfigReader(className, config);
  const args: Pooling1DArgs = { ...r.base() };
  const pool = r.get('pool_size');
  if (pool !== undefined) args.poolSize = pool as number;
  const strides = r.get('strides');
  if (strides !== undefined) args.strides = strides as number;
  const padding = r.get('padding');
  if (padding !== undefined) args.padding = padding as PoolPadding;
  r.done();
  return args;
}
