/**
 * The CLI never loses a user's data (issue 9 items 1, 8, 9, 10): outputs
 * refuse directories Regula did not write and paths over inputs; a publish
 * killed at any file operation leaves the old or the new output, and the
 * next run reports and cleans the leftovers; a closed pipe ends predict
 * quietly; SIGINT/SIGTERM save a resumable checkpoint, and `--resume`
 * finishes with the same weights as an uninterrupted run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModel } from '../../src/index.js';
import { countOps, REPO_ROOT, runClean, runKilledAt } from '../helpers/fault-run.js';
import { openOutputDir } from '../../src/cli/output-dir.js';

const MAIN = join(REPO_ROOT, 'src', 'cli', 'main.ts');
const TSX = import.meta.resolve('tsx');
const DATA = join(REPO_ROOT, 'datasets');
const work = mkdtempSync(join(tmpdir(), 'regula-safety-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

interface Result {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI; `onSpawn` gets the child (to send it a signal). */
function cli(args: readonly string[], cwd = work, onSpawn?: (child: ReturnType<typeof spawn>) => void): Promise<Result> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', TSX, MAIN, ...args], { cwd, env: { ...process.env, REGULA_DEBUG: '' } });
    onSpawn?.(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code, signal) => done({ code, signal, stdout, stderr }));
  });
}

