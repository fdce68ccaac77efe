/**
 * CI enforcement of the repository checks (scripts/check-imports.ts and
 * scripts/line-budget.ts): the real tree passes both, and each script catches
 * and names offenders in a scratch tree (so a passing run means something).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkImports } from '../../scripts/check-imports.js';
import { countLines, lineBudget } from '../../scripts/line-budget.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function scratch(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'regula-scripts-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

function runScript(script: string, root: string): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(repo, 'scripts', script), root], { cwd: repo, encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}

test('the repository passes check-imports (layering rules)', () => {
  const offences = checkImports(repo);
  assert.deepEqual(
    offences.map((o) => `${o.file}:${o.line}: '${o.specifier}' — ${o.rule}`),
    [],
  );
});

test('the repository passes line-budget (no file in src/ or assembly/ over 800 lines)', () => {
  const r = lineBudget(repo);
  assert.ok(r.checked > 0);
  assert.deepEqual(
    r.over.map((f) => `${f.file}: ${f.lines} lines`),
    [],
  );
});

test('check-imports names every kind of forbidden import and exits 1', () => {
  const root = scratch({
    'src/layers/bad.ts': "import type { Backend } from '../backend/backend.js';\nimport { x } from '../ops/index.js';\n",
    'src/optimizers/sgd.ts': "export { getBackend } from '../backend/select.js';\n",
    'src/models/m.ts': "// import { no } from '../backend/backend.js'\nconst s = \"import fs from 'node:fs'\";\nconst w = await import('node:worker_threads');\n",
    'src/callbacks/c.ts': "import {\n  readFileSync,\n} from 'fs';\n",
    'src/ops/ok.ts': "import { getBackend } from '../backend/select.js';\n",
    'src/io/fs.ts': "import { readFileSync } from 'node:fs';\n",
    'src/io/other.ts': "const p = require('node:path');\n",
    'src/cli/main.ts': "import { argv } from 'node:process';\n",
    'src/data/csv.ts': "import { readFileSync } from 'node:fs';\n",
    'src/layers/dense.test.ts': "import { test } from 'node:test';\nimport { ReferenceBackend } from '../backend/reference/reference-backend.js';\n",
  });
  try {
    const found = checkImports(root).map((o) => `${o.file}:${o.line} ${o.specifier}`);
    assert.deepEqual(found, [
      'src/callbacks/c.ts:3 fs',
      'src/io/other.ts:1 node:path',
      'src/layers/bad.ts:1 ../backend/backend.js',
      'src/models/m.ts:3 node:worker_threads',
      'src/optimizers/sgd.ts:1 ../backend/select.js',
    ]);
    const r = runScript('check-imports.ts', root);
    assert.equal(r.status, 1, r.out);
    assert.match(r.out, /src\/layers\/bad\.ts:1: '\.\.\/backend\/backend\.js' — layers\/models\/callbacks\/optimizers must not import src\/backend\//);
    assert.match(r.out, /src\/io\/other\.ts:1: 'node:path' — only src\/io\/fs\.ts, src\/cli\/, src\/report\/, src\/data\/ may import Node built-ins/);
    assert.match(r.out, /check-imports: 5 forbidden import\(s\)/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('line-budget fails over 800 lines, warns over 400, and exits 0 when only warnings', () => {
  const lines = (n: number): string => 'x;\n'.repeat(n);
  const root = scratch({
    'src/big.ts': lines(801),
    'assembly/mid.ts': lines(401),
    'src/ok.ts': lines(800).slice(0, -1), // 800 lines, no final newline
    'test/huge.ts': lines(2000), // outside the budget folders
  });
  try {
    assert.equal(countLines(''), 0);
    assert.equal(countLines('a'), 1);
    assert.equal(countLines('a\nb\n'), 2);
    const r = lineBudget(root);
    assert.deepEqual(r.over, [{ file: 'src/big.ts', lines: 801 }]);
    assert.deepEqual(r.warn, [
      { file: 'src/ok.ts', lines: 800 },
      { file: 'assembly/mid.ts', lines: 401 },
    ]);
    assert.equal(r.checked, 3);
    const bad = runScript('line-budget.ts', root);
    assert.equal(bad.status, 1, bad.out);
    assert.match(bad.out, /error: src\/big\.ts has 801 lines \(limit 800\)/);
    assert.match(bad.out, /warning: assembly\/mid\.ts has 401 lines/);
    rmSync(join(root, 'src/big.ts'));
    const ok = runScript('line-budget.ts', root);
    assert.equal(ok.status, 0, ok.out);
    assert.match(ok.out, /line-budget: ok \(2 files, 2 over 400\)/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
