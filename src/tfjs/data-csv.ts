/**
 * `tf.data.csv(source, config)`: a dataset of CSV rows read as a stream (a
 * path or `file://` URL in Node, an http(s) URL through fetch), one row per
 * element: `{column: value}`, or `{xs: {...}, ys: {...}}` when some columns
 * have `isLabel`. Numeric fields become numbers, others stay strings (as
 * TF.js; strings cannot be batched into tensors here). Quoted fields may
 * hold the delimiter and doubled quotes, not line breaks.
 */
import type { TensorContainer } from './engine.js';
import { Dataset, type LazyIterator } from './data.js';

/** One column's options (TF.js's ColumnConfig). */
export interface ColumnConfig {
  required?: boolean;
  dtype?: 'float32' | 'int32';
  default?: number | string;
  isLabel?: boolean;
}

/** TF.js's CSVConfig. */
export interface CSVConfig {
  hasHeader?: boolean;
  columnNames?: string[];
  columnConfigs?: { [key: string]: ColumnConfig };
  configuredColumnsOnly?: boolean;
  delimiter?: string;
  delimWhitespace?: boolean;
}

type NodeFs = { createReadStream(path: string): AsyncIterable<Uint8Array> };

/** The chunks of a file (Node) or of an http(s) response. */
async function* chunks(source: string): AsyncGenerator<Uint8Array> {
  if (/^https?:\/\//i.test(source)) {
    const res = await fetch(source);
    if (!res.ok || !res.body) throw new Error(`csv: fetching ${source} failed: HTTP ${res.status}`);
    const reader = res.body.getReader();
    for (let r = await reader.read(); !r.done; r = await reader.read()) yield r.value;
    return;
  }
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const fs = proc?.getBuiltinModule?.('node:fs') as NodeFs | undefined;
  if (!fs) throw new Error(`csv: reading '${source}' needs Node ≥ 20.16 (a file path or file:// URL); in a browser pass an http(s) URL`);
  const path = /^file:\/\//i.test(source) ? decodeURIComponent(new URL(source).pathname) : source;
  yield* fs.createReadStream(path);
}

/** The lines of a stream, without line ends (\n or \r\n); empty lines skipped. */
async function* lines(source: string): AsyncGenerator<string> {
  const dec = new TextDecoder('utf-8', { fatal: true });
  let rest = '';
  for await (const c of chunks(source)) {
    rest += dec.decode(c, { stream: true });
    let nl: number;
    while ((nl = rest.indexOf('\n')) >= 0) {
      const line = rest.slice(0, nl).replace(/\r$/, '');
      rest = rest.slice(nl + 1);
      if (line.trim() !== '') yield line;
    }
  }
  rest += dec.decode();
  if (rest.replace(/\r$/, '').trim() !== '') yield rest.replace(/\r$/, '');
}

/** Splits one line into fields (RFC 4180 quotes within the line). */
export function splitLine(line: string, delimiter: string, whitespace: boolean): string[] {
  if (whitespace) return line.trim().split(/\s+/);
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') (cur += '"'), i++;
      else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"' && cur === '') quoted = true;
    else if (line.startsWith(delimiter, i)) (out.push(cur), (cur = ''), (i += delimiter.length - 1));
    else cur += ch;
  }
  out.push(cur);
  return out;
}

function value(field: string | undefined, name: string, cfg: ColumnConfig | undefined, row: number): number | string | undefined {
  if (field === undefined || field === '') {
    if (cfg?.default !== undefined) return cfg.default;
    if (cfg?.required || cfg?.isLabel) throw new Error(`csv: required column '${name}' is empty in row ${row}`);
    return undefined;
  }
  const n = Number(field);
  if (field.trim() !== '' && Number.isFinite(n)) return cfg?.dtype === 'int32' ? Math.trunc(n) : n;
  return field;
}

/** The column names: from the config or the header line. */
async function columnNamesOf(src: string, cfg: CSVConfig): Promise<string[]> {
  if (cfg.columnNames) return cfg.columnNames;
  if (cfg.hasHeader === false) throw new Error('csv: hasHeader is false, so columnNames must be given');
  for await (const l of lines(src)) return splitLine(l, cfg.delimiter ?? ',', cfg.delimWhitespace === true).map((s) => s.trim());
  throw new Error(`csv: ${src} is empty`);
}

async function rowsOf(src: string, cfg: CSVConfig): Promise<LazyIterator<TensorContainer>> {
  const names = await columnNamesOf(src, cfg);
  const configs = cfg.columnConfigs ?? {};
  for (const k of Object.keys(configs)) if (!names.includes(k)) throw new Error(`csv: columnConfigs names '${k}', which is not a column (${names.join(', ')})`);
  const keep = names.filter((n) => !cfg.configuredColumnsOnly || n in configs);
  const labels = keep.filter((n) => configs[n]?.isLabel);
  const it = lines(src);
  if (cfg.hasHeader !== false) await it.next();
  let row = 0;
  return {
    next: async () => {
      const r = await it.next();
      if (r.done) return { done: true, value: undefined };
      row++;
      const fields = splitLine(r.value, cfg.delimiter ?? ',', cfg.delimWhitespace === true);
      if (fields.length !== names.length) throw new Error(`csv: row ${row} has ${fields.length} fields, the header ${names.length}`);
      const xs: Record<string, number | string | undefined> = {};
      const ys: Record<string, number | string | undefined> = {};
      for (const n of keep) (labels.includes(n) ? ys : xs)[n] = value(fields[names.indexOf(n)], n, configs[n], row);
      return { done: false, value: (labels.length > 0 ? { xs, ys } : xs) as TensorContainer };
    },
  };
}

/** A CSV dataset (TF.js's CSVDataset). */
export class CSVDataset extends Dataset<TensorContainer> {
  constructor(
    private readonly src: string,
    private readonly config: CSVConfig = {},
  ) {
    super(() => rowsOf(src, config), null);
  }

  /** The column names: from the config or the header line. */
  columnNames(): Promise<string[]> {
    return columnNamesOf(this.src, this.config);
  }
}

/** `tf.data.csv`: rows of a CSV file (Node: a path or file:// URL) or http(s) URL, streamed. */
export function csv(source: string, csvConfig: CSVConfig = {}): CSVDataset {
  return new CSVDataset(source, csvConfig);
}
