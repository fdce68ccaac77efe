import { test } from 'node:test';
import assert from 'node:assert/strict';
import { replay, type JournalEvent } from './journal.js';
import { AshaPruner, hyperbandBrackets, HyperbandPruner, promotable, rungAt } from './pruners.js';

test('rungs sit at r·η^(s+k)', () => {
  assert.deepEqual([1, 2, 3, 4, 9, 27].map((e) => rungAt(e, 1, 3, 0)), [0, -1, 1, -1, 2, 3]);
  assert.deepEqual([1, 3, 9].map((e) => rungAt(e, 1, 3, 1)), [-1, 0, 1]);
  assert.deepEqual([2, 4, 8].map((e) => rungAt(e, 2, 2, 0)), [0, 1, 2]);
});

test('promotion keeps the top ⌊n/η⌋ (at least the best)', () => {
  assert.equal(promotable(0.5, [0.5], 3, 'minimize'), true);
  assert.equal(promotable(0.6, [0.5, 0.6], 3, 'minimize'), false);
  assert.equal(promotable(0.5, [0.5, 0.6, 0.7, 0.8, 0.9, 1.0], 3, 'minimize'), true);
  assert.equal(promotable(0.6, [0.5, 0.6, 0.7, 0.8, 0.9, 1.0], 3, 'minimize'), true);
  assert.equal(promotable(0.7, [0.5, 0.6, 0.7, 0.8, 0.9, 1.0], 3, 'minimize'), false);
  assert.equal(promotable(0.9, [0.5, 0.9, 0.7], 3, 'maximize'), true);
  assert.equal(promotable(0.7, [0.5, 0.9, 0.7], 3, 'maximize'), false);
});

test('ASHA prunes a trial that is not in the top 1/η at its rung; failed trials do not compete', () => {
  const ev: JournalEvent[] = [];
  const values = [0.3, 0.2, 0.9, 0.25];
  values.forEach((v, i) => ev.push({ op: 'claim', id: `c${i}`, pid: 1, limit: 99, retry: null }, { op: 'report', trial: i, step: 1, value: v }));
  const st = replay(ev);
  const asha = new AshaPruner({ reductionFactor: 2 });
  // At rung 0 (epoch 1) the values are 0.3, 0.2, 0.9, 0.25: top ⌊4/2⌋ = 2 → 0.2 and 0.25 go on.
  assert.deepEqual(st.trials.map((t) => asha.shouldPrune(t, 1, st.trials, 'minimize')), [true, false, true, false]);
  assert.equal(asha.shouldPrune(st.trials[0]!, 3, st.trials, 'minimize'), false, 'epoch 3 is no rung');
  ev.push({ op: 'finish', trial: 1, state: 'failed', value: null, epochs: 1 });
  const st2 = replay(ev);
  // Without #1: 0.3, 0.9, 0.25 → top 1: only 0.25.
  assert.deepEqual(st2.trials.map((t) => asha.shouldPrune(t, 1, st2.trials, 'minimize')), [true, false, true, false]);
});

test('Hyperband brackets follow Li et al. and trials spread over them', () => {
  assert.deepEqual(hyperbandBrackets(27, 1, 3), [27, 12, 6, 4]);
  assert.deepEqual(hyperbandBrackets(20, 1, 3), [9, 5, 3]);
  const hb = new HyperbandPruner({ maxResource: 27, reductionFactor: 3 });
  const ev: JournalEvent[] = [];
  for (let i = 0; i < 200; i++) ev.push({ op: 'claim', id: `c${i}`, pid: 1, limit: 999, retry: null });
  const counts = [0, 0, 0, 0];
  for (const t of replay(ev).trials) counts[hb.bracketOf(t)]!++;
  assert.ok(counts.every((c) => c > 0), `bracket counts ${counts}`);
  assert.ok(counts[0]! > counts[3]!, 'the bracket starting smallest gets the most trials');
});
