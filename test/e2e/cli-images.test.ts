/**
 * The CLI on images (issue 12): `regula demo --model cnn` on the embedded 8×8
 * digits (reduced epochs), `--dataset fashion-mnist` without the Debian
 * package (one line saying how to install it, exit 2, nothing written), and
 * `regula train --model` with a Conv2D spec on IDX images kept as [h, w, 1],
 * evaluated and predicted through the saved model.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCsv } from '../../src/data/csv.js';
import { encodeIdx } from '../../src/data/idx.js';
import { type CliResult, runCli, reportData } from '../helpers/cli.js';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const work = mkdtempSync(join(tmpdir(), 'regula-cli-img-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

const cli = (args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> => runCli(args, { cwd: work, env });

test('demo --dataset digits --model cnn (2 epochs): the five CNN regimes in a table and a report', { timeout: 300_000 }, async () => {
  const out = join(work, 'cnn-report');
  const r = await cli(['demo', '--dataset', 'digits', '--model', 'cnn', '--epochs', '2', '--folds', '2', '--repeats', '1', '--quiet', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  // The significance table (rank order) has the five regimes; then the first fold's runs and the chosen one's final run.
  const lines = r.stdout.split('\n');
  const h = lines.findIndex((l) => l.startsWith('rank'));
  assert.ok(h >= 0, r.stdout);
  const names = lines.slice(h + 2, h + 7).map((l) => l.trim().split(/\s{2,}/)[1]);
  assert.deepEqual([...names].sort(), ['all', 'augmentation', 'dropout', 'none', 'spatial-dropout']);
  const data = reportData(readFileSync(join(out, 'index.html'), 'utf8'));
  assert.deepEqual(data.runs.slice(0, 5).map((x) => x.name), ['none', 'dropout', 'spatial-dropout', 'augmentation', 'all']);
  assert.equal(data.runs.length, 6);
  assert.match(String(data.config['network']), /^\[8,8,1\] → rescale 0\.0625 → conv2d 32 3×3 same relu → conv2d 64 3×3 same relu → maxPool 2 → flatten → dense 128 relu → dense 10 softmax$/);
  assert.match(String(data.config['regime augmentation']), /RandomTranslation ±0\.125 .* RandomRotation ±0\.03/);
  for (const run of data.runs) {
    assert.equal(run.epochsRun, 2);
    assert.ok(run.test['accuracy']! > 0.1, `${run.name}: test accuracy ${run.test['accuracy']}`);
    assert.ok(run.layers!.some((l) => l.layer === 'conv_1'));
  }
});

test('demo: fashion-mnist not installed, a CNN on plain features, --hidden with a CNN: one line, exit 2, nothing written', { timeout: 120_000 }, async () => {
  const out = join(work, 'fm-report');
  const fm = await cli(['demo', '--dataset', 'fashion-mnist', '--out', out], { REGULA_FASHION_MNIST_DIR: join(work, 'no-such-dir') });
  assert.equal(fm.code, 2);
  assert.equal(fm.stderr.trimEnd().split('\n').length, 1, fm.stderr);
  assert.match(fm.stderr, /^regula demo: Fashion-MNIST is not installed \(.*no-such-dir\/train-images-idx3-ubyte\.gz not found\): install Debian's package with `sudo apt-get install dataset-fashion-mnist`/);
  const wine = await cli(['demo', '--dataset', 'wine', '--model', 'cnn', '--out', out]);
  assert.equal(wine.code, 2);
  assert.equal(wine.stderr, 'regula demo: --model cnn needs an image dataset (digits, fashion-mnist); wine has plain features: use --model mlp\n');
  const hidden = await cli(['demo', '--model', 'cnn', '--hidden', '8', '--out', out]);
  assert.equal(hidden.code, 2);
  assert.match(hidden.stderr, /^regula demo: --hidden sets the MLP's hidden layers; it does not apply to --model cnn\n$/);
  assert.ok(!existsSync(out));
});

test('train --model with a Conv2D spec on IDX images: input [null, 8, 8, 1], evaluate and predict; the same spec on a CSV fails', { timeout: 300_000 }, async () => {
  const raw = readCsv(join(ROOT, 'datasets', 'digits.csv'));
  const rows = raw.rows.slice(0, 600);
  const images = join(work, 'img-idx3-ubyte.gz');
  const labels = join(work, 'lab-idx1-ubyte');
  writeFileSync(images, encodeIdx([rows.length, 8, 8], 'uint8', rows.flatMap((r) => r.slice(0, 64).map((v) => Number(v) * 15)), true));
  writeFileSync(labels, encodeIdx([rows.length], 'uint8', rows.map((r) => Number(r[64]))));
  const spec = join(work, 'cnn.json');
  writeFileSync(spec, JSON.stringify([
    { class_name: 'RandomTranslation', config: { height_factor: 0.1, width_factor: 0.1, fill_mode: 'constant' } },
    { class_name: 'Conv2D', config: { filters: 8, kernel_size: 3, padding: 'same', activation: 'relu' } },
    { class_name: 'SpatialDropout2D', config: { rate: 0.1 } },
    { class_name: 'MaxPooling2D', config: { pool_size: 2 } },
    { class_name: 'Flatten', config: {} },
    { class_name: 'Dense', config: { units: 10, activation: 'softmax' } },
  ]));
  const out = join(work, 'idx-cnn');
  const r = await cli(['train', '--data', images, '--labels', labels, '--model', spec, '--epochs', '3', '--quiet', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  const topo = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')) as { modelTopology: { config: { layers: { config: Record<string, unknown> }[] } } };
  assert.deepEqual(topo.modelTopology.config.layers[0]!.config['batch_input_shape'], [null, 8, 8, 1]);
  const ev = await cli(['evaluate', '--model', out, '--data', images, '--labels', labels, '--json']);
  assert.equal(ev.code, 0, ev.stderr);
  const scores = JSON.parse(ev.stdout) as Record<string, number>;
  assert.equal(scores['rows'], rows.length);
  assert.ok(scores['accuracy']! > 0.2, `accuracy ${scores['accuracy']}`);
  const pr = await cli(['predict', '--model', out, '--data', images]);
  assert.equal(pr.code, 0, pr.stderr);
  assert.equal(pr.stdout.trimEnd().split('\n').length, rows.length + 1);
  const csv = await cli(['train', '--dataset', 'wine', '--model', spec, '--out', join(work, 'nope')]);
  assert.equal(csv.code, 2);
  assert.match(csv.stderr, /^regula train: --model .*cnn\.json: the model starts with an image layer, .* the data are 13 plain features: declare the input shape/);
  assert.ok(!existsSync(join(work, 'nope')));
});
