/**
 * Saving and loading functional models (and Sequential models holding nested
 * models) in the TF.js Layers format: round trips through a directory and in
 * memory (same topology, same predictions bit for bit), exact resume of a
 * two-output fit with lossWeights, the size checks before allocation, and the
 * ModelFormatError every malformed functional file gets.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromArtifacts, input, layers, loadModel, Model, model, ModelFormatError, randomNormal, Sequential, tensor, Tensor, toArtifacts, type ModelArtifacts } from '../../src/index.js';

const root = mkdtempSync(join(tmpdir(), 'regula-functional-save-'));
process.on('exit', () => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const tmp = (): string => join(root, `m${dirs++}`);

const bits = (t: Tensor): number[] => Array.from(new Uint32Array(Float32Array.from(t.data).buffer));
const list = (y: Tensor | Tensor[]): Tensor[] => (Array.isArray(y) ? y : [y]);
function assertSamePredictions(a: Model, b: Model, x: Tensor | Tensor[], what: string): void {
  const pa = list(a.predict(x));
  const pb = list(b.predict(x));
  assert.equal(pb.length, pa.length);
  pa.forEach((t, i) => assert.deepEqual(bits(pb[i]!), bits(t), `${what}: output ${i} differs`));
}

/** x → dense → (x + dense(dense(x))) twice with one shared block Dense → head. */
function residualMlp(seed = 1): Model {
  const x = input({ shape: [6], name: 'x' });
  const stem = layers.dense({ units: 8, activation: 'relu', name: 'stem' }).apply(x);
  const shared = layers.dense({ units: 8, activation: 'tanh', name: 'shared_block' });
  const r1 = layers.add({ name: 'res1' }).apply([stem, shared.apply(stem)]);
  const r2 = layers.add({ name: 'res2' }).apply([r1, shared.apply(r1)]);
  const out = layers.dense({ units: 3, activation: 'softmax', name: 'head' }).apply(layers.dropout({ rate: 0.2, seed: 4, name: 'drop' }).apply(r2));
  return model({ inputs: x, outputs: out, name: 'residual_mlp', seed });
}

/** Two inputs: int32 ids through an Embedding, float features through a Dense, concatenated. */
function twoInputs(seed = 2): Model {
  const ids = input({ shape: [5], dtype: 'int32', name: 'ids' });
  const feats = input({ shape: [3], name: 'feats' });
  const e = layers.flatten({ name: 'flat' }).apply(layers.embedding({ inputDim: 10, outputDim: 2, name: 'embed' }).apply(ids));
  const f = layers.dense({ units: 4, activation: 'relu', name: 'feat_dense' }).apply(feats);
  const y = layers.dense({ units: 1, name: 'score' }).apply(layers.concatenate({ name: 'joined' }).apply([e, f]));
  return model({ inputs: [ids, feats], outputs: y, name: 'two_inputs', seed });
}

/** A functional model calling a nested Sequential (with a seeded dropout) twice, and two outputs. */
function twoOutputs(seed = 3): Model {
  const x = input({ shape: [4], name: 'in' });
  const inner = new Sequential([layers.dense({ units: 4, activation: 'tanh', inputShape: [4], name: 'inner_dense' }), layers.dropout({ rate: 0.25, seed: 8, name: 'inner_drop' })], { name: 'inner', seed: 5 });
  const h = inner.apply(layers.dense({ units: 4, name: 'pre' }).apply(x));
  const h2 = inner.apply(h);
  const reg = layers.dense({ units: 1, name: 'reg' }).apply(h2);
  const cls = layers.dense({ units: 2, activation: 'softmax', name: 'cls' }).apply(h);
  return model({ inputs: x, outputs: [reg, cls], name: 'two_outputs', seed });
}

const N = 24;
const x6 = randomNormal([N, 6], { seed: 11 });
const x4 = randomNormal([N, 4], { seed: 12 });
const ids = tensor(Array.from({ length: N * 5 }, (_, i) => (i * 7) % 10), [N, 5], 'int32');
const feats = randomNormal([N, 3], { seed: 13 });
const yReg = randomNormal([N, 1], { seed: 14 });
const yCls = tensor(Array.from({ length: N }, (_, i) => i % 2), [N], 'int32');
const y3 = tensor(Array.from({ length: N }, (_, i) => i % 3), [N], 'int32');

