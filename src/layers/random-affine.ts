/**
 * RandomTranslation, RandomRotation and RandomZoom (Keras 3,
 * docs/semantics.md "Image augmentation"): in training each image gets its
 * own transform, drawn uniformly from the factor range, and is resampled
 * through it (`affineTransform`: fill mode, interpolation, fill value as
 * Keras). Identity at inference. The transforms are Keras's:
 * - translation by (dx, dy) = (u_w·width, u_h·height) pixels:
 *   [1, 0, −dx, 0, 1, −dy, 0, 0] (positive shifts move the image right/down);
 * - rotation by θ = u·2π about the image centre ((w−1)/2, (h−1)/2):
 *   [cos θ, −sin θ, x₀, sin θ, cos θ, y₀, 0, 0],
 *   x₀ = ((w−1) − (cos θ·(w−1) − sin θ·(h−1)))/2, y₀ = ((h−1) − (sin θ·(w−1) + cos θ·(h−1)))/2;
 * - zoom by (zx, zy) = (1 + u_w, 1 + u_h) about the centre:
 *   [zx, 0, (w−1)/2·(1−zx), 0, zy, (h−1)/2·(1−zy), 0, 0] (factors > 0 zoom out);
 *   without widthFactor, zx = zy.
 * Draw order per call: heights then widths (translation, zoom), as Keras.
 */
import type { Rng } from '../random.js';
import { affineTransform } from '../ops/image.js';
import type { Tensor } from '../tensor/tensor.js';
import { channelsLast, seed, type ArgsOf, type ValuesOf } from '../config/options.js';
import type { LayerArgs } from './layer.js';
import { baseFactor, fillModeOption, fillValueOption, ImageAugmentation, interpolationOption, shiftFactor, uniforms, type Factor } from './image-augmentation.js';

/** Resamples x through per-image transforms with the layer's fill options. */
function resample(layer: { options: { fillMode: string; interpolation: string; fillValue: number } }, x: Tensor, t: Float64Array): Tensor {
  const o = layer.options as { fillMode: 'reflect'; interpolation: 'bilinear'; fillValue: number };
  return affineTransform(x, t, { fillMode: o.fillMode, interpolation: o.interpolation, fillValue: o.fillValue });
}

// ------------------------------------------------------------------ RandomTranslation

export const RANDOM_TRANSLATION_OPTIONS = {
  /** Vertical shift as a fraction of the height: f means [−f, f], or [lower, upper]; each in [−1, 1]. */
  heightFactor: shiftFactor('height_factor', { required: true }) as ReturnType<typeof shiftFactor> & { readonly required: true },
  /** Horizontal shift as a fraction of the width. */
  widthFactor: shiftFactor('width_factor', { required: true }) as ReturnType<typeof shiftFactor> & { readonly required: true },
  /** Default 'reflect'. */
  fillMode: fillModeOption(),
  /** Default 'bilinear'. */
  interpolation: interpolationOption(),
  seed: seed(),
  /** Value outside the image with fillMode 'constant' (default 0). */
  fillValue: fillValueOption(),
  dataFormat: channelsLast(),
};
export type RandomTranslationArgs = LayerArgs & ArgsOf<typeof RANDOM_TRANSLATION_OPTIONS>;

/** @example layers.randomTranslation({ heightFactor: 0.1, widthFactor: 0.1, fillMode: 'constant' }) */
export class RandomTranslation extends ImageAugmentation {
  static override readonly className = 'RandomTranslation';
  static override readonly options = RANDOM_TRANSLATION_OPTIONS;
  declare readonly options: ValuesOf<typeof RANDOM_TRANSLATION_OPTIONS>;

  constructor(args: RandomTranslationArgs) {
    super(args, 'random_translation');
  }

  protected augment(x: Tensor, rng: Rng): Tensor {
    const [b, h, w] = x.shape as [number, number, number, number];
    const hf = this.options.heightFactor!;
    const wf = this.options.widthFactor!;
    const dy = uniforms(rng, b, hf.lower, hf.upper);
    const dx = uniforms(rng, b, wf.lower, wf.upper);
    const t = new Float64Array(b * 8);
    for (let i = 0; i < b; i++) t.set([1, 0, -dx[i]! * w, 0, 1, -dy[i]! * h, 0, 0], i * 8);
    return resample(this, x, t);
  }
}

export function randomTranslation(args: RandomTranslationArgs): RandomTranslation {
  return new RandomTranslation(args);
}

