/**
 * EpochBatches (src/models/data.ts): one epoch's batches as views of one copy
 * of the training arrays in batch order must hold exactly the rows that
 * takeRows(t, plan[i]) gathers — float inputs, int32 labels and sample
 * weights, for every shuffle mode and a partial last batch — and a fit that
 * uses the copy trains the same bits as one that gathers per step.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { batchPlan, EpochBatches, takeRows } from '../../src/models/data.js';
import { Rng } from '../../src/random.js';
import { tensor } from '../../src/tensor/create.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { ready } from '../../src/backend/wasm/ready.js';
import { layers, Sequential } from '../../src/index.js';

const N = 37;

function arrays(): { xs: Tensor[]; ys: Tensor[]; sw: Tensor } {
  const x = Float32Array.from({ length: N * 3 * 2 }, (_, i) => Math.sin(i) * 10);
  const labels = Int32Array.from({ length: N }, (_, i) => (i * 7) % 5);
  return {
    xs: [tensor(x, [N, 3, 2]), tensor(Float32Array.from({ length: N }, (_, i) => i / 3), [N])],
    ys: [new Tensor([N, 1], 'int32', labels)],
    sw: tensor(Float32Array.from({ length: N }, (_, i) => 1 + (i % 4)), [N]),
  };
}

test('every batch of an arranged epoch equals takeRows of its indices (shuffle true, batch, false; partial last batch)', async () => {
  await ready();
  const d = arrays();
  const eb = EpochBatches.of(d);
  assert.ok(eb, 'small arrays are copied');
  for (const shuffle of [true, 'batch', false] as const) {
    const plan = batchPlan(N, 8, shuffle, new Rng(5));
    eb.arrange(plan);
    plan.forEach((idx, i) => {
      const b = eb.batch(i);
      const want = [...d.xs, ...d.ys, d.sw].map((t) => takeRows(t, idx));
      const got = [...b.xs, ...b.ys, b.sw!];
      got.forEach((t, k) => {
        assert.deepEqual(t.shape, want[k]!.shape, `shuffle ${shuffle} batch ${i} array ${k} shape`);
        assert.equal(t.dtype, want[k]!.dtype);
        assert.deepEqual(Array.from(t.data), Array.from(want[k]!.data), `shuffle ${shuffle} batch ${i} array ${k}`);
      });
    });
  }
});

test('arrays bigger than the limit are not copied (steps gather their rows)', () => {
  const big = new Tensor([1, 2 ** 24 + 1], 'float32', new Float32Array(2 ** 24 + 1));
  assert.equal(EpochBatches.of({ xs: [big], ys: [], sw: undefined }), null);
});

test('fit with the epoch copy trains the same bits as fit with per-step gathers', async () => {
  await ready();
  const x = tensor(Float32Array.from({ length: 200 * 4 }, (_, i) => Math.cos(i * 0.37)), [200, 4]);
  const y = tensor(Float32Array.from({ length: 200 }, (_, i) => Math.sin(i * 0.11)), [200, 1]);
  const run = async (copy: boolean): Promise<number[]> => {
    const m = new Sequential([layers.dense({ inputShape: [4], units: 8, activation: 'relu' }), layers.dropout({ rate: 0.2 }), layers.dense({ units: 1 })], { seed: 3 });
    m.compile({ optimizer: 'adam', loss: 'mse' });
    const of = EpochBatches.of;
    let stubbed = 0;
    if (!copy) {
      EpochBatches.of = () => {
        stubbed++;
        return null;
      };
    }
    try {
      const h = await m.fit(x, y, { epochs: 3, batchSize: 16, verbose: 0, seed: 9 });
      assert.equal(stubbed, copy ? 0 : 1);
      return h.history['loss']! as number[];
    } finally {
      EpochBatches.of = of;
    }
  };
  assert.deepEqual(await run(true), await run(false));
});

test('evaluate and predict on row views give the same bits as gathering each batch (sample weights, int32 labels, partial last batch)', async () => {
  await ready();
  const { rowRange, rowView } = await import('../../src/models/data.js');
  const { testStep } = await import('../../src/models/steps.js');
  const d = arrays();
  const model = new Sequential([layers.flatten({ inputShape: [3, 2] }), layers.dense({ units: 5, activation: 'softmax', kernelRegularizer: 'l2' })], { seed: 3 });
  model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const got = model.evaluate(d.xs[0]!, d.ys[0]!, { batchSize: 8, sampleWeight: d.sw });
  // The gathered path: every batch through takeRows, as evaluate ran before the views.
  const compiled = model.compiled!;
  compiled.reset();
  for (let s = 0; s < N; s += 8) testStep(model as never, compiled, { xs: [d.xs[0]!], ys: d.ys, sw: d.sw }, rowRange(s, Math.min(s + 8, N)));
  assert.deepEqual(got, compiled.logs());
  const views = model.predict(d.xs[0]!, { batchSize: 8 }) as Tensor;
  const whole = model.predict(takeRows(d.xs[0]!, rowRange(0, N)), { batchSize: N }) as Tensor;
  assert.deepEqual([...views.data], [...whole.data]);
  assert.deepEqual([...rowView(d.ys[0]!, 30, 37).data], [...takeRows(d.ys[0]!, rowRange(30, 37)).data]);
});
