/**
 * Backend conformance for 2-D pooling: assembly/pool2d.ts (wasm SIMD, split
 * over threads) against the reference kernels, max and avg, forward and
 * backward, on awkward geometries: stride > pool (skipped positions), odd
 * sizes, channel counts around the 4-lane width, 'same' padding with the
 * extra row/column on either side, windows that run past the input, ties
 * (values on a 1/4 grid) and NaNs. Max is exact (same comparisons, same
 * accumulation order of dy); avg sums in float32 where the reference sums in
 * float64, so it is compared with rtol = atol = 1e-5·√(pool area). Then the
 * same kernels are bit-identical on 1, 2 and 3 threads, for splits by rows
 * and by channels.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pool2dGeometry } from '../../src/backend/backend.js';
import { MIN_FLOPS_PER_THREAD } from '../../src/backend/wasm/threads.js';
import { assertBitIdentical, assertClose } from '../helpers/assert-close.js';
import { assertCloseK, backends, randomData, rngFor } from '../helpers/wasm.js';

const { wasm, ref } = await backends(2);

/** Geometry as the ops compute it: 'valid' or TF 'same' per axis (or an explicit leading pad, for windows past the end). */
function geom(batch: number, inH: number, inW: number, c: number, pool: [number, number], stride: [number, number], padding: 'valid' | 'same' | [number, number]): Pool2dGeometry {
  const axis = (len: number, k: number, s: number, i: 0 | 1): [number, number] => {
    if (padding === 'valid') return [Math.max(0, Math.floor((len - k) / s) + 1), 0];
    const out = Math.floor((len - 1) / s) + 1;
    if (padding === 'same') return [out, Math.floor(Math.max((out - 1) * s + k - len, 0) / 2)];
    return [out + 1, padding[i]];
  };
  const [outH, padTop] = axis(inH, pool[0], stride[0], 0);
  const [outW, padLeft] = axis(inW, pool[1], stride[1], 1);
  return { batch, inH, inW, c, outH, outW, poolH: pool[0], poolW: pool[1], strideH: stride[0], strideW: stride[1], padTop, padLeft };
}

/** Values on a 1/4 grid (many ties), with a few NaNs when `nans`. */
function gridData(seed: number, n: number, nans = false): Float32Array {
  const rng = rngFor(seed);
  const x = randomData(rng, n).map((v) => Math.round(v * 4) / 4);
  if (nans) for (let i = 0; i < n; i += 37) x[i] = NaN;
  return x;
}

const SHAPES: [number, number, number, number][] = [
  [1, 1, 1, 1],
  [2, 5, 7, 3],
  [1, 9, 4, 8],
  [3, 6, 6, 13],
  [2, 11, 5, 4],
  [1, 4, 9, 1],
];
const WINDOWS: [[number, number], [number, number]][] = [
  [[2, 2], [2, 2]],
  [[3, 3], [1, 1]],
  [[3, 2], [2, 3]],
  [[2, 2], [3, 3]], // stride > pool: rows and columns skipped
  [[1, 3], [1, 2]],
  [[4, 4], [3, 2]],
  [[1, 1], [1, 1]],
];

function cases(): Pool2dGeometry[] {
  const out: Pool2dGeometry[] = [];
  for (const [b, h, w, c] of SHAPES) {
    for (const [pool, stride] of WINDOWS) {
      for (const padding of ['valid', 'same'] as const) {
        const g = geom(b, h, w, c, pool, stride, padding);
        if (g.outH > 0 && g.outW > 0) out.push(g);
      }
    }
  }
  out.push(geom(1, 3, 4, 5, [2, 2], [2, 2], [3, 1])); // windows past the bottom edge: empty ones
  out.push(geom(2, 4, 3, 6, [3, 3], [2, 2], [2, 2])); // more leading padding than TF would use
  return out;
}

