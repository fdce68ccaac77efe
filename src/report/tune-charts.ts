/**
 * Charts of the tune report beyond the history (tune-report.ts), as
 * Vega-Lite specs (plain data, so tests can inspect them):
 *
 * - parallel coordinates: one line per trial across the objective and every
 *   parameter (each axis its own scale: the sampling scale of the parameter,
 *   log for log-uniform; categories evenly spaced), complete trials coloured
 *   by the objective, pruned ones dashed grey, the best one cased in black;
 * - parameter importance (fANOVA, src/study/importance.ts): a bar per
 *   parameter with ± one standard deviation over the trees;
 * - best against the baseline: the paired differences on each resample,
 *   their mean and the 95 % confidence interval, and zero.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ImportanceResult } from '../study/importance.js';
import { encodeValue } from '../study/importance.js';
import type { Distribution } from '../study/space.js';
import type { PairedTest } from '../study/stats.js';

const CONFIG = { font: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif', view: { stroke: null }, axis: { labelFontSize: 11, titleFontSize: 12 } };

/** A searched parameter as the report knows it. */
export interface SpaceParam {
  readonly name: string;
  readonly dist: Distribution;
}

/** A trial as the parallel-coordinates chart needs it. */
export interface ParallelTrial {
  readonly number: number;
  readonly state: string;
  readonly params: Readonly<Record<string, number | string>> | null;
  readonly value: number | null;
}

const short = (v: number): string => {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e-3 && a < 1e5 ? String(Number(v.toPrecision(3))) : v.toExponential(1).replace('e-', 'e−');
};

/** Position of a value on its parameter's axis, in [0, 1]. */
function position(d: Distribution, v: number | string): number {
  if (d.type === 'choice') return d.values.length > 1 ? d.values.indexOf(v) / (d.values.length - 1) : 0.5;
  return encodeValue(d, v);
}

/** Tick labels of a parameter's axis: each category, or low, middle and high in the sampling scale. */
function ticks(d: Distribution): { pos: number; label: string }[] {
  if (d.type === 'choice') return d.values.map((v) => ({ pos: position(d, v), label: String(v) }));
  const mid = d.type === 'loguniform' ? Math.sqrt(d.low * d.high) : (d.low + d.high) / 2;
  const vals = d.type === 'int' ? [d.low, Math.round(mid), d.high] : [d.low, mid, d.high];
  return vals.filter((v, i) => vals.indexOf(v) === i).map((v) => ({ pos: position(d, v), label: short(v) }));
}

/** Parallel coordinates of the finished trials (see the file header). */
export function parallelSpec(trials: readonly ParallelTrial[], space: readonly SpaceParam[], objective: string, best: number | null): TopLevelSpec {
  const shown = trials.filter((t) => (t.state === 'complete' || t.state === 'pruned') && t.params !== null && t.value !== null && Number.isFinite(t.value) && space.every((p) => t.params![p.name] !== undefined));
  const values = shown.map((t) => t.value!);
  const lo = values.length ? values.reduce((a, b) => Math.min(a, b)) : 0;
  const hi = values.length ? values.reduce((a, b) => Math.max(a, b)) : 1;
  const axes = [objective, ...space.map((p) => p.name)];
  const objPos = (v: number): number => (hi > lo ? (v - lo) / (hi - lo) : 0.5);
  const points = shown.flatMap((t) => [
    { trial: `#${t.number}`, axis: objective, k: 0, pos: objPos(t.value!), value: t.value!, state: t.state, best: t.number === best },
    ...space.map((p, i) => ({ trial: `#${t.number}`, axis: p.name, k: i + 1, pos: position(p.dist, t.params![p.name]!), value: t.value!, state: t.state, best: t.number === best })),
  ]);
  const tickRows = [
    ...(hi > lo ? [{ axis: objective, pos: 0, label: short(lo) }, { axis: objective, pos: 1, label: short(hi) }] : [{ axis: objective, pos: 0.5, label: short(lo) }]),
    ...space.flatMap((p) => ticks(p.dist).map((t) => ({ axis: p.name, ...t }))),
  ];
  const x = { field: 'axis', type: 'nominal', sort: axes, scale: { type: 'point', padding: 0.3 }, title: null, axis: { orient: 'bottom', labelAngle: 0, labelFontSize: 12, labelFontWeight: 'bold', domain: false, ticks: false } };
  const y = { field: 'pos', type: 'quantitative', scale: { domain: [0, 1], nice: false }, axis: null };
  const line = (filter: (p: (typeof points)[number]) => boolean, mark: Record<string, unknown>, color?: Record<string, unknown>): Record<string, unknown> => ({
    data: { values: points.filter(filter) },
    mark: { type: 'line', ...mark },
    encoding: { x, y, detail: { field: 'trial', type: 'nominal' }, order: { field: 'k', type: 'quantitative' }, ...(color ? { color } : {}) },
  });
  return {
    config: CONFIG,
    width: Math.max(360, 140 * axes.length),
    height: 260,
    layer: [
      { data: { values: axes.map((a) => ({ axis: a })) }, mark: { type: 'rule', color: '#888', strokeWidth: 1 }, encoding: { x, y: { datum: 0, type: 'quantitative', scale: { domain: [0, 1] }, axis: null }, y2: { datum: 1 } } },
      line((p) => p.state === 'pruned', { strokeWidth: 1, strokeDash: [4, 3], color: '#aaaaaa', opacity: 0.8 }),
      // The best trial: a black casing under its coloured line.
      line((p) => p.best, { strokeWidth: 5, color: '#000000' }),
      line((p) => p.state === 'complete', { strokeWidth: 1.5, opacity: 0.85 }, { field: 'value', type: 'quantitative', title: objective, scale: { scheme: 'viridis' }, legend: { orient: 'right', gradientLength: 160 } }),
      // The tick labels, over a white halo so the lines do not hide them.
      { data: { values: tickRows }, mark: { type: 'text', align: 'left', dx: 5, fontSize: 10, color: '#ffffff', stroke: '#ffffff', strokeWidth: 3, strokeJoin: 'round' }, encoding: { x, y, text: { field: 'label', type: 'nominal' } } },
      { data: { values: tickRows }, mark: { type: 'text', align: 'left', dx: 5, fontSize: 10, color: '#333333' }, encoding: { x, y, text: { field: 'label', type: 'nominal' } } },
    ],
  } as unknown as TopLevelSpec;
}

