/**
 * The one name resolver (src/config/resolve.ts) serves every lookup: names
 * meet case- and underscore-insensitively, and an unknown name gets one error
 * shape listing the valid names (plus a did-you-mean when one is close).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nameTable, resolve } from './resolve.js';
import { getActivation } from '../activations.js';
import { getInitializer } from '../initializers.js';
import { getRegularizer, regularizerFromConfig } from '../regularizers.js';
import { getConstraint, constraintFromConfig } from '../constraints.js';
import { getLoss } from '../losses.js';
import { getMetric } from '../metrics.js';
import { getOptimizer } from '../optimizers/index.js';
import { layerFromConfig } from '../layers/registry.js';

test('one rule: case and underscores are ignored', () => {
  const t = nameTable('op', 'thing', { maxNorm: 1, nonNeg: 2 }, { aliases: { maxnorm_alias: 'maxNorm' } });
  for (const n of ['maxNorm', 'max_norm', 'MaxNorm', 'MAXNORM', 'maxnorm_alias']) assert.equal(resolve(t, n), 1);
  assert.throws(() => resolve(t, 'maxNrom'), { message: "op: unknown thing 'maxNrom'; known: maxNorm, nonNeg (did you mean 'maxNorm'?)" });
});

test('every lookup kind: unknown names list the valid ones (one error shape)', () => {
  const cases: [() => unknown, RegExp][] = [
    [() => getActivation('rleu'), /^activation: unknown activation 'rleu'; known: linear, relu, .* \(did you mean 'relu'\?\)$/],
    [() => getInitializer('glorotUnifrom'), /^getInitializer: unknown initializer 'glorotUnifrom'; known: zeros, ones, .*glorotUniform.* \(did you mean 'GlorotUniform'\?\)$/],
    [() => layerFromConfig({ class_name: 'Dence', config: {} }), /^layerFromConfig: unknown layer class 'Dence'; known: Activation, .*Dense.* \(did you mean 'Dense'\?\)$/],
    [() => getOptimizer('adamm'), /^getOptimizer: unknown optimizer 'adamm'; known: sgd, adam, adamw, rmsprop, adagrad \(did you mean 'adam'\?\)$/],
    [() => getMetric('accuracyy'), /^getMetric: unknown metric 'accuracyy'; known: accuracy \(acc\), .* \(did you mean 'accuracy'\?\)$/],
    [() => getLoss('mse2'), /^getLoss: unknown loss 'mse2'; known: meanSquaredError \(mse\), .* \(did you mean 'mse'\?\)$/],
    [() => getRegularizer('l3' as never), /^regularizer: unknown name 'l3'; known: l1, l2, l1l2, orthogonal \(did you mean 'l1'\?\)$/],
    [() => regularizerFromConfig({ class_name: 'NoSuch', config: {} }), /^regularizer: unknown class_name 'NoSuch'; known: L1L2, L1, L2, OrthogonalRegularizer/],
    [() => getConstraint('maxNrom' as never), /^constraint: unknown name 'maxNrom'; known: maxNorm, nonNeg, unitNorm, minMaxNorm \(did you mean 'maxNorm'\?\)$/],
    [() => constraintFromConfig({ class_name: 'MaxNrom', config: {} }), /^constraint: unknown class_name 'MaxNrom'; known: MaxNorm, NonNeg, UnitNorm, MinMaxNorm .*\(did you mean 'MaxNorm'\?\)$/],
  ];
  for (const [f, re] of cases) assert.throws(f, (e: Error) => re.test(e.message) || assert.fail(`${e.message} !~ ${re}`));
});

test('every lookup kind: spellings meet', () => {
  assert.equal(getActivation('LEAKY_RELU').name, 'leaky_relu');
  assert.equal(getInitializer('he_normal').getConfig().class_name, 'HeNormal');
  assert.equal(layerFromConfig({ class_name: 'Dense', config: { units: 1 } }).className, 'Dense');
  assert.equal(getOptimizer('RMS_prop').constructor.name, 'RMSprop');
  assert.equal(getLoss('Mean_Squared_Error').constructor.name, 'MeanSquaredError');
  assert.equal(getRegularizer('L1_L2')!.getConfig().class_name, 'L1L2');
  assert.equal(getConstraint('MAX_NORM' as never)!.getConfig().class_name, 'MaxNorm');
});
