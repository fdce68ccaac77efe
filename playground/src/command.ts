/**
 * The `regula train …` command that repeats a playground run from the
 * command line: the data (the embedded set, or the CSV the page trained on —
 * for the 2-D sets, the generated points, downloadable), the network as the
 * downloaded model.json (`--model` takes its topology, regularizers,
 * constraints and noise layers included), and the training flags.
 */
import { isToy, type PlaygroundState } from './state.js';

export function trainCommand(s: PlaygroundState, csvName: string, target: string): string {
  // The page runs the SIMD kernels; pinning them makes the command repeat its bits on any engine
  // (where Node validates relaxed SIMD, `auto` would pick the fused multiply-add build).
  const parts = ['REGULA_WASM_MODULE=simd regula train'];
  if (isToy(s.data) || s.data === 'csv') parts.push(`--data ${quote(csvName)} --target ${quote(target)}`);
  else parts.push(`--dataset ${s.data}`);
  parts.push('--model model.json');
  parts.push(`--optimizer ${s.optimizer} --lr ${s.lr} --batch-size ${s.batchSize} --epochs ${s.epochs} --seed ${s.seed}`);
  parts.push(`--validation-split ${s.validationSplit} --test-split ${s.testSplit}`);
  if (s.patience > 0) parts.push(`--early-stopping ${s.patience}`);
  parts.push('--out playground-model');
  const notes: string[] = [];
  if (s.weightDecay > 0) notes.push(`# weight decay ${s.weightDecay} has no train flag: the command trains without it`);
  if (s.patience > 0 && !s.restoreBest) notes.push('# regula train always restores the best weights when it stops early');
  return [parts.join(' \\\n  '), ...notes].join('\n');
}

function quote(v: string): string {
  return /^[\w./-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`;
}
