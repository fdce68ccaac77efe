/**
 * Studies in PostgreSQL survive dead workers and are shared by many
 * (issue 16, deliverable 4), against a real server (test/helpers/postgres.ts;
 * skipped with the reason when none can be started, never in CI):
 *
 * - a `regula tune` worker killed with SIGKILL while a trial runs: after the
 *   grace another worker (`--resume`) re-queues that trial and finishes the
 *   study, which then equals an uninterrupted one (same trials by random
 *   stream, states, values, epochs, parameters; each once);
 * - three `regula tune` processes ("hosts") join one study at once: the union
 *   of their trials has the requested count, no number or random stream
 *   twice, every trial its parameters (those of its stream), its value and
 *   every epoch's intermediate value (one of them runs two trials at once in
 *   worker threads);
 * - the server itself dies mid-study: the worker stops with one line, and
 *   after a restart `--resume` finishes the study with no finished trial
 *   changed or lost.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TrialRecord } from '../../src/study/journal.js';
import { PostgresStorage } from '../../src/study/postgres.js';
import { RandomSampler } from '../../src/study/samplers.js';
import { spaceFromSpecs } from '../../src/study/space.js';
import { startPostgres, type PostgresServer } from '../helpers/postgres.js';
import { runTune, spawnTune, tuneArgs } from '../helpers/tune-cli.js';

const GRACE = 2;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function studyTrials(url: string, study: string): Promise<TrialRecord[]> {
  const s = await PostgresStorage.connect({ url, study });
  try {
    await s.attach();
    return (await s.read()).trials;
  } finally {
    await s.close();
  }
}

/** Non-failed trials by random stream: state, value, epochs, params (each stream once). */
function outcome(trials: readonly TrialRecord[]): Map<number, string> {
  const m = new Map<number, string>();
  for (const t of trials) {
    if (t.state === 'failed') continue;
    assert.ok(!m.has(t.freshIndex), `random stream ${t.freshIndex} finished twice`);
    m.set(t.freshIndex, JSON.stringify([t.state, t.value, t.epochs, t.params]));
  }
  return m;
}

