/**
 * CI enforcement of scripts/check-spread.ts (issue 9: `push(...slice)` of a
 * 600k-row array overflowed the stack): the real tree passes, and the script
 * catches and names offenders in a scratch tree, with the allowed forms
 * (array literals, rest-parameter forwarding, `spread-ok:` comments, test
 * files) left alone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkSpread } from '../../scripts/check-spread.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

test('the repository passes check-spread (no array spread into call arguments)', () => {
  assert.deepEqual(checkSpread(repo).map((o) => `${o.file}:${o.line}: ${o.call}`), []);
});

test('check-spread names push(...x), Math.max(...x), f(...x) and new X(...x), and exits 1', () => {
  const root = mkdtempSync(join(tmpdir(), 'regula-spread-'));
  const files: Record<string, string> = {
    'src/data/bad.ts': 'const parts: number[] = [];\nparts.push(...rows.slice(0, 10));\nconst m = Math.max(...values);\n',
    'bench/b.ts': 'f(1,\n  ...xs);\nconst t = new Float32Array(...dims);\n',
    'src/ok.ts': [
      'f(...[1, 2]);',
      'function g(...args: number[]) { return h(...args); }',
      '// spread-ok: rank ≤ 8',
      'Math.max(...shape);',
      'Math.min(...shape); // spread-ok: rank',
      'const a = [...values]; const o = { ...opts };',
      "const s = 'x.push(...y)'; // f(...z)",
    ].join('\n'),
    'src/data/split.test.ts': 'parts.push(...big);\n',
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  try {
    assert.deepEqual(
      checkSpread(root).map((o) => `${o.file}:${o.line}: ${o.call}`),
      ['src/data/bad.ts:2: parts.push(...rows.slice(0, 10))', 'src/data/bad.ts:3: Math.max(...values)', 'bench/b.ts:2: f(1, ...xs)', 'bench/b.ts:3: new Float32Array(...dims)'],
    );
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(repo, 'scripts', 'check-spread.ts'), root], { cwd: repo, encoding: 'utf8' });
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /src\/data\/bad\.ts:2: parts\.push\(\.\.\.rows\.slice\(0, 10\)\) — spread of an array into call arguments/);
    assert.match(r.stderr, /check-spread: 4 array spread\(s\) into call arguments/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
