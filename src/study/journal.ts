/**
 * A study's storage: an append-only journal of events, one JSON object a
 * line. Readers rebuild the study (trials, parameters, intermediate values,
 * states) by replaying the lines in file order; nothing is ever rewritten.
 *
 * Events (`op`):
 * - `study`  — the first line: format, version and the study's settings.
 * - `claim`  — a worker asks for a trial: `{id, pid, limit, retry}`. Replay
 *   numbers trials by the order of accepted claims; a claim is rejected when
 *   `limit` trials are already running or finished (failed ones do not
 *   count), so workers never overshoot `--trials` and never share a number.
 *   `retry: k` asks to re-run re-queued failed trial k — its grid cell or
 *   random stream (`freshIndex`) and its parameters if it had drawn them; the
 *   first such claim in file order gets it, a later one becomes a fresh trial.
 * - `start`  — the parameters the claimant sampled for its trial.
 * - `report` — one intermediate value (`step` = epoch, 1-based).
 * - `finish` — `complete` | `pruned` | `failed`, with the value and epochs.
 *   Only the first `finish` of a trial counts, so a trial completes once.
 *
 * Several processes on one machine share a journal with no lock: every event
 * is ONE write on an O_APPEND descriptor followed by fsync
 * (`appendTextDurable`), which a local file system applies whole and in one
 * total order; the claim protocol above turns that order into trial numbers.
 * After appending its claim a worker re-reads the journal to learn its
 * number. A trial still `running` whose worker process is gone (`kill -9`,
 * a crash) is marked `failed` by the next `regula tune --resume`, and its
 * parameters are re-queued. A torn last line (a power cut mid-write) does not
 * parse: it is ignored with a note, and the next append starts a new line.
 */
import type { Params } from './space.js';
import { appendTextDurable, createTextFileExclusive, processAlive, readTextFile } from '../io/fs.js';

/** Journal format marker of the first line. */
export const JOURNAL_FORMAT = 'regula-study';

export type TrialState = 'running' | 'complete' | 'pruned' | 'failed';

/** One trial as replayed. */
export interface TrialRecord {
  /** 0-based trial number (order of accepted claims). */
  readonly number: number;
  /** Index among trials that are not retries (grid cell, random stream). */
  readonly freshIndex: number;
  state: TrialState;
  /** Null until the claimant's `start` line (or a retry's inherited parameters). */
  params: Params | null;
  /** Intermediate values by step (epoch, 1-based). */
  readonly intermediate: Map<number, number>;
  value: number | null;
  epochs: number;
  /** The failed trial this one re-runs, if any. */
  readonly retryOf: number | null;
  /** The trial that re-runs this (failed) one, if any. */
  retriedBy: number | null;
  /** A failed trial whose parameters may run again (its worker died; a trial that threw is not re-queued). */
  requeue: boolean;
  readonly claim: string;
  readonly pid: number;
  reason?: string;
}

/** The replayed study. */
export interface StudyState {
  /** Settings from the first line (null when the journal is empty). */
  readonly settings: Record<string, unknown> | null;
  readonly trials: TrialRecord[];
  /** Claim id → trial number (null: rejected). */
  readonly claims: Map<string, number | null>;
  /** Notes (torn or unreadable lines). */
  readonly notes: string[];
}

export type JournalEvent =
  | { op: 'study'; format: typeof JOURNAL_FORMAT; version: 1; settings: Record<string, unknown> }
  | { op: 'claim'; id: string; pid: number; limit: number; retry: number | null }
  | { op: 'start'; trial: number; claim: string; params: Params }
  | { op: 'report'; trial: number; step: number; value: number }
  | { op: 'finish'; trial: number; state: Exclude<TrialState, 'running'>; value: number | null; epochs: number; reason?: string; requeue?: boolean };

/** Trials that count towards the limit (running, complete, pruned). */
export function activeCount(trials: readonly TrialRecord[]): number {
  return trials.filter((t) => t.state !== 'failed').length;
}

/** Replays journal lines into a study state (pure). */
export function replay(events: readonly JournalEvent[], notes: string[] = []): StudyState {
  let settings: Record<string, unknown> | null = null;
  const trials: TrialRecord[] = [];
  const claims = new Map<string, number | null>();
  let fresh = 0;
  for (const e of events) {
    switch (e.op) {
      case 'study':
        settings ??= e.settings;
        break;
      case 'claim': {
        if (claims.has(e.id)) break;
        if (activeCount(trials) >= e.limit) {
          claims.set(e.id, null);
          break;
        }
        const from = e.retry !== null ? trials[e.retry] : undefined;
        const retry = from !== undefined && from.state === 'failed' && from.requeue && from.retriedBy === null ? from : undefined;
        const number = trials.length;
        if (retry) retry.retriedBy = number;
        trials.push({
          number,
          freshIndex: retry ? retry.freshIndex : fresh++,
          state: 'running',
          params: retry ? retry.params : null,
          intermediate: new Map(),
          value: null,
          epochs: 0,
          retryOf: retry ? retry.number : null,
          retriedBy: null,
          requeue: false,
          claim: e.id,
          pid: e.pid,
        });
        claims.set(e.id, number);
        break;
      }
      case 'start': {
        const t = trials[e.trial];
        if (t && t.claim === e.claim && t.params === null && t.state === 'running') t.params = e.params;
        break;
      }
      case 'report': {
        const t = trials[e.trial];
        if (t && t.state === 'running' && Number.isFinite(e.value)) {
          t.intermediate.set(e.step, e.value);
          t.epochs = Math.max(t.epochs, e.step);
        }
        break;
      }
      case 'finish': {
        const t = trials[e.trial];
        if (!t || t.state !== 'running') break;
        t.state = e.state;
        t.value = e.value;
        t.epochs = Math.max(t.epochs, e.epochs);
        if (e.reason !== undefined) t.reason = e.reason;
        t.requeue = e.state === 'failed' && e.requeue === true;
        break;
      }
    }
  }
  return { settings, trials, claims, notes };
}

