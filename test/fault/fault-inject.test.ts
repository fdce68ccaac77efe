/**
 * The fault-injection preload (test/helpers/fault-inject.mjs) itself: it
 * counts the mutating operations under REGULA_FAULT_PATH — through named ESM
 * imports of node:fs and node:fs/promises, process.getBuiltinModule and
 * FileHandle methods — and kills the process right before the chosen one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countOps, runKilledAt } from '../helpers/fault-run.js';

test('fault-inject counts every mutating fs operation and kills before the N-th', () => {
  const root = mkdtempSync(join(tmpdir(), 'regula-fault-inject-'));
  try {
    const dir = join(root, 'd');
    const outside = join(root, 'outside.txt');
    const log = join(root, 'log');
    assert.equal(countOps(['test/fixtures/fs-ops.ts', dir, outside], { root: dir, logFile: log }), 7);
    assert.deepEqual(readFileSync(log, 'utf8').trim().split('\n').map((l) => l.split(' ')[1]), ['mkdirSync', 'writeFileSync', 'renameSync', 'promises.open', 'FileHandle.writeFile', 'FileHandle.sync', 'rename']);
    const expected: (string[] | undefined)[] = [undefined, undefined, [], ['a'], ['b'], ['b', 'c'], ['b', 'c'], ['b', 'c']]; // by k (1-based)
    for (let k = 1; k <= 7; k++) {
      rmSync(dir, { recursive: true, force: true });
      const r = runKilledAt(k, ['test/fixtures/fs-ops.ts', dir, outside], { root: dir });
      assert.equal(r.signal, 'SIGKILL', `op ${k}`);
      assert.deepEqual(existsSync(dir) ? readdirSync(dir).sort() : undefined, expected[k], `op ${k}`);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
