/**
 * Backend conformance for conv2d (assembly/conv2d.ts: patch-packed GEMMs, by
 * group) and depthwise conv2d: wasm vs reference on awkward sizes — 1×1
 * kernels, strides larger than the kernel, odd sizes, 'valid' and 'same'
 * padding (explicit top/left, as the op computes them), dilation, groups,
 * channel counts that are not multiples of 4 or of the 4×8 tile, sizes on
 * both sides of the threading threshold — with rtol = atol = 1e-5·√k; then
 * bit-identical results on 1, 2 and 3 threads.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Conv2dGeometry } from '../../src/backend/backend.js';
import { filterChunks } from '../../src/backend/wasm/conv2d.js';
import { conv2dAxis } from '../../src/ops/conv2d.js';
import { assertBitIdentical } from '../helpers/assert-close.js';
import { assertCloseK, backends, randomData, rngFor } from '../helpers/wasm.js';

const { wasm, ref } = await backends(2);

/** Geometry as the conv2d op computes it. */
function geometry(batch: number, inH: number, inW: number, inC: number, outC: number, k: [number, number], s: [number, number], d: [number, number], padding: 'valid' | 'same', groups = 1): Conv2dGeometry {
  const h = conv2dAxis(inH, k[0], s[0], d[0], padding, 'test', 'height');
  const w = conv2dAxis(inW, k[1], s[1], d[1], padding, 'test', 'width');
  return { batch, inH, inW, inC, outH: h.out, outW: w.out, outC, kh: k[0], kw: k[1], strideH: s[0], strideW: s[1], dilationH: d[0], dilationW: d[1], padTop: h.pad, padLeft: w.pad, groups };
}

function check(g: Conv2dGeometry, seed: number, depthwise = false): void {
  const rng = rngFor(seed);
  const cg = g.inC / g.groups;
  const x = randomData(rng, g.batch * g.inH * g.inW * g.inC);
  const w = randomData(rng, g.kh * g.kw * cg * g.outC);
  const dy = randomData(rng, g.batch * g.outH * g.outW * g.outC);
  const label = `${depthwise ? 'depthwise' : 'conv2d'} ${JSON.stringify(g)}`;
  const k = g.kh * g.kw;
  if (depthwise) {
    assertCloseK(wasm.depthwiseConv2dForward(x, w, g), ref.depthwiseConv2dForward(x, w, g), k, `${label} forward`);
    assertCloseK(wasm.depthwiseConv2dBackwardInput(dy, w, g), ref.depthwiseConv2dBackwardInput(dy, w, g), k * (g.outC / g.inC), `${label} backward-input`);
    assertCloseK(wasm.depthwiseConv2dBackwardFilter(x, dy, g), ref.depthwiseConv2dBackwardFilter(x, dy, g), g.batch * g.outH * g.outW, `${label} backward-filter`);
    return;
  }
  assertCloseK(wasm.conv2dForward(x, w, g), ref.conv2dForward(x, w, g), k * cg, `${label} forward`);
  assertCloseK(wasm.conv2dBackwardInput(dy, w, g), ref.conv2dBackwardInput(dy, w, g), k * (g.outC / g.groups), `${label} backward-input`);
  assertCloseK(wasm.conv2dBackwardFilter(x, dy, g), ref.conv2dBackwardFilter(x, dy, g), g.batch * g.outH * g.outW, `${label} backward-filter`);
}

test('conv2d: forward, backward-input and backward-filter on awkward sizes, paddings, strides, dilations', () => {
  let seed = 40;
  const shapes: [number, number, number, number, number][] = [
    // batch, inH, inW, inC, outC
    [1, 1, 1, 1, 1],
    [2, 7, 5, 3, 5],
    [1, 9, 8, 4, 8],
    [3, 6, 11, 7, 9],
    [2, 5, 5, 16, 1],
    [1, 13, 4, 1, 3],
  ];
  const windows: [[number, number], [number, number], [number, number]][] = [
    [[1, 1], [1, 1], [1, 1]],
    [[3, 3], [1, 1], [1, 1]],
    [[2, 3], [2, 1], [1, 1]],
    [[1, 1], [3, 2], [1, 1]],
    [[2, 2], [3, 3], [1, 1]],
    [[3, 2], [1, 1], [2, 1]],
    [[3, 3], [1, 1], [2, 2]],
  ];
  for (const [batch, inH, inW, inC, outC] of shapes) {
    for (const padding of ['valid', 'same'] as const) {
      for (const [k, s, d] of windows) {
        if (padding === 'valid' && (inH < d[0] * (k[0] - 1) + 1 || inW < d[1] * (k[1] - 1) + 1)) continue;
        check(geometry(batch, inH, inW, inC, outC, k, s, d, padding), seed++);
      }
    }
  }
  check({ ...geometry(1, 4, 4, 2, 3, [3, 3], [1, 1], [1, 1], 'same'), batch: 0 }, seed++);
});

test('conv2d groups: 2, 3 and channels-many groups, odd per-group widths, strides and same padding', () => {
  let seed = 60;
  for (const [inC, outC, groups] of [[4, 6, 2], [6, 3, 3], [9, 12, 3], [8, 8, 8], [4, 20, 2], [12, 36, 4]] as const) {
    for (const padding of ['valid', 'same'] as const) {
      for (const [k, s] of [[[3, 3], [1, 1]], [[2, 3], [2, 1]], [[1, 1], [2, 2]]] as const) {
        check(geometry(2, 7, 6, inC, outC, [k[0], k[1]], [s[0], s[1]], [1, 1], padding, groups), seed++);
      }
    }
  }
});

