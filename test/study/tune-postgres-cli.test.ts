/**
 * Bad input against an existing study leaves it untouched (issue 16): for a
 * study in PostgreSQL and one in a journal file, `regula tune --resume` with
 * a storage it cannot use (refused port, unknown host, bad scheme, wrong
 * password, no permission on the tables, missing --study), an empty search space, an inverted range, a
 * log-uniform range touching 0, an unknown parameter (PostgreSQL: that one
 * stands for the space errors), other settings, or (PostgreSQL) no --resume exits with code 2 and one line, writes no output
 * directory, and the study's rows / the journal's bytes are unchanged.
 * PostgreSQL runs against a real server (test/helpers/postgres.ts) or skips
 * with the reason.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgres, type PostgresServer } from '../helpers/postgres.js';
import { runTune, tuneArgs, type TuneExit } from '../helpers/tune-cli.js';

const work = mkdtempSync(join(tmpdir(), 'regula-tune-bad-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

/** Cases: flags replacing the storage / params of a good resume, and the expected message. */
function cases(storage: string, study: string | undefined): [string, { storage: string; study?: string; params?: string[]; resume?: boolean }, RegExp][] {
  const s = study !== undefined ? { study } : {};
  return [
    ['empty space', { storage, ...s, params: [] }, /search space is empty/],
    ['inverted range', { storage, ...s, params: ['dropout=uniform:0.5:0.1'] }, /inverted/],
    ['log-uniform touching 0', { storage, ...s, params: ['l2=loguniform:0:1e-2'] }, /log-uniform range must stay above 0/],
    ['unknown parameter', { storage, ...s, params: ['l3=uniform:0:1'] }, /unknown parameter 'l3' \(did you mean 'l1'\?\)/],
    ['other settings', { storage, ...s, params: ['l2=loguniform:1e-5:1e-1', 'dropout=uniform:0:0.5'] }, /the study was made with space = .*resume with the same flags/],
    ['bad scheme', { storage: 'mysql://regula@127.0.0.1/db', study: 'x' }, /--storage mysql:\/\/regula@127\.0\.0\.1\/db: expected journal:<file> or postgres:\/\/user@host\/database/],
  ];
}

/** Runs the cases (three at a time) and checks: exit 2, one line, the message, no output directory. */
async function expectRefused(list: ReturnType<typeof cases>, tag: string): Promise<void> {
  for (let i = 0; i < list.length; i += 3) {
    const chunk = list.slice(i, i + 3);
    const rs: TuneExit[] = await Promise.all(chunk.map(([, o], j) => runTune(tuneArgs({ trials: 2, epochs: 2, resume: o.resume ?? true, out: join(work, `${tag}-${i + j}`), ...o }))));
    rs.forEach((r, j) => {
      const [name, , re] = chunk[j]!;
      assert.equal(r.code, 2, `${name}: exit ${r.code}\n${r.stderr}`);
      assert.equal(r.stderr.trim().split('\n').length, 1, `${name}: one line: ${r.stderr}`);
      assert.match(r.stderr, re, name);
      assert.doesNotMatch(r.stderr, /pw[a-z0-9]{8}|wrong-password|limited-pw/, `${name}: no password in the message`);
      assert.ok(!existsSync(join(work, `${tag}-${i + j}`)), `${name}: wrote the output directory`);
    });
  }
}

test('tune: bad input leaves an existing journal study untouched', { timeout: 120_000 }, async () => {
  const file = join(work, 'study.jsonl');
  const made = await runTune(tuneArgs({ trials: 2, epochs: 2, storage: `journal:${file}`, out: join(work, 'journal-made') }));
  assert.equal(made.code, 0, made.stderr);
  const before = readFileSync(file);
  await expectRefused(cases(`journal:${file}`, undefined), 'journal');
  await expectRefused([['--study with a journal', { storage: `journal:${file}`, study: 'x' }, /--study names a study in a PostgreSQL --storage/]], 'journal-study');
  assert.ok(readFileSync(file).equals(before), 'the journal is unchanged');
});

test('tune: bad input or a storage that cannot connect leaves a PostgreSQL study untouched', { timeout: 180_000 }, async (t) => {
  const pg = await startPostgres();
  if ('skip' in pg) {
    t.skip(pg.skip);
    return;
  }
  const server: PostgresServer = pg;
  try {
    const url = server.createDatabase('bad');
    const made = await runTune(tuneArgs({ trials: 2, epochs: 2, storage: url, study: 's', out: join(work, 'pg-made') }));
    assert.equal(made.code, 0, made.stderr);
    const snapshot = (): string =>
      server.sql("SELECT json_agg(x ORDER BY x.study_id, x.number) FROM regula_trials x; SELECT json_agg(i ORDER BY i.study_id, i.number, i.step) FROM regula_intermediate i; SELECT json_agg(s ORDER BY s.id) FROM regula_studies s", 'bad');
    const before = snapshot();
    assert.match(before, /"state":"(complete|pruned)"/);
    const port = server.port;
    server.sql("CREATE ROLE limited LOGIN PASSWORD 'limited-pw'");
    const limited = server.url('bad').replace(/\/\/regula:[^@]*@/, '//limited:limited-pw@');
    await expectRefused(
      [
        // The space errors come before the storage is touched (the journal test runs them all); one stands for them here.
        ...cases(url, 's').filter(([name]) => name === 'unknown parameter' || name === 'other settings'),
        ['refused port', { storage: server.url('bad').replace(`:${port}/`, ':1/'), study: 's' }, /cannot connect: connection refused by 127\.0\.0\.1:1 \(is the server running/],
        ['unknown host', { storage: 'postgres://regula@no-such-host.invalid/bad', study: 's' }, /cannot connect: unknown host no-such-host\.invalid/],
        ['wrong password', { storage: server.url('bad', 'wrong-password'), study: 's' }, /postgres:\/\/regula:\*\*\*@127\.0\.0\.1:\d+\/bad: cannot connect: password authentication failed for user regula/],
        ['no --study', { storage: url }, /give the study's name with --study NAME/],
        ['no --resume', { storage: url, study: 's', resume: false }, /study s exists already: pass --resume/],
        ['no permission', { storage: limited, study: 's' }, /postgres:\/\/limited:\*\*\*@127\.0\.0\.1:\d+\/bad study s: the server refused: permission denied for table regula_schema/],
      ],
      'pg',
    );
    assert.equal(snapshot(), before, 'the study is unchanged');
    assert.equal(server.sql('SELECT count(*) FROM regula_studies', 'bad'), '1', 'no study was added');
  } finally {
    await server.stop();
  }
});
