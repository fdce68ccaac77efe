/**
 * The PostgreSQL study storage (src/study/postgres.ts) against a real server
 * started for this file (test/helpers/postgres.ts; skipped with the reason
 * when none can be started): workers sharing a study never share a trial
 * number, lose no result and keep every intermediate value; a study is
 * joined only with its settings; a trial whose worker stopped heartbeating
 * is re-queued with its parameters, one that still heartbeats is not; a
 * storage that cannot connect or is too new says so and writes nothing;
 * `pg` is loaded only when a PostgreSQL study is opened.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { MemoryStorage, type TrialRecord } from '../../src/study/journal.js';
import { openPostgresStorage, PostgresStorage, StorageError } from '../../src/study/postgres.js';
import { RandomSampler } from '../../src/study/samplers.js';
import { spaceFromSpecs } from '../../src/study/space.js';
import { openStudyStorage, studySettingsOf } from '../../src/study/storage.js';
import { tune, type TrialHandle } from '../../src/study/tune.js';
import { REPO_ROOT } from '../helpers/fault-run.js';
import { startPostgres, type PostgresServer } from '../helpers/postgres.js';

const space = spaceFromSpecs(['l2=loguniform:1e-5:1e-1', 'dropout=uniform:0:0.5']);
const settings = studySettingsOf({ space, metric: 'val_loss', direction: 'minimize', sampler: new RandomSampler(3) });
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A fake training whose loss after epoch e depends only on the parameters (so a value proves which params produced it). */
const lossAt = (p: TrialHandle['params'], e: number): number => Math.abs(Math.log10(p['l2'] as number) + 3) + (p['dropout'] as number) + 1 / e;
async function fakeFit(trial: TrialHandle, epochs: number, pauseMs = 5): Promise<number> {
  let v = Number.NaN;
  for (let e = 1; e <= epochs; e++) {
    await sleep(pauseMs);
    v = lossAt(trial.params, e);
    await trial.report(e, v);
  }
  return v;
}

const run = (storage: PostgresStorage | MemoryStorage, trials: number, epochs = 3, pauseMs = 5) =>
  tune({ space, trials, metric: 'val_loss', direction: 'minimize', sampler: new RandomSampler(3), storage, objective: (t) => fakeFit(t, epochs, pauseMs) });

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 1));
    });
  });
}

function assertWhole(trials: readonly TrialRecord[], n: number): void {
  const done = trials.filter((t) => t.state !== 'failed');
  assert.equal(done.length, n, 'expected count');
  assert.deepEqual(trials.map((t) => t.number), trials.map((_, i) => i), 'numbers 0… with no duplicate');
  assert.deepEqual(done.map((t) => t.freshIndex).sort((a, b) => a - b), Array.from({ length: n }, (_, i) => i), 'each random stream once');
  for (const t of done) assert.equal(t.state, 'complete');
}

test('pg is loaded only when a PostgreSQL study is opened', () => {
  const script = `
    const { createRequire } = await import('node:module');
    const require = createRequire(import.meta.url);
    const loaded = () => Object.keys(require.cache).some((k) => /[\\/]node_modules[\\/]pg[\\/]/.test(k));
    const study = await import('./src/study/index.ts');
    await import('./src/cli/tune.ts');
    const before = loaded();
    await study.openStudyStorage('postgres://nobody@127.0.0.1:1/x', { study: 's' }).catch(() => undefined);
    console.log(JSON.stringify([before, loaded()]));`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout.trim().split('\n').pop()!), [false, true]);
});

