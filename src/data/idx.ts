/**
 * IDX files, the format of the MNIST family (MNIST, Fashion-MNIST, KMNIST,
 * EMNIST), raw or gzipped. Layout: two zero bytes, a dtype byte, a rank byte,
 * `rank` big-endian uint32 dimensions, then the values big-endian, row-major.
 * Everything in the header is validated against the file size before the
 * data are read.
 */
import { readFileSync } from 'node:fs';
import { constants as zlibConstants, gunzipSync, gzipSync } from 'node:zlib';
import { sizeOf } from '../tensor/shape.js';
import { DataError } from './data-error.js';
import { checkDataFile, readHead } from './input-file.js';

/** IDX element types. */
export type IdxDtype = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

/** Typed array for each IDX dtype. */
export type IdxArray = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

/** A decoded IDX tensor. */
export interface IdxData {
  readonly shape: readonly number[];
  readonly dtype: IdxDtype;
  /** Row-major values, `shape` product long, in native byte order. */
  readonly data: IdxArray;
}

interface DtypeInfo {
  readonly code: number;
  readonly bytes: number;
  readonly make: (n: number) => IdxArray;
  readonly read: (v: DataView, at: number) => number;
  readonly write: (v: DataView, at: number, x: number) => void;
}

const DTYPES = {
  uint8: { code: 0x08, bytes: 1, make: (n) => new Uint8Array(n), read: (v, a) => v.getUint8(a), write: (v, a, x) => v.setUint8(a, x) },
  int8: { code: 0x09, bytes: 1, make: (n) => new Int8Array(n), read: (v, a) => v.getInt8(a), write: (v, a, x) => v.setInt8(a, x) },
  int16: { code: 0x0b, bytes: 2, make: (n) => new Int16Array(n), read: (v, a) => v.getInt16(a), write: (v, a, x) => v.setInt16(a, x) },
  int32: { code: 0x0c, bytes: 4, make: (n) => new Int32Array(n), read: (v, a) => v.getInt32(a), write: (v, a, x) => v.setInt32(a, x) },
  float32: { code: 0x0d, bytes: 4, make: (n) => new Float32Array(n), read: (v, a) => v.getFloat32(a), write: (v, a, x) => v.setFloat32(a, x) },
  float64: { code: 0x0e, bytes: 8, make: (n) => new Float64Array(n), read: (v, a) => v.getFloat64(a), write: (v, a, x) => v.setFloat64(a, x) },
} as const satisfies Record<IdxDtype, DtypeInfo>;

const DTYPE_BY_CODE = new Map<number, IdxDtype>(Object.entries(DTYPES).map(([k, d]) => [d.code, k as IdxDtype]));

/** Largest decoded IDX accepted (2 GiB): bigger headers are corrupt for this library's use. */
export const MAX_IDX_BYTES = 2 ** 31 - 1;

/** What an IDX header declares; validated, before any data are read or inflated. */
export interface IdxHeader {
  readonly shape: readonly number[];
  readonly dtype: IdxDtype;
  /** Bytes of the header (4 + 4·rank). */
  readonly headerBytes: number;
  /** Header plus data: the exact decoded size the header declares. */
  readonly totalBytes: number;
}

function isGzip(b: Uint8Array): boolean {
  return b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
}

/** Compressed bytes tried for the header: enough for any gzip header and first deflate block. */
const HEAD_TRIES = [64, 256, 1024, 4096];

/**
 * Inflates only the start of a gzip stream, at least `want` bytes when the
 * stream has them. Each try inflates a short prefix of the compressed bytes
 * (at most ~1032× its size comes out), so a bomb cannot blow up here.
 */
function inflateHead(gz: Uint8Array, want: number, name: string): Uint8Array {
  let out: Uint8Array = new Uint8Array(0);
  for (const n of HEAD_TRIES) {
    try {
      out = gunzipSync(gz.subarray(0, n), { finishFlush: zlibConstants.Z_SYNC_FLUSH, maxOutputLength: 8 << 20 });
    } catch (e) {
      throw new DataError(`corrupt gzip data: ${(e as Error).message}`, { file: name });
    }
    if (out.length >= want || n >= gz.length) break;
  }
  return out;
}

/**
 * Reads and validates an IDX header from the first bytes of the decoded data
 * (`head`, which may be all of it).
 *
 * @param total - the decoded size when known (raw data), checked against the header.
 */
