/**
 * The training state saves callback states under each callback's `stateKey`
 * (issue 10) and still loads states saved before, keyed by `className`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sequential, layers, tensor, toArtifacts, fromArtifacts, callbacks, type Callback } from '../../src/index.js';

class Tally implements Callback {
  n = 0;
  onEpochEnd(): void {
    this.n += 1;
  }
  getState(): Record<string, unknown> {
    return { n: this.n };
  }
  setState(s: Record<string, unknown>): void {
    this.n = s['n'] as number;
  }
}

const x = tensor([[0, 1], [1, 0], [1, 1], [0, 0]]);
const y = tensor([[1], [1], [0], [0]]);

function trained(cbs: Callback[]): Promise<Sequential> {
  const m = new Sequential([layers.dense({ units: 3, activation: 'tanh', inputShape: [2] }), layers.dense({ units: 1 })], { seed: 1 });
  m.compile({ optimizer: 'sgd', loss: 'mse' });
  return m.fit(x, y, { epochs: 2, batchSize: 2, seed: 4, verbose: 0, callbacks: cbs }).then(() => m);
}

type StateJson = { callbacks: Record<string, unknown>[] };

test('callback states are saved by stateKey and restored into the next fit', async () => {
  const keyed = Object.assign(new Tally(), { stateKey: 'tally.v1' });
  const es = callbacks.earlyStopping({ monitor: 'loss', patience: 100 });
  const m = await trained([keyed, es]);
  const a = toArtifacts(m);
  const state = a.trainingState!.state as StateJson;
  assert.deepEqual(state.callbacks.map((c) => c['stateKey']), ['tally.v1', 'EarlyStopping']);
  const back = fromArtifacts(a);
  const t2 = Object.assign(new Tally(), { stateKey: 'tally.v1' });
  const es2 = callbacks.earlyStopping({ monitor: 'loss', patience: 100 });
  await back.fit(x, y, { epochs: 3, initialEpoch: back.resumeInfo!.initialEpoch, batchSize: 2, verbose: 0, callbacks: [t2, es2] });
  assert.equal(t2.n, 3);
  assert.equal(es2.getState().bestEpoch >= 0, true);
});

test('a training state saved with className keys (before stateKey) still restores callback states', async () => {
  const es = callbacks.earlyStopping({ monitor: 'loss', patience: 100 });
  const m = await trained([new Tally(), es]);
  const a = toArtifacts(m);
  const state = a.trainingState!.state as StateJson;
  state.callbacks = state.callbacks.map((c) => ({ className: c['stateKey'], state: c['state'] }));
  assert.deepEqual(state.callbacks.map((c) => c['className']), ['Tally', 'EarlyStopping']);
  const savedBest = es.getState().best;
  const back = fromArtifacts(a);
  const t2 = new Tally();
  const es2 = callbacks.earlyStopping({ monitor: 'loss', patience: 100 });
  // A resumed EarlyStopping keeps its restored state at train begin; read it before any epoch ends.
  let bestAtStart: number | null | undefined;
  const probe: Callback = { onTrainBegin: () => void (bestAtStart = es2.getState().best) };
  await back.fit(x, y, { epochs: 3, initialEpoch: back.resumeInfo!.initialEpoch, batchSize: 2, verbose: 0, callbacks: [t2, es2, probe] });
  assert.equal(t2.n, 3);
  assert.equal(bestAtStart, savedBest);
});
