/**
 * A study in PostgreSQL, shared by workers on many machines
 * (`regula tune --storage postgres://… --study NAME`, or `tune({ storage })`).
 * It implements the same `StudyStorage` as the journal (journal.ts): tune()
 * appends the same events, and each becomes one statement on the tables of
 * postgres-schema.ts with the journal's replay rules:
 *
 * - `claim` runs in a transaction that first locks the study's row
 *   (`SELECT … FOR UPDATE`), so claims of one study run one at a time on every
 *   host. Inside it the claim is rejected when `limit` trials are running or
 *   finished; otherwise the trial gets number = the count of trials (the
 *   primary key (study, number) would refuse a second one), and a re-queued
 *   failed trial is taken at most once (`retried_by`, unique `retry_of`).
 * - `start` sets the parameters once; `report` stores the epoch's value and
 *   refreshes the heartbeat; `finish` counts only while the trial runs, so a
 *   trial finishes once. Each is committed before tune() goes on: no result
 *   that tune() recorded is lost when the worker dies afterwards.
 * - Heartbeats: while this process has trials running, a timer refreshes
 *   their `heartbeat_at` every `heartbeatSeconds` (and every report does).
 *   `recoverStale()` — tune() calls it before each claim — marks running
 *   trials of other workers whose heartbeat is older than `graceSeconds` (by
 *   the server's clock, so host clocks need not agree) failed and re-queued.
 *   A worker that was only slow and finishes later is ignored: the re-run's
 *   result counts.
 *
 * `pg` is imported on first use, so code that never opens a PostgreSQL study
 * never loads it.
 */
import type { JournalEvent, StudyState, StudyStorage, TrialRecord, TrialState } from './journal.js';
import { SCHEMA_LOCK, SCHEMA_V1, SCHEMA_VERSION, SQL } from './postgres-schema.js';
import type { Params } from './space.js';

type Pool = import('pg').Pool;
type PoolClient = import('pg').PoolClient;

/** A storage that cannot be reached or used (bad URL, refused connection, mismatched study): the message is one line for the user. */
export class StorageError extends Error {
  override readonly name = 'StorageError';
}

export interface PostgresStorageOptions {
  /** `postgres://user:password@host:port/database` (or `postgresql://`). */
  readonly url: string;
  /** The study's name: workers that give the same name share the study. */
  readonly study: string;
  /** A running trial with no heartbeat for this long is failed and re-queued by the next worker (default 60 s). */
  readonly graceSeconds?: number;
  /** Seconds between heartbeats (default: a quarter of the grace, at most 15). */
  readonly heartbeatSeconds?: number;
  /** Give up connecting after this long (default 10 s). */
  readonly connectTimeoutSeconds?: number;
}

/** The URL with its password replaced by `***` (for messages and reports). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, ':***@');
  }
}

/** One line saying why a connection failed, from pg's or Node's error. */
export function connectionProblem(e: unknown, url: URL): string {
  const err = e as { code?: string; message?: string };
  const where = `${decodeURIComponent(url.hostname) || 'the local socket'}${url.port ? `:${url.port}` : ''}`;
  switch (err.code) {
    case 'ECONNREFUSED':
      return `connection refused by ${where} (is the server running and listening there?)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return `unknown host ${decodeURIComponent(url.hostname)}`;
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${where} cannot be reached (${err.code})`;
    case '28P01':
      return `password authentication failed for user ${decodeURIComponent(url.username) || '(default)'}`;
    case '3D000':
    case '28000':
      return String(err.message);
    default:
      return /timeout/i.test(err.message ?? '') ? `no answer from ${where} (timed out)` : String(err.message ?? e).replace(/\s+/g, ' ');
  }
}

/** Parses and checks a `postgres://` URL (a StorageError names what is wrong). */
export function parsePostgresUrl(url: string): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new StorageError(`${redactUrl(url)}: not a URL (expected postgres://user[:password]@host[:port]/database)`);
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') throw new StorageError(`${redactUrl(url)}: expected a postgres:// or postgresql:// URL, not ${u.protocol}//`);
  if (!u.hostname && !u.searchParams.get('host')) throw new StorageError(`${redactUrl(url)}: no host (expected postgres://user@host/database)`);
  return u;
}

