import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  computeFans,
  getInitializer,
  initializers,
  GlorotUniform,
  VarianceScaling,
  Orthogonal,
  TRUNCATED_NORMAL_STDDEV,
  INITIALIZER_CLASSES,
  type InitializerClassName,
} from './initializers.js';
import { Rng } from './random.js';
import type { Tensor } from './tensor/tensor.js';

function stats(t: Tensor): { mean: number; std: number; maxAbs: number } {
  const d = Array.from(t.data);
  const mean = d.reduce((a, b) => a + b, 0) / d.length;
  const v = d.reduce((a, b) => a + (b - mean) ** 2, 0) / d.length;
  let maxAbs = 0;
  for (const x of d) maxAbs = Math.max(maxAbs, Math.abs(x));
  return { mean, std: Math.sqrt(v), maxAbs };
}

test('computeFans follows Keras: dense, conv kernels, vectors, scalars', () => {
  assert.deepEqual(computeFans([3, 4]), { fanIn: 3, fanOut: 4 });
  assert.deepEqual(computeFans([3, 4, 5]), { fanIn: 12, fanOut: 15 }); // conv1d kernel [k, in, out]
  assert.deepEqual(computeFans([2, 2, 4, 5]), { fanIn: 16, fanOut: 20 });
  assert.deepEqual(computeFans([7]), { fanIn: 7, fanOut: 7 });
  assert.deepEqual(computeFans([]), { fanIn: 1, fanOut: 1 });
});

test('zeros, ones, constant', () => {
  const rng = new Rng(0);
  assert.deepEqual(Array.from(initializers.zeros().apply([2, 2], rng).data), [0, 0, 0, 0]);
  assert.deepEqual(Array.from(initializers.ones().apply([3], rng).data), [1, 1, 1]);
  assert.deepEqual(Array.from(initializers.constant({ value: 2.5 }).apply([2], rng).data), [2.5, 2.5]);
  assert.deepEqual(Array.from(initializers.constant(-1).apply([1], rng).data), [-1]);
});

test('uniform variance-scaling presets stay within their Keras limits and have the uniform variance', () => {
  const shape = [200, 300];
  const cases: [string, number][] = [
    ['glorotUniform', Math.sqrt(6 / 500)],
    ['heUniform', Math.sqrt(6 / 200)],
    ['lecunUniform', Math.sqrt(3 / 200)],
  ];
  for (const [name, limit] of cases) {
    const s = stats(getInitializer(name).apply(shape, new Rng(1)));
    assert.ok(s.maxAbs <= limit && s.maxAbs > 0.99 * limit, `${name}: max |w| ${s.maxAbs} vs limit ${limit}`);
    assert.ok(Math.abs(s.mean) < 0.01 * limit, `${name}: mean ${s.mean}`);
    const want = limit / Math.sqrt(3);
    assert.ok(Math.abs(s.std / want - 1) < 0.02, `${name}: std ${s.std} vs ${want}`);
  }
  // conv kernels use k·in and k·out
  const conv = stats(new GlorotUniform().apply([3, 40, 50], new Rng(2)));
  assert.ok(conv.maxAbs <= Math.sqrt(6 / (120 + 150)) && conv.maxAbs > 0.99 * Math.sqrt(6 / 270));
});

test('truncated-normal presets: std corrected by 0.8796…, truncated at 2 (corrected) std', () => {
  const shape = [400, 250];
  const cases: [string, number][] = [
    ['glorotNormal', Math.sqrt(2 / 650)],
    ['heNormal', Math.sqrt(2 / 400)],
    ['lecunNormal', Math.sqrt(1 / 400)],
  ];
  for (const [name, target] of cases) {
    const s = stats(getInitializer(name).apply(shape, new Rng(3)));
    assert.ok(Math.abs(s.std / target - 1) < 0.02, `${name}: std ${s.std} vs ${target}`);
    const bound = (2 * target) / TRUNCATED_NORMAL_STDDEV;
    assert.ok(s.maxAbs <= bound * (1 + 1e-6) && s.maxAbs > 0.95 * bound, `${name}: max ${s.maxAbs} vs bound ${bound}`);
  }
});

test('varianceScaling untruncated_normal and fan_out / fan_avg modes', () => {
  const un = stats(initializers.varianceScaling({ scale: 2, mode: 'fan_out', distribution: 'untruncated_normal' }).apply([300, 500], new Rng(4)));
  assert.ok(Math.abs(un.std / Math.sqrt(2 / 500) - 1) < 0.02, `std ${un.std}`);
  assert.ok(un.maxAbs > 3 * Math.sqrt(2 / 500), 'untruncated tails exist');
  const avg = stats(initializers.varianceScaling({ mode: 'fanAvg', distribution: 'uniform' }).apply([300, 500], new Rng(4)));
  assert.ok(avg.maxAbs <= Math.sqrt(3 / 400));
});

test('randomNormal, randomUniform, truncatedNormal use Keras defaults', () => {
  const n = stats(initializers.randomNormal().apply([100, 100], new Rng(5)));
  assert.ok(Math.abs(n.std - 0.05) < 0.002 && Math.abs(n.mean) < 0.002);
  const u = initializers.randomUniform().apply([100, 100], new Rng(5));
  assert.ok(Array.from(u.data).every((v) => v >= -0.05 && v < 0.05));
  const t = stats(initializers.truncatedNormal({ mean: 1, stddev: 0.1 }).apply([100, 100], new Rng(5)));
  assert.ok(Math.abs(t.mean - 1) < 0.005 && t.maxAbs <= 1.2 + 1e-6);
});

