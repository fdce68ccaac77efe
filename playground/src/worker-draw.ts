/**
 * The worker's side of the pictures: the page hands over its canvases
 * (OffscreenCanvas) once, and the worker draws the curves of the current
 * and the pinned run, the decision surface and the histograms whenever it
 * reports, so drawing never costs the page's thread anything.
 */
import { drawCurves, drawHeat, drawHistogram, drawImages, type Series } from './charts.js';
import type { ImageSamples } from './worker-data.js';
import type { EpochReport, Points } from './protocol.js';

interface Canvases {
  heat: OffscreenCanvas | null;
  loss: OffscreenCanvas | null;
  metric: OffscreenCanvas | null;
  samples: OffscreenCanvas | null;
  norms: OffscreenCanvas[];
}

const canvases: Canvases = { heat: null, loss: null, metric: null, samples: null, norms: [] };
let images: ImageSamples | null = null;
let history: Record<string, number[]> = {};
let pinned: Record<string, number[]> | null = null;
let metric = 'accuracy';
let points: Points | null = null;
let latest: EpochReport | null = null;
/** The epoch (0-based) whose weights early stopping restored, or null. */
let restored: number | null = null;

export function setCanvases(c: Partial<Canvases>): void {
  Object.assign(canvases, c);
  draw();
}

/** A new run: its metric and (2-D sets) points; the pinned run stays. */
export function newRun(runMetric: string, runPoints: Points | null, initial: EpochReport, runImages: ImageSamples | null): void {
  history = {};
  images = runImages;
  restored = null;
  metric = runMetric;
  points = runPoints;
  latest = initial;
}

export function addEpoch(logs: Record<string, number>): void {
  for (const [k, v] of Object.entries(logs)) (history[k] ??= []).push(v);
}

/** Marks the epoch whose weights the run kept (early stopping with restore). */
export function markRestored(epoch: number | null): void {
  restored = epoch;
}

export function pin(on: boolean): void {
  pinned = on ? structuredClone(history) : null;
  draw();
}

function series(h: Record<string, number[]>, isPinned: boolean, keys: string[]): Series[] {
  return keys
    .filter((k) => h[k])
    .map((k) => ({
      values: h[k]!,
      color: isPinned ? '#9a9a9a' : k.startsWith('val_') ? '#d62728' : k.startsWith('test_') ? '#2ca02c' : '#1f77b4',
      dash: k.startsWith('val_') ? [6, 3] : k.startsWith('test_') ? [2, 3] : [],
      width: isPinned ? 1.2 : 1.8,
    }));
}

/** Draws everything from the latest report (`report` replaces it when given). */
export function draw(report?: EpochReport): void {
  if (report) latest = report;
  const both = (keys: string[]): Series[] => [...(pinned ? series(pinned, true, keys) : []), ...series(history, false, keys)];
  if (canvases.loss) drawCurves(canvases.loss, both(['loss', 'val_loss', 'test_loss']), restored);
  if (canvases.metric) drawCurves(canvases.metric, both([metric, `val_${metric}`, `test_${metric}`]), restored);
  if (canvases.heat) drawHeat(canvases.heat, latest?.heat ?? null, points);
  if (canvases.samples && images && latest?.predicted) drawImages(canvases.samples, images, latest.predicted);
  latest?.layers.forEach((l, i) => {
    const c = canvases.norms[i];
    if (c) drawHistogram(c, l);
  });
}
