import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Bidirectional, bidirectional } from './bidirectional.js';
import { lstm, LSTM } from './lstm.js';
import { gru } from './gru.js';
import { simpleRNN } from './simple-rnn.js';
import { dense } from './dense.js';
import { layerFromConfig } from './registry.js';
import { Rng } from '../random.js';
import { Tensor } from '../tensor/tensor.js';
import { layerTest } from '../../test/helpers/layer-test.js';

const ctx = { training: false };

function randomX(shape: number[], seed: number): Tensor {
  const rng = new Rng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return new Tensor(shape, 'float32', Float32Array.from({ length: n }, () => rng.normal()));
}

/** `t` [b, T, u] reversed along time. */
function reverseSteps(t: Tensor): number[] {
  const [b, T, u] = t.shape as [number, number, number];
  const out: number[] = [];
  for (let i = 0; i < b; i++) for (let s = T - 1; s >= 0; s--) for (let k = 0; k < u; k++) out.push(t.data[(i * T + s) * u + k]!);
  return out;
}

function close(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  assert.equal(a.length, b.length, `${what}: lengths`);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) <= 1e-5 + 1e-5 * Math.abs(b[i]!), `${what}[${i}]: ${a[i]} vs ${b[i]}`);
}

/** A plain layer of the same config as one direction, with its weights. */
function twin(l: LSTM, goBackwards: boolean, returnSequences: boolean, x: Tensor): Tensor {
  const t = lstm({ units: l.units, goBackwards, returnSequences });
  t.apply(x, ctx, new Rng(0));
  t.setWeights(l.getWeights());
  return t.apply(x, ctx) as Tensor;
}

test('Bidirectional contract: LSTM / GRU / SimpleRNN, concat doubles the units, config round trip', () => {
  layerTest(bidirectional, { layer: lstm({ units: 3 }) }, { inputShape: [2, 4, 5], outputShape: [2, 6], trainableWeights: 6 });
  layerTest(Bidirectional, { layer: gru({ units: 2, returnSequences: true }), mergeMode: 'sum' }, { inputShape: [2, 3, 4], outputShape: [2, 3, 2], trainableWeights: 6 });
  layerTest(bidirectional, { layer: simpleRNN({ units: 2 }), mergeMode: 'ave' }, { inputShape: [3, 2, 2], outputShape: [3, 2], trainableWeights: 6 });
});

test('forward_ and backward_ copies; weights named <bidirectional>/forward_<name>/<weight> (TF.js), forward first', () => {
  const b = bidirectional({ layer: lstm({ units: 2, name: 'enc' }), name: 'bi' });
  assert.equal(b.forwardLayer.name, 'forward_enc');
  assert.equal(b.backwardLayer.name, 'backward_enc');
  assert.equal((b.forwardLayer as LSTM).goBackwards, false);
  assert.equal((b.backwardLayer as LSTM).goBackwards, true);
  b.apply(randomX([1, 3, 2], 1), ctx, new Rng(1));
  assert.deepEqual(b.weights.map((w) => w.name), [
    'bi/forward_enc/kernel', 'bi/forward_enc/recurrent_kernel', 'bi/forward_enc/bias',
    'bi/backward_enc/kernel', 'bi/backward_enc/recurrent_kernel', 'bi/backward_enc/bias',
  ]);
  // The two directions start from different weights.
  assert.notDeepEqual(Array.from(b.forwardLayer.weights[0]!.data), Array.from(b.backwardLayer.weights[0]!.data));
});

test('outputs: forward ⊕ backward, the backward sequence reversed back in time; every merge mode', () => {
  const x = randomX([2, 4, 3], 2);
  for (const returnSequences of [false, true]) {
    const parts: Record<string, number[]> = {};
    for (const mode of ['concat', 'sum', 'mul', 'ave', null] as const) {
      const b = bidirectional({ layer: lstm({ units: 2, returnSequences }), mergeMode: mode });
      const y = b.apply(x, ctx, new Rng(3));
      const f = twin(b.forwardLayer as LSTM, false, returnSequences, x);
      const bw = twin(b.backwardLayer as LSTM, true, returnSequences, x);
      const back = returnSequences ? reverseSteps(bw) : Array.from(bw.data);
      const fd = Array.from(f.data);
      if (mode === null) {
        assert.ok(Array.isArray(y) && y.length === 2);
        close((y as Tensor[])[0]!.data, fd, 'forward');
        close((y as Tensor[])[1]!.data, back, 'backward');
        continue;
      }
      const got = Array.from((y as Tensor).data);
      if (mode === 'concat') {
        const u = 2;
        const want: number[] = [];
        for (let r = 0; r < fd.length / u; r++) want.push(fd[r * u]!, fd[r * u + 1]!, back[r * u]!, back[r * u + 1]!);
        close(got, want, 'concat');
      } else {
        const op = { sum: (a: number, c: number) => a + c, mul: (a: number, c: number) => a * c, ave: (a: number, c: number) => (a + c) / 2 }[mode];
        close(got, fd.map((v, i) => op(v, back[i]!)), mode);
      }
      parts[String(mode)] = got;
    }
  }
});