interface TrialRow {
  number: number;
  fresh_index: number;
  state: TrialState;
  params: Params | null;
  value: number | null;
  epochs: number;
  retry_of: number | null;
  retried_by: number | null;
  requeue: boolean;
  reason: string | null;
  claim: string;
  pid: number;
  intermediate: [number, number][];
}

/** A study in PostgreSQL (see the file header). Open with `PostgresStorage.connect`, then `join` (or `openPostgresStorage`). */
export class PostgresStorage implements StudyStorage {
  readonly ownClaims = new Set<string>();
  readonly description: string;
  readonly graceSeconds: number;
  readonly heartbeatSeconds: number;
  private studyId: number | null = null;
  private settings: Record<string, unknown> | null = null;
  /** Claims of this process that were rejected (the study was full). */
  private readonly rejected = new Set<string>();
  /** Trials of this process that are running (they get heartbeats). */
  private readonly running = new Set<number>();
  private timer: ReturnType<typeof setInterval> | null = null;

  private constructor(
    private readonly pool: Pool,
    readonly study: string,
    url: string,
    o: PostgresStorageOptions,
  ) {
    this.description = `${redactUrl(url)} study ${study}`;
    this.graceSeconds = o.graceSeconds ?? 60;
    this.heartbeatSeconds = o.heartbeatSeconds ?? Math.min(15, this.graceSeconds / 4);
    if (!(this.graceSeconds > 0 && this.heartbeatSeconds > 0 && this.heartbeatSeconds < this.graceSeconds)) {
      throw new StorageError(`heartbeat every ${this.heartbeatSeconds} s with a grace of ${this.graceSeconds} s: the grace must be longer than the heartbeat interval`);
    }
  }

  /** Loads `pg`, connects and checks the server answers; a StorageError says why not. Writes nothing. */
  static async connect(o: PostgresStorageOptions): Promise<PostgresStorage> {
    const url = parsePostgresUrl(o.url);
    if (!/^[\w.:-]{1,200}$/.test(o.study)) throw new StorageError(`study name '${o.study}': use 1–200 letters, digits, '.', ':', '_' or '-'`);
    const pg = (await import('pg')).default;
    // A worker cut off inside a claim's transaction must not hold the study's lock for ever: the server ends such a session after 60 s.
    const pool = new pg.Pool({ connectionString: o.url, max: 4, connectionTimeoutMillis: (o.connectTimeoutSeconds ?? 10) * 1000, allowExitOnIdle: true, keepAlive: true, idle_in_transaction_session_timeout: 60_000 });
    pool.on('error', () => undefined); // an idle connection the server dropped; the next query reconnects or fails loudly
    let storage: PostgresStorage;
    try {
      storage = new PostgresStorage(pool, o.study, o.url, o);
      await pool.query('SELECT 1');
    } catch (e) {
      await pool.end().catch(() => undefined);
      if (e instanceof StorageError) throw e;
      throw new StorageError(`${redactUrl(o.url)}: cannot connect: ${connectionProblem(e, url)}`);
    }
    return storage;
  }

  /** The settings of the study, or null when it does not exist (read only). */
  async existingSettings(): Promise<Record<string, unknown> | null> {
    const has = await this.pool.query<{ present: boolean }>(SQL.hasSchema);
    if (!has.rows[0]?.present) return null;
    await this.checkVersion(this.pool);
    const r = await this.pool.query<{ id: number; settings: Record<string, unknown> }>(SQL.studyByName, [this.study]);
    return r.rows[0]?.settings ?? null;
  }

  /**
   * Creates the schema (first use) and the study (when new), or joins the
   * existing study after checking its settings equal `settings` (keys in
   * `ignore` may differ). Returns whether this call created the study.
   */
  async join(settings: Record<string, unknown>, ignore: readonly string[] = []): Promise<boolean> {
    await this.ensureSchema();
    const made = await this.pool.query<{ id: number }>(SQL.createStudy, [this.study, JSON.stringify(settings)]);
    const r = await this.pool.query<{ id: number; settings: Record<string, unknown> }>(SQL.studyByName, [this.study]);
    const row = r.rows[0];
    if (!row) throw new StorageError(`study ${this.study} vanished while joining it`);
    const diff = settingsDifference(row.settings, settings, ignore);
    if (diff !== null) throw new StorageError(`${this.description}: the study was made with ${diff}; join it with the same settings or choose another --study`);
    this.studyId = row.id;
    this.settings = row.settings;
    return made.rowCount === 1;
  }

