/**
 * Backend conformance, part 1: every elementwise, reduction, layout, softmax,
 * random, optimizer and memory method of the wasm backend against the
 * reference backend, on seeded random data with sizes 0, 1, tails not
 * divisible by 4 and larger arrays. GEMM, conv and pooling are in
 * conformance-gemm-conv.test.ts; thread-count identity in wasm-threads.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BinaryOp, UnaryOp } from '../../src/backend/backend.js';
import { assertBitIdentical, assertClose } from '../helpers/assert-close.js';
import { assertCloseK, backends, randomData, randomInts, rngFor } from '../helpers/wasm.js';

const { wasm, ref } = await backends();
const SIZES = [0, 1, 3, 4, 17, 1003];

const UNARY_OPS: UnaryOp[] = [
  'neg', 'exp', 'log', 'sqrt', 'square', 'abs', 'sign', 'reciprocal', 'powScalar', 'relu', 'relu6', 'leakyRelu',
  'elu', 'selu', 'gelu', 'geluTanh', 'sigmoid', 'hardSigmoid', 'tanh', 'softplus', 'softsign', 'swish',
];
/** Inputs inside each op's domain (positive for log/sqrt/powScalar's fractional exponent). */
const POSITIVE = new Set<UnaryOp>(['log', 'sqrt', 'powScalar']);
const ALPHA: Partial<Record<UnaryOp, number>> = { powScalar: 2.5, leakyRelu: 0.2, elu: 1.3 };

test('memory: alloc*, scopes, persistent buffers, copyOut, fromValues', () => {
  const outside = wasm.allocFloat(5);
  assert.ok(!wasm.mem.owns(outside), 'outside a scope allocFloat gives an ordinary array');
  assert.deepEqual(Array.from(outside), [0, 0, 0, 0, 0]);
  const p = wasm.allocPersistent(7);
  assert.ok(wasm.mem.owns(p));
  assert.deepEqual(Array.from(p), [0, 0, 0, 0, 0, 0, 0]);
  p.set([1, 2, 3, 4, 5, 6, 7]);
  wasm.beginScope();
  const a = wasm.fill(9, 2.5);
  assert.ok(wasm.mem.owns(a), 'inside a scope outputs live in the arena');
  const zeroed = wasm.allocFloat(33);
  zeroed.fill(7);
  wasm.beginScope();
  const inner = wasm.allocInt(1000);
  assert.ok(wasm.mem.owns(inner));
  assert.ok(inner.every((v) => v === 0));
  wasm.endScope();
  const again = wasm.allocFloat(33);
  assert.ok(again.every((v) => v === 0), 'allocFloat is zeroed even when arena memory is reused');
  assert.deepEqual(Array.from(a), new Array(9).fill(2.5), 'outer scope buffers survive an inner endScope');
  const kept = wasm.copyOut(a);
  assert.ok(!wasm.mem.owns(kept));
  wasm.endScope();
  assert.deepEqual(Array.from(kept), new Array(9).fill(2.5));
  assert.deepEqual(Array.from(p), [1, 2, 3, 4, 5, 6, 7], 'persistent buffers outlive scopes');
  const v = wasm.fromValues([1.5, -2, 3]);
  assert.ok(v instanceof Float32Array);
  assert.deepEqual(Array.from(v), [1.5, -2, 3]);
  assert.throws(() => wasm.endScope(), /no scope is open/);
});

test('memory: a long sequence of scopes reuses the same arena (flat memory)', () => {
  const rng = rngFor(1);
  const x = randomData(rng, 10000);
  const step = (): void => {
    wasm.beginScope();
    let y = wasm.unary('tanh', x, 0);
    for (let i = 0; i < 10; i++) y = wasm.axpby(0.5, y, 0.5, x);
    wasm.endScope();
  };
  step();
  const capacity = wasm.mem.arenaCapacity;
  const bytes = wasm.mem.byteLength;
  for (let i = 0; i < 200; i++) step();
  assert.equal(wasm.mem.arenaCapacity, capacity);
  assert.equal(wasm.mem.byteLength, bytes);
});

test('fill', () => {
  for (const n of SIZES) assert.deepEqual(Array.from(wasm.fill(n, -3.25)), Array.from(ref.fill(n, -3.25)));
});

