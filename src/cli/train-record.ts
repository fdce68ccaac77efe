/**
 * What `regula train` saves beside its model so a run can be resumed with
 * nothing but `--resume <dir>`: the run's settings (data source and the
 * fingerprint of its files, split, training), its history so far and its
 * status. It goes into every `--out` and `--checkpoint` directory as
 * `train-run.json`, written in the same generation as the model (and
 * `preprocessing.json`), so the three always agree.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { UsageError } from './cli-error.js';

/** File name of the run record in a model or checkpoint directory. */
export const TRAIN_RUN_JSON = 'train-run.json';

/** A data file the run read, identified by size and SHA-256. */
export interface FileFingerprint {
  path: string;
  size: number;
  sha256: string;
}

/** The settings a resumed run must reuse. */
export interface TrainRunSettings {
  data?: string;
  labels?: string;
  dataset?: string;
  target?: string;
  task: 'auto' | 'classification' | 'regression';
  /** Text encoding of a CSV file (absent: UTF-8). */
  encoding?: 'utf8' | 'latin1';
  validationSplit: number;
  testSplit: number;
  seed: number;
  epochs: number;
  batchSize: number;
  optimizer: string;
  lr?: number;
  earlyStopping?: number;
  /** Name of the run (its regularization, or `model`). */
  name: string;
  /** Report lines describing the network and its regularization. */
  network: string;
  regularization: string;
}

/** The contents of `train-run.json`. */
export interface TrainRecord {
  format: 'regula-train-run';
  version: 1;
  status: 'running' | 'interrupted' | 'finished';
  settings: TrainRunSettings;
  files: FileFingerprint[];
  /** Per-epoch logs of the epochs finished so far (Keras History). */
  history: Record<string, number[]>;
}

/** SHA-256 and size of a file, read in 1 MiB chunks (bounded memory). */
export function fingerprint(path: string): FileFingerprint {
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  const buf = Buffer.alloc(1 << 20);
  let size = 0;
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      hash.update(buf.subarray(0, n));
      size += n;
    }
  } finally {
    closeSync(fd);
  }
  return { path: resolve(path), size, sha256: hash.digest('hex') };
}

/** Fingerprints of the data files named by `s` (none for an embedded dataset). */
export function dataFingerprints(s: Pick<TrainRunSettings, 'data' | 'labels'>): FileFingerprint[] {
  return [s.data, s.labels].filter((p): p is string => p !== undefined).map(fingerprint);
}

/** Refuses to resume on data files that changed since the checkpoint. */
export function checkFingerprints(saved: readonly FileFingerprint[], where: string): void {
  for (const f of saved) {
    let now: FileFingerprint;
    try {
      if (!statSync(f.path).isFile()) throw new Error('not a regular file');
      now = fingerprint(f.path);
    } catch (e) {
      throw new UsageError(`--resume ${where}: the run's data file ${f.path} cannot be read (${(e as Error).message}); an exact resume needs the same data`);
    }
    if (now.size !== f.size || now.sha256 !== f.sha256) {
      throw new UsageError(`--resume ${where}: the data file ${f.path} changed since the checkpoint (size ${now.size}, was ${f.size}); an exact resume needs the same data`);
    }
  }
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses and checks a `train-run.json` text. */
export function parseTrainRecord(text: string, where: string): TrainRecord {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${where}: ${TRAIN_RUN_JSON} is not valid JSON (${(e as Error).message})`);
  }
  const bad = (why: string): never => {
    throw new UsageError(`${where}: ${TRAIN_RUN_JSON} ${why}`);
  };
  if (!isObj(v) || v['format'] !== 'regula-train-run') bad('is not a Regula run record');
  const r = v as Record<string, unknown>;
  if (r['version'] !== 1) bad(`has version ${JSON.stringify(r['version'])}; this Regula reads version 1`);
  if (!['running', 'interrupted', 'finished'].includes(r['status'] as string)) bad(`has an unknown status ${JSON.stringify(r['status'])}`);
  const s = r['settings'];
  if (!isObj(s)) bad('has no settings');
  const st = s as Record<string, unknown>;
  for (const k of ['validationSplit', 'testSplit', 'seed', 'epochs', 'batchSize']) if (typeof st[k] !== 'number' || !Number.isFinite(st[k])) bad(`settings.${k} must be a number`);
  for (const k of ['task', 'optimizer', 'name', 'network', 'regularization']) if (typeof st[k] !== 'string') bad(`settings.${k} must be a string`);
  if (st['encoding'] !== undefined && st['encoding'] !== 'utf8' && st['encoding'] !== 'latin1') bad(`settings.encoding must be "utf8" or "latin1"`);
  const files = r['files'];
  if (!Array.isArray(files) || !files.every((f) => isObj(f) && typeof f['path'] === 'string' && typeof f['size'] === 'number' && typeof f['sha256'] === 'string')) bad('has malformed file fingerprints');
  const h = r['history'];
  if (!isObj(h) || !Object.values(h).every((a) => Array.isArray(a) && a.every((x) => typeof x === 'number' || x === null))) bad('has a malformed history');
  return v as unknown as TrainRecord;
}

/** Appends the epochs of `more` to `base` (key by key). */
export function mergeHistory(base: Record<string, number[]>, more: Readonly<Record<string, readonly number[]>>): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const k of new Set([...Object.keys(base), ...Object.keys(more)])) out[k] = [...(base[k] ?? []), ...(more[k] ?? [])];
  return out;
}
