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

/** Column stops: 29 / 55 / 65 as TF.js, widened when a name or shape is longer. */
function columns(cells: readonly string[][]): number[] {
  const c1 = Math.max(29, ...cells.map((r) => r[0]!.length + 1));
  const c2 = Math.max(26, ...cells.map((r) => r[1]!.length + 1));
  return [c1, c1 + c2, c1 + c2 + 10];
}

function row(cells: readonly string[], stops: readonly number[]): string {
  let line = '';
  cells.forEach((c, i) => {
    line = (line + c).padEnd(stops[i]!);
  });
  return line.trimEnd();
}

const sizeOfWeights = (ws: readonly { size: number }[]): number => ws.reduce((s, w) => s + w.size, 0);

/** The summary text for a built list of layers with their output shapes (InputLayer rows omitted, as Keras). */
export function summaryText(name: string, layers: readonly Layer[], outputShapes: readonly Shape[]): string {
  const shown = layers.map((l, i) => ({ l, shape: outputShapes[i]! })).filter(({ l }) => l.className !== 'InputLayer');
  const cells = shown.map(({ l, shape }) => [` ${l.name} (${l.className})`, formatShape(shape), String(l.countParams())]);
  const stops = columns(cells);
  const width = stops[2]!;
  const lines = [`Model: "${name}"`, '_'.repeat(width), row([' Layer (type)', 'Output Shape', 'Param #'], stops), '='.repeat(width)];
  cells.forEach((c, i) => {
    lines.push(row(c, stops));
    lines.push(i === cells.length - 1 ? '='.repeat(width) : '_'.repeat(width));
  });
  if (cells.length === 0) lines.push('='.repeat(width));
  const total = layers.reduce((s, l) => s + l.countParams(), 0);
  const trainable = layers.reduce((s, l) => s + sizeOfWeights(l.trainableWeights), 0);
  lines.push(`Total params: ${total}`, `Trainable params: ${trainable}`, `Non-trainable params: ${total - trainable}`, '_'.repeat(width));
  return lines.join('\n');
}
