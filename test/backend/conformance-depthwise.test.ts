/**
 * Backend conformance for depthwise conv2d (assembly/depthwise.ts: direct
 * f32x4 loops over channels): wasm vs reference on awkward sizes — 1×1
 * kernels, strides larger than the kernel, odd sizes, 'valid' and 'same'
 * padding (and explicit padding on both sides), dilation, multipliers 1–3,
 * channel counts that are not multiples of 4 (and ones past the 16-channel
 * block), empty batches — with the conv tolerance rtol = atol = 1e-5·√k; then
 * bit-identical results on 1, 2 and 3 threads for row, column and tap splits.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Conv2dGeometry } from '../../src/backend/backend.js';
import { conv2dAxis } from '../../src/ops/conv2d.js';
import { assertBitIdentical } from '../helpers/assert-close.js';
import { assertCloseK, backends, randomData, rngFor } from '../helpers/wasm.js';

const { wasm, ref } = await backends(2);

type Pair = [number, number];

/** Depthwise geometry as the op computes it (groups = inC, outC = inC·mult). */
function geometry(batch: number, inH: number, inW: number, inC: number, mult: number, k: Pair, s: Pair, d: Pair, padding: 'valid' | 'same'): Conv2dGeometry {
  const h = conv2dAxis(inH, k[0], s[0], d[0], padding, 'test', 'height');
  const w = conv2dAxis(inW, k[1], s[1], d[1], padding, 'test', 'width');
  return { batch, inH, inW, inC, outH: h.out, outW: w.out, outC: inC * mult, kh: k[0], kw: k[1], strideH: s[0], strideW: s[1], dilationH: d[0], dilationW: d[1], padTop: h.pad, padLeft: w.pad, groups: inC };
}

interface Data {
  x: Float32Array;
  w: Float32Array;
  dy: Float32Array;
}

function data(g: Conv2dGeometry, seed: number): Data {
  const rng = rngFor(seed);
  return {
    x: randomData(rng, g.batch * g.inH * g.inW * g.inC),
    w: randomData(rng, g.kh * g.kw * g.outC),
    dy: randomData(rng, g.batch * g.outH * g.outW * g.outC),
  };
}

function check(g: Conv2dGeometry, seed: number): void {
  const { x, w, dy } = data(g, seed);
  const label = `depthwise ${JSON.stringify(g)}`;
  const k = g.kh * g.kw;
  assertCloseK(wasm.depthwiseConv2dForward(x, w, g), ref.depthwiseConv2dForward(x, w, g), k, `${label} forward`);
  assertCloseK(wasm.depthwiseConv2dBackwardInput(dy, w, g), ref.depthwiseConv2dBackwardInput(dy, w, g), k * (g.outC / g.inC), `${label} backward-input`);
  assertCloseK(wasm.depthwiseConv2dBackwardFilter(x, dy, g), ref.depthwiseConv2dBackwardFilter(x, dy, g), g.batch * g.outH * g.outW, `${label} backward-filter`);
}

test('depthwise conv2d: forward, backward-input and backward-filter on awkward sizes, paddings, strides, dilations, multipliers', () => {
  let seed = 300;
  const shapes: [number, number, number, number][] = [
    // batch, inH, inW, inC
    [1, 1, 1, 1],
    [2, 7, 5, 3],
    [1, 9, 8, 4],
    [3, 6, 11, 7],
    [2, 5, 5, 16],
    [1, 13, 4, 1],
    [2, 6, 7, 21],
  ];
  const windows: [Pair, Pair, Pair][] = [
    [[1, 1], [1, 1], [1, 1]],
    [[3, 3], [1, 1], [1, 1]],
    [[2, 3], [2, 1], [1, 1]],
    [[1, 1], [3, 2], [1, 1]],
    [[2, 2], [3, 3], [1, 1]],
    [[3, 2], [1, 1], [2, 1]],
    [[3, 3], [1, 1], [2, 2]],
  ];
  for (const [batch, inH, inW, inC] of shapes) {
    for (const mult of [1, 3]) {
      for (const padding of ['valid', 'same'] as const) {
        for (const [k, s, d] of windows) {
          if (padding === 'valid' && (inH < d[0] * (k[0] - 1) + 1 || inW < d[1] * (k[1] - 1) + 1)) continue;
          check(geometry(batch, inH, inW, inC, mult, k, s, d, padding), seed++);
        }
      }
    }
  }
});

