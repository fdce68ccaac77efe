/**
 * The functional API across layers, models and callbacks: graphs with several
 * inputs and outputs, shared layers, nested models, per-output losses and
 * Keras's log names, regularization anywhere in a graph, reproducibility and
 * resume, and the errors a wrong graph gives.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { regularizers, callbacks, FunctionConstraint, input, layers, model, Model, randomNormal, Sequential, SymbolicTensor, tensor, type Tensor } from '../../src/index.js';
import { functionalFromConfig } from '../../src/models/layer-config.js';

const N = 24;
const xa = randomNormal([N, 4], { seed: 1 });
const xb = randomNormal([N, 3], { seed: 2 });
const y1 = randomNormal([N, 1], { seed: 3 });
const y2 = tensor(Array.from({ length: N }, (_, i) => i % 2), [N], 'int32');

/** Two inputs, a shared Dense (called on both branches), two outputs. */
function twoByTwo(seed = 3, extra: { dropout?: number; activity?: boolean; constraint?: FunctionConstraint } = {}): Model {
  const a = input({ shape: [4], name: 'a' });
  const b = input({ shape: [3], name: 'b' });
  const shared = layers.dense({ units: 5, activation: 'relu', name: 'shared', ...(extra.constraint ? { kernelConstraint: extra.constraint } : {}) });
  let pa = layers.dense({ units: 4, name: 'pa' }).apply(a);
  if (extra.dropout) pa = layers.dropout({ rate: extra.dropout, name: 'drop' }).apply(pa);
  const ha = shared.apply(pa);
  const hb = shared.apply(layers.dense({ units: 4, name: 'pb' }).apply(b));
  const o1 = layers.dense({ units: 1, name: 'o1', ...(extra.activity ? { activityRegularizer: regularizers.l2(0.1) } : {}) }).apply(ha);
  const o2 = layers.dense({ units: 2, activation: 'softmax', name: 'o2' }).apply(hb);
  return model({ inputs: [a, b], outputs: [o1, o2], seed, name: 'two_by_two' });
}

const compileTwo = (m: Model): void =>
  m.compile({ optimizer: 'adam', loss: { o1: 'mse', o2: 'sparseCategoricalCrossentropy' }, lossWeights: { o1: 1, o2: 0.5 }, metrics: { o2: ['accuracy'] } });

const same = (a: readonly Tensor[], b: readonly Tensor[]): boolean => a.length === b.length && a.every((t, i) => t.data.every((v, j) => Object.is(v, b[i]!.data[j])));

test('a graph with two inputs, a shared layer and two outputs: layers in TF.js order, one set of shared weights', () => {
  const m = twoByTwo();
  assert.deepEqual(m.layers.map((l) => l.name), ['a', 'b', 'pa', 'pb', 'shared', 'o1', 'o2']);
  assert.deepEqual(m.inputNames, ['a', 'b']);
  assert.deepEqual(m.outputNames, ['o1', 'o2']);
  assert.deepEqual(m.weights.map((w) => w.name), ['pa/kernel', 'pa/bias', 'pb/kernel', 'pb/bias', 'shared/kernel', 'shared/bias', 'o1/kernel', 'o1/bias', 'o2/kernel', 'o2/bias']);
  assert.equal(m.countParams(), 20 + 16 + 25 + 6 + 12);
  assert.deepEqual(m.outputShapes, [[null, 1], [null, 2]]);
  const text = m.summary(() => {});
  assert.match(text, /Connected to/);
  assert.match(text, /shared \(Dense\) +\(None, 5\), \(None, 5\) +25 +pa\[0\]\[0\], pb\[0\]\[0\]/);
  assert.match(text, /o2 \(Dense\) +\(None, 2\) +12 +shared\[1\]\[0\]/);
  // The seed decides the initial weights; the same graph built twice with one seed is identical.
  assert.ok(same(twoByTwo(3).getWeights(), twoByTwo(3).getWeights()));
  assert.ok(!same(twoByTwo(3).getWeights(), twoByTwo(4).getWeights()));
});