  /** Opens the existing study whatever its settings (to inspect it, e.g. `read()`); returns the settings. */
  async attach(): Promise<Record<string, unknown>> {
    const has = await this.pool.query<{ present: boolean }>(SQL.hasSchema);
    const r = has.rows[0]?.present ? await this.pool.query<{ id: number; settings: Record<string, unknown> }>(SQL.studyByName, [this.study]) : undefined;
    const row = r?.rows[0];
    if (!row) throw new StorageError(`${this.description} does not exist`);
    await this.checkVersion(this.pool);
    this.studyId = row.id;
    this.settings = row.settings;
    return row.settings;
  }

  async read(): Promise<StudyState> {
    const id = this.id();
    const r = await this.pool.query<TrialRow>(SQL.trials, [id]).catch((e: unknown) => {
      throw this.lost(e);
    });
    const trials: TrialRecord[] = r.rows.map((row) => ({
      number: row.number,
      freshIndex: row.fresh_index,
      state: row.state,
      params: row.params,
      intermediate: new Map(row.intermediate.map(([s, v]) => [s, Number(v)] as [number, number])),
      value: row.value === null ? null : Number(row.value),
      epochs: row.epochs,
      retryOf: row.retry_of,
      retriedBy: row.retried_by,
      requeue: row.requeue,
      claim: row.claim,
      pid: row.pid,
      ...(row.reason !== null ? { reason: row.reason } : {}),
    }));
    const claims = new Map<string, number | null>();
    for (const t of trials) claims.set(t.claim, t.number);
    for (const c of this.rejected) if (!claims.has(c)) claims.set(c, null);
    return { settings: this.settings, trials, claims, notes: [] };
  }

  async append(e: JournalEvent): Promise<void> {
    try {
      await this.apply(e);
    } catch (err) {
      throw this.lost(err);
    }
  }

  private async apply(e: JournalEvent): Promise<void> {
    const id = this.id();
    switch (e.op) {
      case 'study':
        return; // the settings live in regula_studies (join)
      case 'claim':
        return this.claim(id, e);
      case 'start':
        await this.pool.query(SQL.start, [id, e.trial, e.claim, JSON.stringify(e.params)]);
        return;
      case 'report':
        if (Number.isFinite(e.value)) await this.pool.query(SQL.report, [id, e.trial, e.step, e.value]);
        else await this.pool.query(SQL.heartbeat, [id, [e.trial]]);
        return;
      case 'finish':
        await this.pool.query(SQL.finish, [id, e.trial, e.state, e.value !== null && Number.isFinite(e.value) ? e.value : null, e.epochs, e.reason ?? null, e.state === 'failed' && e.requeue === true]);
        this.running.delete(e.trial);
        if (this.running.size === 0) this.stopHeartbeat();
        return;
    }
  }

  /** Marks other workers' running trials with no heartbeat within the grace failed and re-queued; returns their numbers. */
  async recoverStale(): Promise<number[]> {
    const r = await this.pool.query<{ number: number }>(SQL.recoverStale, [this.id(), this.graceSeconds, [...this.ownClaims]]).catch((e: unknown) => {
      throw this.lost(e);
    });
    return r.rows.map((x) => x.number).sort((a, b) => a - b);
  }

  /** Stops the heartbeats and closes the connections. */
  async close(): Promise<void> {
    this.stopHeartbeat();
    this.running.clear();
    await this.pool.end();
  }

  /** A connection error as a StorageError saying what survives and what to do; the server refusing a statement stays as it is. */
  private lost(e: unknown): unknown {
    if (e instanceof StorageError || (e instanceof Error && typeof (e as { severity?: unknown }).severity === 'string')) return e;
    const why = e instanceof Error ? e.message : String(e);
    return new StorageError(`${this.description}: lost the database (${why}); the finished trials are kept: run again with --resume (a trial left running is re-queued after the grace)`);
  }