/** A directory listing with file contents, to prove nothing changed. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string): void => {
    for (const name of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, name.name);
      if (name.isDirectory()) walk(p, `${rel}${name.name}/`);
      else out[`${rel}${name.name}`] = readFileSync(p, 'utf8');
    }
  };
  walk(dir, '');
  return out;
}

function oneLine(r: Result, pattern: RegExp, what: string): void {
  assert.equal(r.code, 2, `${what}: exit 2 (stderr ${r.stderr})`);
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `${what}: one line, got ${JSON.stringify(r.stderr)}`);
  assert.match(lines[0]!, pattern, what);
}

const TRAIN_WINE = ['train', '--dataset', 'wine', '--hidden', '4', '--epochs', '2', '--quiet'];

test('train refuses outputs that would destroy user files, and leaves everything as it was', { timeout: 300_000 }, async () => {
  const project = join(work, 'project');
  mkdirSync(join(project, 'data'), { recursive: true });
  const csv = readFileSync(join(DATA, 'wine.csv'), 'utf8');
  writeFileSync(join(project, 'data', 'x.csv'), csv);
  writeFileSync(join(project, 'notes.md'), 'my notes');
  const before = snapshot(project);
  const train = ['train', '--data', 'data/x.csv', '--target', 'target', '--hidden', '4', '--epochs', '1', '--quiet'];
  const cases: [string, string[], RegExp][] = [
    ['--out .', [...train, '--out', '.'], /--out \. contains the input data\/x\.csv/],
    ['--out .. (the parent holds the project)', [...train, '--out', '..'], /--out \.\. contains the input/],
    ['--out data (holds the input)', [...train, '--out', 'data'], /--out data contains the input data\/x\.csv/],
    ['--out . with an embedded dataset', [...TRAIN_WINE, '--out', '.'], /--out \. is a non-empty directory that Regula did not write \(holds data, notes\.md\).*--force/],
    ['--checkpoint inside --out', [...TRAIN_WINE, '--out', 'o2', '--checkpoint', 'o2/ck'], /--checkpoint and --out must be separate/],
    ['--out /', [...TRAIN_WINE, '--out', '/'], /--out \/ is a filesystem root/],
    ['demo --out .', ['demo', '--epochs', '1', '--regimes', 'none', '--quiet', '--out', '.'], /non-empty directory that Regula did not write/],
  ];
  for (const [what, args, pattern] of cases) oneLine(await cli(args, project), pattern, what);
  assert.deepEqual(snapshot(project), before, 'no file added, changed or removed');
});

test('a Regula output is replaced in place; user files in it survive; --force adds to a foreign directory', { timeout: 300_000 }, async () => {
  const out = join(work, 'wine-out');
  assert.equal((await cli([...TRAIN_WINE, '--out', out])).code, 0);
  writeFileSync(join(out, 'my-notes.txt'), 'keep');
  const r = await cli([...TRAIN_WINE, '--seed', '3', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(readFileSync(join(out, 'my-notes.txt'), 'utf8'), 'keep');
  assert.deepEqual(readdirSync(out).filter((n) => n.startsWith('.regula-') && n !== '.regula-output.json'), [], 'no leftovers');
  await loadModel(out);
  const foreign = join(work, 'foreign');
  mkdirSync(foreign);
  writeFileSync(join(foreign, 'data.txt'), 'theirs');
  oneLine(await cli([...TRAIN_WINE, '--out', foreign]), /non-empty directory that Regula did not write/, 'foreign without --force');
  const f = await cli([...TRAIN_WINE, '--out', foreign, '--force']);
  assert.equal(f.code, 0, f.stderr);
  assert.equal(readFileSync(join(foreign, 'data.txt'), 'utf8'), 'theirs');
  assert.ok(existsSync(join(foreign, 'model.json')));
});

test('predict: --out over an input or a foreign file is refused; a closed pipe ends quietly', { timeout: 300_000 }, async () => {
  const model = join(work, 'digits-model');
  assert.equal((await cli(['train', '--dataset', 'digits', '--hidden', '4', '--epochs', '1', '--quiet', '--out', model])).code, 0);
  const data = join(work, 'digits.csv');
  cpSync(join(DATA, 'digits.csv'), data);
  const original = readFileSync(data, 'utf8');
  oneLine(await cli(['predict', '--model', model, '--data', data, '--out', data]), /--out .*digits\.csv is the input/, 'predict --out = --data');
  oneLine(await cli(['predict', '--model', model, '--data', data, '--out', join(model, 'p.csv')]), /is the input .*digits-model/, 'predict --out inside the model');
  writeFileSync(join(work, 'mine.csv'), 'x\n');
  oneLine(await cli(['predict', '--model', model, '--data', data, '--out', join(work, 'mine.csv')]), /already exists and Regula did not write it.*--force/, 'foreign --out');
  assert.equal(readFileSync(data, 'utf8'), original);
  // 1,797 rows × 10 probabilities ≈ 150 kB: more than a pipe holds, so head's exit breaks the pipe.
  const r = spawnSync('sh', ['-c', `"${process.execPath}" --import "${TSX}" "${MAIN}" predict --model "${model}" --data "${data}" | head -1`], { encoding: 'utf8' });
  assert.equal(r.status, 0);
  assert.match(r.stdout, /^prediction,p_0,/);
  assert.doesNotMatch(r.stderr, /EPIPE|Error|at /, 'no stack trace');
});

/** Weights of a saved model, as arrays. */
async function weightsOf(dir: string): Promise<number[][]> {
  const m = await loadModel(dir);
  return m.getWeights().map((w) => Array.from(w.data));
}

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  test(`${sig} during train saves a resumable checkpoint; --resume ends with the uninterrupted run's weights`, { timeout: 300_000 }, async () => {
    // Batches of 4: hundreds of steps per epoch, so the signal lands mid-epoch.
    const base = ['train', '--dataset', 'digits', '--hidden', '32', '--dropout', '0.2', '--epochs', '3', '--batch-size', '4', '--early-stopping', '20', '--seed', '5', '--quiet'];
    const full = join(work, `full-${sig}`);
    assert.equal((await cli([...base, '--out', full])).code, 0);
    const ck = join(work, `ck-${sig}`);
    const out = join(work, `out-${sig}`);
    let sent = false;
    // Interrupt once the first epoch's checkpoint exists (mid-run, at an arbitrary step).
    const poll = setInterval(() => {
      if (!sent && existsSync(join(ck, 'model.json')) && child) {
        sent = true;
        const c = child;
        setTimeout(() => c.kill(sig), 100);
      }
    }, 20);
    let child: ReturnType<typeof spawn> | undefined;
    const r = await cli([...base, '--checkpoint', ck, '--out', out], work, (c) => (child = c));
    clearInterval(poll);
    assert.ok(sent, 'the signal was sent');
    assert.equal(r.code, sig === 'SIGINT' ? 130 : 143, r.stderr);
    assert.match(r.stderr, new RegExp(`regula train: interrupted (in epoch \\d+ \\(after step \\d+\\)|after epoch \\d+); resumable checkpoint saved in ${ck.replace(/[/\\\\]/g, '.')}; continue with: regula train --resume`));
    // Usually mid-epoch (the signal comes 100 ms after the first checkpoint); test/models/resume-interrupt.test.ts pins that case exactly.
    const info = (await loadModel(ck)).resumeInfo!;
    assert.ok(info.initialEpoch >= 1 || (info.initialStep ?? 0) > 0, `stopped after some training (epoch ${info.initialEpoch}, step ${info.initialStep})`);
    // The checkpoint is self-sufficient: evaluate reads its model and preprocessing.
    const ev = await cli(['evaluate', '--model', ck, '--data', join(DATA, 'digits.csv'), '--json']);
    assert.equal(ev.code, 0, ev.stderr);
    assert.ok((JSON.parse(ev.stdout) as { accuracy: number }).accuracy > 0.5);
    const resumed = await cli(['train', '--resume', ck, '--out', out, '--quiet']);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.deepEqual(await weightsOf(out), await weightsOf(full), 'same final weights as the uninterrupted run');
  });
}

