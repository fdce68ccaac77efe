/**
 * The fused L2 value (issue 18): `Backend.sumSquares` gives the same bits as
 * `reduce('sum', unary('square', x))` — the composition it replaces in the
 * `sumSquares` op — on the wasm backend (every length class: blocks of 8, a
 * block of 4, the tail; a 784×512 kernel) and on the reference backend.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertBitIdentical } from '../helpers/assert-close.js';
import { backends, randomData, rngFor } from '../helpers/wasm.js';

const { wasm, ref } = await backends();

const LENGTHS = [0, 1, 3, 4, 7, 8, 9, 12, 13, 64, 1001, 784 * 512];

for (const [name, be] of [['wasm', wasm], ['reference', ref]] as const) {
  test(`sumSquares = reduce(sum, square) bit for bit (${name})`, () => {
    for (const n of LENGTHS) {
      const x = randomData(rngFor(n + 3), n, -2, 2);
      const fused = be.sumSquares(x);
      const plain = be.reduce('sum', be.unary('square', x, 0), 1, n, 1);
      assert.equal(fused.length, 1);
      assertBitIdentical(fused as Float32Array, plain as Float32Array, `n = ${n}`);
    }
  });
}
