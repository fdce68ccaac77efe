/**
 * RandomFlip (Keras 3, docs/semantics.md "Image augmentation"): in training
 * each image is flipped with probability ½ (a uniform u ≤ 0.5, one per
 * image). 'horizontal' reverses the width axis, 'vertical' the height axis;
 * 'horizontal_and_vertical' (the default) uses the same draw for both axes, as
 * Keras 3 does, so an image is either unchanged or turned by 180°. The flip
 * is an exact pixel permutation (nearest resampling at integer coordinates),
 * and its gradient routes each output gradient back to its source pixel.
 * Identity at inference.
 */
import type { Rng } from '../random.js';
import { affineTransform } from '../ops/image.js';
import type { Tensor } from '../tensor/tensor.js';
import { channelsLast, oneOf, seed, type ArgsOf, type ValuesOf } from '../config/options.js';
import type { LayerArgs } from './layer.js';
import { ImageAugmentation, uniforms } from './image-augmentation.js';

export const FLIP_MODES = ['horizontal', 'vertical', 'horizontal_and_vertical'] as const;
export type FlipMode = (typeof FLIP_MODES)[number];

/** RandomFlip's options, in config key order. */
export const RANDOM_FLIP_OPTIONS = {
  /** Which axes to flip (default 'horizontal_and_vertical'). */
  mode: { ...oneOf(FLIP_MODES, 'horizontal_and_vertical'), positional: true },
  /** Own seeded, advancing stream; default: fit's step stream. */
  seed: seed(),
  dataFormat: channelsLast(),
};

export type RandomFlipArgs = LayerArgs & ArgsOf<typeof RANDOM_FLIP_OPTIONS>;

/** @example layers.randomFlip({ mode: 'horizontal', seed: 1 }) */
export class RandomFlip extends ImageAugmentation {
  static override readonly className = 'RandomFlip';
  static override readonly options = RANDOM_FLIP_OPTIONS;
  declare readonly options: ValuesOf<typeof RANDOM_FLIP_OPTIONS>;

  constructor(args: RandomFlipArgs | FlipMode = {}) {
    super(args, 'random_flip');
  }

  get mode(): FlipMode {
    return this.options.mode;
  }
  get seed(): number | undefined {
    return this.options.seed;
  }

  protected augment(x: Tensor, rng: Rng): Tensor {
    const [b, h, w] = x.shape as [number, number, number, number];
    const u = uniforms(rng, b, 0, 1);
    const horizontal = this.mode !== 'vertical';
    const vertical = this.mode !== 'horizontal';
    const t = new Float64Array(b * 8);
    for (let i = 0; i < b; i++) {
      const flip = u[i]! <= 0.5;
      const fx = flip && horizontal;
      const fy = flip && vertical;
      t.set([fx ? -1 : 1, 0, fx ? w - 1 : 0, 0, fy ? -1 : 1, fy ? h - 1 : 0, 0, 0], i * 8);
    }
    return affineTransform(x, t, { interpolation: 'nearest', fillMode: 'nearest' });
  }
}

/** Factory: `layers.randomFlip('horizontal')` or `layers.randomFlip({ mode: 'vertical', seed: 1 })`. */
export function randomFlip(args: RandomFlipArgs | FlipMode = {}): RandomFlip {
  return new RandomFlip(args);
}