test('depthwise conv2d on the wasm backend agrees with the reference (multipliers 1–3)', () => {
  let seed = 80;
  for (const mult of [1, 2, 3]) {
    for (const padding of ['valid', 'same'] as const) {
      for (const [k, s, d] of [[[3, 3], [1, 1], [1, 1]], [[2, 3], [2, 2], [1, 1]], [[3, 2], [1, 1], [2, 2]]] as const) {
        check(geometry(2, 7, 6, 5, 5 * mult, [k[0], k[1]], [s[0], s[1]], [d[0], d[1]], padding, 5), seed++, true);
      }
    }
  }
});

test('conv2d: sizes across the threading threshold (CNN-like layers)', () => {
  let seed = 90;
  for (const [batch, hw, inC, outC, k, s, padding, groups] of [
    [4, 16, 8, 32, 3, 1, 'same', 1],
    [2, 16, 32, 32, 3, 2, 'same', 1],
    [2, 15, 24, 36, 3, 1, 'valid', 3],
    [3, 12, 16, 64, 1, 1, 'valid', 1],
  ] as const) {
    check(geometry(batch, hw, hw, inC, outC, [k, k], [s, s], [1, 1], padding, groups), seed++);
  }
});

test('conv2d forward, backward-input and backward-filter are bit-identical on 1, 2 and 3 threads', async () => {
  const rng = rngFor(99);
  const geometries = [
    geometry(8, 16, 16, 16, 32, [3, 3], [1, 1], [1, 1], 'same'),
    geometry(4, 15, 13, 12, 18, [3, 2], [2, 2], [1, 1], 'same', 3),
    geometry(6, 20, 20, 8, 24, [5, 5], [1, 1], [1, 1], 'valid'),
  ];
  for (const g of geometries) {
    const cg = g.inC / g.groups;
    const x = randomData(rng, g.batch * g.inH * g.inW * g.inC);
    const w = randomData(rng, g.kh * g.kw * cg * g.outC);
    const dy = randomData(rng, g.batch * g.outH * g.outW * g.outC);
    const runAll = (): Float32Array[] => [wasm.conv2dForward(x, w, g), wasm.conv2dBackwardInput(dy, w, g), wasm.conv2dBackwardFilter(x, dy, g)] as Float32Array[];
    await wasm.setThreads(1);
    const one = runAll();
    for (const t of [2, 3]) {
      await wasm.setThreads(t);
      assert.equal(wasm.threads, t);
      const other = runAll();
      ['forward', 'backward-input', 'backward-filter'].forEach((name, i) => assertBitIdentical(one[i]!, other[i]!, `conv2d ${name} ${JSON.stringify(g)} 1 vs ${t} threads`));
    }
  }
  await wasm.setThreads(2);
});

test('conv2d backward-filter over depth chunks: agrees with the reference and is bit-identical on 1, 2 and 3 threads', async () => {
  const rng = rngFor(120);
  const cases: [Conv2dGeometry, number][] = [
    // depth 12 493 (not a multiple of 12), 3 channels: single-lane packing across taps
    [geometry(13, 31, 31, 3, 5, [3, 3], [1, 1], [1, 1], 'same'), 12],
    // dilation 2, 'valid', 12 channels (four-channel runs), 9 outputs: depth 6 760
    [geometry(10, 30, 30, 12, 9, [3, 3], [1, 1], [2, 2], 'valid'), 6],
    // groups 2, stride 2, 'same', an odd 2×3 kernel: depth 3 120
    [geometry(20, 25, 23, 8, 6, [2, 3], [2, 2], [1, 1], 'same', 2), 3],
    // 1×1 kernel with a stride larger than the kernel: depth 2 700
    [geometry(300, 9, 9, 5, 3, [1, 1], [3, 3], [1, 1], 'valid'), 2],
    // depth 2 047: one chunk (dw is split instead)
    [geometry(23, 89, 1, 4, 8, [3, 1], [1, 1], [1, 1], 'same'), 1],
  ];
  for (const [g, chunks] of cases) {
    assert.equal(filterChunks(g), chunks, `chunks for ${JSON.stringify(g)}`);
    const cg = g.inC / g.groups;
    const x = randomData(rng, g.batch * g.inH * g.inW * g.inC);
    const dy = randomData(rng, g.batch * g.outH * g.outW * g.outC);
    const label = `conv2d backward-filter (${chunks} chunks) ${JSON.stringify(g)}`;
    await wasm.setThreads(1);
    const one = wasm.conv2dBackwardFilter(x, dy, g) as Float32Array;
    assert.equal(one.length, g.kh * g.kw * cg * g.outC);
    assertCloseK(one, ref.conv2dBackwardFilter(x, dy, g), g.batch * g.outH * g.outW, label);
    for (const t of [2, 3]) {
      await wasm.setThreads(t);
      assertBitIdentical(one, wasm.conv2dBackwardFilter(x, dy, g) as Float32Array, `${label} 1 vs ${t} threads`);
    }
  }
  await wasm.setThreads(2);
});
