/**
 * `buildTable`: the streaming form of `loadTable`. Records from `streamCsv`
 * go straight into one `ColumnBuilder` per used column (typed chunks, no
 * string cells); when the file has ended, `schema.ts`'s rules decide each
 * column's kind from what the builders counted, with the same messages in
 * the same order as `inferSchema` on parsed rows, and the chunks are copied
 * into the row-major features block by block, each chunk freed once copied.
 * Peak memory is about twice the numeric size of the data.
 */
import { DataError, showCell } from './data-error.js';
import { CHUNK_ROWS, ColumnBuilder, DICT_LIMIT } from './column-builder.js';
import { streamCsv, sourceName, type CsvSource, type ReadCsvOptions } from './csv-stream.js';
import { featureNamesOf, MAX_AUTO_CLASSES, type ColumnSpec, type SchemaOptions, type TargetData, type TargetSpec, type Task } from './schema.js';
import type { Table } from './csv.js';

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Loads a CSV into a `Table` while it streams (see `loadTable` for the rules and errors). */
export function buildTable(source: CsvSource, options: SchemaOptions & ReadCsvOptions): Table {
  const file = sourceName(source);
  const maxCategories = options.maxCategories ?? 100;
  const limit = Math.max(DICT_LIMIT, maxCategories + 1);
  let features: ColumnBuilder[] = [];
  let target: ColumnBuilder | null = null;
  let used: (ColumnBuilder | null)[] = [];
  let rows = 0;
  streamCsv(source, options, {
    header(names) {
      const index = (name: string, role: string): number => {
        const i = names.indexOf(name);
        if (i < 0) throw new DataError(`unknown ${role} column ${showCell(name)}; available columns: ${names.join(', ')}`, { file });
        return i;
      };
      const t = index(options.target, 'target');
      const excluded = new Set((options.exclude ?? []).map((name) => index(name, 'excluded')));
      used = names.map((name, i) => (i === t || excluded.has(i) ? null : new ColumnBuilder(name, file, limit, false)));
      features = used.filter((c): c is ColumnBuilder => c !== null);
      target = used[t] = new ColumnBuilder(names[t]!, file, limit, true);
    },
    row(cells, line) {
      rows++;
      for (let i = 0; i < cells.length; i++) used[i]?.add(cells[i]!, line);
    },
  });
  const columns = features.map((c) => featureSpec(c, rows, maxCategories, file));
  if (columns.length === 0) throw new DataError('no feature columns: only the target column is left', { file });
  const targetSpec = inferTargetSpec(target!, rows, options.task ?? 'auto', file);
  const encoded = encode(features, columns, rows);
  return { source: file, rows, ...encoded, columns, target: encodeTargetColumn(target!, targetSpec, rows) };
}

function strayText(c: ColumnBuilder, rows: number, file: string, why: string): never {
  const t = c.firstText!;
  throw new DataError(`cell ${showCell(t.cell)} is not a number (${c.numbers} of ${rows} cells in this column are numbers${why})`, {
    file,
    line: t.line,
    column: c.name,
  });
}

/** All distinct cells of a column, sorted; null when it has more than its dictionary holds. */
function distinctCells(c: ColumnBuilder): string[] | null {
  return c.dict === null ? null : [...c.keys].sort(byCodeUnit);
}

function featureSpec(c: ColumnBuilder, rows: number, maxCategories: number, file: string): ColumnSpec {
  if (c.error) throw c.error;
  if (c.firstText === null) return { name: c.name, kind: 'numeric' };
  if (c.numbers * 2 > rows) strayText(c, rows, file, ', so it is read as numeric');
  const categories = distinctCells(c);
  if (categories === null || categories.length > maxCategories) {
    const count = categories === null ? `more than ${c.keys.length}` : String(categories.length);
    throw new DataError(
      `categorical column has ${count} distinct values, more than the limit of ${maxCategories}; exclude the column or encode it as numbers`,
      { file, column: c.name },
    );
  }
  return { name: c.name, kind: 'categorical', categories };
}