test('unary: every op, every size, outside and inside a scope', () => {
  const rng = rngFor(2);
  for (const op of UNARY_OPS) {
    for (const n of SIZES) {
      const x = POSITIVE.has(op) ? randomData(rng, n, 0.01, 5) : randomData(rng, n, -6, 6);
      const alpha = ALPHA[op] ?? 0;
      const e = ref.unary(op, x, alpha);
      assertClose(wasm.unary(op, x, alpha), e, { rtol: 2e-6, atol: 1e-6, label: `unary ${op} n=${n}` });
      wasm.beginScope();
      assertClose(wasm.unary(op, x, alpha), e, { rtol: 2e-6, atol: 1e-6, label: `unary ${op} n=${n} in scope` });
      wasm.endScope();
    }
  }
});

test('unary: special values (NaN, ±∞, ±0, tiny and huge)', () => {
  const x = Float32Array.from([NaN, Infinity, -Infinity, 0, -0, 1e-30, -1e-30, 88, -88, 100, -100, 1e-8, 3.5e38]);
  for (const op of UNARY_OPS) {
    if (op === 'powScalar') continue;
    const alpha = ALPHA[op] ?? 0;
    assertClose(wasm.unary(op, x, alpha), ref.unary(op, x, alpha), { rtol: 2e-6, atol: 1e-6, label: `unary ${op} specials` });
  }
  for (const a of [2, 3, 0.5, -1, 0, 1, -2.5]) {
    const base = Float32Array.from([2, -2, 0, -0, 0.5, Infinity, -Infinity, NaN, 1, -1, 7.25, -3]);
    assertClose(wasm.unary('powScalar', base, a), ref.unary('powScalar', base, a), { rtol: 2e-6, atol: 1e-6, label: `powScalar alpha=${a}` });
  }
});

test('unaryBackward: every op, every size', () => {
  const rng = rngFor(3);
  for (const op of UNARY_OPS) {
    for (const n of SIZES) {
      const x = POSITIVE.has(op) ? randomData(rng, n, 0.01, 5) : randomData(rng, n, -6, 6);
      const alpha = ALPHA[op] ?? 0;
      const y = ref.unary(op, x, alpha);
      const dy = randomData(rng, n);
      assertClose(wasm.unaryBackward(op, x, y, dy, alpha), ref.unaryBackward(op, x, y, dy, alpha), {
        rtol: 5e-6,
        atol: 2e-6,
        label: `unaryBackward ${op} n=${n}`,
      });
    }
  }
});

const BINARY_OPS: BinaryOp[] = ['add', 'sub', 'mul', 'div', 'maximum', 'minimum', 'pow', 'greater', 'greaterEqual', 'less', 'lessEqual', 'equal'];
/** [aShape, bShape, outShape] */
const BROADCASTS: [number[], number[], number[]][] = [
  [[7], [7], [7]],
  [[5, 7], [5, 7], [5, 7]],
  [[5, 7], [], [5, 7]],
  [[], [3, 9], [3, 9]],
  [[4, 6], [6], [4, 6]],
  [[4, 6], [4, 1], [4, 6]],
  [[3, 1], [1, 5], [3, 5]],
  [[2, 1, 5], [3, 1], [2, 3, 5]],
  [[2, 3, 4, 5], [3, 1, 5], [2, 3, 4, 5]],
  [[1, 1], [1], [1, 1]],
  [[0, 3], [3], [0, 3]],
  [[130, 33], [33], [130, 33]],
];

test('binary: every op over same-shape, scalar, row, column and general broadcasts', () => {
  const rng = rngFor(4);
  for (const op of BINARY_OPS) {
    for (const [as, bs, os] of BROADCASTS) {
      const size = (s: number[]): number => s.reduce((p, d) => p * d, 1);
      const positive = op === 'pow';
      const a = randomData(rng, size(as), positive ? 0.1 : -3, 3);
      const b = randomData(rng, size(bs), -3, 3);
      if (op === 'equal' && b.length > 0 && a.length > 0) b[0] = a[0]!;
      assertClose(wasm.binary(op, a, as, b, bs, os), ref.binary(op, a, as, b, bs, os), {
        rtol: 2e-6,
        atol: 1e-6,
        label: `binary ${op} ${JSON.stringify(as)} ∘ ${JSON.stringify(bs)}`,
      });
    }
  }
  const specials = Float32Array.from([NaN, 1, -0, Infinity, 2, NaN]);
  const other = Float32Array.from([1, NaN, 0, -Infinity, 2, 3]);
  for (const op of BINARY_OPS) {
    assertClose(wasm.binary(op, specials, [6], other, [6], [6]), ref.binary(op, specials, [6], other, [6], [6]), { label: `binary ${op} specials` });
  }
});

