/**
 * Issue 5 "Must show": the generated report opens in headless Chromium
 * (Debian's `chromium`) with no console errors and no network requests, every
 * chart is laid out, and a screenshot is saved under test-output/.
 * Skipped, with the reason printed, where /usr/bin/chromium is not installed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { writeReport } from '../../src/report/write-report.js';
import { sampleReport } from '../helpers/sample-report.js';

const CHROMIUM = process.env.REGULA_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const OUT = resolve('test-output');

test('report opens in headless Chromium without console errors; screenshot saved', { timeout: 120_000 }, async (t) => {
  if (!existsSync(CHROMIUM)) {
    const reason = `${CHROMIUM} not found; install Debian's chromium (apt-get install -y chromium) to run this check`;
    console.log(`# report-chromium: skipped: ${reason}`);
    t.skip(reason);
    return;
  }
  const data = sampleReport();
  const reportDir = join(OUT, 'report-chromium');
  const path = await writeReport(reportDir, data);
  const profile = mkdtempSync(join(tmpdir(), 'regula-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`page: ${e.message}`));
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) requests.push(r.url());
    });
    const url = pathToFileURL(path).href;
    const response = await page.goto(url, { waitUntil: 'load' });
    assert.ok(response === null || response.ok(), 'report loads');
    assert.deepEqual(errors, [], 'no console errors');
    assert.deepEqual(requests, [], 'no request leaves the file');
    assert.equal(await page.title(), data.title);
    // One laid-out learning-curve chart per regime.
    const sizes = await page.$$eval('figure.learning-curve svg', (svgs) => svgs.map((s) => s.getBoundingClientRect().width));
    assert.equal(sizes.length, data.runs.length);
    for (const w of sizes) assert.ok(w > 200, `chart width ${w}`);
    const runs = await page.$$eval('figure.learning-curve', (fs) => fs.map((f) => f.getAttribute('data-run')));
    assert.deepEqual(runs, data.runs.map((r) => r.name));
    // The embedded data block parses back to the input.
    const embedded = await page.$eval('#regula-report-data', (s) => JSON.parse(s.textContent ?? 'null'));
    assert.deepEqual(embedded, JSON.parse(JSON.stringify(data)));
    mkdirSync(OUT, { recursive: true });
    const shot = join(OUT, 'report-chromium.png');
    await page.screenshot({ path: shot, fullPage: true });
    assert.ok(statSync(shot).size > 20_000, 'screenshot has content');
    console.log(`# report-chromium: screenshot ${shot}`);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
});
