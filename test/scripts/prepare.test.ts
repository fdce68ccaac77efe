/**
 * `npm run prepare` builds in a checkout and does nothing where Regula is an
 * installed dependency (the tarball has no sources), so installing the
 * package never runs a build in the consumer's project.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

test('prepare is a no-op without sources (an installed package) and is what package.json runs', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string>; files: string[] };
  assert.equal(pkg.scripts['prepare'], 'node scripts/prepare.mjs');
  assert.ok(pkg.files.includes('scripts/prepare.mjs'), 'the tarball carries the prepare script');
  const dir = mkdtempSync(join(tmpdir(), 'regula-prepare-'));
  try {
    mkdirSync(join(dir, 'scripts'));
    copyFileSync('scripts/prepare.mjs', join(dir, 'scripts', 'prepare.mjs'));
    const r = spawnSync(process.execPath, [join(dir, 'scripts', 'prepare.mjs')], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(readdirSync(dir), ['scripts'], 'nothing was built');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