test('where: broadcast condition and branches', () => {
  const rng = rngFor(5);
  const cases: [number[], number[], number[], number[]][] = [
    [[9], [9], [9], [9]],
    [[4, 5], [5], [4, 1], [4, 5]],
    [[], [3, 2], [2], [3, 2]],
    [[2, 1, 3], [4, 3], [], [2, 4, 3]],
    [[0, 2], [2], [2], [0, 2]],
  ];
  for (const [cs, as, bs, os] of cases) {
    const size = (s: number[]): number => s.reduce((p, d) => p * d, 1);
    const c = randomData(rng, size(cs)).map((v) => (v > 0 ? 1 : v < -0.5 ? NaN : 0));
    const a = randomData(rng, size(as));
    const b = randomData(rng, size(bs));
    assert.deepEqual(Array.from(wasm.where(c, cs, a, as, b, bs, os)), Array.from(ref.where(c, cs, a, as, b, bs, os)), `where ${JSON.stringify([cs, as, bs])}`);
  }
});

test('clip, clipBackward, axpby, castToFloat, castToInt', () => {
  const rng = rngFor(6);
  for (const n of SIZES) {
    const x = randomData(rng, n, -3, 3);
    if (n > 2) x[1] = NaN;
    const dy = randomData(rng, n);
    assertClose(wasm.clip(x, -1, 1.5), ref.clip(x, -1, 1.5), { label: `clip n=${n}` });
    assertClose(wasm.clipBackward(x, dy, -1, 1.5), ref.clipBackward(x, dy, -1, 1.5), { label: `clipBackward n=${n}` });
    const y = randomData(rng, n);
    assertClose(wasm.axpby(0.7, x, -1.3, y), ref.axpby(0.7, x, -1.3, y), { label: `axpby n=${n}` });
    const ints = randomInts(rng, n, 2000).map((v) => v - 1000);
    assert.deepEqual(Array.from(wasm.castToFloat(ints)), Array.from(ref.castToFloat(ints)), `castToFloat n=${n}`);
    const f = randomData(rng, n, -1e6, 1e6);
    assert.deepEqual(Array.from(wasm.castToInt(f)), Array.from(ref.castToInt(f)), `castToInt n=${n}`);
  }
});

test('reduce: sum/max/min over [outer, n, inner], n = 0 included', () => {
  const rng = rngFor(7);
  const shapes: [number, number, number][] = [[1, 0, 1], [3, 0, 2], [1, 1, 1], [2, 7, 1], [3, 1000, 1], [2, 5, 3], [4, 33, 17], [1, 4097, 1], [5, 3, 130]];
  for (const op of ['sum', 'max', 'min'] as const) {
    for (const [o, n, i] of shapes) {
      const x = randomData(rng, o * n * i);
      assertCloseK(wasm.reduce(op, x, o, n, i), ref.reduce(op, x, o, n, i), n, `reduce ${op} [${o},${n},${i}]`);
    }
    const withNaN = Float32Array.from([1, NaN, 3, 4, 5, 6, 7, 8, 9]);
    assertClose(wasm.reduce(op, withNaN, 1, 9, 1), ref.reduce(op, withNaN, 1, 9, 1), { label: `reduce ${op} NaN` });
    assertClose(wasm.reduce(op, withNaN, 1, 3, 3), ref.reduce(op, withNaN, 1, 3, 3), { label: `reduce ${op} NaN inner` });
  }
});

