/**
 * Import order does not matter (issue 10): this file imports ONLY the layers
 * module and Sequential — not regularizers, constraints, initializers or io —
 * and still builds a model whose options name a regularizer ('l2') and a
 * constraint ('maxNorm'), serializes it and loads it back. (node:test runs
 * each file in its own process, so nothing else was imported first.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { layers } from '../../src/layers/index.js';
import { Sequential } from '../../src/models/sequential.js';

test('layers-only import: kernelRegularizer "l2" and kernelConstraint "maxNorm" by name build, serialize and load', () => {
  const m = new Sequential([
    layers.dense({ units: 3, inputShape: [4], kernelRegularizer: 'l2', kernelConstraint: 'maxNorm', activation: 'relu' }),
    layers.dense({ units: 2, biasRegularizer: 'l1', biasConstraint: 'non_neg' }),
  ]);
  const cfg = m.getConfig();
  const dense = (cfg.layers[0]!.config) as Record<string, unknown>;
  assert.deepEqual(dense['kernel_regularizer'], { class_name: 'L1L2', config: { l1: 0, l2: 0.01 } });
  assert.deepEqual(dense['kernel_constraint'], { class_name: 'MaxNorm', config: { max_value: 2, axis: 0 } });
  const back = Sequential.fromConfig(JSON.parse(JSON.stringify(cfg)));
  assert.deepEqual(back.getConfig(), cfg);
  // The loaded model's penalty is live: one L2 term per regularized weight once built.
  back.build([null, 4]);
  assert.equal(back.layers[0]!.losses.length, 1);
  assert.equal(back.layers[1]!.losses.length, 1);
});

test('layers-only import: the same model saves to a directory and loads back with its regularizer and constraint', async () => {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const m = new Sequential([layers.dense({ units: 3, inputShape: [4], kernelRegularizer: 'l2', kernelConstraint: 'maxNorm' })]);
  const dir = mkdtempSync(join(tmpdir(), 'regula-layers-only-'));
  try {
    await m.save(dir); // no io module was imported by this file before this call
    const { loadModel } = await import('../../src/models/save-load.js');
    const back = await loadModel(dir);
    assert.deepEqual(back.getConfig(), m.getConfig());
    assert.deepEqual(Array.from(back.getWeights()[0]!.data), Array.from(m.getWeights()[0]!.data));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
