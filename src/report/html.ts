/**
 * The generalization report: one self-contained HTML file (inline CSS and
 * SVG, no script, font or image from anywhere), so it opens offline from a
 * CI artifact or an e-mail. All text from the data is HTML-escaped.
 *
 * Sections: summary table (the numbers the CLI prints), gap chart, optional
 * comparison grid, one learning-curve figure per run (`figure.learning-curve`),
 * per-layer weight norms and penalties, configuration and seed. The input
 * data are embedded as JSON (`script#regula-report-data`, not executable) so
 * tools can read the numbers back.
 */
import { comparisonSpec, gapChartSpec, learningCurveSpec, renderSvg } from './charts.js';
import { comparisonTable, formatEpoch, formatNumber, summaryTable, type ReportData, type SummaryTable } from './report-data.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function table(t: SummaryTable, cls: string): string {
  const head = t.header.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = t.rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n');
  return `<table class="${cls}"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function showValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  return JSON.stringify(v) ?? String(v);
}

function layerSection(data: ReportData): string {
  const rows = data.runs.flatMap((r) =>
    (r.layers ?? []).map((l) => [r.name, l.layer, formatNumber(l.weightNorms.max), formatNumber(l.weightNorms.mean), formatNumber(l.penalty, 6), l.regularization ?? '']),
  );
  if (rows.length === 0) return '';
  const t = { header: ['regime', 'layer', 'max unit norm', 'mean unit norm', 'penalty', 'regularization'], rows };
  return `<section id="layers"><h2>Per-layer weight norms and penalties</h2>
<p class="note">Norm of each unit's incoming weight vector (what a max-norm constraint bounds) and the penalty the layer adds to the loss.</p>
${table(t, 'layers')}</section>`;
}

function configSection(data: ReportData): string {
  const rows = [['dataset', data.dataset], ['seed', String(data.seed)], ['task', data.task], ['metric', data.metric]].concat(
    Object.entries(data.config).map(([k, v]) => [k, showValue(v)]),
  );
  const command = data.command ? `<p>Command: <code>${escapeHtml(data.command)}</code></p>` : '';
  return `<section id="config"><h2>Configuration</h2>${command}${table({ header: ['setting', 'value'], rows }, 'config')}</section>`;
}

async function curvesSection(data: ReportData): Promise<string> {
  const figures: string[] = [];
  for (const run of data.runs) {
    const svg = await renderSvg(learningCurveSpec(run, data.metric));
    const marks = [
      run.bestEpoch != null ? `best epoch ${formatEpoch(run.bestEpoch)}` : '',
      run.stoppedEpoch != null ? `stopped at epoch ${formatEpoch(run.stoppedEpoch)}` : '',
      `${run.epochsRun} epochs`,
    ].filter(Boolean);
    figures.push(`<figure class="learning-curve" data-run="${escapeHtml(run.name)}">
<figcaption><strong>${escapeHtml(run.name)}</strong> — ${escapeHtml(marks.join(', '))}</figcaption>
${svg}
</figure>`);
  }
  return `<section id="curves"><h2>Learning curves</h2>
<p class="note">Train vs validation loss and ${escapeHtml(data.metric)} per epoch; dashed rules mark the best (restored) epoch and where early stopping ended the run.</p>
${figures.join('\n')}</section>`;
}

/** JSON safe to embed in a `<script type="application/json">` block. */
function embeddedJson(data: ReportData): string {
  return JSON.stringify(data).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

const CSS = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;color:#222;line-height:1.4}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
.meta{color:#555;margin-top:0}.note{color:#555;font-size:.9rem}
table{border-collapse:collapse;font-size:.9rem;margin:.5rem 0;display:block;overflow-x:auto}
th,td{border:1px solid #ddd;padding:.25rem .6rem;text-align:right;white-space:nowrap}
th{background:#f4f4f4}td:first-child,th:first-child{text-align:left}
table.layers td:nth-child(-n+2),table.layers th:nth-child(-n+2),table.layers td:last-child,table.layers th:last-child{text-align:left}
table.config td,table.config th{text-align:left;white-space:normal;word-break:break-word}
figure{margin:1rem 0;overflow-x:auto}figcaption{margin-bottom:.3rem}
svg{max-width:100%;height:auto}code{background:#f4f4f4;padding:0 .2rem}
`;

/**
 * Renders the report as one self-contained HTML page.
 *
 * @example
 * const html = await renderReport({ title: 'demo', dataset: 'digits', seed: 42, task: 'classification',
 *   metric: 'accuracy', config: { epochs: 100 }, runs });
 */
export async function renderReport(data: ReportData): Promise<string> {
  const summary = data.runs.length
    ? `<section id="summary"><h2>Results</h2>
<p class="note">${escapeHtml(data.runsNote ?? `Gap: the generalization gap of ${data.metric} between the training and the held-out test split.`)}</p>
${table(summaryTable(data), 'summary')}</section>
<section id="gap"><h2>Generalization gap</h2><figure class="gap-chart">${await renderSvg(gapChartSpec(data.runs, data.metric))}</figure></section>`
    : '';
  const comparison = data.comparison?.length
    ? `<section id="comparison"><h2>${escapeHtml(data.comparisonTitle ?? 'Comparison grid')}</h2>
${table(comparisonTable(data), 'comparison')}
<figure class="comparison-chart">${await renderSvg(comparisonSpec(data.comparison, data.metric))}</figure></section>`
    : '';
  const curves = data.runs.length ? await curvesSection(data) : '';
  const findings = data.findings?.length ? `<section id="findings"><h2>Findings</h2>\n${data.findings.map((f) => `<p class="finding">${escapeHtml(f)}</p>`).join('\n')}</section>` : '';
  const when = data.generatedAt ? ` · ${escapeHtml(data.generatedAt)}` : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(data.title)}</title>
<style>${CSS}</style>
</head>
<body>
<header><h1>${escapeHtml(data.title)}</h1>
<p class="meta">Dataset <strong>${escapeHtml(data.dataset)}</strong> · seed <strong>${escapeHtml(String(data.seed))}</strong> · ${escapeHtml(data.task)} · metric ${escapeHtml(data.metric)}${when}</p></header>
<main>
${findings}
${comparison}
${summary}
${curves}
${layerSection(data)}
${configSection(data)}
</main>
<footer class="note">Generated by Regula.</footer>
<script type="application/json" id="regula-report-data">${embeddedJson(data)}</script>
</body>
</html>
`;
}