test('argReduce: first max/min, ties, NaN wins', () => {
  const rng = rngFor(8);
  for (const op of ['argMax', 'argMin'] as const) {
    for (const [o, n, i] of [[1, 1, 1], [3, 10, 1], [2, 7, 5], [1, 0, 3]] as const) {
      const x = randomData(rng, o * n * i).map((v) => Math.round(v * 3));
      assert.deepEqual(Array.from(wasm.argReduce(op, x, o, n, i)), Array.from(ref.argReduce(op, x, o, n, i)), `${op} [${o},${n},${i}]`);
    }
    const x = Float32Array.from([1, 5, NaN, 5, NaN, -2]);
    assert.deepEqual(Array.from(wasm.argReduce(op, x, 1, 6, 1)), Array.from(ref.argReduce(op, x, 1, 6, 1)));
  }
});

test('transpose: 2-D blocked, batched, general permutations, int32, empty', () => {
  const rng = rngFor(9);
  const cases: [number[], number[]][] = [
    [[3, 5], [1, 0]],
    [[17, 9], [1, 0]],
    [[4, 8], [1, 0]],
    [[2, 3, 4], [0, 2, 1]],
    [[2, 3, 4], [2, 0, 1]],
    [[2, 3, 4], [1, 2, 0]],
    [[2, 3, 4], [0, 1, 2]],
    [[2, 1, 5, 3], [3, 0, 2, 1]],
    [[1, 6], [1, 0]],
    [[0, 3], [1, 0]],
    [[5], [0]],
  ];
  for (const [shape, perm] of cases) {
    const n = shape.reduce((p, d) => p * d, 1);
    const x = randomData(rng, n);
    assert.deepEqual(Array.from(wasm.transpose(x, shape, perm)), Array.from(ref.transpose(x, shape, perm)), `transpose ${JSON.stringify(shape)} ${JSON.stringify(perm)}`);
    const xi = randomInts(rng, n, 100);
    const ti = wasm.transpose(xi, shape, perm);
    assert.ok(ti instanceof Int32Array);
    assert.deepEqual(Array.from(ti), Array.from(ref.transpose(xi, shape, perm)));
  }
});

test('slice: host and wasm-resident sources, float and int', () => {
  const rng = rngFor(10);
  const cases: [number[], number[], number[]][] = [
    [[10], [3], [5]],
    [[4, 6], [1, 2], [2, 3]],
    [[3, 4, 5], [1, 0, 2], [2, 4, 3]],
    [[3, 4, 5], [0, 1, 0], [3, 2, 5]],
    [[2, 3], [0, 0], [0, 3]],
  ];
  for (const [shape, begin, size] of cases) {
    const n = shape.reduce((p, d) => p * d, 1);
    const x = randomData(rng, n);
    const expected = Array.from(ref.slice(x, shape, begin, size));
    assert.deepEqual(Array.from(wasm.slice(x, shape, begin, size)), expected, `slice host ${JSON.stringify([shape, begin, size])}`);
    wasm.beginScope();
    const resident = wasm.unary('neg', wasm.unary('neg', x, 0), 0);
    assert.deepEqual(Array.from(wasm.slice(resident, shape, begin, size)), expected, 'slice resident');
    wasm.endScope();
    const xi = randomInts(rng, n, 50);
    assert.deepEqual(Array.from(wasm.slice(xi, shape, begin, size)), Array.from(ref.slice(xi, shape, begin, size)));
  }
});

test('concat: floats and ints, empty parts', () => {
  const rng = rngFor(11);
  for (const [outer, parts] of [[3, [2, 5, 1]], [1, [4]], [4, [0, 3]], [0, [2, 2]]] as const) {
    const xs = parts.map((p) => randomData(rng, outer * p));
    assert.deepEqual(Array.from(wasm.concat(xs, outer, parts)), Array.from(ref.concat(xs, outer, parts)));
    const is = parts.map((p) => randomInts(rng, outer * p, 9));
    const c = wasm.concat(is, outer, parts);
    assert.ok(c instanceof Int32Array);
    assert.deepEqual(Array.from(c), Array.from(ref.concat(is, outer, parts)));
  }
});