test('pool2d forward: wasm equals the reference (max exact, avg within float32 summation)', () => {
  let seed = 1;
  for (const g of cases()) {
    for (const nans of [false, true]) {
      const x = gridData(seed++, g.batch * g.inH * g.inW * g.c, nans);
      const label = `${JSON.stringify(g)}${nans ? ' with NaNs' : ''}`;
      assertClose(wasm.pool2dForward('max', x, g), ref.pool2dForward('max', x, g), { rtol: 0, atol: 0, label: `max ${label}` });
      assertCloseK(wasm.pool2dForward('avg', x, g), ref.pool2dForward('avg', x, g), g.poolH * g.poolW, `avg ${label}`);
    }
  }
});

test('pool2d backward: wasm equals the reference (max to the first maximal position, avg spread over the valid positions)', () => {
  let seed = 100;
  for (const g of cases()) {
    for (const nans of [false, true]) {
      const x = gridData(seed++, g.batch * g.inH * g.inW * g.c, nans);
      const dy = randomData(rngFor(seed++), g.batch * g.outH * g.outW * g.c);
      const label = `${JSON.stringify(g)}${nans ? ' with NaNs' : ''}`;
      const yMax = ref.pool2dForward('max', x, g);
      assertClose(wasm.pool2dBackward('max', x, yMax, dy, g), ref.pool2dBackward('max', x, yMax, dy, g), { rtol: 0, atol: 0, label: `max backward ${label}` });
      const yAvg = ref.pool2dForward('avg', x, g);
      assertCloseK(wasm.pool2dBackward('avg', x, yAvg, dy, g), ref.pool2dBackward('avg', x, yAvg, dy, g), g.poolH * g.poolW, `avg backward ${label}`);
    }
  }
});

test('pool2d inside a scope (arena outputs) equals the plain call', () => {
  const g = geom(2, 7, 9, 6, [3, 3], [2, 2], 'same');
  const x = gridData(7, g.batch * g.inH * g.inW * g.c);
  const plain = wasm.pool2dForward('max', x, g) as Float32Array;
  wasm.beginScope();
  const scoped = Float32Array.from(wasm.pool2dForward('max', x, g));
  wasm.endScope();
  assertBitIdentical(scoped, plain, 'scoped max');
});

test('pool2d forward and backward are bit-identical on 1, 2 and 3 threads (splits by rows and by channels)', async () => {
  const big: [Pool2dGeometry, string][] = [
    [geom(8, 64, 64, 24, [3, 3], [1, 1], 'same'), 'rows (b, oh)'],
    [geom(1, 4, 200, 301, [4, 4], [1, 1], 'same'), 'channels'],
    [geom(24, 65, 67, 40, [3, 2], [2, 3], 'valid'), 'rows, stride > pool'],
  ];
  for (const [g, how] of big) {
    const work = g.batch * g.outH * g.outW * g.c * g.poolH * g.poolW;
    assert.ok(work >= 3 * MIN_FLOPS_PER_THREAD, `${how}: large enough to split over 3 threads (${work})`);
    const x = gridData(11, g.batch * g.inH * g.inW * g.c, true);
    const dy = randomData(rngFor(12), g.batch * g.outH * g.outW * g.c);
    const run = (): Float32Array[] => {
      const out: Float32Array[] = [];
      for (const kind of ['max', 'avg'] as const) {
        const y = Float32Array.from(wasm.pool2dForward(kind, x, g));
        out.push(y, Float32Array.from(wasm.pool2dBackward(kind, x, y, dy, g)));
      }
      return out;
    };
    await wasm.setThreads(1);
    const one = run();
    for (const t of [2, 3]) {
      await wasm.setThreads(t);
      assert.equal(wasm.threads, t);
      const other = run();
      ['max forward', 'max backward', 'avg forward', 'avg backward'].forEach((name, i) => assertBitIdentical(one[i]!, other[i]!, `${name} split by ${how}, 1 vs ${t} threads`));
    }
    // And the split result is still the reference's.
    assertClose(one[0]!, ref.pool2dForward('max', x, g), { rtol: 0, atol: 0, label: `max ${how} vs reference` });
  }
  await wasm.setThreads(2);
});
