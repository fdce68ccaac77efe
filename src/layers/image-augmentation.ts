/**
 * What the image augmentation layers share (Keras 3 preprocessing layers,
 * docs/semantics.md "Image augmentation"): the base class (rank 3 or 4
 * channels-last float images; the identity at inference unless a layer says
 * otherwise; in training one draw per call from the layer's own seeded stream
 * or fit's step stream), Keras's factor rules and their error messages, the
 * fill mode / interpolation / value range options, and host-side uniform draws.
 */
import type { Rng } from '../random.js';
import { fillUniform } from '../random.js';
import { reshape } from '../ops/shape-ops.js';
import { FILL_MODES, INTERPOLATIONS, type FillMode, type ResampleInterpolation } from '../ops/image.js';
import { fmt } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { custom, invalid, oneOf, type OptionSpec, type Where } from '../config/options.js';
import { Layer, type CallContext, type Shape } from './layer.js';

/** A factor as given (number or pair) and the [lower, upper] it means. */
export interface Factor {
  readonly lower: number;
  readonly upper: number;
  /** The value as given (written back to configs by the layers that keep it, as Keras does). */
  readonly given: number | readonly [number, number];
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const fmtRange = (lo: number, hi: number): string => `[${lo}, ${hi}]`;

function factorError(w: Where, key: string, lo: number, hi: number, v: unknown): Error {
  return new Error(`${w.layer}: The \`${key}\` argument should be a number (or a list of two numbers) in the range ${fmtRange(lo, hi)}. Received: ${key}=${JSON.stringify(v)}`);
}

/**
 * Keras's base `_set_factor` (RandomRotation, RandomContrast,
 * RandomBrightness): a number f in [lo, hi] means [max(−|f|, lo), |f|]; a pair
 * [a, b] is sorted and refused only when a > hi or b < lo (Keras's two checks).
 * Written to configs as [lower, upper], as Keras writes `self.factor`.
 */
export function baseFactor(lo: number, hi: number): OptionSpec<Factor, number | readonly [number, number]> & { readonly required: true; readonly positional: true } {
  const check = (v: unknown, w: Where): Factor => {
    const key = 'factor';
    if (Array.isArray(v)) {
      if (v.length !== 2 || !v.every(isNum)) throw factorError(w, key, lo, hi, v);
      const [a, b] = v as [number, number];
      if (a > hi || b < lo) throw factorError(w, key, lo, hi, v);
      return { lower: Math.min(a, b), upper: Math.max(a, b), given: [a, b] };
    }
    if (!isNum(v) || v < lo || v > hi) throw factorError(w, key, lo, hi, v);
    const f = Math.abs(v);
    return { lower: Math.max(-f, lo), upper: f, given: v };
  };
  return { ...custom<Factor, number | readonly [number, number]>({ check, toConfig: (f) => [f.lower, f.upper] }), required: true, positional: true };
}

/**
 * Keras's RandomTranslation / RandomZoom `_set_factor`: every number in
 * [−1, 1]; a number f means [−|f|, |f|], a pair is sorted. Written back as given.
 */
export function shiftFactor(key: string, o: { required: boolean }): OptionSpec<Factor | undefined, number | readonly [number, number]> {
  const check = (v: unknown, w: Where): Factor => {
    const numbers = Array.isArray(v) ? v : [v];
    if ((Array.isArray(v) && v.length !== 2) || !numbers.every(isNum) || numbers.some((n) => (n as number) < -1 || (n as number) > 1)) {
      throw new Error(`${w.layer}: The \`${key}\` argument should be a number (or a list of two numbers) in the range [-1.0, 1.0]. Received: ${key}=${JSON.stringify(v)}`);
    }
    if (Array.isArray(v)) return { lower: Math.min(v[0] as number, v[1] as number), upper: Math.max(v[0] as number, v[1] as number), given: [v[0] as number, v[1] as number] };
    const f = Math.abs(v as number);
    return { lower: -f, upper: f, given: v as number };
  };
  const spec = custom<Factor | undefined, number | readonly [number, number]>({ check, toConfig: (f) => (f === undefined ? null : Array.isArray(f.given) ? [...f.given] : f.given) });
  return o.required ? { ...spec, required: true } : spec;
}

/** Keras `fill_mode` (default 'reflect', the layers' default). */
export const fillModeOption = (): OptionSpec<FillMode, FillMode> => oneOf(FILL_MODES as readonly FillMode[], 'reflect');
/** Keras `interpolation` (default 'bilinear'). */
export const interpolationOption = (): OptionSpec<ResampleInterpolation, ResampleInterpolation> => oneOf(INTERPOLATIONS as readonly ResampleInterpolation[], 'bilinear');
/** Keras `fill_value` (default 0). */
export const fillValueOption = (): OptionSpec<number, number> =>
  custom<number>({
    check: (v, w) => {
      if (!isNum(v)) throw invalid(w, 'a finite number', v);
      return v;
    },
    default: 0,
  });

/** Keras `value_range`: two finite numbers, sorted (default [0, 255]); written as [low, high]. */
export function valueRange(): OptionSpec<readonly [number, number], readonly [number, number]> {
  return custom<readonly [number, number], readonly [number, number]>({
    check: (v, w) => {
      if (!Array.isArray(v) || v.length !== 2 || !v.every(isNum)) {
        throw new Error(`${w.layer}: The \`value_range\` argument should be a list of two numbers. Received: value_range=${JSON.stringify(v)}`);
      }
      return [Math.min(v[0] as number, v[1] as number), Math.max(v[0] as number, v[1] as number)];
    },
    default: [0, 255],
    toConfig: (r) => [r[0], r[1]],
  });
}

/** n uniforms in [lo, hi) from `rng` (one reserved stream, as the backends draw). */
export function uniforms(rng: Rng, n: number, lo: number, hi: number): Float64Array {
  const out = new Float64Array(n);
  fillUniform(rng.uniformStream(n), out, lo, hi);
  return out;
}

/** Checks a channels-last image shape: rank 3 (one image) or 4 (a batch). */
export function checkImageShape(layer: string, shape: readonly (number | null)[]): void {
  if (shape.length !== 3 && shape.length !== 4) {
    throw new Error(`${layer}: Expected image tensor to have rank 3 (single image) or 4 (batch of images). Received: data.shape=${fmtShape(shape)}`);
  }
}

const fmtShape = (s: readonly (number | null)[]): string => `[${s.map((d) => (d === null ? 'null' : String(d))).join(',')}]`;

/**
 * Base of the augmentation layers: validates the input, runs `inference` (the
 * identity by default) outside training, and in training hands `augment` a
 * batch [b, h, w, c] (a single image as a batch of one) and the call's Rng.
 */
export abstract class ImageAugmentation extends Layer {
  /** The augmentation of a batch [b, h, w, c] in training. */
  protected abstract augment(x: Tensor, rng: Rng): Tensor;

  /** Output at inference for a batch [b, h, w, c] (default: the input itself). */
  protected inference(x: Tensor): Tensor {
    return x;
  }

  call(x: Tensor, ctx: CallContext): Tensor {
    checkImageShape(this.name, x.shape);
    if (x.dtype !== 'float32') throw new Error(`${this.name}: expects float32 images, got ${x.dtype} ${fmt(x.shape)}`);
    const single = x.rank === 3;
    const batch = single ? reshape(x, [1, ...x.shape]) : x;
    const y = ctx.training ? this.augment(batch, this.noise!.next(ctx)) : this.inference(batch);
    if (y === batch) return x;
    return single ? reshape(y, y.shape.slice(1)) : y;
  }

  computeOutputShape(inputShape: Shape): Shape {
    checkImageShape(this.name, inputShape);
    return inputShape;
  }
}
