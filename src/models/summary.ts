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

const WIDTH = 65;
const COLUMNS = [29, 55, WIDTH];

function row(cells: readonly string[]): string {
  let line = '';
  cells.forEach((c, i) => {
    line += c;
    const stop = COLUMNS[i]!;
    line = line.length < stop ? line.padEnd(stop) : `${line} `;
  });
  return line.trimEnd();
}

const sizeOfWeights = (ws: readonly { size: number }[]): number => ws.reduce((s, w) => s + w.size, 0);

/** The summary text for a built list of layers with their output shapes. */
export function summaryText(name: string, layers: readonly Layer[], outputShapes: readonly Shape[]): string {
  const lines = [`Model: "${name}"`, '_'.repeat(WIDTH), row([' Layer (type)', 'Output Shape', 'Param #']), '='.repeat(WIDTH)];
  layers.forEach((l, i) => {
    lines.push(row([` ${l.name} (${l.className})`, formatShape(outputShapes[i]!), String(l.countParams())]));
    lines.push(i === layers.length - 1 ? '='.repeat(WIDTH) : '_'.repeat(WIDTH));
  });
  if (layers.length === 0) lines.push('='.repeat(WIDTH));
  const total = layers.reduce((s, l) => s + l.countParams(), 0);
  const trainable = layers.reduce((s, l) => s + sizeOfWeights(l.trainableWeights), 0);
  lines.push(`Total params: ${total}`, `Trainable params: ${trainable}`, `Non-trainable params: ${total - trainable}`, '_'.repeat(WIDTH));
  return lines.join('\n');
}
