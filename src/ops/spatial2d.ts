/**
 * Shape ops on images (NHWC), composed from concat, slice, gather and
 * arithmetic (so their gradients are those ops'): zero padding, cropping and
 * upsampling by integer factors (nearest = repeat rows and columns; bilinear =
 * Keras 3 / tf.image.resize with half-pixel centers, no antialiasing).
 */
import { getBackend } from '../backend/select.js';
import { tensor } from '../tensor/create.js';
import { fmt, sizeOf } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, mul, sub } from './arithmetic.js';
import { asFloat, floatTensor } from './define-op.js';
import { concat, gather, slice } from './shape-ops.js';

/** [[top, bottom], [left, right]]. */
export type Margins2d = readonly [readonly [number, number], readonly [number, number]];

function rank4(x: Tensor, op: string): [number, number, number, number] {
  if (x.rank !== 4) throw new Error(`${op}: input must be [batch, height, width, channels], got ${fmt(x.shape)}`);
  return x.shape as unknown as [number, number, number, number];
}

function margins(m: Margins2d, op: string, what: string): [number, number, number, number] {
  const flat = [m[0]?.[0], m[0]?.[1], m[1]?.[0], m[1]?.[1]];
  if (m.length !== 2 || m[0]!.length !== 2 || m[1]!.length !== 2 || !flat.every((v) => Number.isInteger(v) && v! >= 0)) {
    throw new Error(`${op}: ${what} must be [[top, bottom], [left, right]] of non-negative integers, got ${JSON.stringify(m)}`);
  }
  return flat as [number, number, number, number];
}

function zerosShaped(shape: readonly number[]): Tensor {
  return floatTensor(shape, getBackend().allocFloat(sizeOf(shape)));
}

/**
 * Pads height and width with zeros: [b, h, w, c] → [b, t + h + bo, l + w + r, c].
 * @example zeroPad2d(x, [[1, 1], [2, 2]])
 */
export function zeroPad2d(xIn: Tensor, padding: Margins2d): Tensor {
  const x = asFloat(xIn, 'zeroPad2d');
  rank4(x, 'zeroPad2d');
  const [t, bo, l, r] = margins(padding, 'zeroPad2d', 'padding');
  let y = x;
  for (const [axis, before, after] of [[1, t, bo], [2, l, r]] as const) {
    if (before === 0 && after === 0) continue;
    const part = (n: number): Tensor => zerosShaped(y.shape.map((d, i) => (i === axis ? n : d)));
    const pieces: Tensor[] = [];
    if (before > 0) pieces.push(part(before));
    pieces.push(y);
    if (after > 0) pieces.push(part(after));
    y = concat(pieces, axis);
  }
  return y;
}

/**
 * Removes rows and columns at the borders: [b, h, w, c] → [b, h − t − bo, w − l − r, c].
 * Each remaining size must be at least 1.
 */
export function crop2d(xIn: Tensor, cropping: Margins2d): Tensor {
  const x = asFloat(xIn, 'crop2d');
  const [b, h, w, c] = rank4(x, 'crop2d');
  const [t, bo, l, r] = margins(cropping, 'crop2d', 'cropping');
  if (t + bo >= h || l + r >= w) {
    throw new Error(`crop2d: cropping ${JSON.stringify(cropping)} leaves nothing of input ${fmt(x.shape)} (it must be smaller than height and width)`);
  }
  return slice(x, [0, t, l, 0], [b, h - t - bo, w - l - r, c]);
}

/** Interpolation of `upsample2d`. */
export type Upsample2dInterpolation = 'nearest' | 'bilinear';

function ids(values: readonly number[]): Tensor {
  return tensor(values as number[], [values.length], 'int32');
}

/** x resized along `axis` (1 or 2) to `outLen` with half-pixel-center linear interpolation (TF's ResizeBilinear rule). */
function linearAlong(x: Tensor, axis: 1 | 2, outLen: number): Tensor {
  const inLen = x.shape[axis]!;
  const scale = inLen / outLen;
  const lower: number[] = [];
  const upper: number[] = [];
  const lerp: number[] = [];
  for (let i = 0; i < outLen; i++) {
    const at = (i + 0.5) * scale - 0.5;
    const f = Math.floor(at);
    lower.push(Math.max(f, 0));
    upper.push(Math.min(Math.ceil(at), inLen - 1));
    lerp.push(at - f);
  }
  const a = gather(x, ids(lower), axis);
  const b = gather(x, ids(upper), axis);
  const wShape = axis === 1 ? [1, outLen, 1, 1] : [1, 1, outLen, 1];
  return add(a, mul(sub(b, a), tensor(lerp, wShape)));
}

/**
 * Upsamples height and width by integer factors `size` = [sh, sw]:
 * 'nearest' repeats each row sh times and each column sw times (Keras 3
 * `ops.repeat`); 'bilinear' interpolates with half-pixel centers (Keras 3
 * `ops.image.resize`, tf.image.resize).
 * @example upsample2d(x, [2, 2], 'bilinear') // [b, h, w, c] → [b, 2h, 2w, c]
 */
export function upsample2d(xIn: Tensor, size: readonly [number, number], interpolation: Upsample2dInterpolation = 'nearest'): Tensor {
  const x = asFloat(xIn, 'upsample2d');
  const [, h, w] = rank4(x, 'upsample2d');
  if (size.length !== 2 || !size.every((s) => Number.isInteger(s) && s >= 1)) throw new Error(`upsample2d: size must be two positive integers, got ${JSON.stringify(size)}`);
  const [sh, sw] = size;
  if (interpolation === 'bilinear') {
    let y = sh === 1 ? x : linearAlong(x, 1, h * sh);
    if (sw !== 1) y = linearAlong(y, 2, w * sw);
    return y;
  }
  if (interpolation !== 'nearest') throw new Error(`upsample2d: interpolation must be 'nearest' or 'bilinear', got '${String(interpolation)}'`);
  const repeat = (n: number, k: number): number[] => Array.from({ length: n * k }, (_, i) => Math.floor(i / k));
  let y = sh === 1 ? x : gather(x, ids(repeat(h, sh)), 1);
  if (sw !== 1) y = gather(y, ids(repeat(w, sw)), 2);
  return y;
}
