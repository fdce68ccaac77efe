/**
 * The CNN of `regula demo --model cnn` and its regularization regimes, as
 * data: the same convolutional network under each regime (none, dropout,
 * spatial dropout, augmentation, all), so the table isolates what each does
 * to the generalization gap on small image sets.
 *
 * Layout: [Rescaling] → [RandomTranslation → RandomRotation] → Conv2D 3×3
 * relu → [SpatialDropout2D] → MaxPooling2D 2 → Conv2D 3×3 relu →
 * [SpatialDropout2D] → MaxPooling2D 2 → Flatten → [Dropout] → [Dense relu →
 * [Dropout]] → Dense softmax. On 28×28×1 with 32/64 filters, valid padding
 * and no hidden Dense layer this is the classic small convnet (bench W5).
 */
import { Sequential, layers, type Layer } from '../index.js';

/** Shape of the network (regularization aside). */
export interface CnnArchitecture {
  /** Filters of the two Conv2D layers. */
  readonly filters: readonly [number, number];
  /** Conv2D padding: 'same' keeps small images (8×8) from shrinking away. */
  readonly padding: 'valid' | 'same';
  /** Pool after the first Conv2D as well as after the second. */
  readonly poolTwice: boolean;
  /** Units of a hidden Dense layer after Flatten (0: none). */
  readonly dense: number;
  /** A Rescaling layer's scale in front (0: none), e.g. 1/16 for the digits' 0–16 pixels. */
  readonly rescale: number;
}

/** The image augmentation of a regime (0 = off). */
export interface Augmentation {
  /** RandomTranslation height and width factor (fraction of the size). */
  readonly translation: number;
  /** RandomRotation factor (fraction of 2π). */
  readonly rotation: number;
}

/** Regularization settings of a CNN built by `buildCnn` (0 = off). */
export interface CnnRegularization {
  /** Dropout rate after Flatten (and after the hidden Dense layer). */
  readonly dropout: number;
  /** SpatialDropout2D rate after each Conv2D (whole feature maps dropped). */
  readonly spatialDropout: number;
  readonly augmentation: Augmentation;
}

/** One regime of the CNN study. */
export interface CnnRegime {
  readonly name: string;
  readonly description: string;
  readonly regularization: CnnRegularization;
}

/** The strengths of the CNN regimes (chosen by measuring on the embedded digits). */
export interface CnnStrengths {
  readonly dropout: number;
  readonly spatialDropout: number;
  readonly augmentation: Augmentation;
  /** The "all" regime: stacked at full strength the techniques underfit, so some are milder. */
  readonly combined: CnnRegularization;
}

const NO_AUGMENTATION: Augmentation = { translation: 0, rotation: 0 };

/** The CNN of the 8×8 digits: 'same' convolutions, one pool, a hidden Dense layer, pixels 0–16 rescaled to [0, 1]. */
export const DIGITS_CNN: CnnArchitecture = { filters: [32, 64], padding: 'same', poolTwice: false, dense: 128, rescale: 1 / 16 };

/** The classic small convnet of bench W5 (28×28×1, pixels already in [0, 1]). */
export const W5_CNN: CnnArchitecture = { filters: [32, 64], padding: 'valid', poolTwice: true, dense: 0, rescale: 0 };

/** Digits defaults: translation ±1 pixel of 8, rotation ±0.03·2π ≈ ±11°. */
export const DIGITS_CNN_STRENGTHS: CnnStrengths = {
  dropout: 0.5,
  spatialDropout: 0.2,
  augmentation: { translation: 0.125, rotation: 0.03 },
  combined: { dropout: 0.5, spatialDropout: 0.1, augmentation: { translation: 0.125, rotation: 0.03 } },
};

/** Fashion-MNIST defaults: the W5 network's dropout 0.5; translation ±2 pixels of 28, rotation ±0.03·2π. */
export const FASHION_CNN_STRENGTHS: CnnStrengths = {
  dropout: 0.5,
  spatialDropout: 0.2,
  augmentation: { translation: 0.07, rotation: 0.03 },
  combined: { dropout: 0.5, spatialDropout: 0.1, augmentation: { translation: 0.07, rotation: 0.03 } },
};

/** Describes a CNN regularization compactly, e.g. `dropout=0.5 translate=0.1` (`none` when all off). */
export function describeCnnRegularization(r: CnnRegularization): string {
  const parts: string[] = [];
  if (r.dropout) parts.push(`dropout=${r.dropout}`);
  if (r.spatialDropout) parts.push(`spatialDropout2d=${r.spatialDropout}`);
  if (r.augmentation.translation) parts.push(`randomTranslation=${r.augmentation.translation}`);
  if (r.augmentation.rotation) parts.push(`randomRotation=${r.augmentation.rotation}`);
  return parts.length ? parts.join(' ') : 'none';
}

