/**
 * Backend conformance for the recurrent sequence kernels (assembly/rnn.ts +
 * the plan in src/backend/reference/rnn.ts): wasm vs reference for every
 * cell, GRU reset after/before, every fused activation, sequence masks,
 * per-gate recurrent masks, goBackwards, unit counts that are not multiples
 * of 4, one step, one row; forward buffers and BPTT gradients within float32
 * rounding; then bit-identical results on 1, 2 and 3 threads on a size whose
 * GEMMs and cell kernels split.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Backend, FloatArray, RnnActivation, RnnCellKind, RnnGeometry } from '../../src/backend/backend.js';
import { rnnLayout, RNN_GATES } from '../../src/backend/reference/rnn.js';
import { assertBitIdentical } from '../helpers/assert-close.js';
import { assertCloseK, backends, randomData, rngFor } from '../helpers/wasm.js';

const { wasm, ref } = await backends(2);

interface Case {
  g: RnnGeometry;
  rb: boolean;
  rmask: boolean;
  smask: boolean;
}

function inputs(c: Case, seed: number) {
  const rng = rngFor(seed);
  const { batch: b, steps: T, units: u } = c.g;
  const G = RNN_GATES[c.g.cell];
  const rmask = c.rmask ? Float32Array.from(randomData(rng, G * b * u, 0, 1), (v) => (v < 0.3 ? 0 : 1 / 0.7)) : null;
  const smask = c.smask ? Float32Array.from(randomData(rng, b * T, 0, 1), (v) => (v < 0.3 ? 0 : 1)) : null;
  return {
    zx: randomData(rng, b * T * G * u, -1.5, 1.5),
    rk: randomData(rng, G * u * u, -0.6, 0.6),
    rb: c.rb ? randomData(rng, G * u, -0.5, 0.5) : null,
    rmask,
    smask,
    dy: randomData(rng, b * (T + rnnLayout(c.g).extra) * u, -1, 1),
  };
}

function run(be: Backend, c: Case, seed: number): [FloatArray, FloatArray] {
  const x = inputs(c, seed);
  const fwd = be.rnnForward(c.g, x.zx, x.rk, x.rb, x.rmask, x.smask);
  const bwd = be.rnnBackward(c.g, fwd, x.rk, x.rmask, x.smask, x.dy);
  return [fwd.slice(), bwd.slice()];
}

function geometry(cell: RnnCellKind, batch: number, steps: number, units: number, o: Partial<RnnGeometry> = {}): RnnGeometry {
  return { cell, resetAfter: true, batch, steps, units, activation: 'tanh', recurrentActivation: 'sigmoid', goBackwards: false, ...o };
}

const ACTS: RnnActivation[] = ['linear', 'relu', 'relu6', 'sigmoid', 'hardSigmoid', 'tanh', 'softsign', 'elu', 'selu', 'exponential'];

const CASES: Case[] = [];
for (const cell of ['simpleRNN', 'lstm', 'gru'] as RnnCellKind[]) {
  for (const [b, T, u] of [[3, 5, 7], [1, 1, 4], [2, 4, 9], [5, 3, 2]] as [number, number, number][]) {
    for (const variant of [0, 1, 2]) {
      const resetAfter = !(cell === 'gru' && variant === 1);
      CASES.push({
        g: geometry(cell, b, T, u, { resetAfter, goBackwards: variant === 2 }),
        rb: cell === 'gru' && resetAfter && variant !== 2,
        rmask: variant >= 1,
        smask: variant === 2 || (variant === 1 && cell !== 'gru'),
      });
    }
  }
}
ACTS.forEach((a, i) => {
  CASES.push({ g: geometry((['simpleRNN', 'lstm', 'gru'] as const)[i % 3], 2, 3, 6, { activation: a, recurrentActivation: ACTS[(i + 3) % ACTS.length]!, resetAfter: i % 2 === 0 }), rb: false, rmask: i % 2 === 1, smask: true });
});

test('rnnForward and rnnBackward: wasm matches the reference on every cell, activation and mask', () => {
  CASES.forEach((c, i) => {
    const [fw, bw] = run(wasm, c, 100 + i);
    const [fr, br] = run(ref, c, 100 + i);
    const label = JSON.stringify(c);
    assert.equal(fw.length, rnnLayout(c.g).forward);
    assert.equal(bw.length, rnnLayout(c.g).backward);
    // Sums of ≈ u terms per step, carried over T steps.
    const k = c.g.units * c.g.steps * 4;
    assertCloseK(fw, fr, k, `forward ${label}`, 2e-6);
    assertCloseK(bw, br, k * c.g.batch, `backward ${label}`, 4e-6);
  });
});

test('rnn kernels are bit-identical on 1, 2 and 3 threads', async () => {
  const cases: Case[] = [
    { g: geometry('lstm', 100, 6, 128), rb: false, rmask: true, smask: true }, // cell kernels split too (≈ 3M flop-units per step)
    { g: geometry('gru', 48, 5, 96, { resetAfter: false, goBackwards: true }), rb: false, rmask: true, smask: false },
    { g: geometry('gru', 40, 4, 130), rb: true, rmask: false, smask: true },
  ];
  try {
    for (const c of cases) {
      await wasm.setThreads(1);
      const one = run(wasm, c, 7);
      for (const t of [2, 3]) {
        await wasm.setThreads(t);
        assert.equal(wasm.threads, t);
        const other = run(wasm, c, 7);
        assertBitIdentical(one[0], other[0], `rnnForward ${c.g.cell} 1 vs ${t} threads`);
        assertBitIdentical(one[1], other[1], `rnnBackward ${c.g.cell} 1 vs ${t} threads`);
      }
    }
  } finally {
    await wasm.setThreads(2);
  }
});
