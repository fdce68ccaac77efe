import { test } from 'node:test';
import assert from 'node:assert/strict';
import { replay, type JournalEvent, type TrialRecord } from './journal.js';
import { GridSampler, RandomSampler, rankTrials, TpeSampler } from './samplers.js';
import { spaceFromSpecs } from './space.js';

const space = spaceFromSpecs(['l2=loguniform:1e-6:1e-2', 'dropout=uniform:0:0.5', 'optimizer=choice:adam,sgd', 'hidden=int:8:64']);

/** A study of finished trials with the given params and values. */
function study(rows: { params: Record<string, number | string>; value: number }[]): TrialRecord[] {
  const ev: JournalEvent[] = [];
  rows.forEach((r, i) => {
    ev.push({ op: 'claim', id: `c${i}`, pid: 1, limit: 1000, retry: null });
    ev.push({ op: 'start', trial: i, claim: `c${i}`, params: r.params });
    ev.push({ op: 'finish', trial: i, state: 'complete', value: r.value, epochs: 1 });
  });
  ev.push({ op: 'claim', id: 'next', pid: 1, limit: 1000, retry: null });
  return replay(ev).trials;
}

test('grid sampler visits every cell once, last parameter fastest', () => {
  const s = spaceFromSpecs(['l2=choice:0,0.01', 'dropout=choice:0,0.25,0.5']);
  const g = new GridSampler(3);
  const cells = Array.from({ length: 6 }, (_, i) => JSON.stringify(g.cell(s, i)));
  assert.equal(new Set(cells).size, 6);
  assert.deepEqual(g.cell(s, 1), { l2: 0, dropout: 0.25 });
});

test('random sampler: trial i gets the same params whatever ran before', () => {
  const r = new RandomSampler(7);
  const trials = study([]);
  const a = r.sample({ space, trials, trial: { ...trials[0]!, freshIndex: 5 }, direction: 'minimize' });
  const b = new RandomSampler(7).sample({ space, trials: study([{ params: { l2: 1e-3 }, value: 1 }]), trial: { ...trials[0]!, freshIndex: 5 }, direction: 'minimize' });
  assert.deepEqual(a, b);
  const c = r.sample({ space, trials, trial: { ...trials[0]!, freshIndex: 6 }, direction: 'minimize' });
  assert.notDeepEqual(a, c);
  assert.ok((a['l2'] as number) >= 1e-6 && (a['l2'] as number) <= 1e-2);
  assert.ok(Number.isInteger(a['hidden']));
});

test('TPE is reproducible and moves towards good regions', () => {
  // Objective: minimize |log10(l2) + 3| (best near 1e-3) and prefer sgd.
  const f = (p: Record<string, number | string>): number => Math.abs(Math.log10(p['l2'] as number) + 3) + (p['optimizer'] === 'sgd' ? 0 : 1);
  const rows: { params: Record<string, number | string>; value: number }[] = [];
  const tpe = new TpeSampler({ seed: 3, startup: 8 });
  const rnd = new RandomSampler(3);
  for (let i = 0; i < 40; i++) {
    const trials = study(rows);
    const trial = trials[trials.length - 1]!;
    const p = tpe.sample({ space, trials, trial, direction: 'minimize' });
    const again = tpe.sample({ space, trials, trial, direction: 'minimize' });
    assert.deepEqual(p, again);
    rows.push({ params: p as Record<string, number | string>, value: f(p as Record<string, number | string>) });
  }
  const late = rows.slice(20).map((r) => r.value);
  const randomVals = Array.from({ length: 20 }, (_, i) => {
    const trials = study([]);
    return f(rnd.sample({ space, trials, trial: { ...trials[0]!, freshIndex: 20 + i }, direction: 'minimize' }) as Record<string, number | string>);
  });
  const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
  assert.ok(mean(late) < mean(randomVals), `TPE late mean ${mean(late)} vs random ${mean(randomVals)}`);
  for (const r of rows) assert.ok((r.params['l2'] as number) >= 1e-6 && (r.params['l2'] as number) <= 1e-2);
});

test('rankTrials puts complete before pruned, pruned by steps reached', () => {
  const ev: JournalEvent[] = [];
  const add = (i: number, state: 'complete' | 'pruned', value: number, epochs: number): void => {
    ev.push({ op: 'claim', id: `c${i}`, pid: 1, limit: 99, retry: null }, { op: 'start', trial: i, claim: `c${i}`, params: { l2: i } }, { op: 'finish', trial: i, state, value, epochs });
  };
  add(0, 'pruned', 0.1, 1);
  add(1, 'complete', 0.5, 5);
  add(2, 'pruned', 0.9, 3);
  add(3, 'complete', 0.3, 5);
  assert.deepEqual(rankTrials(replay(ev).trials, 'minimize').map((t) => t.number), [3, 1, 2, 0]);
  assert.deepEqual(rankTrials(replay(ev).trials, 'maximize').map((t) => t.number), [1, 3, 2, 0]);
});
