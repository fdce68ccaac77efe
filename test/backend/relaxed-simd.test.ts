/**
 * The two kernels modules (issue 18): build/regula-relaxed.wasm (relaxed
 * SIMD: f32x4.relaxed_madd in the GEMM micro-kernel) runs where the engine
 * validates relaxed SIMD, build/regula.wasm elsewhere; a module can be forced
 * (`ready({ module })`, REGULA_WASM_MODULE).
 *
 * Node 20 (V8 11.3) validates relaxed SIMD only with
 * --experimental-wasm-relaxed-simd, so the relaxed module's suites run in a
 * child process started with that flag (the GEMM/conv1d and conv2d
 * conformance suites against the reference and the 1/2/3-thread
 * bit-identity suite, with REGULA_WASM_MODULE=relaxed-simd); an engine that
 * rejects the flag and lacks relaxed SIMD skips them, saying so.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadWasmModule, relaxedSimdSupported } from '../../src/backend/wasm/load.js';
import { ready, wasmModuleInfo } from '../../src/backend/wasm/ready.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FLAG = '--experimental-wasm-relaxed-simd';

/** Runs node with the relaxed-SIMD flag (and without it when this Node rejects the flag). */
function nodeWithRelaxed(args: readonly string[], env: Record<string, string> = {}): ReturnType<typeof spawnSync> & { flagged: boolean } {
  const childEnv: Record<string, string | undefined> = { ...process.env, ...env };
  delete childEnv['NODE_TEST_CONTEXT']; // the child's own test runner reports as a plain run
  const opts = { cwd: ROOT, encoding: 'utf8' as const, env: childEnv, timeout: 600_000 };
  const r = spawnSync(process.execPath, [FLAG, ...args], opts);
  if (r.status !== 0 && /bad option|unknown/i.test(String(r.stderr))) return { ...spawnSync(process.execPath, [...args], opts), flagged: false };
  return { ...r, flagged: true };
}

test('auto picks the relaxed-SIMD module exactly where the engine validates relaxed SIMD', async (t) => {
  const b = await ready();
  assert.equal(b.name, 'wasm');
  const info = wasmModuleInfo()!;
  t.diagnostic(`this engine (V8 ${process.versions.v8}): relaxed SIMD ${relaxedSimdSupported() ? 'validated' : 'not validated'}; module ${info.kind} (${info.reason})`);
  assert.equal(info.relaxedSupported, relaxedSimdSupported());
  if (process.env['REGULA_WASM_MODULE'] === undefined) assert.equal(info.kind, relaxedSimdSupported() ? 'relaxed-simd' : 'simd');
});

test('an explicit single module is used as given; forcing relaxed SIMD where it is missing is a clear error', async () => {
  const bytes = readFileSync(new URL('../../build/regula.wasm', import.meta.url));
  const given = await loadWasmModule({ wasm: bytes });
  assert.equal(given.info.kind, 'simd');
  const forced = await loadWasmModule({ module: 'simd' });
  assert.equal(forced.info.kind, 'simd');
  assert.equal(forced.info.reason, 'asked for');
  if (!relaxedSimdSupported()) {
    await assert.rejects(loadWasmModule({ module: 'relaxed-simd' }), /does not validate relaxed SIMD/);
  }
});

test('relaxed-SIMD module: GEMM/conv1d/conv2d conformance against the reference and bit-identical results on 1, 2 and 3 threads', { timeout: 900_000 }, (t) => {
  const probe = nodeWithRelaxed(['--import', 'tsx', '-e', "import('./src/backend/wasm/load.ts').then((m) => console.log(m.relaxedSimdSupported() ? 'yes' : 'no'))"]);
  const supported = String(probe.stdout).trim().endsWith('yes');
  if (!supported) {
    t.skip(`this Node (V8 ${process.versions.v8}) does not validate relaxed SIMD even with ${FLAG}`);
    return;
  }
  const kind = nodeWithRelaxed(['--import', 'tsx', '-e', "import('./src/backend/wasm/ready.ts').then(async (m) => { await m.ready({ threads: 2 }); console.log(JSON.stringify(m.wasmModuleInfo())); process.exit(0); })"], { REGULA_WASM_MODULE: 'relaxed-simd' });
  assert.equal(kind.status, 0, String(kind.stderr));
  const info = JSON.parse(String(kind.stdout).trim().split('\n').pop()!) as { kind: string };
  assert.equal(info.kind, 'relaxed-simd');
  const suites = ['test/backend/conformance-gemm-conv.test.ts', 'test/backend/conformance-gemm-small.test.ts', 'test/backend/conformance-conv2d.test.ts', 'test/backend/wasm-threads.test.ts'];
  const r = nodeWithRelaxed(['--import', 'tsx', '--test', '--test-concurrency=1', ...suites], { REGULA_WASM_MODULE: 'relaxed-simd' });
  const out = `${String(r.stdout)}\n${String(r.stderr)}`;
  t.diagnostic(out.split('\n').filter((l) => /^# (tests|pass|fail)/.test(l)).join('; '));
  assert.equal(r.status, 0, `the relaxed-SIMD module failed its suites:\n${out.slice(-4000)}`);
  assert.match(out, /# fail 0/);
});
