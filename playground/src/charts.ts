/**
 * Canvas drawing, done in the training worker on canvases the page handed
 * over (OffscreenCanvas), so the page's thread does no drawing at all: the
 * curves (current run in colour, a pinned run in grey beneath), the 2-D
 * decision surface with its points, and the per-layer weight-norm
 * histograms with the max-norm limit.
 */
import type { LayerNorms, Points } from './protocol.js';
import { GRID } from './grid.js';
import { TOY_EXTENT } from './toy-data.js';

export interface Series {
  values: readonly number[];
  color: string;
  dash: number[];
  width?: number;
}

let off: OffscreenCanvas | null = null;
const C0 = [245, 147, 34];
const C1 = [8, 119, 189];

/** A canvas on the page or handed to a worker. */
export type AnyCanvas = HTMLCanvasElement | OffscreenCanvas;
type Ctx = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

function context(canvas: AnyCanvas): Ctx {
  const ctx = canvas.getContext('2d') as Ctx | null;
  if (!ctx) throw new Error('playground: no 2-D canvas context');
  return ctx;
}

/** Lines over epochs on a shared y range; `marker` (0-based epoch) draws a vertical line, e.g. the restored epoch. */
export function drawCurves(canvas: AnyCanvas, series: readonly Series[], marker: number | null = null): void {
  const ctx = context(canvas);
  const { width: w, height: h } = canvas;
  ctx.clearRect(0, 0, w, h);
  const pad = { l: 44, r: 8, t: 8, b: 20 };
  let n = 1;
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series) {
    n = Math.max(n, s.values.length);
    for (const v of s.values) {
      if (!Number.isFinite(v)) continue;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  if (!Number.isFinite(lo)) {
    lo = 0;
    hi = 1;
  }
  const span = hi - lo || Math.abs(hi) || 1;
  lo = lo >= 0 ? Math.max(0, lo - span * 0.05) : lo - span * 0.05;
  hi += span * 0.05;
  const X = (i: number): number => pad.l + ((w - pad.l - pad.r) * i) / Math.max(1, n - 1);
  const Y = (v: number): number => pad.t + ((h - pad.t - pad.b) * (hi - v)) / (hi - lo);
  ctx.strokeStyle = '#ccc';
  ctx.fillStyle = '#666';
  ctx.font = '10px sans-serif';
  ctx.lineWidth = 1;
  ctx.setLineDash([]);
  for (let k = 0; k <= 4; k++) {
    const v = lo + ((hi - lo) * k) / 4;
    ctx.beginPath();
    ctx.moveTo(pad.l, Y(v));
    ctx.lineTo(w - pad.r, Y(v));
    ctx.stroke();
    ctx.fillText(v.toPrecision(3), 2, Y(v) + 3);
  }
  ctx.fillText(`epoch ${n}`, w - pad.r - 50, h - 5);
  if (marker !== null) {
    ctx.strokeStyle = '#7b3294';
    ctx.setLineDash([3, 3]);
    ctx.beginPath();
    ctx.moveTo(X(marker), pad.t);
    ctx.lineTo(X(marker), h - pad.b);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = '#7b3294';
    ctx.fillText(`best ${marker + 1}`, Math.min(X(marker) + 3, w - 50), pad.t + 10);
  }
  for (const s of series) {
    ctx.strokeStyle = s.color;
    ctx.lineWidth = s.width ?? 1.6;
    ctx.setLineDash(s.dash);
    ctx.beginPath();
    s.values.forEach((v, i) => (i === 0 ? ctx.moveTo(X(i), Y(v)) : ctx.lineTo(X(i), Y(v))));
    ctx.stroke();
  }
  ctx.setLineDash([]);
}

/** The decision surface (P(class 1): orange 0 → blue 1) with train ●, validation ◇ and test ○ points. */
export function drawHeat(canvas: AnyCanvas, heat: Float32Array | null, points: Points | null): void {
  const ctx = context(canvas);
  const { width: w, height: h } = canvas;
  ctx.clearRect(0, 0, w, h);
  if (heat) {
    const img = new ImageData(GRID, GRID);
    for (let i = 0; i < heat.length; i++) {
      const p = heat[i]!;
      const t = Math.abs(p - 0.5) * 2;
      const c = p >= 0.5 ? C1 : C0;
      img.data[4 * i] = 255 + (c[0]! - 255) * t * 0.75;
      img.data[4 * i + 1] = 255 + (c[1]! - 255) * t * 0.75;
      img.data[4 * i + 2] = 255 + (c[2]! - 255) * t * 0.75;
      img.data[4 * i + 3] = 255;
    }
    off ??= new OffscreenCanvas(GRID, GRID);
    off.getContext('2d')!.putImageData(img, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(off, 0, 0, w, h);
  }
  if (!points) return;
  const X = (v: number): number => ((v + TOY_EXTENT) / (2 * TOY_EXTENT)) * w;
  const Y = (v: number): number => ((TOY_EXTENT - v) / (2 * TOY_EXTENT)) * h;
  for (let i = 0; i < points.y.length; i++) {
    const px = X(points.x[2 * i]!);
    const py = Y(points.x[2 * i + 1]!);
    const c = points.y[i] === 1 ? C1 : C0;
    const col = `rgb(${c[0]},${c[1]},${c[2]})`;
    const part = points.part[i];
    ctx.beginPath();
    if (part === 1) {
      ctx.moveTo(px, py - 4);
      ctx.lineTo(px + 4, py);
      ctx.lineTo(px, py + 4);
      ctx.lineTo(px - 4, py);
      ctx.closePath();
    } else ctx.arc(px, py, 3.2, 0, 2 * Math.PI);
    ctx.fillStyle = part === 2 ? '#fff' : col;
    ctx.strokeStyle = part === 2 ? col : '#fff';
    ctx.lineWidth = part === 2 ? 1.8 : 1;
    ctx.fill();
    ctx.stroke();
  }
}

/** A layer's unit norms in 12 bins from 0 to the largest (or the max-norm limit), the limit as a red line. */
export function drawHistogram(canvas: AnyCanvas, l: LayerNorms): void {
  let max = Math.max(1e-6, l.maxNorm?.limit ?? 0);
  for (const v of l.norms) max = Math.max(max, v);
  const bins = new Array<number>(12).fill(0);
  for (const v of l.norms) bins[Math.min(11, Math.floor((v / max) * 12))]!++;
  const ctx = context(canvas);
  const { width: w, height: h } = canvas;
  ctx.clearRect(0, 0, w, h);
  const top = bins.reduce((a, b) => Math.max(a, b), 1);
  const bw = w / 12;
  ctx.fillStyle = '#0877bd';
  bins.forEach((b, i) => ctx.fillRect(i * bw + 1, h - 12 - (b / top) * (h - 16), bw - 2, (b / top) * (h - 16)));
  ctx.fillStyle = '#666';
  ctx.font = '9px sans-serif';
  ctx.fillText('0', 1, h - 2);
  ctx.fillText(max.toPrecision(2), w - 22, h - 2);
  if (l.maxNorm) {
    const x = Math.min(w - 1, (l.maxNorm.limit / max) * w);
    ctx.strokeStyle = '#d62728';
    ctx.beginPath();
    ctx.moveTo(x, 0);
    ctx.lineTo(x, h - 12);
    ctx.stroke();
  }
}

/** A layer's histogram caption: mean unit norm and the max-norm pressure. */
export function normCaption(l: LayerNorms): string {
  const mean = l.norms.reduce((a, b) => a + b, 0) / Math.max(1, l.norms.length);
  return `${l.layer}: mean ${mean.toPrecision(3)}` + (l.maxNorm ? `, ${Math.round(l.maxNorm.fraction * 100)} % at max-norm ${l.maxNorm.limit}` : '');
}

/** Image sets: the shown validation images in grey levels, each with the predicted class; wrong ones framed red. */
export function drawImages(canvas: AnyCanvas, im: { shape: readonly number[]; pixels: Float32Array; labels: Int32Array }, predicted: Int32Array): void {
  const ctx = context(canvas);
  const [h, w] = [im.shape[0]!, im.shape[1]!];
  const cols = 12;
  const cell = Math.floor(canvas.width / cols);
  const scale = Math.floor((cell - 6) / w);
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  let max = 1e-6;
  for (const v of im.pixels) max = Math.max(max, v);
  const n = Math.min(im.labels.length, predicted.length);
  for (let i = 0; i < n; i++) {
    const x0 = (i % cols) * cell + 3;
    const y0 = Math.floor(i / cols) * (cell + 12) + 3;
    for (let r = 0; r < h; r++) {
      for (let c = 0; c < w; c++) {
        const g = Math.round(255 - (255 * im.pixels[i * h * w + r * w + c]!) / max);
        ctx.fillStyle = `rgb(${g},${g},${g})`;
        ctx.fillRect(x0 + c * scale, y0 + r * scale, scale, scale);
      }
    }
    const wrong = predicted[i] !== im.labels[i];
    ctx.strokeStyle = wrong ? '#d62728' : '#ccc';
    ctx.lineWidth = wrong ? 2 : 1;
    ctx.strokeRect(x0 - 1, y0 - 1, w * scale + 2, h * scale + 2);
    ctx.fillStyle = wrong ? '#d62728' : '#333';
    ctx.font = '10px sans-serif';
    ctx.fillText(String(predicted[i]), x0 + (w * scale) / 2 - 3, y0 + h * scale + 11);
  }
}