function parseHeader(head: Uint8Array, name: string, total?: number): IdxHeader {
  const size = total ?? head.length;
  if (head.length < 4) throw new DataError(`IDX file too short: ${head.length} bytes, the header alone needs 4`, { file: name });
  if (head[0] !== 0 || head[1] !== 0) {
    throw new DataError(`bad IDX magic: first two bytes must be 0x00 0x00, got 0x${hex(head[0]!)} 0x${hex(head[1]!)}`, { file: name });
  }
  const dtype = DTYPE_BY_CODE.get(head[2]!);
  if (dtype === undefined) {
    throw new DataError(`unknown IDX dtype byte 0x${hex(head[2]!)}; expected one of 08 09 0b 0c 0d 0e`, { file: name });
  }
  const rank = head[3]!;
  if (rank === 0) throw new DataError('IDX rank is 0; at least one dimension is required', { file: name });
  const headerBytes = 4 + 4 * rank;
  if (head.length < headerBytes) {
    throw new DataError(`IDX header declares ${rank} dimensions but the file has only ${size} bytes`, { file: name });
  }
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const shape: number[] = [];
  for (let i = 0; i < rank; i++) shape.push(view.getUint32(4 + 4 * i));
  const count = sizeOf(shape);
  const info: DtypeInfo = DTYPES[dtype];
  if (count * info.bytes > MAX_IDX_BYTES) {
    throw new DataError(`IDX dimensions [${shape.join(', ')}] of ${dtype} exceed the ${MAX_IDX_BYTES}-byte limit`, { file: name });
  }
  const totalBytes = headerBytes + count * info.bytes;
  if (total !== undefined && total !== totalBytes) throw sizeMismatch({ shape, dtype, headerBytes, totalBytes }, name, `${total}`);
  return { shape, dtype, headerBytes, totalBytes };
}

function sizeMismatch(h: IdxHeader, name: string, got: string): DataError {
  return new DataError(`IDX size mismatch: dimensions [${h.shape.join(', ')}] of ${h.dtype} need ${h.totalBytes} bytes, the file has ${got}`, { file: name });
}

/** The decoded bytes of a gzip stream whose header declared `h`: never inflates past the declared size. */
function inflateAll(gz: Uint8Array, h: IdxHeader, name: string): Uint8Array {
  try {
    return gunzipSync(gz, { maxOutputLength: h.totalBytes });
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw sizeMismatch(h, name, `more once decompressed`);
    throw new DataError(`corrupt gzip data: ${(e as Error).message}`, { file: name });
  }
}

/** Values of decoded IDX bytes (header included) as a typed array in native byte order. */
function decodeValues(buf: Uint8Array, h: IdxHeader): IdxData {
  const info: DtypeInfo = DTYPES[h.dtype];
  const count = (h.totalBytes - h.headerBytes) / info.bytes;
  let data: IdxArray;
  if (h.dtype === 'uint8') data = buf.subarray(h.headerBytes, h.totalBytes);
  else if (h.dtype === 'int8') data = new Int8Array(buf.buffer, buf.byteOffset + h.headerBytes, count);
  else {
    data = info.make(count);
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    for (let i = 0; i < count; i++) data[i] = info.read(view, h.headerBytes + i * info.bytes);
  }
  return { shape: h.shape, dtype: h.dtype, data };
}

/**
 * Decodes IDX bytes (gunzipping first when they start with the gzip magic).
 * The header is read (inflating only its first bytes) and validated before
 * the data are inflated, and inflation stops at the size it declares.
 *
 * @param name - file name used in error messages.
 * @throws DataError for a bad magic, unknown dtype, zero rank, or a size that
 *   does not match the dimensions (short or trailing bytes).
 */
export function parseIdx(bytes: Uint8Array, name = '<idx>'): IdxData {
  if (!isGzip(bytes)) return decodeValues(bytes, parseHeader(bytes, name, bytes.length));
  const h = parseHeader(inflateHead(bytes, 4 + 4 * 255, name), name);
  const buf = inflateAll(bytes, h, name);
  if (buf.length !== h.totalBytes) throw sizeMismatch(h, name, String(buf.length));
  return decodeValues(buf, h);
}

function hex(b: number): string {
  return b.toString(16).padStart(2, '0');
}

/**
 * Reads and validates the header of an IDX file, raw or gzipped, reading at
 * most a few kilobytes of it (a gzipped file is inflated only that far).
 *
 * @throws DataError for a missing or non-regular file and every header problem of `parseIdx`.
 */
export function readIdxHeader(path: string): IdxHeader {
  const size = checkDataFile(path);
  const head = readHead(path, HEAD_TRIES[HEAD_TRIES.length - 1]!);
  if (isGzip(head)) return parseHeader(inflateHead(head, 4 + 4 * 255, path), path);
  return parseHeader(head, path, size);
}

