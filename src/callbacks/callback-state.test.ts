/**
 * Callback states are keyed by a stable `stateKey`, not `constructor.name`
 * (which a minifier renames): a renamed class still gets its state; two
 * callbacks of one key get theirs in order; a callback without a stateKey
 * falls back to its constructor name (the key of files saved before).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Callback } from './callback.js';
import { callbackStateKey, collectCallbackStates, restoreCallbackStates } from './callback-state.js';
import { EarlyStopping } from './early-stopping.js';
import { ModelCheckpoint } from './model-checkpoint.js';

class Counter implements Callback {
  n = 0;
  getState(): Record<string, unknown> {
    return { n: this.n };
  }
  setState(s: Record<string, unknown>): void {
    this.n = s['n'] as number;
  }
}

test('built-in stateful callbacks have stable state keys', () => {
  assert.equal(callbackStateKey(new EarlyStopping()), 'EarlyStopping');
  assert.equal(callbackStateKey(new ModelCheckpoint({ filepath: 'memory' })), 'ModelCheckpoint');
  assert.equal(callbackStateKey(new Counter()), 'Counter');
  assert.equal(callbackStateKey(Object.assign(new Counter(), { stateKey: 'my.counter' })), 'my.counter');
});

test('a minified class name does not change the key: states are restored by stateKey, in order', () => {
  // What a minifier makes of `class EarlyStopping`: a short, different constructor name.
  const Minified = { e: class extends EarlyStopping {} }.e;
  assert.notEqual(Minified.name, 'EarlyStopping');
  const a = new EarlyStopping({ patience: 5 });
  a.setState({ wait: 2, stoppedEpoch: 0, best: 0.5, bestEpoch: 3, bestWeights: null });
  const b = new EarlyStopping({ patience: 5 });
  b.setState({ wait: 1, stoppedEpoch: 0, best: 0.25, bestEpoch: 4, bestWeights: null });
  const c1 = Object.assign(new Counter(), { stateKey: 'counter' });
  c1.n = 7;
  const saved = collectCallbackStates([a, c1, b]);
  assert.deepEqual(saved.map((e) => e.stateKey), ['EarlyStopping', 'counter', 'EarlyStopping']);

  const ra = new Minified({ patience: 5 });
  const rb = new Minified({ patience: 5 });
  const rc = Object.assign(new Counter(), { stateKey: 'counter' });
  restoreCallbackStates([rc, ra, rb], saved);
  assert.equal(ra.getState().best, 0.5);
  assert.equal(rb.getState().best, 0.25);
  assert.equal(rc.n, 7);
});

test('old entries keyed by class name match callbacks without a stateKey, and built-ins by the same string', () => {
  const old = [
    { stateKey: 'Counter', state: { n: 3 } },
    { stateKey: 'EarlyStopping', state: { wait: 4, stoppedEpoch: 0, best: 1.5, bestEpoch: 2, bestWeights: null } },
    { stateKey: 'Gone', state: { n: 9 } },
  ];
  const c = new Counter();
  const es = new EarlyStopping();
  restoreCallbackStates([es, c], old);
  assert.equal(c.n, 3);
  assert.equal(es.getState().wait, 4);
});