test('a residual MLP with a shared layer: directory round trip, class Model, same topology and predictions bit for bit', async () => {
  const m = residualMlp();
  m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  await m.fit(x6, y3, { epochs: 2, batchSize: 8, seed: 1, verbose: 0 });
  const dir = tmp();
  await m.save(dir);
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  assert.equal(json.modelTopology.class_name, 'Model');
  assert.deepEqual(json.modelTopology.config.input_layers, [['x', 0, 0]]);
  assert.deepEqual(json.modelTopology.config.output_layers, [['head', 0, 0]]);
  const block = json.modelTopology.config.layers.find((l: { name: string }) => l.name === 'shared_block');
  assert.deepEqual(block.inbound_nodes, [[['stem', 0, 0, {}]], [['res1', 0, 0, {}]]]);
  assert.deepEqual(json.weightsManifest[0].weights.map((w: { name: string }) => w.name), m.weights.map((w) => w.name));
  const back = await loadModel(dir);
  assert.ok(back instanceof Model && !(back instanceof Sequential));
  assert.equal(back.name, 'residual_mlp');
  assert.deepEqual(back.layers.map((l) => l.name), m.layers.map((l) => l.name));
  assert.deepEqual(toArtifacts(back, { includeOptimizer: false }).modelTopology, toArtifacts(m, { includeOptimizer: false }).modelTopology);
  assertSamePredictions(m, back, x6, 'residual MLP');
  assert.deepEqual(back.resumeInfo, { initialEpoch: 2, seed: 1, iterations: 6 });
});

test('two inputs (int32 ids → Embedding, floats → Dense) concatenated: in-memory round trip, inputs as a list or by name', async () => {
  const m = twoInputs();
  const a = toArtifacts(m);
  const back = fromArtifacts(a);
  assert.deepEqual(back.inputNames, ['ids', 'feats']);
  assertSamePredictions(m, back, [ids, feats], 'two inputs');
  assert.deepEqual(bits(back.predict({ ids, feats }) as Tensor), bits(m.predict([ids, feats]) as Tensor));
  const embedIn = (a.modelTopology as { config: { layers: { name: string; config: Record<string, unknown> }[] } }).config.layers.find((l) => l.name === 'ids')!;
  assert.equal(embedIn.config['dtype'], 'int32');
});

test('a nested Sequential inside a functional model, and a functional model inside a Sequential', async () => {
  const m = twoOutputs();
  const back = fromArtifacts(toArtifacts(m));
  const inner = back.getLayer('inner');
  assert.ok(inner instanceof Sequential);
  // Weights keep TF.js's '<layer>/<weight>' names inside the nested model, each once though it is called twice.
  assert.deepEqual(back.weights.map((w) => w.name), ['pre/kernel', 'pre/bias', 'inner_dense/kernel', 'inner_dense/bias', 'reg/kernel', 'reg/bias', 'cls/kernel', 'cls/bias']);
  assertSamePredictions(m, back, x4, 'nested Sequential');

  const fx = input({ shape: [4], name: 'fx' });
  const fn = model({ inputs: fx, outputs: layers.dense({ units: 3, activation: 'relu', name: 'fn_dense' }).apply(fx), name: 'fn_block' });
  const seq = new Sequential([layers.dense({ units: 4, inputShape: [5], name: 'first' }), fn, layers.dense({ units: 2, name: 'last' })], { name: 'outer_seq', seed: 4 });
  const dir = tmp();
  await seq.save(dir);
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  assert.equal(json.modelTopology.class_name, 'Sequential');
  assert.equal(json.modelTopology.config.layers[1].class_name, 'Model');
  const sBack = await loadModel(dir);
  assert.ok(sBack instanceof Sequential);
  assert.ok(sBack.layers[1] instanceof Model);
  assertSamePredictions(seq, sBack, randomNormal([5, 5], { seed: 3 }), 'nested functional model');
});

test('weights only: saveWeights / loadWeights move a functional model with a nested model', async () => {
  const a = twoOutputs(3);
  const b = twoOutputs(4);
  const dir = tmp();
  await a.saveWeights(dir);
  await b.loadWeights(dir);
  assertSamePredictions(a, b, x4, 'loaded weights');
});

