/**
 * What the page shows in numbers (the scores of this run and of the pinned
 * one, their difference and the generalization gap) and file downloads.
 */

export interface ScoredRun {
  label: string;
  history: Record<string, number[]>;
  final: Record<string, number> | null;
  metric: string;
}

/** The last value of each logged key (the final evaluation once the run has finished). */
export function latest(run: ScoredRun): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(run.history)) if (v.length) out[k] = v[v.length - 1]!;
  return run.final ? { ...out, ...run.final } : out;
}

/** Train − held-out accuracy, or held-out − train MAE: positive means overfitting. */
export function gap(run: ScoredRun, task: string): number | undefined {
  const s = latest(run);
  const m = run.metric;
  const held = s[`test_${m}`] ?? s[`val_${m}`];
  if (s[m] === undefined || held === undefined) return undefined;
  return task === 'classification' ? s[m]! - held : held - s[m]!;
}

const fmt = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(4));

/** The scores table: rows loss/metric on train, validation, test (+ gap); columns this run, pinned, difference. */
export function renderScores(el: HTMLElement, run: ScoredRun, pinned: ScoredRun | null, task: string): void {
  const m = run.metric;
  const a = latest(run);
  const b = pinned ? latest(pinned) : null;
  const rows: [string, string, boolean][] = [
    ['train loss', 'loss', false],
    ['validation loss', 'val_loss', false],
    ['test loss', 'test_loss', false],
    [`train ${m}`, m, m !== 'mae'],
    [`validation ${m}`, `val_${m}`, m !== 'mae'],
    [`test ${m}`, `test_${m}`, m !== 'mae'],
  ];
  const shown = rows.filter(([, key]) => a[key] !== undefined || b?.[key] !== undefined);
  // Held-out rows only are judged: green where this run is better than the pinned one, red where worse.
  const cells: { key: string; label: string; values: string[]; verdict: string }[] = shown.map(([label, key, higher]) => {
    const values = [fmt(a[key])];
    let verdict = '';
    if (b) {
      const d = a[key] !== undefined && b[key] !== undefined ? a[key]! - b[key]! : undefined;
      if (d !== undefined && d !== 0 && key !== 'loss' && key !== m) verdict = (higher ? d > 0 : d < 0) ? 'better' : 'worse';
      values.push(fmt(b[key]), d === undefined ? '–' : `${d > 0 ? '+' : ''}${d.toFixed(4)}`);
    }
    return { key, label, values, verdict };
  });
  cells.push({ key: 'gap', label: 'generalization gap', values: [fmt(gap(run, task)), ...(pinned ? [fmt(gap(pinned, task)), ''] : [])], verdict: '' });
  const captions = [`This run: ${run.label}.`];
  if (pinned) captions.push(`Pinned: ${pinned.label}. Difference = this run − pinned.`);
  // The layout is rebuilt only when its shape changes; otherwise only texts change (cheap for the page's thread).
  const shape = `${pinned ? 'p' : ''}|${cells.map((c) => c.key).join(',')}`;
  if (el.dataset['shape'] !== shape) {
    el.dataset['shape'] = shape;
    const table = document.createElement('table');
    const head = document.createElement('tr');
    for (const h of ['', 'this run', ...(b ? ['pinned', 'difference'] : [])]) {
      const th = document.createElement('th');
      th.textContent = h;
      th.scope = 'col';
      head.append(th);
    }
    table.append(head);
    for (const c of cells) {
      const tr = document.createElement('tr');
      tr.dataset['key'] = c.key;
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = c.label;
      tr.append(th, ...c.values.map(() => document.createElement('td')));
      table.append(tr);
    }
    const p = document.createElement('p');
    p.className = 'info';
    el.replaceChildren(table, p);
  }
  cells.forEach((c) => {
    const tds = el.querySelectorAll(`tr[data-key="${c.key}"] td`);
    c.values.forEach((v, i) => {
      const td = tds[i] as HTMLElement;
      if (td.textContent !== v) td.textContent = v;
      td.className = i === 2 ? c.verdict : '';
    });
  });
  const p = el.querySelector('p')!;
  const caption = captions.join(' ');
  if (p.textContent !== caption) p.textContent = caption;
}

/** Saves a blob under `name` through a temporary link. */
export function download(name: string, blob: Blob): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}
