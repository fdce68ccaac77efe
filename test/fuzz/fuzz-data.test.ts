/**
 * Loader fuzzing (issue 9): generated CSV texts/bytes and IDX bytes (valid
 * files, then mutated: bytes flipped, cut, appended, gzipped) go through the
 * CSV and IDX readers. Every case must either load consistently or throw a
 * DataError: no other exception, no hang, bounded memory. The streaming
 * `loadTable` is also checked against the string-row path
 * (`loadTable(readCsv(…))` → `inferSchema`): same table or same message.
 *
 * `npm test` runs FUZZ_RUNS=2000 cases per reader (the default);
 * `npm run fuzz:data` runs 100,000 each.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { loadTable, readCsv, type Table } from '../../src/data/csv.js';
import { DataError } from '../../src/data/data-error.js';
import { encodeIdx, loadIdxDataset, parseIdx, readIdx, type IdxDtype } from '../../src/data/idx.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const dir = mkdtempSync(join(tmpdir(), 'regula-fuzz-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

/** Runs `fn`; only a DataError may escape it. Returns the result or the error message. */
function dataOnly<T>(fn: () => T): { ok: T } | { error: string } {
  try {
    return { ok: fn() };
  } catch (e) {
    if (!(e instanceof DataError)) throw e;
    assert.ok(!/[\r\n]/.test(e.message), `one-line message: ${JSON.stringify(e.message)}`);
    return { error: e.message };
  }
}

function checkTable(t: Table): void {
  assert.ok(t.rows > 0 && t.cols > 0);
  assert.equal(t.features.length, t.rows * t.cols);
  assert.equal(t.featureNames.length, t.cols);
  for (const v of t.features) assert.ok(Number.isFinite(v));
  if (t.target.task === 'classification') {
    assert.equal(t.target.labels.length, t.rows);
    for (const l of t.target.labels) assert.ok(l >= 0 && l < t.target.classes.length);
  } else {
    assert.equal(t.target.values.length, t.rows);
    for (const v of t.target.values) assert.ok(Number.isFinite(v));
  }
}

const same = (a: Table, b: Table): boolean =>
  a.rows === b.rows &&
  JSON.stringify(a.columns) === JSON.stringify(b.columns) &&
  a.features.every((v, i) => Object.is(v, b.features[i])) &&
  JSON.stringify({ ...a.target, labels: undefined, values: undefined }) === JSON.stringify({ ...b.target, labels: undefined, values: undefined }) &&
  (a.target.task === 'classification' ? [...a.target.labels].join() === [...(b.target as typeof a.target).labels].join() : true) &&
  (a.target.task === 'regression' ? [...a.target.values].join() === [...(b.target as typeof a.target).values].join() : true);

/** Hostile cells: NaN/Inf, overflow, empty, quotes, delimiters, stray text, non-ASCII. */
const hostile = fc.constantFrom('NaN', '-inf', 'Infinity', '1e39', '', ' 2 ', '"q,uo""te"', '"multi\nline"', 'x7', 'café', 'cafè', '"', '1,2');
/** One column's cells follow a style (so that most files load), with rare hostile cells. */
const STYLES = {
  int: fc.integer({ min: -3, max: 3 }).map(String),
  float: fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }).map((v) => String(v)),
  category: fc.constantFrom('a', 'b', 'c', 'café', 'cafè', '1.0', '7'),
  mixed: fc.oneof(fc.integer({ min: 0, max: 3 }).map(String), fc.constantFrom('a', 'b', 'yes', '1.0')),
};
type Style = keyof typeof STYLES;
const cellOf = (style: Style) => fc.oneof({ weight: 30, arbitrary: STYLES[style] }, { weight: 1, arbitrary: hostile });
const HEADERS = ['a,b,y', 'a,y', 'id,a,y', 'y,a,b,c'];
const csvText = fc
  .record({
    header: fc.oneof({ weight: 12, arbitrary: fc.constantFrom(...HEADERS) }, { weight: 1, arbitrary: fc.constantFrom('a,a,y', ',y', 'y', '\uFEFFa,y') }),
    styles: fc.array(fc.constantFrom<Style>('int', 'float', 'category', 'mixed'), { minLength: 4, maxLength: 4 }),
    rows: fc.oneof({ weight: 20, arbitrary: fc.integer({ min: 1, max: 14 }) }, { weight: 1, arbitrary: fc.constant(0) }),
    eol: fc.constantFrom('\n', '\r\n'),
    tail: fc.oneof({ weight: 8, arbitrary: fc.constantFrom('', '\n') }, { weight: 1, arbitrary: fc.constantFrom('\n\n', '"', ',') }),
    ragged: fc.oneof({ weight: 15, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.nat() }),
  })
  .chain(({ header, styles, rows, eol, tail, ragged }) => {
    const width = header.split(',').length;
    const row = fc.tuple(...Array.from({ length: width }, (_, j) => cellOf(styles[j % 4]!)));
    return fc.array(row, { minLength: rows, maxLength: rows }).map((cells) => {
      const lines = cells.map((c) => c.join(','));
      if (ragged !== undefined && lines.length > 0) lines[ragged % lines.length] += ',1';
      return [header, ...lines].join(eol) + tail;
    });
  });
