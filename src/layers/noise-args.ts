/**
 * What the noise and dropout layers share: the random stream a training call
 * draws from, the rate check, Keras-1 positional spellings and noise shapes.
 *
 * Randomness (ARCHITECTURE decision 7): a layer given a `seed` owns an `Rng`
 * seeded once and advancing with every call (Keras 3 SeedGenerator: seeded,
 * yet a new mask every step — TF.js repeats one mask); without a seed it draws
 * from `ctx.rng`, which fit derives from `fit({seed})`.
 */
import { Rng, type RngState } from '../random.js';
import { fmt } from '../tensor/shape.js';
import type { CallContext, Shape } from './layer.js';
import { ConfigReader } from './args.js';

/** The random stream of one stochastic layer. */
export class NoiseStream {
  private rng: Rng | undefined;

  constructor(readonly seed: number | undefined, private readonly layerName: () => string) {
    if (seed !== undefined) this.rng = new Rng(seed);
  }

  /** The Rng for this call: the layer's own seeded stream, else the model's step stream. */
  next(ctx: CallContext): Rng {
    const r = this.rng ?? ctx.rng;
    if (!r) {
      throw new Error(`${this.layerName()}: a training call needs randomness: give the layer a seed, or pass ctx.rng (fit does)`);
    }
    return r;
  }

  /** State of the layer's own stream (undefined when it has no seed), for exact resume. */
  getState(): RngState | undefined {
    return this.rng?.getState();
  }

  /** Restores a state from `getState`. */
  setState(s: RngState): void {
    this.rng = Rng.fromState(s);
  }
}

/** A seed option: undefined or an integer. */
export function seedArg(layer: string, v: unknown): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new Error(`${layer}: seed must be an integer, got ${JSON.stringify(v)}`);
  return v;
}

/** A rate in [0, 1] (or [0, 1) when `open`), naming layer and value. */
export function rateArg(layer: string, v: unknown, arg = 'rate', openHigh = false): number {
  const ok = typeof v === 'number' && Number.isFinite(v) && v >= 0 && (openHigh ? v < 1 : v <= 1);
  if (!ok) throw new Error(`${layer}: ${arg} must be a number in [0, 1${openHigh ? ')' : ']'}, got ${JSON.stringify(v)}`);
  return v as number;
}

/**
 * Turns `layer(0.5)` into `{rate: 0.5}` and a Keras-1 key (`p`, `sigma`) into
 * the Keras 3 one, rejecting both at once.
 */
export function positional<T extends object>(layer: string, args: T | number, key: string, keras1: string): T {
  if (typeof args === 'number') return { [key]: args } as T;
  if (typeof args !== 'object' || args === null) throw new Error(`${layer}: expected a number or an options object, got ${JSON.stringify(args)}`);
  const rec = args as Record<string, unknown>;
  if (!(keras1 in rec)) return args;
  if (rec[key] !== undefined) throw new Error(`${layer}: both '${keras1}' (Keras 1) and '${key}' given; use only '${key}'`);
  const out: Record<string, unknown> = { ...rec, [key]: rec[keras1] };
  delete out[keras1];
  return out as T;
}

/** A noise shape option: integers ≥ 1 or null (filled from the input). */
export function noiseShapeArg(layer: string, v: unknown): Shape | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((d) => d !== null && (!Number.isInteger(d) || d < 1))) {
    throw new Error(`${layer}: noiseShape must be an array of positive integers or null, got ${JSON.stringify(v)}`);
  }
  return [...(v as (number | null)[])];
}

/**
 * The concrete mask shape for input `shape`: null entries take the input's
 * size; others must equal it or be 1 (broadcast over that axis).
 */
export function concreteNoiseShape(layer: string, noiseShape: Shape | undefined, shape: readonly number[]): number[] {
  if (!noiseShape) return [...shape];
  if (noiseShape.length !== shape.length) {
    throw new Error(`${layer}: noiseShape ${JSON.stringify(noiseShape)} has rank ${noiseShape.length}, input ${fmt(shape)} has rank ${shape.length}`);
  }
  return noiseShape.map((d, i) => {
    const n = shape[i]!;
    if (d === null) return n;
    if (d !== 1 && d !== n) throw new Error(`${layer}: noiseShape ${JSON.stringify(noiseShape)} does not broadcast to input ${fmt(shape)} at axis ${i}`);
    return d;
  });
}

/**
 * The shared part of a noise layer's `fromConfig`: the base layer keys, its
 * one scalar (`rate` or `stddev`), an optional `seed`, and `noise_shape` —
 * kept (`'keep'`), required to be null (`'null-only'`, SpatialDropout1D) or
 * not a key of the class (`'none'`). Unknown keys are rejected.
 */
export function readNoiseConfig(
  className: string,
  config: Record<string, unknown>,
  scalar: 'rate' | 'stddev',
  noiseShape: 'keep' | 'null-only' | 'none',
): Record<string, unknown> {
  const r = new ConfigReader(className, config);
  const args: Record<string, unknown> = { ...r.base(), [scalar]: r.get(scalar) };
  if (noiseShape !== 'none') {
    const ns = r.get('noise_shape');
    if (ns !== undefined) {
      if (noiseShape === 'null-only') throw new Error(`${className}.fromConfig: noise_shape must be null, got ${JSON.stringify(ns)}`);
      args['noiseShape'] = ns;
    }
  }
  const seed = r.get('seed');
  if (seed !== undefined) args['seed'] = seed;
  r.done();
  return args;
}
