/**
 * The report's charts as Vega-Lite specs, rendered to standalone SVG strings
 * in Node by `vega` (renderer `none`: no canvas, no DOM, no network). The
 * specs are plain data so tests can inspect them.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { ComparisonRow, RunReport } from './report-data.js';

const SERIES_COLORS: Record<string, string> = { train: '#1f77b4', validation: '#ff7f0e', 'best epoch': '#2ca02c', stopped: '#d62728' };

/** One colour scale for lines and rules, listing only the series present (so the legend does too). */
function colorScale(series: readonly string[]): { domain: string[]; range: string[] } {
  const domain = Object.keys(SERIES_COLORS).filter((s) => series.includes(s));
  return { domain, range: domain.map((s) => SERIES_COLORS[s]!) };
}
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const CONFIG = { font: FONT, view: { stroke: '#ddd' }, axis: { labelFontSize: 11, titleFontSize: 12 } };

interface CurvePoint {
  epoch: number;
  value: number;
  series: string;
}

/** Points of one history key pair (`key`, `val_key`), dropping non-finite values. */
function curvePoints(run: RunReport, key: string): CurvePoint[] {
  const points: CurvePoint[] = [];
  for (const [series, k] of [['train', key], ['validation', `val_${key}`]] as const) {
    (run.history[k] ?? []).forEach((value, i) => {
      if (Number.isFinite(value)) points.push({ epoch: i + 1, value, series });
    });
  }
  return points;
}

/** Vertical rules at the best and stopped epochs. */
function markers(run: RunReport): { epoch: number; series: string }[] {
  const m: { epoch: number; series: string }[] = [];
  if (run.bestEpoch != null) m.push({ epoch: run.bestEpoch, series: 'best epoch' });
  if (run.stoppedEpoch != null) m.push({ epoch: run.stoppedEpoch, series: 'stopped' });
  return m;
}

/**
 * Learning curves of one run: a panel per key (`loss`, then the metric), train
 * vs validation lines, with dashed rules at the best and stopped epochs.
 */
export function learningCurveSpec(run: RunReport, metric: string): TopLevelSpec {
  const keys = ['loss', metric].filter((k, i, a) => a.indexOf(k) === i && curvePoints(run, k).length > 0);
  const rules = markers(run);
  const present = [...keys.flatMap((k) => curvePoints(run, k).map((p) => p.series)), ...rules.map((r) => r.series)];
  const COLOR_SCALE = colorScale(present);
  const panels = keys.map((key) => ({
    width: 300,
    height: 180,
    title: { text: key, fontSize: 12, anchor: 'start' as const },
    layer: [
      {
        data: { values: curvePoints(run, key) },
        mark: { type: 'line' as const, strokeWidth: 1.5 },
        encoding: {
          x: { field: 'epoch', type: 'quantitative' as const, title: 'epoch', axis: { tickMinStep: 1 } },
          y: { field: 'value', type: 'quantitative' as const, title: key, scale: { zero: false } },
          color: { field: 'series', type: 'nominal' as const, scale: COLOR_SCALE, title: null },
        },
      },
      ...(rules.length
        ? [
            {
              data: { values: rules },
              mark: { type: 'rule' as const, strokeDash: [5, 3], strokeWidth: 1.5 },
              encoding: {
                x: { field: 'epoch', type: 'quantitative' as const },
                color: { field: 'series', type: 'nominal' as const, scale: COLOR_SCALE, title: null },
              },
            },
          ]
        : []),
    ],
  }));
  return {
    config: CONFIG,
    hconcat: panels.length ? panels : [{ data: { values: [] }, mark: 'point' }],
    resolve: { scale: { color: 'shared' } },
  } as TopLevelSpec;
}

/** Bar chart of the generalization gap of each run, in run order. */
export function gapChartSpec(runs: readonly RunReport[], metric: string): TopLevelSpec {
  const values = runs.map((r) => ({ regime: r.name, gap: Number.isFinite(r.gap) ? r.gap : 0 }));
  return {
    config: CONFIG,
    width: Math.max(240, 60 * runs.length),
    height: 200,
    data: { values },
    layer: [
      {
        mark: { type: 'bar', color: '#4c78a8' },
        encoding: {
          x: { field: 'regime', type: 'nominal', sort: null, title: 'regime', axis: { labelAngle: -30, labelLimit: 400 } },
          y: { field: 'gap', type: 'quantitative', title: `generalization gap (${metric})` },
        },
      },
      {
        mark: { type: 'text', dy: -6, fontSize: 10 },
        encoding: {
          x: { field: 'regime', type: 'nominal', sort: null },
          y: { field: 'gap', type: 'quantitative' },
          text: { field: 'gap', type: 'quantitative', format: '.3f' },
        },
      },
    ],
  } as TopLevelSpec;
}

/** Bar chart of a comparison grid: mean per cell with ±std error bars, in rank order. */
export function comparisonSpec(rows: readonly ComparisonRow[], metric: string): TopLevelSpec {
  const values = [...rows]
    .sort((a, b) => a.rank - b.rank)
    .map((r) => ({ cell: r.cell, mean: r.mean, lo: r.mean - r.std, hi: r.mean + r.std }));
  const x = { field: 'cell', type: 'nominal', sort: null, title: 'cell (best first)', axis: { labelAngle: -30, labelLimit: 400 } };
  return {
    config: CONFIG,
    width: Math.max(240, 50 * rows.length),
    height: 200,
    data: { values },
    layer: [
      { mark: { type: 'bar', color: '#72b7b2' }, encoding: { x, y: { field: 'mean', type: 'quantitative', title: `${metric} (mean ± std)` } } },
      { mark: { type: 'rule', color: '#333' }, encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } } },
    ],
  } as TopLevelSpec;
}

/** Compiles a Vega-Lite spec and renders it to an SVG string, headless. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none', logLevel: vega.Error });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
