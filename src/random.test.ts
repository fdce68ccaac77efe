/**
 * The counter-based generator (src/random.ts): Philox4x32-10 known-answer
 * vectors from Random123 (kat_vectors), stream layout, split independence,
 * exact resume through getState/fromState, and the helpers built on it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bitsToUniform, fillNormal, fillUniform, philox, Rng } from './random.js';
import { randomUniform } from './tensor/create.js';
import * as o from './ops/index.js';

const hex = (w: Uint32Array): string[] => Array.from(w, (x) => x.toString(16).padStart(8, '0'));

test('Philox4x32-10 known-answer vectors (Random123 kat_vectors)', () => {
  const out = new Uint32Array(4);
  // key (0, 0), counter 0
  philox(0, 0, 0, 0, out);
  assert.deepEqual(hex(out), ['6627e8d5', 'e169c58d', 'bc57ac4c', '9b00dbd8']);
  // key (ffffffff, ffffffff), counter all ones
  philox(0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, out, 0, 0xffffffff, 0xffffffff);
  assert.deepEqual(hex(out), ['408f276d', '41c83b0e', 'a20bc7c6', '6d5451fd']);
  // the "pi" vector: counter 243f6a88 85a308d3 13198a2e 03707344, key a4093822 299f31d0
  philox(0xa4093822, 0x299f31d0, 0x243f6a88, 0x85a308d3, out, 0, 0x13198a2e, 0x03707344);
  assert.deepEqual(hex(out), ['d16cfe09', '94fdcceb', '5001e420', '24126ea1']);
  // writes at an offset, leaving the rest alone
  const big = new Uint32Array(6).fill(7);
  philox(0, 0, 0, 0, big, 2);
  assert.deepEqual(Array.from(big.subarray(0, 2)), [7, 7]);
  assert.equal(big[2], 0x6627e8d5);
});

test('uniforms are 24-bit, in [0, 1); element i of a stream is word i % 4 of block counter + ⌊i/4⌋', () => {
  assert.equal(bitsToUniform(0), 0);
  assert.equal(bitsToUniform(0xffffffff), 1 - 2 ** -24);
  assert.equal(Math.fround(bitsToUniform(0xffffffff)), bitsToUniform(0xffffffff));
  const s = { key0: 12, key1: 34, counter: 5 };
  const u = new Float64Array(10);
  fillUniform(s, u);
  const w = new Uint32Array(4);
  for (let i = 0; i < 10; i++) {
    philox(12, 34, 5 + Math.floor(i / 4), 0, w);
    assert.equal(u[i], bitsToUniform(w[i % 4]!), `element ${i}`);
  }
  // counters past 2^32 carry into the high word
  const hi = new Float64Array(4);
  fillUniform({ key0: 1, key1: 2, counter: 2 ** 32 + 3 }, hi);
  philox(1, 2, 3, 1, w);
  assert.deepEqual(Array.from(hi), Array.from(w, bitsToUniform));
  // normals: two per block, Box–Muller on words (0, 1) and (2, 3)
  const n = new Float64Array(3);
  fillNormal(s, n, 1, 2);
  philox(12, 34, 5, 0, w);
  const bm = (a: number, b: number): number => Math.sqrt(-2 * Math.log(1 - bitsToUniform(a))) * Math.cos(2 * Math.PI * bitsToUniform(b));
  assert.equal(n[0], 1 + 2 * bm(w[0]!, w[1]!));
  assert.equal(n[1], 1 + 2 * bm(w[2]!, w[3]!));
});

test('Rng: same seed → same sequence; nearby seeds are unrelated; negative and large seeds work', () => {
  const seq = (seed: number): number[] => {
    const r = new Rng(seed);
    return Array.from({ length: 8 }, () => r.uint32());
  };
  assert.deepEqual(seq(42), seq(42));
  assert.notDeepEqual(seq(42), seq(43));
  assert.notDeepEqual(seq(-1), seq(1));
  assert.notDeepEqual(seq(2 ** 40), seq(0));
  assert.deepEqual(seq(2 ** 52), seq(2 ** 52));
  // default seed is 0
  assert.deepEqual(seq(0), (() => {
    const r = new Rng();
    return Array.from({ length: 8 }, () => r.uint32());
  })());
  // bit balance over nearby seeds: each of the 32 bits of the first word is set about half the time
  const ones = new Array<number>(32).fill(0);
  for (let s = 0; s < 512; s++) {
    const x = new Rng(s).uint32();
    for (let b = 0; b < 32; b++) ones[b]! += (x >>> b) & 1;
  }
  for (const c of ones) assert.ok(c > 256 - 5 * 11.3 && c < 256 + 5 * 11.3, `bit count ${c} of 512`);
});

function correlation(a: number[], b: number[]): number {
  const n = a.length;
  const ma = a.reduce((s, v) => s + v, 0) / n;
  const mb = b.reduce((s, v) => s + v, 0) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb);
    saa += (a[i]! - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

test('split(): children are deterministic, distinct from each other and from the parent, and uncorrelated', () => {
  const n = 4000;
  const draw = (r: Rng): number[] => Array.from({ length: n }, () => r.uniform());
  const p1 = new Rng(7);
  const c1 = p1.split();
  const c2 = p1.split();
  const again = new Rng(7);
  assert.deepEqual(draw(again.split()), draw(new Rng(7).split()));
  const a = draw(c1);
  const b = draw(c2);
  const parent = draw(p1);
  // |r| of independent uniform sequences is ~1/√n ≈ 0.016: 5-sigma bound 0.08
  assert.ok(Math.abs(correlation(a, b)) < 0.08, `corr(child1, child2) ${correlation(a, b)}`);
  assert.ok(Math.abs(correlation(a, parent)) < 0.08, `corr(child, parent) ${correlation(a, parent)}`);
  assert.ok(Math.abs(correlation(a.slice(1), a.slice(0, -1))) < 0.08, 'lag-1 autocorrelation');
  // splitting does not consume the parent's stream
  const q = new Rng(9);
  const r = new Rng(9);
  q.split();
  q.split();
  assert.equal(q.uint32(), r.uint32());
  // the k-th child of a parent is the same whatever the parent drew in between
  const s = new Rng(9);
  const t = new Rng(9);
  s.uniform();
  t.split();
  assert.deepEqual(draw(s.split()).slice(0, 5), draw(new Rng(9).split()).slice(0, 5));
  assert.deepEqual(draw(s.split()).slice(0, 5), draw(t.split()).slice(0, 5));
  // a grandchild differs from a child
  assert.notDeepEqual(draw(new Rng(3).split()).slice(0, 5), draw(new Rng(3).split().split()).slice(0, 5));
});

test('getState / fromState continue exactly, mid-block and after stream reservations', () => {
  const r = new Rng(2026);
  r.uint32(); // leaves 3 words buffered
  const st = r.getState();
  const expected = [r.uint32(), r.uint32(), r.uint32(), r.uint32(), r.uint32()];
  const r2 = Rng.fromState(JSON.parse(JSON.stringify(st)));
  assert.deepEqual([r2.uint32(), r2.uint32(), r2.uint32(), r2.uint32(), r2.uint32()], expected);

  // uint32 then a reserved stream (dropout masks do this), then save/restore
  const a = new Rng(5);
  a.uint32();
  a.uniformStream(10);
  a.split();
  const sa = a.getState();
  const next = [a.uniform(), a.normal(), a.int(10)];
  const child = a.split();
  const b = Rng.fromState(sa);
  assert.deepEqual([b.uniform(), b.normal(), b.int(10)], next);
  assert.equal(b.split().uint32(), child.uint32());
  // random tensors from the restored generator match too
  assert.deepEqual(Array.from(randomUniform([7], { seed: b }).data), Array.from(randomUniform([7], { seed: a }).data));
});

test('Rng.int is unbiased over [0, n); shuffle and permutation are permutations; uniform/normal moments', () => {
  const r = new Rng(1);
  const counts = new Array<number>(6).fill(0);
  const N = 60000;
  for (let i = 0; i < N; i++) counts[r.int(6)]!++;
  // each count ~ Binomial(N, 1/6): sd ≈ 91, 5-sigma bound 460
  for (const c of counts) assert.ok(Math.abs(c - N / 6) < 460, `counts ${counts}`);
  assert.equal(r.int(1), 0);
  const big = r.int(2 ** 32);
  assert.ok(big >= 0 && big < 2 ** 32 && Number.isInteger(big));
  const p = r.permutation(50);
  assert.deepEqual(Array.from(p).sort((x, y) => x - y), Array.from({ length: 50 }, (_, i) => i));
  assert.notDeepEqual(Array.from(p), Array.from({ length: 50 }, (_, i) => i));
  const items = ['a', 'b', 'c', 'd'];
  new Rng(4).shuffle(items);
  assert.deepEqual([...items].sort(), ['a', 'b', 'c', 'd']);
  const again = ['a', 'b', 'c', 'd'];
  new Rng(4).shuffle(again);
  assert.deepEqual(again, items);
  let s = 0;
  let s2 = 0;
  const n = 20000;
  for (let i = 0; i < n; i++) {
    const z = r.normal();
    s += z;
    s2 += z * z;
  }
  assert.ok(Math.abs(s / n) < 5 / Math.sqrt(n), `normal mean ${s / n}`);
  assert.ok(Math.abs(s2 / n - 1) < 5 * Math.sqrt(2 / n), `normal variance ${s2 / n}`);
});

test('dropoutMask / noise ops: keep rate, scale and seeded reproducibility', () => {
  const n = 20000;
  const m = o.dropoutMask([n], 0.25, new Rng(3));
  let kept = 0;
  for (const v of m.data) {
    assert.ok(v === 0 || v === Math.fround(1 / 0.75), `mask value ${v}`);
    if (v !== 0) kept++;
  }
  // keep ~ Binomial(n, 0.75): sd ≈ 61, 5-sigma bound 306
  assert.ok(Math.abs(kept - 0.75 * n) < 306, `kept ${kept}`);
  assert.deepEqual(Array.from(o.dropoutMask([16], 0.5, new Rng(3)).data), Array.from(o.dropoutMask([16], 0.5, new Rng(3)).data));
  assert.deepEqual(Array.from(o.dropoutMask([4], 0, new Rng(3)).data), [1, 1, 1, 1]);
  assert.deepEqual(Array.from(o.dropoutMask([4], 1, new Rng(3)).data), [0, 0, 0, 0]);
  const g = o.normalNoise([n], 0, 0.5, new Rng(8));
  let s2 = 0;
  for (const v of g.data) s2 += v * v;
  assert.ok(Math.abs(Math.sqrt(s2 / n) - 0.5) < (5 * 0.5) / Math.sqrt(2 * n));
  const u = o.uniformNoise([100], 2, 3, new Rng(8));
  assert.ok(Array.from(u.data).every((v) => v >= 2 && v < 3));
});