const OPS = new Set(['study', 'claim', 'start', 'report', 'finish']);

/** Parses journal text; a line that does not parse is skipped with a note (a torn last line is expected after a crash). */
export function parseJournal(text: string, name = 'journal'): { events: JournalEvent[]; notes: string[] } {
  const events: JournalEvent[] = [];
  const notes: string[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      v = undefined;
    }
    if (typeof v === 'object' && v !== null && OPS.has((v as { op?: string }).op ?? '')) {
      events.push(v as JournalEvent);
      return;
    }
    notes.push(`${name}: ignored unreadable line ${i + 1} (a torn write: a crash cut it short)`);
  });
  return { events, notes };
}

/** Where a study's events live. */
export interface StudyStorage {
  /** A description for messages (`journal:path`, `memory`). */
  readonly description: string;
  read(): Promise<StudyState>;
  append(event: JournalEvent): Promise<void>;
  /** Claim ids made by this process (their pid may equal a dead claimant's in a new container). */
  readonly ownClaims: Set<string>;
  /**
   * Storages shared by many machines (postgres.ts), where a claimant's pid
   * means nothing: marks other workers' running trials whose heartbeat is
   * older than the grace failed and re-queued, and returns their numbers.
   * tune() calls it before every claim, and recoverDeadTrials uses it instead
   * of the pid check.
   */
  recoverStale?(): Promise<number[]>;
  /** Releases connections and timers; whoever opened the storage closes it. */
  close?(): Promise<void>;
}

/** An in-memory study (the library default). */
export class MemoryStorage implements StudyStorage {
  readonly description = 'memory';
  readonly ownClaims = new Set<string>();
  private readonly events: JournalEvent[] = [];
  async read(): Promise<StudyState> {
    return replay(this.events);
  }
  async append(event: JournalEvent): Promise<void> {
    this.events.push(JSON.parse(JSON.stringify(event)) as JournalEvent);
  }
}

/** A JSON-lines journal file shared by the processes of one machine. */
export class JournalStorage implements StudyStorage {
  readonly ownClaims = new Set<string>();
  private needsNewline = false;
  constructor(readonly path: string) {}

  get description(): string {
    return `journal:${this.path}`;
  }

  /** The journal's text, or undefined when the file does not exist. */
  async text(): Promise<string | undefined> {
    return readTextFile(this.path);
  }

  async read(): Promise<StudyState> {
    const text = (await this.text()) ?? '';
    this.needsNewline = text.length > 0 && !text.endsWith('\n');
    const { events, notes } = parseJournal(text, this.path);
    return replay(events, notes);
  }

  async append(event: JournalEvent): Promise<void> {
    const line = `${this.needsNewline ? '\n' : ''}${JSON.stringify(event)}\n`;
    this.needsNewline = false;
    await appendTextDurable(this.path, line);
  }

  /** Creates the journal with its first line; false when a file already has the name. */
  async create(settings: Record<string, unknown>): Promise<boolean> {
    const head: JournalEvent = { op: 'study', format: JOURNAL_FORMAT, version: 1, settings };
    return createTextFileExclusive(this.path, `${JSON.stringify(head)}\n`);
  }
}

/** True when `text` starts like a Regula study journal (so appending to it is ours to do). */
export function isJournalText(text: string): boolean {
  const first = text.slice(0, text.indexOf('\n') < 0 ? text.length : text.indexOf('\n'));
  try {
    const v = JSON.parse(first) as { op?: unknown; format?: unknown };
    return v.op === 'study' && v.format === JOURNAL_FORMAT;
  } catch {
    return false;
  }
}

/** True when the process that claimed `t` is gone (so the trial can never finish). */
export function claimantDead(t: TrialRecord, storage: StudyStorage, pid: number | undefined): boolean {
  if (storage.ownClaims.has(t.claim)) return false;
  if (pid !== undefined && t.pid === pid) return true; // our pid, not our claim: a previous process (container pid reuse)
  return !processAlive(t.pid);
}
