/**
 * The PostgreSQL schema of Regula studies (version 1), created on first use
 * by `ensureSchema` under a transaction-scoped advisory lock, so workers that
 * start at once create it once. `regula_schema` holds the version: a database
 * whose schema is newer than this Regula is refused, never altered.
 *
 * - `regula_studies`  — one row per study name, with the settings it was made
 *   with (space, objective, direction, sampler, seed …); a worker joining
 *   with other settings is refused.
 * - `regula_trials`   — one row per trial, numbered 0, 1, … per study (the
 *   primary key (study_id, number) makes a number impossible to use twice).
 *   The columns are the fields of `TrialRecord` (journal.ts), plus `host`
 *   (the client address the server saw), `heartbeat_at` (server clock, set by
 *   the worker while the trial runs) and start/finish times.
 * - `regula_intermediate` — the objective after each epoch (`step`, 1-based).
 */

/** The schema version this Regula writes and reads. */
export const SCHEMA_VERSION = 1;

/** Key of the advisory lock that serializes schema creation (any 64-bit number unique to Regula). */
export const SCHEMA_LOCK = 0x7265_6775_6c61; // "regula"

/** The DDL of version 1 (run once, inside the schema transaction). */
export const SCHEMA_V1 = `
CREATE TABLE regula_studies (
  id serial PRIMARY KEY,
  name text NOT NULL UNIQUE,
  settings jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE regula_trials (
  study_id integer NOT NULL REFERENCES regula_studies(id) ON DELETE CASCADE,
  number integer NOT NULL CHECK (number >= 0),
  fresh_index integer NOT NULL,
  state text NOT NULL CHECK (state IN ('running', 'complete', 'pruned', 'failed')),
  params jsonb,
  value double precision,
  epochs integer NOT NULL DEFAULT 0,
  retry_of integer,
  retried_by integer,
  requeue boolean NOT NULL DEFAULT false,
  reason text,
  claim text NOT NULL,
  pid integer NOT NULL,
  host text NOT NULL,
  heartbeat_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  PRIMARY KEY (study_id, number),
  UNIQUE (study_id, claim),
  UNIQUE (study_id, retry_of)
);
CREATE TABLE regula_intermediate (
  study_id integer NOT NULL,
  number integer NOT NULL,
  step integer NOT NULL CHECK (step >= 1),
  value double precision NOT NULL,
  PRIMARY KEY (study_id, number, step),
  FOREIGN KEY (study_id, number) REFERENCES regula_trials(study_id, number) ON DELETE CASCADE
);
CREATE INDEX regula_trials_running ON regula_trials (study_id) WHERE state = 'running';
`;

/** Queries of the storage (numbered parameters; $1 is always the study id where there is one). */
export const SQL = {
  schemaTable: 'CREATE TABLE IF NOT EXISTS regula_schema (version integer PRIMARY KEY, created_at timestamptz NOT NULL DEFAULT now())',
  schemaVersion: 'SELECT max(version) AS version FROM regula_schema',
  hasSchema: "SELECT to_regclass('regula_schema') IS NOT NULL AS present",
  studyByName: 'SELECT id, settings FROM regula_studies WHERE name = $1',
  createStudy: 'INSERT INTO regula_studies (name, settings) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING RETURNING id',
  lockStudy: 'SELECT id FROM regula_studies WHERE id = $1 FOR UPDATE',
  counts: "SELECT count(*)::int AS total, (count(*) FILTER (WHERE state <> 'failed'))::int AS active, (count(*) FILTER (WHERE retry_of IS NULL))::int AS fresh FROM regula_trials WHERE study_id = $1",
  takeRetry: "UPDATE regula_trials SET retried_by = $3 WHERE study_id = $1 AND number = $2 AND state = 'failed' AND requeue AND retried_by IS NULL RETURNING fresh_index, params",
  insertTrial: `INSERT INTO regula_trials (study_id, number, fresh_index, state, params, retry_of, claim, pid, host)
    VALUES ($1, $2, $3, 'running', $4, $5, $6, $7, COALESCE(host(inet_client_addr()), 'local socket'))`,
  start: "UPDATE regula_trials SET params = $4 WHERE study_id = $1 AND number = $2 AND claim = $3 AND params IS NULL AND state = 'running'",
  report: `WITH t AS (
      UPDATE regula_trials SET epochs = GREATEST(epochs, $3), heartbeat_at = now()
      WHERE study_id = $1 AND number = $2 AND state = 'running' RETURNING study_id, number)
    INSERT INTO regula_intermediate (study_id, number, step, value) SELECT study_id, number, $3, $4 FROM t
    ON CONFLICT (study_id, number, step) DO UPDATE SET value = EXCLUDED.value`,
  finish: `UPDATE regula_trials SET state = $3, value = $4, epochs = GREATEST(epochs, $5), reason = $6, requeue = $7, finished_at = now()
    WHERE study_id = $1 AND number = $2 AND state = 'running'`,
  heartbeat: "UPDATE regula_trials SET heartbeat_at = now() WHERE study_id = $1 AND number = ANY($2::int[]) AND state = 'running'",
  recoverStale: `UPDATE regula_trials SET state = 'failed', requeue = true, finished_at = now(),
      reason = 'its worker (pid ' || pid || ' on ' || host || ') sent no heartbeat for ' || round(extract(epoch FROM now() - heartbeat_at)) || ' s'
    WHERE study_id = $1 AND state = 'running' AND heartbeat_at < now() - make_interval(secs => $2) AND NOT (claim = ANY($3::text[]))
    RETURNING number`,
  trials: `SELECT t.number, t.fresh_index, t.state, t.params, t.value, t.epochs, t.retry_of, t.retried_by, t.requeue, t.reason, t.claim, t.pid,
      COALESCE((SELECT json_agg(json_build_array(i.step, i.value) ORDER BY i.step) FROM regula_intermediate i
        WHERE i.study_id = t.study_id AND i.number = t.number), '[]'::json) AS intermediate
    FROM regula_trials t WHERE t.study_id = $1 ORDER BY t.number`,
} as const;
