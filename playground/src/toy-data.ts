/**
 * The four 2-D sets of TensorFlow Playground — circle, xor, gauss, spiral —
 * written anew, drawn from Regula's seeded Philox generator so a seed gives
 * the same points everywhere. Points lie in [-6, 6]²; labels are 0/1.
 * `noise` (0–50, percent) perturbs the points as the original page does.
 */
import { Rng } from '../../src/random.js';
import type { ToySet } from './state.js';

export interface ToyData {
  /** `[n, 2]` row-major coordinates. */
  readonly x: Float32Array;
  /** 0/1 labels. */
  readonly y: Int32Array;
}

/** Half-width of the plotted square. */
export const TOY_EXTENT = 6;

const RADIUS = 5;

function uniform(rng: Rng, lo: number, hi: number): number {
  return lo + (hi - lo) * rng.uniform();
}

/**
 * `n` points of `set` (half of each class where the set is balanced by
 * construction), seeded.
 * @example
 * const { x, y } = toyData('spiral', 400, 10, 1); // x.length 800, y in {0, 1}
 */
export function toyData(set: ToySet, n: number, noisePercent: number, seed: number): ToyData {
  const rng = new Rng(seed);
  const noise = noisePercent / 100;
  const x = new Float32Array(n * 2);
  const y = new Int32Array(n);
  const put = (i: number, a: number, b: number, label: number): void => {
    x[2 * i] = a;
    x[2 * i + 1] = b;
    y[i] = label;
  };
  const half = Math.floor(n / 2);
  switch (set) {
    case 'circle': {
      // Class 1 inside radius 2.5, class 0 in the ring [3.5, 5]; the label is
      // decided before noise moves the point, as in TensorFlow Playground.
      for (let i = 0; i < n; i++) {
        const inside = i < half;
        const r = inside ? uniform(rng, 0, RADIUS * 0.5) : uniform(rng, RADIUS * 0.7, RADIUS);
        const t = uniform(rng, 0, 2 * Math.PI);
        const nx = uniform(rng, -RADIUS, RADIUS) * noise;
        const ny = uniform(rng, -RADIUS, RADIUS) * noise;
        put(i, r * Math.sin(t) + nx, r * Math.cos(t) + ny, inside ? 1 : 0);
      }
      break;
    }
    case 'xor': {
      const pad = 0.3;
      for (let i = 0; i < n; i++) {
        let a = uniform(rng, -RADIUS, RADIUS);
        a += a > 0 ? pad : -pad;
        let b = uniform(rng, -RADIUS, RADIUS);
        b += b > 0 ? pad : -pad;
        const label = a * b >= 0 ? 1 : 0;
        put(i, a + uniform(rng, -RADIUS, RADIUS) * noise, b + uniform(rng, -RADIUS, RADIUS) * noise, label);
      }
      break;
    }
    case 'gauss': {
      // Two Gaussian blobs at (2, 2) and (-2, -2) whose spread grows with noise.
      const sd = Math.sqrt(0.5 + noise * 7);
      for (let i = 0; i < n; i++) {
        const label = i < half ? 1 : 0;
        const c = label ? 2 : -2;
        put(i, c + sd * rng.normal(), c + sd * rng.normal(), label);
      }
      break;
    }
    case 'spiral': {
      // Two interleaved arms of 1.75 turns each.
      for (let i = 0; i < n; i++) {
        const label = i < half ? 1 : 0;
        const k = label ? i : i - half;
        const m = label ? half : n - half;
        const r = (k / m) * RADIUS;
        const t = (1.75 * k * 2 * Math.PI) / m + (label ? 0 : Math.PI);
        put(i, r * Math.sin(t) + uniform(rng, -1, 1) * noise * RADIUS * 0.4, r * Math.cos(t) + uniform(rng, -1, 1) * noise * RADIUS * 0.4, label);
      }
      break;
    }
  }
  return { x, y };
}

/** The points as a CSV (`x1,x2,label`), so `regula train --data` can reproduce a run. */
export function toyCsv(d: ToyData): string {
  const lines = ['x1,x2,label'];
  for (let i = 0; i < d.y.length; i++) lines.push(`${d.x[2 * i]},${d.x[2 * i + 1]},${d.y[i]}`);
  return `${lines.join('\n')}\n`;
}