test('initializers are seeded by the Rng; an explicit seed repeats on every call', () => {
  const a = initializers.glorotNormal().apply([4, 4], new Rng(9));
  const b = initializers.glorotNormal().apply([4, 4], new Rng(9));
  const c = initializers.glorotNormal().apply([4, 4], new Rng(10));
  assert.deepEqual(Array.from(a.data), Array.from(b.data));
  assert.notDeepEqual(Array.from(a.data), Array.from(c.data));
  const fixed = initializers.heUniform({ seed: 7 });
  assert.deepEqual(Array.from(fixed.apply([3, 3], new Rng(1)).data), Array.from(fixed.apply([3, 3], new Rng(2)).data));
  // One Rng feeding two weights gives different values for each.
  const rng = new Rng(3);
  const w1 = initializers.randomNormal().apply([5], rng);
  const w2 = initializers.randomNormal().apply([5], rng);
  assert.notDeepEqual(Array.from(w1.data), Array.from(w2.data));
});

test('orthogonal: orthonormal columns (tall), rows (wide), gain, conv shapes', () => {
  const check = (t: Tensor, rows: number, cols: number, gain: number): void => {
    const d = t.data;
    const tall = rows >= cols;
    const n = tall ? cols : rows;
    for (let p = 0; p < n; p++) {
      for (let q = 0; q < n; q++) {
        let dot = 0;
        const len = tall ? rows : cols;
        for (let i = 0; i < len; i++) dot += tall ? d[i * cols + p]! * d[i * cols + q]! : d[p * cols + i]! * d[q * cols + i]!;
        assert.ok(Math.abs(dot - (p === q ? gain * gain : 0)) < 1e-5, `(${p},${q}) dot ${dot}`);
      }
    }
  };
  check(new Orthogonal().apply([6, 4], new Rng(1)), 6, 4, 1);
  check(new Orthogonal().apply([3, 7], new Rng(1)), 3, 7, 1);
  check(new Orthogonal({ gain: 2 }).apply([5, 5], new Rng(2)), 5, 5, 2);
  const conv = new Orthogonal().apply([2, 3, 4], new Rng(3));
  assert.deepEqual([...conv.shape], [2, 3, 4]);
  check(conv, 6, 4, 1);
  assert.throws(() => new Orthogonal().apply([4], new Rng(0)), /orthogonal: shape must have rank ≥ 2, got \[4\]/);
});

test('getInitializer accepts camelCase, snake_case, class names and configs (Keras and TF.js forms)', () => {
  for (const id of ['glorotUniform', 'glorot_uniform', 'GlorotUniform']) assert.ok(getInitializer(id) instanceof GlorotUniform, id);
  for (const id of ['leCunNormal', 'lecun_normal', 'LecunNormal']) assert.equal(getInitializer(id).getConfig().class_name, 'LecunNormal');
  const tfjsGlorot = getInitializer({ class_name: 'VarianceScaling', config: { scale: 1, mode: 'fan_avg', distribution: 'normal', seed: null } }) as VarianceScaling;
  assert.equal(tfjsGlorot.distribution, 'truncated_normal');
  assert.equal(tfjsGlorot.mode, 'fan_avg');
  const camel = getInitializer({ className: 'VarianceScaling', config: { scale: 2, mode: 'fanIn', distribution: 'uniform' } }) as VarianceScaling;
  assert.equal(camel.mode, 'fan_in');
  assert.equal(getInitializer({ class_name: 'Constant', config: { value: 3 } }).apply([1], new Rng(0)).item(), 3);
  assert.throws(() => getInitializer('glorot'), /unknown initializer 'glorot'; known: zeros, ones, constant/);
  assert.throws(() => initializers.varianceScaling({ scale: -1 }), /scale must be a positive finite number, got -1/);
  assert.throws(() => initializers.varianceScaling({ mode: 'fan_sum' as never }), /mode must be one of fan_in, fan_out, fan_avg, got 'fan_sum'/);
  assert.throws(() => initializers.randomUniform({ minval: 1, maxval: 0 }), /minval must be ≤ maxval/);
});

test('every initializer config round-trips through JSON', () => {
  const rng = new Rng(11);
  for (const cls of Object.keys(INITIALIZER_CLASSES) as InitializerClassName[]) {
    const init = INITIALIZER_CLASSES[cls]({ seed: 5 });
    const cfg = JSON.parse(JSON.stringify(init.getConfig())) as { class_name: string; config: Record<string, unknown> };
    assert.equal(cfg.class_name, cls);
    const back = getInitializer(cfg);
    assert.deepEqual(back.getConfig(), cfg);
    assert.deepEqual(Array.from(back.apply([3, 2], rng).data), Array.from(init.apply([3, 2], rng).data), cls);
  }
  assert.deepEqual(new VarianceScaling({ scale: 2, mode: 'fan_out', distribution: 'uniform' }).getConfig(), {
    class_name: 'VarianceScaling',
    config: { scale: 2, mode: 'fan_out', distribution: 'uniform', seed: null },
  });
  assert.deepEqual(new GlorotUniform().getConfig(), { class_name: 'GlorotUniform', config: { seed: null } });
});
