import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Tensor } from '../tensor/tensor.js';
import { checkManifest, checkModelJson, checkTopology, ModelFormatError, parseJsonText } from './keras-format.js';
import { decodeWeights, encodeWeights, shardNames, specsByteLength, splitShards, concatBytes } from './weights.js';
import { decodeState, encodeState } from './training-state.js';

const f32 = (shape: number[], values: number[]) => new Tensor(shape, 'float32', Float32Array.from(values));

test('encode → decode round trip keeps names, shapes, dtypes and exact bits', () => {
  const a = f32([2, 3], [1, -2.5, 3.25, 1e-30, -0, Math.fround(Math.PI)]);
  const b = new Tensor([4], 'int32', Int32Array.from([7, -8, 2 ** 31 - 1, -(2 ** 31)]));
  const c = f32([0, 5], []);
  const { specs, data } = encodeWeights([
    { name: 'dense/kernel', tensor: a },
    { name: 'counts', tensor: b },
    { name: 'empty', tensor: c },
  ]);
  assert.equal(data.length, 6 * 4 + 4 * 4);
  assert.deepEqual(specs, [
    { name: 'dense/kernel', shape: [2, 3], dtype: 'float32' },
    { name: 'counts', shape: [4], dtype: 'int32' },
    { name: 'empty', shape: [0, 5], dtype: 'float32' },
  ]);
  // Little-endian float32 1.0 = 00 00 80 3f, as TF.js writes it.
  assert.deepEqual([...data.subarray(0, 4)], [0, 0, 0x80, 0x3f]);
  const back = decodeWeights(specs, data, 'test');
  assert.deepEqual([...back.get('dense/kernel')!.data], [...a.data]);
  assert.ok(Object.is(back.get('dense/kernel')!.data[4], -0));
  assert.deepEqual([...back.get('counts')!.data], [7, -8, 2 ** 31 - 1, -(2 ** 31)]);
  assert.equal(back.get('counts')!.dtype, 'int32');
  assert.deepEqual(back.get('empty')!.shape, [0, 5]);
});

test('float64 variables are rounded to float32 when encoded', () => {
  const t = new Tensor([2], 'float32', Float64Array.from([0.1, 1 / 3]));
  const { data } = encodeWeights([{ name: 'w', tensor: t }]);
  const back = decodeWeights([{ name: 'w', shape: [2], dtype: 'float32' }], data, 'x').get('w')!;
  assert.deepEqual([...back.data], [Math.fround(0.1), Math.fround(1 / 3)]);
});

test('duplicate weight names are refused at save time', () => {
  assert.throws(() => encodeWeights([{ name: 'w', tensor: f32([1], [1]) }, { name: 'w', tensor: f32([1], [2]) }]), /two weights are named 'w'/);
});

test('shards: 4 MiB pieces named like the TF.js converter, concatenation restores the stream', () => {
  const data = new Uint8Array(10 * 1024 * 1024 + 8);
  for (let i = 0; i < data.length; i++) data[i] = i % 251;
  const shards = splitShards(data);
  assert.deepEqual(shards.map((s) => s.length), [4194304, 4194304, 2097160]);
  assert.deepEqual(shardNames(3), ['group1-shard1of3.bin', 'group1-shard2of3.bin', 'group1-shard3of3.bin']);
  const joined = concatBytes(shards);
  assert.equal(joined.length, data.length);
  assert.equal(joined[5 * 1024 * 1024 + 3], (5 * 1024 * 1024 + 3) % 251);
  assert.deepEqual(splitShards(new Uint8Array(0)).map((s) => s.length), [0]);
  assert.deepEqual(splitShards(new Uint8Array(12), 8).map((s) => s.length), [8, 4]);
});

test('decode rejects byte counts that differ from the manifest, before allocating', () => {
  const specs = [{ name: 'w', shape: [2, 2], dtype: 'float32' as const }];
  assert.throws(() => decodeWeights(specs, new Uint8Array(12), 'm.bin'), (e: Error) => e instanceof ModelFormatError && /12 bytes, shorter than the 16 bytes/.test(e.message) && e.message.startsWith('m.bin: '));
  assert.throws(() => decodeWeights(specs, new Uint8Array(20), 'm.bin'), /20 bytes, longer than the 16 bytes/);
});

test('huge shapes are rejected without multiplying out or allocating', () => {
  assert.throws(() => specsByteLength([{ name: 'big', shape: [1e9, 1e9], dtype: 'float32' }], 'model.json'), /weight 'big' shape \[1000000000, 1000000000\] is too large/);
  assert.throws(() => specsByteLength([{ name: 'a', shape: [100], dtype: 'float32' }, { name: 'b', shape: [100], dtype: 'int32' }], 'model.json', 600), /more than 600 bytes in total/);
  assert.equal(specsByteLength([{ name: 'a', shape: [3, 0, 7], dtype: 'float32' }], 'x'), 0);
});

