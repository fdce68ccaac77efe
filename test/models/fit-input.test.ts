/**
 * fit input checks (issue 9, item 11): 0 rows, bad classWeight values,
 * initialEpoch ≥ epochs, the type shown in batchSize errors, and a warning
 * when training diverges (loss NaN/Infinity).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callbacks, layers, loadModel, Sequential, sgd, Tensor } from '../../src/index.js';

function setup(): { m: Sequential; x: Tensor; y: Tensor } {
  const m = new Sequential([layers.dense({ units: 2, inputShape: [2], activation: 'softmax' })], { seed: 1 });
  m.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
  const x = new Tensor([4, 2], 'float32', Float32Array.from([1, 0, 0, 1, 1, 1, 0, 0]));
  const y = new Tensor([4], 'int32', Int32Array.from([0, 1, 1, 0]));
  return { m, x, y };
}

/** Runs fn with console.warn captured. */
async function warnings(fn: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const orig = console.warn;
  console.warn = (...a: unknown[]) => void seen.push(a.map(String).join(' '));
  try {
    await fn();
  } finally {
    console.warn = orig;
  }
  return seen;
}

test('fit on 0 rows is an error naming the problem', async () => {
  const { m } = setup();
  const x = new Tensor([0, 2], 'float32', new Float32Array(0));
  const y = new Tensor([0], 'int32', new Int32Array(0));
  await assert.rejects(m.fit(x, y, { verbose: 0 }), /fit: x has 0 rows \(shape \[0, 2\]\); there is nothing to train on/);
});

test('a validationSplit that leaves no training rows is an error', async () => {
  const { m, x, y } = setup();
  await assert.rejects(m.fit(x, y, { verbose: 0, validationSplit: 0.99 }), /validationSplit 0.99 of 4 samples leaves no training samples/);
});

test('classWeight with NaN, Infinity or a negative weight names the class and the value', async () => {
  const { m, x, y } = setup();
  for (const [w, shown] of [[NaN, 'NaN'], [Infinity, 'Infinity'], [-1, '-1']] as const) {
    await assert.rejects(m.fit(x, y, { verbose: 0, classWeight: { 0: 1, 1: w } }), new RegExp(`fit: classWeight for class 1 must be a finite number ≥ 0, got ${shown}`));
  }
  await assert.rejects(m.fit(x, y, { verbose: 0, classWeight: { 0: '2' as unknown as number, 1: 1 } }), /class 0 must be a finite number ≥ 0, got "2" \(a string\)/);
});

test('initialEpoch ≥ epochs is an error naming both numbers', async () => {
  const { m, x, y } = setup();
  await assert.rejects(m.fit(x, y, { verbose: 0, epochs: 3, initialEpoch: 3 }), /fit: initialEpoch 3 must be less than epochs 3/);
  await assert.rejects(m.fit(x, y, { verbose: 0, epochs: 2, initialEpoch: 5 }), /initialEpoch 5 must be less than epochs 2/);
});

test('resuming a loaded model that already finished its epochs only warns', async () => {
  const { m, x, y } = setup();
  await m.fit(x, y, { verbose: 0, epochs: 2, batchSize: 2, seed: 3 });
  const dir = mkdtempSync(join(tmpdir(), 'regula-fit-input-'));
  try {
    await m.save(dir);
    const back = await loadModel(dir);
    const w = await warnings(() => back.fit(x, y, { verbose: 0, epochs: 2, initialEpoch: back.resumeInfo!.initialEpoch }));
    assert.equal(w.length, 1);
    assert.match(w[0]!, /initialEpoch 2 ≥ epochs 2: the loaded model already finished its 2 epochs/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('batchSize of the wrong type: the message shows the type', async () => {
  const { m, x, y } = setup();
  await assert.rejects(m.fit(x, y, { verbose: 0, batchSize: '32' as unknown as number }), /fit: batchSize must be a positive integer, got "32" \(a string\)/);
  await assert.rejects(m.fit(x, y, { verbose: 0, epochs: '2' as unknown as number }), /fit: epochs must be an integer ≥ 1, got "2" \(a string\)/);
  await assert.rejects(m.fit(x, y, { verbose: 0, batchSize: 0 }), /got 0$/);
});

test('a diverging fit warns once, naming the epoch and what to do; not with TerminateOnNaN', async () => {
  const { x, y } = setup();
  const reg = (): Sequential => {
    const m = new Sequential([layers.dense({ units: 1, inputShape: [2] })], { seed: 1 });
    m.compile({ optimizer: sgd({ learningRate: 1e30 }), loss: 'meanSquaredError' });
    return m;
  };
  const yf = new Tensor([4, 1], 'float32', Float32Array.from([1, -2, 3, 5]));
  const w = await warnings(() => reg().fit(x, yf, { verbose: 0, epochs: 5, batchSize: 1, shuffle: false }));
  assert.equal(w.length, 1, w.join('\n'));
  assert.match(w[0]!, /fit: the loss is (NaN|Infinity) at epoch \d: training diverged; lower the learning rate, check the data for NaN\/Infinity, or add callbacks.terminateOnNaN\(\)/);
  const w2 = await warnings(() => reg().fit(x, yf, { verbose: 0, epochs: 5, batchSize: 1, shuffle: false, callbacks: [callbacks.terminateOnNaN()] }));
  assert.ok(!w2.some((s) => /diverged/.test(s)), w2.join('\n'));
  const { m } = setup();
  const w3 = await warnings(() => m.fit(x, y, { verbose: 0, epochs: 2 }));
  assert.equal(w3.length, 0);
});
