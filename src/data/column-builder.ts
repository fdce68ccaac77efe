/**
 * One CSV column collected while the file streams by, in typed arrays instead
 * of string cells (the strings of a 200 MB CSV took ten times the file).
 *
 * A column starts dictionary-encoded: each distinct cell gets a code, and the
 * rows store Int32 codes in 64 Ki-row chunks; a cell is parsed once per
 * distinct value. When the dictionary passes `limit` distinct cells the
 * column switches to storing the parsed numbers (Float32, or Float64 for the
 * target) with NaN for text cells: a column that big is numeric or an error.
 * The first bad cell (empty, NaN/Inf) is kept as the column's error and
 * storage stops; `schema.ts`'s rules are applied when the file has ended.
 */
import { DataError } from './data-error.js';
import { readNumber } from './schema.js';
import { releasable, release } from './releasable.js';

/** Rows per storage chunk (a power of two). */
export const CHUNK_ROWS = 1 << 16;
const SHIFT = 16;
const MASK = CHUNK_ROWS - 1;

/** Fewest distinct cells a column keeps dictionary-encoded (exact categories and counts up to here). */
export const DICT_LIMIT = 4096;

/** A chunk of `CHUNK_ROWS` elements in a releasable buffer (see releasable.ts). */
function newChunk<T>(make: new (b: ArrayBuffer) => T, bytesPer: number): T {
  return new make(releasable(CHUNK_ROWS * bytesPer));
}

/** Rows of the first chunk of a column at first; it doubles up to `CHUNK_ROWS` (small files stay small). */
const FIRST_ROWS = 256;

type Chunk = Int32Array | Float32Array | Float64Array;

/**
 * The chunk of `list` that row `r` goes in, allocated or grown as needed:
 * chunk 0 starts small and doubles (a plain array, copied on growth) until it
 * is full size; every full-size chunk is a releasable one.
 */
function chunkFor<T extends Chunk>(list: (T | undefined)[], r: number, make: new (b: ArrayBuffer) => T, bytesPer: number): T {
  const k = r >>> SHIFT;
  const at = r & MASK;
  const c = list[k];
  if (c !== undefined && at < c.length) return c;
  let next: T;
  if (k === 0 && at < CHUNK_ROWS / 2) {
    let n = c?.length ?? FIRST_ROWS;
    while (n <= at) n *= 2;
    next = new make(new ArrayBuffer(n * bytesPer));
  } else next = newChunk(make, bytesPer);
  if (c !== undefined) next.set(c as never);
  list[k] = next;
  return next;
}


/** The first text cell of a column. */
export interface TextCell {
  readonly row: number;
  readonly line: number;
  readonly cell: string;
}

/** Collects one column; see the file comment. */
export class ColumnBuilder {
  rows = 0;
  /** Cells that are numbers. */
  numbers = 0;
  firstText: TextCell | null = null;
  /** The first cell that is an error in every column (empty, NaN/Inf). */
  error: DataError | null = null;
  /** Dictionary mode: cell → code; null once the column stores values. */
  dict: Map<string, number> | null = new Map();
  /** Cell of each code. */
  readonly keys: string[] = [];
  /** Value of each code, NaN for text. */
  readonly nums: number[] = [];
  codes: (Int32Array | undefined)[] = [];
  values: (Float32Array | Float64Array | undefined)[] | null = null;
  private readonly where: { file: string; column: string; line: number };

  constructor(
    readonly name: string,
    file: string,
    private readonly limit: number,
    private readonly wide: boolean,
  ) {
    this.where = { file, column: name, line: 0 };
  }

  /** Adds the cell of the next row, which ends on `line`. */
  add(cell: string, line: number): void {
    const r = this.rows++;
    if (this.error !== null) return;
    if (this.dict !== null) {
      let code = this.dict.get(cell);
      if (code === undefined) {
        const v = this.parse(cell, line);
        if (v === undefined) return;
        if (this.keys.length < this.limit) {
          code = this.keys.length;
          this.dict.set(cell, code);
          this.keys.push(cell);
          this.nums.push(v ?? NaN);
        } else {
          this.toValues();
          return this.store(r, v ?? NaN, cell, line);
        }
      }
      chunkFor(this.codes as (Int32Array | undefined)[], r, Int32Array, 4)[r & MASK] = code;
      return this.count(r, this.nums[code]!, cell, line);
    }
    const v = this.parse(cell, line);
    if (v !== undefined) this.store(r, v ?? NaN, cell, line);
  }

  /** The parsed cell, null for text, undefined after recording an error. */
  private parse(cell: string, line: number): number | null | undefined {
    this.where.line = line;
    try {
      return readNumber(cell, this.where);
    } catch (e) {
      if (!(e instanceof DataError)) throw e;
      this.error = e;
      for (const c of this.codes) release(c);
      for (const c of this.values ?? []) release(c);
      this.codes = [];
      this.values = null;
      return undefined;
    }
  }

  private count(r: number, v: number, cell: string, line: number): void {
    if (v === v) this.numbers++;
    else if (this.firstText === null) this.firstText = { row: r, line, cell };
  }

  private store(r: number, v: number, cell: string, line: number): void {
    const values = this.values!;
    if (this.wide) chunkFor(values as (Float64Array | undefined)[], r, Float64Array, 8)[r & MASK] = v;
    else chunkFor(values as (Float32Array | undefined)[], r, Float32Array, 4)[r & MASK] = v;
    this.count(r, v, cell, line);
  }

  /** Leaves dictionary mode: the stored codes become values. */
  private toValues(): void {
    this.values = this.codes.map((codes) => {
      const n = codes!.length;
      const values = n < CHUNK_ROWS ? (this.wide ? new Float64Array(n) : new Float32Array(n)) : this.wide ? newChunk(Float64Array, 8) : newChunk(Float32Array, 4);
      for (let i = 0; i < n; i++) values[i] = this.nums[codes![i]!]!;
      release(codes);
      return values;
    });
    this.codes = [];
    this.dict = null;
  }

  /** Value of row `r` (NaN for text). */
  valueAt(r: number): number {
    if (this.values !== null) return this.values[r >>> SHIFT]![r & MASK]!;
    return this.nums[this.codes[r >>> SHIFT]![r & MASK]!]!;
  }

  /** Code of row `r` (dictionary mode only). */
  codeAt(r: number): number {
    return this.codes[r >>> SHIFT]![r & MASK]!;
  }

  /** Frees the storage of the chunk holding rows `[k·CHUNK_ROWS, (k+1)·CHUNK_ROWS)`. */
  release(k: number): void {
    if (this.values !== null) {
      release(this.values[k]);
      this.values[k] = undefined;
    } else {
      release(this.codes[k]);
      this.codes[k] = undefined;
    }
  }
}
