/**
 * Image resampling (Keras 3 `keras.ops.image.affine_transform`, channels
 * last): each image goes through its own 8-parameter projective transform,
 * which maps output pixel (x, y) to input coordinates
 * ((a0·x + a1·y + a2)/k, (b0·x + b1·y + b2)/k), k = c0·x + c1·y + 1; points
 * outside the input follow `fillMode`; `interpolation` is 'nearest' or
 * 'bilinear'. The gradient w.r.t. the images is the transposed scatter (each
 * input pixel collects the weights it was read with); the transforms are
 * constants (no gradient), as in TF. Semantics: docs/semantics.md, "Image
 * augmentation"; kernel contract: backend.ts `AffineGeometry`.
 */
import type { AffineGeometry, FillMode, ResampleInterpolation } from '../backend/backend.js';
import { getBackend } from '../backend/select.js';
import { fmt } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { asFloat, defineOp, fdata, floatTensor } from './define-op.js';

export type { FillMode, ResampleInterpolation } from '../backend/backend.js';

/** The fill modes, in Keras's order of mention. */
export const FILL_MODES: readonly FillMode[] = ['reflect', 'wrap', 'constant', 'nearest'];
/** The interpolations. */
export const INTERPOLATIONS: readonly ResampleInterpolation[] = ['nearest', 'bilinear'];

/** Options of `affineTransform` (Keras names in camelCase). */
export interface AffineTransformOptions {
  /** Default 'bilinear'. */
  interpolation?: ResampleInterpolation;
  /** Default 'constant' (Keras's op default; the augmentation layers default to 'reflect'). */
  fillMode?: FillMode;
  /** Value of points outside the input with fillMode 'constant' (default 0). */
  fillValue?: number;
  /** [height, width] of the output (default the input's): a resize or crop window. */
  outputSize?: readonly [number, number];
}

/** One transform [8] for every image, or one per image [batch, 8]: a tensor, a flat list or a list of rows. */
export type TransformsLike = Tensor | ArrayLike<number> | readonly (readonly number[])[];

/** The transforms as float64 [batch, 8] (one row repeated when a single one is given). */
function transformRows(t: TransformsLike, batch: number): Float64Array {
  const op = 'affineTransform';
  let flat: ArrayLike<number>;
  let rows: number;
  if (t instanceof Tensor) {
    if (t.dtype !== 'float32' || !(t.rank === 1 || t.rank === 2) || t.shape[t.rank - 1] !== 8) {
      throw new Error(`${op}: transform must be a float32 tensor of shape [8] or [batch, 8], got ${t.dtype} ${fmt(t.shape)}`);
    }
    flat = t.data as ArrayLike<number>;
    rows = t.rank === 1 ? 1 : t.shape[0]!;
  } else if (Array.isArray(t) && t.length > 0 && Array.isArray(t[0])) {
    const list = t as readonly (readonly number[])[];
    if (!list.every((r) => Array.isArray(r) && r.length === 8)) throw new Error(`${op}: every transform row must have 8 numbers, got ${JSON.stringify(list.map((r) => r.length))}`);
    flat = list.flat();
    rows = list.length;
  } else {
    flat = t as ArrayLike<number>;
    if (flat.length % 8 !== 0 || flat.length === 0) throw new Error(`${op}: transform must have 8 numbers per image, got ${flat.length}`);
    rows = flat.length / 8;
  }
  if (rows !== 1 && rows !== batch) throw new Error(`${op}: got ${rows} transforms for a batch of ${batch} images (give 1 or ${batch})`);
  const out = new Float64Array(batch * 8);
  for (let b = 0; b < batch; b++) for (let j = 0; j < 8; j++) out[b * 8 + j] = flat[(rows === 1 ? 0 : b) * 8 + j]!;
  return out;
}

/**
 * Resamples images [batch, h, w, c] (or one image [h, w, c]) through
 * per-image projective transforms (Keras `affine_transform`).
 * @example
 * // shift every image right by 2 pixels, zeros enter on the left
 * affineTransform(images, [1, 0, -2, 0, 1, 0, 0, 0], { fillMode: 'constant' })
 */
export function affineTransform(images: Tensor, transforms: TransformsLike, opts: AffineTransformOptions = {}): Tensor {
  const op = 'affineTransform';
  const x0 = asFloat(images, op);
  if (x0.rank !== 3 && x0.rank !== 4) throw new Error(`${op}: images must be [batch, height, width, channels] or [height, width, channels], got ${fmt(x0.shape)}`);
  const single = x0.rank === 3;
  const [batch, inH, inW, c] = single ? [1, x0.shape[0]!, x0.shape[1]!, x0.shape[2]!] : [x0.shape[0]!, x0.shape[1]!, x0.shape[2]!, x0.shape[3]!];
  if (inH < 1 || inW < 1) throw new Error(`${op}: images must have height and width ≥ 1, got ${fmt(x0.shape)}`);
  const interpolation = opts.interpolation ?? 'bilinear';
  const fillMode = opts.fillMode ?? 'constant';
  const fillValue = opts.fillValue ?? 0;
  if (!INTERPOLATIONS.includes(interpolation)) throw new Error(`${op}: interpolation must be one of ${INTERPOLATIONS.join(', ')}, got ${JSON.stringify(interpolation)}`);
  if (!FILL_MODES.includes(fillMode)) throw new Error(`${op}: fillMode must be one of ${FILL_MODES.join(', ')}, got ${JSON.stringify(fillMode)}`);
  if (typeof fillValue !== 'number' || !Number.isFinite(fillValue)) throw new Error(`${op}: fillValue must be a finite number, got ${JSON.stringify(fillValue)}`);
  const [outH, outW] = opts.outputSize ?? [inH, inW];
  if (!Number.isInteger(outH) || !Number.isInteger(outW) || outH < 1 || outW < 1) throw new Error(`${op}: outputSize must be two positive integers, got ${JSON.stringify(opts.outputSize)}`);
  const t = transformRows(transforms, batch);
  const g: AffineGeometry = { batch, inH, inW, c, outH, outW, fillMode, interpolation, fillValue };
  const outShape = single ? [outH, outW, c] : [batch, outH, outW, c];
  const y = floatTensor(outShape, getBackend().affineTransform(fdata(x0), t, g));
  return defineOp(op, [x0], y, (dy) => [floatTensor(x0.shape, getBackend().affineTransformBackward(fdata(dy), t, g))]);
}