test('per-output losses, lossWeights and metrics: Keras log names; loss = Σ weight · output loss + penalties', async () => {
  const m = twoByTwo(3, { activity: true });
  compileTwo(m);
  const h = await m.fit({ a: xa, b: xb }, [y1, y2], { epochs: 2, verbose: 0, validationSplit: 0.25, seed: 1 });
  assert.deepEqual(Object.keys(h.history), ['loss', 'o1_loss', 'o2_loss', 'o2_accuracy', 'val_loss', 'val_o1_loss', 'val_o2_loss', 'val_o2_accuracy']);
  const r = m.evaluate([xa, xb], { o1: y1, o2: y2 }, { batchSize: N });
  // One batch: the activity penalty is that of this batch; weights have no regularizer.
  const [p1] = m.predict([xa, xb]) as Tensor[];
  let act = 0;
  for (const v of p1!.data) act += 0.1 * v * v;
  act /= N;
  assert.ok(Math.abs(r['loss']! - (r['o1_loss']! + 0.5 * r['o2_loss']! + act)) < 1e-5, JSON.stringify(r));
  assert.equal(m.metricDirection('val_o2_accuracy'), 'max');
  assert.equal(m.metricDirection('val_o1_loss'), 'min');
  // A flat metrics list applies to every output (TF.js); a loss list goes in output order.
  const m2 = twoByTwo();
  m2.compile({ optimizer: 'sgd', loss: ['mse', 'categoricalCrossentropy'], metrics: ['mae'] });
  const y2hot = tensor(Array.from({ length: N * 2 }, (_, i) => (i % 2 === Math.floor(i / 2) % 2 ? 1 : 0)), [N, 2]);
  assert.deepEqual(Object.keys(m2.evaluate([xa, xb], [y1, y2hot])), ['loss', 'o1_loss', 'o2_loss', 'o1_mae', 'o2_mae']);
});

