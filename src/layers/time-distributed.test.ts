import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TimeDistributed, timeDistributed } from './time-distributed.js';
import { dense } from './dense.js';
import { dropout } from './dropout.js';
import { Rng } from '../random.js';
import { tensor } from '../tensor/create.js';
import { layerFromConfig } from './registry.js';
import { regularizers } from '../regularizers.js';
import { gradCheck } from '../autograd/gradcheck.js';
import { mul } from '../ops/arithmetic.js';
import { sum } from '../ops/reduce.js';
import { layerTest } from '../../test/helpers/layer-test.js';

const ctx = { training: false };

test('TimeDistributed contract: Dense at every step, weights shared, config round trip', () => {
  layerTest(timeDistributed, { layer: dense({ units: 3 }) }, { inputShape: [2, 4, 5], outputShape: [2, 4, 3], trainableWeights: 2 });
  layerTest(TimeDistributed, { layer: dense({ units: 2, activation: 'tanh' }) }, { inputShape: [2, 3, 2, 4], outputShape: [2, 3, 2, 2], trainableWeights: 2 });
});

test('TimeDistributed(Dense) equals the Dense applied to each step; the gradient sums over steps', () => {
  const d = dense({ units: 2 });
  const td = timeDistributed({ layer: d });
  const x = tensor([[[1, 2, 3], [4, 5, 6]], [[-1, 0, 1], [2, 2, 2]]], [2, 2, 3]);
  const y = td.apply(x, ctx, new Rng(3));
  assert.deepEqual(y.shape, [2, 2, 2]);
  for (let b = 0; b < 2; b++) {
    for (let t = 0; t < 2; t++) {
      const step = tensor([Array.from(x.data.slice((b * 2 + t) * 3, (b * 2 + t + 1) * 3))]);
      const want = Array.from(d.apply(step, ctx).data);
      const got = Array.from(y.data.slice((b * 2 + t) * 2, (b * 2 + t + 1) * 2));
      got.forEach((v, i) => assert.ok(Math.abs(v - want[i]!) < 1e-6, `${b},${t},${i}: ${v} vs ${want[i]}`));
    }
  }
  assert.equal(td.weights.length, 2);
  assert.deepEqual(td.weights.map((w) => w.name), [`${td.name}/kernel`, `${td.name}/bias`]);
  // Float64 finite differences of Σ p·y with respect to the input, the kernel and the bias.
  const [k0, b0] = [d.kernel!, d.bias!];
  const r = gradCheck(
    (xx, k, b) => {
      Object.assign(d, { kernel: k, bias: b });
      try {
        return sum(mul(td.call(xx, { training: true }), tensor([0.3, -1.1, 0.7, 0.2, -0.4, 1.3, 0.9, -0.6], [2, 2, 2])));
      } finally {
        Object.assign(d, { kernel: k0, bias: b0 });
      }
    },
    [[x.shape, x.data], [k0.shape, k0.data], [b0.shape, b0.data]],
  );
  assert.ok(r.ok, `worst ${JSON.stringify(r.worst)}`);
});

test('TimeDistributed config nests the inner layer as {class_name, config} and rebuilds it', () => {
  const td = timeDistributed({ layer: dense({ units: 4, name: 'inner', kernelRegularizer: regularizers.l2(0.01) }), name: 'td' });
  td.apply(tensor(new Array(2 * 3 * 5).fill(0.5), [2, 3, 5]), ctx, new Rng(1));
  const c = td.getConfig();
  const inner = c['layer'] as { class_name: string; config: Record<string, unknown> };
  assert.equal(inner.class_name, 'Dense');
  assert.equal(inner.config['units'], 4);
  assert.equal(inner.config['name'], 'inner');
  const back = layerFromConfig({ class_name: 'TimeDistributed', config: JSON.parse(JSON.stringify(c)) }) as TimeDistributed;
  assert.equal(back.layer.className, 'Dense');
  assert.deepEqual(back.computeOutputShape([null, 3, 5]), [null, 3, 4]);
  // The inner weight penalty counts through the wrapper.
  assert.equal(td.losses.length, 1);
  // TF.js's own writer spells the nested key className.
  const tfjs = layerFromConfig({ class_name: 'TimeDistributed', config: { name: 'td2', layer: { className: 'Dense', config: { units: 2 } } } }) as TimeDistributed;
  assert.equal(tfjs.layer.className, 'Dense');
});

test('TimeDistributed passes the mask on, draws dropout independently per step, and rejects rank < 3', () => {
  const td = timeDistributed({ layer: dropout({ rate: 0.5 }) });
  assert.equal(td.supportsMasking, true);
  const m = tensor([[1, 0]]);
  assert.equal(td.computeMask(tensor([[[1], [2]]]), m), m);
  const y = td.apply(tensor(new Array(1 * 50 * 4).fill(1), [1, 50, 4]), { training: true, rng: new Rng(5) });
  const patterns = new Set<string>();
  for (let t = 0; t < 50; t++) patterns.add(Array.from(y.data.slice(t * 4, t * 4 + 4)).join());
  assert.ok(patterns.size > 4, `only ${patterns.size} distinct step masks`);
  assert.throws(() => timeDistributed({ layer: dense({ units: 1 }) }).apply(tensor([[1, 2]]), ctx), /rank 3 or more/);
  assert.throws(() => timeDistributed({} as never), /'layer' option is required/);
  assert.throws(() => timeDistributed({ layer: 3 } as never), /'layer' must be a layer/);
});
