/**
 * What the 2-D pooling and image shape layers share (helper values, not base
 * classes): the pooling options (poolSize default [2, 2], strides default
 * poolSize, padding valid | same; written [h, w] as TF.js and Keras do), the
 * margins option of ZeroPadding2D / Cropping2D (n | [a, b] | [[t, b], [l, r]]),
 * and the rank-4 input checks whose errors name the layer.
 */
import { channelsLast, custom, invalid, oneOf, withSpec, type ArgsOf, type OptionSpec, type Where } from '../config/options.js';
import type { Shape } from '../config/types.js';
import { poolOutputAxis } from '../ops/pool2d.js';
import type { PoolPadding } from '../ops/conv.js';
import { fmt } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { intPair, type IntPair } from './conv2d-options.js';
import type { LayerArgs } from './layer.js';

const PAIR = intPair();

/** The 2-D pooling options, in TF.js config order. */
export const POOLING2D_OPTIONS = {
  /** Window, n or [h, w] (default [2, 2]). */
  poolSize: intPair({ default: 2 }),
  /** Default 'valid'. */
  padding: oneOf(['valid', 'same'] as const, 'valid'),
  /** Step, n or [h, w] (default poolSize). */
  strides: custom<IntPair, number | IntPair>({
    check: (v, w, p) => PAIR.parse(v, w, p),
    default: (o) => o['poolSize'] as IntPair,
    toConfig: (s) => [s[0], s[1]],
  }),
  /** Only 'channels_last'; always written, and a config's other value is rejected as unknown. */
  dataFormat: withSpec(channelsLast(), { read: false }),
};

/** MaxPooling2D / AveragePooling2D args. */
export type Pooling2DArgs = LayerArgs & ArgsOf<typeof POOLING2D_OPTIONS>;

/** The parsed pooling window. */
export interface Pool2d {
  readonly poolSize: IntPair;
  readonly strides: IntPair;
  readonly padding: PoolPadding;
}

/** `[batch, height, width, channels]` or an error naming the layer and the shape it got. */
export function checkImageShape(name: string, cls: string, shape: Shape | readonly number[]): void {
  if (shape.length !== 4) throw new Error(`${name}: ${cls} expects input [batch, height, width, channels], got ${fmtShape(shape)}`);
}

/** checkImageShape on a tensor. */
export function checkImage(name: string, cls: string, x: Tensor): void {
  if (x.rank !== 4) throw new Error(`${name}: ${cls} expects input [batch, height, width, channels], got ${fmt(x.shape)}`);
}

function fmtShape(s: Shape | readonly number[]): string {
  return `[${s.map((d) => (d === null ? 'null' : String(d))).join(',')}]`;
}

/** [batch, outH, outW, channels] of a pooling (null where the input size is unknown); errors name the layer. */
export function pool2dOutputShape(name: string, cls: string, p: Pool2d, inputShape: Shape | readonly number[]): Shape {
  checkImageShape(name, cls, inputShape);
  const size = (d: number | null | undefined, a: 0 | 1): number | null =>
    typeof d === 'number' ? poolOutputAxis(d, p.poolSize[a], p.strides[a], p.padding, name, a === 0 ? 'height' : 'width').out : null;
  return [inputShape[0] ?? null, size(inputShape[1], 0), size(inputShape[2], 1), inputShape[3] ?? null];
}

/** [[top, bottom], [left, right]]. */
export type Margins = readonly [readonly [number, number], readonly [number, number]];

/**
 * Margins of ZeroPadding2D / Cropping2D: n (all four sides), [a, b]
 * (a rows top and bottom, b columns left and right) or [[t, b], [l, r]];
 * non-negative integers; written [[t, b], [l, r]].
 */
export function margins(d: number): OptionSpec<Margins, number | readonly [number, number] | Margins> {
  const ok = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;
  const okPair = (p: unknown): p is [number, number] => Array.isArray(p) && p.length === 2 && ok(p[0]) && ok(p[1]);
  return custom<Margins, number | readonly [number, number] | Margins>({
    check: (v: unknown, w: Where) => {
      if (ok(v)) return [[v, v], [v, v]];
      if (okPair(v)) return [[v[0], v[0]], [v[1], v[1]]];
      if (Array.isArray(v) && v.length === 2 && okPair(v[0]) && okPair(v[1])) return [[v[0][0], v[0][1]], [v[1][0], v[1][1]]];
      throw invalid(w, 'a non-negative integer, [rows, columns] or [[top, bottom], [left, right]]', v);
    },
    default: d,
    toConfig: (m) => [[m[0][0], m[0][1]], [m[1][0], m[1][1]]],
  });
}
