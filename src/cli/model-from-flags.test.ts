/**
 * `modelFromSpec` (`regula train --model spec.json`): the spec shapes it
 * accepts — Sequential layer lists and configs, functional configs with or
 * without the `{"class_name": "Model"}` wrapper, inside a model.json — built
 * with the CLI's seed, and the UsageErrors for specs that do not fit the data
 * or the CLI (one input, one output).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Model, Sequential } from '../index.js';
import { UsageError } from './cli-error.js';
import { modelFromSpec, type DataShape } from './model-from-flags.js';

const dir = mkdtempSync(join(tmpdir(), 'regula-spec-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const RESIDUAL = fileURLToPath(new URL('../../docs/examples/residual-mlp.json', import.meta.url));
const DIGITS: DataShape = { inputSize: 64, outputs: 10, task: 'classification', targetMean: 0 };

let n = 0;
function spec(json: unknown): string {
  const p = join(dir, `spec-${n++}.json`);
  writeFileSync(p, JSON.stringify(json));
  return p;
}

const ref = (name: string): [string, number, number, Record<string, never>] => [name, 0, 0, {}];
const inputLayer = (name: string, features?: number) => ({ name, class_name: 'InputLayer', config: { name, ...(features ? { batch_input_shape: [null, features] } : {}) }, inbound_nodes: [] });
const dense = (name: string, units: number, from: string[], activation?: string) => ({ name, class_name: 'Dense', config: { name, units, ...(activation ? { activation } : {}) }, inbound_nodes: [from.map(ref)] });

/** in(features) → h → add(h, g(h)) → out(10 softmax): a small residual graph. */
function residual(features?: number): Record<string, unknown> {
  return {
    name: 'small_residual',
    layers: [
      inputLayer('x', features),
      dense('h', 8, ['x'], 'relu'),
      dense('g', 8, ['h']),
      { name: 'sum', class_name: 'Add', config: { name: 'sum' }, inbound_nodes: [[ref('h'), ref('g')]] },
      dense('out', 10, ['sum'], 'softmax'),
    ],
    input_layers: [['x', 0, 0]],
    output_layers: [['out', 0, 0]],
  };
}

test('docs/examples/residual-mlp.json builds a functional model for the digits, weights from the seed', () => {
  const m = modelFromSpec(RESIDUAL, DIGITS, 7);
  assert.ok(m instanceof Model && !(m instanceof Sequential));
  assert.equal(m.name, 'residual_mlp');
  assert.deepEqual(m.inputShapes, [[null, 64]]);
  assert.deepEqual(m.outputShapes, [[null, 10]]);
  assert.equal(m.layers.filter((l) => l.className === 'Add').length, 2);
  const same = modelFromSpec(RESIDUAL, DIGITS, 7).getWeights();
  const other = modelFromSpec(RESIDUAL, DIGITS, 8).getWeights();
  const eq = (a: typeof same, b: typeof same): boolean => a.every((t, i) => t.data.every((v, j) => v === b[i]!.data[j]));
  assert.ok(eq(m.getWeights(), same), 'the same seed gives the same weights');
  assert.ok(!eq(m.getWeights(), other), 'another seed gives other weights');
  // The file is a TF.js model topology: the same config, wrapped as model.json, builds the same graph.
  const topo = JSON.parse(readFileSync(RESIDUAL, 'utf8'));
  const viaModelJson = modelFromSpec(spec({ modelTopology: { class_name: 'Model', config: topo.config, keras_version: 'tfjs-layers 4.22.0' } }), DIGITS, 7);
  assert.deepEqual(viaModelJson.layers.map((l) => l.name), m.layers.map((l) => l.name));
});

test('functional spec shapes: bare config, Functional (Keras 3), an InputLayer without a shape takes the data width', () => {
  for (const s of [residual(64), { class_name: 'Functional', config: residual(64) }, { class_name: 'Model', config: residual() }]) {
    const m = modelFromSpec(spec(s), DIGITS, 1);
    assert.deepEqual(m.layers.map((l) => l.name), ['x', 'h', 'g', 'sum', 'out']);
    assert.deepEqual(m.inputShapes, [[null, 64]]);
  }
  // Sequential specs still work and are Sequentials.
  const seq = modelFromSpec(spec([{ class_name: 'Dense', config: { units: 10, activation: 'softmax' } }]), DIGITS, 1);
  assert.ok(seq instanceof Sequential);
});

test('functional specs that do not fit: several inputs or outputs, input width, output width, softmax, broken graph', () => {
  const two = residual(64);
  const twoInputs = {
    ...two,
    layers: [inputLayer('a', 32), inputLayer('b', 32), { name: 'cat', class_name: 'Concatenate', config: { name: 'cat' }, inbound_nodes: [[ref('a'), ref('b')]] }, dense('out', 10, ['cat'], 'softmax')],
    input_layers: [['a', 0, 0], ['b', 0, 0]],
  };
  const twoOutputs = { ...two, layers: [...(two['layers'] as object[]), dense('aux', 10, ['sum'], 'softmax')], output_layers: [['out', 0, 0], ['aux', 0, 0]] };
  const linear = { ...two, layers: [...(two['layers'] as object[]).slice(0, 4), dense('out', 10, ['sum'])] };
  const broken = { ...two, layers: [...(two['layers'] as object[]).slice(0, 4), dense('out', 10, ['nope'], 'softmax')] };
  const cases: [unknown, DataShape, RegExp][] = [
    [{ class_name: 'Model', config: twoInputs }, DIGITS, /the model has 2 inputs \('a', 'b'\), but regula train feeds one table/],
    [twoOutputs, DIGITS, /the model has 2 outputs \('out', 'aux'\), but regula train fits one target/],
    [residual(13), DIGITS, /the model takes 13 inputs but the data have 64 features/],
    [residual(64), { ...DIGITS, outputs: 3 }, /the last layer has 10 units but the data need 3 \(one per class\)/],
    [linear, DIGITS, /for classification the last layer needs activation "softmax".*"linear"/],
    [broken, DIGITS, /layer 'out' is connected to 'nope', which is not a layer of this model/],
    [{ class_name: 'Model', config: [] }, DIGITS, /a Model spec needs a "config" object/],
    [{ class_name: 'RNN', config: {} }, DIGITS, /only Sequential and functional \(Model\) specs are supported, got class_name "RNN"/],
  ];
  for (const [s, data, re] of cases) {
    const file = spec(s);
    assert.throws(() => modelFromSpec(file, data, 1), (e: unknown) => e instanceof UsageError && e.message.startsWith(`--model ${file}: `) && re.test(e.message), JSON.stringify(s).slice(0, 80));
  }
});
