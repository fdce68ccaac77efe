/**
 * The wasm backend in a browser: bundled by esbuild (no `node:` module may be
 * resolved), served with cross-origin isolation (COOP/COEP) so shared memory
 * exists, it fetches regula.wasm, starts Web Workers from a Blob URL and gives
 * the reference backend's results, bit-identically on 1 and 2 threads.
 * Without isolation it runs on one thread. Skipped, with the reason printed,
 * where /usr/bin/chromium is not installed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { assertClose } from '../helpers/assert-close.js';

const CHROMIUM = process.env.REGULA_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ENTRY = fileURLToPath(new URL('./wasm-browser-entry.ts', import.meta.url));
const WASM = fileURLToPath(new URL('../../build/regula.wasm', import.meta.url));
const WASM_RELAXED = fileURLToPath(new URL('../../build/regula-relaxed.wasm', import.meta.url));

async function runPage(isolated: boolean): Promise<{ r: Record<string, unknown>; errors: string[] } | null> {
  const bundle = await build({ entryPoints: [ENTRY], bundle: true, platform: 'browser', format: 'esm', write: false, logLevel: 'silent' });
  const code = bundle.outputFiles[0]!.text;
  if (!existsSync(CHROMIUM)) return null;
  const headers = isolated ? { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } : {};
  const server = createServer((req, res) => {
    const body = req.url === '/' ? '<!doctype html><script type="module" src="/bundle.js"></script>' : req.url === '/bundle.js' ? code : req.url === '/regula.wasm' ? readFileSync(WASM) : req.url === '/regula-relaxed.wasm' ? readFileSync(WASM_RELAXED) : null;
    const type = req.url === '/' ? 'text/html' : req.url === '/bundle.js' ? 'text/javascript' : 'application/wasm';
    res.writeHead(body === null ? 404 : 200, { 'Content-Type': type, ...headers });
    res.end(body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const profile = mkdtempSync(join(tmpdir(), 'regula-wasm-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => typeof (globalThis as unknown as { regulaWasmBrowser?: unknown }).regulaWasmBrowser === 'function');
    const r = await page.evaluate(() => (globalThis as unknown as { regulaWasmBrowser: () => Promise<Record<string, unknown>> }).regulaWasmBrowser());
    return { r, errors };
  } finally {
    await context.close();
    server.close();
  }
}

function checkResults(r: Record<string, unknown>): void {
  // Chromium ≥ 114 validates relaxed SIMD: then the relaxed-SIMD build must be the one that ran.
  assert.equal(r.module, r.relaxedSupported ? 'relaxed-simd' : 'simd', `module ${String(r.module)}, relaxed SIMD ${r.relaxedSupported ? '' : 'not '}validated`);
  console.log(`# wasm-browser: kernels module ${String(r.module)}`);
  assertClose(r.two as number[], r.expected as number[], { rtol: 2e-4, atol: 2e-4, label: 'browser GEMM vs reference' });
  assert.deepEqual(r.one, r.two, '1 and 2 threads give identical GEMM results');
  assertClose(r.conv as number[], r.convExpected as number[], { rtol: 1e-4, atol: 1e-4, label: 'browser conv1d vs reference' });
  assertClose(r.softmax as number[], r.softmaxExpected as number[], { rtol: 3e-6, atol: 1e-7, label: 'browser softmax vs reference' });
  assert.deepEqual(r.dropout, r.dropoutExpected);
}

function skipped(t: { skip(reason: string): void }): void {
  const reason = `${CHROMIUM} not found; install Debian's chromium to run this check`;
  console.log(`# wasm-browser: skipped: ${reason}`);
  t.skip(reason);
}

test('the wasm backend runs in headless Chromium with Web Workers on shared memory (cross-origin isolated page)', { timeout: 120_000 }, async (t) => {
  const out = await runPage(true);
  if (!out) return skipped(t);
  assert.deepEqual(out.errors, []);
  assert.equal(out.r.name, 'wasm', `the wasm backend did not load in the browser: ${out.r.error}`);
  assert.equal(out.r.crossOriginIsolated, true);
  assert.equal(out.r.threads2, 2, 'two threads (a Web Worker) are running');
  checkResults(out.r);
});

test('without cross-origin isolation the browser runs the wasm backend on one thread', { timeout: 120_000 }, async (t) => {
  const out = await runPage(false);
  if (!out) return skipped(t);
  assert.deepEqual(out.errors, []);
  assert.equal(out.r.crossOriginIsolated, false);
  assert.equal(out.r.name, 'wasm', `the wasm backend did not load in the browser: ${out.r.error}`);
  assert.equal(out.r.threads2, 1, 'no workers without cross-origin isolation');
  checkResults(out.r);
});
