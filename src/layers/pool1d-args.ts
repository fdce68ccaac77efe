/**
 * Options shared by MaxPooling1D and AveragePooling1D (a helper value, not a
 * base class): poolSize (default 2), strides (default poolSize), padding
 * valid | same; written to configs as TF.js does ([n] arrays).
 */
import { channelsLast, int, oneOf, withSpec, type ArgsOf } from '../config/options.js';
import type { Shape } from '../config/types.js';
import { convOutput, type PoolPadding } from '../ops/conv.js';
import type { LayerArgs } from './layer.js';

/** The 1-D pooling options, in config key order. */
export const POOLING1D_OPTIONS = {
  /** Window length, n or [n] (default 2). */
  poolSize: int({ array: 'write', default: 2 }),
  /** Default 'valid'. */
  padding: oneOf(['valid', 'same'] as const, 'valid'),
  /** Step, n or [n] (default poolSize). */
  strides: int({ array: 'write', default: (o) => o['poolSize'] as number }),
  /** Only 'channels_last'. */
  dataFormat: withSpec(channelsLast(), { key: false }),
};

export type Pooling1DArgs = LayerArgs & ArgsOf<typeof POOLING1D_OPTIONS>;

export interface Pool1d {
  poolSize: number;
  strides: number;
  padding: PoolPadding;
}

export function pool1dOutputShape(p: Pool1d, inputShape: Shape, name: string): Shape {
  if (inputShape.length !== 3) throw new Error(`${name}: expects input [batch, steps, channels], got [${inputShape.join(',')}]`);
  const steps = inputShape[1];
  const outLen = typeof steps === 'number' ? convOutput(steps, p.poolSize, p.strides, 1, p.padding, name).outLen : null;
  return [inputShape[0] ?? null, outLen, inputShape[2] ?? null];
}
