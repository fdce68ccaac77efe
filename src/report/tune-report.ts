/**
 * The report of a `regula tune` study: one self-contained HTML page (inline
 * CSS and SVG, no script, nothing fetched), the charts Vega-Lite specs
 * rendered headless like the other reports:
 *
 * - optimization history: each finished trial's value by trial number (complete
 *   and pruned marked apart) and the best value so far;
 * - intermediate values: the objective per epoch of every trial, the last
 *   point of a pruned trial marked with a cross;
 * - parallel coordinates and parameter importance (fANOVA), tune-charts.ts;
 * - the best configuration with the `regula train` command that reproduces
 *   it, and its paired difference to the baseline (no regularization) over
 *   r × k resamples with the 95 % interval of the corrected resampled t-test;
 * - the trial table and the study settings.
 *
 * The study is embedded as JSON (`script#regula-tune-data`) for tools.
 */
import { writeTextFileAtomic } from '../io/fs.js';
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import type { ImportanceResult } from '../study/importance.js';
import type { PairedTest } from '../study/stats.js';
import { renderSvg } from './charts.js';
import { escapeHtml } from './html.js';
import { baselineSpec, importanceSpec, parallelSpec, type SpaceParam } from './tune-charts.js';

/** One trial as the report shows it. */
export interface TuneTrialRow {
  readonly number: number;
  readonly state: 'running' | 'complete' | 'pruned' | 'failed';
  readonly params: Readonly<Record<string, number | string>> | null;
  readonly value: number | null;
  readonly epochs: number;
  /** [epoch, value] pairs in epoch order. */
  readonly intermediate: readonly (readonly [number, number])[];
}

/** The best configuration re-scored against the baseline on the same resamples. */
export interface BaselineComparison {
  /** What the baseline is (e.g. `no regularization (optimizer=sgd)`). */
  readonly baseline: string;
  /** How the resamples were made (e.g. `2 × 5-fold cross-validation of 1138 rows`). */
  readonly resampling: string;
  /** The objective of the best configuration and of the baseline on each resample, in the same order. */
  readonly best: readonly number[];
  readonly base: readonly number[];
  /** The corrected resampled t-test of best − baseline. */
  readonly test: PairedTest;
}

/** Everything the tune report shows. */
export interface TuneReportData {
  readonly title: string;
  readonly dataset: string;
  readonly objective: string;
  readonly direction: 'minimize' | 'maximize';
  readonly settings: Readonly<Record<string, string | number>>;
  readonly trials: readonly TuneTrialRow[];
  /** The best complete trial's number, or null. */
  readonly best: number | null;
  /** The command reproducing the best configuration. */
  readonly command: string | null;
  /** The text table the CLI printed. */
  readonly table: string;
  /** The searched parameters (for the parallel-coordinates axes). */
  readonly space?: readonly SpaceParam[];
  /** fANOVA importance of the parameters (null: not computed). */
  readonly importance?: ImportanceResult | null;
  /** The best configuration against the baseline (null: not re-scored). */
  readonly versusBaseline?: BaselineComparison | null;
}

const CONFIG = { font: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif', view: { stroke: '#ddd' }, axis: { labelFontSize: 11, titleFontSize: 12 } };
const STATE_SCALE = { domain: ['complete', 'pruned', 'best so far'], range: ['#1f77b4', '#d62728', '#2ca02c'] };

/** Optimization history: trial values (complete / pruned) and the best-so-far line. */
export function historySpec(d: TuneReportData): TopLevelSpec {
  const pts = d.trials.filter((t) => (t.state === 'complete' || t.state === 'pruned') && t.value !== null && Number.isFinite(t.value)).map((t) => ({ trial: t.number, value: t.value!, state: t.state }));
  const better = (a: number, b: number): boolean => (d.direction === 'minimize' ? a < b : a > b);
  const bestLine: { trial: number; value: number; state: string }[] = [];
  let best: number | undefined;
  for (const t of d.trials) {
    if (t.state !== 'complete' || t.value === null || !Number.isFinite(t.value)) continue;
    if (best === undefined || better(t.value, best)) best = t.value;
    bestLine.push({ trial: t.number, value: best, state: 'best so far' });
  }
  const x = { field: 'trial', type: 'quantitative', title: 'trial', axis: { tickMinStep: 1 } };
  const y = { field: 'value', type: 'quantitative', title: d.objective, scale: { zero: false } };
  const color = { field: 'state', type: 'nominal', scale: STATE_SCALE, title: null };
  return {
    config: CONFIG,
    width: 520,
    height: 220,
    layer: [
      { data: { values: pts.filter((p) => p.state === 'complete') }, mark: { type: 'point', filled: true, size: 50, shape: 'circle' }, encoding: { x, y, color } },
      { data: { values: pts.filter((p) => p.state === 'pruned') }, mark: { type: 'point', filled: true, size: 60, shape: 'cross' }, encoding: { x, y, color } },
      { data: { values: bestLine }, mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.5 }, encoding: { x, y, color } },
    ],
  } as TopLevelSpec;
}