test('manifest structure checks name the file, the entry and the value', () => {
  const bad = (m: unknown, re: RegExp) => assert.throws(() => checkManifest(m, 'model.json'), (e: Error) => e instanceof ModelFormatError && re.test(e.message) && e.message.startsWith('model.json: '));
  bad({}, /weightsManifest must be an array/);
  bad([{ paths: 'a.bin', weights: [] }], /weightsManifest\[0\]\.paths must be an array of strings/);
  bad([{ paths: ['a'], weights: [{ name: 'w', shape: [-1, 2], dtype: 'float32' }] }], /weights\[0\] \('w'\)\.shape\[0\] must be a non-negative integer, got -1/);
  bad([{ paths: ['a'], weights: [{ name: 'w', shape: [1.5], dtype: 'float32' }] }], /shape\[0\] must be a non-negative integer, got 1\.5/);
  bad([{ paths: ['a'], weights: [{ name: 'w', shape: [1e300], dtype: 'float32' }] }], /shape\[0\] must be a non-negative integer/);
  bad([{ paths: ['a'], weights: [{ name: 'w', shape: ['3'], dtype: 'float32' }] }], /shape\[0\] must be a non-negative integer, got "3"/);
  bad([{ paths: ['a'], weights: [{ name: 'w', shape: [2], dtype: 'string' }] }], /dtype must be 'float32' or 'int32', got "string"/);
  bad([{ paths: ['a'], weights: [{ name: 'w', shape: [2], dtype: 'float32', quantization: { dtype: 'uint8' } }] }], /quantized/);
  bad([{ paths: ['a'], weights: [{ name: 'w', shape: [2], dtype: 'float32' }, { name: 'w', shape: [2], dtype: 'float32' }] }], /'w' appears twice/);
  const ok = checkManifest([{ paths: ['./group1-shard1of1.bin'], weights: [{ name: 'd/kernel', shape: [2, 3], dtype: 'float32' }] }], 'model.json');
  assert.deepEqual(ok, [{ paths: ['./group1-shard1of1.bin'], weights: [{ name: 'd/kernel', shape: [2, 3], dtype: 'float32' }] }]);
});

test('JSON text: truncated, empty and non-JSON files give a clear error naming the file', () => {
  assert.throws(() => parseJsonText('{"modelTopology": {"class_na', 'dir/model.json'), /: dir\/model.json: not valid JSON \(truncated or corrupt\?\)/);
  assert.throws(() => parseJsonText('', 'dir/model.json'), /dir\/model.json: the file is empty/);
  assert.throws(() => parseJsonText('<html>', 'dir/model.json'), /dir\/model.json: not valid JSON/);
  assert.throws(() => checkModelJson([1, 2], 'model.json', true), /expected a JSON object at top level/);
  assert.throws(() => checkModelJson({ format: 'graph-model', modelTopology: {} }, 'model.json', true), /TF.js graph model/);
  assert.throws(() => checkModelJson({ weightsManifest: [] }, 'model.json', true), /modelTopology is missing/);
});

