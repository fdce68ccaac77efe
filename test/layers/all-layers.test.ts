/**
 * The shared layer contract (test/helpers/layer-test.ts) for the layers that
 * have no test file of their own beside them: InputLayer and the dropout,
 * noise and activity-regularization layers. Built only through the public
 * factories (`layers.dropout({...})`). Each is the identity at inference, so
 * the config round trip compares outputs exactly; in training the checks are
 * the formulas of docs/semantics.md §3 and §1.4 on the drawn output.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { layers } from '../../src/index.js';
import { layerTest } from '../helpers/layer-test.js';
import type { Tensor } from '../../src/tensor/tensor.js';

const SHAPE = [8, 6, 5] as const;

/** Every training output element is 0 or x/(1 − rate); both kinds occur. */
function invertedDropout(rate: number) {
  return (x: Tensor, y: Tensor): void => {
    let kept = 0;
    let dropped = 0;
    for (let i = 0; i < y.size; i++) {
      const v = y.data[i]!;
      if (v === 0) dropped++;
      else {
        assert.ok(Math.abs(v - x.data[i]! / (1 - rate)) <= 1e-6 * Math.abs(v) + 1e-7, `element ${i}: ${v} is neither 0 nor x/(1 − rate)`);
        kept++;
      }
    }
    assert.ok(kept > 0 && dropped > 0, `kept ${kept}, dropped ${dropped}`);
  };
}

/** The training output is not the input (noise was drawn) and is finite. */
function changed(x: Tensor, y: Tensor): void {
  let diff = 0;
  for (let i = 0; i < y.size; i++) if (y.data[i] !== x.data[i]) diff++;
  assert.ok(diff > y.size / 2, `only ${diff} of ${y.size} elements changed in training`);
}

test('InputLayer: identity, holds the batch input shape, round-trips its config', () => {
  const { layer } = layerTest(layers.inputLayer, { inputShape: [6, 5] }, {
    inputShape: SHAPE,
    outputShape: SHAPE,
    trainableWeights: 0,
    identityAtInference: true,
  });
  assert.deepEqual(layer.batchInputShape, [null, 6, 5]);
});

test('Dropout: identity at inference; in training 0 or x/(1 − rate)', () => {
  layerTest(layers.dropout, { rate: 0.4 }, {
    inputShape: SHAPE,
    outputShape: SHAPE,
    trainableWeights: 0,
    identityAtInference: true,
    checkTraining: invertedDropout(0.4),
  });
});

test('Dropout with noiseShape and a seed', () => {
  layerTest(layers.dropout, { rate: 0.5, noiseShape: [null, 1, 5], seed: 3 }, {
    inputShape: SHAPE,
    outputShape: SHAPE,
    trainableWeights: 0,
    identityAtInference: true,
    checkTraining: (x, y) => {
      invertedDropout(0.5)(x, y);
      // One mask value per (batch, channel), shared over the steps.
      const [b, s, c] = SHAPE;
      for (let i = 0; i < b; i++) {
        for (let k = 0; k < c; k++) {
          const zero = y.data[i * s * c + k] === 0;
          for (let j = 1; j < s; j++) assert.equal(y.data[(i * s + j) * c + k] === 0, zero, `mask differs along steps at (${i}, ${j}, ${k})`);
        }
      }
    },
  });
});

test('SpatialDropout1D: whole channels dropped, inverted scaling', () => {
  layerTest(layers.spatialDropout1d, { rate: 0.5 }, {
    inputShape: SHAPE,
    outputShape: SHAPE,
    trainableWeights: 0,
    identityAtInference: true,
    checkTraining: (x, y) => {
      invertedDropout(0.5)(x, y);
      const [b, s, c] = SHAPE;
      for (let i = 0; i < b; i++) {
        for (let k = 0; k < c; k++) {
          const zero = y.data[i * s * c + k] === 0;
          for (let j = 1; j < s; j++) assert.equal(y.data[(i * s + j) * c + k] === 0, zero, `channel (${i}, ${k}) partly dropped`);
        }
      }
    },
  });
});