test('depthwise conv2d: multiplier 2, channel counts around the vector and 16-channel blocks', () => {
  let seed = 500;
  for (const [inC, mult] of [[2, 2], [5, 2], [6, 3], [13, 1], [17, 1], [19, 2], [32, 1], [11, 4]] as const) {
    for (const padding of ['valid', 'same'] as const) {
      check(geometry(2, 9, 8, inC, mult, [3, 3], [1, 1], [1, 1], padding), seed++);
      check(geometry(1, 10, 7, inC, mult, [4, 2], [2, 3], [1, 1], padding), seed++);
    }
  }
});

test('depthwise conv2d: explicit padding on both sides, larger than the kernel reach, and empty sizes', () => {
  let seed = 600;
  const base = geometry(2, 6, 5, 6, 2, [3, 2], [1, 1], [1, 1], 'valid');
  // padTop 3 / bottom 2, padLeft 2 / right 3: whole output rows and columns read only padding.
  check({ ...base, padTop: 3, padLeft: 2, outH: 6 + 5 - 3 + 1, outW: 5 + 5 - 2 + 1 }, seed++);
  check({ ...base, strideH: 2, strideW: 3, padTop: 1, padLeft: 2, outH: 4, outW: 3 }, seed++);
  check({ ...geometry(3, 4, 4, 5, 3, [3, 3], [1, 1], [1, 1], 'same'), batch: 0 }, seed++);
});

test('depthwise conv2d: sizes across the threading threshold (CNN-like layers)', () => {
  let seed = 700;
  for (const [batch, hw, inC, mult, k, s, padding] of [
    [8, 16, 32, 1, 3, 1, 'same'],
    [4, 15, 24, 2, 3, 2, 'same'],
    [2, 14, 48, 1, 5, 1, 'valid'],
    [3, 12, 10, 3, 3, 1, 'valid'],
  ] as const) {
    check(geometry(batch, hw, hw, inC, mult, [k, k], [s, s], [1, 1], padding), seed++);
  }
});

test('depthwise conv2d forward, backward-input and backward-filter are bit-identical on 1, 2 and 3 threads', async () => {
  const geometries = [
    // rows (b, h) split; backward-filter by channels
    geometry(12, 20, 20, 24, 1, [3, 3], [1, 1], [1, 1], 'same'),
    // few rows, many channels: column splits everywhere; multiplier 3
    geometry(3, 10, 10, 40, 3, [5, 5], [1, 1], [1, 1], 'same'),
    // backward-filter split by taps (49 taps > 6 channels)
    geometry(10, 24, 24, 6, 1, [7, 7], [1, 1], [1, 1], 'valid'),
    // strides, odd channels, multiplier 2, uneven padding
    geometry(16, 23, 21, 13, 2, [4, 4], [2, 2], [1, 1], 'same'),
  ];
  let seed = 800;
  for (const g of geometries) {
    // the split needs ≥ 3 Mflop (2 × the multiply-adds, see src/backend/wasm/conv2d.ts) to use 3 threads
    assert.ok(4 * g.batch * g.outH * g.outW * g.outC * g.kh * g.kw >= 3 << 20, `too small to use 3 threads: ${JSON.stringify(g)}`);
    const { x, w, dy } = data(g, seed++);
    const runAll = (): Float32Array[] =>
      [wasm.depthwiseConv2dForward(x, w, g), wasm.depthwiseConv2dBackwardInput(dy, w, g), wasm.depthwiseConv2dBackwardFilter(x, dy, g)] as Float32Array[];
    await wasm.setThreads(1);
    const one = runAll();
    for (const t of [2, 3]) {
      await wasm.setThreads(t);
      assert.equal(wasm.threads, t);
      const other = runAll();
      ['forward', 'backward-input', 'backward-filter'].forEach((name, i) => assertBitIdentical(one[i]!, other[i]!, `depthwise ${name} ${JSON.stringify(g)} 1 vs ${t} threads`));
    }
    check(g, seed++);
  }
  await wasm.setThreads(2);
});