test('two outputs with lossWeights and per-output metrics: save → load → fit resumes exactly (weights bit for bit)', async () => {
  const compile = (m: Model): void => m.compile({ optimizer: 'adam', loss: ['mse', 'sparseCategoricalCrossentropy'], lossWeights: [0.3, 2], metrics: { cls: ['accuracy'], reg: ['mae'] } });
  const args = { batchSize: 8, seed: 21, verbose: 0 as const, validationSplit: 0.25 };
  const full = twoOutputs();
  compile(full);
  const hFull = await full.fit(x4, [yReg, yCls], { ...args, epochs: 4 });

  const first = twoOutputs();
  compile(first);
  await first.fit(x4, [yReg, yCls], { ...args, epochs: 2 });
  const dir = tmp();
  await first.save(dir);
  const state = JSON.parse(readFileSync(join(dir, 'training-state.json'), 'utf8')).state;
  assert.equal(state.compile.loss.length, 2);
  assert.deepEqual(state.compile.metrics, [['mae'], ['accuracy']]);
  assert.deepEqual(state.compile.lossWeights, [0.3, 2]);
  assert.ok(state.rng['inner/inner_drop'], 'the nested seeded dropout stream is saved');
  const resumed = await loadModel(dir);
  assert.deepEqual(resumed.compiled!.heads.map((h) => [h.output, h.weight, h.metricSpecs]), [['reg', 0.3, ['mae']], ['cls', 2, ['accuracy']]]);
  assert.deepEqual(resumed.resumeInfo, { initialEpoch: 2, seed: 21, iterations: 6 });
  const hRes = await resumed.fit(x4, [yReg, yCls], { ...args, epochs: 4, initialEpoch: 2 });

  assert.deepEqual(Object.keys(hRes.history), Object.keys(hFull.history));
  assert.deepEqual(hRes.history['loss'], hFull.history['loss']!.slice(2));
  assert.deepEqual(hRes.history['val_cls_accuracy'], hFull.history['val_cls_accuracy']!.slice(2));
  full.weights.forEach((w, i) => assert.deepEqual(bits(resumed.weights[i]!), bits(w), `weight ${w.name} differs after resume`));
  assert.equal(resumed.optimizer!.iterations, full.optimizer!.iterations);
});

test('a training state that does not fit the outputs is a ModelFormatError naming the file', () => {
  const m = twoOutputs();
  m.compile({ optimizer: 'sgd', loss: 'mse' });
  const a = toArtifacts(m);
  const decode = (mutate: (state: { compile: Record<string, unknown> }) => void): ModelArtifacts => {
    const ts = a.trainingState!;
    const state = JSON.parse(JSON.stringify(ts.state));
    mutate(state);
    return { ...a, trainingState: { ...ts, state } };
  };
  assert.throws(() => fromArtifacts(decode((s) => void (s.compile['lossWeights'] = [1]))), (e: Error) => e instanceof ModelFormatError && /^artifacts: state\.compile\.lossWeights must be a list of 2 numbers/.test(e.message));
  assert.throws(() => fromArtifacts(decode((s) => void (s.compile['metrics'] = [['mae'], [3]]))), /state\.compile\.metrics\[1\] must be a list of metric names/);
  assert.throws(() => fromArtifacts(decode((s) => void Object.assign(s.compile, { loss: [(s.compile['loss'] as unknown[])[0]], metrics: [[]], lossWeights: [1] }))), (e: Error) => e instanceof ModelFormatError && /cannot recompile the saved model: .*loss is a list of 1, but the model has 2 outputs/.test(e.message));
  // One loss config and one metric list (the single-output form, and every older file) still recompile a two-output model.
  const old = fromArtifacts(
    decode((s) => {
      Object.assign(s.compile, { loss: (s.compile['loss'] as unknown[])[0], metrics: [] });
      delete s.compile['lossWeights'];
    }),
  );
  assert.equal(old.compiled!.heads.length, 2);
});

test('a name shared by layers of a nested model and its parent cannot be saved (its weights would collide)', () => {
  const x = input({ shape: [3] });
  const inner = new Sequential([layers.dense({ units: 3, inputShape: [3], name: 'dup' })]);
  const m = model({ inputs: x, outputs: layers.dense({ units: 1, name: 'dup' }).apply(inner.apply(x)) });
  assert.throws(() => toArtifacts(m), /save: two different weights of model '.*' are named 'dup\/kernel'/);
});

/** The residual MLP's artifacts with the topology config changed by `mutate`. */
function mutated(mutate: (c: { layers: { name: string; class_name: string; config: Record<string, unknown>; inbound_nodes: unknown[] }[]; input_layers?: unknown; output_layers?: unknown }) => void): ModelArtifacts {
  const a = toArtifacts(residualMlp(), { includeOptimizer: false });
  const t = JSON.parse(JSON.stringify(a.modelTopology));
  mutate(t.config);
  return { ...a, modelTopology: t };
}

