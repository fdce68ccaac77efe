/**
 * Runs every example as its own process, as a user would
 * (`node --import tsx examples/<name>.ts`), and requires exit status 0 and at
 * least one passed check: each example asserts real numbers and exits 1 on
 * the first failed check.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const EXAMPLES = ['weight-regularization', 'nonneg-conv1d', 'dropout', 'gaussian-dropout', 'gaussian-noise', 'early-stopping', 'beyond-keras', 'residual-mlp'];
const root = fileURLToPath(new URL('..', import.meta.url));

for (const name of EXAMPLES) {
  test(`examples/${name}.ts runs and its checks pass`, (t) => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', `examples/${name}.ts`], { cwd: root, encoding: 'utf8', timeout: 240_000 });
    const out = `${r.stdout}${r.stderr}`;
    for (const line of r.stdout.split('\n')) if (line && !line.startsWith('ok: ')) t.diagnostic(line);
    assert.equal(r.status, 0, `examples/${name}.ts exited with ${r.status}${r.signal ? ` (${r.signal})` : ''}:\n${out}`);
    assert.ok(/^ok: /m.test(r.stdout), `examples/${name}.ts printed no passed check:\n${out}`);
    assert.ok(!/FAILED/.test(out), out);
  });
}
