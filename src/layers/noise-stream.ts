/**
 * What the noise and dropout layers share: the random stream a training call
 * draws from (the Layer base gives one to every class whose options include
 * `seed`), and concrete noise shapes.
 *
 * Randomness (ARCHITECTURE decision 7): a layer given a `seed` owns an `Rng`
 * seeded once and advancing with every call (Keras 3 SeedGenerator: seeded,
 * yet a new mask every step — TF.js repeats one mask); without a seed it draws
 * from `ctx.rng`, which fit derives from `fit({seed})`.
 */
import { Rng, type RngState } from '../random.js';
import { fmt } from '../tensor/shape.js';
import type { Shape } from '../config/types.js';
import type { CallContext } from './layer.js';

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
