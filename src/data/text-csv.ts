/**
 * A labelled text CSV (Node only: it reads a file), e.g.
 * `datasets/spam_assassin.csv` with columns `text,label`, as texts and class
 * labels for `fitTokenizer`.
 */
import { readCsv, type CsvSource } from './csv.js';
import { DataError } from './data-error.js';

/** A labelled text CSV: the texts and their class labels (classes sorted, label = index). */
export interface TextDataset {
  readonly texts: string[];
  readonly labels: Int32Array;
  readonly classes: string[];
}

/**
 * Reads a CSV with a text column and a class column (e.g.
 * `datasets/spam_assassin.csv`: `text,label`).
 *
 * @throws DataError naming the file for a missing column or file.
 */
export function readTextCsv(source: CsvSource, columns: { text: string; target: string }): TextDataset {
  const raw = readCsv(source);
  const col = (name: string): number => {
    const i = raw.header.indexOf(name);
    if (i < 0) throw new DataError(`no column "${name}"; columns: ${raw.header.join(', ')}`, { file: raw.source });
    return i;
  };
  const [ti, yi] = [col(columns.text), col(columns.target)];
  const classes = [...new Set(raw.rows.map((r) => r[yi]!))].sort();
  const index = new Map(classes.map((c, i) => [c, i]));
  return { texts: raw.rows.map((r) => r[ti]!), labels: Int32Array.from(raw.rows, (r) => index.get(r[yi]!)!), classes };
}
