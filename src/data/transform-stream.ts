/**
 * `encodeCsvStream`: the streaming form of `Preprocessing.transform(readCsv(…))`,
 * used by `Preprocessing.transformFile` (`regula evaluate` / `predict`).
 * Records from `streamCsv` are encoded row by row into Float32 row blocks
 * (features) and typed target chunks, never kept as string cells; when the
 * file has ended the blocks are scaled and copied into the final row-major
 * features, each block freed once copied. Peak memory is about twice the
 * numeric size of the data.
 *
 * Errors are those of the parsed path, chosen in the same order: the CSV's
 * shape errors (from `streamCsv`) first, then the first feature column (in
 * layout order) with a problem — missing, or its first bad cell in row order
 * (for a numeric column an empty/NaN/Inf cell anywhere wins over a text cell,
 * whose message counts the column's numbers) — then a missing required
 * target, then the target's first bad cell.
 */
import { DataError, showCell } from './data-error.js';
import { streamCsv, sourceName, type CsvSource, type ReadCsvOptions } from './csv-stream.js';
import { readNumber, type ColumnSpec, type TargetData, type TargetSpec } from './schema.js';
import type { StandardScaler } from './scale.js';
import { releasable, release } from './releasable.js';

/** What `encodeCsvStream` needs of a `Preprocessing`. */
export interface StreamLayout {
  readonly columns: readonly ColumnSpec[];
  readonly target: TargetSpec;
  readonly scaler: StandardScaler | null;
  readonly featureNames: readonly string[];
}

/** The encoded CSV (the fields of `EncodedData`). */
export interface StreamEncoded {
  readonly rows: number;
  readonly cols: number;
  readonly features: Float32Array;
  readonly target: TargetData | null;
}

/** Floats per feature block (4 MiB). */
const BLOCK_FLOATS = 1 << 20;
/** Rows per target chunk. */
const TARGET_ROWS = 1 << 16;

/** A numeric column's scan: the parsed path's `scanColumn` facts, gathered as rows stream by. */
interface NumericState {
  numbers: number;
  firstText: { line: number; cell: string } | null;
  /** First empty/NaN/Inf cell: reported whatever text cells come before it. */
  hard: DataError | null;
}

interface FeatureColumn {
  readonly spec: ColumnSpec;
  /** Index in the CSV row, -1 when the CSV lacks the column. */
  readonly at: number;
  readonly offset: number;
  readonly index: Map<string, number> | null;
  readonly num: NumericState;
  /** First error of a categorical column. */
  error: DataError | null;
}

const newNumeric = (): NumericState => ({ numbers: 0, firstText: null, hard: null });

/** Parses a cell for a numeric column, recording its facts; the value, or null for text or an error. */
function numericCell(s: NumericState, cell: string, file: string, line: number, column: string): number | null {
  if (s.hard !== null) return null;
  let v: number | null;
  try {
    v = readNumber(cell, { file, line, column });
  } catch (e) {
    if (!(e instanceof DataError)) throw e;
    s.hard = e;
    return null;
  }
  if (v === null) {
    if (s.firstText === null) s.firstText = { line, cell };
  } else s.numbers++;
  return v;
}

function numericError(s: NumericState, rows: number, file: string, column: string, why: string): DataError | null {
  if (s.hard !== null) return s.hard;
  if (s.firstText === null) return null;
  const t = s.firstText;
  return new DataError(`cell ${showCell(t.cell)} is not a number (${s.numbers} of ${rows} cells in this column are numbers${why})`, {
    file,
    line: t.line,
    column,
  });
}

/** The first error of a categorical cell or a class cell (empty/NaN/Inf, then unknown), or its index. */
function lookup(index: Map<string, number>, cell: string, byValue: boolean, where: { file: string; line: number; column: string }): number | DataError {
  let v: number | null;
  try {
    v = readNumber(cell, where);
  } catch (e) {
    if (!(e instanceof DataError)) throw e;
    return e;
  }
  const k = index.get(cell) ?? (byValue && v !== null ? index.get(String(v)) : undefined);
  if (k !== undefined) return k;
  const known = [...index.keys()].join(', ');
  return byValue
    ? new DataError(`unknown class ${showCell(cell)}; known classes: ${known}`, where)
    : new DataError(`unknown category ${showCell(cell)}; known categories: ${known}`, where);
}

/**
 * Encodes a CSV with a saved layout while it streams (see the file comment).
 *
 * @throws DataError: every error of `readCsv` and of `Preprocessing.transform`.
 */
