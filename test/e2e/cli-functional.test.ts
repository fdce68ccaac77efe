/**
 * `regula train --model <functional spec>` end to end: the residual MLP of
 * docs/examples/residual-mlp.json trains on the digits in a child process
 * (two epochs), its output directory holds a functional TF.js model that
 * loads and predicts, its report lists the layers inside the residual
 * blocks, and `regula evaluate` scores it; a two-input spec exits with code 2 and one line saying why.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModel, Tensor, type Model } from '../../src/index.js';
import { type CliResult, runCli } from '../helpers/cli.js';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const SPEC = join(ROOT, 'docs', 'examples', 'residual-mlp.json');
const work = mkdtempSync(join(tmpdir(), 'regula-cli-functional-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

const cli = (args: readonly string[]): Promise<CliResult> => runCli(args, { cwd: work });

test('train --model docs/examples/residual-mlp.json on the digits: a functional model that loads, predicts and is reported layer by layer', { timeout: 120_000 }, async () => {
  const out = join(work, 'residual');
  const r = await cli(['train', '--dataset', 'digits', '--model', SPEC, '--epochs', '2', '--seed', '3', '--out', out, '--quiet']);
  assert.equal(r.code, 0, r.stderr);
  const json = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
  assert.equal(json.modelTopology.class_name, 'Model');
  const m = (await loadModel(out)) as Model;
  assert.equal(m.layers.filter((l) => l.className === 'Add').length, 2);
  const p = m.predict(new Tensor([2, 64], 'float32', new Float32Array(128))) as Tensor;
  assert.deepEqual([...p.shape], [2, 10]);
  const html = readFileSync(join(out, 'report', 'index.html'), 'utf8');
  const data = JSON.parse(/<script type="application\/json" id="regula-report-data">([\s\S]*?)<\/script>/.exec(html)![1]!);
  const layers = data.runs.flatMap((run: { layers?: { layer: string }[] }) => run.layers ?? []).map((l: { layer: string }) => l.layer);
  for (const name of ['stem', 'block1_dense2', 'block2_dense1', 'digit']) assert.ok(layers.includes(name), `report lists ${name}: ${layers.join(', ')}`);
  // evaluate re-applies the saved preprocessing to the functional model.
  const ev = await cli(['evaluate', '--model', out, '--data', join(ROOT, 'datasets', 'digits.csv'), '--json']);
  assert.equal(ev.code, 0, ev.stderr);
  const scores = JSON.parse(ev.stdout) as Record<string, number>;
  assert.equal(scores['rows'], 1797);
  assert.ok(scores['accuracy']! > 0.5, `accuracy after two epochs: ${scores['accuracy']}`);
});

test('a two-input functional spec: exit code 2, one line naming the inputs, nothing written', { timeout: 60_000 }, async () => {
  const spec = join(work, 'two-inputs.json');
  const inLayer = (name: string) => ({ name, class_name: 'InputLayer', config: { name, batch_input_shape: [null, 32] }, inbound_nodes: [] });
  writeFileSync(spec, JSON.stringify({
    class_name: 'Model',
    config: {
      name: 'two',
      layers: [
        inLayer('a'), inLayer('b'),
        { name: 'cat', class_name: 'Concatenate', config: { name: 'cat' }, inbound_nodes: [[['a', 0, 0, {}], ['b', 0, 0, {}]]] },
        { name: 'out', class_name: 'Dense', config: { name: 'out', units: 10, activation: 'softmax' }, inbound_nodes: [[['cat', 0, 0, {}]]] },
      ],
      input_layers: [['a', 0, 0], ['b', 0, 0]],
      output_layers: [['out', 0, 0]],
    },
  }));
  const out = join(work, 'should-not-exist');
  const r = await cli(['train', '--dataset', 'digits', '--model', spec, '--out', out]);
  assert.equal(r.code, 2, r.stderr);
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0]!, /^regula train: --model .*two-inputs\.json: the model has 2 inputs \('a', 'b'\), but regula train feeds one table/);
  assert.ok(!existsSync(out));
});
