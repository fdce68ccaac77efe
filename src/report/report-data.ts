/**
 * The input of the HTML report: plain data (numbers and strings, no tensors),
 * so the CLI, examples and tests can build it from a `History` or by hand.
 * Also the number formatting and the summary table shared by the report and
 * the CLI's printed table, so both show exactly the same strings.
 */

/** Loss and metric values of one data split, e.g. `{loss: 0.31, accuracy: 0.94}`. */
export type MetricSet = Readonly<Record<string, number>>;

/** Per-layer weight statistics of a trained model. */
export interface LayerRow {
  /** Layer name, e.g. `dense_1`. */
  readonly layer: string;
  /** Norm of each unit's incoming weight vector (the quantity max-norm bounds). */
  readonly weightNorms: { readonly max: number; readonly mean: number };
  /** Regularization penalty the layer adds to the loss (0 when none). */
  readonly penalty: number;
  /** Optional description of the layer's regularization, e.g. `l2(1e-4), maxNorm(3)`. */
  readonly regularization?: string;
}

/** One training run (one regularization regime) in the report. */
export interface RunReport {
  /** Regime name, e.g. `none`, `l2`, `dropout`. Unique within a report. */
  readonly name: string;
  /**
   * Per-epoch values (index 0 = epoch 1), Keras `History` style: `loss`,
   * `val_loss`, `<metric>`, `val_<metric>`. Non-finite values are not drawn.
   */
  readonly history: Readonly<Record<string, readonly number[]>>;
  /** 1-based epoch of the best monitored value (the restored checkpoint), if any. */
  readonly bestEpoch?: number | null;
  /** 1-based epoch at which early stopping ended the run, if it did. */
  readonly stoppedEpoch?: number | null;
  readonly train: MetricSet;
  readonly validation?: MetricSet;
  readonly test: MetricSet;
  /** Generalization gap of the report's metric (the caller defines the sign, e.g. train − test accuracy). */
  readonly gap: number;
  readonly epochsRun: number;
  /** Wall-clock training time in seconds. */
  readonly seconds: number;
  readonly layers?: readonly LayerRow[];
}

/** One cell of a `compare` grid, summarized over folds or seeds. */
export interface ComparisonRow {
  /** Cell label, e.g. `l2=1e-4 dropout=0.25`. */
  readonly cell: string;
  /** Mean and standard deviation of the report's metric over folds/seeds. */
  readonly mean: number;
  readonly std: number;
  /** 1 = best. */
  readonly rank: number;
  /** Per-fold (or per-seed) values. */
  readonly values?: readonly number[];
  /**
   * The paired difference to the baseline cell over the same resamples
   * (cell − baseline), with its corrected resampled t-test (src/study/stats.ts).
   */
  readonly vsBaseline?: {
    readonly baseline: string;
    readonly mean: number;
    readonly ci: readonly [number, number];
    readonly p: number;
    readonly significant: boolean;
  };
}

/** Everything the report shows. */
export interface ReportData {
  readonly title: string;
  /** Dataset name or path. */
  readonly dataset: string;
  readonly seed: number;
  readonly task: 'classification' | 'regression';
  /** The metric of the table, gap and curves, e.g. `accuracy` or `mae` (a key of the history). */
  readonly metric: string;
  /** Whether a larger metric is better (accuracy) or worse (mae); used for wording only. */
  readonly higherIsBetter?: boolean;
  /** The run's configuration (CLI flags, model spec …), shown as a table. */
  readonly config: Readonly<Record<string, unknown>>;
  readonly runs: readonly RunReport[];
  readonly comparison?: readonly ComparisonRow[];
  /** What a comparison row is, as the table's column header (default `cell`; the demo's are regimes). */
  readonly comparisonLabel?: string;
  /** Title of the comparison section (default `Comparison grid`). */
  readonly comparisonTitle?: string;
  /** Sentences shown first: what the comparison found (which differences are real), the held-out score of the chosen setting. */
  readonly findings?: readonly string[];
  /** What the runs' table and curves are, when not one training run per regime scored on the held-out test split. */
  readonly runsNote?: string;
  /** The command line that produced the report, shown verbatim. */
  readonly command?: string;
  /** Timestamp text to show; omitted when absent (keeps rendering deterministic). */
  readonly generatedAt?: string;
}

/** Formats a number with fixed decimals; `n/a` for non-finite values, never `-0.0000`. */
export function formatNumber(value: number | undefined | null, digits = 4): string {
  if (value === undefined || value === null || !Number.isFinite(value)) return 'n/a';
  const s = value.toFixed(digits);
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s;
}

/** Formats an epoch number (or `—` when there is none). */
export function formatEpoch(epoch: number | undefined | null): string {
  return epoch === undefined || epoch === null ? '—' : String(epoch);
}

/** The run summary as text cells: the same strings in the CLI table and the report. */
export interface SummaryTable {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/**
 * The summary table of a report: regime, train/validation/test metric, gap,
 * best epoch, epochs run, seconds.
 *
 * @example
 * console.log(formatTextTable(summaryTable(data)));
 */
export function summaryTable(data: ReportData): SummaryTable {
  const m = data.metric;
  const header = ['regime', `train ${m}`, `val ${m}`, `test ${m}`, 'gap', 'best epoch', 'epochs', 'seconds'];
  const rows = data.runs.map((r) => [
    r.name,
    formatNumber(r.train[m]),
    formatNumber(r.validation?.[m]),
    formatNumber(r.test[m]),
    formatNumber(r.gap),
    formatEpoch(r.bestEpoch),
    String(r.epochsRun),
    formatNumber(r.seconds, 1),
  ]);
  return { header, rows };
}

/** The comparison grid as text cells (rank order): rank, cell, mean ± std, n. */
export function comparisonTable(data: ReportData): SummaryTable {
  const sorted = [...(data.comparison ?? [])].sort((a, b) => a.rank - b.rank);
  const base = sorted.find((c) => c.vsBaseline)?.vsBaseline?.baseline;
  const rows = sorted.map((c) => {
    const row = [String(c.rank), c.cell, `${formatNumber(c.mean)} ± ${formatNumber(c.std)}`, String(c.values?.length ?? '')];
    if (base !== undefined) {
      const v = c.vsBaseline;
      const sign = (x: number): string => `${x >= 0 ? '+' : ''}${formatNumber(x)}`;
      row.push(c.cell === base ? 'baseline' : v ? `${sign(v.mean)} [${sign(v.ci[0])}, ${sign(v.ci[1])}]${v.significant ? ' *' : ''}` : '');
    }
    return row;
  });
  const header = ['rank', data.comparisonLabel ?? 'cell', `${data.metric} mean ± std`, 'n'];
  if (base !== undefined) header.push(`Δ vs ${base} [95% CI]`);
  return { header, rows };
}

/** Renders a table as aligned monospace text (first column left-aligned, others right-aligned). */
export function formatTextTable(table: SummaryTable): string {
  const all = [table.header, ...table.rows];
  const widths = table.header.map((_, j) => Math.max(...all.map((r) => (r[j] ?? '').length)));
  const line = (r: readonly string[]): string =>
    r.map((c, j) => (j === 0 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!))).join('  ').trimEnd();
  return [line(table.header), widths.map((w) => '-'.repeat(w)).join('  '), ...table.rows.map(line)].join('\n');
}
