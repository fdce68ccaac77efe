/**
 * Numeric assertions for tests. A failure prints the largest difference, where
 * it is, and the first few (actual, expected) pairs (llm.c style), so a broken
 * kernel is diagnosable from the log alone.
 */
import assert from 'node:assert/strict';

export interface CloseOptions {
  /** Relative tolerance: |a − e| ≤ atol + rtol·|e|. */
  rtol?: number;
  atol?: number;
  /** Prefix for the failure message. */
  label?: string;
}

function flat(x: ArrayLike<number> | number): number[] {
  return typeof x === 'number' ? [x] : Array.from(x);
}

/**
 * Asserts `actual` ≈ `expected` elementwise (NaN matches NaN, ±Infinity must
 * match exactly). Defaults: rtol 1e-6, atol 1e-7.
 */
export function assertClose(actual: ArrayLike<number> | number, expected: ArrayLike<number> | number, opts: CloseOptions = {}): void {
  const rtol = opts.rtol ?? 1e-6;
  const atol = opts.atol ?? 1e-7;
  const a = flat(actual);
  const e = flat(expected);
  const label = opts.label ? `${opts.label}: ` : '';
  assert.equal(a.length, e.length, `${label}length ${a.length} != expected ${e.length}`);
  let worst = -1;
  let maxdiff = 0;
  let bad = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = e[i]!;
    let ok: boolean;
    let d: number;
    if (Number.isNaN(x) || Number.isNaN(y)) {
      ok = Number.isNaN(x) && Number.isNaN(y);
      d = ok ? 0 : Infinity;
    } else if (!Number.isFinite(x) || !Number.isFinite(y)) {
      ok = x === y;
      d = ok ? 0 : Infinity;
    } else {
      d = Math.abs(x - y);
      ok = d <= atol + rtol * Math.abs(y);
    }
    if (!ok) bad++;
    if (d > maxdiff || (worst < 0 && !ok)) {
      maxdiff = d;
      worst = i;
    }
  }
  if (bad > 0) {
    const pairs = a
      .slice(0, 6)
      .map((x, i) => `(${x}, ${e[i]})`)
      .join(' ');
    assert.fail(`${label}${bad}/${a.length} elements differ; maxdiff ${maxdiff} at index ${worst} (actual ${a[worst]}, expected ${e[worst]}); rtol ${rtol} atol ${atol}; first pairs ${pairs}`);
  }
}

/** Asserts two arrays are bit-identical (Float32 compared through their bits; NaN payloads too). */
export function assertBitIdentical(a: Float32Array | Int32Array, b: Float32Array | Int32Array, label = 'arrays'): void {
  assert.equal(a.length, b.length, `${label}: length ${a.length} != ${b.length}`);
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < ua.length; i++) {
    if (ua[i] !== ub[i]) assert.fail(`${label}: first difference at index ${i}: ${a[i]} vs ${b[i]} (bits ${ua[i]!.toString(16)} vs ${ub[i]!.toString(16)})`);
  }
}