  private id(): number {
    if (this.studyId === null) throw new StorageError(`PostgresStorage: join(settings) or attach() the study ${this.study} before using it`);
    return this.studyId;
  }

  private async claim(id: number, e: Extract<JournalEvent, { op: 'claim' }>): Promise<void> {
    const number = await this.transaction(async (c) => {
      await c.query(SQL.lockStudy, [id]);
      const n = (await c.query<{ total: number; active: number; fresh: number }>(SQL.counts, [id])).rows[0]!;
      if (n.active >= e.limit) return null;
      const retry = e.retry === null ? undefined : (await c.query<{ fresh_index: number; params: Params | null }>(SQL.takeRetry, [id, e.retry, n.total])).rows[0];
      await c.query(SQL.insertTrial, [id, n.total, retry ? retry.fresh_index : n.fresh, retry?.params ? JSON.stringify(retry.params) : null, retry ? e.retry : null, e.id, e.pid]);
      return n.total;
    });
    if (number === null) {
      this.rejected.add(e.id);
      return;
    }
    this.running.add(number);
    this.startHeartbeat();
  }

  private async transaction<T>(body: (c: PoolClient) => Promise<T>): Promise<T> {
    const c = await this.pool.connect();
    // A connection that dies while checked out emits 'error' on the client (unhandled, it would crash the process); the query fails anyway.
    const ignore = (): void => undefined;
    c.on('error', ignore);
    try {
      await c.query('BEGIN');
      const out = await body(c);
      await c.query('COMMIT');
      return out;
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      c.off('error', ignore);
      c.release();
    }
  }

  private async checkVersion(q: Pool | PoolClient): Promise<void> {
    const v = (await q.query<{ version: number | null }>(SQL.schemaVersion)).rows[0]?.version ?? null;
    if (v !== null && v > SCHEMA_VERSION) throw new StorageError(`${this.description}: the database holds Regula study schema version ${v}; this Regula reads version ${SCHEMA_VERSION} (upgrade Regula)`);
  }

  private async ensureSchema(): Promise<void> {
    await this.transaction(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
      await c.query(SQL.schemaTable);
      await this.checkVersion(c);
      const v = (await c.query<{ version: number | null }>(SQL.schemaVersion)).rows[0]?.version ?? null;
      if (v === null) {
        await c.query(SCHEMA_V1);
        await c.query('INSERT INTO regula_schema (version) VALUES ($1)', [SCHEMA_VERSION]);
      }
    });
  }

  private startHeartbeat(): void {
    if (this.timer !== null) return;
    this.timer = setInterval(() => {
      if (this.running.size === 0 || this.studyId === null) return;
      // A failed heartbeat is not fatal here: the trial's next report or finish fails loudly if the server is gone.
      this.pool.query(SQL.heartbeat, [this.studyId, [...this.running]]).catch(() => undefined);
    }, this.heartbeatSeconds * 1000);
    (this.timer as { unref?: () => void }).unref?.();
  }

  private stopHeartbeat(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }
}

/** `key = stored, not given` for the first setting that differs (keys in `ignore` excepted), or null. */
export function settingsDifference(stored: Record<string, unknown>, given: Record<string, unknown>, ignore: readonly string[] = []): string | null {
  const keys = new Set([...Object.keys(stored), ...Object.keys(given)]);
  for (const k of keys) {
    if (ignore.includes(k)) continue;
    const a = canonicalJson(stored[k] ?? null);
    const b = canonicalJson(given[k] ?? null);
    if (a !== b) return `${k} = ${a}, not ${b}`;
  }
  return null;
}

/** JSON with object keys sorted (jsonb does not keep key order). */
function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** Connects to `o.url` and joins (or creates) the study `o.study` made with `settings` (see `studySettingsOf`). */
export async function openPostgresStorage(o: PostgresStorageOptions & { readonly settings: Record<string, unknown> }): Promise<PostgresStorage> {
  const s = await PostgresStorage.connect(o);
  try {
    await s.join(o.settings);
  } catch (e) {
    await s.close().catch(() => undefined);
    throw e;
  }
  return s;
}
