/**
 * The `regula` CLI end to end (issue 5): each command runs in a child process
 * (`node --import tsx src/cli/main.ts …`, no build needed) on the embedded
 * datasets with tiny epochs; its output files are parsed back (the model
 * loads and predicts, the report has one chart per regime and the numbers
 * the table printed); every bad-input case exits with code 2, prints one
 * line naming the problem, and writes nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModel, Tensor } from '../../src/index.js';
import { Preprocessing } from '../../src/data/preprocessing.js';
import { readCsv } from '../../src/data/csv.js';
import { encodeIdx } from '../../src/data/idx.js';
import { summaryTable, comparisonTable } from '../../src/report/report-data.js';
import { type CliResult, runCli, reportData } from '../helpers/cli.js';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const MAIN = join(ROOT, 'src', 'cli', 'main.ts');
/** tsx's loader as a URL, so children run in a temporary cwd can find it. */
const DATA = join(ROOT, 'datasets');
const work = mkdtempSync(join(tmpdir(), 'regula-cli-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

const cli = (args: readonly string[], cwd = work): Promise<CliResult> => runCli(args, { cwd });

/** The embedded report data of an HTML report. */

/** Rows of a printed text table (header, dashes, rows) starting at line `start`. */
function parseTable(text: string, header0: string): string[][] {
  const lines = text.split('\n');
  const h = lines.findIndex((l) => l.startsWith(header0));
  assert.ok(h >= 0, `table with header ${header0} printed:\n${text}`);
  const rows: string[][] = [];
  for (let i = h + 2; i < lines.length && lines[i]!.trim() !== ''; i++) rows.push(lines[i]!.trim().split(/\s{2,}/));
  return rows;
}

function csv(name: string, text: string): string {
  const p = join(work, name);
  writeFileSync(p, text);
  return p;
}

// The demo's end-to-end tests are in cli-demo.test.ts.

test('npm start runs the real demo from the build output', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string>; scripts: Record<string, string> };
  assert.equal(pkg.scripts['start'], 'node dist/src/cli/main.js demo');
  assert.equal(pkg.bin['regula'], 'dist/src/cli/main.js');
  assert.match(readFileSync(MAIN, 'utf8'), /^#!\/usr\/bin\/env node\n/);
});

test('train → evaluate → predict on breast_cancer (flags): saved model, preprocessing and report parse back', { timeout: 300_000 }, async () => {
  const out = join(work, 'bc-model');
  const ck = join(work, 'bc-ckpt');
  const file = join(DATA, 'breast_cancer.csv');
  const args = ['train', '--data', file, '--target', 'diagnosis', '--hidden', '16,8', '--dropout', '0.2', '--l2', '1e-4', '--max-norm', '3'];
  const r = await cli([...args, '--gaussian-noise', '0.1', '--epochs', '4', '--early-stopping', '2', '--checkpoint', ck, '--seed', '7', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  for (const f of ['model.json', 'preprocessing.json', join('report', 'index.html')]) assert.ok(existsSync(join(out, f)), f);
  assert.ok(existsSync(join(ck, 'model.json')), 'checkpoint written');
  assert.deepEqual(readdirSync(work).filter((f) => f.includes('staging')), [], 'no staging directory left');
  const data = reportData(readFileSync(join(out, 'report', 'index.html'), 'utf8'));
  assert.equal(data.runs.length, 1);
  const printed = parseTable(r.stdout, 'regime');
  assert.deepEqual(printed, summaryTable(data).rows.map((row) => [...row]));
  // The model loads and predicts probabilities; preprocessing reproduces the inputs.
  const pre = Preprocessing.fromJSON(JSON.parse(readFileSync(join(out, 'preprocessing.json'), 'utf8')));
  assert.deepEqual(pre.classes, ['benign', 'malignant']);
  const model = await loadModel(out);
  const enc = pre.transform(readCsv(file), { requireTarget: true });
  const probs = model.predict(new Tensor([enc.rows, enc.cols], 'float32', enc.features));
  assert.deepEqual([...probs.shape], [569, 2]);
  let correct = 0;
  const labels = (enc.target as { labels: Int32Array }).labels;
  for (let i = 0; i < 569; i++) {
    const p0 = probs.data[2 * i]!;
    const p1 = probs.data[2 * i + 1]!;
    assert.ok(Math.abs(p0 + p1 - 1) < 1e-5);
    if ((p1 > p0 ? 1 : 0) === labels[i]) correct++;
  }
  // evaluate prints the same accuracy as computing it here.
  const ev = await cli(['evaluate', '--model', out, '--data', file, '--json']);
  assert.equal(ev.code, 0, ev.stderr);
  const scores = JSON.parse(ev.stdout) as Record<string, number>;
  assert.equal(scores['rows'], 569);
  assert.equal(scores['accuracy'], correct / 569);
  assert.ok(scores['loss']! > 0);
  const evText = await cli(['evaluate', '--model', out, '--data', file]);
  assert.match(evText.stdout, new RegExp(`accuracy\\s+${(correct / 569).toFixed(4)}`));
  // predict writes one row per input row with the argmax class and probabilities.
  const preds = join(work, 'bc-preds.csv');
  const pr = await cli(['predict', '--model', out, '--data', file, '--out', preds]);
  assert.equal(pr.code, 0, pr.stderr);
  const lines = readFileSync(preds, 'utf8').trimEnd().split('\n');
  assert.equal(lines[0], 'prediction,p_benign,p_malignant');
  assert.equal(lines.length, 570);
  lines.slice(1).forEach((line, i) => {
    const [cls, a, b] = line.split(',');
    assert.ok(Math.abs(Number(a) - probs.data[2 * i]!) < 1e-6 && Math.abs(Number(b) - probs.data[2 * i + 1]!) < 1e-6);
    assert.equal(cls, Number(b) > Number(a) ? 'malignant' : 'benign');
  });
  // Without the target column, predictions go to stdout.
  const raw = readCsv(file);
  const noTarget = csv('bc-features.csv', [raw.header.slice(0, -1).join(','), ...raw.rows.slice(0, 5).map((row) => row.slice(0, -1).join(','))].join('\n'));
  const pr2 = await cli(['predict', '--model', out, '--data', noTarget]);
  assert.equal(pr2.code, 0, pr2.stderr);
  assert.deepEqual(pr2.stdout.trimEnd().split('\n'), lines.slice(0, 6));
});

test('train from a Keras-style model spec (wine) and on a regression target (diabetes)', { timeout: 300_000 }, async () => {
  const spec = csv(
    'wine-spec.json',
    JSON.stringify([
      { class_name: 'Dense', config: { units: 12, activation: 'relu', kernel_regularizer: { class_name: 'L2', config: { l2: 1e-3 } } } },
      { class_name: 'Dense', config: { units: 3, activation: 'softmax' } },
    ]),
  );
  const out = join(work, 'wine-model');
  const r = await cli(['train', '--dataset', 'wine', '--model', spec, '--epochs', '3', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  const m = await loadModel(out);
  assert.equal(m.layers.length, 2);
  assert.deepEqual([...m.predict(new Tensor([2, 13], 'float32', new Float32Array(26))).shape], [2, 3]);

  const dOut = join(work, 'diabetes-model');
  const d = await cli(['train', '--data', join(DATA, 'diabetes.csv'), '--target', 'progression', '--hidden', '8', '--epochs', '3', '--out', dOut]);
  assert.equal(d.code, 0, d.stderr);
  const data = reportData(readFileSync(join(dOut, 'report', 'index.html'), 'utf8'));
  assert.equal(data.task, 'regression');
  assert.equal(data.metric, 'mae');
  const ev = await cli(['evaluate', '--model', dOut, '--data', join(DATA, 'diabetes.csv'), '--json']);
  assert.equal(ev.code, 0, ev.stderr);
  const s = JSON.parse(ev.stdout) as Record<string, number>;
  assert.equal(s['rows'], 442);
  assert.ok(s['mae']! > 0 && Math.abs(s['rmse']! - Math.sqrt(s['mse']!)) < 1e-9);
  const pr = await cli(['predict', '--model', dOut, '--data', join(DATA, 'diabetes.csv')]);
  const preds = pr.stdout.trimEnd().split('\n');
  assert.equal(preds[0], 'prediction');
  assert.equal(preds.length, 443);
  assert.ok(preds.slice(1).every((p) => Number.isFinite(Number(p))));
});

test('IDX input (MNIST format, gzipped or raw): train, evaluate and predict', { timeout: 300_000 }, async () => {
  const raw = readCsv(join(DATA, 'digits.csv'));
  const pixels = (rows: readonly (readonly string[])[]) => rows.flatMap((r) => r.slice(0, 64).map(Number));
  const digits = (rows: readonly (readonly string[])[]) => rows.map((r) => Number(r[64]));
  const train = raw.rows.slice(0, 1500);
  const held = raw.rows.slice(1500);
  const file = (name: string, bytes: Uint8Array): string => {
    const p = join(work, name);
    writeFileSync(p, bytes);
    return p;
  };
  const trainImages = file('train-images-idx3-ubyte.gz', encodeIdx([train.length, 8, 8], 'uint8', pixels(train), true));
  const trainLabels = file('train-labels-idx1-ubyte', encodeIdx([train.length], 'uint8', digits(train)));
  const testImages = file('t10k-images-idx3-ubyte', encodeIdx([held.length, 8, 8], 'uint8', pixels(held)));
  const testLabels = file('t10k-labels-idx1-ubyte.gz', encodeIdx([held.length], 'uint8', digits(held), true));
  const out = join(work, 'idx-model');
  const r = await cli(['train', '--data', trainImages, '--labels', trainLabels, '--hidden', '32', '--epochs', '3', '--out', out, '--quiet']);
  assert.equal(r.code, 0, r.stderr);
  const pre = Preprocessing.fromJSON(JSON.parse(readFileSync(join(out, 'preprocessing.json'), 'utf8')));
  assert.equal(pre.inputSize, 64);
  assert.deepEqual(pre.classes, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  const ev = await cli(['evaluate', '--model', out, '--data', testImages, '--labels', testLabels, '--json']);
  assert.equal(ev.code, 0, ev.stderr);
  const scores = JSON.parse(ev.stdout) as Record<string, number>;
  assert.equal(scores['rows'], held.length);
  // The same numbers computed here from the saved model and preprocessing.
  const model = await loadModel(out);
  const x = pre.scale(Float32Array.from(pixels(held), (v) => v / 255));
  const probs = model.predict(new Tensor([held.length, 64], 'float32', x));
  let correct = 0;
  digits(held).forEach((d, i) => {
    const row = Array.from(probs.data.subarray(i * 10, i * 10 + 10));
    if (row.indexOf(Math.max(...row)) === d) correct++;
  });
  assert.equal(scores['accuracy'], correct / held.length);
  const pr = await cli(['predict', '--model', out, '--data', testImages]);
  assert.equal(pr.code, 0, pr.stderr);
  const lines = pr.stdout.trimEnd().split('\n');
  assert.equal(lines[0], ['prediction', ...pre.classes!.map((c) => `p_${c}`)].join(','));
  assert.equal(lines.length, held.length + 1);
  const noLabels = await cli(['train', '--data', trainImages, '--target', 'label', '--out', join(work, 'nope')]);
  assert.equal(noLabels.code, 2);
  assert.match(noLabels.stderr, /^regula train: --data .*train-images-idx3-ubyte\.gz is an IDX \(or gzipped\) file: give its labels with --labels/);
  const oneClass = file('one-labels', encodeIdx([train.length], 'uint8', train.map(() => 3)));
  const oc = await cli(['train', '--data', trainImages, '--labels', oneClass, '--out', join(work, 'nope')]);
  assert.equal(oc.code, 2);
  assert.match(oc.stderr, /one-labels: the labels have a single class \(3\)/);
  assert.ok(!existsSync(join(work, 'nope')));
});

test('compare: a 2×2 grid with 2-fold CV and with repeats, ranked, mean ± std, report with the comparison', { timeout: 300_000 }, async () => {
  const out = join(work, 'cmp-report');
  const r = await cli(['compare', '--dataset', 'wine', '--l2', '0,1e-3', '--dropout', '0,0.5', '--folds', '2', '--epochs', '2', '--hidden', '8', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  const data = reportData(readFileSync(join(out, 'index.html'), 'utf8'));
  const cmp = data.comparison!;
  assert.deepEqual(cmp.map((c) => c.cell), ['none', 'dropout=0.5', 'l2=0.001', 'l2=0.001 dropout=0.5']);
  assert.deepEqual([...cmp.map((c) => c.rank)].sort(), [1, 2, 3, 4]);
  for (const c of cmp) {
    assert.equal(c.values!.length, 2);
    const mean = (c.values![0]! + c.values![1]!) / 2;
    assert.ok(Math.abs(c.mean - mean) < 1e-12);
    assert.ok(Math.abs(c.std - Math.abs(c.values![0]! - c.values![1]!) / Math.SQRT2) < 1e-12);
  }
  const sorted = [...cmp].sort((a, b) => a.rank - b.rank);
  for (let i = 1; i < sorted.length; i++) assert.ok(sorted[i - 1]!.mean >= sorted[i]!.mean);
  assert.deepEqual(parseTable(r.stdout, 'rank'), comparisonTable(data).rows.map((row) => [...row]));
  assert.equal(data.runs.length, 4);
  // Paired differences to the unregularized cell over the same folds, with the corrected t-test.
  const base = cmp.find((c) => c.cell === 'none')!;
  assert.equal(base.vsBaseline, undefined);
  for (const c of cmp.filter((x) => x !== base)) {
    const d = c.values!.map((v, i) => v - base.values![i]!);
    assert.equal(c.vsBaseline!.baseline, 'none');
    assert.ok(Math.abs(c.vsBaseline!.mean - (d[0]! + d[1]!) / 2) < 1e-12);
    assert.ok(c.vsBaseline!.ci[0] <= c.vsBaseline!.mean && c.vsBaseline!.mean <= c.vsBaseline!.ci[1]);
  }
  assert.match(r.stdout, /significance: (no cell beat 'none'|.* beat 'none')/);
  const rep = await cli(['compare', '--dataset', 'diabetes', '--l2', '0,1e-2', '--repeats', '2', '--epochs', '2', '--hidden', '4', '--out', join(work, 'cmp2')]);
  assert.equal(rep.code, 0, rep.stderr);
  const d2 = reportData(readFileSync(join(work, 'cmp2', 'index.html'), 'utf8'));
  assert.equal(d2.metric, 'mae');
  const s2 = [...d2.comparison!].sort((a, b) => a.rank - b.rank);
  assert.ok(s2[0]!.mean <= s2[1]!.mean, 'mae ranks ascending');
});

test('bad input: one line on stderr, exit code 2, nothing written', { timeout: 300_000 }, async () => {
  const wine = join(DATA, 'wine.csv');
  const cases: [string, string[], RegExp][] = [
    ['missing file', ['train', '--data', join(work, 'nope.csv'), '--target', 'y'], /nope\.csv: file not found/],
    ['unknown column', ['train', '--data', wine, '--target', 'grape'], /grape/],
    ['non-numeric cell', ['train', '--data', csv('nonnum.csv', 'a,b,y\n1,2,x\n3,abc,y\n5,6,x\n7,8,y\n9,10,x\n11,12,y\n13,14,x\n'), '--target', 'y'], /nonnum\.csv:3: column "b".*"abc"/],
    ['empty data', ['train', '--data', csv('empty.csv', 'a,b,y\n'), '--target', 'y'], /empty\.csv: empty data/],
    ['empty file', ['train', '--data', csv('blank.csv', ''), '--target', 'y'], /blank\.csv: empty data/],
    ['NaN cell', ['train', '--data', csv('nan.csv', 'a,b,y\n1,2,x\n3,NaN,y\n5,6,x\n7,8,y\n'), '--target', 'y'], /nan\.csv:3: column "b".*NaN/],
    ['Inf cell', ['train', '--data', csv('inf.csv', 'a,b,y\n1,2,x\n3,4,y\n-Infinity,6,x\n7,8,y\n'), '--target', 'y'], /inf\.csv:4: column "a".*Infinity/],
    ['one-class target', ['train', '--data', csv('oneclass.csv', 'a,b,y\n1,2,x\n3,4,x\n5,6,x\n7,8,x\n'), '--target', 'y'], /oneclass\.csv.*(one class|single|only one)/i],
    ['epochs 0', ['train', '--dataset', 'wine', '--epochs', '0'], /--epochs.*integer ≥ 1.*"0"/],
    ['dropout 1.5', ['train', '--dataset', 'wine', '--dropout', '1.5'], /--dropout.*< 1.*"1.5"/],
    ['negative lr', ['train', '--dataset', 'wine', '--lr', '-1'], /--lr.*> 0.*"-1"/],
    ['bad hidden list', ['train', '--dataset', 'wine', '--hidden', '10,x'], /--hidden.*"x"/],
    ['unknown dataset', ['demo', '--dataset', 'iris'], /--dataset.*iris/],
    ['unknown option', ['train', '--dataset', 'wine', '--epoch', '3'], /unknown option '--epoch' \(Did you mean --epochs\?\)/],
    ['unknown activation', ['train', '--dataset', 'wine', '--activation', 'swoosh'], /--activation.*swoosh/],
    ['splits leave no training rows', ['train', '--dataset', 'wine', '--validation-split', '0.6', '--test-split', '0.5'], /--validation-split \+ --test-split must be < 1/],
    ['no data flag', ['train', '--target', 'y'], /--data/],
    ['unknown command', ['fit'], /unknown command 'fit'/],
    ['misspelt command', ['traim'], /unknown command 'traim' \(Did you mean train\?\)/],
    ['folds and repeats', ['compare', '--dataset', 'wine', '--folds', '2', '--repeats', '2'], /either --folds or --repeats/],
    ['bad grid value', ['compare', '--dataset', 'wine', '--l2', '0,-1'], /--l2.*"-1"/],
    ['missing model dir', ['evaluate', '--model', join(work, 'no-model'), '--data', wine], /no-model: directory not found/],
    ['model dir without model.json', ['predict', '--model', work, '--data', wine], /no model\.json/],
    ['unknown regime', ['demo', '--regimes', 'none,bagging'], /--regimes.*bagging/],
    ['bad model spec', ['train', '--dataset', 'wine', '--model', csv('bad-spec.json', '{"layers": 3}')], /--model .*bad-spec\.json/],
    [
      'spec output does not fit the classes',
      ['train', '--dataset', 'wine', '--model', csv('five.json', '[{"class_name": "Dense", "config": {"units": 5, "activation": "softmax"}}]')],
      /five\.json: the last layer has 5 units but the data need 3/,
    ],
    [
      'spec without softmax output',
      ['train', '--dataset', 'wine', '--model', csv('logits.json', '[{"class_name": "Dense", "config": {"units": 3}}]')],
      /logits\.json: for classification the last layer needs activation "softmax".*"linear"/,
    ],
    ['noise stddev out of range', ['train', '--dataset', 'wine', '--gaussian-noise', '1.5'], /--gaussian-noise.*≤ 1.*"1.5"/],
  ];
  const before = new Set(readdirSync(work));
  for (let i = 0; i < cases.length; i += 4) {
    const batch = cases.slice(i, i + 4);
    const results = await Promise.all(batch.map(([, args]) => cli([...args, ...(args[0] === 'train' || args[0] === 'demo' || args[0] === 'compare' ? ['--out', join(work, 'should-not-exist')] : [])])));
    batch.forEach(([name, , pattern], j) => {
      const r = results[j]!;
      assert.equal(r.code, 2, `${name}: exit code (stderr: ${r.stderr})`);
      const lines = r.stderr.trimEnd().split('\n');
      assert.equal(lines.length, 1, `${name}: one line, got ${JSON.stringify(r.stderr)}`);
      assert.match(lines[0]!, /^regula( \w+)?: /, name);
      assert.match(lines[0]!, pattern, name);
      assert.equal(r.stdout, '', `${name}: nothing on stdout`);
    });
  }
  assert.ok(!existsSync(join(work, 'should-not-exist')), 'no output directory created');
  const after = readdirSync(work).filter((f) => !before.has(f));
  assert.deepEqual(after, [], 'no file left behind');
});

test('predict with a CSV lacking a feature column fails cleanly and leaves --out untouched', { timeout: 300_000 }, async () => {
  const out = join(work, 'wine-small');
  const r = await cli(['train', '--dataset', 'wine', '--hidden', '4', '--epochs', '1', '--out', out, '--quiet']);
  assert.equal(r.code, 0, r.stderr);
  const preds = join(work, 'wine-preds.csv');
  // An earlier predictions file (Regula's, so predict may replace it) survives a failed run.
  writeFileSync(preds, 'prediction\nold\n');
  const bad = csv('wine-missing.csv', 'alcohol,malic_acid\n14.2,1.7\n');
  const p = await cli(['predict', '--model', out, '--data', bad, '--out', preds]);
  assert.equal(p.code, 2);
  assert.match(p.stderr.trim(), /^regula predict: .*wine-missing\.csv.*ash/);
  assert.equal(readFileSync(preds, 'utf8'), 'prediction\nold\n');
  assert.deepEqual(readdirSync(work).filter((f) => f.startsWith('.wine-preds')), []);
});
