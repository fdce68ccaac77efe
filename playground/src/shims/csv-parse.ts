/**
 * `csv-parse` in the browser: its published browser build, which carries its
 * own Buffer. src/data/csv-stream.ts hands text to the parser as
 * `Buffer.from(text)` (a Node global); here that global is the browser
 * build's own Buffer class, taken from a parsed option (csv-parse turns the
 * delimiter into one of its Buffers), so the parser accepts what it is fed.
 */
import { Parser } from 'csv-parse/browser/esm';

const sample = new Parser({}) as unknown as { api: { options: { delimiter: readonly object[] } } };
const BrowserBuffer = sample.api.options.delimiter[0]!.constructor;
const g = globalThis as { Buffer?: unknown };
g.Buffer ??= BrowserBuffer;

export { Parser };