/** Distinct numbers of a numeric column, sorted; collection stops past `cap` values. */
function distinctNumbers(c: ColumnBuilder, rows: number, cap: number): number[] {
  const set = new Set<number>();
  if (c.dict !== null) for (const v of c.nums) set.add(v);
  else for (let r = 0; r < rows && set.size <= cap; r++) set.add(c.valueAt(r));
  return Array.from(set).sort((a, b) => a - b);
}

function inferTargetSpec(c: ColumnBuilder, rows: number, task: Task | 'auto', file: string): TargetSpec {
  const where = { file, column: c.name };
  if (c.error) throw c.error;
  const isText = c.firstText !== null;
  if (isText && (task === 'regression' || c.numbers * 2 > rows)) {
    strayText(c, rows, file, task === 'regression' ? ', and regression needs a numeric target' : '');
  }
  let classes: string[];
  if (isText) {
    const cells = distinctCells(c);
    if (cells === null) throw new DataError(`target has more than ${c.keys.length} distinct values, some of them text; that is too many classes`, where);
    classes = cells;
  } else {
    const distinct = distinctNumbers(c, rows, task === 'classification' ? Infinity : MAX_AUTO_CLASSES);
    if (distinct.length < 2) throw new DataError(`target has one distinct value (${distinct[0]}); it cannot be learned`, where);
    const looksLikeClasses = distinct.every(Number.isInteger) && distinct.length <= MAX_AUTO_CLASSES && distinct.length * 2 <= rows;
    if (task === 'regression' || (task === 'auto' && !looksLikeClasses)) return { name: c.name, task: 'regression' };
    classes = distinct.map(String);
  }
  if (classes.length < 2) throw new DataError(`target has one class (${showCell(classes[0] ?? '')}); classification needs at least 2`, where);
  return { name: c.name, task: 'classification', classes };
}

/** Copies the feature columns into a row-major block, freeing each chunk once every column has copied it. */
function encode(builders: ColumnBuilder[], columns: readonly ColumnSpec[], rows: number): { features: Float32Array; cols: number; featureNames: string[] } {
  const featureNames = featureNamesOf(columns);
  const cols = featureNames.length;
  const features = new Float32Array(rows * cols);
  const categoryOfCode = columns.map((s, j) => {
    if (s.kind === 'numeric') return null;
    const index = new Map(s.categories.map((k, i) => [k, i]));
    return Int32Array.from(builders[j]!.keys, (k) => index.get(k)!);
  });
  const offsets: number[] = [];
  columns.reduce((at, s) => (offsets.push(at), at + (s.kind === 'numeric' ? 1 : s.categories.length)), 0);
  for (let start = 0; start < rows; start += CHUNK_ROWS) {
    const end = Math.min(rows, start + CHUNK_ROWS);
    builders.forEach((b, j) => {
      const off = offsets[j]!;
      const cat = categoryOfCode[j];
      if (cat) for (let r = start; r < end; r++) features[r * cols + off + cat[b.codeAt(r)]!] = 1;
      else for (let r = start; r < end; r++) features[r * cols + off] = b.valueAt(r);
      b.release(start / CHUNK_ROWS);
    });
  }
  return { features, cols, featureNames };
}

function encodeTargetColumn(c: ColumnBuilder, spec: TargetSpec, rows: number): TargetData {
  if (spec.task === 'regression') {
    const values = new Float32Array(rows);
    for (let r = 0; r < rows; r++) values[r] = c.valueAt(r);
    return { name: spec.name, task: 'regression', values };
  }
  const index = new Map(spec.classes.map((k, i) => [k, i]));
  const labels = new Int32Array(rows);
  const text = c.firstText !== null;
  if (c.dict !== null) {
    const ofCode = c.keys.map((k, code) => (text ? index.get(k) : index.get(String(c.nums[code])))!);
    for (let r = 0; r < rows; r++) labels[r] = ofCode[c.codeAt(r)]!;
  } else {
    for (let r = 0; r < rows; r++) labels[r] = index.get(String(c.valueAt(r)))!;
  }
  return { name: spec.name, task: 'classification', classes: spec.classes, labels };
}