export function encodeCsvStream(pre: StreamLayout, source: CsvSource, options: ReadCsvOptions & { requireTarget?: boolean }): StreamEncoded {
  const file = sourceName(source);
  const cols = pre.featureNames.length;
  const blockRows = Math.max(1, Math.floor(BLOCK_FLOATS / cols));
  const blocks: Float32Array[] = [];
  const labels: Int32Array[] = [];
  const values: Float32Array[] = [];
  const spec = pre.target;
  const classIndex = spec.task === 'classification' ? new Map(spec.classes.map((k, i) => [k, i])) : null;
  const targetNum = newNumeric();
  let targetError: DataError | null = null;
  let header: readonly string[] = [];
  let features: FeatureColumn[] = [];
  let targetAt = -1;
  let rows = 0;
  streamCsv(source, options, {
    header(names) {
      header = names;
      let offset = 0;
      features = pre.columns.map((c) => {
        const f: FeatureColumn = {
          spec: c,
          at: names.indexOf(c.name),
          offset,
          index: c.kind === 'categorical' ? new Map(c.categories.map((k, i) => [k, i])) : null,
          num: newNumeric(),
          error: null,
        };
        offset += c.kind === 'numeric' ? 1 : c.categories.length;
        return f;
      });
      targetAt = names.indexOf(spec.name);
    },
    row(cells, line) {
      const r = rows++;
      const b = Math.floor(r / blockRows);
      if (b === blocks.length) blocks.push(new Float32Array(releasable(blockRows * cols * 4)));
      const block = blocks[b]!;
      const base = (r - b * blockRows) * cols;
      for (const f of features) {
        if (f.at < 0) continue;
        const cell = cells[f.at]!;
        if (f.index === null) {
          const v = numericCell(f.num, cell, file, line, f.spec.name);
          if (v !== null) block[base + f.offset] = v;
        } else if (f.error === null) {
          const k = lookup(f.index, cell, false, { file, line, column: f.spec.name });
          if (typeof k === 'number') block[base + f.offset + k] = 1;
          else f.error = k;
        }
      }
      if (targetAt < 0) return;
      const t = r % TARGET_ROWS;
      const cell = cells[targetAt]!;
      if (classIndex === null) {
        if (t === 0) values.push(new Float32Array(releasable(TARGET_ROWS * 4)));
        const v = numericCell(targetNum, cell, file, line, spec.name);
        if (v !== null) values[values.length - 1]![t] = v;
      } else {
        if (t === 0) labels.push(new Int32Array(releasable(TARGET_ROWS * 4)));
        if (targetError !== null) return;
        const k = lookup(classIndex, cell, true, { file, line, column: spec.name });
        if (typeof k === 'number') labels[labels.length - 1]![t] = k;
        else targetError = k;
      }
    },
  });
  try {
    for (const f of features) {
      if (f.at < 0) {
        const expected = pre.columns.map((c) => c.name).join(', ');
        throw new DataError(`missing column ${showCell(f.spec.name)}; expected columns: ${expected}`, { file });
      }
      const e = f.index === null ? numericError(f.num, rows, file, f.spec.name, ', and it is a numeric column') : f.error;
      if (e !== null) throw e;
    }
    if (targetAt < 0 && options.requireTarget) {
      throw new DataError(`missing target column ${JSON.stringify(spec.name)}; available columns: ${header.join(', ')}`, { file });
    }
    const e = classIndex === null ? numericError(targetNum, rows, file, spec.name, ', and regression needs a numeric target') : targetError;
    if (targetAt >= 0 && e !== null) throw e;
  } catch (e) {
    for (const a of [...blocks, ...labels, ...values]) release(a);
    throw e;
  }
  const target = targetAt < 0 ? null : targetData(spec, rows, labels, values);
  return { rows, cols, features: joinBlocks(pre.scaler, blocks, blockRows, rows, cols), target };
}

/** Copies the blocks into one row-major array, freeing each once copied, and scales it. */
function joinBlocks(scaler: StandardScaler | null, blocks: Float32Array[], blockRows: number, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  blocks.forEach((block, b) => {
    const n = Math.min(blockRows, rows - b * blockRows) * cols;
    const at = b * blockRows * cols;
    out.set(block.subarray(0, n), at);
    release(block);
    // In place, with `StandardScaler.transform`'s arithmetic (no temporary copy per block).
    if (scaler) for (let i = at; i < at + n; i += cols) for (let j = 0; j < cols; j++) out[i + j] = (out[i + j]! - scaler.mean[j]!) / scaler.std[j]!;
  });
  return out;
}

function targetData(spec: TargetSpec, rows: number, labels: Int32Array[], values: Float32Array[]): TargetData {
  const join = <T extends Int32Array | Float32Array>(chunks: T[], out: T): T => {
    chunks.forEach((c, i) => {
      out.set(c.subarray(0, Math.min(TARGET_ROWS, rows - i * TARGET_ROWS)), i * TARGET_ROWS);
      release(c);
    });
    return out;
  };
  if (spec.task === 'regression') return { name: spec.name, task: 'regression', values: join(values, new Float32Array(rows)) };
  return { name: spec.name, task: 'classification', classes: spec.classes, labels: join(labels, new Int32Array(rows)) };
}
