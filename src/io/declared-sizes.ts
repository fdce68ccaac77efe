/**
 * Declared sizes of an untrusted topology, checked before any weight is
 * allocated: a layer config such as `units: 1e12` or `batch_input_shape:
 * [null, 1e9, 1e9]` must be refused with a ModelFormatError naming the layer
 * and the value, not reach the allocator (out of memory, RangeError).
 *
 * How: while models/ constructs the model from its topology (a Sequential, a
 * functional graph, models nested in either: every layer is built by its
 * model, from the shapes the graph gives it), `guardWeights` stands between
 * each layer and its weights: every weight a build declares is counted
 * against the load limit (maxWeightBytes) and the bytes the file holds
 * before its initializer allocates it. The stand-in wraps
 * `Layer.prototype.addWeight` for the duration of one synchronous
 * construction only. Browser-safe, no I/O.
 */
import { Layer, type Shape } from '../layers/layer.js';
import { ModelFormatError } from './keras-format.js';

const BYTES = 4;
/** Builds may allocate this much more than the file holds before the weight check names the mismatch. */
const SLACK_BYTES = 16 * 1024 * 1024;

/** Config entries (`units: 1e12`) whose numeric value is one of `dims`, for the error message. */
function culprit(config: Record<string, unknown>, dims: readonly number[]): string {
  const hits: string[] = [];
  for (const [k, v] of Object.entries(config)) {
    if (typeof v === 'number' && dims.includes(v)) hits.push(`${k}: ${v}`);
    else if (Array.isArray(v) && v.some((d) => typeof d === 'number' && dims.includes(d))) hits.push(`${k}: [${v.map(String).join(', ')}]`);
  }
  return hits.length ? ` (config ${hits.join(', ')})` : '';
}

/** A layer's own config for error messages ({} when it has none to give). */
function configFor(layer: Layer): Record<string, unknown> {
  try {
    return layer.getConfig();
  } catch {
    return {};
  }
}

/**
 * Refuses an input shape whose one sample needs more than `maxBytes` (or has
 * a dimension that is not an integer ≥ 0); `where` names the layer. With
 * `fixedBatch` (a functional model's input, which keeps its batch size) a
 * batch dimension must be null or an integer ≥ 1.
 */
export function checkInputShape(input: Shape, where: string, file: string, maxBytes: number, fixedBatch = false): void {
  const batch = input[0];
  if (fixedBatch && batch !== null && batch !== undefined && (!Number.isSafeInteger(batch) || batch < 1)) {
    throw new ModelFormatError(file, `${where}: input shape [${input.map(String).join(', ')}] has batch size ${batch}; the batch dimension must be null or an integer ≥ 1`);
  }
  let perSample = 1;
  for (const d of input.slice(1)) {
    if (d === null) continue;
    if (!Number.isSafeInteger(d) || d < 0) throw new ModelFormatError(file, `${where}: input shape [${input.map(String).join(', ')}] has an invalid dimension ${d}`);
    perSample *= d;
    if (perSample * BYTES > maxBytes) {
      throw new ModelFormatError(file, `${where}: input shape [${input.map(String).join(', ')}] declares more than ${maxBytes} bytes per sample (the load limit maxWeightBytes)`);
    }
  }
}

/** Options of `guardWeights`. */
export interface WeightGuard {
  /** The file errors name. */
  file: string;
  /** The load limit for all weights together (maxWeightBytes). */
  maxBytes: number;
  /** The weight bytes the file holds: declared weights may exceed it by a small slack only. */
  savedBytes?: number;
  /** Names a layer in errors, e.g. "layer 2 ('dense_1', Dense)" (default: its name and class). */
  describe?: (layer: Layer) => string;
}

type AddWeight = (this: Layer, args: { name: string; shape: readonly number[] }, rng: unknown) => unknown;

/**
 * Runs `construct` (synchronous: it makes and builds the model) with every
 * weight checked before it is allocated: its shape must be integers ≥ 0,
 * and the weights declared so far must stay within `maxBytes` and within
 * the saved bytes plus a small slack. The first weight past a limit throws
 * a ModelFormatError naming the layer, the weight and the config value.
 */
export function guardWeights<T>(guard: WeightGuard, construct: () => T): T {
  const { file, maxBytes, savedBytes } = guard;
  const describe = guard.describe ?? ((l: Layer) => `layer '${l.name}' (${l.className})`);
  const proto = Layer.prototype as unknown as { addWeight: AddWeight };
  const real = proto.addWeight;
  let total = 0;
  proto.addWeight = function checked(this: Layer, args, rng) {
    const big = (): number[] => args.shape.filter((d) => d >= 1024);
    let n = 1;
    for (const d of args.shape) {
      if (!Number.isSafeInteger(d) || d < 0) throw new ModelFormatError(file, `${describe(this)}: weight '${args.name}' would have invalid shape [${args.shape.join(', ')}]${culprit(configFor(this), [d])}`);
      n *= d;
      if (n * BYTES > maxBytes) break;
    }
    total += n * BYTES;
    if (n * BYTES > maxBytes || total > maxBytes) {
      throw new ModelFormatError(file, `${describe(this)}: weight '${args.name}' of shape [${args.shape.join(', ')}] needs ${n * BYTES} bytes${culprit(configFor(this), big())}, more than the load limit maxWeightBytes (${maxBytes} bytes for all weights)`);
    }
    if (savedBytes !== undefined && total > savedBytes + SLACK_BYTES) {
      throw new ModelFormatError(file, `${describe(this)}: weight '${args.name}' of shape [${args.shape.join(', ')}]${culprit(configFor(this), big())} brings the declared weights to ${total} bytes, but the file holds only ${savedBytes}`);
    }
    return real.call(this, args, rng);
  };
  try {
    return construct();
  } finally {
    proto.addWeight = real;
  }
}