test('gather (host and resident sources), gatherBackward with repeats, oneHot', () => {
  const rng = rngFor(12);
  for (const [outer, n, inner, m] of [[1, 10, 3, 4], [2, 5, 1, 7], [3, 4, 9, 0], [1, 1000, 7, 33]] as const) {
    const x = randomData(rng, outer * n * inner);
    const idx = randomInts(rng, m, n);
    const expected = Array.from(ref.gather(x, idx, outer, n, inner));
    assert.deepEqual(Array.from(wasm.gather(x, idx, outer, n, inner)), expected, 'gather host');
    wasm.beginScope();
    const resident = wasm.axpby(1, x, 0, x);
    assert.deepEqual(Array.from(wasm.gather(resident, idx, outer, n, inner)), expected, 'gather resident');
    wasm.endScope();
    const dy = randomData(rng, outer * m * inner);
    assertClose(wasm.gatherBackward(dy, idx, outer, n, inner), ref.gatherBackward(dy, idx, outer, n, inner), { label: 'gatherBackward' });
  }
  const idx = Int32Array.from([0, 3, -1, 7, 2]);
  assert.deepEqual(Array.from(wasm.oneHot(idx, 4, 1, 0)), Array.from(ref.oneHot(idx, 4, 1, 0)));
  assert.deepEqual(Array.from(wasm.oneHot(idx, 5, 0.9, 0.025)), Array.from(ref.oneHot(idx, 5, 0.9, 0.025)));
});

test('softmax family and fused softmax-cross-entropy', () => {
  const rng = rngFor(13);
  for (const [outer, n] of [[1, 1], [3, 10], [2, 37], [0, 5], [64, 1000]] as const) {
    const x = randomData(rng, outer * n, -8, 8);
    const tol = { rtol: 3e-6, atol: 1e-6 };
    assertClose(wasm.softmax(x, outer, n), ref.softmax(x, outer, n), { ...tol, label: `softmax [${outer},${n}]` });
    assertClose(wasm.logSoftmax(x, outer, n), ref.logSoftmax(x, outer, n), { ...tol, label: `logSoftmax [${outer},${n}]` });
    const y = ref.softmax(x, outer, n);
    const ly = ref.logSoftmax(x, outer, n);
    const dy = randomData(rng, outer * n);
    assertCloseK(wasm.softmaxBackward(y, dy, outer, n), ref.softmaxBackward(y, dy, outer, n), n, 'softmaxBackward', 2e-6);
    assertCloseK(wasm.logSoftmaxBackward(ly, dy, outer, n), ref.logSoftmaxBackward(ly, dy, outer, n), n, 'logSoftmaxBackward', 2e-6);
    const labels = ref.softmax(randomData(rng, outer * n, -3, 3), outer, n);
    assertCloseK(wasm.softmaxCrossEntropy(x, labels, outer, n), ref.softmaxCrossEntropy(x, labels, outer, n), n, 'softmaxCrossEntropy', 2e-6);
    const dloss = randomData(rng, outer);
    assertCloseK(
      wasm.softmaxCrossEntropyBackward(x, labels, dloss, outer, n),
      ref.softmaxCrossEntropyBackward(x, labels, dloss, outer, n),
      n,
      'softmaxCrossEntropyBackward',
      2e-6,
    );
  }
});

test('random: uniform and dropout masks bit-identical, normals identical, counters past 2^32', () => {
  for (const s of [{ key0: 1, key1: 2, counter: 0 }, { key0: 0xdeadbeef, key1: 0x9e3779b9, counter: 2 ** 32 - 3 }, { key0: 7, key1: 0, counter: 2 ** 40 + 5 }]) {
    for (const n of [0, 1, 5, 1001]) {
      assertBitIdentical(wasm.randomUniform(n, s, -2, 3) as Float32Array, ref.randomUniform(n, s, -2, 3) as Float32Array, `uniform n=${n}`);
      assertBitIdentical(wasm.dropoutMask(n, s, 0.3) as Float32Array, ref.dropoutMask(n, s, 0.3) as Float32Array, `dropout n=${n}`);
      assertClose(wasm.randomNormal(n, s, 0.5, 2), ref.randomNormal(n, s, 0.5, 2), { rtol: 1e-6, atol: 0, label: `normal n=${n}` });
    }
  }
  const big = { key0: 0xffffffff, key1: 12345, counter: 2 ** 32 - 9 };
  assertBitIdentical(wasm.randomUniform(300001, big, 0, 1) as Float32Array, ref.randomUniform(300001, big, 0, 1) as Float32Array, 'uniform split over threads');
  assertBitIdentical(wasm.dropoutMask(300001, big, 0.5) as Float32Array, ref.dropoutMask(300001, big, 0.5) as Float32Array, 'dropout split over threads');
  assertBitIdentical(wasm.randomNormal(100001, big, 1, 3) as Float32Array, ref.randomNormal(100001, big, 1, 3) as Float32Array, 'normal split over threads');
  const s = { key0: 3, key1: 4, counter: 11 };
  assertBitIdentical(wasm.randomNormal(4097, s, 0, 1) as Float32Array, ref.randomNormal(4097, s, 0, 1) as Float32Array, 'normal bits (fdlibm log/cos as V8)');
  assertBitIdentical(wasm.dropoutMask(9, s, 1) as Float32Array, ref.dropoutMask(9, s, 1) as Float32Array, 'dropout rate 1');
});

