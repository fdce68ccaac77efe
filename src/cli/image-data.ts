/**
 * Images in the CLI's tables. A table keeps its features flat (`[rows,
 * cols]`, one image per row) so that splitting, standardization, saving the
 * preprocessing and predicting stay exactly as for CSV; when the rows are
 * images it also carries their shape (`imageShape`, channels last: `[28, 28,
 * 1]` for IDX images, `[8, 8, 1]` for the embedded digits). A model whose
 * input is an image (a CNN: rank-3 per-sample shape) gets the same rows
 * viewed as `[rows, h, w, c]` (a view, no copy); a Dense-first model gets the
 * flat rows, as before.
 */
import type { Table } from '../data/csv.js';
import type { Model } from '../index.js';
import { Tensor } from '../tensor/tensor.js';
import { UsageError } from './cli-error.js';
import type { PreparedData } from './prepare-data.js';

/** A table whose rows may be images of `imageShape` (absent: plain feature rows). */
export type ShapedTable = Table & { readonly imageShape?: readonly number[] | undefined };

/** The table with `imageShape` recorded (its product must be the table's width). */
export function withImageShape(table: Table, imageShape: readonly number[]): ShapedTable {
  const size = imageShape.reduce((a, b) => a * b, 1);
  if (size !== table.cols) throw new RangeError(`withImageShape: image shape [${imageShape.join(', ')}] has ${size} values, the table has ${table.cols} features`);
  return { ...table, imageShape: imageShape.slice() };
}

/** The image shape of a table's rows, or null for plain feature rows. */
export function imageShapeOf(table: Table): readonly number[] | null {
  return (table as ShapedTable).imageShape ?? null;
}

/** Layer classes whose input must be an image batch `[batch, h, w, c]` (so a spec starting with one gets the data's image shape). */
export const IMAGE_LAYER_CLASSES: ReadonlySet<string> = new Set([
  'Conv2D', 'Convolution2D', 'Conv2DTranspose', 'Convolution2DTranspose', 'DepthwiseConv2D', 'SeparableConv2D', 'SeparableConvolution2D',
  'MaxPooling2D', 'MaxPool2D', 'AveragePooling2D', 'AvgPool2D', 'AveragePool2D', 'GlobalAveragePooling2D', 'GlobalAvgPool2D',
  'GlobalMaxPooling2D', 'GlobalMaxPool2D', 'ZeroPadding2D', 'Cropping2D', 'UpSampling2D', 'SpatialDropout2D',
  'RandomFlip', 'RandomTranslation', 'RandomRotation', 'RandomZoom', 'RandomContrast', 'RandomBrightness', 'RandomCrop',
]);

/** Layers that take any shape and pass it on: they do not decide whether a spec starts with images. */
const SHAPE_AGNOSTIC: ReadonlySet<string> = new Set([
  'InputLayer', 'Rescaling', 'Dropout', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout', 'Activation', 'BatchNormalization',
  'LayerNormalization', 'ActivityRegularization',
]);

/**
 * Whether a list of layer configs (`{class_name}`, in order) takes images:
 * its first layer that is not shape-agnostic (Rescaling, Dropout, …) is an
 * image layer (Conv2D, MaxPooling2D, RandomFlip, …).
 */
export function startsWithImageLayer(layers: readonly unknown[]): boolean {
  for (const l of layers) {
    const cls = typeof l === 'object' && l !== null ? String((l as { class_name?: unknown }).class_name) : '';
    if (SHAPE_AGNOSTIC.has(cls)) continue;
    return IMAGE_LAYER_CLASSES.has(cls);
  }
  return false;
}

/**
 * The per-sample input shape a spec without a declared one gets: the data's
 * image shape when the spec starts with an image layer, else the flat width.
 *
 * @throws UsageError when the spec starts with an image layer but the data are not images.
 */
export function defaultSampleShape(layers: readonly unknown[], width: number, image: readonly number[] | null | undefined, where: string): number[] {
  if (!startsWithImageLayer(layers)) return [width];
  if (image) return image.slice();
  throw new UsageError(
    `${where}: the model starts with an image layer, which takes images [height, width, channels], but the data are ${width} plain features: declare the input shape in the first layer ("batch_input_shape": [null, h, w, c] with h·w·c = ${width})`,
  );
}

/** The per-sample input shape of a one-input model (`[64]`, `[8, 8, 1]`), or null when it is not fully known. */
export function modelSampleShape(model: Model): number[] | null {
  const s = model.inputShapes[0];
  if (!s) return null;
  const rest = s.slice(1);
  return rest.every((d): d is number => typeof d === 'number') ? rest : null;
}

const show = (s: readonly (number | null)[]): string => `[${s.join(',')}]`;

/**
 * Checks that a model taking samples of `sample` can be fed rows of `width`
 * features (with image shape `image`, if any). A flat model must take
 * exactly `width` inputs; a shaped one must hold `width` values and, when
 * the data are images, be their shape (or it without the trailing channel).
 *
 * @returns an error message, or null when the model fits.
 */
export function inputMismatch(sample: readonly (number | null)[], width: number, image: readonly number[] | null): string | null {
  if (sample.length === 1) return sample[0] === width ? null : `the model takes ${sample[0]} inputs but the data have ${width} features`;
  const data = image ? `images of shape ${show(image)} (${width} values)` : `${width} features`;
  if (sample.some((d) => typeof d !== 'number')) return `the model takes inputs of shape ${show(sample)} but the data have ${data}`;
  const size = (sample as number[]).reduce((a, b) => a * b, 1);
  const same = (a: readonly (number | null)[], b: readonly number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);
  const fits = size === width && (image === null || same(sample, image) || (image[image.length - 1] === 1 && same(sample, image.slice(0, -1))));
  return fits ? null : `the model takes inputs of shape ${show(sample)} (${size} values) but the data have ${data}`;
}

/** `x` (`[rows, features]`) viewed as `[rows, ...sample]` (shares the data; `x` itself when `sample` is flat). */
export function viewRows(x: Tensor, sample: readonly number[] | null): Tensor {
  if (sample === null || sample.length <= 1) return x;
  return new Tensor([x.shape[0]!, ...sample], x.dtype, x.data);
}

/** Throws a UsageError (`where: message`) when the model cannot take the data's rows. */
export function checkModelInput(model: Model, width: number, image: readonly number[] | null, where: string): void {
  const sample = model.inputShapes[0]?.slice(1) ?? [];
  const why = inputMismatch(sample, width, image);
  if (why !== null) throw new UsageError(`${where}: ${why}`);
}

/** The parts of `data` as `model` takes them: viewed as images for a CNN, unchanged for a flat model. */
export function dataForModel(data: PreparedData, model: Model): PreparedData {
  const sample = modelSampleShape(model);
  if (sample === null || sample.length <= 1) return data;
  const part = (p: PreparedData['train'] | null): PreparedData['train'] | null => (p === null ? null : { ...p, x: viewRows(p.x, sample) });
  return { ...data, train: part(data.train)!, validation: part(data.validation), test: part(data.test) };
}
