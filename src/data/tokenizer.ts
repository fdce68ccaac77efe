/**
 * Text → integer ids for Embedding + RNN models: a vocabulary fitted on the
 * training texts only, then every text turned into a fixed-length row of
 * ids, padded with 0 (so `embedding({maskZero: true})` masks the padding) and
 * truncated. Keras's TextVectorization conventions: id 0 is the padding, id 1
 * the out-of-vocabulary token `[UNK]`, then the tokens by decreasing count
 * (ties by first appearance in the training texts); `maxTokens` counts the
 * padding and `[UNK]` too. The fitted tokenizer is plain JSON (`toJSON` /
 * `Tokenizer.fromJSON`), saved with a model as an extra file like
 * `preprocessing.json`:
 *
 * @example
 * const tok = fitTokenizer(trainTexts, { maxTokens: 10000, length: 100 });
 * const x = tok.encode(trainTexts);                  // int32 [n, 100]
 * await model.save(dir, { extraFiles: [tok.extraFile()] });
 * const again = Tokenizer.fromJSON(JSON.parse(await readExtraFile(dir, TOKENIZER_JSON)));
 */
import { Tensor } from '../tensor/tensor.js';
import { DataError } from './data-error.js';

/** The extra file a tokenizer is saved as next to a model. */
export const TOKENIZER_JSON = 'tokenizer.json';

/** Id of the padding (and of the masked steps). */
export const PAD_ID = 0;
/** Id of tokens outside the vocabulary. */
export const OOV_ID = 1;
/** The out-of-vocabulary token, as Keras writes it. */
export const OOV_TOKEN = '[UNK]';

/** Options of `fitTokenizer`. */
export interface TokenizerOptions {
  /** Vocabulary size including the padding (0) and `[UNK]` (1); default: every token seen. */
  readonly maxTokens?: number;
  /** Lowercase before splitting (default true, as Keras's 'lower_and_strip_punctuation'). */
  readonly lowercase?: boolean;
  /** Keep only tokens seen at least this often in the training texts (default 1). */
  readonly minCount?: number;
  /** Row length of `encode` (default: the longest training text, in tokens). */
  readonly length?: number;
  /** Where `encode` pads short rows: 'post' (default, after the tokens, as TextVectorization) or 'pre'. */
  readonly padding?: 'pre' | 'post';
  /** Which end `encode` cuts from long rows: 'post' (default: keep the first tokens) or 'pre'. */
  readonly truncating?: 'pre' | 'post';
}

/** The JSON form of a fitted tokenizer. */
export interface TokenizerJSON {
  readonly format: 'regula-tokenizer';
  readonly version: 1;
  readonly lowercase: boolean;
  readonly length: number;
  readonly padding: 'pre' | 'post';
  readonly truncating: 'pre' | 'post';
  /** Tokens by id from id 2 on (0 is the padding, 1 `[UNK]`). */
  readonly vocabulary: readonly string[];
}

