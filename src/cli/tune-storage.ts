/**
 * Where `regula tune` keeps its study: `--storage journal:<file>` (default
 * `<out>/study.jsonl`) or `--storage postgres://user[:password]@host[:port]/db
 * --study NAME` (src/study/postgres.ts). Opening a PostgreSQL study is split
 * in two so that bad input writes nothing: `connectPostgresStudy` connects
 * and checks the study (settings, --resume) before the output directory is
 * opened; `joinPostgresStudy` then creates or joins it.
 */
import { join, resolve } from 'node:path';
import { PostgresStorage, redactUrl, settingsDifference, StorageError } from '../study/postgres.js';
import { UsageError } from './cli-error.js';

/** The flags this file reads. */
export interface StorageFlags {
  storage?: string;
  study?: string;
  heartbeatGrace?: number;
  resume?: boolean;
  out: string;
}

export type StorageSpec = { readonly kind: 'journal'; readonly file: string } | { readonly kind: 'postgres'; readonly url: string; readonly study: string };

/** The storage the flags name (a UsageError for a bad scheme or a missing/misplaced --study). Reads and writes nothing. */
export function storageSpec(o: StorageFlags, defaultJournal: string): StorageSpec {
  const s = o.storage;
  if (s === undefined || s.startsWith('journal:')) {
    if (o.study !== undefined) throw new UsageError('--study names a study in a PostgreSQL --storage; a journal file holds one study (choose it with --storage journal:<file>)');
    if (s === 'journal:') throw new UsageError('--storage journal: needs a file name: journal:<file>');
    return { kind: 'journal', file: s === undefined ? join(resolve(o.out), defaultJournal) : resolve(s.slice('journal:'.length)) };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(s)?.[1]?.toLowerCase();
  if (scheme !== 'postgres' && scheme !== 'postgresql') throw new UsageError(`--storage ${redactUrl(s)}: expected journal:<file> or postgres://user@host/database`);
  if (o.study === undefined || o.study === '') throw new UsageError(`--storage ${redactUrl(s)}: give the study's name with --study NAME (workers that give the same name share the study)`);
  return { kind: 'postgres', url: s, study: o.study };
}

/** A StorageError, or the server refusing a statement (pg's DatabaseError: no permission, read-only…), as one line for the user. */
const asUsage = (e: unknown, where = ''): unknown => {
  if (e instanceof StorageError) return new UsageError(e.message);
  if (e instanceof Error && e.name === 'error' && typeof (e as { severity?: unknown }).severity === 'string') return new UsageError(`${where}: the server refused: ${e.message}`);
  return e;
};

/**
 * Connects and checks that the study can be used as the flags ask: an
 * existing study needs --resume and the same settings. Writes nothing; a
 * UsageError says what is wrong (the connection closed).
 */
export async function connectPostgresStudy(spec: Extract<StorageSpec, { kind: 'postgres' }>, o: StorageFlags, settings: Record<string, unknown>): Promise<PostgresStorage> {
  let storage: PostgresStorage;
  try {
    storage = await PostgresStorage.connect({ url: spec.url, study: spec.study, ...(o.heartbeatGrace !== undefined ? { graceSeconds: o.heartbeatGrace } : {}) });
  } catch (e) {
    throw asUsage(e);
  }
  try {
    const prev = await storage.existingSettings();
    if (prev !== null) {
      if (!o.resume) throw new UsageError(`${storage.description} exists already: pass --resume to continue (or join) it, or choose another --study`);
      const diff = settingsDifference(prev, settings);
      if (diff !== null) throw new UsageError(`${storage.description}: the study was made with ${diff}; resume with the same flags (only --trials may change)`);
    }
    return storage;
  } catch (e) {
    await storage.close().catch(() => undefined);
    throw asUsage(e, storage.description);
  }
}

/** Creates the study or joins it (after `connectPostgresStudy`); `say` tells when --resume found no study. */
export async function joinPostgresStudy(storage: PostgresStorage, o: StorageFlags, settings: Record<string, unknown>, say: (s: string) => void): Promise<void> {
  try {
    const created = await storage.join(settings);
    if (created && o.resume) say(`regula tune: no ${storage.description} yet; starting it`);
    if (!created && !o.resume) throw new UsageError(`${storage.description} appeared while starting; pass --resume to join it`);
  } catch (e) {
    await storage.close().catch(() => undefined);
    throw asUsage(e, storage.description);
  }
}
