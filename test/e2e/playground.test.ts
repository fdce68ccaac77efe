/**
 * The Regula Playground in headless Chromium (Debian's /usr/bin/chromium
 * through playwright-core), served by `regula playground`'s own server:
 * loads without console errors on the wasm backend with worker threads;
 * spiral with L2 vs none pinned side by side (L2's validation loss lower);
 * a link reproduces a run's losses bit for bit; no main-thread task over
 * 50 ms while training; keyboard operation and labelled controls; a CSV
 * upload trains; bad CSVs give an inline message naming the problem and
 * keep the previous state; the model downloads in the TF.js Layers format
 * and loads back; a static host without COOP/COEP runs it on one thread.
 * Skipped, with the reason printed, where /usr/bin/chromium is missing.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn, spawnSync } from 'node:child_process';
import type { Server } from 'node:http';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { servePlayground } from '../../src/cli/playground.js';
import { DATASETS } from '../../src/data/embedded.js';
import { fromArtifacts } from '../../src/models/save-load.js';
import { EMBEDDED_TARGETS } from '../../playground/src/worker-data.js';
import { defaultState, noRegularization, stateFromQuery, stateToQuery } from '../../playground/src/state.js';
import { toyData } from '../../playground/src/toy-data.js';

const CHROMIUM = process.env.REGULA_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SHOTS = process.env.REGULA_PLAYGROUND_SHOTS;
/** Spiral where an unregularized 48-48 ReLU net overfits 100 noisy points within 150 epochs. */
const SPIRAL = '?data=spiral&noise=30&samples=200&lr=0.02&batchSize=10&epochs=150&hidden=48,48&act=relu&opt=adam';

let dir = '';
let site = '';
let context: BrowserContext | null = null;
let isolated: { server: Server; url: string } | null = null;
let plain: { server: Server; url: string } | null = null;
let profile = '';

before(async () => {
  const { buildPlayground } = (await import('../../playground/build.mjs')) as { buildPlayground(out: string, o?: { minify?: boolean }): Promise<string> };
  site = mkdtempSync(join(tmpdir(), 'regula-playground-'));
  dir = await buildPlayground(join(site, 'site'));
  if (!existsSync(CHROMIUM)) return;
  isolated = await servePlayground({ dir });
  plain = await servePlayground({ dir, isolation: false });
  profile = mkdtempSync(join(tmpdir(), 'regula-playground-chromium-'));
  context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
});

after(async () => {
  await context?.close();
  isolated?.server.close();
  plain?.server.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  if (site) rmSync(site, { recursive: true, force: true });
});

function skipped(t: { skip(reason: string): void }): boolean {
  if (context) return false;
  const reason = `${CHROMIUM} not found; install Debian's chromium to run this check`;
  console.log(`# playground: skipped: ${reason}`);
  t.skip(reason);
  return true;
}

interface Opened {
  page: Page;
  errors: string[];
}

async function open(query = '', base = isolated!.url): Promise<Opened> {
  const page = await context!.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`console ${m.type()}: ${m.text()}`);
  });
  await page.goto(base + query);
  await page.waitForFunction(() => document.body.dataset['state'] === 'loaded' && document.body.dataset['backend'] !== undefined);
  return { page, errors };
}

/**
 * Resolves when the page's body says `state`: one call that awaits a
 * MutationObserver in the page. (Playwright's waitForFunction polls every
 * frame, and each poll is a main-thread task of the test's own making.)
 */
function waitState(page: Page, state: string): Promise<void> {
  return page.evaluate(
    (want) =>
      new Promise<void>((resolve) => {
        if (document.body.dataset['state'] === want) return resolve();
        new MutationObserver((_, obs) => {
          if (document.body.dataset['state'] === want) {
            obs.disconnect();
            resolve();
          }
        }).observe(document.body, { attributes: true });
      }),
    state,
  );
}

