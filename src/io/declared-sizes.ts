/**
 * Declared sizes of an untrusted topology, checked before any weight is
 * allocated: a layer config such as `units: 1e12` or `batch_input_shape:
 * [null, 1e9, 1e9]` must be refused with a ModelFormatError naming the layer
 * and the value, not reach the allocator (out of memory, RangeError).
 *
 * How: each layer is "dry built" once with its `addWeight` replaced by a
 * function that only adds up the declared weight shapes against the load
 * limit (maxWeightBytes), following shapes with `computeOutputShape`; the
 * stand-in is removed before the real build. Browser-safe, no I/O.
 */
import type { Layer, Shape } from '../layers/layer.js';
import { Rng } from '../random.js';
import { ModelFormatError, type SequentialTopology } from './keras-format.js';

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

/**
 * Refuses layers whose declared weights need more than `maxBytes` in total
 * (or more than the `savedBytes` the file holds, plus a small slack), and
 * an input shape whose one sample exceeds `maxBytes`. `layers` are the
 * unbuilt layers made from `topology`.
 */
export function checkDeclaredSizes(layers: readonly Layer[], topology: SequentialTopology, file: string, maxBytes: number, savedBytes?: number): void {
  const specs = topology.config.layers;
  const where = (i: number): string => `layer ${i} ('${layers[i]!.name}', ${specs[i]?.class_name ?? layers[i]!.className})`;
  const input = layers[0]?.batchInputShape;
  if (!input) return;
  let perSample = 1;
  for (const d of input.slice(1)) {
    if (d === null) continue;
    if (!Number.isSafeInteger(d) || d < 0) throw new ModelFormatError(file, `${where(0)}: input shape [${input.map(String).join(', ')}] has an invalid dimension ${d}`);
    perSample *= d;
    if (perSample * BYTES > maxBytes) {
      throw new ModelFormatError(file, `${where(0)}: input shape [${input.map(String).join(', ')}] declares more than ${maxBytes} bytes per sample (the load limit maxWeightBytes)`);
    }
  }
  let total = 0;
  let shape: Shape = [...input];
  const rng = new Rng(0);
  for (let i = 0; i < layers.length; i++) {
    const l = layers[i]!;
    const config = specs[i]?.config ?? {};
    const host = l as unknown as { addWeight: unknown };
    host.addWeight = (args: { name: string; shape: readonly number[] }) => {
      let n = 1;
      for (const d of args.shape) {
        if (!Number.isSafeInteger(d) || d < 0) throw new ModelFormatError(file, `${where(i)}: weight '${args.name}' would have invalid shape [${args.shape.join(', ')}]${culprit(config, [d])}`);
        n *= d;
        if (n * BYTES > maxBytes) break;
      }
      total += n * BYTES;
      if (n * BYTES > maxBytes || total > maxBytes) {
        throw new ModelFormatError(file, `${where(i)}: weight '${args.name}' of shape [${args.shape.join(', ')}] needs ${n * BYTES} bytes${culprit(config, args.shape.filter((d) => d >= 1024))}, more than the load limit maxWeightBytes (${maxBytes} bytes for all weights)`);
      }
      if (savedBytes !== undefined && total > savedBytes + SLACK_BYTES) {
        throw new ModelFormatError(file, `${where(i)}: weight '${args.name}' of shape [${args.shape.join(', ')}]${culprit(config, args.shape.filter((d) => d >= 1024))} brings the declared weights to ${total} bytes, but the file holds only ${savedBytes}`);
      }
      return {};
    };
    try {
      l.build(shape, rng);
      shape = l.computeOutputShape(shape) as Shape;
    } catch (e) {
      if (e instanceof ModelFormatError) throw e;
      return; // an invalid config: the real build reports it with its own message
    } finally {
      delete (host as { addWeight?: unknown }).addWeight;
    }
  }
}
