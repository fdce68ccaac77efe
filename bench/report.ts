/**
 * Turns the measurements of one bench run into the results file of issue 6
 * (`{date, machine, peak, data, workloads: {W1: {unit, results, rssMB,
 * errors}, …}}` plus ratios, notes and target checks) and into the printed
 * tables.
 */
import { cpus, loadavg, totalmem } from 'node:os';
import { RESULT_KEYS, round3, unitOf, type Measurement, type ResultKey, type Unit } from './common.js';
import type { DataSource } from './workloads.js';

/** One workload's entry in the results file. */
export interface WorkloadResult {
  unit: Unit;
  /** Throughput per peer; null where it could not run. */
  results: Record<string, number | null>;
  /** Peak RSS of the peer's process above its pre-import baseline, MB. */
  rssMB: Record<string, number | null>;
  /** RSS change over the timed phase, MB. */
  rssGrowthMB: Record<string, number | null>;
  /** Regula's value divided by each peer's. */
  ratios: Record<string, number | null>;
  /** Effective GFLOP/s of model workloads (FLOPs × 3 for training). */
  gflops?: Record<string, number | null>;
  errors?: Record<string, string>;
  notes?: Record<string, string>;
  /** W1, W5 and W6: RSS growth, %, from after epoch 1 to after epoch 20 of a `model.fit` run (Regula). */
  rssGrowthPct?: Record<string, number | null>;
}

/** A target of issue 6 checked against this run. */
export interface TargetCheck {
  workload: ResultKey;
  rule: string;
  /** Measured ratio (Regula / reference), null when either side is missing. */
  ratio: number | null;
  target: number;
  /** 'max' when the measured value must stay below `target` (RSS growth); default: at least `target`. */
  bound?: 'max';
  met: boolean | null;
}

/** The results file. */
export interface ResultsFile {
  date: string;
  quick: boolean;
  machine: { cpus: number; cpuModel: string; node: string; platform: string; arch: string; totalMemMB: number; loadavgStart: number[]; loadavgEnd: number[]; shared: string };
  peak: { gflops1t: number | null; gflops2t: number | null };
  data: DataSource | 'unknown';
  dataByWorkload: Record<string, string>;
  peers: string[];
  workloads: Partial<Record<ResultKey, WorkloadResult>>;
  targets: TargetCheck[];
  /** Every raw measurement (lets `--only`/`--peers` runs merge into an existing file). */
  measurements: Measurement[];
}

/** Machine facts for the results file; `loadStart` is the load average when the run began. */
export function machineInfo(loadStart: number[]): ResultsFile['machine'] {
  const c = cpus();
  return {
    cpus: c.length,
    cpuModel: c[0]?.model ?? 'unknown',
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    totalMemMB: Math.round(totalmem() / 2 ** 20),
    loadavgStart: loadStart.map(round3),
    loadavgEnd: loadavg().map(round3),
    shared: 'machine shared with other jobs during the run; load averages above the core count mean noisy numbers',
  };
}

const ratio = (a: number | null | undefined, b: number | null | undefined): number | null =>
  a === null || a === undefined || b === null || b === undefined || b === 0 ? null : a / b;

/** The best non-Regula value of a workload, with its peer. */
export function bestPeer(w: WorkloadResult, among?: readonly string[]): { peer: string; value: number } | null {
  let best: { peer: string; value: number } | null = null;
  for (const [peer, v] of Object.entries(w.results)) {
    if (peer === 'regula' || v === null || (among && !among.some((p) => peer.startsWith(p)))) continue;
    if (best === null || v > best.value) best = { peer, value: v };
  }
  return best;
}

/**
 * The peak K2's targets are checked against: the SIMD peak measured in
 * Regula's K2 run itself (conv.bench.ts), as max(2 threads, 2 × 1 thread);
 * null when that run has none.
 */
