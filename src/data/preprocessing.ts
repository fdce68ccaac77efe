/**
 * `Preprocessing`: everything needed to turn a CSV into the exact inputs a
 * trained model expects — the column layout with its one-hot categories, the
 * target's task and classes, and the standardization fitted on the training
 * rows. It is saved next to the model as JSON so `evaluate`/`predict` on a new
 * file encode it identically (an unseen category is an error, not a silent
 * zero vector).
 *
 * `transform` is pure (no file system): pair it with `readCsv`. `transformFile`
 * streams a file instead (transform-stream.ts), encoding each row straight
 * into typed arrays, with the same results and errors: what `evaluate` and
 * `predict` use, so a big CSV never sits in memory as string cells.
 */
import { DataError } from './data-error.js';
import type { RawCsv, Table } from './csv.js';
import type { CsvSource, ReadCsvOptions } from './csv-stream.js';
import { encodeCsvStream } from './transform-stream.js';
import { StandardScaler, type StandardScalerJSON } from './scale.js';
import { encodeFeatures, encodeTarget, featureNamesOf, type ColumnSpec, type TargetData, type TargetSpec, type Task } from './schema.js';

/** JSON form of a `Preprocessing` (file `preprocessing.json` beside a saved model). */
export interface PreprocessingJSON {
  readonly format: 'regula-preprocessing';
  readonly version: 1;
  readonly columns: ColumnSpec[];
  readonly target: TargetSpec;
  /** Derived from `columns`; stored for people reading the file. */
  readonly featureNames: string[];
  readonly scaler: StandardScalerJSON | null;
}

/** Model-ready data: scaled features and, when the CSV has it, the target. */
export interface EncodedData {
  readonly rows: number;
  readonly cols: number;
  /** `[rows, cols]` row-major, standardized when the preprocessing has a scaler. */
  readonly features: Float32Array;
  readonly target: TargetData | null;
}

/** Options of `Preprocessing.transform`. */
export interface TransformOptions {
  /** Throw when the target column is absent (true for `evaluate`, false for `predict`). */
  readonly requireTarget?: boolean;
}

/**
 * A fitted, serializable preprocessing pipeline.
 *
 * @example
 * const table = loadTable('datasets/wine.csv', { target: 'cultivar' });
 * const split = trainValTestSplit(table.rows, { validation: 0.15, test: 0.15, seed: 1, labels });
 * const pre = Preprocessing.fit(table, split.train);
 * const x = pre.transformTable(table).features;          // standardized
 * const saved = JSON.stringify(pre);                     // with the model
 * const again = Preprocessing.fromJSON(JSON.parse(saved)).transform(readCsv('new.csv'));
 */
export class Preprocessing {
  readonly columns: readonly ColumnSpec[];
  readonly target: TargetSpec;
  readonly scaler: StandardScaler | null;
  /** One name per model input, `column=category` for one-hot inputs. */
  readonly featureNames: readonly string[];

  constructor(columns: readonly ColumnSpec[], target: TargetSpec, scaler: StandardScaler | null) {
    this.columns = columns;
    this.target = target;
    this.scaler = scaler;
    this.featureNames = featureNamesOf(columns);
    if (scaler && scaler.cols !== this.featureNames.length) {
      throw new DataError(`preprocessing: scaler has ${scaler.cols} columns but the layout has ${this.featureNames.length} features`);
    }
  }

  /** The learning task. */
  get task(): Task {
    return this.target.task;
  }

  /** Class names (index = label) for classification, `null` for regression. */
  get classes(): readonly string[] | null {
    return this.target.task === 'classification' ? this.target.classes : null;
  }

  /** Number of model inputs (features after one-hot encoding). */
  get inputSize(): number {
    return this.featureNames.length;
  }

  /**
   * Builds the preprocessing of `table`, fitting standardization of its
   * numeric columns on the rows `trainRows` only; one-hot columns are left
   * 0/1 (`standardize: false` skips scaling altogether).
   */
  static fit(table: Table, trainRows: ArrayLike<number>, options: { standardize?: boolean } = {}): Preprocessing {
    const t = table.target;
    const target: TargetSpec = t.task === 'classification' ? { name: t.name, task: t.task, classes: t.classes } : { name: t.name, task: t.task };
    if (options.standardize === false) return new Preprocessing(table.columns, target, null);
    const fitted = StandardScaler.fit(table.features, table.cols, trainRows);
    // One-hot columns stay 0/1: only numeric columns are standardized.
    const numeric = table.columns.flatMap((c) => (c.kind === 'numeric' ? [true] : c.categories.map(() => false)));
    const mean = fitted.mean.map((m, j) => (numeric[j] ? m : 0));
    const std = fitted.std.map((s, j) => (numeric[j] ? s : 1));
    return new Preprocessing(table.columns, target, new StandardScaler(mean, std));
  }