/**
 * Reads an IDX file, raw or gzipped (detected from the content, not the
 * name), validating the header first.
 *
 * @throws DataError for a missing or non-regular file and every format problem of `parseIdx`.
 * @example
 * const images = readIdx('/usr/share/.../train-images-idx3-ubyte.gz');
 * // images.shape = [60000, 28, 28], images.dtype = 'uint8'
 */
export function readIdx(path: string): IdxData {
  readIdxHeader(path);
  return parseIdx(readFileSync(path), path);
}

/**
 * Encodes values as IDX bytes (gzipped when `gzip` is true). The inverse of
 * `parseIdx`; used to write test fixtures and converted data.
 *
 * @throws RangeError when `data.length` differs from the product of `shape`.
 */
export function encodeIdx(shape: readonly number[], dtype: IdxDtype, data: ArrayLike<number>, gzip = false): Uint8Array {
  const count = sizeOf(shape);
  if (shape.length === 0 || shape.length > 255) throw new RangeError(`encodeIdx: rank must be in [1, 255], got ${shape.length}`);
  if (data.length !== count) throw new RangeError(`encodeIdx: shape [${shape.join(', ')}] needs ${count} values, got ${data.length}`);
  const info: DtypeInfo = DTYPES[dtype];
  const headerBytes = 4 + 4 * shape.length;
  const out = new Uint8Array(headerBytes + count * info.bytes);
  const view = new DataView(out.buffer);
  out[2] = info.code;
  out[3] = shape.length;
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  for (let i = 0; i < count; i++) info.write(view, headerBytes + i * info.bytes, data[i]!);
  return gzip ? new Uint8Array(gzipSync(out)) : out;
}

/**
 * The per-sample shape of IDX data of shape `[n, ...rest]`, channels last:
 * images `[n, h, w]` are `[h, w, 1]` (one grey channel), `[n, h, w, c]`
 * stay `[h, w, c]`, vectors `[n, d]` are `[d]`, and labels `[n]` are `[]`.
 *
 * @example
 * idxSampleShape([60000, 28, 28]); // [28, 28, 1]
 */
export function idxSampleShape(shape: readonly number[]): number[] {
  const rest = shape.slice(1);
  return rest.length === 2 ? [rest[0]!, rest[1]!, 1] : rest;
}

/**
 * Images and labels of an IDX pair: the pixels as a row-major features
 * matrix (`[n, pixels]`, scaled), each row one image of `imageShape`, and
 * int labels.
 */
export interface IdxDataset {
  readonly rows: number;
  readonly cols: number;
  /**
   * The shape of one image, channels last (`idxSampleShape`): `[28, 28, 1]`
   * for MNIST. `features` viewed as `[rows, ...imageShape]` is the image
   * batch a CNN takes; `cols` is the product of `imageShape`.
   */
  readonly imageShape: readonly number[];
  readonly features: Float32Array;
  readonly labels: Int32Array;
  /** Distinct label values, sorted; label `k` of `labels` is `classes[k]`. */
  readonly classes: readonly string[];
}

/**
 * Loads an images file (`[n, ...]`) and a labels file (`[n]`) as a dataset:
 * each image one row of `features` (its shape kept in `imageShape`, e.g.
 * `[28, 28, 1]`), multiplied by `scale` (default 1/255 for uint8 images),
 * labels re-indexed to 0..classes-1.
 *
 * @throws DataError when the counts differ or the labels file is not rank 1.
 */
export function loadIdxDataset(imagesPath: string, labelsPath: string, scale?: number): IdxDataset {
  // Both headers first: a count mismatch is reported before anything is inflated.
  const imagesHead = readIdxHeader(imagesPath);
  const labelsHead = readIdxHeader(labelsPath);
  if (labelsHead.shape.length !== 1) {
    throw new DataError(`labels must be 1-D, got shape [${labelsHead.shape.join(', ')}]`, { file: labelsPath });
  }
  const rows = imagesHead.shape[0]!;
  if (labelsHead.shape[0] !== rows) {
    throw new DataError(`${labelsHead.shape[0]} labels for ${rows} images in ${imagesPath}`, { file: labelsPath });
  }
  const labels = readIdx(labelsPath);
  const images = readIdx(imagesPath);
  const cols = rows === 0 ? 0 : images.data.length / rows;
  const s = scale ?? (images.dtype === 'uint8' ? 1 / 255 : 1);
  const features = new Float32Array(images.data.length);
  for (let i = 0; i < features.length; i++) features[i] = images.data[i]! * s;
  const values = Array.from(new Set(labels.data)).sort((a, b) => a - b);
  const index = new Map(values.map((v, i) => [v, i]));
  const y = Int32Array.from(labels.data, (v) => index.get(v)!);
  return { rows, cols, imageShape: idxSampleShape(images.shape), features, labels: y, classes: values.map(String) };
}
