/**
 * Declarative option specs (src/config/options.ts): unknown keys with a
 * did-you-mean naming the layer, value rules, Keras-1 aliases, and the
 * config written in table order and read back.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bool, int, oneOf, parseOptions, req, toConfig, argsFromConfig, type ArgsOf } from './options.js';
import { editDistance, nearest } from './resolve.js';
import { Dense } from '../layers/dense.js';
import { Conv1D } from '../layers/conv1d.js';
import { Dropout } from '../layers/dropout.js';
import { BatchNormalization } from '../layers/batch-normalization.js';

test('unknown option: the layer, the key and the nearest valid key (dense and others)', () => {
  assert.throws(() => new Dense({ units: 2, kernelRegulariser: 'l2' } as never), { message: "Dense: unknown option 'kernelRegulariser' (did you mean 'kernelRegularizer'?)" });
  assert.throws(() => new Conv1D({ filters: 2, kernelSize: 3, dilation_rate: 2 } as never), { message: "Conv1D: unknown option 'dilation_rate' (did you mean 'dilationRate'?)" });
  assert.throws(() => new Dropout({ rate: 0.5, noiseSahpe: [1] } as never), { message: "Dropout: unknown option 'noiseSahpe' (did you mean 'noiseShape'?)" });
  assert.throws(() => new BatchNormalization({ momentun: 0.9 } as never), { message: "BatchNormalization: unknown option 'momentun' (did you mean 'momentum'?)" });
  // Nothing close: the known options are listed instead.
  assert.throws(() => new Dropout({ rate: 0.5, zzzzzzzz: 1 } as never), /Dropout: unknown option 'zzzzzzzz'; known options: name, trainable, .*rate, noiseShape, seed/);
});

test('value rules name the argument, the rule and the value; Keras-1 aliases', () => {
  const SPEC = { units: req(int()), useBias: bool(true), padding: { ...oneOf(['valid', 'same'] as const, 'valid'), alias: 'border_mode' } };
  const args: ArgsOf<typeof SPEC> = { units: 3 };
  assert.deepEqual(parseOptions('t', SPEC, args), { units: 3, useBias: true, padding: 'valid' });
  assert.deepEqual(parseOptions('t', SPEC, { units: 3, border_mode: 'same' }), { units: 3, useBias: true, padding: 'same' });
  assert.throws(() => parseOptions('t', SPEC, { units: 0 }), { message: 't: units must be a positive integer, got 0' });
  assert.throws(() => parseOptions('t', SPEC, {}), { message: "t: the 'units' option is required" });
  assert.throws(() => parseOptions('t', SPEC, { units: 1, useBias: 1 }), { message: 't: useBias must be true or false, got 1' });
  assert.throws(() => parseOptions('t', SPEC, { units: 1, padding: 'full' }), { message: `t: padding must be one of 'valid', 'same', got "full"` });
  assert.throws(() => parseOptions('t', SPEC, { units: 1, padding: 'same', border_mode: 'same' }), /both 'border_mode' and 'padding' given/);
  assert.throws(() => new Dense({ units: 2, W_regularizer: 'l1', kernelRegularizer: 'l2' } as never), /Dense: both 'W_regularizer' and 'kernelRegularizer' given/);
  assert.equal(new Dense({ units: 2, W_regularizer: 'l1' }).w.kernelRegularizer!.getConfig().class_name, 'L1L2');
});

test('config: snake_case keys in table order, read back to the same options', () => {
  const SPEC = { units: req(int()), useBias: bool(true), kernelSize: int({ array: 'write', default: 3 }) };
  const parsed = parseOptions('t', SPEC, { units: 4, kernelSize: [5] });
  const cfg = toConfig(SPEC, parsed);
  assert.deepEqual(Object.keys(cfg), ['units', 'use_bias', 'kernel_size']);
  assert.deepEqual(cfg, { units: 4, use_bias: true, kernel_size: [5] });
  const back: Record<string, unknown> = {};
  assert.deepEqual([...argsFromConfig(SPEC, cfg, back)], ['units', 'use_bias', 'kernel_size']);
  assert.deepEqual(parseOptions('t', SPEC, back), parsed);
});

test('edit distance and nearest name', () => {
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(nearest('kernel_regulariser', ['kernelRegularizer', 'biasRegularizer']), 'kernelRegularizer');
  assert.equal(nearest('xyz', ['units', 'activation']), undefined);
});
