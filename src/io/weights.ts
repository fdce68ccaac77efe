/**
 * Weight data in the TF.js Layers format: tensors are laid end to end as
 * little-endian float32/int32 values in manifest order, and the byte stream
 * is cut into shards of at most 4 MiB (`group1-shard1of3.bin` …), as the
 * TF.js converter does. A tensor may straddle two shards; a loader
 * concatenates a group's shards in `paths` order.
 *
 * Decoding treats the manifest as untrusted: dtypes, shapes and the total
 * size are validated (with a cap) and the byte count must match the manifest
 * exactly BEFORE any tensor is allocated. No I/O here; browser-safe.
 */
import { Tensor } from '../tensor/tensor.js';
import { sizeOf } from '../tensor/shape.js';
import { ModelFormatError, type WeightSpec } from './keras-format.js';

/** TF.js's shard size: 4 MiB. */
export const SHARD_BYTES = 4 * 1024 * 1024;

/** Default cap on the bytes a manifest may declare (1 GiB); loads accept `maxWeightBytes`. */
export const DEFAULT_MAX_WEIGHT_BYTES = 2 ** 30;

/** A tensor with the name it is saved under (`dense/kernel`). */
export interface NamedTensor {
  name: string;
  tensor: Tensor;
}

const BYTES_PER_ELEMENT = 4; // float32 and int32

if (new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1) {
  // Every platform Node and browsers run on is little-endian; refuse to write a wrong format silently.
  throw new Error('regula io: big-endian platforms are not supported (TF.js weight files are little-endian)');
}

/**
 * Bytes a list of specs needs, validating each shape against `maxBytes`
 * without overflowing (a shape [1e9, 1e9] is rejected, not multiplied out).
 */
export function specsByteLength(specs: readonly WeightSpec[], file: string, maxBytes = DEFAULT_MAX_WEIGHT_BYTES): number {
  let total = 0;
  for (const s of specs) {
    let elements = 1;
    for (const d of s.shape) {
      if (!Number.isSafeInteger(d) || d < 0) throw new ModelFormatError(file, `weight '${s.name}' has invalid shape [${s.shape.join(', ')}]: dimensions must be non-negative integers`);
      elements *= d;
      if (elements * BYTES_PER_ELEMENT > maxBytes) {
        throw new ModelFormatError(file, `weight '${s.name}' shape [${s.shape.join(', ')}] is too large: more than ${maxBytes} bytes (the load limit maxWeightBytes)`);
      }
    }
    total += elements * BYTES_PER_ELEMENT;
    if (total > maxBytes) throw new ModelFormatError(file, `weights need more than ${maxBytes} bytes in total (the load limit maxWeightBytes)`);
  }
  return total;
}

/** Encodes tensors (float32 or int32) end to end; returns the specs and one byte buffer. */
export function encodeWeights(named: readonly NamedTensor[]): { specs: WeightSpec[]; data: Uint8Array } {
  const seen = new Set<string>();
  let total = 0;
  for (const { name, tensor } of named) {
    if (seen.has(name)) throw new Error(`encodeWeights: two weights are named '${name}'; weight names must be unique to be saved`);
    seen.add(name);
    total += tensor.size * BYTES_PER_ELEMENT;
  }
  const data = new Uint8Array(total);
  const specs: WeightSpec[] = [];
  let offset = 0;
  for (const { name, tensor } of named) {
    const n = tensor.size;
    if (tensor.dtype === 'int32') {
      new Int32Array(data.buffer, offset, n).set(tensor.data as Int32Array);
    } else {
      // Float64 variables (the float64 reference mode) are rounded to float32, the file format.
      const out = new Float32Array(data.buffer, offset, n);
      const src = tensor.data;
      for (let i = 0; i < n; i++) out[i] = src[i]!;
    }
    specs.push({ name, shape: [...tensor.shape], dtype: tensor.dtype });
    offset += n * BYTES_PER_ELEMENT;
  }
  return { specs, data };
}

/** Cuts a byte stream into shards of at most `shardBytes` (at least one shard, possibly empty). */
export function splitShards(data: Uint8Array, shardBytes = SHARD_BYTES): Uint8Array[] {
  if (!(shardBytes > 0) || !Number.isInteger(shardBytes) || shardBytes % BYTES_PER_ELEMENT !== 0) {
    throw new Error(`splitShards: shardBytes must be a positive multiple of 4, got ${shardBytes}`);
  }
  if (data.length === 0) return [new Uint8Array(0)];
  const out: Uint8Array[] = [];
  for (let o = 0; o < data.length; o += shardBytes) out.push(data.subarray(o, Math.min(o + shardBytes, data.length)));
  return out;
}

/** TF.js converter shard names: `group1-shard1of2.bin`, `group1-shard2of2.bin`. */
export function shardNames(count: number, prefix = 'group1'): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}-shard${i + 1}of${count}.bin`);
}

/** Joins byte chunks into one buffer. */
export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const total = chunks.reduce((s, c) => s + c.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

/**
 * Decodes `data` laid out as `specs` describes. The byte length must equal
 * what the specs need exactly (shorter: truncated shard; longer: extra bytes),
 * checked before allocating any tensor. `file` names the source in errors.
 */
export function decodeWeights(
  specs: readonly WeightSpec[],
  data: Uint8Array,
  file: string,
  maxBytes = DEFAULT_MAX_WEIGHT_BYTES,
): Map<string, Tensor> {
  const need = specsByteLength(specs, file, maxBytes);
  if (data.length !== need) {
    const how = data.length < need ? 'shorter than' : 'longer than';
    throw new ModelFormatError(file, `weight data is ${data.length} bytes, ${how} the ${need} bytes the manifest declares`);
  }
  const out = new Map<string, Tensor>();
  let offset = 0;
  for (const s of specs) {
    const n = sizeOf(s.shape);
    const bytes = data.slice(offset, offset + n * BYTES_PER_ELEMENT); // a copy: aligned, owned
    const values = s.dtype === 'int32' ? new Int32Array(bytes.buffer) : new Float32Array(bytes.buffer);
    out.set(s.name, new Tensor(s.shape, s.dtype, values));
    offset += n * BYTES_PER_ELEMENT;
  }
  return out;
}
