/**
 * Backend conformance for the projective resampling (assembly/affine.ts)
 * against the reference kernels (src/backend/reference/affine.ts), forward and
 * backward, every fill mode × interpolation, on awkward geometries: 1×1
 * images, odd sizes, channel counts around the 4-lane width, output sizes
 * other than the input's, projective transforms, coordinates far outside the
 * image (several periods of wrap/reflect, beyond the ±2^30 clamp), a zero
 * denominator and NaN transforms. Both backends compute coordinates, indices
 * and weights in float64 in the same order: 'nearest' interpolation is
 * bit-identical; 'bilinear' blends in float32 where the reference sums in
 * float64 (rtol = atol = 2e-5). Then the wasm kernels are bit-identical on 1,
 * 2 and 3 threads.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AffineGeometry, FillMode, ResampleInterpolation } from '../../src/backend/backend.js';
import { assertBitIdentical, assertClose } from '../helpers/assert-close.js';
import { backends, randomData, rngFor } from '../helpers/wasm.js';
import type { Rng } from '../../src/random.js';

const { wasm, ref } = await backends(2);

const MODES: FillMode[] = ['constant', 'nearest', 'reflect', 'wrap'];
const INTERPS: ResampleInterpolation[] = ['nearest', 'bilinear'];

/** [batch, inH, inW, c, outH, outW] */
const SHAPES: [number, number, number, number, number, number][] = [
  [1, 1, 1, 1, 1, 1],
  [2, 5, 7, 3, 5, 7],
  [1, 9, 4, 8, 6, 11],
  [3, 6, 6, 13, 6, 6],
  [2, 11, 5, 4, 3, 2],
  [1, 1, 9, 5, 4, 4],
  [2, 4, 4, 1, 9, 3],
];

/** A rotation·scale·shear about the centre plus a shift, with a small projective part when `projective`. */
function randomTransform(rng: Rng, h: number, w: number, projective: boolean, spread = 1): number[] {
  const a = (rng.uniform() - 0.5) * 2 * Math.PI;
  const s = 0.5 + rng.uniform();
  const sh = (rng.uniform() - 0.5) * 0.6;
  const cx = (w - 1) / 2;
  const cy = (h - 1) / 2;
  const a0 = s * Math.cos(a);
  const a1 = -s * Math.sin(a) + sh;
  const b0 = s * Math.sin(a);
  const b1 = s * Math.cos(a);
  const tx = (rng.uniform() - 0.5) * 2 * w * spread;
  const ty = (rng.uniform() - 0.5) * 2 * h * spread;
  const c0 = projective ? (rng.uniform() - 0.5) * 0.1 : 0;
  const c1 = projective ? (rng.uniform() - 0.5) * 0.1 : 0;
  return [a0, a1, cx - a0 * cx - a1 * cy + tx, b0, b1, cy - b0 * cx - b1 * cy + ty, c0, c1];
}

/** Transforms for a batch: random ones, plus the special rows below in turn. */
function transformsFor(rng: Rng, batch: number, h: number, w: number, variant: number): Float64Array {
  const special: number[][] = [
    [1, 0, 0, 0, 1, 0, 0, 0], // identity
    [1, 0, -2, 0, 1, 1, 0, 0], // whole-pixel shift
    [1, 0, 0.5, 0, 1, -0.5, 0, 0], // half-pixel shift: rounding ties
    [3, 0, -7 * w, 0, -2.5, 5 * h, 0, 0], // several periods outside
    [1, 0, 1e12, 0, 1, -1e12, 0, 0], // beyond the ±2^30 clamp
    [0, 0, 0, 0, 0, 0, -1, 0], // denominator 0 at x = 1
    [NaN, 0, 0, 0, 1, 0, 0, 0], // non-finite coordinates
  ];
  const out = new Float64Array(batch * 8);
  for (let b = 0; b < batch; b++) {
    const k = variant * batch + b;
    const row = k % 3 === 0 ? special[(k / 3) % special.length]! : randomTransform(rng, h, w, k % 3 === 2, k % 2 === 0 ? 0.3 : 2);
    out.set(row, b * 8);
  }
  return out;
}

