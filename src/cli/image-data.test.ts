import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Tensor } from '../tensor/tensor.js';
import { defaultSampleShape, inputMismatch, startsWithImageLayer, viewRows } from './image-data.js';

const cls = (...names: string[]) => names.map((class_name) => ({ class_name, config: {} }));

test('a spec takes images when its first shape-deciding layer is an image layer', () => {
  assert.equal(startsWithImageLayer(cls('Conv2D', 'Flatten', 'Dense')), true);
  assert.equal(startsWithImageLayer(cls('Rescaling', 'Dropout', 'RandomFlip', 'Conv2D')), true);
  assert.equal(startsWithImageLayer(cls('MaxPool2D', 'Flatten')), true);
  assert.equal(startsWithImageLayer(cls('Dense', 'Reshape', 'Conv2D')), false);
  assert.equal(startsWithImageLayer(cls('Flatten', 'Dense')), false);
  assert.deepEqual(defaultSampleShape(cls('Conv2D'), 784, [28, 28, 1], 'x'), [28, 28, 1]);
  assert.deepEqual(defaultSampleShape(cls('Dense'), 784, [28, 28, 1], 'x'), [784]);
  assert.throws(() => defaultSampleShape(cls('Conv2D'), 13, null, '--model m.json'), {
    message: /^--model m\.json: the model starts with an image layer, .* but the data are 13 plain features: declare the input shape .*h·w·c = 13/,
  });
});

test('inputMismatch: flat width, image shapes holding the features, the image shape itself when known', () => {
  assert.equal(inputMismatch([64], 64, [8, 8, 1]), null);
  assert.equal(inputMismatch([8, 8, 1], 64, [8, 8, 1]), null);
  assert.equal(inputMismatch([8, 8], 64, [8, 8, 1]), null);
  assert.equal(inputMismatch([8, 8, 1], 64, null), null);
  assert.equal(inputMismatch([13], 64, null), 'the model takes 13 inputs but the data have 64 features');
  assert.equal(inputMismatch([28, 28, 1], 64, [8, 8, 1]), 'the model takes inputs of shape [28,28,1] (784 values) but the data have images of shape [8,8,1] (64 values)');
  assert.equal(inputMismatch([4, 16, 1], 64, [8, 8, 1]), 'the model takes inputs of shape [4,16,1] (64 values) but the data have images of shape [8,8,1] (64 values)');
  assert.equal(inputMismatch([null, null, 1], 64, null), 'the model takes inputs of shape [,,1] but the data have 64 features');
});

test('viewRows shares the data: [rows, features] seen as [rows, h, w, c]; flat shapes unchanged', () => {
  const x = new Tensor([2, 4], 'float32', Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]));
  const v = viewRows(x, [2, 2, 1]);
  assert.deepEqual([...v.shape], [2, 2, 2, 1]);
  assert.equal(v.data, x.data);
  assert.equal(viewRows(x, [4]), x);
  assert.equal(viewRows(x, null), x);
});