test('PostgreSQL study storage', { timeout: 120_000 }, async (t) => {
  const pg = await startPostgres();
  if ('skip' in pg) {
    t.skip(pg.skip);
    return;
  }
  const server: PostgresServer = pg;
  try {
    await t.test('two workers share a study: no duplicate, none lost, every epoch stored, same parameters as one worker', async () => {
      const url = server.createDatabase('shared');
      const [a, b] = await Promise.all([openPostgresStorage({ url, study: 's', settings }), openPostgresStorage({ url, study: 's', settings })]);
      try {
        await Promise.all([run(a, 12), run(b, 12)]);
        // Read after both ended (either result may show the other's last trial still running).
        const ra = await a.read();
        assert.deepEqual(ra.settings, settings);
        assertWhole(ra.trials, 12);
        assert.ok(a.ownClaims.size >= 1 && b.ownClaims.size >= 1, `both workers ran trials (${a.ownClaims.size}, ${b.ownClaims.size})`);
        const byClaim = new Set(ra.trials.map((x) => x.claim));
        assert.equal(byClaim.size, 12);
        for (const x of ra.trials) {
          assert.deepEqual([...x.intermediate.keys()], [1, 2, 3]);
          assert.equal(x.intermediate.get(2), lossAt(x.params!, 2));
          assert.equal(x.value, lossAt(x.params!, 3));
          assert.equal(x.epochs, 3);
        }
        const alone = await run(new MemoryStorage(), 12);
        const params = (ts: readonly TrialRecord[]): string[] => ts.map((x) => JSON.stringify([x.freshIndex, x.params])).sort();
        assert.deepEqual(params(ra.trials), params(alone.trials));
        const rows = server.sql("SELECT count(*) FROM regula_trials; SELECT count(*) FROM regula_intermediate; SELECT max(version) FROM regula_schema", 'shared');
        assert.deepEqual(rows.split('\n'), ['12', '36', '1']);
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });

    await t.test('joining with other settings is refused; openStudyStorage opens journal and postgres URLs', async () => {
      const url = server.createDatabase('settings');
      const s = await openPostgresStorage({ url, study: 's', settings });
      await s.close();
      const other = { ...settings, direction: 'maximize' };
      await assert.rejects(openPostgresStorage({ url, study: 's', settings: other }), (e: Error) => e instanceof StorageError && /the study was made with direction = "minimize", not "maximize"/.test(e.message));
      const again = await openStudyStorage(url, { study: 's', settings });
      assert.ok(again instanceof PostgresStorage);
      await again.close?.();
      await assert.rejects(openStudyStorage('mysql://x@y/z'), /expected journal:<file> or postgres:\/\//);
    });

    await t.test('a trial whose worker stopped heartbeating is re-queued with its parameters; a heartbeating one is not', async () => {
      const url = server.createDatabase('stale');
      const opts = { url, study: 's', settings, graceSeconds: 1, heartbeatSeconds: 0.2 };
      // Worker A claims trial 0, reports one epoch and dies (its connections close, its heartbeats stop).
      const a = await openPostgresStorage(opts);
      await a.append({ op: 'claim', id: 'dead-1', pid: 999999, limit: 2, retry: null });
      const params = new RandomSampler(3).sample({ space, trials: [], trial: (await a.read()).trials[0]!, direction: 'minimize' });
      await a.append({ op: 'start', trial: 0, claim: 'dead-1', params });
      await a.append({ op: 'report', trial: 0, step: 1, value: 7 });
      await a.close();
      // Worker B runs slow trials (epochs of 1.2 s > the 1 s grace: only the heartbeat timer keeps them alive) while C keeps trying to recover stale trials.
      const b = await openPostgresStorage(opts);
      const c = await openPostgresStorage(opts);
      try {
        assert.deepEqual(await c.recoverStale(), [], 'not stale within the grace');
        await sleep(1300);
        let stop = false;
        const wrongly: number[] = [];
        const watcher = (async () => {
          while (!stop) {
            for (const n of await c.recoverStale()) if (n !== 0) wrongly.push(n);
            await sleep(150);
          }
        })();
        await run(b, 2, 2, 1200).finally(() => (stop = true));
        await watcher;
        assert.deepEqual(wrongly, [], 'a trial that heartbeats is never taken');
        const st = (await b.read()).trials;
        assert.equal(st[0]!.state, 'failed');
        assert.match(st[0]!.reason ?? '', /its worker \(pid 999999 on [\d.]+\) sent no heartbeat for \d+ s/);
        assert.deepEqual([...st[0]!.intermediate], [[1, 7]]);
        const rerun = st.find((x) => x.retryOf === 0)!;
        assert.deepEqual(rerun.params, params);
        assert.equal(rerun.freshIndex, 0);
        assertWhole(st, 2);
      } finally {
        await Promise.all([b.close(), c.close()]);
      }
    });

    await t.test('a storage that cannot connect says why in one line and writes nothing', async () => {
      const url = server.createDatabase('untouched');
      const port = await freePort();
      const cases: [string, RegExp][] = [
        [`postgres://regula@127.0.0.1:${port}/untouched`, /cannot connect: connection refused by 127\.0\.0\.1:\d+/],
        ['postgres://regula@no-such-host.invalid/untouched', /cannot connect: unknown host no-such-host\.invalid/],
        [server.url('untouched', 'wrong-password'), /cannot connect: password authentication failed for user regula/],
        ['mysql://regula@127.0.0.1/untouched', /expected a postgres:\/\/ or postgresql:\/\/ URL, not mysql:\/\//],
        [server.url('missing'), /cannot connect: database "missing" does not exist/],
      ];
      for (const [u, re] of cases) {
        await assert.rejects(PostgresStorage.connect({ url: u, study: 's', connectTimeoutSeconds: 5 }), (e: Error) => {
          assert.ok(e instanceof StorageError, String(e));
          assert.match(e.message, re);
          assert.doesNotMatch(e.message, /wrong-password|\n/);
          return true;
        });
      }
      assert.equal(server.sql("SELECT to_regclass('regula_schema') IS NULL", 'untouched'), 't');
      assert.ok(url.includes('untouched'));
    });

    await t.test('a schema newer than this Regula is refused, not altered', async () => {
      const url = server.createDatabase('newer');
      const s = await openPostgresStorage({ url, study: 's', settings });
      await s.close();
      server.sql('INSERT INTO regula_schema (version) VALUES (2)', 'newer');
      await assert.rejects(openPostgresStorage({ url, study: 's', settings }), /holds Regula study schema version 2; this Regula reads version 1/);
    });
  } finally {
    await server.stop();
  }
});
