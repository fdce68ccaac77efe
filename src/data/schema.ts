/**
 * Column types, task inference and encoding of parsed CSV cells into numbers.
 * Pure (no file system): `inferSchema` decides how each column is read;
 * `encodeFeatures` / `encodeTarget` apply a schema, the same one at training
 * time and, restored from JSON by `Preprocessing`, at predict time.
 *
 * Rules (documented once here and in the CLI help):
 * - A cell is a number if it matches `[+-]digits[.digits][e±digits]`. Empty
 *   cells are errors (missing values are not supported). `NaN`, `Inf`,
 *   `Infinity` (any case, any sign) and numbers beyond float32 range are errors
 *   in every column.
 * - A feature column is **numeric** when all its cells are numbers, and
 *   **categorical** (one-hot encoded, categories sorted) when at least half
 *   are not. A column that is mostly numbers with some text cells is an
 *   error naming its first text cell: that is a typo, not a category.
 * - A categorical column may have at most `maxCategories` (default 100)
 *   distinct values; more is almost always an id or free text.
 * - The task is **classification** when the target has text cells (by the
 *   same majority rule), or when all target values are integers with at most
 *   20 distinct values and no more distinct values than half the rows.
 *   Otherwise it is **regression**. `task` overrides this.
 * - Classes are sorted: text classes by code unit order, numeric classes by
 *   value (written as `String(number)`, so `1.0` and `1` are class `1`).
 */
import { DataError, showCell, type DataErrorLocation } from './data-error.js';
import type { RawCsv } from './csv.js';

/** The learning task. */
export type Task = 'classification' | 'regression';

/** How one input column becomes features. */
export type ColumnSpec =
  | { readonly name: string; readonly kind: 'numeric' }
  | { readonly name: string; readonly kind: 'categorical'; readonly categories: readonly string[] };

/** How the target column is read. */
export type TargetSpec =
  | { readonly name: string; readonly task: 'classification'; readonly classes: readonly string[] }
  | { readonly name: string; readonly task: 'regression' };

/** A target with its encoded values: `labels[i]` indexes `classes`. */
export type TargetData =
  | { readonly name: string; readonly task: 'classification'; readonly classes: readonly string[]; readonly labels: Int32Array }
  | { readonly name: string; readonly task: 'regression'; readonly values: Float32Array };

/** Options of `inferSchema`. */
export interface SchemaOptions {
  /** Name of the target column. */
  readonly target: string;
  /** Task; `'auto'` (default) infers it. */
  readonly task?: Task | 'auto';
  /** Columns to ignore (e.g. an id column). */
  readonly exclude?: readonly string[];
  /** Most distinct values a categorical column may have (default 100). */
  readonly maxCategories?: number;
}

/** The result of `inferSchema`. */
export interface Schema {
  readonly columns: readonly ColumnSpec[];
  readonly target: TargetSpec;
}

/** Most distinct integer values an `auto` numeric target may have and still be classes. */
export const MAX_AUTO_CLASSES = 20;

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const NON_FINITE = /^[+-]?(nan|inf|infinity)$/i;

/**
 * Reads one cell as a number: the value, or `null` when the cell is text.
 * Throws a DataError for empty cells and NaN/Inf (written or by overflow).
 */
export function parseCell(raw: RawCsv, row: number, col: number): number | null {
  return readNumber(raw.rows[row]![col]!, { file: raw.source, line: raw.lines[row], column: raw.header[col] });
}

/**
 * Reads one cell as a number, `null` for text, by the rules above; `where`
 * locates the cell in error messages.
 *
 * @throws DataError for an empty cell or NaN/Inf (written or by overflow).
 */
export function readNumber(cell: string, where: DataErrorLocation): number | null {
  if (cell === '') throw new DataError('empty cell (missing values are not supported)', where);
  if (NON_FINITE.test(cell)) throw new DataError(`cell ${showCell(cell)} is NaN/Inf; only finite numbers are allowed`, where);
  if (!NUMBER.test(cell)) return null;
  const v = Number(cell);
  if (!Number.isFinite(Math.fround(v))) throw new DataError(`cell ${showCell(cell)} is outside the float32 range (Inf)`, where);
  return v;
}