function k2PeakOf(ms: readonly Measurement[]): number | null {
  const pk = ms.find((m) => m.peer === 'regula' && m.key.startsWith('K2') && m.detail?.['peak'])?.detail?.['peak'] as Partial<ResultsFile['peak']> | undefined;
  if (!pk || typeof pk.gflops2t !== 'number') return null;
  return Math.max(pk.gflops2t, 2 * (pk.gflops1t ?? 0));
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function checkTargets(workloads: ResultsFile['workloads'], peak: ResultsFile['peak'], k2Peak: number | null, fitDetail: Partial<Record<ResultKey, Record<string, unknown>>>): TargetCheck[] {
  const out: TargetCheck[] = [];
  const add = (workload: ResultKey, rule: string, r: number | null, target: number): void => {
    out.push({ workload, rule, ratio: r === null ? null : round3(r), target, met: r === null ? null : r >= target });
  };
  const reg = (k: ResultKey): number | null => workloads[k]?.results['regula'] ?? null;
  const peer = (k: ResultKey, p: string): number | null => workloads[k]?.results[p] ?? null;
  const best = (k: ResultKey, among?: readonly string[]): { peer: string; value: number } | null => {
    const w = workloads[k];
    return w ? bestPeer(w, among) : null;
  };
  for (const k of ['W1', 'W2'] as const) {
    if (!workloads[k]) continue;
    const b = best(k);
    add(k, `regula / best peer (${b?.peer ?? 'none'})`, ratio(reg(k), b?.value), 1.25);
    add(k, 'regula / tfjs-wasm', ratio(reg(k), peer(k, 'tfjs-wasm')), k === 'W1' ? 10 : 5);
  }
  if (workloads.W3) {
    add('W3', 'regula / tfjs-cpu', ratio(reg('W3'), peer('W3', 'tfjs-cpu')), 300);
    add('W3', 'regula effective GFLOP/s / 2-core peak', ratio(workloads.W3.gflops?.['regula'], peak.gflops2t), 0.25);
  }
  if (workloads.W4) add('W4', 'regula / tfjs-wasm-2t', ratio(reg('W4'), peer('W4', 'tfjs-wasm-2t')), 1.2);
  if (workloads.W5) {
    // Issue 12: at least twice the best peer that can train it (TF.js wasm cannot: no Conv2DBackpropFilter).
    const b = best('W5');
    add('W5', `regula / best peer that trains it (${b?.peer ?? 'none'})`, ratio(reg('W5'), b?.value), 2);
  }
  if (workloads.W6) {
    // Issue 13: at least three times the best peer that runs it (the peers run the LSTM without dropout).
    const b = best('W6');
    add('W6', `regula / best peer (${b?.peer ?? 'none'}; peers without RNN dropout)`, ratio(reg('W6'), b?.value), 3);
  }
  for (const k of ['W1', 'W5', 'W6'] as const) {
    const growth = workloads[k]?.rssGrowthPct?.['regula'];
    if (growth === undefined) continue;
    out.push({ workload: k, rule: 'regula RSS growth over 20 fit epochs, % (below)', ratio: growth === null ? null : round3(growth), target: 5, bound: 'max', met: growth === null ? null : growth < 5 });
  }
  for (const k of ['W1-fit', 'W2-fit'] as const) {
    const m = fitDetail[k];
    if (!m) continue;
    // Issue 18: W1 through fit ≥ 70 % of the 2-core peak of its own run and ≥ 0.9 × its trainOnBatch rate.
    if (k === 'W1-fit') add(k, 'regula fit effective GFLOP/s / 2-core peak of the same run', num(m['fractionOfPeak2t']), 0.7);
    add(k, 'regula fit / trainOnBatch of the same model, same run', num(m['fitOverTrainOnBatch']), k === 'W1-fit' ? 0.9 : 0.5);
  }
  for (const k of ['K1-AB', 'K1-AtB', 'K1-ABt'] as const) {
    if (!workloads[k]) continue;
    add(k, 'regula / 2-core peak', ratio(reg(k), peak.gflops2t), 0.6);
    const b = best(k, ['tfjs-wasm', 'jax-js']);
    add(k, `regula / best of tfjs-wasm, jax-js (${b?.peer ?? 'none'})`, ratio(reg(k), b?.value), 1);
  }
  for (const k of ['K2-fwd', 'K2-bwdInput', 'K2-bwdFilter'] as const) {
    if (!workloads[k]) continue;
    add(k, `regula / 2-core peak of the same K2 run (${k2Peak === null ? 'none' : k2Peak.toFixed(1)} GFLOP/s)`, ratio(reg(k), k2Peak), 0.6);
  }
  return out;
}

/** The detail of Regula's fit measurements (W1-fit, W2-fit), by key. */
function fitDetails(ms: readonly Measurement[]): Partial<Record<ResultKey, Record<string, unknown>>> {
  const out: Partial<Record<ResultKey, Record<string, unknown>>> = {};
  for (const m of ms) if (m.peer === 'regula' && m.key.endsWith('-fit') && m.detail) out[m.key] = m.detail;
  return out;
}

/** Assembles the results file from a run's measurements. */
export function buildResults(ms: readonly Measurement[], opts: { quick: boolean; peers: readonly string[]; loadStart: number[]; date: string }): ResultsFile {
  const workloads: ResultsFile['workloads'] = {};
  const dataByWorkload: Record<string, string> = {};
  let peak: ResultsFile['peak'] = { gflops1t: null, gflops2t: null };
  for (const key of RESULT_KEYS) {
    const mine = ms.filter((m) => m.key === key);
    if (mine.length === 0) continue;
    const w: WorkloadResult = { unit: unitOf(key), results: {}, rssMB: {}, rssGrowthMB: {}, ratios: {} };
    for (const p of opts.peers) {
      const m = mine.find((x) => x.peer === p);
      if (!m) continue;
      w.results[p] = m.value === null ? null : round3(m.value);
      w.rssMB[p] = m.rssMB === null ? null : round3(m.rssMB);
      w.rssGrowthMB[p] = m.rssGrowthMB === null ? null : round3(m.rssGrowthMB);
      const g = m.detail?.['gflops'];
      if (typeof g === 'number') (w.gflops ??= {})[p] = round3(g);
      const rg = m.detail?.['rssGrowthPct'];
      if (typeof rg === 'number') (w.rssGrowthPct ??= {})[p] = round3(rg);
      if (m.error !== undefined) (w.errors ??= {})[p] = m.error;
      if (m.note !== undefined) (w.notes ??= {})[p] = m.note;
      const d = m.detail?.['data'];
      if (typeof d === 'string') dataByWorkload[key] = d;
      const pk = m.detail?.['peak'] as Partial<ResultsFile['peak']> | undefined;
      if (p === 'regula' && pk) peak = { gflops1t: pk.gflops1t ?? peak.gflops1t, gflops2t: pk.gflops2t ?? peak.gflops2t };
    }
    for (const p of Object.keys(w.results)) if (p !== 'regula') w.ratios[p] = round3Null(ratio(w.results['regula'], w.results[p]));
    workloads[key] = w;
  }
  const data = (dataByWorkload['W1'] ?? dataByWorkload['W4'] ?? dataByWorkload['W5'] ?? 'unknown') as ResultsFile['data'];
  return {
    date: opts.date, quick: opts.quick, machine: machineInfo(opts.loadStart), peak: { gflops1t: round3Null(peak.gflops1t), gflops2t: round3Null(peak.gflops2t) },
    data, dataByWorkload, peers: [...opts.peers], workloads, targets: checkTargets(workloads, peak, k2PeakOf(ms), fitDetails(ms)), measurements: [...ms],
  };
}

function round3Null(x: number | null): number | null {
  return x === null ? null : round3(x);
}

function fmt(x: number | null | undefined): string {
  if (x === null || x === undefined) return '—';
  if (Math.abs(x) >= 10000) return `${(x / 1000).toFixed(1)}k`;
  if (Math.abs(x) >= 100) return x.toFixed(0);
  if (Math.abs(x) >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]): string => r.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The printed report: throughput, ratios, RSS, errors, notes and targets. */
export function formatReport(r: ResultsFile): string {
  const keys = RESULT_KEYS.filter((k) => r.workloads[k]);
  const out: string[] = [];
  const m = r.machine;
  out.push(`Regula bench ${r.date}${r.quick ? ' (quick)' : ''} — ${m.cpus}× ${m.cpuModel}, Node ${m.node}, load ${m.loadavgStart.join('/')} → ${m.loadavgEnd.join('/')}; W1/W4/W5 data: ${r.data}`);
  out.push(`WASM SIMD peak (from bench/gemm.bench.ts): 1 thread ${fmt(r.peak.gflops1t)}, 2 threads ${fmt(r.peak.gflops2t)} GFLOP/s`);
  const cell = (k: ResultKey, p: string): string => {
    const w = r.workloads[k]!;
    if (!(p in w.results)) return '';
    return w.results[p] === null ? 'n/a' : `${fmt(w.results[p])}${w.notes?.[p] ? '*' : ''}`;
  };
  out.push('', 'Throughput (samples/s; K1, K2 GFLOP/s); n/a = could not run, * = see notes');
  out.push(table(['workload', 'unit', ...r.peers, 'regula/best peer'], keys.map((k) => {
    const w = r.workloads[k]!;
    const b = bestPeer(w);
    const rb = b && w.results['regula'] != null ? `${fmt(w.results['regula']! / b.value)}× (${b.peer})` : '—';
    return [k, w.unit, ...r.peers.map((p) => cell(k, p)), rb];
  })));
  const others = r.peers.filter((p) => p !== 'regula');
  out.push('', 'Ratio Regula / peer');
  out.push(table(['workload', '', ...others], keys.map((k) => [k, '', ...others.map((p) => (p in r.workloads[k]!.ratios ? fmt(r.workloads[k]!.ratios[p]) : ''))])));
  out.push('', 'Peak RSS above the process baseline, MB (growth over the timed phase in parentheses)');
  out.push(table(['workload', '', ...r.peers], keys.map((k) => {
    const w = r.workloads[k]!;
    return [k, '', ...r.peers.map((p) => (p in w.rssMB ? `${fmt(w.rssMB[p])} (${fmt(w.rssGrowthMB[p])})` : ''))];
  })));
  const rssFit = keys.flatMap((k) => Object.entries(r.workloads[k]!.rssGrowthPct ?? {}).map(([p, v]) => `  ${k} ${p}: ${fmt(v)} %`));
  if (rssFit.length) out.push('', 'RSS growth from epoch 1 to epoch 20 of model.fit (the workload\'s model; W1 10, W5 and W6 5 batches per epoch)', ...rssFit);
  const errs = keys.flatMap((k) => Object.entries(r.workloads[k]!.errors ?? {}).map(([p, e]) => `  ${k} ${p}: ${e}`));
  if (errs.length) out.push('', 'Errors', ...errs);
  const notes = keys.flatMap((k) => Object.entries(r.workloads[k]!.notes ?? {}).map(([p, e]) => `  ${k} ${p}: ${e}`));
  if (notes.length) out.push('', 'Notes', ...notes);
  if (r.targets.length) {
    out.push('', 'Targets (issue 6: W1–W4, K1; issue 12: W5, K2; issue 13: W6)');
    for (const t of r.targets) {
      const state = t.met === null ? 'unknown' : t.met ? 'met' : 'MISSED';
      out.push(`  ${t.workload.padEnd(7)} ${t.rule}: ${fmt(t.ratio)} (target ${t.bound === 'max' ? '<' : '≥'} ${t.target}) ${state}`);
    }
  }
  return out.join('\n');
}
