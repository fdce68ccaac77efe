/**
 * `npm run bench [-- --only W1,K1] [--quick] [--peers regula,jax-js] [--out file.json]`
 *
 * Runs every implementation × workload in its own Node process (clean RSS,
 * no cross-talk between TF.js, jax-js and Regula globals), prints a table of
 * throughput, ratios Regula/peer and peak RSS, and writes
 * `bench/results/<YYYY-MM-DD>.json` atomically (`<date>-quick.json` for
 * `--quick`; `--only`/`--peers` runs merge into the day's existing file, replacing
 * only the peer × workload pairs they measured).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONV_K2_FLOPS, GEMM_N, errorMessage, isFit, keysOf, unitOf, WORKLOADS, type Measurement, type ResultKey, type Workload } from './common.js';
import { SPECS } from './workloads.js';
import { formatProfile, type ProfileReport } from './profile.js';
import { buildResults, formatReport, type ResultsFile } from './report.js';
import { ensureBuilt } from './lib-path.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** One implementation under test: a runner script and its fixed flags. */
interface Runner {
  readonly peer: string;
  readonly script: string;
  readonly args: readonly string[];
}

/** Thread count of the multi-threaded peer variants (the issue's 2-core machine). */
const MT = 2;

const RUNNERS: readonly Runner[] = [
  { peer: 'regula', script: 'bench/regula.ts', args: [] },
  { peer: 'tfjs-cpu', script: 'bench/peers/tfjs.ts', args: ['--backend', 'cpu'] },
  { peer: 'tfjs-wasm', script: 'bench/peers/tfjs.ts', args: ['--backend', 'wasm', '--threads', '1'] },
  { peer: `tfjs-wasm-${MT}t`, script: 'bench/peers/tfjs.ts', args: ['--backend', 'wasm', '--threads', String(MT)] },
  { peer: 'jax-js', script: 'bench/peers/jaxjs.ts', args: ['--threads', '1'] },
  { peer: `jax-js-${MT}t`, script: 'bench/peers/jaxjs.ts', args: ['--threads', String(MT)] },
];

interface Options {
  only: Workload[];
  quick: boolean;
  peers: string[];
  out: string | null;
  timeoutSeconds: number;
  /** W1-fit/W2-fit also print a per-phase profile (bench/profile.ts). */
  profile: boolean;
  /** Regula's runners start with --experimental-wasm-relaxed-simd (Node 20: lets the relaxed-SIMD module load). */
  wasmRelaxed: boolean;
}

const USAGE = `npm run bench [-- --only ${WORKLOADS.join(',')}] [--quick] [--peers regula,jax-js,…] [--out file.json] [--timeout s] [--profile]
  --only     workloads to run (default: all); W1-fit, W2-fit: W1's and W2's models through model.fit (Regula only)
  --profile  W1-fit/W2-fit also print a per-phase profile of a training epoch (bench/profile.ts)
  --wasm-relaxed  start Regula's runners with --experimental-wasm-relaxed-simd (Node 20), so the relaxed-SIMD module runs`;

function parseOptions(argv: readonly string[]): Options {
  if (argv.includes('--help')) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const get = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const list = (flag: string): string[] | null => get(flag)?.split(',').map((s) => s.trim()).filter(Boolean) ?? null;
  const only = list('--only') ?? [...WORKLOADS];
  for (const w of only) {
    if (!WORKLOADS.includes(w as Workload)) throw new Error(`--only: unknown workload ${JSON.stringify(w)}; known: ${WORKLOADS.join(', ')}`);
  }
  const peers = list('--peers') ?? RUNNERS.map((r) => r.peer);
  for (const p of peers) {
    if (!RUNNERS.some((r) => r.peer === p)) throw new Error(`--peers: unknown peer ${JSON.stringify(p)}; known: ${RUNNERS.map((r) => r.peer).join(', ')}`);
  }
  const quick = argv.includes('--quick');
  const timeoutSeconds = Number(get('--timeout') ?? (quick ? 120 : 300));
  if (!(timeoutSeconds > 0)) throw new Error(`--timeout must be a positive number of seconds, received ${JSON.stringify(get('--timeout'))}`);
  const known = new Set(['--only', '--peers', '--timeout', '--out', '--quick', '--profile', '--wasm-relaxed', '--help']);
  for (const a of argv) {
    if (a.startsWith('--') && !known.has(a)) throw new Error(`unknown option ${a}; known: ${[...known].join(', ')}`);
  }
  return { only: only as Workload[], quick, peers, out: get('--out') ?? null, timeoutSeconds, profile: argv.includes('--profile'), wasmRelaxed: argv.includes('--wasm-relaxed') };
}

