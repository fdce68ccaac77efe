#!/usr/bin/env node
// Runs every *.test.ts under src/, test/ and examples/ with Node's built-in test
// runner (node:test) through tsx. Node 20's runner takes no globs, so the file
// list is built here. Extra arguments filter by substring: `npm test -- dense`.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

// The wasm backend's tests need build/regula.wasm. `npm ci` builds it (prepare);
// after `npm ci --ignore-scripts` it is missing, so build it here (≈ 2 s; the
// AssemblyScript compiler is a devDependency and needs no install script).
if (!existsSync('build/regula.wasm') || !existsSync('build/regula-relaxed.wasm')) {
  console.error('run-tests: build/regula.wasm or build/regula-relaxed.wasm is missing; building them (npm run build:wasm)');
  const b = spawnSync(process.execPath, ['scripts/build-wasm.mjs'], { stdio: 'inherit' });
  if (b.status !== 0) process.exit(b.status ?? 1);
}

const roots = ['src', 'test', 'examples'];
const files = [];
function walk(dir) {
  let entries;
  try { entries = readdirSync(dir); } catch { return; }
  for (const name of entries.sort()) {
    const p = join(dir, name);
    if (name === 'node_modules') continue;
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith('.test.ts')) files.push(p);
  }
}
roots.forEach(walk);
const filters = process.argv.slice(2);
const chosen = filters.length ? files.filter((f) => filters.some((s) => f.includes(s))) : files;
if (chosen.length === 0) {
  console.error(`run-tests: no test files match ${filters.join(', ')}`);
  process.exit(2);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...chosen], { stdio: 'inherit' });
process.exit(r.status ?? 1);