/** Trains the loaded run to its end; returns the main-thread long tasks (ms) seen while it trained. */
async function trainToEnd(page: Page): Promise<number[]> {
  await page.evaluate(() => {
    const w = globalThis as unknown as { longTasks?: PerformanceEntry[] };
    if (w.longTasks) return;
    w.longTasks = [];
    new PerformanceObserver((list) => w.longTasks!.push(...list.getEntries())).observe({ type: 'longtask' });
  });
  // Started from the page itself: Playwright's click machinery (actionability
  // checks in injected scripts) runs on the page's thread and is not the page's work.
  const from = await page.evaluate(() => {
    document.getElementById('play')!.click();
    return performance.now();
  });
  await waitState(page, 'finished');
  return page.evaluate((t0) => (globalThis as unknown as { longTasks: PerformanceEntry[] }).longTasks.filter((e) => e.startTime >= t0).map((e) => e.duration), from);
}

type History = Record<string, number[]>;
const historyOf = (page: Page, which: 'current' | 'pinned'): Promise<History> =>
  page.evaluate((w) => (globalThis as unknown as { regulaPlayground: Record<string, { history: History } | null> }).regulaPlayground[w]!.history, which);

test('the playground lists the embedded datasets with the targets the CLI uses', () => {
  for (const [name, target] of Object.entries(EMBEDDED_TARGETS)) assert.equal(DATASETS[name as keyof typeof DATASETS].target, target);
});

test('the URL carries the whole state and reads back equal; bad values are named', () => {
  const s = defaultState();
  Object.assign(s, { data: 'wine', testSplit: 0.25, hidden: [32, 16, 8], activation: 'elu', optimizer: 'adamw', lr: 0.003, seed: 7, weightDecay: 0.01, patience: 5, restoreBest: false });
  s.layers = [
    { ...noRegularization(), kernelL1: 1e-5, kernelL2: 1e-3, constraint: 'maxNorm', maxNorm: 2.5, dropout: 0.3 },
    { ...noRegularization(), biasL2: 0.01, activityL1: 1e-4, constraint: 'unitNorm', gaussianNoise: 0.2 },
    { ...noRegularization(), activityL2: 1e-3, constraint: 'nonNeg', gaussianDropout: 0.1 },
  ];
  const back = stateFromQuery(stateToQuery(s));
  assert.deepEqual(back.problems, []);
  assert.deepEqual(back.state, s);
  assert.equal(stateToQuery(defaultState()), 'data=spiral&hidden=48%2C48&act=relu&opt=adam');
  assert.deepEqual(stateFromQuery('?data=moons&act=swishy&dropout=2').problems, [
    'unknown data set "moons" (expected circle, xor, gauss, spiral, digits, breast_cancer, wine, diabetes, csv)',
    'unknown activation "swishy" (expected relu, tanh, sigmoid, elu, linear)',
    'layer 1 dropout must be in [0, 0.99], got 2',
  ]);
});

test('the 2-D sets are seeded, balanced and inside the plotted square', () => {
  for (const set of ['circle', 'xor', 'gauss', 'spiral'] as const) {
    const a = toyData(set, 200, 20, 3);
    assert.deepEqual(toyData(set, 200, 20, 3), a, `${set}: the same seed gives the same points`);
    assert.notDeepEqual(toyData(set, 200, 20, 4).x, a.x, `${set}: another seed, other points`);
    const ones = a.y.reduce((n, v) => n + v, 0);
    assert.ok(ones > 60 && ones < 140, `${set}: ${ones} of 200 in class 1`);
    if (set !== 'gauss') assert.ok(toyData(set, 200, 0, 3).x.every((v) => Math.abs(v) <= 6), `${set}: without noise, inside [-6, 6]²`);
  }
  // Noise-free sets follow their rule exactly.
  const xor = toyData('xor', 300, 0, 1);
  for (let i = 0; i < 300; i++) assert.equal(xor.y[i], xor.x[2 * i]! * xor.x[2 * i + 1]! >= 0 ? 1 : 0);
  const circle = toyData('circle', 300, 0, 1);
  for (let i = 0; i < 300; i++) assert.equal(circle.y[i], Math.hypot(circle.x[2 * i]!, circle.x[2 * i + 1]!) < 3 ? 1 : 0);
});