/**
 * Timeout multiplier per workload: TF.js cpu needs ≈ 40 s per W5 step, and
 * Regula's W5 and W6 add a 20-epoch fit for their RSS figure. K2 keeps the
 * plain limit: TF.js cpu's forward and backward-input passes take 5–15 s
 * each, but one backward-filter pass can take many minutes; the limit cuts
 * it off and the error states the bound it implies (unfinishedBound).
 */
const TIMEOUT_FACTOR: Partial<Record<Workload, number>> = { W5: 3, W6: 3, 'W1-fit': 3, 'W2-fit': 2 };

/** Runs one runner on one workload; every expected key yields a measurement (null + error on failure). */
function runOne(r: Runner, w: Workload, opts: Options): Promise<Measurement[]> {
  const limit = opts.timeoutSeconds * (TIMEOUT_FACTOR[w] ?? 1);
  // The fit workloads (issue 18) have their own Regula runner.
  const script = isFit(w) ? 'bench/regula-fit.ts' : r.script;
  const v8 = opts.wasmRelaxed && r.peer === 'regula' ? ['--experimental-wasm-relaxed-simd'] : [];
  const args = [...v8, '--import', 'tsx', script, '--workload', w, ...r.args, ...(opts.quick ? ['--quick'] : []), ...(opts.profile && isFit(w) ? ['--profile'] : [])];
  return new Promise((done) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    /** Time of each key's latest `BENCH_MARK` line (a TF.js measurement starting, or one of its calls ending). */
    const marks = new Map<string, number>();
    let seen = 0;
    child.stdout.on('data', (b: Buffer) => {
      stdout += b.toString();
      const end = stdout.lastIndexOf('\n');
      for (const line of stdout.slice(seen, end + 1).split('\n')) if (line.startsWith('BENCH_MARK ')) marks.set(line.slice(11).trim(), performance.now());
      seen = end + 1;
    });
    child.stderr.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-4000)));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, limit * 1000);
    child.on('close', (code) => {
      clearTimeout(timer);
      const got: Measurement[] = [];
      for (const line of stdout.split('\n')) {
        if (!line.startsWith('BENCH_RESULT ')) continue;
        try {
          got.push(JSON.parse(line.slice('BENCH_RESULT '.length)) as Measurement);
        } catch (e) {
          stderr += `\nunparsable result line: ${errorMessage(e)}`;
        }
      }
      const lastErr = stderr.trim().split('\n').filter(Boolean).slice(-1)[0] ?? '';
      const why = timedOut ? `timed out after ${limit} s` : `runner exited with code ${code}${lastErr ? `: ${lastErr}` : ''}`;
      const killedAt = performance.now();
      for (const key of keysOf(w)) {
        if (got.some((m) => m.key === key)) continue;
        const since = marks.get(key);
        const error = timedOut && since !== undefined ? `${why}: ${unfinishedBound(key, (killedAt - since) / 1000)}` : why;
        got.push({ peer: r.peer, key, unit: unitOf(key), value: null, rssMB: null, rssGrowthMB: null, error });
      }
      done(got.map((m) => ({ ...m, peer: r.peer })));
    });
  });
}

/**
 * The rate bound of a measurement cut off by the time limit: one call (a K2
 * pass, a K1 product, a training step of `batch` samples) had not finished
 * `seconds` after the previous one, so the rate is below one call's work over
 * that time.
 */
function unfinishedBound(key: ResultKey, seconds: number): string {
  const work = key.startsWith('K2') ? CONV_K2_FLOPS : key.startsWith('K1') ? 2 * GEMM_N ** 3 : (SPECS as Partial<Record<string, { batch: number }>>)[key]?.batch;
  if (work === undefined) return `no result ${seconds.toFixed(0)} s after its last call`;
  const bound = key.startsWith('K') ? work / seconds / 1e9 : work / seconds;
  return `one call had not finished after ${seconds.toFixed(0)} s, so < ${bound.toPrecision(2)} ${unitOf(key)} (a bound, not a measurement)`;
}