const csvOptions = fc.record({
  target: fc.oneof({ weight: 10, arbitrary: fc.constant('y') }, { weight: 1, arbitrary: fc.constantFrom('a', 'nope') }),
  task: fc.constantFrom('auto', 'auto', 'classification', 'regression') as fc.Arbitrary<'auto' | 'classification' | 'regression'>,
  exclude: fc.oneof({ weight: 6, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.constantFrom(['id'], ['b']) }),
  maxCategories: fc.constantFrom(2, 4, 100),
});

test(`fuzz: CSV reader, ${RUNS} texts: a consistent table or a DataError, same as the string-row path`, () => {
  fc.assert(
    fc.property(csvText, csvOptions, (text, options) => {
      const streamed = dataOnly(() => loadTable({ text, name: 'f.csv' }, options));
      const viaRows = dataOnly(() => loadTable(readCsv({ text, name: 'f.csv' }), options));
      if ('ok' in streamed) {
        checkTable(streamed.ok);
        assert.ok('ok' in viaRows && same(streamed.ok, viaRows.ok), `streamed table differs from the string-row path: ${JSON.stringify(viaRows)}`);
      } else if (!/unknown (target|excluded) column/.test(streamed.error)) {
        // The streaming reader checks the target name at the header; the row path only after reading every row.
        assert.deepEqual(viaRows, streamed);
      }
    }),
    { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }) },
  );
});

test(`fuzz: CSV files, ${Math.ceil(RUNS / 4)} byte strings (invalid UTF-8, NUL, CR, quotes): only DataErrors`, () => {
  const path = join(dir, 'f.csv');
  const byte = fc.oneof(fc.constantFrom(0x2c, 0x0a, 0x0d, 0x22, 0x31, 0x79, 0x61), fc.integer({ min: 0, max: 255 }));
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), fc.array(byte, { maxLength: 60 }), fc.constantFrom('utf8', 'latin1') as fc.Arbitrary<'utf8' | 'latin1'>, (raw, extra, encoding) => {
      const bytes = Buffer.concat([Buffer.from('a,y\n1,0\n2,1\n'), Buffer.from(extra), Buffer.from(raw)]);
      writeFileSync(path, bytes);
      const r = dataOnly(() => loadTable(path, { target: 'y', encoding }));
      if ('ok' in r) checkTable(r.ok);
      else if (encoding === 'utf8' && !Buffer.from(bytes.toString('utf8')).equals(bytes)) assert.match(r.error, /invalid UTF-8|CSV syntax error|ragged row|column "/);
    }),
    { numRuns: Math.ceil(RUNS / 4), ...(SEED === undefined ? {} : { seed: SEED }) },
  );
});

const DTYPES: readonly IdxDtype[] = ['uint8', 'int8', 'int16', 'int32', 'float32', 'float64'];
const idxBytes = fc
  .record({
    shape: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 4 }),
    dtype: fc.constantFrom(...DTYPES),
    gzip: fc.boolean(),
    edits: fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), { maxLength: 4 }),
    cut: fc.option(fc.nat(), { nil: undefined }),
    append: fc.uint8Array({ maxLength: 8 }),
    gzipAfter: fc.boolean(),
  })
  .map(({ shape, dtype, gzip, edits, cut, append, gzipAfter }) => {
    const count = shape.reduce((a, b) => a * b, 1);
    let b: Uint8Array = encodeIdx(shape, dtype, Array.from({ length: count }, (_, i) => (i % 7) - 3), gzip);
    b = Uint8Array.from(b);
    for (const e of edits) if (b.length > 0) b[e.at % b.length] = e.value;
    if (cut !== undefined && b.length > 0) b = b.subarray(0, cut % b.length);
    if (append.length > 0) b = Uint8Array.from([...b, ...append]);
    return gzipAfter && !gzip ? new Uint8Array(gzipSync(b)) : b;
  });

test(`fuzz: IDX reader, ${RUNS} mutated files (raw and gzipped): data matching the header or a DataError`, () => {
  const img = join(dir, 'i.idx');
  const lab = join(dir, 'l.idx');
  fc.assert(
    fc.property(idxBytes, idxBytes, fc.boolean(), (a, b, viaFile) => {
      const r = dataOnly(() => parseIdx(a, 'a'));
      if ('ok' in r) assert.equal(r.ok.data.length, r.ok.shape.reduce((x, y) => x * y, 1));
      if (!viaFile) return;
      writeFileSync(img, a);
      writeFileSync(lab, b);
      const f = dataOnly(() => readIdx(img));
      assert.equal('ok' in f, 'ok' in r, 'readIdx and parseIdx agree');
      const d = dataOnly(() => loadIdxDataset(img, lab));
      if ('ok' in d) {
        assert.equal(d.ok.features.length, d.ok.rows * d.ok.cols);
        assert.equal(d.ok.labels.length, d.ok.rows);
      }
    }),
    { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }) },
  );
});

// No case may inflate or allocate anything large: every input is < 1 KB, so
// the bound below is generous. (A full 225k-case run ends near 1.25 GiB RSS;
// the readers alone, 30k readIdx/parseIdx calls in a loop, leave RSS and
// external memory flat, so that growth is the harness keeping garbage.)
test('fuzz: memory stays bounded over the whole run', () => {
  const rssMB = process.memoryUsage().rss / 2 ** 20;
  assert.ok(rssMB < 2048, `RSS ${rssMB.toFixed(0)} MiB after fuzzing`);
});