/** Importance bars (mean ± std over the trees), most important first. */
export function importanceSpec(imp: ImportanceResult): TopLevelSpec {
  const values = imp.params.map((p) => ({ param: p.name, importance: p.importance, lo: Math.max(0, p.importance - p.std), hi: Math.min(1, p.importance + p.std) }));
  const y = { field: 'param', type: 'nominal', title: null, sort: [...values].sort((a, b) => b.importance - a.importance).map((v) => v.param), axis: { labelFontSize: 12 } };
  const x = { field: 'importance', type: 'quantitative', title: 'share of the objective’s variance (fANOVA)', scale: { domain: [0, 1] } };
  return {
    config: CONFIG,
    width: 460,
    height: Math.max(60, 28 * values.length),
    data: { values },
    layer: [
      { mark: { type: 'bar', color: '#4c78a8', height: { band: 0.7 } }, encoding: { x, y } },
      { mark: { type: 'rule', color: '#333' }, encoding: { y, x: { field: 'lo', type: 'quantitative' }, x2: { field: 'hi' } } },
      { mark: { type: 'text', align: 'left', dx: 4, dy: -8, fontSize: 10 }, encoding: { y, x: { field: 'hi', type: 'quantitative' }, text: { field: 'importance', type: 'quantitative', format: '.2f' } } },
    ],
  } as TopLevelSpec;
}

/** The paired differences (best − baseline) per resample, their mean and 95 % interval, against zero. */
export function baselineSpec(diffs: readonly number[], t: Pick<PairedTest, 'mean' | 'ci'>, label: string): TopLevelSpec {
  // Symmetric around 0, so "no difference" sits in the middle and is a labelled tick.
  const raw = [...diffs, t.ci[0], t.ci[1]].reduce((m, v) => Math.max(m, Math.abs(v)), 0) * 1.1 || 1;
  const unit = 10 ** (Math.floor(Math.log10(raw)) - 1);
  const reach = Number((Math.ceil(raw / unit) * unit).toPrecision(2));
  const x = { field: 'd', type: 'quantitative', title: label, scale: { domain: [-reach, reach], nice: false }, axis: { values: [-reach, -reach / 2, 0, reach / 2, reach], labelExpr: "(datum.value > 0 ? '+' : '') + format(datum.value, '.2~r')" } };
  return {
    config: CONFIG,
    width: 520,
    height: 70,
    layer: [
      { data: { values: [{ d: 0 }] }, mark: { type: 'rule', color: '#d62728', strokeDash: [4, 3] }, encoding: { x } },
      { data: { values: diffs.map((d) => ({ d })) }, mark: { type: 'tick', color: '#999', thickness: 1.5, size: 26 }, encoding: { x } },
      { data: { values: [{ d: t.ci[0], d2: t.ci[1] }] }, mark: { type: 'rule', color: '#1f77b4', strokeWidth: 4 }, encoding: { x, x2: { field: 'd2' } } },
      { data: { values: [{ d: t.mean }] }, mark: { type: 'point', filled: true, color: '#000', size: 90 }, encoding: { x } },
    ],
  } as TopLevelSpec;
}
