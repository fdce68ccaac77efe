/**
 * RandomCrop (Keras 3, docs/semantics.md "Image augmentation"): output
 * [b, height, width, c].
 * - Training, input at least height × width: one random window for the whole
 *   batch (Keras crops every image of a batch at the same place), top-left
 *   corner (⌊u·(H − height + 1)⌋, ⌊u'·(W − width + 1)⌋).
 * - Inference, and training on an input smaller than the target: Keras's
 *   documented fallback (Keras 3.0–3.5's code): the largest centred window
 *   with the target aspect ratio, ch = min(H, ⌊W·height/width⌋),
 *   cw = min(W, ⌊H·width/height⌋) (each ≥ 1), at (⌊(H − ch)/2⌋, ⌊(W − cw)/2⌋),
 *   resized to height × width with bilinear interpolation and half-pixel
 *   centres (tf.image.resize, no antialiasing). Keras ≥ 3.6 returns the input
 *   unchanged at inference (keras-team/keras#21868), which breaks every
 *   model whose next layer expects the cropped size; Regula keeps the
 *   documented behaviour.
 */
import type { Rng } from '../random.js';
import { affineTransform } from '../ops/image.js';
import { slice } from '../ops/shape-ops.js';
import type { Tensor } from '../tensor/tensor.js';
import { channelsLast, int, req, seed, type ArgsOf, type ValuesOf } from '../config/options.js';
import type { LayerArgs, Shape } from './layer.js';
import { checkImageShape, ImageAugmentation, uniforms } from './image-augmentation.js';

export const RANDOM_CROP_OPTIONS = {
  /** Output height. */
  height: req(int()),
  /** Output width. */
  width: req(int()),
  seed: seed(),
  dataFormat: channelsLast(),
};
export type RandomCropArgs = LayerArgs & ArgsOf<typeof RANDOM_CROP_OPTIONS>;

/** @example layers.randomCrop({ height: 24, width: 24, seed: 1 }) */
export class RandomCrop extends ImageAugmentation {
  static override readonly className = 'RandomCrop';
  static override readonly options = RANDOM_CROP_OPTIONS;
  declare readonly options: ValuesOf<typeof RANDOM_CROP_OPTIONS>;

  constructor(args: RandomCropArgs) {
    super(args, 'random_crop');
  }

  get height(): number {
    return this.options.height;
  }
  get width(): number {
    return this.options.width;
  }

  protected augment(x: Tensor, rng: Rng): Tensor {
    const [b, h, w, c] = x.shape as [number, number, number, number];
    if (h < this.height || w < this.width) return this.inference(x);
    const [u, v] = uniforms(rng, 2, 0, 1) as unknown as [number, number];
    const top = Math.min(Math.floor(u * (h - this.height + 1)), h - this.height);
    const left = Math.min(Math.floor(v * (w - this.width + 1)), w - this.width);
    return slice(x, [0, top, left, 0], [b, this.height, this.width, c]);
  }

  /** The centred window of the target aspect ratio, resized to height × width. */
  protected override inference(x: Tensor): Tensor {
    const [b, h, w, c] = x.shape as [number, number, number, number];
    const ch = Math.max(Math.min(h, Math.floor((w * this.height) / this.width)), 1);
    const cw = Math.max(Math.min(w, Math.floor((h * this.width) / this.height)), 1);
    const top = Math.floor((h - ch) / 2);
    const left = Math.floor((w - cw) / 2);
    const window = ch === h && cw === w ? x : slice(x, [0, top, left, 0], [b, ch, cw, c]);
    if (ch === this.height && cw === this.width) return window;
    // tf.image.resize (bilinear, half-pixel centres): input = (output + ½)·scale − ½, edges clamped.
    const sy = ch / this.height;
    const sx = cw / this.width;
    return affineTransform(window, [sx, 0, 0.5 * sx - 0.5, 0, sy, 0.5 * sy - 0.5, 0, 0], {
      interpolation: 'bilinear',
      fillMode: 'nearest',
      outputSize: [this.height, this.width],
    });
  }

  override computeOutputShape(inputShape: Shape): Shape {
    checkImageShape(this.name, inputShape);
    const s = [...inputShape];
    s[s.length - 3] = this.height;
    s[s.length - 2] = this.width;
    return s;
  }
}

export function randomCrop(args: RandomCropArgs): RandomCrop {
  return new RandomCrop(args);
}