test('`regula playground` prints its URL and serves the page with the isolation headers', { timeout: 60_000 }, async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), 'playground', '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (b: Buffer) => {
        out += b.toString();
        const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
        if (m) resolve(m[0]);
      });
      child.on('exit', (code) => reject(new Error(`exited ${code} before printing a URL: ${out}`)));
    });
    const res = await fetch(url);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cross-origin-opener-policy'), 'same-origin');
    assert.equal(res.headers.get('cross-origin-embedder-policy'), 'require-corp');
    assert.match(await res.text(), /<title>Regula Playground/);
    assert.equal((await fetch(`${url}regula.wasm`)).headers.get('content-type'), 'application/wasm');
    assert.equal((await fetch(`${url}..%2f..%2fpackage.json`)).status, 403);
  } finally {
    child.kill('SIGTERM');
  }
});

test('loads with no console errors on the wasm backend with worker threads', { timeout: 60_000 }, async (t) => {
  if (skipped(t)) return;
  const { page, errors } = await open();
  assert.equal(await page.evaluate(() => crossOriginIsolated), true);
  assert.match((await page.textContent('#status')) ?? '', /^wasm backend, [2-9]\d* threads/);
  assert.match((await page.textContent('#data-info')) ?? '', /spiral-seed1\.csv: 200 rows, 2 inputs, classification \(2 classes\)/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('spiral: L2 pinned against none — L2 lowers the validation loss; the link reproduces the run bit for bit; no long tasks', { timeout: 90_000 }, async (t) => {
  if (skipped(t)) return;
  const { page, errors } = await open(SPIRAL);
  const slow = (tasks: number[]): number[] => tasks.filter((d) => d > 50);
  const runs = [slow(await trainToEnd(page))];
  const none = await historyOf(page, 'current');
  assert.equal(none['val_loss']!.length, 150);
  await page.click('#pin');
  // L2 on both hidden kernels through the panel, as a user types it.
  for (const i of [0, 1]) {
    await page.fill(`#reg-kernelL2-${i}`, '0.003');
    await page.dispatchEvent(`#reg-kernelL2-${i}`, 'change');
  }
  await page.waitForFunction(() => new URLSearchParams(location.search).get('kernelL2') === '0.003,0.003' && document.body.dataset['state'] === 'loaded');
  runs.push(slow(await trainToEnd(page)));
  const l2 = await historyOf(page, 'current');
  assert.deepEqual(await historyOf(page, 'pinned'), none, 'the pinned run stays');
  const noneLoss = none['val_loss']!.at(-1)!;
  const l2Loss = l2['val_loss']!.at(-1)!;
  assert.ok(l2Loss < noneLoss - 0.1, `L2's final validation loss ${l2Loss} should be well below none's ${noneLoss}`);
  const diff = await page.textContent('#scores tr[data-key="val_loss"] td:last-child');
  assert.equal(Number(diff), Number((l2Loss - noneLoss).toFixed(4)));
  // Long tasks are wall-clock: on a loaded 2-core machine the OS can stall a
  // short task past 50 ms. A page that worked on its own thread while
  // training (drawing there, or polling) has such tasks in every run, so a
  // run is repeated (Reset, the same numbers again) until one is clean, at
  // most four runs in all.
  while (runs.every((r) => r.length > 0) && runs.length < 4) {
    await page.click('#reset');
    await waitState(page, 'loaded');
    runs.push(slow(await trainToEnd(page)));
    assert.deepEqual(await historyOf(page, 'current'), l2, 'Reset repeats the run exactly');
  }
  assert.ok(runs.some((r) => r.length === 0), `every run had main-thread tasks over 50 ms while training: ${JSON.stringify(runs)}`);
  if (SHOTS) await page.screenshot({ path: join(SHOTS, 'playground-spiral.png'), fullPage: true });
  // The shared link: a fresh page trains to the very same numbers.
  const link = page.url();
  const again = await open(link.slice(link.indexOf('?')));
  await trainToEnd(again.page);
  assert.deepEqual(await historyOf(again.page, 'current'), l2);
  assert.deepEqual([...errors, ...again.errors], []);
  await page.close();
  await again.page.close();
});

test('keyboard: every control is labelled; Tab reaches Play, Enter starts and pauses training', { timeout: 60_000 }, async (t) => {
  if (skipped(t)) return;
  const { page, errors } = await open('?data=circle&epochs=400');
  const unlabelled = await page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>('input, select, button, textarea'))
      .filter((el) => !el.hidden && el.offsetParent !== null)
      .filter((el) => !((el as HTMLInputElement).labels?.length || el.getAttribute('aria-label') || (el.tagName === 'BUTTON' && el.textContent!.trim())))
      .map((el) => el.id || el.outerHTML.slice(0, 60)),
  );
  assert.deepEqual(unlabelled, []);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'play');
  // Step trains exactly one epoch, then waits.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'step');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.body.dataset['epochs'] === '1');
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => document.body.dataset['epochs']), '1');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => Number(document.body.dataset['epochs'] ?? 0) >= 3);
  await page.keyboard.press('Enter');
  assert.equal(await page.getAttribute('#play', 'aria-label'), 'Play');
  // The epochs already trained arrive (reports are batched); then nothing more is trained.
  await page.waitForTimeout(400);
  const paused = Number(await page.evaluate(() => document.body.dataset['epochs']));
  await page.waitForTimeout(600);
  const later = Number(await page.evaluate(() => document.body.dataset['epochs']));
  assert.equal(later, paused, `paused at ${paused}, then ${later}`);
  assert.ok(paused < 400);
  // A select changed from the keyboard starts a new run with that setting.
  await page.focus('#activation');
  await page.keyboard.press('ArrowDown');
  await page.waitForFunction(() => new URLSearchParams(location.search).get('act') === 'tanh');
  // A setting out of range is named next to the panel and starts nothing.
  const before = await page.evaluate(() => location.search);
  await page.fill('#hidden', '8,x');
  await page.keyboard.press('Tab');
  await page.waitForFunction(() => document.getElementById('settings-message')!.textContent !== '');
  assert.equal(await page.textContent('#settings-message'), 'hidden layers: 0 to 6 layers of 1 to 512 units');
  await page.fill('#hidden', '48,48');
  await page.fill('#lr', '0');
  await page.keyboard.press('Tab');
  await page.waitForFunction(() => document.getElementById('settings-message')!.textContent!.startsWith('learning'));
  assert.equal(await page.textContent('#settings-message'), 'learning rate must be in [0.000001, 10], got 0');
  assert.equal(await page.evaluate(() => location.search), before);
  assert.deepEqual(errors, []);
  await page.close();
});