/** ' (NN % of peak)' for a K2 figure that carries its fraction of the same run's SIMD peak. */
function ofPeak(m: Measurement): string {
  const f = m.detail?.['fractionOfPeak2t'];
  return typeof f === 'number' ? ` (${(100 * f).toFixed(0)} % of peak)` : '';
}

/** '; SIMD peak …' when a runner measured the peak (Regula's K1 and K2), so the figures can be read before the peers run. */
function peakOf(ms: readonly Measurement[]): string {
  const pk = ms.map((m) => m.detail?.['peak'] as { gflops1t?: number | null; gflops2t?: number | null } | undefined).find((p) => p);
  if (!pk || typeof pk.gflops1t !== 'number' || typeof pk.gflops2t !== 'number') return '';
  const relaxed = ms.some((m) => String(m.detail?.['module'] ?? '').startsWith('relaxed-simd'));
  return `; ${relaxed ? 'relaxed-SIMD (relaxed_madd)' : 'SIMD'} peak 1 thread ${pk.gflops1t.toFixed(1)}, 2 threads ${pk.gflops2t.toFixed(1)} GFLOP/s (same run)`;
}

function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Writes JSON via a temporary file and a rename, so readers never see half a file. */
function writeAtomic(file: string, value: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(tmp, file);
}

/**
 * For a partial run (`--only`, `--peers`): the measurements of the existing
 * results file that this run did not redo, so that the file stays complete.
 */
function keptMeasurements(file: string, fresh: readonly Measurement[]): Measurement[] {
  if (!existsSync(file)) return [];
  try {
    const old = JSON.parse(readFileSync(file, 'utf8')) as Partial<ResultsFile>;
    return (old.measurements ?? []).filter((m) => !fresh.some((f) => f.peer === m.peer && f.key === m.key));
  } catch {
    return [];
  }
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  if (opts.peers.includes('regula')) ensureBuilt((line) => process.stderr.write(`${line}\n`));
  const loadStart = loadavg();
  const runners = RUNNERS.filter((r) => opts.peers.includes(r.peer));
  const all: Measurement[] = [];
  const t0 = performance.now();
  for (const w of opts.only) {
    for (const r of runners) {
      if (isFit(w) && r.peer !== 'regula') continue;
      const s0 = performance.now();
      const ms = await runOne(r, w, opts);
      all.push(...ms);
      const secs = ((performance.now() - s0) / 1000).toFixed(1);
      const summary = ms.map((m) => `${m.key} ${m.value === null ? `n/a (${m.error})` : `${m.value.toPrecision(4)} ${m.unit}${ofPeak(m)}`}`).join(', ');
      const mod = ms.map((m) => m.detail?.['module']).find((x) => typeof x === 'string');
      process.stderr.write(`[bench] ${w} ${r.peer.padEnd(12)} ${summary}${peakOf(ms)}${mod ? `; module ${String(mod).split(' ')[0]}` : ''}  [${secs} s]\n`);
      for (const m of ms) {
        const p = m.detail?.['profile'];
        if (typeof p === 'object' && p !== null) process.stderr.write(`${formatProfile(`[profile] ${m.key} (module ${String(m.detail?.['module'])})`, p as ProfileReport)}\n`);
        else if (typeof p === 'string') process.stderr.write(`[profile] ${m.key}: ${p}\n`);
      }
    }
  }
  const date = today();
  const partial = opts.only.length < WORKLOADS.length || runners.length < RUNNERS.length;
  const file = opts.out ? resolve(opts.out) : join(ROOT, 'bench', 'results', `${date}${opts.quick ? '-quick' : ''}.json`);
  const merged = partial ? [...keptMeasurements(file, all), ...all] : all;
  const peers = RUNNERS.map((r) => r.peer).filter((p) => merged.some((m) => m.peer === p));
  const results = buildResults(merged, { quick: opts.quick, peers, loadStart, date });
  writeAtomic(file, results);
  process.stdout.write(`${formatReport(results)}\n\nwrote ${relative(process.cwd(), file)} in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${errorMessage(e)}\n`);
  process.exit(1);
});
