/**
 * Dot (dot.ts): Keras's output shapes for rank-2/3 inputs and every axis
 * pairing, values against plain loops (batch_dot), `normalize` (cosine
 * similarity), errors naming the layer and the shapes, float64
 * finite-difference gradients, config round trip and the symbolic path.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gradCheck } from '../autograd/gradcheck.js';
import { mul } from '../ops/arithmetic.js';
import { sum } from '../ops/reduce.js';
import { randomNormal, tensor } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';
import { assertClose } from '../../test/helpers/assert-close.js';
import { Dot, dot, type DotArgs } from './dot.js';
import { input } from './input-layer.js';
import { layerFromConfig } from './registry.js';
import { SymbolicTensor } from './symbolic.js';

const ctx = { training: false };

/** Element of a row-major tensor. */
const at = (t: Tensor, idx: number[]): number => {
  let off = 0;
  idx.forEach((v, i) => (off = off * t.shape[i]! + v));
  return t.data[off]!;
};

/**
 * Keras's batch_dot by loops: for each sample, Σ_k x[…k…]·y[…k…] over the dot
 * axes; free axes of x then of y (batch once); [b, 1] when none is free.
 */
function batchDot(x: Tensor, y: Tensor, a0: number, a1: number): { shape: number[]; data: number[] } {
  const fx = x.shape.map((_, i) => i).filter((i) => i !== 0 && i !== a0);
  const fy = y.shape.map((_, i) => i).filter((i) => i !== 0 && i !== a1);
  const n = x.shape[a0]!;
  const free = [...fx.map((i) => x.shape[i]!), ...fy.map((i) => y.shape[i]!)];
  const data: number[] = [];
  const count = free.reduce((p, q) => p * q, 1);
  for (let b = 0; b < x.shape[0]!; b++) {
    for (let f = 0; f < count; f++) {
      const idx: number[] = [];
      let r = f;
      for (let d = free.length - 1; d >= 0; d--) {
        idx.unshift(r % free[d]!);
        r = Math.floor(r / free[d]!);
      }
      let s = 0;
      for (let k = 0; k < n; k++) {
        const xi = x.shape.map((_, i) => (i === 0 ? b : i === a0 ? k : idx[fx.indexOf(i)]!));
        const yi = y.shape.map((_, i) => (i === 0 ? b : i === a1 ? k : idx[fx.length + fy.indexOf(i)]!));
        s += at(x, xi) * at(y, yi);
      }
      data.push(s);
    }
  }
  return { shape: [x.shape[0]!, ...(free.length ? free : [1])], data };
}

const CASES: { axes: DotArgs['axes']; x: number[]; y: number[]; out: (number | null)[]; resolved: [number, number] }[] = [
  { axes: 1, x: [3, 4], y: [3, 4], out: [null, 1], resolved: [1, 1] },
  { axes: -1, x: [3, 4], y: [3, 4], out: [null, 1], resolved: [1, 1] },
  { axes: 1, x: [2, 4, 3], y: [2, 4, 5], out: [null, 3, 5], resolved: [1, 1] },
  { axes: 2, x: [2, 3, 4], y: [2, 5, 4], out: [null, 3, 5], resolved: [2, 2] },
  { axes: -1, x: [2, 3, 4], y: [2, 5, 4], out: [null, 3, 5], resolved: [2, 2] },
  { axes: [1, 2], x: [2, 4, 3], y: [2, 5, 4], out: [null, 3, 5], resolved: [1, 2] },
  { axes: [2, 1], x: [2, 3, 4], y: [2, 4, 5], out: [null, 3, 5], resolved: [2, 1] },
  { axes: [1, 1], x: [2, 4], y: [2, 4, 5], out: [null, 5], resolved: [1, 1] },
  { axes: [1, 2], x: [2, 4], y: [2, 5, 4], out: [null, 5], resolved: [1, 2] },
  { axes: [1, 1], x: [2, 4, 3], y: [2, 4], out: [null, 3], resolved: [1, 1] },
  { axes: [2, -1], x: [2, 3, 4], y: [2, 4], out: [null, 3], resolved: [2, 1] },
];

test("output shapes and values follow Keras's batch_dot for rank 2 and 3, every axis pairing", () => {
  CASES.forEach((c, i) => {
    const l = new Dot({ axes: c.axes });
    assert.deepEqual(l.computeOutputShape([[null, ...c.x.slice(1)], [null, ...c.y.slice(1)]]), c.out, `case ${i} shape`);
    const x = randomNormal(c.x, { seed: 10 + i });
    const y = randomNormal(c.y, { seed: 30 + i });
    const got = l.apply([x, y], ctx);
    const want = batchDot(x, y, c.resolved[0], c.resolved[1]);
    assert.deepEqual([...got.shape], want.shape, `case ${i} (axes ${JSON.stringify(c.axes)}) concrete shape`);
    assertClose(got.data, want.data, { rtol: 1e-5, atol: 1e-6, label: `case ${i}` });
    assert.equal(l.weights.length, 0);
  });
});