test('malformed functional files: each is a ModelFormatError naming the file and the problem', async () => {
  const layer = (c: { layers: { name: string }[] }, name: string) => c.layers.find((l) => l.name === name)! as { name: string; class_name: string; config: Record<string, unknown>; inbound_nodes: unknown[] };
  const cases: [string, Parameters<typeof mutated>[0], RegExp][] = [
    ['unknown class', (c) => void (layer(c, 'head').class_name = 'ConvLSTM2D'), /layer 6 has unknown class 'ConvLSTM2D'; known layer classes: .*Dense/],
    ['missing layer', (c) => void (layer(c, 'head').inbound_nodes = [[['ghost', 0, 0, {}]]]), /inbound_nodes\[0\]\[0\] refers to layer 'ghost', which is not a layer of this model/],
    ['missing node', (c) => void (layer(c, 'head').inbound_nodes = [[['drop', 3, 0, {}]]]), /cannot build the saved model: the layers cannot be connected: 'head' \(needs drop\[3\]\)/],
    ['missing tensor', (c) => void (layer(c, 'head').inbound_nodes = [[['drop', 0, 2, {}]]]), /layer 'head' uses output 2 of 'drop' node 0, which has 1 output/],
    ['cycle', (c) => void (layer(c, 'stem').inbound_nodes = [[['res2', 0, 0, {}]]]), /the layers cannot be connected: .*'stem' \(needs res2\[0\]\).*a cycle/],
    ['no input_layers', (c) => void delete c.input_layers, /modelTopology\.config\.input_layers must be a non-empty list/],
    ['input that is not an input', (c) => void (c.input_layers = [['stem', 0, 0]]), /input_layers\[0\] names layer 'stem', a Dense; model inputs must be InputLayers/],
    ['duplicate names', (c) => void (layer(c, 'head').config['name'] = 'stem'), /two layers are named 'stem'/],
    ['huge units', (c) => void (layer(c, 'head').config['units'] = 1e12), /layer 6 \('head', Dense\): weight 'kernel' of shape \[8, 1000000000000\] needs 32000000000000 bytes \(config units: 1000000000000\), more than the load limit/],
    ['huge input', (c) => void (layer(c, 'x').config['batch_input_shape'] = [null, 1e6, 1e6]), /layer 0 \('x', InputLayer\): input shape \[null, 1000000, 1000000\] declares more than \d+ bytes per sample/],
    ['bad config', (c) => void (layer(c, 'shared_block').config['units'] = 'many'), /cannot build the saved model: layer 2 \('shared_block', Dense\): .*units/],
  ];
  for (const [what, mutate, re] of cases) {
    assert.throws(() => fromArtifacts(mutated(mutate)), (e: Error) => e instanceof ModelFormatError && e.message.startsWith('artifacts: ') && re.test(e.message), `${what}: ${re.source}`);
  }
  // Through a directory, errors name its model.json.
  const dir = tmp();
  await residualMlp().save(dir);
  const j = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  j.modelTopology.config.output_layers = [['head', 1, 0]];
  writeFileSync(join(dir, 'model.json'), JSON.stringify(j));
  await assert.rejects(loadModel(dir), (e: Error) => e instanceof ModelFormatError && /model\.json: cannot build the saved model: config\.output_layers\[0\] refers to node 1 of 'head', which does not exist/.test(e.message));
});

test('declared sizes inside nested models are checked before allocation, naming the path to the layer', () => {
  const a = toArtifacts(twoOutputs(), { includeOptimizer: false });
  const t = JSON.parse(JSON.stringify(a.modelTopology));
  const inner = t.config.layers.find((l: { name: string }) => l.name === 'inner');
  inner.config.layers[0].config.units = 5e7;
  assert.throws(
    () => fromArtifacts({ ...a, modelTopology: t }),
    (e: Error) => e instanceof ModelFormatError && /^artifacts: layer 2 \('inner', Sequential\) > layer 'inner_dense' \(Dense\): weight 'kernel' of shape \[4, 50000000\] \(config units: 50000000\) brings the declared weights to \d+ bytes, but the file holds only \d+/.test(e.message),
  );
  // A Sequential holding a functional model: the nested model's layer is named through it.
  const fx = input({ shape: [4], name: 'fx' });
  const fn = model({ inputs: fx, outputs: layers.dense({ units: 3, name: 'fn_dense' }).apply(fx), name: 'fn_block' });
  const seq = new Sequential([layers.dense({ units: 4, inputShape: [2], name: 'first' }), fn]);
  const s = toArtifacts(seq);
  const st = JSON.parse(JSON.stringify(s.modelTopology));
  st.config.layers[1].config.layers[1].config.units = 1e12;
  assert.throws(() => fromArtifacts({ ...s, modelTopology: st }), (e: Error) => e instanceof ModelFormatError && /layer 1 \('fn_block', Model\) > layer 'fn_dense' \(Dense\): weight 'kernel' of shape \[4, 1000000000000\] needs/.test(e.message));
  st.config.layers[1].config.layers[1].class_name = 'ConvLSTM2D';
  assert.throws(() => fromArtifacts({ ...s, modelTopology: st }), (e: Error) => e instanceof ModelFormatError && /layer 1 \('fn_block', Model\): layer 1 \('fn_dense', ConvLSTM2D\): .*unknown layer class 'ConvLSTM2D'/.test(e.message));
});
