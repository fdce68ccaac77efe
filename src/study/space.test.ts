import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeParams, gridSize, gridValues, paramName, SpaceError, spaceFromJson, spaceFromSpecs, valueAt } from './space.js';

test('spaceFromSpecs parses each distribution kind', () => {
  const s = spaceFromSpecs(['l2=loguniform:1e-6:1e-2', 'dropout=uniform:0:0.5', 'optimizer=choice:adam,sgd', 'hidden=int:8:64', 'maxNorm=choice:0,1,3']);
  assert.deepEqual(s.map((p) => p.dist.type), ['loguniform', 'uniform', 'choice', 'int', 'choice']);
  assert.deepEqual(s[2]!.dist, { type: 'choice', values: ['adam', 'sgd'] });
  assert.deepEqual(s[4]!.dist, { type: 'choice', values: [0, 1, 3] });
});

test('spaceFromJson takes strings and objects', () => {
  const s = spaceFromJson({ l2: 'loguniform:1e-6:1e-2', dropout: { type: 'uniform', low: 0, high: 0.5 }, optimizer: { type: 'choice', values: ['adam', 'sgd'] } });
  assert.equal(s.length, 3);
  assert.deepEqual(s[1]!.dist, { type: 'uniform', low: 0, high: 0.5 });
});

test('bad spaces fail with one clear message', () => {
  const bad: [string[], RegExp][] = [
    [[], /search space is empty/],
    [['l2=uniform:0.1:0.01'], /inverted \(low 0.1 must be < high 0.01\)/],
    [['l2=loguniform:0:0.01'], /log-uniform range must stay above 0/],
    [['l3=uniform:0:1'], /unknown parameter 'l3' \(did you mean 'l1'\?\)/],
    [['dropuot=uniform:0:0.5'], /did you mean 'dropout'/],
    [['dropout=uniform:0:1.5'], /1.5 is not a dropout rate in \[0, 1\)/],
    [['optimizer=choice:adam,nadam'], /"nadam" is not an optimizer/],
    [['hidden=uniform:8:64'], /takes integers/],
    [['l2=gauss:0:1'], /unknown distribution "gauss"/],
    [['l2=uniform:0:1', 'l2=uniform:0:2'], /given twice/],
    [['l2'], /expected name=dist/],
  ];
  for (const [specs, re] of bad) assert.throws(() => spaceFromSpecs(specs), (e: Error) => e instanceof SpaceError && re.test(e.message) && !e.message.includes('\n'), specs.join(' '));
  assert.throws(() => spaceFromJson([]), SpaceError);
  assert.throws(() => spaceFromJson({}), /empty/);
});

test('aliases name the canonical parameter', () => {
  assert.equal(paramName('gaussian-noise'), 'gaussianNoise');
  assert.equal(paramName('learning_rate'), 'lr');
});

test('valueAt is the inverse CDF; grid values cover the ends', () => {
  assert.equal(valueAt({ type: 'int', low: 8, high: 10 }, 0.999), 10);
  assert.equal(valueAt({ type: 'int', low: 8, high: 10 }, 0), 8);
  assert.ok(Math.abs((valueAt({ type: 'loguniform', low: 1e-4, high: 1e-2 }, 0.5) as number) - 1e-3) < 1e-12);
  assert.deepEqual(gridValues({ type: 'loguniform', low: 1e-4, high: 1e-2 }, 3), [1e-4, 1e-3, 1e-2]);
  assert.deepEqual(gridValues({ type: 'int', low: 1, high: 3 }, 5), [1, 2, 3]);
  assert.deepEqual(gridValues({ type: 'uniform', low: 0, high: 0.5 }, 3), [0, 0.25, 0.5]);
  assert.equal(gridSize(spaceFromSpecs(['l2=loguniform:1e-4:1e-2', 'optimizer=choice:adam,sgd']), 3), 6);
  assert.equal(describeParams({ l2: 0.000123456, optimizer: 'adam' }), 'l2=0.000123 optimizer=adam');
});
