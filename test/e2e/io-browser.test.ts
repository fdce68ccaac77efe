/**
 * The main barrel stays browser-safe with save/load in it: bundled for the
 * browser by esbuild (no `node:` import may be resolved), it runs in headless
 * Chromium, where toArtifacts/fromArtifacts and IOHandler save/load give
 * bit-identical predictions and a directory save fails with a clear error.
 * Skipped, with the reason printed, where /usr/bin/chromium is not installed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.REGULA_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ENTRY = fileURLToPath(new URL('./io-browser-entry.ts', import.meta.url));

test('save/load in memory works in headless Chromium; the browser bundle resolves no node: module', { timeout: 120_000 }, async (t) => {
  const bundle = await build({ entryPoints: [ENTRY], bundle: true, platform: 'browser', format: 'esm', write: false, logLevel: 'silent', metafile: true });
  const code = bundle.outputFiles[0]!.text;
  assert.ok(code.length > 10_000);
  // Heavy optional libraries stay out of a library user's bundle: .keras's HDF5 and the report's Vega.
  const heavy = Object.keys(bundle.metafile!.inputs).filter((f) => /node_modules\/(h5wasm|vega|vega-lite)\//.test(f));
  assert.deepEqual(heavy, [], `bundled: ${heavy.join(', ')}`);
  if (!existsSync(CHROMIUM)) {
    const reason = `${CHROMIUM} not found; install Debian's chromium to run this check`;
    console.log(`# io-browser: skipped: ${reason}`);
    t.skip(reason);
    return;
  }
  const profile = mkdtempSync(join(tmpdir(), 'regula-io-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto('about:blank');
    // ESM: the public entry uses top-level await (it starts the wasm backend, which
    // falls back to the reference backend on about:blank).
    await page.addScriptTag({ content: code, type: 'module' });
    await page.waitForFunction(() => typeof (globalThis as unknown as { regulaIoBrowser?: unknown }).regulaIoBrowser === 'function');
    const r = (await page.evaluate(() => (globalThis as unknown as { regulaIoBrowser: () => Promise<Record<string, unknown>> }).regulaIoBrowser())) as {
      expected: number[];
      viaArtifacts: number[];
      viaHandler: number[];
      dirError: string;
      weightBytes: number;
    };
    assert.deepEqual(errors, []);
    assert.equal(r.expected.length, 4);
    assert.deepEqual(r.viaArtifacts, r.expected);
    assert.deepEqual(r.viaHandler, r.expected);
    assert.equal(r.weightBytes, (2 * 2 * 3 + 3 + 6 * 2 + 2) * 4);
    assert.match(r.dirError, /needs Node\.js file access.*in a browser use toArtifacts\/fromArtifacts or an IOHandler/);
  } finally {
    await context.close();
  }
});