const GOOD_CSV = ['size,colour,label', ...Array.from({ length: 120 }, (_, i) => `${(i % 17) / 3},${['red', 'green', 'blue'][i % 3]},${(i % 17) / 3 + (i % 3) > 3 ? 'big' : 'small'}`)].join('\n');

test('a dropped CSV trains; picked bad CSVs leave an inline message and the previous state', { timeout: 60_000 }, async (t) => {
  if (skipped(t)) return;
  const { page, errors } = await open('?data=gauss&epochs=5');
  const info = await page.textContent('#data-info');
  const query = await page.evaluate(() => location.search);
  const bad: [string, string, RegExp][] = [
    ['ragged.csv', 'a,b,c\n1,2,3\n4,5\n', /ragged\.csv:3: ragged row: 2 fields, but the header has 3/],
    ['target.csv', `x,y\n${Array.from({ length: 20 }, (_, i) => `${i},${i * 1.5}`).join('\n')}\n21,abc\n`, /target\.csv:22: column "y": cell "abc" is not a number \(20 of 21 cells in this column are numbers\)/],
    ['empty.csv', '', /empty\.csv: empty data: the file has no header row and no rows/],
  ];
  for (const [name, text, message] of bad) {
    await page.setInputFiles('#file', { name, mimeType: 'text/csv', buffer: Buffer.from(text) });
    await page.waitForFunction(() => (document.getElementById('data-message')!.textContent ?? '') !== '');
    assert.match((await page.textContent('#data-message'))!, message);
    assert.equal(await page.textContent('#data-info'), info, 'the previous data stays');
    assert.equal(await page.evaluate(() => location.search), query, 'the previous state stays');
    assert.equal(await page.inputValue('#data'), 'gauss');
    await page.evaluate(() => (document.getElementById('data-message')!.textContent = ''));
  }
  // Dropped on the page rather than picked.
  const dropped = await page.evaluateHandle((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'mine.csv', { type: 'text/csv' }));
    return dt;
  }, GOOD_CSV);
  await page.dispatchEvent('#drop', 'drop', { dataTransfer: dropped });
  await page.waitForFunction(() => (document.getElementById('data-info')!.textContent ?? '').startsWith('mine.csv'));
  assert.match((await page.textContent('#data-info'))!, /mine\.csv: 120 rows, 4 inputs, classification \(2 classes\)/);
  assert.equal(await page.inputValue('#target'), 'label');
  await trainToEnd(page);
  const h = await historyOf(page, 'current');
  assert.equal(h['loss']!.length, 5);
  assert.ok(h['loss']!.every(Number.isFinite));
  assert.match(await page.inputValue('#command'), /^REGULA_WASM_MODULE=simd regula train[\s\\]+--data mine\.csv --target label/);
  // Another target column: the same file is read again with it (a regression on 'size').
  await page.selectOption('#target', 'size');
  await page.waitForFunction(() => new URLSearchParams(location.search).get('target') === 'size' && document.body.dataset['state'] === 'loaded');
  // 5 inputs: the other columns, colour and label, are text and one-hot encoded (3 + 2).
  assert.match((await page.textContent('#data-info'))!, /mine\.csv: 120 rows, 5 inputs, regression/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('digits: dropout pinned against none; the model downloads in the TF.js Layers format and loads back; the HTML report downloads', { timeout: 60_000 }, async (t) => {
  if (skipped(t)) return;
  const { page, errors } = await open('?data=digits&epochs=8&hidden=64&act=relu&lr=0.005&batchSize=32&dropout=0.5');
  assert.match((await page.textContent('#data-info'))!, /digits\.csv: 1797 rows, 64 inputs, classification \(10 classes\)/);
  await trainToEnd(page);
  await page.click('#pin');
  await page.fill('#reg-dropout-0', '0');
  await page.dispatchEvent('#reg-dropout-0', 'change');
  await waitState(page, 'loaded');
  await trainToEnd(page);
  const h = await historyOf(page, 'current');
  assert.ok(h['val_accuracy']!.at(-1)! > 0.8, `digits validation accuracy ${h['val_accuracy']!.at(-1)}`);
  assert.match((await page.textContent('#scores'))!, /Pinned: layer 1: dropout 0\.5\./);
  if (SHOTS) await page.screenshot({ path: join(SHOTS, 'playground-digits.png'), fullPage: true });
  const files = new Map<string, Buffer>();
  const got = new Promise<void>((resolve) => {
    page.on('download', async (d) => {
      const path = await d.path();
      files.set(d.suggestedFilename(), readFileSync(path));
      if (files.size === 2) resolve();
    });
  });
  await page.click('#dl-model');
  await got;
  const modelJson = JSON.parse(files.get('model.json')!.toString()) as { format: string; modelTopology: object; weightsManifest: { paths: string[]; weights: never[] }[] };
  assert.equal(modelJson.format, 'layers-model');
  assert.deepEqual(modelJson.weightsManifest[0]!.paths, ['model.weights.bin']);
  const bin = files.get('model.weights.bin')!;
  const model = await fromArtifacts({ modelTopology: modelJson.modelTopology, weightSpecs: modelJson.weightsManifest[0]!.weights, weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) });
  assert.equal(model.countParams(), 64 * 64 + 64 + 64 * 10 + 10);
  assert.equal(bin.byteLength, model.countParams() * 4);
  const report = new Promise<string>((resolve) => page.once('download', async (d) => resolve(readFileSync(await d.path()).toString())));
  await page.click('#dl-report');
  const html = await report;
  assert.match(html, /<title>Regula Playground: digits\.csv/);
  assert.ok((html.match(/<svg/g) ?? []).length >= 2, 'learning curves rendered as inline SVG');
  assert.deepEqual(errors, []);
  await page.close();
});

