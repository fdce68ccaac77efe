/**
 * RandomContrast and RandomBrightness (Keras 3, docs/semantics.md "Image
 * augmentation"): one random amount per image, drawn uniformly, in training
 * only; the identity at inference (no clipping either).
 * - RandomContrast({factor, valueRange}): per image and channel, with m the
 *   mean over height and width, y = clip((x − m)·f + m, low, high),
 *   f ~ U[1 − lower, 1 + upper]. Keras's factor rule makes a single number f
 *   mean [lower, upper] = [0, f], so f ~ U[1, 1 + f]: contrast only grows
 *   (a pair [a, b] gives U[1 − a, 1 + b]). The output is clipped to
 *   valueRange (default [0, 255]) whatever the input's range.
 * - RandomBrightness({factor, valueRange}): y = clip(x + δ, low, high),
 *   δ ~ U[lower, upper]·(high − low); f means [−f, f].
 * Gradients flow through (clip passes them inside its bounds).
 */
import type { Rng } from '../random.js';
import { add, clip, mul, sub } from '../ops/arithmetic.js';
import { mean } from '../ops/reduce.js';
import { tensor } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';
import { seed, type ArgsOf, type ValuesOf } from '../config/options.js';
import type { LayerArgs } from './layer.js';
import { baseFactor, ImageAugmentation, uniforms, valueRange, type Factor } from './image-augmentation.js';

/** One value per image as a [b, 1, 1, 1] tensor. */
const perImage = (v: Float64Array): Tensor => tensor(Array.from(v), [v.length, 1, 1, 1]);

// ------------------------------------------------------------------ RandomContrast

export const RANDOM_CONTRAST_OPTIONS = {
  /** f in [0, 1] means contrast factors U[1, 1 + f] (Keras 3); [a, b] means U[1 − a, 1 + b]. */
  factor: baseFactor(0, 1),
  /** [low, high] the output is clipped to (default [0, 255]). */
  valueRange: valueRange(),
  seed: seed(),
};
export type RandomContrastArgs = LayerArgs & ArgsOf<typeof RANDOM_CONTRAST_OPTIONS>;

/** @example layers.randomContrast({ factor: 0.2, valueRange: [0, 1] }) */
export class RandomContrast extends ImageAugmentation {
  static override readonly className = 'RandomContrast';
  static override readonly options = RANDOM_CONTRAST_OPTIONS;
  declare readonly options: ValuesOf<typeof RANDOM_CONTRAST_OPTIONS>;

  constructor(args: RandomContrastArgs | number) {
    super(args, 'random_contrast');
  }

  get factor(): Factor {
    return this.options.factor;
  }
  get valueRange(): readonly [number, number] {
    return this.options.valueRange;
  }

  protected augment(x: Tensor, rng: Rng): Tensor {
    const f = perImage(uniforms(rng, x.shape[0]!, 1 - this.factor.lower, 1 + this.factor.upper));
    const m = mean(x, [1, 2], true);
    const [lo, hi] = this.valueRange;
    return clip(add(mul(sub(x, m), f), m), lo, hi);
  }
}

export function randomContrast(args: RandomContrastArgs | number): RandomContrast {
  return new RandomContrast(args);
}

// ------------------------------------------------------------------ RandomBrightness

export const RANDOM_BRIGHTNESS_OPTIONS = {
  /** Shift as a fraction of the value range: f in [−1, 1] means [−f, f]; or [lower, upper]. */
  factor: baseFactor(-1, 1),
  /** [low, high] of the inputs: the shift is scaled by high − low and the output clipped to it (default [0, 255]). */
  valueRange: valueRange(),
  seed: seed(),
};
export type RandomBrightnessArgs = LayerArgs & ArgsOf<typeof RANDOM_BRIGHTNESS_OPTIONS>;

/** @example layers.randomBrightness({ factor: 0.1, valueRange: [0, 1] }) */
export class RandomBrightness extends ImageAugmentation {
  static override readonly className = 'RandomBrightness';
  static override readonly options = RANDOM_BRIGHTNESS_OPTIONS;
  declare readonly options: ValuesOf<typeof RANDOM_BRIGHTNESS_OPTIONS>;

  constructor(args: RandomBrightnessArgs | number) {
    super(args, 'random_brightness');
  }

  get factor(): Factor {
    return this.options.factor;
  }
  get valueRange(): readonly [number, number] {
    return this.options.valueRange;
  }

  protected augment(x: Tensor, rng: Rng): Tensor {
    const [lo, hi] = this.valueRange;
    const d = uniforms(rng, x.shape[0]!, this.factor.lower, this.factor.upper).map((u) => u * (hi - lo));
    return clip(add(x, perImage(d)), lo, hi);
  }
}

export function randomBrightness(args: RandomBrightnessArgs | number): RandomBrightness {
  return new RandomBrightness(args);
}
