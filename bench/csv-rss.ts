/**
 * `npm run bench:csv [-- --mb 200] [--keep]`
 *
 * Peak memory of loading a big CSV (issue 9): writes a seeded CSV of about
 * `--mb` megabytes (9 numeric features, a 3-class text target) to the OS temp
 * directory, then loads it in a child process the way `regula train` does
 * (`loadTable`, a stratified split, `gatherRows` of each part) and prints the
 * child's peak RSS (`process.resourceUsage().maxRSS`) against the file size
 * and the raw numeric size of the data (rows × columns × 4 bytes as float32).
 * The file is deleted afterwards unless `--keep` is given.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../src/random.js';

const FEATURES = 9;
const CLASSES = ['setosa', 'versicolor', 'virginica'];

/** What the child process reports. */
interface ChildResult {
  rows: number;
  loadSeconds: number;
  loadRssMB: number;
  seconds: number;
  maxRssMB: number;
  splitError: string | null;
}

/** Writes a seeded CSV of about `mb` megabytes; returns its row count. */
export function writeBigCsv(path: string, mb: number, seed = 1): number {
  const rng = new Rng(seed);
  const fd = openSync(path, 'w');
  const header = [...Array.from({ length: FEATURES }, (_, j) => `f${j}`), 'species'].join(',') + '\n';
  writeSync(fd, header);
  let bytes = header.length;
  let rows = 0;
  try {
    while (bytes < mb * 1e6) {
      const lines: string[] = [];
      for (let i = 0; i < 10000; i++, rows++) {
        const cls = rng.int(CLASSES.length);
        const cells: string[] = [];
        for (let j = 0; j < FEATURES; j++) cells.push((rng.normal() + cls * (j % 3)).toFixed(4));
        cells.push(CLASSES[cls]!);
        lines.push(cells.join(','));
      }
      const chunk = lines.join('\n') + '\n';
      writeSync(fd, chunk);
      bytes += chunk.length;
    }
  } finally {
    closeSync(fd);
  }
  return rows;
}

async function child(path: string): Promise<void> {
  const { loadTable } = await import('../src/data/csv.js');
  const { gatherRows, trainValTestSplit } = await import('../src/data/split.js');
  const t0 = performance.now();
  const table = loadTable(path, { target: 'species' });
  const loadSeconds = (performance.now() - t0) / 1000;
  const loadRssMB = process.resourceUsage().maxRSS / 1024;
  let splitError: string | null = null;
  try {
    const labels = table.target.task === 'classification' ? table.target.labels : undefined;
    const split = trainValTestSplit(table.rows, { validation: 0.1, test: 0.1, seed: 1, ...(labels ? { labels } : {}) });
    for (const part of [split.train, split.validation, split.test]) gatherRows(table.features, table.cols, part);
  } catch (e) {
    splitError = String(e);
  }
  const seconds = (performance.now() - t0) / 1000;
  const result: ChildResult = { rows: table.rows, loadSeconds, loadRssMB, seconds, maxRssMB: process.resourceUsage().maxRSS / 1024, splitError };
  console.log(`CSV_RSS ${JSON.stringify(result)}`);
}

function report(res: ChildResult, fileMB: number): void {
  const numericMB = (res.rows * (FEATURES + 1) * 4) / 2 ** 20;
  const ratios = (mb: number): string =>
    `${mb.toFixed(0)} MiB = ${(mb / ((fileMB * 1e6) / 2 ** 20)).toFixed(2)}× the file, ${(mb / numericMB).toFixed(2)}× the raw numeric size`;
  console.log(`raw numeric size: ${res.rows} rows × ${FEATURES + 1} values × 4 bytes = ${numericMB.toFixed(0)} MiB`);
  console.log(`loadTable: ${res.loadSeconds.toFixed(1)} s, peak RSS ${ratios(res.loadRssMB)}`);
  if (res.splitError) console.log(`split + gatherRows: FAILED: ${res.splitError}`);
  else console.log(`loadTable + split + gatherRows: ${res.seconds.toFixed(1)} s, peak RSS ${ratios(res.maxRssMB)}`);
}

function main(argv: readonly string[]): void {
  const at = argv.indexOf('--child');
  if (at >= 0) return void child(argv[at + 1]!);
  const mbAt = argv.indexOf('--mb');
  const mb = mbAt >= 0 ? Number(argv[mbAt + 1]) : 200;
  const path = join(tmpdir(), `regula-bench-${process.pid}.csv`);
  try {
    const w0 = performance.now();
    const rows = writeBigCsv(path, mb);
    const fileMB = statSync(path).size / 1e6;
    console.log(`wrote ${path}: ${fileMB.toFixed(1)} MB, ${rows} rows × ${FEATURES + 1} columns in ${((performance.now() - w0) / 1000).toFixed(1)} s`);
    const script = new URL(import.meta.url).pathname;
    const r = spawnSync(process.execPath, ['--import', 'tsx', script, '--child', path], { encoding: 'utf8', maxBuffer: 1 << 24 });
    const line = r.stdout.split('\n').find((l) => l.startsWith('CSV_RSS '));
    if (r.status !== 0 || !line) {
      console.error(`child failed (status ${r.status}, signal ${r.signal}):\n${r.stderr.slice(-4000)}`);
      process.exitCode = 1;
      return;
    }
    report(JSON.parse(line.slice('CSV_RSS '.length)) as ChildResult, fileMB);
  } finally {
    if (argv.includes('--keep')) console.log(`kept ${path}`);
    else rmSync(path, { force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