test('normalize: the dot product of L2-normalized vectors (cosine similarity); zero vectors give 0', () => {
  const x = tensor([[3, 4], [1, 0], [0, 0]]);
  const y = tensor([[4, 3], [-2, 0], [1, 1]]);
  const got = new Dot({ axes: 1, normalize: true }).apply([x, y], ctx);
  assertClose(got.data, [24 / 25, -1, 0], { rtol: 1e-6, atol: 1e-7 });
  // Rank 3, axes [1, 2]: each column of x against each row of y, normalized along those axes.
  const a = randomNormal([2, 4, 3], { seed: 1 });
  const b = randomNormal([2, 5, 4], { seed: 2 });
  const cos = new Dot({ axes: [1, 2], normalize: true }).apply([a, b], ctx);
  const raw = batchDot(a, b, 1, 2);
  const norm = (t: Tensor, fixed: number[], axis: number): number => {
    let s = 0;
    for (let k = 0; k < t.shape[axis]!; k++) s += at(t, fixed.map((v, i) => (i === axis ? k : v))) ** 2;
    return Math.sqrt(s);
  };
  const want = raw.data.map((v, f) => {
    const [bi, m, p] = [Math.floor(f / 15), Math.floor(f / 5) % 3, f % 5];
    return v / (norm(a, [bi, 0, m], 1) * norm(b, [bi, p, 0], 2));
  });
  assertClose(cos.data, want, { rtol: 1e-5, atol: 1e-6 });
  for (const v of cos.data) assert.ok(Math.abs(v) <= 1 + 1e-6);
});

test('errors name the layer, the axes and the input shapes', () => {
  const a = tensor([[1, 2, 3]]);
  const b = tensor([[1, 2, 3, 4]]);
  assert.throws(() => new Dot({ axes: 1, name: 'dd' }).apply([a, b], ctx), /dd \(Dot\): Dot got incompatible input shapes: dimension 3 \(axis 1\) != 4 \(axis 1\); input shapes \[null,3\], \[null,4\]/);
  assert.throws(() => new Dot({ axes: 0 }).computeOutputShape([[null, 3], [null, 3]]), /cannot take the dot product over the batch axis \(axes 0; input shapes \[null,3\], \[null,3\]\)/);
  assert.throws(() => new Dot({ axes: [1, -2] }).computeOutputShape([[null, 3], [null, 3]]), /batch axis/);
  assert.throws(() => new Dot({ axes: 3 }).computeOutputShape([[null, 3, 2], [null, 3, 2]]), /axis 3 is out of range for input 0 of shape \[null,3,2\]/);
  assert.throws(() => new Dot({ axes: 1 }).computeOutputShape([[null, 3, 2, 2], [null, 3]]), /Dot supports inputs of rank 2 or 3 .*got input shapes \[null,3,2,2\], \[null,3\]/);
  assert.throws(() => new Dot({ axes: 1, name: 'd3' }).apply([a, a, a], ctx), /d3 \(Dot\): Dot should be called on a list of exactly 2 inputs; got 3/);
  assert.throws(() => new Dot({ axes: 1 }).apply(a, ctx), /got a single input of shape \[null,3\]/);
  assert.throws(() => new Dot({ axes: 1 }).computeOutputShape([[2, 3], [4, 3]]), /different batch sizes; got input shapes \[2,3\], \[4,3\]/);
  assert.throws(() => new Dot({} as DotArgs), /the 'axes' option is required/);
  assert.throws(() => new Dot({ axes: [1, 2, 3] as never }), /axes must be an integer or a list of two integers, got \[1,2,3\]/);
  assert.throws(() => new Dot({ axes: 1.5 }), /axes must be an integer or a list of two integers, got 1.5/);
});

test('gradients check by finite differences (float64), with and without normalize', () => {
  const cases: [DotArgs, number[], number[]][] = [
    [{ axes: 1 }, [2, 3], [2, 3]],
    [{ axes: [1, 2] }, [2, 3, 2], [2, 4, 3]],
    [{ axes: 2 }, [2, 2, 3], [2, 4, 3]],
    [{ axes: [1, 1] }, [2, 3], [2, 3, 2]],
    [{ axes: [2, 1] }, [2, 2, 3], [2, 3]],
    [{ axes: 1, normalize: true }, [2, 3], [2, 3]],
    [{ axes: [1, 2], normalize: true }, [2, 3, 2], [2, 4, 3]],
  ];
  for (const [args, sx, sy] of cases) {
    const layer = new Dot(args);
    const vals = (s: number[], o: number) => Array.from({ length: s.reduce((p, q) => p * q, 1) }, (_, i) => Math.sin(1.3 * i + o) + 0.2);
    const r = gradCheck((x, y) => {
      const out = layer.call([x!, y!], ctx);
      return sum(mul(out, randomNormal(out.shape, { seed: 4 })));
    }, [[sx, vals(sx, 0)], [sy, vals(sy, 2)]]);
    assert.ok(r.ok, `${JSON.stringify(args)}: worst ${r.worst} at ${JSON.stringify(r.where)}`);
  }
});

test('config round trip: axes (int or pair) and normalize', () => {
  for (const l of [new Dot({ axes: -1 }), new Dot({ axes: [1, 2], normalize: true, name: 'cos' })]) {
    const json = JSON.parse(JSON.stringify({ class_name: 'Dot', config: l.getConfig() })) as { class_name: string; config: Record<string, unknown> };
    assert.deepEqual(json.config['axes'], typeof l.axes === 'number' ? l.axes : [...l.axes]);
    assert.equal(json.config['normalize'], l.normalize);
    const back = layerFromConfig(json) as Dot;
    assert.ok(back instanceof Dot);
    assert.deepEqual(back.getConfig(), json.config);
  }
});

test('symbolic: dot of two inputs gives the Keras output shape', () => {
  const a = input({ shape: [4] });
  const b = input({ shape: [4] });
  const s = dot({ axes: 1 }).apply([a, b]);
  assert.ok(s instanceof SymbolicTensor);
  assert.deepEqual(s.shape, [null, 1]);
  assert.deepEqual(dot({ axes: [1, 2] }).apply([input({ shape: [4, 3] }), input({ shape: [5, 4] })]).shape, [null, 3, 5]);
  assert.throws(() => dot({ axes: 1, name: 'bad' }).apply([a, input({ shape: [5] })]), /bad \(Dot\) cannot be called on .*dimension 4 \(axis 1\) != 5 \(axis 1\)/);
});
