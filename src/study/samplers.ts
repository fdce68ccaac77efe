/**
 * Samplers: which parameters a trial tries.
 *
 * - `grid`   — the cells of the grid over the space (`gridValues`), trial i
 *   takes cell i (last parameter fastest), so a study covers the grid once.
 * - `random` — independent draws; trial i's draws come from its own Philox
 *   stream (seed, i), so its parameters do not depend on which worker runs
 *   it or on what other trials did.
 * - `tpe`    — the Tree-structured Parzen Estimator (Bergstra, Bardenet,
 *   Bengio & Kégl, "Algorithms for Hyper-Parameter Optimization", NeurIPS
 *   2011), univariate as Optuna's default: after `startup` random trials, the
 *   finished trials are split into the best γ(n) = min(⌈0.1·n⌉, 25) ("below")
 *   and the rest ("above"); for each parameter a Parzen estimator l(x) is
 *   fitted to the below values and g(x) to the above ones (a truncated
 *   Gaussian per observation plus a prior over the whole range; bandwidth
 *   the larger distance to a neighbour, clipped; log scale for log-uniform;
 *   categorical: counts + 1), `candidates` draws from l are scored by
 *   log l(x) − log g(x) and the best is taken. Pruned trials count as worse
 *   than complete ones, ranked by how far they got, then by their last value.
 *   TPE depends on the trials finished before it samples, so with several
 *   workers its choices depend on timing.
 */
import { Rng } from '../random.js';
import type { TrialRecord } from './journal.js';
import { gridValues, valueAt, type Distribution, type Params, type Space } from './space.js';

export type Direction = 'minimize' | 'maximize';

/** What a sampler sees when trial `trial` asks for parameters. */
export interface SampleContext {
  readonly space: Space;
  /** All trials of the study so far (the asking one included, without params). */
  readonly trials: readonly TrialRecord[];
  readonly trial: TrialRecord;
  readonly direction: Direction;
}

export interface Sampler {
  readonly name: string;
  sample(ctx: SampleContext): Params;
}

/** Trial i's own generator: child i of the seed's generator. */
export function trialRng(seed: number, index: number): Rng {
  const root = new Rng(seed);
  let r = root.split();
  for (let i = 0; i < index; i++) r = root.split();
  return r;
}

/** The grid sampler over `points` values per continuous parameter. */
export class GridSampler implements Sampler {
  readonly name = 'grid';
  constructor(readonly points = 3) {}
  /** The parameters of grid cell `i` (wraps around past the last cell). */
  cell(space: Space, i: number): Params {
    const axes = space.map((p) => gridValues(p.dist, this.points));
    const size = axes.reduce((n, a) => n * a.length, 1);
    let k = i % size;
    const out: Record<string, number | string> = {};
    for (let j = space.length - 1; j >= 0; j--) {
      const a = axes[j]!;
      out[space[j]!.name] = a[k % a.length]!;
      k = Math.floor(k / a.length);
    }
    return Object.fromEntries(space.map((p) => [p.name, out[p.name]!]));
  }
  sample(ctx: SampleContext): Params {
    return this.cell(ctx.space, ctx.trial.freshIndex);
  }
}

/** Independent uniform draws (log-uniform in log space), seeded per trial. */
export class RandomSampler implements Sampler {
  readonly name = 'random';
  constructor(readonly seed = 0) {}
  sample(ctx: SampleContext): Params {
    const rng = trialRng(this.seed, ctx.trial.freshIndex);
    return Object.fromEntries(ctx.space.map((p) => [p.name, valueAt(p.dist, rng.uniform())]));
  }
}

/** Options of the TPE sampler (Optuna's defaults). */
export interface TpeOptions {
  seed?: number;
  /** Random trials before the model is used (default 10). */
  startup?: number;
  /** Candidates drawn from l(x) per parameter (default 24). */
  candidates?: number;
}

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** erf(x), Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7). */
function erf(x: number): number {
  const s = Math.sign(x);
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a);
  return s * y;
}
const normCdf = (z: number): number => 0.5 * (1 + erf(z / Math.SQRT2));

/** A mixture of Gaussians truncated to [low, high] (one per observation plus the prior). */
interface Parzen {
  mus: number[];
  sigmas: number[];
  weights: number[];
  low: number;
  high: number;
}

/** The Parzen estimator of `obs` (in the internal scale) on [low, high]. */
function parzen(obs: readonly number[], low: number, high: number): Parzen {
  const prior = { mu: (low + high) / 2, sigma: high - low };
  const pts = obs.map((mu) => ({ mu, prior: false })).concat([{ mu: prior.mu, prior: true }]);
  const order = pts.map((p, i) => ({ p, i })).sort((a, b) => a.p.mu - b.p.mu);
  const sigmas = new Array<number>(pts.length);
  const maxS = high - low;
  const minS = (high - low) / Math.min(100, 1 + pts.length);
  order.forEach((o, k) => {
    const left = k > 0 ? o.p.mu - order[k - 1]!.p.mu : o.p.mu - low;
    const right = k < order.length - 1 ? order[k + 1]!.p.mu - o.p.mu : high - o.p.mu;
    sigmas[o.i] = o.p.prior ? prior.sigma : Math.min(maxS, Math.max(minS, left, right));
  });
  const w = 1 / pts.length;
  return { mus: pts.map((p) => p.mu), sigmas, weights: pts.map(() => w), low, high };
}

function parzenSample(m: Parzen, rng: Rng): number {
  let u = rng.uniform();
  let k = 0;
  while (k < m.weights.length - 1 && u >= m.weights[k]!) u -= m.weights[k++]!;
  for (let tries = 0; tries < 100; tries++) {
    const x = m.mus[k]! + m.sigmas[k]! * rng.normal();
    if (x >= m.low && x <= m.high) return x;
  }
  return Math.min(m.high, Math.max(m.low, m.mus[k]!));
}