/** Words: runs of letters, digits and apostrophes inside words (Unicode-aware). */
const WORD = /[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*/gu;

/** A fitted vocabulary and row shape. */
export class Tokenizer {
  private readonly ids: Map<string, number>;

  private constructor(
    readonly vocabulary: readonly string[],
    readonly lowercase: boolean,
    readonly length: number,
    readonly padding: 'pre' | 'post',
    readonly truncating: 'pre' | 'post',
  ) {
    this.ids = new Map(vocabulary.map((t, i) => [t, i + 2]));
  }

  /** Fits on `texts` (the training split only). */
  static fit(texts: readonly string[], o: TokenizerOptions = {}): Tokenizer {
    const lowercase = o.lowercase ?? true;
    const minCount = o.minCount ?? 1;
    if (o.maxTokens !== undefined && (!Number.isInteger(o.maxTokens) || o.maxTokens < 2)) throw new DataError(`fitTokenizer: maxTokens must be an integer >= 2 (it counts the padding 0 and [UNK] 1), got ${o.maxTokens}`);
    if (!Number.isInteger(minCount) || minCount < 1) throw new DataError(`fitTokenizer: minCount must be a positive integer, got ${minCount}`);
    if (o.length !== undefined && (!Number.isInteger(o.length) || o.length < 1)) throw new DataError(`fitTokenizer: length must be a positive integer, got ${o.length}`);
    const counts = new Map<string, number>();
    let longest = 0;
    texts.forEach((t, i) => {
      if (typeof t !== 'string') throw new DataError(`fitTokenizer: text ${i} is ${t === null ? 'null' : typeof t}, not a string`);
      const toks = splitWords(t, lowercase);
      longest = Math.max(longest, toks.length);
      for (const w of toks) counts.set(w, (counts.get(w) ?? 0) + 1);
    });
    // Map iteration is insertion order, so the stable sort breaks ties by first appearance.
    const ranked = [...counts].filter(([, c]) => c >= minCount).sort((a, b) => b[1] - a[1]);
    const keep = o.maxTokens === undefined ? ranked.length : Math.min(ranked.length, o.maxTokens - 2);
    const vocab = ranked.slice(0, keep).map(([w]) => w);
    return new Tokenizer(vocab, lowercase, o.length ?? Math.max(longest, 1), o.padding ?? 'post', o.truncating ?? 'post');
  }

  /** Restores a tokenizer from `toJSON()` output, validating every field. */
  static fromJSON(json: unknown, where = TOKENIZER_JSON): Tokenizer {
    const bad = (what: string): never => {
      throw new DataError(`${where}: ${what}`);
    };
    if (typeof json !== 'object' || json === null || Array.isArray(json)) return bad('expected a tokenizer object');
    const j = json as Record<string, unknown>;
    if (j['format'] !== 'regula-tokenizer' || j['version'] !== 1) bad(`not a regula tokenizer (format ${JSON.stringify(j['format'])}, version ${JSON.stringify(j['version'])})`);
    if (typeof j['lowercase'] !== 'boolean') bad('lowercase must be true or false');
    if (!Number.isInteger(j['length']) || (j['length'] as number) < 1) bad(`length must be a positive integer, got ${JSON.stringify(j['length'])}`);
    for (const k of ['padding', 'truncating']) if (j[k] !== 'pre' && j[k] !== 'post') bad(`${k} must be 'pre' or 'post', got ${JSON.stringify(j[k])}`);
    const v = j['vocabulary'];
    if (!Array.isArray(v)) return bad('vocabulary must be a list of tokens');
    const seen = new Set<string>();
    v.forEach((t, i) => {
      if (typeof t !== 'string' || t.length === 0) bad(`vocabulary[${i}] must be a non-empty string, got ${JSON.stringify(t)}`);
      if (seen.has(t as string)) bad(`vocabulary[${i}] '${t as string}' is listed twice`);
      seen.add(t as string);
    });
    return new Tokenizer(v as string[], j['lowercase'] as boolean, j['length'] as number, j['padding'] as 'pre' | 'post', j['truncating'] as 'pre' | 'post');
  }

  /** Number of ids, padding and `[UNK]` included: the `inputDim` of the Embedding. */
  get size(): number {
    return this.vocabulary.length + 2;
  }

  /** The token of an id ('' for the padding, `[UNK]` for 1). */
  token(id: number): string {
    if (id === PAD_ID) return '';
    if (id === OOV_ID) return OOV_TOKEN;
    const t = this.vocabulary[id - 2];
    if (t === undefined) throw new RangeError(`Tokenizer.token: id ${id} is outside the vocabulary [0, ${this.size})`);
    return t;
  }

  /** The ids of one text's tokens (unpadded; unknown tokens → 1). */
  tokenIds(text: string): number[] {
    return splitWords(text, this.lowercase).map((w) => this.ids.get(w) ?? OOV_ID);
  }

  /** Texts → int32 ids `[texts.length, length]`, padded with 0 and truncated as configured. */
  encode(texts: readonly string[]): Tensor {
    const n = texts.length;
    const len = this.length;
    const out = new Int32Array(n * len);
    texts.forEach((t, r) => {
      if (typeof t !== 'string') throw new DataError(`Tokenizer.encode: text ${r} is ${t === null ? 'null' : typeof t}, not a string`);
      let ids = this.tokenIds(t);
      if (ids.length > len) ids = this.truncating === 'post' ? ids.slice(0, len) : ids.slice(ids.length - len);
      const at = r * len + (this.padding === 'pre' ? len - ids.length : 0);
      out.set(ids, at);
    });
    return new Tensor([n, len], 'int32', out);
  }

  toJSON(): TokenizerJSON {
    return { format: 'regula-tokenizer', version: 1, lowercase: this.lowercase, length: this.length, padding: this.padding, truncating: this.truncating, vocabulary: [...this.vocabulary] };
  }

  /** The tokenizer as a model's extra file (`model.save(dir, { extraFiles: [tok.extraFile()] })`). */
  extraFile(): { name: string; data: string } {
    return { name: TOKENIZER_JSON, data: `${JSON.stringify(this.toJSON())}\n` };
  }
}

/** The words of `text` (lowercased when asked). */
export function splitWords(text: string, lowercase = true): string[] {
  return (lowercase ? text.toLowerCase() : text).match(WORD) ?? [];
}

/** Fits a tokenizer on the training texts: `fitTokenizer(train, { maxTokens: 10000, length: 100 })`. */
export function fitTokenizer(texts: readonly string[], options: TokenizerOptions = {}): Tokenizer {
  return Tokenizer.fit(texts, options);
}

/** Options of `padSequences` (Keras `pad_sequences`). */
export interface PadOptions {
  /** Row length (default: the longest sequence). */
  readonly maxlen?: number;
  /** Where short rows get their padding: 'pre' (default, Keras) or 'post'. */
  readonly padding?: 'pre' | 'post';
  /** Which end long rows lose: 'pre' (default, Keras) or 'post'. */
  readonly truncating?: 'pre' | 'post';
  /** The padding id (default 0, the id `embedding({ maskZero: true })` masks). */
  readonly value?: number;
}

/**
 * Sequences of integer ids of different lengths → int32 `[n, maxlen]`
 * (Keras's `pad_sequences`, its defaults: pad and cut at the start).
 *
 * @example padSequences([[3, 1, 4], [1, 5]]) // [[3, 1, 4], [0, 1, 5]]
 */
export function padSequences(sequences: readonly (readonly number[])[], o: PadOptions = {}): Tensor {
  if (!Array.isArray(sequences)) throw new DataError(`padSequences: expected a list of sequences (arrays of ids), got ${typeof sequences}`);
  let longest = 0;
  sequences.forEach((s, r) => {
    if (!Array.isArray(s)) throw new DataError(`padSequences: sequence ${r} is ${s === null ? 'null' : typeof s}, not an array of ids`);
    longest = Math.max(longest, s.length);
  });
  const len = o.maxlen ?? longest;
  if (!Number.isInteger(len) || len < 1) throw new DataError(`padSequences: maxlen must be a positive integer, got ${len}`);
  const value = o.value ?? PAD_ID;
  const out = new Int32Array(sequences.length * len).fill(value);
  sequences.forEach((s, r) => {
    s.forEach((v: number, j: number) => {
      if (!Number.isInteger(v)) throw new DataError(`padSequences: sequence ${r} has ${v} at position ${j}, not an integer id`);
    });
    const kept = s.length > len ? ((o.truncating ?? 'pre') === 'pre' ? s.slice(s.length - len) : s.slice(0, len)) : s;
    out.set(kept, r * len + ((o.padding ?? 'pre') === 'pre' ? len - kept.length : 0));
  });
  return new Tensor([sequences.length, len], 'int32', out);
}