test('topology checks: Sequential (old list form too) and functional topologies, malformed ones named by path', () => {
  assert.throws(() => checkTopology({ class_name: 'Model', config: { layers: [] } }, 'model.json'), /model.json: modelTopology\.config\.layers must be a non-empty array/);
  assert.throws(() => checkTopology({ class_name: 'Functional', config: {} }, 'model.json'), /modelTopology\.config\.layers must be a non-empty array/);
  assert.throws(() => checkTopology({ class_name: 'LayersModel', config: {} }, 'model.json'), /class_name must be 'Sequential', 'Model' or 'Functional', got "LayersModel"/);
  assert.throws(() => checkTopology({ class_name: 'Sequential', config: { layers: [{ config: {} }] } }, 'model.json'), /layers\[0\]\.class_name must be a string/);
  const t = checkTopology({ class_name: 'Sequential', config: [{ class_name: 'Dense', config: { units: 2 } }] }, 'model.json');
  assert.equal(t.class_name, 'Sequential');
  assert.deepEqual(t.config.layers, [{ class_name: 'Dense', config: { units: 2 } }]);
  const k = checkTopology({ model_config: { class_name: 'Sequential', config: { name: 's', layers: [] } }, keras_version: '2.4' }, 'model.json');
  assert.equal(k.config.name, 's');
  assert.equal(k.keras_version, '2.4');

  const input = { name: 'x', class_name: 'InputLayer', config: { batch_input_shape: [null, 2], name: 'x' }, inbound_nodes: [] };
  const dense = { name: 'd', class_name: 'Dense', config: { units: 1, name: 'd' }, inbound_nodes: [[['x', 0, 0, {}]]] };
  const ok = { class_name: 'Model', config: { name: 'f', layers: [input, dense], input_layers: [['x', 0, 0]], output_layers: [['d', 0, 0]] } };
  const f = checkTopology(ok, 'model.json');
  assert.equal(f.class_name, 'Model');
  assert.deepEqual(checkTopology(f, 'model.json'), f, 'checking a checked topology changes nothing');
  // Keras 2 writes the name beside the config only; Keras 3 a bare single reference.
  const k3 = checkTopology({ class_name: 'Functional', config: { name: 'f', layers: [input, { ...dense, config: { units: 1 } }], input_layers: ['x', 0, 0], output_layers: ['d', 0, 0] } }, 'model.json');
  assert.equal(k3.config.layers[1]!.config['name'], 'd');
  assert.deepEqual(k3.config.input_layers, [['x', 0, 0]]);
  const bad = (mutate: (c: { layers: Record<string, unknown>[]; input_layers: unknown; output_layers: unknown }) => void, re: RegExp): void => {
    const c = JSON.parse(JSON.stringify(ok.config));
    mutate(c);
    assert.throws(() => checkTopology({ class_name: 'Model', config: c }, 'model.json'), (e: Error) => e.name === 'ModelFormatError' && re.test(e.message), re.source);
  };
  bad((c) => void (c.layers[1]!['inbound_nodes'] = [[['nope', 0, 0, {}]]]), /model.json: modelTopology\.config\.layers\[1\]\.inbound_nodes\[0\]\[0\] refers to layer 'nope', which is not a layer of this model/);
  bad((c) => void (c.layers[1]!['inbound_nodes'] = [[['x', -1, 0, {}]]]), /inbound_nodes\[0\]\[0\]\[1\] \(node index\) must be an integer ≥ 0, got -1/);
  bad((c) => void (c.layers[1]!['inbound_nodes'] = [[]]), /inbound_nodes\[0\] must list at least one input/);
  bad((c) => void (c.layers[1]!['inbound_nodes'] = 'x'), /layers\[1\]\.inbound_nodes must be an array, got "x"/);
  bad((c) => void (c.layers[1]!['config'] = { units: 1, name: 'x' }), /layers\[1\]: two layers are named 'x' \(layers\[0\] and layers\[1\]\)/);
  bad((c) => void (c.layers[0]!['inbound_nodes'] = [[['d', 0, 0, {}]]]), /layers\[0\] \('x'\) is an InputLayer but has inbound_nodes/);
  bad((c) => void delete (c as Record<string, unknown>)['input_layers'], /modelTopology\.config\.input_layers must be a non-empty list/);
  bad((c) => void (c.input_layers = [['d', 0, 0]]), /input_layers\[0\] names layer 'd', a Dense; model inputs must be InputLayers/);
  bad((c) => void (c.output_layers = [['d', 0]]), /output_layers\[0\] must be \[layer name, node index, tensor index\]/);
  bad((c) => void (c.output_layers = [['e', 0, 0]]), /output_layers\[0\] refers to layer 'e'/);
});

test('training state: tensors, typed arrays and non-finite numbers survive; reserved keys and classes refused', () => {
  const state = {
    epoch: 5,
    best: Infinity,
    worst: -Infinity,
    nan: NaN,
    lr: 0.001,
    name: 'adam',
    flags: [true, null],
    slots: { m: f32([2], [0.5, -1]), iters: new Int32Array([3, 4]) },
    perm: new Float32Array([1.5]),
  };
  const { json, tensors } = encodeState(state);
  const text = JSON.stringify(json);
  assert.ok(text.includes('{"$number":"Infinity"}'));
  const { specs, data } = encodeWeights(tensors);
  const back = decodeState(JSON.parse(text), decodeWeights(specs, data, 'ts'), 'ts') as Record<string, unknown>;
  assert.equal(back['epoch'], 5);
  assert.equal(back['best'], Infinity);
  assert.equal(back['worst'], -Infinity);
  assert.ok(Number.isNaN(back['nan']));
  assert.deepEqual(back['flags'], [true, null]);
  const slots = back['slots'] as Record<string, unknown>;
  assert.deepEqual([...(slots['m'] as Tensor).data], [0.5, -1]);
  assert.ok(slots['iters'] instanceof Int32Array);
  assert.deepEqual([...(slots['iters'] as Int32Array)], [3, 4]);
  assert.ok(back['perm'] instanceof Float32Array);
  assert.throws(() => encodeState({ $x: 1 }), /key '\$x' at state starts with '\$'/);
  assert.throws(() => encodeState({ f: new Map() as never }), /cannot save a Map at state\.f/);
  assert.throws(() => decodeState({ a: { $tensor: 'nope' } }, new Map(), 'ts.json'), /ts.json: state\.a: refers to tensor 'nope'/);
  assert.throws(() => decodeState({ a: { $eval: 'x' } }, new Map(), 'ts.json'), /unknown tag '\$eval'/);
  assert.throws(() => decodeState({ a: { $number: '1e3' } }, new Map(), 'ts.json'), /\$number must be/);
});

test('training state: a "__proto__" key in untrusted JSON stays data, never a prototype', () => {
  const back = decodeState(JSON.parse('{"a": {"__proto__": {"polluted": true}, "b": 1}}'), new Map(), 'ts.json') as Record<string, Record<string, unknown>>;
  assert.equal(Object.getPrototypeOf(back['a']), Object.prototype);
  assert.equal((back['a'] as { polluted?: boolean }).polluted, undefined);
  assert.deepEqual(Object.keys(back['a']!), ['__proto__', 'b']);
  assert.equal(({} as { polluted?: boolean }).polluted, undefined);
});