test('compile and data errors name outputs and inputs', () => {
  const m = twoByTwo();
  assert.throws(() => m.compile({ optimizer: 'sgd', loss: { o1: 'mse', o3: 'mse' } }), /loss names output 'o3', but the model's outputs are 'o1', 'o2'/);
  assert.throws(() => m.compile({ optimizer: 'sgd', loss: ['mse'] }), /loss is a list of 1, but the model has 2 outputs/);
  assert.throws(() => m.compile({ optimizer: 'sgd', loss: { o1: 'mse' } }), /loss has no entry for output 'o2'/);
  assert.throws(() => m.compile({ optimizer: 'sgd', loss: 'mse', lossWeights: [1, -1] }), /lossWeights for output 'o2' must be a finite number ≥ 0/);
  assert.throws(() => m.compile({ optimizer: 'sgd', loss: 'mse', lossWeight: [1, 1] } as never), /unknown option 'lossWeight'; valid options: .*\(did you mean 'lossWeights'\?\)/);
  m.compile({ optimizer: 'sgd', loss: 'mse' });
  assert.throws(() => m.evaluate(xa, [y1, y1]), /x is one tensor, but the model has 2 \('a', 'b'\)/);
  assert.throws(() => m.evaluate({ a: xa }, [y1, y1]), /x has no tensor for 'b'/);
  assert.throws(() => m.evaluate({ a: xa, b: xb, c: xb }, [y1, y1]), /x has key 'c', but the model's names are 'a', 'b'/);
  assert.throws(() => m.evaluate([xa, xb, xb], [y1, y1]), /x is a list of 3 tensors, but the model has 2/);
  assert.throws(() => m.evaluate([xb, xa], [y1, y1]), /x\.a has shape \[24,3\] but the model expects input shape \[null,4\]/);
  assert.throws(() => m.evaluate([xa, randomNormal([5, 3])], [y1, y1]), /input 'b' has 5 samples but 'a' has 24/);
});

test('graph errors: disconnected output, unused input, an input that is not an input, a cycle, shared-layer shapes', () => {
  const a = input({ shape: [4], name: 'ea' });
  const b = input({ shape: [4], name: 'eb' });
  const d = layers.dense({ units: 2, name: 'ed' });
  const ya = d.apply(a);
  assert.throws(() => model({ inputs: b, outputs: ya }), /the graph is disconnected: output 'ed' \(None, 2\) depends on input 'ea', which is not in inputs \('eb'\)/);
  assert.throws(() => model({ inputs: [a, b], outputs: ya }), /input 'eb' is not used by any output/);
  assert.throws(() => model({ inputs: ya, outputs: ya }), /inputs\[0\]|is the output of layer 'ed' \(None, 2\), not an input/);
  assert.throws(() => model({ inputs: a, outputs: [ya, 'x' as never] }), /outputs\[1\] must be a symbolic tensor/);
  assert.throws(() => model({ inputs: a } as never), /'outputs' is required/);
  assert.throws(() => model({ inputs: a, outputs: ya, seeds: 1 } as never), /unknown option 'seeds'/);
  // A layer with an inputShape refuses another shape at the call.
  assert.throws(() => layers.dense({ units: 1, inputShape: [3], name: 'fixed' }).apply(a), /fixed \(Dense\) expects input shape \[null,3\] \(its inputShape\) but was called on 'ea' \(None, 4\)/);
  // A shared layer with weights needs one input shape.
  const c = input({ shape: [3], name: 'ec' });
  const s = layers.dense({ units: 2, name: 'es' });
  const sa = s.apply(a);
  const sc = s.apply(c);
  assert.throws(() => model({ inputs: [a, c], outputs: [sa, sc] }), /shared layer 'es' \(Dense\) was called on \[null,3\] from 'ec' but its weights were made for \[null,4\]/);
  // A cycle can only come from a file: layer x needs y and y needs x.
  const cyc = {
    name: 'cyc',
    layers: [
      { name: 'in', class_name: 'InputLayer', config: { batch_input_shape: [null, 2], name: 'in' }, inbound_nodes: [] },
      { name: 'x', class_name: 'Dense', config: { units: 2, name: 'x' }, inbound_nodes: [[['y', 0, 0, {}]]] },
      { name: 'y', class_name: 'Dense', config: { units: 2, name: 'y' }, inbound_nodes: [[['x', 0, 0, {}]]] },
    ],
    input_layers: [['in', 0, 0]],
    output_layers: [['y', 0, 0]],
  };
  assert.throws(() => functionalFromConfig(cyc), /cannot be connected: 'x' \(needs y\[0\]\); 'y' \(needs x\[0\]\)/);
  const missing = { ...cyc, layers: [cyc.layers[0], { ...cyc.layers[1], inbound_nodes: [[['nope', 0, 0, {}]]] }] };
  assert.throws(() => functionalFromConfig(missing), /layer 'x' is connected to 'nope', which is not a layer of this model/);
});

test('a functional model round-trips through its config: same graph, same predictions', () => {
  const m = twoByTwo(5);
  const back = functionalFromConfig(JSON.parse(JSON.stringify(m.getConfig())));
  assert.deepEqual(back.layers.map((l) => `${l.name}:${l.className}`), m.layers.map((l) => `${l.name}:${l.className}`));
  back.setWeights(m.getWeights());
  assert.ok(same(back.predict([xa, xb]) as Tensor[], m.predict([xa, xb]) as Tensor[]));
});

test('a shared layer is constrained once per step; activity penalties count once per call', () => {
  let calls = 0;
  const constraint = new FunctionConstraint((w) => {
    calls++;
    return w;
  });
  const m = twoByTwo(3, { constraint });
  m.compile({ optimizer: 'sgd', loss: ['mse', 'sparseCategoricalCrossentropy'] });
  m.trainOnBatch([xa, xb], [y1, y2]);
  assert.equal(calls, 1);
  // A shared layer with an activity regularizer adds one penalty per call in the forward pass.
  const a = input({ shape: [4] });
  const s = layers.dense({ units: 3, activityRegularizer: regularizers.l1(0.5), kernelInitializer: 'ones' });
  const shared = model({ inputs: a, outputs: s.apply(s.apply(layers.dense({ units: 3, kernelInitializer: 'ones' }).apply(a))) });
  shared.forward([randomNormal([2, 4])], false);
  assert.equal(shared.losses.length, 2);
});

test('dropout inside a branch: the same seed gives the same run; fit 4 ≡ fit 2 + fit 2 from epoch 2', async () => {
  const run = async (split: boolean): Promise<Tensor[]> => {
    const m = twoByTwo(7, { dropout: 0.3 });
    compileTwo(m);
    if (split) {
      await m.fit([xa, xb], [y1, y2], { epochs: 2, batchSize: 8, verbose: 0, seed: 11 });
      await m.fit([xa, xb], [y1, y2], { epochs: 4, initialEpoch: 2, batchSize: 8, verbose: 0, seed: 11 });
    } else await m.fit([xa, xb], [y1, y2], { epochs: 4, batchSize: 8, verbose: 0, seed: 11 });
    return m.getWeights();
  };
  const full = await run(false);
  assert.ok(same(full, await run(false)), 'same seed, same weights');
  assert.ok(same(full, await run(true)), 'resumed run equals the full run');
});

test('EarlyStopping monitors a per-output validation metric and restores the best weights', async () => {
  const m = twoByTwo(3);
  compileTwo(m);
  const es = callbacks.earlyStopping({ monitor: 'val_o1_loss', patience: 1, restoreBestWeights: true });
  const h = await m.fit([xa, xb], [y1, y2], { epochs: 30, verbose: 0, validationData: [[xa, xb], [y1, y2]], callbacks: [es], seed: 2 });
  const best = Math.min(...h.history['val_o1_loss']!.map(Number)); // spread-ok: one value per epoch
  const now = m.evaluate([xa, xb], [y1, y2])['o1_loss']!;
  assert.ok(Math.abs(now - best) < 1e-5, `restored ${now} vs best ${best}`);
});

test('models as layers: a Sequential and a Model called inside a model; input() starts a Sequential', () => {
  const a = input({ shape: [4], name: 'na' });
  const seq = new Sequential([layers.dense({ units: 3, inputShape: [4], name: 'n1' }), layers.dense({ units: 2, name: 'n2' })], { seed: 1 });
  const outer = model({ inputs: a, outputs: layers.dense({ units: 1, name: 'n3' }).apply(seq.apply(a)), seed: 2 });
  assert.deepEqual(outer.layers.map((l) => l.name), ['na', seq.name, 'n3']);
  assert.equal(outer.weights.length, 6);
  const direct = outer.getLayer('n3').apply(seq.predict(xa), { training: false });
  assert.ok(same([outer.predict(xa) as Tensor], [direct as Tensor]));
  // A functional model called on a new input shares its weights.
  const b = input({ shape: [4] });
  const twice = model({ inputs: b, outputs: outer.apply(b) });
  assert.ok(same([twice.predict(xa) as Tensor], [outer.predict(xa) as Tensor]));
  assert.equal(twice.weights.length, 6);
  const s2 = new Sequential([input({ shape: [4], name: 'si' }), layers.dense({ units: 2 })]);
  assert.deepEqual(s2.inputShape, [null, 4]);
  assert.equal(s2.layers[0]!.className, 'InputLayer');
  assert.ok(input({ shape: [2] }) instanceof SymbolicTensor);
  assert.throws(() => new Sequential([layers.dense({ units: 2, inputShape: [4] }), input({ shape: [2] })]), /a symbolic tensor can only start a Sequential/);
});

test('a frozen nested model: no trainable weights, its weight penalties leave the loss, its weights stay put', () => {
  const inner = new Sequential([layers.dense({ units: 3, inputShape: [4], kernelRegularizer: regularizers.l2(1), name: 'fz1' })], { seed: 1 });
  const a = input({ shape: [4] });
  const outer = model({ inputs: a, outputs: layers.dense({ units: 1, name: 'fz2' }).apply(inner.apply(a)) });
  assert.equal(outer.losses.length, 1);
  inner.trainable = false;
  assert.deepEqual(outer.trainableWeights.map((w) => w.name), ['fz2/kernel', 'fz2/bias']);
  assert.deepEqual(outer.nonTrainableWeights.map((w) => w.name), ['fz1/kernel', 'fz1/bias']);
  assert.equal(outer.losses.length, 0);
  const before = inner.getWeights();
  outer.compile({ optimizer: 'sgd', loss: 'mse' });
  outer.trainOnBatch(xa, y1);
  assert.ok(same(before, inner.getWeights()));
});

test('a frozen nested model stays frozen through its config', () => {
  const inner = new Sequential([layers.dense({ units: 3, inputShape: [4], name: 'fc1' })], { seed: 1 });
  const a = input({ shape: [4] });
  const outer = model({ inputs: a, outputs: layers.dense({ units: 1, name: 'fc2' }).apply(inner.apply(a)) });
  inner.trainable = false;
  const back = functionalFromConfig(JSON.parse(JSON.stringify(outer.getConfig())));
  assert.deepEqual(back.trainableWeights.map((w) => w.name), ['fc2/kernel', 'fc2/bias']);
  assert.equal((back.getLayer(inner.name) as Model).trainable, false);
});