function parzenLogPdf(m: Parzen, x: number): number {
  let best = -Infinity;
  const terms: number[] = [];
  for (let k = 0; k < m.mus.length; k++) {
    const mu = m.mus[k]!;
    const s = m.sigmas[k]!;
    const z = (x - mu) / s;
    const mass = Math.max(1e-12, normCdf((m.high - mu) / s) - normCdf((m.low - mu) / s));
    const lp = Math.log(m.weights[k]!) - 0.5 * z * z - LOG_SQRT_2PI - Math.log(s) - Math.log(mass);
    terms.push(lp);
    if (lp > best) best = lp;
  }
  let sum = 0;
  for (const t of terms) sum += Math.exp(t - best);
  return best + Math.log(sum);
}

/** Internal scale of a numeric distribution: log for log-uniform, ±0.5 around integers. */
function bounds(d: Exclude<Distribution, { type: 'choice' }>): [number, number] {
  if (d.type === 'loguniform') return [Math.log(d.low), Math.log(d.high)];
  if (d.type === 'int') return [d.low - 0.5, d.high + 0.5];
  return [d.low, d.high];
}
function toInternal(d: Distribution, v: number): number {
  return d.type === 'loguniform' ? Math.log(v) : v;
}
function fromInternal(d: Distribution, x: number): number {
  if (d.type === 'loguniform') return Math.exp(x);
  if (d.type === 'int') return Math.min(d.high, Math.max(d.low, Math.round(x)));
  return x;
}

/** Finished trials best first: complete by value, then pruned by steps reached (more first) and last value. */
export function rankTrials(trials: readonly TrialRecord[], direction: Direction): TrialRecord[] {
  const sign = direction === 'minimize' ? 1 : -1;
  const done = trials.filter((t) => t.params !== null && (t.state === 'complete' || t.state === 'pruned') && t.value !== null && Number.isFinite(t.value));
  return done.sort((a, b) => {
    if (a.state !== b.state) return a.state === 'complete' ? -1 : 1;
    if (a.state === 'pruned' && a.epochs !== b.epochs) return b.epochs - a.epochs;
    return sign * (a.value! - b.value!) || a.number - b.number;
  });
}

/** The TPE sampler (see the file header). */
export class TpeSampler implements Sampler {
  readonly name = 'tpe';
  readonly seed: number;
  readonly startup: number;
  readonly candidates: number;
  constructor(o: TpeOptions = {}) {
    this.seed = o.seed ?? 0;
    this.startup = o.startup ?? 10;
    this.candidates = o.candidates ?? 24;
  }

  sample(ctx: SampleContext): Params {
    const ranked = rankTrials(ctx.trials, ctx.direction);
    if (ranked.length < this.startup || ranked.length < 2) return new RandomSampler(this.seed).sample(ctx);
    const rng = trialRng(this.seed, ctx.trial.freshIndex);
    const nBelow = Math.min(Math.ceil(0.1 * ranked.length), 25);
    const below = ranked.slice(0, nBelow);
    const above = ranked.slice(nBelow);
    const out: Record<string, number | string> = {};
    for (const p of ctx.space) {
      const d = p.dist;
      const obs = (ts: readonly TrialRecord[]): (number | string)[] => ts.map((t) => t.params![p.name]).filter((v): v is number | string => v !== undefined);
      if (d.type === 'choice') {
        const weights = (vs: readonly (number | string)[]): number[] => {
          const w = d.values.map(() => 1);
          for (const v of vs) {
            const k = d.values.indexOf(v);
            if (k >= 0) w[k]! += 1;
          }
          const s = w.reduce((a, b) => a + b, 0);
          return w.map((x) => x / s);
        };
        const l = weights(obs(below));
        const g = weights(obs(above));
        let best = 0;
        let bestScore = -Infinity;
        for (let c = 0; c < this.candidates; c++) {
          let u = rng.uniform();
          let k = 0;
          while (k < l.length - 1 && u >= l[k]!) u -= l[k++]!;
          const score = Math.log(l[k]!) - Math.log(g[k]!);
          if (score > bestScore) [best, bestScore] = [k, score];
        }
        out[p.name] = d.values[best]!;
        continue;
      }
      const [lo, hi] = bounds(d);
      const num = (vs: readonly (number | string)[]): number[] => vs.filter((v): v is number => typeof v === 'number').map((v) => toInternal(d, v));
      const l = parzen(num(obs(below)), lo, hi);
      const g = parzen(num(obs(above)), lo, hi);
      let best = l.mus[0]!;
      let bestScore = -Infinity;
      for (let c = 0; c < this.candidates; c++) {
        const x = parzenSample(l, rng);
        const score = parzenLogPdf(l, x) - parzenLogPdf(g, x);
        if (score > bestScore) [best, bestScore] = [x, score];
      }
      out[p.name] = fromInternal(d, best);
    }
    return out;
  }
}

export type SamplerName = 'grid' | 'random' | 'tpe';
export const SAMPLER_NAMES: readonly SamplerName[] = ['grid', 'random', 'tpe'];

/** A sampler by name. */
export function makeSampler(name: SamplerName, o: { seed: number; gridPoints?: number; startup?: number }): Sampler {
  if (name === 'grid') return new GridSampler(o.gridPoints ?? 3);
  if (name === 'random') return new RandomSampler(o.seed);
  return new TpeSampler({ seed: o.seed, ...(o.startup !== undefined ? { startup: o.startup } : {}) });
}
