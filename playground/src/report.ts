/**
 * The HTML report of a playground run (and the pinned one), rendered by the
 * library's own report code (src/report/html.ts: self-contained HTML, Vega
 * charts as inline SVG). Loaded on demand: Vega stays out of the page until
 * a report is asked for.
 */
import { renderReport } from '../../src/report/html.js';
import type { ReportData, RunReport } from '../../src/report/report-data.js';
import { gap, latest, type ScoredRun } from './outputs.js';
import type { DataInfo } from './protocol.js';
import { stateToQuery, type PlaygroundState } from './state.js';

function runReport(name: string, run: ScoredRun, task: string): RunReport {
  const s = latest(run);
  const part = (prefix: string): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const k of ['loss', run.metric]) if (s[`${prefix}${k}`] !== undefined) out[k] = s[`${prefix}${k}`]!;
    return out;
  };
  const val = run.history['val_loss'];
  let best: number | null = null;
  if (val?.length) best = val.indexOf(Math.min(...val.slice(0, 10000))) + 1; // spread-ok: at most 10000 epochs
  const history: Record<string, number[]> = {};
  for (const [k, v] of Object.entries(run.history)) if (!k.startsWith('test_')) history[k] = v;
  return {
    name,
    history,
    bestEpoch: best,
    train: part(''),
    validation: part('val_'),
    test: part('test_'),
    gap: gap(run, task) ?? Number.NaN,
    epochsRun: run.history['loss']?.length ?? 0,
    seconds: 0,
  };
}

export async function reportHtml(state: PlaygroundState, info: DataInfo, current: ScoredRun, pinned: ScoredRun | null): Promise<string> {
  const runs = [runReport(current.label || 'this run', current, info.task)];
  if (pinned) runs.push(runReport(pinned.label === current.label ? `pinned: ${pinned.label}` : pinned.label || 'pinned', pinned, info.task));
  const data: ReportData = {
    title: `Regula Playground: ${info.name}`,
    dataset: info.name,
    seed: state.seed,
    task: info.task,
    metric: current.metric,
    higherIsBetter: current.metric !== 'mae',
    config: { link: `?${stateToQuery(state)}`, hidden: state.hidden.join(','), activation: state.activation, optimizer: state.optimizer, lr: state.lr, batchSize: state.batchSize },
    runs,
  };
  return renderReport(data);
}