test('affineTransform and its backward: wasm agrees with the reference (every fill mode and interpolation)', () => {
  const rng = rngFor(70);
  let cases = 0;
  for (const [batch, inH, inW, c, outH, outW] of SHAPES) {
    for (const fillMode of MODES) {
      for (const interpolation of INTERPS) {
        for (let variant = 0; variant < 3; variant++) {
          const g: AffineGeometry = { batch, inH, inW, c, outH, outW, fillMode, interpolation, fillValue: variant === 1 ? -0.75 : 0 };
          const t = transformsFor(rng, batch, inH, inW, variant);
          const x = randomData(rng, batch * inH * inW * c);
          const dy = randomData(rng, batch * outH * outW * c);
          const label = `${fillMode}/${interpolation} ${JSON.stringify([batch, inH, inW, c, outH, outW])} variant ${variant}`;
          const yw = wasm.affineTransform(x, t, g);
          const yr = ref.affineTransform(x, t, g);
          const dw = wasm.affineTransformBackward(dy, t, g);
          const dr = ref.affineTransformBackward(dy, t, g);
          assert.equal(yw.length, batch * outH * outW * c);
          assert.equal(dw.length, batch * inH * inW * c);
          if (interpolation === 'nearest') {
            assertBitIdentical(yw, yr, `${label} forward`);
            assertBitIdentical(dw, dr, `${label} backward`);
          } else {
            assertClose(yw, yr, { rtol: 2e-5, atol: 2e-5, label: `${label} forward` });
            assertClose(dw, dr, { rtol: 2e-5, atol: 2e-5 * Math.sqrt(outH * outW), label: `${label} backward` });
          }
          cases++;
        }
      }
    }
  }
  assert.equal(cases, SHAPES.length * MODES.length * INTERPS.length * 3);
});

test('affineTransform inside a scope: arena outputs, inputs from the arena and from host arrays', () => {
  const rng = rngFor(71);
  const g: AffineGeometry = { batch: 2, inH: 7, inW: 6, c: 5, outH: 4, outW: 9, fillMode: 'reflect', interpolation: 'bilinear', fillValue: 0 };
  const t = transformsFor(rng, 2, 7, 6, 1);
  const x = randomData(rng, 2 * 7 * 6 * 5);
  const expected = ref.affineTransform(x, t, g);
  wasm.beginScope();
  try {
    const inArena = wasm.fromValues(x);
    const xa = wasm.unary('neg', wasm.unary('neg', inArena, 0), 0);
    assert.ok(wasm.mem.owns(xa));
    const y = wasm.affineTransform(xa, t, g);
    assert.ok(wasm.mem.owns(y), 'output lives in the arena');
    assertClose(y, expected, { rtol: 2e-5, atol: 2e-5, label: 'arena input' });
    assertClose(wasm.affineTransform(x, t, g), expected, { rtol: 2e-5, atol: 2e-5, label: 'host input' });
  } finally {
    wasm.endScope();
  }
});

test('affineTransform forward and backward are bit-identical on 1, 2 and 3 threads', async () => {
  const rng = rngFor(72);
  for (const [batch, h, w, c] of [
    [12, 64, 64, 4],
    [9, 61, 67, 3],
  ] as const) {
    for (const interpolation of INTERPS) {
      const g: AffineGeometry = { batch, inH: h, inW: w, c, outH: h, outW: w, fillMode: 'reflect', interpolation, fillValue: 0 };
      const t = transformsFor(rng, batch, h, w, 2);
      const x = randomData(rng, batch * h * w * c);
      const dy = randomData(rng, batch * h * w * c);
      const run = async (n: number): Promise<[Float32Array, Float32Array]> => {
        await wasm.setThreads(n);
        assert.equal(wasm.threads, n);
        return [wasm.affineTransform(x, t, g) as Float32Array, wasm.affineTransformBackward(dy, t, g) as Float32Array];
      };
      const [y1, d1] = await run(1);
      for (const n of [2, 3]) {
        const [yn, dn] = await run(n);
        assertBitIdentical(y1, yn, `${interpolation} ${batch}×${h}×${w}×${c} forward, 1 vs ${n} threads`);
        assertBitIdentical(d1, dn, `${interpolation} ${batch}×${h}×${w}×${c} backward, 1 vs ${n} threads`);
      }
    }
  }
  await wasm.setThreads(2);
});