/** The page's downloads: resolves with each file's name and bytes once `count` have arrived. */
function downloads(page: Page, count: number): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  return new Promise((resolve) => {
    page.on('download', async (d) => {
      files.set(d.suggestedFilename(), readFileSync(await d.path()));
      if (files.size === count) resolve(files);
    });
  });
}

test('the equivalent `regula train` command, run on the downloaded CSV and model.json, repeats the page’s losses bit for bit', { timeout: 90_000 }, async (t) => {
  if (skipped(t)) return;
  const { page, errors } = await open('?data=circle&epochs=12&hidden=8,8&kernelL2=0.001,0.001&dropout=0.1,0&constraint=maxNorm,none');
  await trainToEnd(page);
  const pageHistory = await historyOf(page, 'current');
  const got = downloads(page, 3);
  await page.click('#dl-model');
  await page.click('#dl-csv');
  const files = await got;
  const work = mkdtempSync(join(tmpdir(), 'regula-playground-cmd-'));
  for (const [name, bytes] of files) writeFileSync(join(work, name), bytes);
  const command = await page.inputValue('#command');
  const words = command.replace(/\\\n/g, ' ').trim().split(/\s+/);
  assert.deepEqual(words.slice(0, 7), ['REGULA_WASM_MODULE=simd', 'regula', 'train', '--data', 'circle-seed1.csv', '--target', 'label']);
  const args = words.slice(3);
  const env = { ...process.env, REGULA_WASM_MODULE: 'simd' };
  const run = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), join(ROOT, 'src/cli/main.ts'), 'train', ...args, '--quiet'], { cwd: work, encoding: 'utf8', env });
  assert.equal(run.status, 0, run.stderr);
  const record = JSON.parse(readFileSync(join(work, 'playground-model', 'train-run.json'), 'utf8')) as { history: Record<string, number[]> };
  assert.deepEqual(record.history['val_loss'], pageHistory['val_loss']);
  assert.deepEqual(record.history['loss'], pageHistory['loss']);
  rmSync(work, { recursive: true, force: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test('on a static host without COOP/COEP the page trains on one thread', { timeout: 60_000 }, async (t) => {
  if (skipped(t)) return;
  const { page, errors } = await open('?data=xor&epochs=3', plain!.url);
  assert.equal(await page.evaluate(() => crossOriginIsolated), false);
  assert.match((await page.textContent('#status')) ?? '', /^wasm backend, 1 thread\b/);
  await trainToEnd(page);
  assert.equal((await historyOf(page, 'current'))['loss']!.length, 3);
  assert.deepEqual(errors, []);
  await page.close();
});