test('optimizer updates in place on persistent and host buffers (bit-identical except Adam, which runs in f32)', () => {
  const rng = rngFor(14);
  for (const n of [...SIZES, 300001]) {
    for (const resident of [true, false]) {
      const make = (lo = -1, hi = 1): [Float32Array, Float32Array] => {
        const v = randomData(rng, n, lo, hi);
        const w = resident ? (wasm.allocPersistent(n) as Float32Array) : new Float32Array(n);
        w.set(v);
        return [w, Float32Array.from(v)];
      };
      const g = randomData(rng, n);
      const label = `n=${n} ${resident ? 'persistent' : 'host'}`;
      const check = (pairs: [Float32Array, Float32Array][], name: string): void =>
        pairs.forEach(([a, b], i) => assertBitIdentical(a, b, `${name} ${label} buffer ${i}`));
      const near = (pairs: [Float32Array, Float32Array][], name: string): void =>
        pairs.forEach(([a, b], i) => assertClose(a, b, { rtol: 3e-6, atol: 5e-7, label: `${name} ${label} buffer ${i}` }));
      for (const [momentum, nesterov] of [[0, false], [0.9, false], [0.9, true]] as const) {
        const w = make();
        const m = make();
        wasm.sgdUpdate(w[0], g, momentum ? m[0] : null, 0.05, momentum, nesterov);
        ref.sgdUpdate(w[1], g, momentum ? m[1] : null, 0.05, momentum, nesterov);
        check([w, m], `sgd μ=${momentum} nesterov=${nesterov}`);
      }
      for (const amsgrad of [false, true]) {
        const [w, m, v, vh] = [make(), make(), make(0, 1), make(0, 1)];
        const p = { alpha: 0.003, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
        wasm.adamUpdate(w[0], g, m[0], v[0], amsgrad ? vh[0] : null, p);
        ref.adamUpdate(w[1], g, m[1], v[1], amsgrad ? vh[1] : null, p);
        near([w, m, v, vh], `adam amsgrad=${amsgrad}`);
      }
      for (const [centered, momentum] of [[false, 0], [true, 0], [false, 0.9], [true, 0.5]] as const) {
        const [w, v, mg, mom] = [make(), make(0, 1), make(-0.1, 0.1), make()];
        const p = { lr: 0.01, rho: 0.9, momentum, epsilon: 1e-7, centered };
        wasm.rmspropUpdate(w[0], g, v[0], mg[0], mom[0], p);
        ref.rmspropUpdate(w[1], g, v[1], mg[1], mom[1], p);
        check([w, v, mg, mom], `rmsprop centered=${centered} μ=${momentum}`);
      }
      const [w, acc] = [make(), make(0, 1)];
      wasm.adagradUpdate(w[0], g, acc[0], 0.1, 1e-7);
      ref.adagradUpdate(w[1], g, acc[1], 0.1, 1e-7);
      check([w, acc], 'adagrad');
      const s = make();
      wasm.scaleInPlace(s[0], 0.37);
      ref.scaleInPlace(s[1], 0.37);
      check([s], 'scaleInPlace');
      const dst = make();
      wasm.copyInto(dst[0], g);
      assert.deepEqual(Array.from(dst[0]), Array.from(g));
    }
  }
});