/** The five regimes: none, dropout, spatial dropout, augmentation, all. */
export function cnnRegimes(s: CnnStrengths): CnnRegime[] {
  const none: CnnRegularization = { dropout: 0, spatialDropout: 0, augmentation: NO_AUGMENTATION };
  const a = s.augmentation;
  return [
    { name: 'none', description: 'no regularization', regularization: none },
    { name: 'dropout', description: `dropout ${s.dropout} after Flatten (and the hidden Dense layer)`, regularization: { ...none, dropout: s.dropout } },
    { name: 'spatial-dropout', description: `SpatialDropout2D ${s.spatialDropout} after each Conv2D`, regularization: { ...none, spatialDropout: s.spatialDropout } },
    {
      name: 'augmentation',
      description: `RandomTranslation ±${a.translation} of the size and RandomRotation ±${a.rotation}·2π (constant fill), training only`,
      regularization: { ...none, augmentation: a },
    },
    { name: 'all', description: describeCnnRegularization(s.combined), regularization: s.combined },
  ];
}

/** Describes the network, e.g. `[8,8,1] → conv 32 → conv 64 → pool → 128 → 10`. */
export function describeCnn(arch: CnnArchitecture, imageShape: readonly number[], classes: number): string {
  const [f1, f2] = arch.filters;
  const parts = [`[${imageShape.join(',')}]`];
  if (arch.rescale) parts.push(`rescale ${Number(arch.rescale.toPrecision(4))}`);
  parts.push(`conv2d ${f1} 3×3 ${arch.padding} relu`);
  if (arch.poolTwice) parts.push('maxPool 2');
  parts.push(`conv2d ${f2} 3×3 ${arch.padding} relu`, 'maxPool 2', 'flatten');
  if (arch.dense) parts.push(`dense ${arch.dense} relu`);
  parts.push(`dense ${classes} softmax`);
  return parts.join(' → ');
}

/**
 * The CNN of `arch` for images of `imageShape` and `classes` classes under
 * regularization `r`, weights initialized from `seed`. Stochastic layers
 * draw from the fit's seeded stream, so runs are reproducible.
 *
 * @example
 * const model = buildCnn(DIGITS_CNN, [8, 8, 1], 10, cnnRegimes(DIGITS_CNN_STRENGTHS)[3]!.regularization, 42);
 */
export function buildCnn(arch: CnnArchitecture, imageShape: readonly number[], classes: number, r: CnnRegularization, seed: number): Sequential {
  const inputShape = imageShape.slice();
  const stack: Layer[] = [];
  const first = (): { inputShape?: number[] } => (stack.length === 0 ? { inputShape } : {});
  if (arch.rescale) stack.push(layers.rescaling({ scale: arch.rescale, ...first(), name: 'rescale' }));
  const a = r.augmentation;
  if (a.translation > 0) {
    stack.push(layers.randomTranslation({ heightFactor: a.translation, widthFactor: a.translation, fillMode: 'constant', ...first(), name: 'random_translation' }));
  }
  if (a.rotation > 0) stack.push(layers.randomRotation({ factor: a.rotation, fillMode: 'constant', ...first(), name: 'random_rotation' }));
  arch.filters.forEach((filters, i) => {
    stack.push(layers.conv2d({ filters, kernelSize: 3, padding: arch.padding, activation: 'relu', ...first(), name: `conv_${i + 1}` }));
    if (r.spatialDropout > 0) stack.push(layers.spatialDropout2d({ rate: r.spatialDropout, name: `spatial_dropout_${i + 1}` }));
    if (i === 1 || arch.poolTwice) stack.push(layers.maxPooling2d({ poolSize: 2, name: `pool_${i + 1}` }));
  });
  stack.push(layers.flatten({ name: 'flatten' }));
  if (r.dropout > 0) stack.push(layers.dropout({ rate: r.dropout, name: 'dropout_1' }));
  if (arch.dense > 0) {
    stack.push(layers.dense({ units: arch.dense, activation: 'relu', name: 'hidden_1' }));
    if (r.dropout > 0) stack.push(layers.dropout({ rate: r.dropout, name: 'dropout_2' }));
  }
  stack.push(layers.dense({ units: classes, activation: 'softmax', name: 'output' }));
  return new Sequential(stack, { seed });
}
