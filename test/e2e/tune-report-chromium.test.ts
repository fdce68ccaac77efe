/**
 * Issue 16 item 5: the tune report opens in headless Chromium (Debian's
 * `chromium`) with no console errors and no network requests, and every chart
 * — optimization history, intermediate values, parallel coordinates,
 * parameter importance, best against the baseline — is laid out and has
 * marks; a screenshot is saved under test-output/. Skipped, with the reason
 * printed, where /usr/bin/chromium is not installed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { writeTuneReport } from '../../src/report/tune-report.js';
import { sampleTuneReport } from '../helpers/sample-tune-report.js';

const CHROMIUM = process.env.REGULA_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const OUT = resolve('test-output');

/** Marks each chart must draw: [figure class, mark group class, at least]. */
const CHARTS: [string, string, number][] = [
  ['history-chart', 'mark-symbol', 1],
  ['intermediate-chart', 'mark-line', 1],
  ['parallel-chart', 'mark-line', 1],
  ['parallel-chart', 'mark-text', 1],
  ['importance-chart', 'mark-rect', 3],
  ['baseline-chart', 'mark-symbol', 1],
  ['baseline-chart', 'mark-rule', 2],
];

test('tune report opens in headless Chromium: no console errors, every chart has marks; screenshot saved', { timeout: 120_000 }, async (t) => {
  if (!existsSync(CHROMIUM)) {
    const reason = `${CHROMIUM} not found; install Debian's chromium (apt-get install -y chromium) to run this check`;
    console.log(`# tune-report-chromium: skipped: ${reason}`);
    t.skip(reason);
    return;
  }
  const data = await sampleTuneReport();
  const path = await writeTuneReport(join(OUT, 'tune-report-chromium'), data);
  const profile = mkdtempSync(join(tmpdir(), 'regula-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`page: ${e.message}`));
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) requests.push(r.url());
    });
    const response = await page.goto(pathToFileURL(path).href, { waitUntil: 'load' });
    assert.ok(response === null || response.ok(), 'report loads');
    assert.deepEqual(errors, [], 'no console errors');
    assert.deepEqual(requests, [], 'no request leaves the file');
    for (const [figure, mark, least] of CHARTS) {
      const box = await page.$eval(`figure.${figure} svg`, (s) => {
        const r = s.getBoundingClientRect();
        return { width: r.width, height: r.height };
      });
      assert.ok(box.width > 200 && box.height > 50, `${figure}: laid out ${box.width}×${box.height}`);
      const marks = await page.$$eval(`figure.${figure} svg g.${mark} > path, figure.${figure} svg g.${mark} > text, figure.${figure} svg g.${mark} > line`, (els) => els.filter((e) => (e as SVGGraphicsElement).getBBox().width + (e as SVGGraphicsElement).getBBox().height > 0).length);
      assert.ok(marks >= least, `${figure}: ${marks} drawn ${mark} marks, want ≥ ${least}`);
    }
    // One parallel-coordinates line per finished trial (pruned dashed, complete coloured) and the black casing under the best.
    const finished = data.trials.filter((tr) => tr.state === 'complete' || tr.state === 'pruned').length;
    const lines = await page.$$eval('figure.parallel-chart svg g.mark-line > path', (ps) => ps.length);
    assert.equal(lines, finished + 1);
    // The importance bars are in the order of the data, most important first.
    const text = await page.$eval('#importance', (s) => s.textContent ?? '');
    assert.match(text, /fANOVA/);
    assert.match(await page.$eval('#baseline + p', (p) => p.textContent ?? ''), /95 % CI \[[+−]?[\d.]+, [+−]?[\d.]+\]/);
    mkdirSync(OUT, { recursive: true });
    const shot = join(OUT, 'tune-report-chromium.png');
    await page.screenshot({ path: shot, fullPage: true });
    assert.ok(statSync(shot).size > 30_000, 'screenshot has content');
    console.log(`# tune-report-chromium: screenshot ${shot}`);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
});