  /**
   * Encodes a parsed CSV with the saved layout and scales it. Columns are
   * matched by name; extra columns are ignored.
   *
   * @throws DataError for a missing feature column, unknown category or
   *   class, bad cells, or (with `requireTarget`) a missing target column.
   */
  transform(raw: RawCsv, options: TransformOptions = {}): EncodedData {
    const { features, cols } = encodeFeatures(raw, this.columns);
    const hasTarget = raw.header.includes(this.target.name);
    if (!hasTarget && options.requireTarget) {
      throw new DataError(`missing target column ${JSON.stringify(this.target.name)}; available columns: ${raw.header.join(', ')}`, {
        file: raw.source,
      });
    }
    const target = hasTarget ? encodeTarget(raw, this.target) : null;
    return { rows: raw.rows.length, cols, features: this.scale(features), target };
  }

  /**
   * `transform(readCsv(source, options), options)` without holding the CSV's
   * cells: the file (or text) streams through `streamCsv` and each row is
   * encoded as it arrives. Same features, target and errors as `transform`.
   *
   * @throws DataError for everything `readCsv` and `transform` reject.
   * @example
   * const data = pre.transformFile('new.csv', { requireTarget: true, encoding: 'latin1' });
   */
  transformFile(source: CsvSource, options: TransformOptions & ReadCsvOptions = {}): EncodedData {
    return encodeCsvStream(this, source, options);
  }

  /**
   * Scales a table loaded by `loadTable` with the same layout (the training
   * table itself, typically).
   *
   * @throws DataError when the table's features differ from the saved layout.
   */
  transformTable(table: Table): EncodedData {
    const same = table.featureNames.length === this.featureNames.length && table.featureNames.every((f, i) => f === this.featureNames[i]);
    if (!same) {
      throw new DataError(
        `feature layout differs from the saved one: got [${table.featureNames.join(', ')}], expected [${this.featureNames.join(', ')}]`,
        { file: table.source },
      );
    }
    return { rows: table.rows, cols: table.cols, features: this.scale(table.features), target: table.target };
  }

  /** Applies the scaler (a copy either way). */
  scale(features: Float32Array): Float32Array {
    return this.scaler ? this.scaler.transform(features, this.featureNames.length) : features.slice();
  }

  /** JSON form, restored by `fromJSON`. */
  toJSON(): PreprocessingJSON {
    return {
      format: 'regula-preprocessing',
      version: 1,
      columns: this.columns.map((c) => (c.kind === 'numeric' ? { ...c } : { ...c, categories: [...c.categories] })),
      target: this.target.task === 'classification' ? { ...this.target, classes: [...this.target.classes] } : { ...this.target },
      featureNames: [...this.featureNames],
      scaler: this.scaler ? this.scaler.toJSON() : null,
    };
  }

  /**
   * Restores a `Preprocessing` from `toJSON()` output, validating every field.
   *
   * @throws DataError naming the first invalid field.
   */
  static fromJSON(json: unknown): Preprocessing {
    const j = json as Partial<PreprocessingJSON> | null;
    const bad = (what: string): never => {
      throw new DataError(`invalid preprocessing JSON: ${what}`);
    };
    if (!j || typeof j !== 'object' || j.format !== 'regula-preprocessing') bad('format must be "regula-preprocessing"');
    if (j!.version !== 1) bad(`unsupported version ${String(j!.version)} (this Regula reads version 1)`);
    const isStrings = (a: unknown): a is string[] => Array.isArray(a) && a.every((s) => typeof s === 'string');
    if (!Array.isArray(j!.columns) || j!.columns.length === 0) bad('columns must be a non-empty array');
    const columns = j!.columns!.map((c: unknown, i): ColumnSpec => {
      const col = c as { name?: unknown; kind?: unknown; categories?: unknown };
      if (typeof col?.name !== 'string') return bad(`columns[${i}].name must be a string`);
      if (col.kind === 'numeric') return { name: col.name, kind: 'numeric' };
      if (col.kind === 'categorical' && isStrings(col.categories) && col.categories.length > 0) {
        return { name: col.name, kind: 'categorical', categories: col.categories };
      }
      return bad(`columns[${i}] must be {kind: "numeric"} or {kind: "categorical", categories: string[]}`);
    });
    const t = j!.target as { name?: unknown; task?: unknown; classes?: unknown } | undefined;
    if (typeof t?.name !== 'string') bad('target.name must be a string');
    let target: TargetSpec;
    if (t!.task === 'regression') target = { name: t!.name as string, task: 'regression' };
    else if (t!.task === 'classification' && isStrings(t!.classes) && t!.classes.length >= 2) {
      target = { name: t!.name as string, task: 'classification', classes: t!.classes };
    } else return bad('target must be {task: "regression"} or {task: "classification", classes: string[] (≥ 2)}');
    const scaler = j!.scaler === null || j!.scaler === undefined ? null : StandardScaler.fromJSON(j!.scaler);
    return new Preprocessing(columns, target, scaler);
  }
}