test('SpatialDropout2D: whole feature maps dropped (one draw per sample and channel), inverted scaling', () => {
  const shape = [6, 4, 3, 5] as const;
  layerTest(layers.spatialDropout2d, { rate: 0.5, seed: 4 }, {
    inputShape: shape,
    outputShape: shape,
    trainableWeights: 0,
    identityAtInference: true,
    checkTraining: (x, y) => {
      invertedDropout(0.5)(x, y);
      const [b, h, w, c] = shape;
      for (let i = 0; i < b; i++) {
        for (let k = 0; k < c; k++) {
          const zero = y.data[i * h * w * c + k] === 0;
          for (let p = 1; p < h * w; p++) assert.equal(y.data[(i * h * w + p) * c + k] === 0, zero, `feature map (${i}, ${k}) partly dropped`);
        }
      }
    },
  });
});

test('GaussianDropout: multiplicative noise in training, identity at inference', () => {
  layerTest(layers.gaussianDropout, { rate: 0.2 }, {
    inputShape: SHAPE,
    outputShape: SHAPE,
    trainableWeights: 0,
    identityAtInference: true,
    checkTraining: (x, y) => {
      changed(x, y);
      // y = x·n: a zero input stays zero, and the factor n ~ N(1, 0.25) keeps the sign mostly.
      let sameSign = 0;
      for (let i = 0; i < y.size; i++) if (Math.sign(y.data[i]!) === Math.sign(x.data[i]!)) sameSign++;
      assert.ok(sameSign > 0.9 * y.size, `sign kept for only ${sameSign} of ${y.size}`);
    },
  });
});

test('GaussianNoise: additive noise in training, identity at inference', () => {
  layerTest(layers.gaussianNoise, { stddev: 0.5, seed: 9 }, {
    inputShape: SHAPE,
    outputShape: SHAPE,
    trainableWeights: 0,
    identityAtInference: true,
    checkTraining: (x, y) => {
      changed(x, y);
      let s2 = 0;
      for (let i = 0; i < y.size; i++) s2 += (y.data[i]! - x.data[i]!) ** 2;
      const sd = Math.sqrt(s2 / y.size);
      assert.ok(sd > 0.35 && sd < 0.65, `noise stddev ${sd}, expected about 0.5`);
    },
  });
});

test('AlphaDropout: dropped units become a·α′ + b, kept ones a·x + b', () => {
  const rate = 0.1;
  const alphaP = -1.6732632423543772 * 1.0507009873554805;
  const a = ((1 - rate) * (1 + rate * alphaP * alphaP)) ** -0.5;
  const b = -a * alphaP * rate;
  layerTest(layers.alphaDropout, { rate }, {
    inputShape: SHAPE,
    outputShape: SHAPE,
    trainableWeights: 0,
    identityAtInference: true,
    checkTraining: (x, y) => {
      let dropped = 0;
      for (let i = 0; i < y.size; i++) {
        const v = y.data[i]!;
        const kept = a * x.data[i]! + b;
        const drop = a * alphaP + b;
        if (Math.abs(v - drop) < 1e-5) dropped++;
        else assert.ok(Math.abs(v - kept) < 1e-5, `element ${i}: ${v} is neither ${kept} nor ${drop}`);
      }
      assert.ok(dropped > 0, 'nothing dropped');
    },
  });
});

test('ActivityRegularization: identity, adds l1·Σ|y| + l2·Σy² divided by the batch size', () => {
  const { layer, input } = layerTest(layers.activityRegularization, { l1: 0.01, l2: 0.02 }, {
    inputShape: SHAPE,
    outputShape: SHAPE,
    trainableWeights: 0,
    identityAtInference: true,
  });
  layer.apply(input, { training: false });
  let l1 = 0;
  let l2 = 0;
  for (let i = 0; i < input.size; i++) {
    l1 += Math.abs(input.data[i]!);
    l2 += input.data[i]! ** 2;
  }
  const expected = (0.01 * l1 + 0.02 * l2) / SHAPE[0];
  const total = layer.losses.reduce((s, t) => s + t.item(), 0);
  assert.ok(Math.abs(total - expected) <= 1e-5 * expected, `penalty ${total}, expected ${expected}`);
});