// ------------------------------------------------------------------ RandomRotation

export const RANDOM_ROTATION_OPTIONS = {
  /** Rotation as a fraction of 2π (positive: counter-clockwise): f means [−f, f], or [lower, upper]; in [−1, 1]. */
  factor: baseFactor(-1, 1),
  fillMode: fillModeOption(),
  interpolation: interpolationOption(),
  seed: seed(),
  fillValue: fillValueOption(),
  dataFormat: channelsLast(),
};
export type RandomRotationArgs = LayerArgs & ArgsOf<typeof RANDOM_ROTATION_OPTIONS>;

/** Keras's rotation transform for angle θ (radians) on an h × w image. */
export function rotationTransform(theta: number, h: number, w: number): number[] {
  const c = Math.cos(theta);
  const s = Math.sin(theta);
  const x0 = (w - 1 - (c * (w - 1) - s * (h - 1))) / 2;
  const y0 = (h - 1 - (s * (w - 1) + c * (h - 1))) / 2;
  return [c, -s, x0, s, c, y0, 0, 0];
}

/** @example layers.randomRotation({ factor: 0.1, seed: 1 }) // ±36° */
export class RandomRotation extends ImageAugmentation {
  static override readonly className = 'RandomRotation';
  static override readonly options = RANDOM_ROTATION_OPTIONS;
  declare readonly options: ValuesOf<typeof RANDOM_ROTATION_OPTIONS>;

  constructor(args: RandomRotationArgs | number) {
    super(args, 'random_rotation');
  }

  get factor(): Factor {
    return this.options.factor;
  }

  protected augment(x: Tensor, rng: Rng): Tensor {
    const [b, h, w] = x.shape as [number, number, number, number];
    const u = uniforms(rng, b, this.factor.lower, this.factor.upper);
    const t = new Float64Array(b * 8);
    for (let i = 0; i < b; i++) t.set(rotationTransform(u[i]! * 2 * Math.PI, h, w), i * 8);
    return resample(this, x, t);
  }
}

export function randomRotation(args: RandomRotationArgs | number): RandomRotation {
  return new RandomRotation(args);
}

// ------------------------------------------------------------------ RandomZoom

export const RANDOM_ZOOM_OPTIONS = {
  /** Vertical zoom: f means [−f, f], or [lower, upper], each in [−1, 1]; zoom = 1 + u (> 1 zooms out). */
  heightFactor: { ...(shiftFactor('height_factor', { required: true }) as ReturnType<typeof shiftFactor> & { readonly required: true }), positional: true },
  /** Horizontal zoom; absent (null): the height zoom, keeping the aspect ratio. */
  widthFactor: shiftFactor('width_factor', { required: false }),
  fillMode: fillModeOption(),
  interpolation: interpolationOption(),
  seed: seed(),
  fillValue: fillValueOption(),
  dataFormat: channelsLast(),
};
export type RandomZoomArgs = LayerArgs & ArgsOf<typeof RANDOM_ZOOM_OPTIONS>;

/** @example layers.randomZoom({ heightFactor: [-0.2, 0.2], seed: 1 }) */
export class RandomZoom extends ImageAugmentation {
  static override readonly className = 'RandomZoom';
  static override readonly options = RANDOM_ZOOM_OPTIONS;
  declare readonly options: ValuesOf<typeof RANDOM_ZOOM_OPTIONS>;

  constructor(args: RandomZoomArgs | number) {
    super(args, 'random_zoom');
  }

  protected augment(x: Tensor, rng: Rng): Tensor {
    const [b, h, w] = x.shape as [number, number, number, number];
    const hf = this.options.heightFactor!;
    const wf = this.options.widthFactor;
    const zy = uniforms(rng, b, 1 + hf.lower, 1 + hf.upper);
    const zx = wf ? uniforms(rng, b, 1 + wf.lower, 1 + wf.upper) : zy;
    const t = new Float64Array(b * 8);
    for (let i = 0; i < b; i++) {
      const ax = zx[i]!;
      const ay = zy[i]!;
      t.set([ax, 0, ((w - 1) / 2) * (1 - ax), 0, ay, ((h - 1) / 2) * (1 - ay), 0, 0], i * 8);
    }
    return resample(this, x, t);
  }
}

export function randomZoom(args: RandomZoomArgs | number): RandomZoom {
  return new RandomZoom(args);
}