test('returnState: merged output, then the forward states, then the backward states', () => {
  const b = bidirectional({ layer: lstm({ units: 2, returnState: true }) });
  const x = randomX([2, 3, 2], 4);
  const y = b.apply(x, ctx, new Rng(5)) as Tensor[];
  assert.equal(y.length, 5);
  assert.deepEqual(y.map((t) => t.shape), [[2, 4], [2, 2], [2, 2], [2, 2], [2, 2]]);
  assert.deepEqual(b.computeOutputShape([null, 3, 2]), [[null, 4], [null, 2], [null, 2], [null, 2], [null, 2]]);
  close(y[1]!.data, Array.from(y[0]!.data).filter((_, i) => i % 4 < 2), 'forward h = forward output');
  const none = bidirectional({ layer: lstm({ units: 2, returnState: true }), mergeMode: null });
  assert.equal((none.apply(x, ctx, new Rng(5)) as Tensor[]).length, 6);
});

test('masks reach both directions: a masked step changes neither output', () => {
  const b = bidirectional({ layer: lstm({ units: 3 }) });
  const x = randomX([1, 4, 2], 6);
  const x2 = new Tensor(x.shape, 'float32', Float32Array.from(x.data, (v, i) => (Math.floor(i / 2) === 3 ? v + 5 : v)));
  const mask = new Tensor([1, 4], 'float32', Float32Array.from([1, 1, 1, 0]));
  const y1 = b.apply(x, { training: false, mask }, new Rng(7)) as Tensor;
  const y2 = b.apply(x2, { training: false, mask }) as Tensor;
  close(y2.data, y1.data, 'masked step ignored');
  const unmasked = b.apply(x2, ctx) as Tensor;
  assert.ok(Math.abs(unmasked.data[0]! - y1.data[0]!) > 1e-6 || Math.abs(unmasked.data[4]! - y1.data[4]!) > 1e-6);
  assert.equal(b.supportsMasking, true);
  assert.equal(b.computeMask(x, mask), null);
  assert.equal(bidirectional({ layer: lstm({ units: 1, returnSequences: true }) }).computeMask(x, mask), mask);
});

test('config: the layer as given, merge_mode (null kept), backward_layer when given; TF.js key spelling reads back', () => {
  const b = bidirectional({ layer: lstm({ units: 2, name: 'enc' }), mergeMode: null, name: 'bi' });
  const c = JSON.parse(JSON.stringify(b.getConfig())) as Record<string, unknown>;
  assert.equal(c['merge_mode'], null);
  assert.deepEqual((c['layer'] as { class_name: string; config: Record<string, unknown> }).class_name, 'LSTM');
  assert.equal((c['layer'] as { config: Record<string, unknown> }).config['name'], 'enc');
  assert.equal(c['backward_layer'], undefined);
  const back = layerFromConfig({ class_name: 'Bidirectional', config: c }) as Bidirectional;
  assert.equal(back.mergeMode, null);
  assert.equal(back.forwardLayer.name, 'forward_enc');
  const concat = layerFromConfig({ class_name: 'Bidirectional', config: { ...c, merge_mode: 'concat' } }) as Bidirectional;
  assert.equal(concat.mergeMode, 'concat');
  const given = bidirectional({ layer: lstm({ units: 2 }), backwardLayer: lstm({ units: 2, goBackwards: true, name: 'rev' }) });
  const gc = given.getConfig();
  assert.equal((gc['backward_layer'] as { config: Record<string, unknown> }).config['name'], 'rev');
  assert.equal(given.backwardLayer.name, 'rev');
});

test('errors: not a recurrent layer, a backwardLayer running the same way or returning differently, a bad merge mode', () => {
  assert.throws(() => bidirectional({ layer: dense({ units: 2 }) }), /Bidirectional needs a recurrent layer \(SimpleRNN, LSTM, GRU\).*\(Dense\)/);
  assert.throws(() => bidirectional({ layer: lstm({ units: 2 }), backwardLayer: lstm({ units: 2 }) }), /must run the other way/);
  assert.throws(() => bidirectional({ layer: lstm({ units: 2 }), backwardLayer: lstm({ units: 2, goBackwards: true, returnSequences: true }) }), /must have the forward layer's returnSequences \(false\)/);
  assert.throws(() => bidirectional({ layer: lstm({ units: 2 }), mergeMode: 'max' as never }), /mergeMode/);
});

test('an inputShape given to the wrapped layer becomes the wrapper\'s (a Sequential can start with it)', () => {
  const b = bidirectional({ layer: lstm({ units: 2, inputShape: [5, 3] }) });
  assert.deepEqual(b.batchInputShape, [null, 5, 3]);
  assert.equal(b.forwardLayer.batchInputShape, undefined);
});
