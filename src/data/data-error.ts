/**
 * The one error type of `src/data/`: bad input data (a missing or malformed
 * file, an unknown column, a bad cell …). The CLI maps it to exit code 2 and
 * prints its message, which is always a single line that names the place
 * (`file:line`, column) and the problem.
 */

/** Where in an input a problem was found. All parts are optional. */
export interface DataErrorLocation {
  /** File path, or a label such as `<text>` for in-memory input. */
  readonly file?: string;
  /** 1-based line number in the file. */
  readonly line?: number;
  /** Column name (CSV) or field. */
  readonly column?: string;
}

/**
 * Bad input data. `message` reads `file:line: column "c": problem`, with the
 * parts that are known.
 *
 * @example
 * throw new DataError('cell "abc" is not a number', { file: 'a.csv', line: 7, column: 'age' });
 * // message: a.csv:7: column "age": cell "abc" is not a number
 */
export class DataError extends Error {
  override readonly name = 'DataError';
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly column: string | undefined;
  /** The problem alone, without the location prefix. */
  readonly problem: string;

  constructor(problem: string, where: DataErrorLocation = {}) {
    super(formatLocation(where) + oneLine(problem));
    this.problem = oneLine(problem);
    this.file = where.file;
    this.line = where.line;
    this.column = where.column;
  }
}

function formatLocation(w: DataErrorLocation): string {
  let s = '';
  if (w.file !== undefined) s += w.line !== undefined ? `${w.file}:${w.line}: ` : `${w.file}: `;
  else if (w.line !== undefined) s += `line ${w.line}: `;
  if (w.column !== undefined) s += `column ${JSON.stringify(w.column)}: `;
  return s;
}

/** Keeps messages to one line whatever the data contained. */
function oneLine(s: string): string {
  return s.replace(/[\r\n]+/g, ' ');
}

/** Shows a cell value in a message: quoted, control characters escaped, long values cut. */
export function showCell(value: string): string {
  const cut = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  return JSON.stringify(cut);
}
