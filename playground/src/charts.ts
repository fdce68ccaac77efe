/**
 * Canvas drawing, cheap enough for every epoch on the page's thread: the
 * curves (current run in colour, a pinned run in grey beneath), the 2-D
 * decision surface with its points, and the per-layer weight-norm
 * histograms with the max-norm limit and its pressure.
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

function context(canvas: HTMLCanvasElement): CanvasRenderingContext2D {
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('playground: no 2-D canvas context');
  return ctx;
}

/** Lines over epochs on a shared y range from 0 (or the minimum) to the maximum. */
export function drawCurves(canvas: HTMLCanvasElement, series: readonly Series[]): void {
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
  lo -= span * 0.05;
  hi += span * 0.05;
  const X = (i: number): number => pad.l + ((w - pad.l - pad.r) * i) / Math.max(1, n - 1);
  const Y = (v: number): number => pad.t + ((h - pad.t - pad.b) * (hi - v)) / (hi - lo);
  ctx.strokeStyle = '#ccc';
  ctx.fillStyle = '#666';
  ctx.font = '10px system-ui, sans-serif';
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
export function drawHeat(canvas: HTMLCanvasElement, heat: Float32Array | null, points: Points | null): void {
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

/** One histogram per layer: unit norms in 12 bins, the max-norm limit as a red line. */
export function drawNorms(container: HTMLElement, layers: readonly LayerNorms[]): void {
  while (container.children.length > layers.length) container.lastElementChild!.remove();
  layers.forEach((l, idx) => {
    let fig = container.children[idx] as HTMLElement | undefined;
    if (!fig) {
      fig = document.createElement('figure');
      const c = document.createElement('canvas');
      c.width = 160;
      c.height = 80;
      c.setAttribute('role', 'img');
      fig.append(c, document.createElement('figcaption'));
      container.append(fig);
    }
    const canvas = fig.querySelector('canvas')!;
    canvas.setAttribute('aria-label', `Histogram of unit weight norms of ${l.layer}`);
    const cap = fig.querySelector('figcaption')!;
    let max = Math.max(1e-6, l.maxNorm?.limit ?? 0);
    for (const v of l.norms) max = Math.max(max, v);
    const bins = new Array<number>(12).fill(0);
    for (const v of l.norms) bins[Math.min(11, Math.floor((v / max) * 12))]!++;
    const ctx = context(canvas);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    const top = bins.reduce((a, b) => Math.max(a, b), 1);
    const bw = canvas.width / 12;
    ctx.fillStyle = '#0877bd';
    bins.forEach((b, i) => ctx.fillRect(i * bw + 1, canvas.height - 12 - (b / top) * (canvas.height - 16), bw - 2, (b / top) * (canvas.height - 16)));
    ctx.fillStyle = '#666';
    ctx.font = '9px system-ui, sans-serif';
    ctx.fillText('0', 1, canvas.height - 2);
    ctx.fillText(max.toPrecision(2), canvas.width - 22, canvas.height - 2);
    if (l.maxNorm) {
      ctx.strokeStyle = '#d62728';
      ctx.beginPath();
      ctx.moveTo(canvas.width - 1, 0);
      ctx.lineTo(canvas.width - 1, canvas.height - 12);
      ctx.stroke();
    }
    const mean = l.norms.reduce((a, b) => a + b, 0) / Math.max(1, l.norms.length);
    cap.textContent = `${l.layer}: mean ${mean.toPrecision(3)}` + (l.maxNorm ? `, ${Math.round(l.maxNorm.fraction * 100)} % at max-norm ${l.maxNorm.limit}` : '');
  });
}