test('a train publish killed at every file operation of its switch leaves the old or the new model; the next run cleans up', { timeout: 600_000 }, async () => {
  const out = join(work, 'fault-out');
  const args = (seed: string): string[] => [MAIN, ...TRAIN_WINE, '--epochs', '1', '--seed', seed, '--out', out];
  assert.equal(runClean(args('7')).status, 0);
  writeFileSync(join(out, 'user.txt'), 'mine');
  const log = join(work, 'fault-ops.log');
  const ops = countOps(args('9'), { root: out, logFile: log });
  // Every operation of the switch (from the staged manifest on), and a sample of
  // the staging writes before it (a kill there leaves only an incomplete staging
  // directory; the library's own save is tested op by op in test/fault/fault-save.test.ts).
  const lines = readFileSync(log, 'utf8').trim().split('\n');
  const switchAt = lines.findIndex((l) => l.includes('.regula-output.json.tmp')) + 1;
  assert.ok(switchAt > 1, 'the publish writes a manifest');
  const kills = [...Array.from({ length: switchAt - 1 }, (_, i) => i + 1).filter((k) => k % 6 === 1), ...Array.from({ length: ops - switchAt + 1 }, (_, i) => switchAt + i)];
  let sawOld = 0;
  let sawNew = 0;
  for (const [i, k] of kills.entries()) {
    const seed = i % 2 === 0 ? '11' : '9';
    const before = await weightsOf(out);
    const r = runKilledAt(k, args(seed), { root: out });
    assert.equal(r.signal, 'SIGKILL', `op ${k}: killed (stderr ${r.stderr})`);
    // The next run recovers first (as every CLI command does when it opens its output).
    const notes: string[] = [];
    openOutputDir(out, { flag: '--out', kind: 'train', note: (l) => notes.push(l) });
    const left = readdirSync(out).filter((n) => (n.startsWith('.regula-') && n !== '.regula-output.json') || n.endsWith('.tmp'));
    assert.deepEqual(left, [], `op ${k}: no leftovers after recovery`);
    // Ops 1–2 create the output and the staging directory: a kill before them leaves nothing to recover.
    assert.equal(notes.length, k >= 3 ? 1 : 0, `op ${k}: the recovery is reported (${notes.join('; ')})`);
    const now = await weightsOf(out).catch((e: Error) => assert.fail(`op ${k}: the output no longer loads: ${e.message}`));
    if (JSON.stringify(now) === JSON.stringify(before)) sawOld++;
    else sawNew++;
    assert.equal(readFileSync(join(out, 'user.txt'), 'utf8'), 'mine');
  }
  assert.ok(sawOld > 0 && sawNew > 0, `kills left old (${sawOld}) and new (${sawNew}) outputs`);
  // A real run after a kill mid-switch says what it did on stderr, then publishes.
  assert.equal(runKilledAt(ops - 3, args('13'), { root: out }).signal, 'SIGKILL');
  const next = runClean(args('13'), { root: out });
  assert.equal(next.status, 0, next.stderr);
  assert.match(next.stderr, /regula: note: .*fault-out: finished the publish of an interrupted run/);
});
