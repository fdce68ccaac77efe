/**
 * Opening a study's storage by URL for `tune({ storage })`: `journal:<file>`
 * (journal.ts, one machine, Node) or `postgres://user[:password]@host/db`
 * (postgres.ts, many machines; `pg` is loaded only here). The interface every
 * storage implements is `StudyStorage` (journal.ts): `read()` the replayed
 * study, `append(event)` one event, `ownClaims`, and for shared storages
 * `recoverStale()` and `close()`.
 *
 * @example
 * const settings = studySettingsOf({ space, metric: 'val_loss', direction: 'minimize', sampler });
 * const storage = await openStudyStorage('postgres://tuner@db.example/studies', { study: 'digits-l2', settings });
 * try { await tune({ space, metric: 'val_loss', direction: 'minimize', sampler, storage, trials: 64, objective }); }
 * finally { await storage.close?.(); }
 */
import { JournalStorage, type StudyStorage } from './journal.js';
import type { Direction, Sampler } from './samplers.js';
import { describeDistribution, type Space } from './space.js';

/** The settings that identify a study: a worker joining with other settings is refused. */
export function studySettingsOf(o: { space: Space; metric: string; direction: Direction; sampler?: Sampler; extra?: Record<string, unknown> }): Record<string, unknown> {
  const seed = (o.sampler as { seed?: unknown } | undefined)?.seed;
  return {
    space: o.space.map((p) => `${p.name}=${describeDistribution(p.dist)}`),
    objective: o.metric,
    direction: o.direction,
    sampler: o.sampler?.name ?? 'random',
    seed: typeof seed === 'number' ? seed : null,
    ...o.extra,
  };
}

export interface OpenStorageOptions {
  /** PostgreSQL: the study's name (required). */
  readonly study?: string;
  /** PostgreSQL: the study's settings (`studySettingsOf`); joining a study made with others throws. */
  readonly settings?: Record<string, unknown>;
  /** PostgreSQL: seconds without a heartbeat before a running trial is re-queued (default 60). */
  readonly graceSeconds?: number;
  readonly heartbeatSeconds?: number;
}

/** Opens `journal:<file>` or `postgres://…` (joining or creating the study); a StorageError says what is wrong. */
export async function openStudyStorage(url: string, o: OpenStorageOptions = {}): Promise<StudyStorage> {
  if (url.startsWith('journal:') && url.length > 'journal:'.length) return new JournalStorage(url.slice('journal:'.length));
  const { openPostgresStorage, StorageError } = await import('./postgres.js');
  if (!/^postgres(ql)?:/i.test(url)) throw new StorageError(`storage ${url.replace(/:[^:@/]*@/, ':***@')}: expected journal:<file> or postgres://user@host/database`);
  if (o.study === undefined) throw new StorageError('a PostgreSQL storage needs the study name (options.study)');
  return openPostgresStorage({ url, study: o.study, settings: o.settings ?? {}, ...(o.graceSeconds !== undefined ? { graceSeconds: o.graceSeconds } : {}), ...(o.heartbeatSeconds !== undefined ? { heartbeatSeconds: o.heartbeatSeconds } : {}) });
}
