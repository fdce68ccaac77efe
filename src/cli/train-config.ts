/**
 * `regula train --config best.json`: a JSON file of train flags (what
 * `regula tune --export` writes), `{"format": "regula-train-config",
 * "version": 1, "flags": {"dataset": "digits", "hidden": [64, 64], "l2":
 * 1e-4, …}}` or the bare flags object. Each value passes the same checks as
 * its flag; a flag given on the command line wins over the file.
 */
import { readFileSync } from 'node:fs';
import { nearest } from '../config/resolve.js';
import { UsageError } from './cli-error.js';
import { int, intList, num } from './parse-args.js';
import { OPTIMIZER_NAMES, REG_PARSERS } from './shared-options.js';
import { DATASET_NAMES } from './datasets.js';

/** Format marker of an exported configuration. */
export const TRAIN_CONFIG_FORMAT = 'regula-train-config';

type Check = (v: unknown, key: string) => unknown;

const parsed =
  (parse: (s: string, prev: unknown) => unknown): Check =>
  (v, key) => {
    if (typeof v !== 'number') throw new UsageError(`"${key}" must be a number, got ${JSON.stringify(v)}`);
    try {
      return parse(String(v), undefined);
    } catch (e) {
      throw new UsageError(`"${key}": ${(e as Error).message}`);
    }
  };
const str: Check = (v, key) => {
  if (typeof v !== 'string' || v === '') throw new UsageError(`"${key}" must be a non-empty string, got ${JSON.stringify(v)}`);
  return v;
};
const oneOf =
  (names: readonly string[]): Check =>
  (v, key) => {
    if (typeof v !== 'string' || !names.includes(v)) throw new UsageError(`"${key}" must be one of ${names.join(', ')}, got ${JSON.stringify(v)}`);
    return v;
  };

/** The flags a config may set, with the check of each. */
const KEYS: Record<string, Check> = {
  data: str,
  labels: str,
  dataset: oneOf(DATASET_NAMES),
  target: str,
  task: oneOf(['auto', 'classification', 'regression']),
  hidden: (v, key) => {
    if (!Array.isArray(v) || v.length === 0 || !v.every((x) => typeof x === 'number')) throw new UsageError(`"${key}" must be a non-empty array of layer sizes, got ${JSON.stringify(v)}`);
    return intList({ min: 1, max: 65536 })(v.join(','));
  },
  activation: str,
  l1: parsed(REG_PARSERS.l1),
  l2: parsed(REG_PARSERS.l2),
  dropout: parsed(REG_PARSERS.dropout),
  gaussianNoise: parsed(REG_PARSERS.gaussianNoise),
  maxNorm: parsed(REG_PARSERS.maxNorm),
  epochs: parsed(int({ min: 1, max: 100000 })),
  batchSize: parsed(int({ min: 1 })),
  optimizer: oneOf(OPTIMIZER_NAMES),
  lr: parsed(num({ min: 0, minExclusive: true, max: 10 })),
  seed: parsed(int({ min: 0, max: 2 ** 31 - 1 })),
  validationSplit: parsed(num({ min: 0, max: 1, maxExclusive: true })),
  testSplit: parsed(num({ min: 0, max: 1, maxExclusive: true })),
  earlyStopping: parsed(int({ min: 0 })),
};

/** The flags in a config file, checked. */
export function readTrainConfig(file: string): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`--config ${file}: ${code ? 'file not found or not readable' : `not valid JSON (${(e as Error).message})`}`);
  }
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObj(json)) throw new UsageError(`--config ${file}: expected a JSON object of train flags`);
  const flags = json['format'] === TRAIN_CONFIG_FORMAT ? json['flags'] : json;
  if (!isObj(flags)) throw new UsageError(`--config ${file}: "flags" must be an object`);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(flags)) {
    const check = KEYS[k];
    if (!check) {
      const near = nearest(k, Object.keys(KEYS));
      throw new UsageError(`--config ${file}: unknown setting "${k}"${near ? ` (did you mean "${near}"?)` : ''}`);
    }
    try {
      out[k] = check(v, k);
    } catch (e) {
      throw new UsageError(`--config ${file}: ${(e as Error).message}`);
    }
  }
  return out;
}

/** Fills `o` with the config's values for every flag not given on the command line (`given`). Returns the keys it set. */
export function applyTrainConfig(o: Record<string, unknown>, given: ReadonlySet<string>, file: string): string[] {
  const set: string[] = [];
  for (const [k, v] of Object.entries(readTrainConfig(file))) {
    if (given.has(k)) continue;
    o[k] = v;
    set.push(k);
  }
  return set;
}