interface ColumnScan {
  values: (number | null)[];
  numbers: number;
  firstText: number;
}

function scanColumn(raw: RawCsv, col: number): ColumnScan {
  const values: (number | null)[] = [];
  let numbers = 0;
  let firstText = -1;
  for (let r = 0; r < raw.rows.length; r++) {
    const v = parseCell(raw, r, col);
    values.push(v);
    if (v !== null) numbers++;
    else if (firstText < 0) firstText = r;
  }
  return { values, numbers, firstText };
}

/** Throws for a mostly numeric column with a text cell (the majority rule). */
function rejectStrayText(raw: RawCsv, col: number, s: ColumnScan, why: string): void {
  if (s.firstText < 0) return;
  const n = raw.rows.length;
  const cell = raw.rows[s.firstText]![col]!;
  throw new DataError(`cell ${showCell(cell)} is not a number (${s.numbers} of ${n} cells in this column are numbers${why})`, {
    file: raw.source,
    line: raw.lines[s.firstText],
    column: raw.header[col],
  });
}

function sortedDistinct(raw: RawCsv, col: number): string[] {
  const set = new Set<string>();
  for (const row of raw.rows) set.add(row[col]!);
  return [...set].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function columnIndex(raw: RawCsv, name: string, role: string): number {
  const i = raw.header.indexOf(name);
  if (i < 0) {
    throw new DataError(`unknown ${role} column ${showCell(name)}; available columns: ${raw.header.join(', ')}`, { file: raw.source });
  }
  return i;
}

/**
 * Decides how every column is read (see the rules at the top of this file).
 *
 * @throws DataError for an unknown target or excluded column, no feature
 *   columns, bad cells, too many categories, or a target with one class/value.
 */
export function inferSchema(raw: RawCsv, options: SchemaOptions): Schema {
  const targetCol = columnIndex(raw, options.target, 'target');
  const excluded = new Set((options.exclude ?? []).map((name) => columnIndex(raw, name, 'excluded')));
  const maxCategories = options.maxCategories ?? 100;
  const columns: ColumnSpec[] = [];
  raw.header.forEach((name, col) => {
    if (col === targetCol || excluded.has(col)) return;
    const s = scanColumn(raw, col);
    if (s.firstText < 0) return void columns.push({ name, kind: 'numeric' });
    if (s.numbers * 2 > raw.rows.length) rejectStrayText(raw, col, s, ', so it is read as numeric');
    const categories = sortedDistinct(raw, col);
    if (categories.length > maxCategories) {
      throw new DataError(
        `categorical column has ${categories.length} distinct values, more than the limit of ${maxCategories}; exclude the column or encode it as numbers`,
        { file: raw.source, column: name },
      );
    }
    columns.push({ name, kind: 'categorical', categories });
  });
  if (columns.length === 0) throw new DataError('no feature columns: only the target column is left', { file: raw.source });
  return { columns, target: inferTarget(raw, targetCol, options.task ?? 'auto') };
}

function inferTarget(raw: RawCsv, col: number, task: Task | 'auto'): TargetSpec {
  const name = raw.header[col]!;
  const where = { file: raw.source, column: name };
  const s = scanColumn(raw, col);
  const isText = s.firstText >= 0;
  if (isText && (task === 'regression' || s.numbers * 2 > raw.rows.length)) {
    rejectStrayText(raw, col, s, task === 'regression' ? ', and regression needs a numeric target' : '');
  }
  let classes: string[];
  if (isText) {
    classes = sortedDistinct(raw, col);
  } else {
    const distinct = [...new Set(s.values as number[])].sort((a, b) => a - b);
    if (distinct.length < 2) {
      throw new DataError(`target has one distinct value (${distinct[0]}); it cannot be learned`, where);
    }
    const looksLikeClasses =
      distinct.every(Number.isInteger) && distinct.length <= MAX_AUTO_CLASSES && distinct.length * 2 <= raw.rows.length;
    if (task === 'regression' || (task === 'auto' && !looksLikeClasses)) return { name, task: 'regression' };
    classes = distinct.map(String);
  }
  if (classes.length < 2) {
    throw new DataError(`target has one class (${showCell(classes[0] ?? '')}); classification needs at least 2`, where);
  }
  return { name, task: 'classification', classes };
}

/** The numeric features of `raw` under `columns`, plus their names. */
export interface EncodedFeatures {
  readonly features: Float32Array;
  readonly cols: number;
  readonly featureNames: string[];
}

/** Feature names of a column layout: the column name, or `name=category` per one-hot column. */
export function featureNamesOf(columns: readonly ColumnSpec[]): string[] {
  return columns.flatMap((c) => (c.kind === 'numeric' ? [c.name] : c.categories.map((k) => `${c.name}=${k}`)));
}

/**
 * Encodes the feature columns of `raw` with a fixed layout: columns are found
 * by name (extra CSV columns are ignored), categories one-hot in the saved
 * order.
 *
 * @throws DataError for a missing column, an unknown category, a text cell in
 *   a numeric column, empty or NaN/Inf cells.
 */
export function encodeFeatures(raw: RawCsv, columns: readonly ColumnSpec[]): EncodedFeatures {
  const featureNames = featureNamesOf(columns);
  const cols = featureNames.length;
  const n = raw.rows.length;
  const features = new Float32Array(n * cols);
  let offset = 0;
  for (const spec of columns) {
    const col = raw.header.indexOf(spec.name);
    if (col < 0) {
      const expected = columns.map((c) => c.name).join(', ');
      throw new DataError(`missing column ${showCell(spec.name)}; expected columns: ${expected}`, { file: raw.source });
    }
    if (spec.kind === 'numeric') {
      for (let r = 0; r < n; r++) {
        const v = parseCell(raw, r, col);
        if (v === null) rejectStrayText(raw, col, scanColumn(raw, col), ', and it is a numeric column');
        features[r * cols + offset] = v!;
      }
      offset += 1;
    } else {
      const index = new Map(spec.categories.map((k, i) => [k, i]));
      for (let r = 0; r < n; r++) {
        const cell = raw.rows[r]![col]!;
        parseCell(raw, r, col); // rejects empty and NaN/Inf cells
        const k = index.get(cell);
        if (k === undefined) {
          throw new DataError(`unknown category ${showCell(cell)}; known categories: ${spec.categories.join(', ')}`, {
            file: raw.source,
            line: raw.lines[r],
            column: spec.name,
          });
        }
        features[r * cols + offset + k] = 1;
      }
      offset += spec.categories.length;
    }
  }
  return { features, cols, featureNames };
}

/**
 * Encodes the target column of `raw` with a fixed spec: class names to
 * indices of `spec.classes`, or regression values.
 *
 * @throws DataError for a missing target column, an unknown class, a text
 *   cell in a regression target, empty or NaN/Inf cells.
 */
export function encodeTarget(raw: RawCsv, spec: TargetSpec): TargetData {
  const col = columnIndex(raw, spec.name, 'target');
  const n = raw.rows.length;
  if (spec.task === 'regression') {
    const values = new Float32Array(n);
    for (let r = 0; r < n; r++) {
      const v = parseCell(raw, r, col);
      if (v === null) rejectStrayText(raw, col, scanColumn(raw, col), ', and regression needs a numeric target');
      values[r] = v!;
    }
    return { name: spec.name, task: 'regression', values };
  }
  const index = new Map(spec.classes.map((k, i) => [k, i]));
  const labels = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const cell = raw.rows[r]![col]!;
    const v = parseCell(raw, r, col);
    const k = index.get(cell) ?? (v === null ? undefined : index.get(String(v)));
    if (k === undefined) {
      throw new DataError(`unknown class ${showCell(cell)}; known classes: ${spec.classes.join(', ')}`, {
        file: raw.source,
        line: raw.lines[r],
        column: spec.name,
      });
    }
    labels[r] = k;
  }
  return { name: spec.name, task: 'classification', classes: spec.classes, labels };
}