const LINE_COLORS: Record<string, string> = { complete: '#1f77b4', pruned: '#d62728', running: '#999999', failed: '#7f7f7f' };

/** The colour scale of the trial states present (so the legend lists only those). */
function stateScale(states: readonly string[]): { domain: string[]; range: string[] } {
  const domain = Object.keys(LINE_COLORS).filter((s) => states.includes(s));
  return { domain, range: domain.map((s) => LINE_COLORS[s]!) };
}

/** Intermediate values per epoch, one line per trial; a cross at the epoch where a pruned trial stopped. */
export function intermediateSpec(d: TuneReportData): TopLevelSpec {
  const lines = d.trials.flatMap((t) => t.intermediate.filter(([, v]) => Number.isFinite(v)).map(([epoch, value]) => ({ trial: `#${t.number}`, epoch, value, state: t.state })));
  const stops = d.trials
    .filter((t) => t.state === 'pruned' && t.intermediate.length > 0)
    .map((t) => {
      const [epoch, value] = t.intermediate[t.intermediate.length - 1]!;
      return { trial: `#${t.number}`, epoch, value, state: 'pruned' };
    });
  const x = { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1 } };
  const y = { field: 'value', type: 'quantitative', title: d.objective, scale: { zero: false } };
  return {
    config: CONFIG,
    width: 520,
    height: 240,
    layer: [
      {
        data: { values: lines },
        mark: { type: 'line', strokeWidth: 1, opacity: 0.7 },
        encoding: { x, y, detail: { field: 'trial', type: 'nominal' }, color: { field: 'state', type: 'nominal', scale: stateScale(lines.map((l) => l.state)), title: null } },
      },
      { data: { values: stops }, mark: { type: 'point', shape: 'cross', size: 60, color: '#d62728', filled: true }, encoding: { x, y } },
    ],
  } as TopLevelSpec;
}

const CSS = `body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;color:#222;line-height:1.4}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd}.note{color:#555;font-size:.9rem}
table{border-collapse:collapse;font-size:.9rem}th,td{border:1px solid #ddd;padding:.25rem .6rem;text-align:left}th{background:#f4f4f4}
pre{background:#f4f4f4;padding:.6rem;overflow-x:auto}code{background:#f4f4f4;padding:0 .2rem}svg{max-width:100%;height:auto}pre.command{white-space:pre-wrap;overflow-wrap:anywhere}h3{font-size:1.05rem;margin-top:1.2rem}.significant{color:#2ca02c}.not-significant{color:#555}`;

/** Renders the tune report as one HTML page. */
export async function renderTuneReport(d: TuneReportData): Promise<string> {
  const best = d.best !== null ? d.trials.find((t) => t.number === d.best) : undefined;
  const bestRows = best?.params ? Object.entries(best.params).map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td>${escapeHtml(String(v))}</td></tr>`).join('') : '';
  const bestSection = best
    ? `<section id="best"><h2>Best configuration</h2><p>Trial #${best.number}: ${escapeHtml(d.objective)} = ${best.value === null ? '—' : Number(best.value.toPrecision(4))} after ${best.epochs} epochs.</p>
<table class="best"><thead><tr><th>parameter</th><th>value</th></tr></thead><tbody>${bestRows}</tbody></table>
${d.command ? `<p>Reproduce it:</p><pre class="command"><code>${escapeHtml(d.command)}</code></pre>` : ''}${await baselineSection(d)}</section>`
    : '<section id="best"><h2>Best configuration</h2><p>No trial completed.</p></section>';
  const settings = Object.entries(d.settings).map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td>${escapeHtml(String(v))}</td></tr>`).join('');
  const json = JSON.stringify(d).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(d.title)}</title><style>${CSS}</style></head>
