/**
 * Masking, TimeDistributed and Bidirectional
 * against TF.js 4.22 (CPU): the same model with the same weights predicts
 * the same, and models move both ways through the TF.js Layers format
 * (configs nest the wrapped layer as {class_name, config}; TF.js names the
 * wrapped weights `time_distributed/kernel`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { layers, loadModel, Rng, Sequential, Tensor } from '../../src/index.js';
import { assertClose } from '../helpers/assert-close.js';
import { tf, tfCpu, toTf } from '../helpers/tfjs.js';
import { readDirForTfjs, tfSave, writeTfjsDir } from '../helpers/tfjs-artifacts.js';

const TOL = { rtol: 1e-5, atol: 1e-6 };

/** N(0, 1) values with some all-zero steps (Masking's padding). */
function paddedX(shape: [number, number, number], seed: number): Tensor {
  const rng = new Rng(seed);
  const [b, t, f] = shape;
  const v = new Float32Array(b * t * f);
  for (let i = 0; i < b; i++) {
    for (let s = 0; s < t; s++) {
      const pad = (i + s) % 3 === 2;
      for (let k = 0; k < f; k++) v[(i * t + s) * f + k] = pad ? 0 : rng.normal();
    }
  }
  return new Tensor(shape, 'float32', v);
}

/** Saves `m`, loads it in TF.js, and loads TF.js's own save back; returns both libraries' predictions. */
async function roundTrip(m: Sequential, x: Tensor): Promise<{ regula: Float32Array; tfjs: Float32Array; reloaded: Float32Array }> {
  await tfCpu();
  const dir = mkdtempSync(join(tmpdir(), 'regula-seqwrap-'));
  const back = mkdtempSync(join(tmpdir(), 'regula-seqwrap-tf-'));
  try {
    await m.save(dir);
    const tm = await tf.loadLayersModel(tf.io.fromMemory(readDirForTfjs(dir)));
    const tfjs = Float32Array.from((tm.predict(toTf(x)) as tf.Tensor).dataSync());
    writeTfjsDir(await tfSave(tm), back);
    const again = await loadModel(back);
    return { regula: (m.predict(x) as Tensor).data as Float32Array, tfjs, reloaded: (again.predict(x) as Tensor).data as Float32Array };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(back, { recursive: true, force: true });
  }
}

test('Masking → TimeDistributed(Dense) → GlobalAveragePooling1D both ways; TF.js pools over every step, Regula (Keras) over the real ones', async () => {
  const [b, t, f, units] = [4, 5, 3, 4];
  const m = new Sequential(
    [
      layers.masking({ maskValue: 0, inputShape: [t, f], name: 'masking' }),
      layers.timeDistributed({ layer: layers.dense({ units, activation: 'tanh', name: 'dense' }), name: 'time_distributed' }),
      layers.globalAveragePooling1d({ name: 'gap' }),
    ],
    { seed: 7 },
  );
  const x = paddedX([b, t, f], 1);
  const { regula, tfjs, reloaded } = await roundTrip(m, x);
  // Masked steps give tanh(0·W + 0) = 0 in both; TF.js's GlobalAveragePooling1D ignores the mask and divides by all steps.
  const real = Array.from({ length: b }, (_, i) => Array.from({ length: t }, (_, s) => ((i + s) % 3 === 2 ? 0 : 1)).reduce((a, c) => a + c, 0));
  const scaled = tfjs.map((v, k) => (v * t) / real[Math.floor(k / units)]!);
  assertClose(regula, scaled, TOL);
  assertClose(reloaded, regula, TOL);
});

test('TimeDistributed(Dense) weights as TF.js names them; a TF.js-built TimeDistributed model loads and predicts the same', async () => {
  await tfCpu();
  const x = paddedX([3, 4, 2], 2);
  const tm = tf.sequential({
    layers: [tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 3 }), inputShape: [4, 2], name: 'td' }), tf.layers.flatten(), tf.layers.dense({ units: 1 })],
  });
  const names = tm.weights.map((w) => w.originalName ?? w.name);
  assert.equal(names[0], 'td/kernel');
  const dir = mkdtempSync(join(tmpdir(), 'regula-td-tf-'));
  try {
    writeTfjsDir(await tfSave(tm), dir);
    const m = await loadModel(dir);
    assert.deepEqual(m.weights.slice(0, 2).map((w) => w.name), ['td/kernel', 'td/bias']);
    assertClose((m.predict(x) as Tensor).data, Float32Array.from((tm.predict(toTf(x)) as tf.Tensor).dataSync()), TOL);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Padded id sequences (0 = padding at the end, post-padded as fitTokenizer does). */
function paddedIds(b: number, t: number, vocab: number, seed: number): Tensor {
  const rng = new Rng(seed);
  const v = new Float32Array(b * t);
  for (let i = 0; i < b; i++) {
    const len = 1 + rng.int(t);
    for (let s = 0; s < len; s++) v[i * t + s] = 1 + rng.int(vocab - 1);
  }
  return new Tensor([b, t], 'float32', v);
}

test('Embedding(maskZero) → Bidirectional(LSTM, sequences, concat) → Bidirectional(GRU resetAfter false, ave) → Dense: same predictions as TF.js, both ways', async () => {
  const m = new Sequential(
    [
      layers.embedding({ inputDim: 12, outputDim: 4, maskZero: true, inputShape: [6], name: 'emb' }),
      layers.bidirectional({ layer: layers.lstm({ units: 3, returnSequences: true, name: 'lstm' }), name: 'bi_lstm' }),
      layers.bidirectional({ layer: layers.gru({ units: 2, resetAfter: false, name: 'gru' }), mergeMode: 'ave', name: 'bi_gru' }),
      layers.dense({ units: 1, name: 'out' }),
    ],
    { seed: 11 },
  );
  assert.deepEqual(m.weights.slice(1, 4).map((w) => w.name), ['bi_lstm/forward_lstm/kernel', 'bi_lstm/forward_lstm/recurrent_kernel', 'bi_lstm/forward_lstm/bias']);
  const x = paddedIds(5, 6, 12, 3);
  const { regula, tfjs, reloaded } = await roundTrip(m, x);
  assertClose(regula, tfjs, TOL);
  assertClose(reloaded, regula, TOL);
});

test('Bidirectional(SimpleRNN) with merge modes sum and mul: same predictions as TF.js', async () => {
  for (const mergeMode of ['sum', 'mul'] as const) {
    const m = new Sequential(
      [layers.bidirectional({ layer: layers.simpleRNN({ units: 3, name: 'rnn' }), mergeMode, inputShape: [4, 2], name: 'bi' }), layers.dense({ units: 2, name: 'out' })],
      { seed: 5 },
    );
    const x = paddedX([3, 4, 2], 4);
    const { regula, tfjs } = await roundTrip(m, x);
    assertClose(regula, tfjs, TOL);
  }
});
