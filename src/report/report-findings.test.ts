import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeHtml, renderReport } from './html.js';
import { comparisonTable, type ReportData } from './report-data.js';
import { sampleReport } from '../../test/helpers/sample-report.js';

test('a comparison report (demo): findings first, then the comparison with its title, label and * marks, then the runs with their note', async () => {
  const data: ReportData = {
    ...sampleReport(),
    findings: ["significance: no regime beat 'none' on accuracy (95 % corrected resampled t-test); every difference is within resampling noise", 'chosen: l2 <best>'],
    comparisonTitle: 'Regimes against the baseline (2 × 4-fold cross-validation)',
    comparisonLabel: 'regime',
    comparison: [
      { cell: 'none', mean: 0.9, std: 0.01, rank: 2, values: [0.89, 0.91] },
      { cell: 'l2', mean: 0.95, std: 0.01, rank: 1, values: [0.94, 0.96], vsBaseline: { baseline: 'none', mean: 0.05, ci: [0.01, 0.09], p: 0.02, significant: true } },
    ],
    runsNote: 'One run per regime: the first fold.',
  };
  const html = await renderReport(data);
  const at = (s: string): number => html.indexOf(s);
  assert.ok(at('<section id="findings">') >= 0 && at('<section id="findings">') < at('<section id="comparison">') && at('<section id="comparison">') < at('<section id="summary">'));
  assert.ok(html.includes(`<p class="finding">${escapeHtml(data.findings![0]!)}</p>`), 'verdict shown');
  assert.ok(html.includes('<p class="finding">chosen: l2 &lt;best&gt;</p>'), 'escaped');
  assert.ok(html.includes('<h2>Regimes against the baseline (2 × 4-fold cross-validation)</h2>'));
  assert.ok(html.includes('<p class="note">One run per regime: the first fold.</p>'));
  const t = comparisonTable(data);
  assert.deepEqual(t.header, ['rank', 'regime', 'accuracy mean ± std', 'n', 'Δ vs none [95% CI]']);
  assert.deepEqual(t.rows[0], ['1', 'l2', '0.9500 ± 0.0100', '2', '+0.0500 [+0.0100, +0.0900] *']);
  assert.ok(html.includes('<td>+0.0500 [+0.0100, +0.0900] *</td>'));
  // Without the new fields a report is as before.
  const plain = await renderReport(sampleReport());
  assert.ok(!plain.includes('id="findings"'));
  assert.ok(plain.includes('Gap: the generalization gap of'));
});