<body><header><h1>${escapeHtml(d.title)}</h1><p class="note">Dataset <strong>${escapeHtml(d.dataset)}</strong> · objective ${escapeHtml(d.objective)} (${d.direction})</p></header>
<main>
${bestSection}
<section id="history"><h2>Optimization history</h2><p class="note">Each finished trial's ${escapeHtml(d.objective)} (pruned trials: their last reported value, marked ×) and the best complete value so far.</p>
<figure class="history-chart">${await renderSvg(historySpec(d))}</figure></section>
<section id="intermediate"><h2>Intermediate values</h2><p class="note">${escapeHtml(d.objective)} after each epoch, one line per trial; × marks where the pruner stopped a trial.</p>
<figure class="intermediate-chart">${await renderSvg(intermediateSpec(d))}</figure></section>
${await parallelSection(d)}
${await importanceSection(d)}
<section id="trials"><h2>Trials</h2><pre>${escapeHtml(d.table)}</pre></section>
<section id="config"><h2>Study settings</h2><table class="config"><tbody>${settings}</tbody></table></section>
</main><footer class="note">Generated by Regula.</footer>
<script type="application/json" id="regula-tune-data">${json}</script>
</body></html>
`;
}

const signed = (v: number): string => `${v > 0 ? '+' : v < 0 ? '−' : ''}${Number(Math.abs(v).toPrecision(3))}`;

/** The best configuration against the baseline: the interval, the verdict and the chart. */
async function baselineSection(d: TuneReportData): Promise<string> {
  const b = d.versusBaseline;
  if (!b) return '';
  const { mean, ci, p, significant } = b.test;
  const better = d.direction === 'maximize' ? mean > 0 : mean < 0;
  const verdict = significant ? (better ? 'the best configuration is significantly better than the baseline' : 'the baseline is significantly better than the best configuration') : 'the difference is within resampling noise: not significant at 95 %';
  const diffs = b.best.map((v, i) => v - b.base[i]!);
  const label = `${d.objective}: best − baseline`;
  return `<h3 id="baseline">Against the baseline</h3>
<p>Re-scored on the same ${escapeHtml(b.resampling)}: the best configuration and the baseline, ${escapeHtml(b.baseline)}, trained on the same splits with the same seed.
Mean paired difference <strong>${signed(mean)}</strong> ${escapeHtml(d.objective)}, 95 % CI [${signed(ci[0])}, ${signed(ci[1])}], p = ${Number(p.toPrecision(2))} (corrected resampled t-test, Nadeau &amp; Bengio 2003): <strong class="${significant ? 'significant' : 'not-significant'}">${verdict}</strong>.</p>
<figure class="baseline-chart">${await renderSvg(baselineSpec(diffs, b.test, label))}</figure>
<p class="note">Grey ticks: the difference on each resample; black dot: their mean; blue bar: the 95 % confidence interval; dashed red: no difference.</p>`;
}

/** Parallel coordinates of the trials over the objective and the parameters. */
async function parallelSection(d: TuneReportData): Promise<string> {
  if (!d.space || d.space.length === 0) return '';
  return `<section id="parallel"><h2>Parallel coordinates</h2><p class="note">One line per trial across ${escapeHtml(d.objective)} and each parameter (log scale for log-uniform ones). Complete trials are coloured by ${escapeHtml(d.objective)}; pruned trials are dashed grey (their last reported value); the best trial is outlined in black.</p>
<figure class="parallel-chart">${await renderSvg(parallelSpec(d.trials, d.space, d.objective, d.best))}</figure></section>`;
}

/** Fewer complete trials than this make the importance rough (said on the page). */
const ROUGH = 10;

/** fANOVA parameter importance. */
async function importanceSection(d: TuneReportData): Promise<string> {
  const imp = d.importance;
  if (!imp) return '';
  const head = '<section id="importance"><h2>Parameter importance</h2>';
  if (imp.trees === 0) return `${head}<p>Not computed: it needs at least 2 complete trials with different values (${imp.trials} complete).</p></section>`;
  return `${head}<p class="note">fANOVA (Hutter, Hoos &amp; Leyton-Brown 2014; docs/semantics.md §15.1): the share of the variance of ${escapeHtml(d.objective)} over the search space that each parameter explains alone, from a random forest of ${imp.trees} regression trees fit to the ${imp.trials} complete trials; bars ± one standard deviation over the trees. Interactions of parameters explain the remaining ${Number(imp.interactions.toFixed(2))}.${imp.trials < ROUGH ? ` <strong>Rough: only ${imp.trials} complete trials</strong> (pruned trials are left out); read the bars' spread, not their order.` : ''}</p>
<figure class="importance-chart">${await renderSvg(importanceSpec(imp))}</figure></section>`;
}

/** Writes the report to `dir/index.html`, atomically (src/io/fs.ts). */
export async function writeTuneReport(dir: string, d: TuneReportData): Promise<string> {
  const path = join(dir, 'index.html');
  await writeTextFileAtomic(path, await renderTuneReport(d));
  return path;
}
