import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../random.js';
import { encodeValue, fanovaImportance, type ImportanceTrial } from './importance.js';
import { spaceFromSpecs, valueAt, type Params, type Space } from './space.js';

/** n complete trials drawn uniformly (each parameter in its sampling scale) with value f(params). */
function study(space: Space, n: number, f: (p: Params, rng: Rng) => number, seed = 7): ImportanceTrial[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => {
    const params: Record<string, number | string> = {};
    for (const p of space) params[p.name] = valueAt(p.dist, rng.uniform());
    return { state: 'complete', params, value: f(params, rng) };
  });
}

const close = (a: number, b: number, tol: number, what: string): void => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b} (± ${tol})`);

test('one dominant parameter: importance ≈ 1; an irrelevant one ≈ 0', () => {
  const space = spaceFromSpecs(['dropout=uniform:0:0.5', 'l2=loguniform:1e-6:1e-2']);
  // The objective depends on dropout only (non-monotonic, plus a little noise); l2 does nothing.
  const trials = study(space, 120, (p, rng) => Math.sin(6 * (p['dropout'] as number)) + 0.01 * rng.normal());
  const r = fanovaImportance(space, trials, { seed: 1 });
  assert.equal(r.trials, 120);
  assert.equal(r.trees, 64);
  const [dropout, l2] = r.params;
  assert.equal(dropout!.name, 'dropout');
  assert.ok(dropout!.importance > 0.95, `dropout ${dropout!.importance}`);
  assert.ok(l2!.importance < 0.02, `l2 ${l2!.importance}`);
  assert.ok(r.interactions < 0.05, `interactions ${r.interactions}`);
});

test('two additive parameters: importances are their variance shares', () => {
  // f = 2·u + v with u, v uniform on [0, 1] (v read in log scale): Var 4/12 and 1/12, shares 0.8 and 0.2.
  const space = spaceFromSpecs(['gaussianNoise=uniform:0:1', 'l2=loguniform:1e-4:1']);
  const trials = study(space, 300, (p) => 2 * (p['gaussianNoise'] as number) + encodeValue(space[1]!.dist, p['l2']!));
  const r = fanovaImportance(space, trials, { seed: 3 });
  close(r.params[0]!.importance, 0.8, 0.05, 'gaussianNoise share');
  close(r.params[1]!.importance, 0.2, 0.05, 'l2 share');
  assert.ok(r.interactions < 0.05, `interactions ${r.interactions}`);
  // A categorical and an integer parameter with equal shares: effects {0, 1, 2} (Var 2/3) and √8·u (Var 8/12).
  const mixed = spaceFromSpecs(['optimizer=choice:adam,sgd,rmsprop', 'hidden=int:1:64']);
  const effect: Record<string, number> = { adam: 0, sgd: 1, rmsprop: 2 };
  const t2 = study(mixed, 300, (p) => effect[p['optimizer'] as string]! + Math.sqrt(8) * encodeValue(mixed[1]!.dist, p['hidden']!));
  const r2 = fanovaImportance(mixed, t2, { seed: 3 });
  close(r2.params[0]!.importance, 0.5, 0.06, 'optimizer share');
  close(r2.params[1]!.importance, 0.5, 0.06, 'hidden share');
});

test('seeded and deterministic; pruned and failed trials are left out; too few trials give zeros', () => {
  const space = spaceFromSpecs(['dropout=uniform:0:0.5', 'l2=loguniform:1e-6:1e-2']);
  const trials = study(space, 40, (p) => (p['dropout'] as number) * Math.log(p['l2'] as number));
  const a = fanovaImportance(space, trials, { seed: 5, trees: 16 });
  assert.deepEqual(fanovaImportance(space, trials, { seed: 5, trees: 16 }), a);
  assert.notDeepEqual(fanovaImportance(space, trials, { seed: 6, trees: 16 }), a);
  const noisy = trials.concat([{ state: 'pruned', params: { dropout: 0.1, l2: 1e-3 }, value: 1e9 }, { state: 'failed', params: { dropout: 0.2, l2: 1e-3 }, value: null }]);
  assert.deepEqual(fanovaImportance(space, noisy, { seed: 5, trees: 16 }), a);
  const one = fanovaImportance(space, trials.slice(0, 1));
  assert.equal(one.trees, 0);
  assert.deepEqual(one.params.map((p) => p.importance), [0, 0]);
  assert.throws(() => fanovaImportance(space, trials, { trees: 0 }), /trees must be an integer ≥ 1/);
});

test('a tie is shared: two trials that differ in every parameter give each about the same importance', () => {
  const space = spaceFromSpecs(['l2=loguniform:1e-6:1e-2', 'dropout=uniform:0:0.5']);
  const trials: ImportanceTrial[] = [
    { state: 'complete', params: { l2: 1e-5, dropout: 0.1 }, value: 0.9 },
    { state: 'complete', params: { l2: 1e-3, dropout: 0.4 }, value: 0.8 },
  ];
  const r = fanovaImportance(space, trials, { seed: 2 });
  // Trees whose bootstrap drew both trials split on one parameter, chosen at random; the others explain nothing and are left out.
  assert.ok(r.trees > 20 && r.trees < 64, `trees ${r.trees}`);
  close(r.params[0]!.importance, 0.5, 0.2, 'l2');
  close(r.params[0]!.importance + r.params[1]!.importance, 1, 1e-9, 'sum');
  assert.ok(r.params[0]!.std > 0.4, 'the spread over the trees shows the tie');
});
