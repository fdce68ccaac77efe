import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadTable, readCsv, type CsvEncoding } from './csv.js';
import { Preprocessing, type EncodedData } from './preprocessing.js';
import { StandardScaler } from './scale.js';

const dir = mkdtempSync(join(tmpdir(), 'regula-pre-stream-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

const classify = Preprocessing.fit(
  loadTable({ text: 'city,temp,label\nparis,10,warm\noslo,0,cold\nrome,20,warm\noslo,-10,cold\nzürich,5,cold\n' }, { target: 'label' }),
  [0, 1, 2],
);
const numericClasses = Preprocessing.fit(loadTable({ text: 'x,y\n1,0\n2,1\n3,0\n4,1\n' }, { target: 'y', task: 'classification' }), [0, 1, 2, 3]);
const regress = Preprocessing.fit(loadTable({ text: 'a,b,y\n1,x,0.5\n2,y,1.5\n3,x,2.25\n4,y,3\n' }, { target: 'y' }), [0, 1], { standardize: false });

type Outcome = { error: string } | { rows: number; cols: number; features: number[]; target: unknown };

function outcome(run: () => EncodedData): Outcome {
  try {
    const d = run();
    const t = d.target;
    const target = t === null ? null : t.task === 'classification' ? { ...t, labels: [...t.labels] } : { ...t, values: [...t.values] };
    return { rows: d.rows, cols: d.cols, features: [...d.features], target };
  } catch (e) {
    return { error: `${(e as Error).name}: ${(e as Error).message}` };
  }
}

let files = 0;
/** Writes `content` to a new file and checks both paths give the same result (returned). */
function same(pre: Preprocessing, content: string | Buffer, opts: { requireTarget?: boolean; encoding?: CsvEncoding } = {}): Outcome {
  const path = join(dir, `f${files++}.csv`);
  writeFileSync(path, content);
  const parsed = outcome(() => pre.transform(readCsv(path, opts), opts));
  const streamed = outcome(() => pre.transformFile(path, opts));
  assert.deepEqual(streamed, parsed, `file ${JSON.stringify(String(content).slice(0, 80))}`);
  const text = typeof content === 'string' ? { text: content, name: 'inline.csv' } : null;
  if (text) assert.deepEqual(outcome(() => pre.transformFile(text, opts)), outcome(() => pre.transform(readCsv(text), opts)));
  return streamed;
}

const ok = (o: Outcome): void => assert.ok(!('error' in o), 'error' in o ? o.error : '');
const fails = (o: Outcome, re: RegExp): void => assert.match('error' in o ? o.error : 'no error', re);

test('transformFile gives transform(readCsv(..))’s features and target: quoting, BOM, CRLF, extra columns, numeric classes, regression', () => {
  ok(same(classify, 'extra,temp,city,label\n1,15,rome,warm\n2,5,paris,cold\n', { requireTarget: true }));
  ok(same(classify, '"city","temp","label"\n"oslo","3",warm\n "rome" , 4 ,"cold"\n"zürich","1e1","warm"\n'));
  ok(same(classify, '\uFEFFcity,temp,label\r\noslo,1,cold\r\n\r\nparis,-2.5e1,warm\r\n'));
  ok(same(classify, 'temp,city\n7,oslo\n'));
  ok(same(numericClasses, 'x,y\n1,1.0\n2,0\n3,+1\n'));
  ok(same(regress, 'y,b,a\n1.25,y,3\n-2,x,1e2\n'));
  ok(same(regress, 'b,a\nx,1\n'));
});

test('transformFile rejects exactly as transform(readCsv(..)) does, first error first', () => {
  fails(same(classify, 'city,temp\noslo,1\nberlin,3\n'), /f\d+\.csv:3: column "city": unknown category "berlin"; known categories: oslo, paris, rome, zürich/);
  // Column order decides: city (first) beats temp, and a missing column beats later columns' cells.
  fails(same(classify, 'city,temp\noslo,NaN\nberlin,1\n'), /:3: column "city": unknown category/);
  fails(same(classify, 'temp,label\nNaN,warm\n'), /missing column "city"; expected columns: city, temp/);
  fails(same(classify, 'city\nberlin\n'), /:2: column "city": unknown category "berlin"/);
  // A numeric column: NaN/empty anywhere beats a text cell; the text message counts the whole column.
  fails(same(classify, 'city,temp\noslo,abc\nparis,NaN\n'), /:3: column "temp": cell "NaN" is NaN\/Inf/);
  fails(same(classify, 'city,temp\noslo,abc\nparis,1\nrome,x\n'), /:2: column "temp": cell "abc" is not a number \(1 of 3 cells in this column are numbers, and it is a numeric column\)/);
  fails(same(classify, 'city,temp\noslo,\n'), /empty cell/);
  fails(same(classify, 'city,temp\noslo,1e999\n'), /outside the float32 range/);
  fails(same(classify, 'city,temp\ninf,1\n'), /column "city": cell "inf" is NaN\/Inf/);
  // Shape errors come before cell errors, wherever they are.
  fails(same(classify, 'city,temp\nberlin,1\noslo\n'), /:3: ragged row/);
  fails(same(classify, 'city,temp\n"oslo,1\n'), /CSV syntax error/);
  fails(same(classify, 'city,temp\n'), /empty data/);
  // Target: features first, then the missing target, then its cells.
  fails(same(classify, 'city,temp\nberlin,1\n', { requireTarget: true }), /unknown category/);
  fails(same(classify, 'city,temp\noslo,1\n', { requireTarget: true }), /missing target column "label"; available columns: city, temp/);
  fails(same(classify, 'city,temp,label\noslo,1,cold\noslo,3,hot\n'), /:3: column "label": unknown class "hot"; known classes: cold, warm/);
  fails(same(classify, 'city,temp,label\noslo,1,NaN\noslo,3,hot\n'), /:2: column "label": cell "NaN"/);
  fails(same(numericClasses, 'x,y\n1,2\n'), /unknown class "2"/);
  fails(same(regress, 'a,b,y\n1,x,abc\n2,y,\n'), /:3: column "y": empty cell/);
  fails(same(regress, 'a,b,y\n1,x,abc\n2,y,1\n'), /cell "abc" is not a number \(1 of 2 cells in this column are numbers, and regression needs a numeric target\)/);
  fails(same(regress, 'a,b,y\n1,z,abc\n'), /unknown category "z"/);
});

test('transformFile reads latin1 when asked, and rejects its bytes as UTF-8 otherwise', () => {
  const bytes = Buffer.from('city,temp,label\nzürich,1,cold\noslo,2,warm\n', 'latin1');
  const r = same(classify, bytes, { encoding: 'latin1', requireTarget: true });
  ok(r);
  assert.deepEqual(r, same(classify, 'city,temp,label\nzürich,1,cold\noslo,2,warm\n'));
  fails(same(classify, bytes), /UTF-8/);
});

test('transformFile joins many row blocks and target chunks in order', () => {
  const cols = Array.from({ length: 16 }, (_, j) => `n${j}`);
  const header = [...cols, 'c', 'label'].join(',');
  const lines = [header];
  const n = 70_000; // > one 4 MiB block of 19 floats a row, > one 65536-row target chunk
  for (let r = 0; r < n; r++) lines.push([...cols.map((_, j) => ((r * 31 + j * 7) % 1000) / 8), 'abc'[r % 3], r % 2 ? 'yes' : 'no'].join(','));
  const text = `${lines.join('\n')}\n`;
  const pre = Preprocessing.fit(loadTable({ text }, { target: 'label' }), [0, 1, 2, 3, 4, 5]);
  const path = join(dir, 'big.csv');
  writeFileSync(path, text);
  const a = pre.transformFile(path, { requireTarget: true });
  const b = pre.transform(readCsv(path), { requireTarget: true });
  assert.equal(a.rows, n);
  assert.deepEqual(a.features, b.features);
  assert.deepEqual(a.target, b.target);
});

test('transformFile on a ~50 MB CSV: peak RSS over the reader’s own stays under 3× the numeric size', { timeout: 240_000 }, () => {
  const cols = 8;
  const columns = [...Array.from({ length: cols }, (_, j) => ({ name: `x${j}`, kind: 'numeric' as const })), { name: 'c', kind: 'categorical' as const, categories: ['a', 'b', 'c'] }];
  const pre = new Preprocessing(columns, { name: 'y', task: 'classification', classes: ['no', 'yes'] }, new StandardScaler(new Array(cols + 3).fill(1), new Array(cols + 3).fill(2)));
  const path = join(dir, 'memory.csv');
  const fd = openSync(path, 'w');
  let bytes = 0;
  let rows = 0;
  try {
    writeSync(fd, `${columns.map((c) => c.name).join(',')},y\n`);
    let seed = 1;
    while (bytes < 50e6) {
      const part: string[] = [];
      for (let i = 0; i < 10_000; i++, rows++) {
        const cells: string[] = [];
        for (let j = 0; j < cols; j++) cells.push(((seed = (seed * 1103515245 + 12345) % 2147483648) / 1e4).toFixed(4));
        part.push(`${cells.join(',')},${'abc'[rows % 3]},${rows % 2 ? 'yes' : 'no'}\n`);
      }
      const s = part.join('');
      bytes += writeSync(fd, s);
    }
  } finally {
    closeSync(fd);
  }
  const here = import.meta.dirname ?? new URL('.', import.meta.url).pathname;
  const url = (f: string): string => JSON.stringify(pathToFileURL(join(here, f)).href);
  // Each child reports its peak RSS over its RSS once loaded. The reader alone
  // (streamCsv with a sink that keeps nothing) has a fixed cost — csv-parse's
  // short-lived strings fill the young generation — which is not the data's.
  const code = `
    const { Preprocessing } = await import(${url('preprocessing.ts')});
    const { streamCsv } = await import(${url('csv-stream.ts')});
    const pre = Preprocessing.fromJSON(JSON.parse(process.env.PRE));
    const base = process.memoryUsage().rss;
    let rows = 0, numeric = 0;
    if (process.env.MODE === 'read') streamCsv(process.env.CSV, {}, { header() {}, row() { rows++; } });
    else {
      const d = pre.transformFile(process.env.CSV, { requireTarget: true });
      rows = d.rows;
      numeric = d.features.byteLength + d.target.labels.byteLength;
    }
    console.log(JSON.stringify({ over: process.resourceUsage().maxRSS * 1024 - base, rows, numeric }));`;
  const measure = (mode: string): { over: number; rows: number; numeric: number } => {
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
      env: { ...process.env, PRE: JSON.stringify(pre), CSV: path, MODE: mode },
      encoding: 'utf8',
    });
    assert.equal(child.status, 0, child.stderr);
    return JSON.parse(child.stdout.trim().split('\n').pop()!) as { over: number; rows: number; numeric: number };
  };
  const read = measure('read');
  const m = measure('transform');
  rmSync(path, { force: true });
  assert.equal(read.rows, rows);
  assert.equal(m.rows, rows);
  const mb = (x: number): string => `${(x / 2 ** 20).toFixed(1)} MiB`;
  const info = `file ${mb(bytes)}, numeric ${mb(m.numeric)}, peak RSS over baseline: reading only ${mb(read.over)}, transformFile ${mb(m.over)}`;
  console.log(`transformFile memory: ${info}`);
  assert.ok(m.over < read.over + 3 * m.numeric, info);
});
