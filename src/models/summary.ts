/**
 * The Keras/TF.js model summary table: one row per layer (name and class,
 * output shape, parameter count), then total / trainable / non-trainable
 * parameter counts.
 *
 *   Model: "sequential"
 *   _________________________________________________________________
 *    Layer (type)                Output Shape              Param #
 *   =================================================================
 *    dense (Dense)               (None, 64)                2112
 *   ...
 */
import type { Layer, Shape } from '../layers/layer.js';

/** '(None, 64)' — Keras's shape notation. */
export function formatShape(s: Shape): string {
  const parts = s.map((d) => (d === null ? 'None' : String(d)));
  return `(${parts.join(', ')}${parts.length === 1 ? ',' : ''})`;
}

/** One row of the table: a layer, its output shape(s), and for functional models the tensors it was called on. */
export interface SummaryRow {
  layer: Layer;
  shape: Shape | readonly Shape[];
  connected?: readonly string[];
}

/** Column stops: 29 / 55 / 65 as TF.js, widened when a name or shape is longer; a 4th column for "Connected to". */
function columns(cells: readonly string[][]): number[] {
  const c1 = Math.max(29, ...cells.map((r) => r[0]!.length + 1)); // spread-ok: one entry per layer
  const c2 = Math.max(26, ...cells.map((r) => r[1]!.length + 1)); // spread-ok: one entry per layer
  const c3 = Math.max(10, ...cells.map((r) => r[2]!.length + 1)); // spread-ok: one entry per layer
  const stops = [c1, c1 + c2, c1 + c2 + c3];
  if (cells.some((r) => r.length > 3)) stops.push(c1 + c2 + c3 + Math.max(20, ...cells.map((r) => (r[3] ?? '').length))); // spread-ok: one entry per layer
  return stops;
}

function row(cells: readonly string[], stops: readonly number[]): string {
  let line = '';
  cells.forEach((c, i) => {
    line = (line + c).padEnd(stops[i]!);
  });
  return line.trimEnd();
}

const sizeOfWeights = (ws: readonly { size: number }[]): number => ws.reduce((s, w) => s + w.size, 0);

const isList = (s: Shape | readonly Shape[]): s is readonly Shape[] => s.length > 0 && Array.isArray(s[0]);

/**
 * The summary text. Sequential tables omit InputLayer rows (as Keras); a
 * functional table (`connected`) lists every layer with the tensors it was
 * called on, `name[node][tensor]` as Keras prints them.
 */
export function summaryText(name: string, rows: readonly SummaryRow[], opts: { connected?: boolean } = {}): string {
  const shown = opts.connected ? rows : rows.filter((r) => r.layer.className !== 'InputLayer');
  const cells = shown.map((r) => {
    const c = [` ${r.layer.name} (${r.layer.className})`, isList(r.shape) ? r.shape.map(formatShape).join(', ') : formatShape(r.shape), String(r.layer.countParams())];
    if (opts.connected) c.push((r.connected ?? []).join(', ') || '-');
    return c;
  });
  const head = [' Layer (type)', 'Output Shape', 'Param #'];
  if (opts.connected) head.push('Connected to');
  const stops = columns(cells.length ? cells : [head]);
  const width = stops[stops.length - 1]!;
  const lines = [`Model: "${name}"`, '_'.repeat(width), row(head, stops), '='.repeat(width)];
  cells.forEach((c, i) => {
    lines.push(row(c, stops));
    lines.push(i === cells.length - 1 ? '='.repeat(width) : '_'.repeat(width));
  });
  if (cells.length === 0) lines.push('='.repeat(width));
  const weights = [...new Set(rows.flatMap((r) => r.layer.weights))];
  const trainableSet = new Set(rows.flatMap((r) => r.layer.trainableWeights));
  const total = sizeOfWeights(weights);
  const trainable = sizeOfWeights(weights.filter((w) => trainableSet.has(w)));
  lines.push(`Total params: ${total}`, `Trainable params: ${trainable}`, `Non-trainable params: ${total - trainable}`, '_'.repeat(width));
  return lines.join('\n');
}
