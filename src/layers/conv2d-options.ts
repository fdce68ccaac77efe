/**
 * Options shared by the Conv2D family (Conv2D, DepthwiseConv2D,
 * SeparableConv2D, Conv2DTranspose): `intPair` (n or [h, w], written [h, w]
 * as TF.js and Keras do), the window options in TF.js config order, and the
 * Keras checks (strides > 1 with dilation > 1; channels-last rank-4 input).
 */
import { bool, channelsLast, custom, invalid, oneOf, req, withSpec, type OptionSpec, type Where } from '../config/options.js';
import { activation, KERNEL_BIAS } from './options.js';
import type { Shape } from '../config/types.js';
import { conv2dAxis, type Conv2dPadding } from '../ops/conv2d.js';
import { fmt } from '../tensor/shape.js';

/** [height, width]. */
export type IntPair = readonly [number, number];

/** An integer ≥ `min` or a pair of them (default `d`); parsed to [h, w], written [h, w]. */
export function intPair(o: { min?: number; default?: number } = {}): OptionSpec<IntPair, number | IntPair> {
  const min = o.min ?? 1;
  const rule = `${min === 1 ? 'a positive integer' : `an integer >= ${min}`} or a pair of them`;
  const ok = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= min;
  return custom<IntPair, number | IntPair>({
    check: (v: unknown, w: Where) => {
      if (ok(v)) return [v, v];
      if (Array.isArray(v) && v.length === 2 && ok(v[0]) && ok(v[1])) return [v[0], v[1]];
      if (Array.isArray(v) && v.length === 1 && ok(v[0])) return [v[0], v[0]];
      throw invalid(w, rule, v);
    },
    ...(o.default !== undefined ? { default: o.default } : {}),
    toConfig: (p) => [p[0], p[1]],
  });
}

/** kernelSize … dilationRate of a 2-D conv, in TF.js config order. */
export const WINDOW_2D = {
  /** Window size, n or [kh, kw]. */
  kernelSize: req(intPair()),
  /** Default 1 (n or [sh, sw]). */
  strides: intPair({ default: 1 }),
  /** Default 'valid' (TF's 'same': extra padding at the bottom/right). */
  padding: oneOf(['valid', 'same'] as const, 'valid'),
  /** Only 'channels_last'; always written, and a config's other value is rejected as unknown. */
  dataFormat: withSpec(channelsLast(), { read: false }),
  /** Default 1 (n or [dh, dw]); cannot exceed 1 together with strides > 1 (Keras). */
  dilationRate: intPair({ default: 1 }),
};

/** The window options a conv layer reads back (parsed). */
export interface Window2d {
  readonly kernelSize: IntPair;
  readonly strides: IntPair;
  readonly padding: Conv2dPadding;
  readonly dilationRate: IntPair;
}

/** Keras's construction check: strides > 1 and dilation > 1 together are an error. */
export function checkWindow(layer: string, o: Window2d): void {
  if (Math.max(o.strides[0], o.strides[1]) > 1 && Math.max(o.dilationRate[0], o.dilationRate[1]) > 1) {
    throw new Error(`${layer}: strides ${fmt(o.strides)} > 1 cannot be combined with dilationRate ${fmt(o.dilationRate)} > 1`);
  }
}

/** The channels of a [batch, h, w, channels] input shape, or an error naming the layer. */
export function channelsOf(name: string, cls: string, inputShape: Shape): number {
  const c = inputShape[3];
  if (inputShape.length !== 4 || typeof c !== 'number') {
    throw new Error(`${name}: ${cls} needs input [batch, height, width, channels] with known channels, got [${inputShape.join(',')}]`);
  }
  return c;
}

/** [batch, outH, outW, channels] of a forward 2-D window op (null where the input size is unknown). */
export function window2dOutputShape(name: string, o: Window2d, inputShape: Shape, channels: number | null): Shape {
  const size = (d: number | null | undefined, a: 0 | 1): number | null =>
    typeof d === 'number' ? conv2dAxis(d, o.kernelSize[a], o.strides[a], o.dilationRate[a], o.padding, name, a === 0 ? 'height' : 'width').out : null;
  return [inputShape[0] ?? null, size(inputShape[1], 0), size(inputShape[2], 1), channels];
}

/** The options every 2-D convolution ends with, in TF.js's config order: activation, bias and the activity regularizer. */
export const ACTIVATION_BIAS_2D = {
  activation: activation('linear'),
  useBias: bool(true),
  biasInitializer: KERNEL_BIAS.biasInitializer,
  biasRegularizer: KERNEL_BIAS.biasRegularizer,
  activityRegularizer: KERNEL_BIAS.activityRegularizer,
  biasConstraint: KERNEL_BIAS.biasConstraint,
};
