#!/usr/bin/env node
// `prepare`: builds in a checkout (`npm ci` on a fresh clone), and does nothing
// where Regula is installed as a dependency — the published tarball ships the
// built dist/ and build/regula.wasm and no sources, so a consumer's install
// never runs a build.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

if (!existsSync(new URL('../src/index.ts', import.meta.url))) process.exit(0);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const r = spawnSync(npm, ['run', 'build'], { stdio: 'inherit', shell: process.platform === 'win32' });
process.exit(r.status ?? 1);