test('PostgreSQL studies: a killed worker is recovered; several hosts share one study', { timeout: 180_000 }, async (t) => {
  const pg = await startPostgres();
  if ('skip' in pg) {
    t.skip(pg.skip);
    return;
  }
  const server: PostgresServer = pg;
  const work = mkdtempSync(join(tmpdir(), 'regula-fault-pg-'));
  try {
    await t.test('kill -9 of a worker mid-trial: another worker resumes; no trial lost or duplicated', async () => {
      const url = server.createDatabase('kill');
      const base = { trials: 5, epochs: 4, storage: url, extra: ['--heartbeat-grace', String(GRACE)] };
      const ref = await runTune(tuneArgs({ ...base, out: join(work, 'ref'), study: 'ref' }));
      assert.equal(ref.code, 0, ref.stderr);
      const want = outcome(await studyTrials(url, 'ref'));
      assert.equal(want.size, 5);
      let killedTrial = -1;
      let study = '';
      // Kill while trial ≥ 1 runs (polling the database); a trial can end between the poll and the kill, so try again (≤ 3 times).
      for (let attempt = 0; attempt < 3 && killedTrial < 0; attempt++) {
        study = `victim${attempt}`;
        const { child, done } = spawnTune(tuneArgs({ ...base, out: join(work, study), study }));
        let seen = false;
        while (!seen && child.exitCode === null) {
          await sleep(15);
          const rows = server.sql(`SELECT count(*) FROM regula_trials t JOIN regula_studies s ON s.id = t.study_id WHERE s.name = '${study}' AND t.number >= 1 AND t.state = 'running' AND t.params IS NOT NULL`, 'kill');
          seen = rows === '1';
        }
        child.kill('SIGKILL');
        const r = await done;
        if (r.signal !== 'SIGKILL') continue;
        const running = (await studyTrials(url, study)).filter((x) => x.state === 'running');
        if (running.length === 1) killedTrial = running[0]!.number;
      }
      assert.ok(killedTrial >= 1, 'killed a worker while a trial ran');
      const before = outcome(await studyTrials(url, study));
      // Within the grace the dead worker's trial still counts as running; after it, the next worker re-queues it.
      await sleep(GRACE * 1000 + 500);
      const again = await runTune(tuneArgs({ ...base, out: join(work, study), study, resume: true }));
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stderr, new RegExp(`trial #${killedTrial} was left running by a process that is gone: marked failed and re-queued`));
      const trials = await studyTrials(url, study);
      const killed = trials[killedTrial]!;
      assert.equal(killed.state, 'failed');
      assert.match(killed.reason ?? '', /sent no heartbeat for \d+ s/);
      const reruns = trials.filter((x) => x.retryOf === killedTrial);
      assert.equal(reruns.length, 1, 're-run once');
      assert.deepEqual(reruns[0]!.params, killed.params);
      const got = outcome(trials);
      assert.deepEqual(got, want, 'the resumed study equals an uninterrupted one');
      for (const [i, v] of before) if (!v.startsWith('["running"')) assert.equal(got.get(i), v, `finished trial of stream ${i} changed`);
      t.diagnostic(`killed worker during trial #${killedTrial}; resumed: ${trials.length} trials (${got.size} finished, 1 failed and re-run), 0 duplicates`);
    });

    await t.test('three workers ("hosts") join one study: the union has every trial once, with its results', async () => {
      const url = server.createDatabase('hosts');
      const n = 9;
      const epochs = 3;
      const runs = await Promise.all([0, 1, 2].map((h) => runTune(tuneArgs({ trials: n, epochs, storage: url, study: 'shared', resume: true, workers: h === 0 ? 2 : 1, out: join(work, `host${h}`) }))));
      runs.forEach((r, h) => assert.equal(r.code, 0, `host ${h}: ${r.stderr}`));
      const trials = await studyTrials(url, 'shared');
      const done = trials.filter((x) => x.state !== 'failed');
      assert.equal(done.length, n);
      assert.equal(trials.length, n, 'no trial failed');
      assert.deepEqual(trials.map((x) => x.number), Array.from({ length: n }, (_, i) => i));
      assert.deepEqual(done.map((x) => x.freshIndex).sort((a, b) => a - b), Array.from({ length: n }, (_, i) => i));
      const space = spaceFromSpecs(['l2=loguniform:1e-5:1e-2', 'dropout=uniform:0:0.5']);
      for (const x of done) {
        assert.ok(x.state === 'complete' || x.state === 'pruned', `trial ${x.number}: ${x.state}`);
        assert.ok(Number.isFinite(x.value), `trial ${x.number} has its value`);
        assert.deepEqual([...x.intermediate.keys()], Array.from({ length: x.epochs }, (_, i) => i + 1), `trial ${x.number}: every epoch`);
        assert.equal(x.intermediate.get(x.epochs), x.value, `trial ${x.number}: its value is its last epoch's`);
        assert.deepEqual(x.params, new RandomSampler(42).sample({ space, trials: [], trial: x, direction: 'maximize' }), `trial ${x.number}: the parameters of its stream`);
      }
      for (let h = 0; h < 3; h++) {
        const html = readFileSync(join(work, `host${h}`, 'index.html'), 'utf8');
        assert.ok(html.includes('regula:***@127.0.0.1'), `host ${h}: the report names the storage`);
        assert.ok(!html.includes(server.password) && !runs[h]!.stdout.includes(server.password) && !runs[h]!.stderr.includes(server.password), `host ${h}: no password in the report or output`);
      }
      const pids = new Set(trials.map((x) => x.pid));
      assert.ok(pids.size >= 2, `trials ran in ${pids.size} processes`);
      t.diagnostic(`3 workers: ${trials.length} trials, ${pids.size} processes ran them (${[...pids].map((p) => trials.filter((x) => x.pid === p).length).join(' + ')}), 0 duplicates`);
    });
    await t.test('the database server dies mid-study: the worker stops with one line; after a restart --resume finishes, nothing lost', async () => {
      const url = server.createDatabase('outage');
      const base = { trials: 6, epochs: 3, storage: url, study: 'o', out: join(work, 'outage'), extra: ['--heartbeat-grace', String(GRACE)] };
      const { child, done } = spawnTune(tuneArgs(base));
      const finished = (): number =>
        server.sql("SELECT to_regclass('regula_trials') IS NULL", 'outage') === 't' ? 0 : Number(server.sql("SELECT count(*) FROM regula_trials WHERE state <> 'running'", 'outage'));
      while (child.exitCode === null && finished() < 2) await sleep(20);
      server.crash();
      const r = await done;
      server.restart();
      assert.equal(r.code, 1, r.stderr);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, /^regula tune: postgres:\/\/regula:\*\*\*@127\.0\.0\.1:\d+\/outage study o: (lost the database|the server refused).*run again with --resume|terminating connection/);
      const before = outcome(await studyTrials(url, 'o'));
      assert.ok(before.size >= 2, `${before.size} trials survived the crash`);
      await sleep(GRACE * 1000 + 500);
      const again = await runTune(tuneArgs({ ...base, resume: true }));
      assert.equal(again.code, 0, again.stderr);
      const trials = await studyTrials(url, 'o');
      const got = outcome(trials);
      assert.equal(got.size, 6);
      assert.deepEqual([...got.keys()].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5]);
      for (const [i, v] of before) if (!v.startsWith('["running"')) assert.equal(got.get(i), v, `finished trial of stream ${i} changed`);
      t.diagnostic(`server crashed after ${[...before.values()].filter((v) => !v.startsWith('["running"')).length} finished trials; resumed: ${trials.length} trials, ${got.size} finished, 0 duplicates`);
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
    await server.stop();
  }
});
