/**
 * Finite-difference gradient checks for every differentiable op: ONE table of
 * rows {op, cases, makeInputs, run, rtol, atol}.
 *
 * How a row is checked: `gradCheck` (src/autograd/gradcheck.ts) runs `run` on
 * the float64 reference backend, reduces the op's output to a scalar with a
 * fixed random projection Σ y·W (so every output element gets a distinct
 * weight), and compares central differences (eps 1e-6) with the tape's
 * gradient element by element:  |fd − ad| ≤ atol + rtol·|ad|.
 * The bound is stated per row (default rtol 1e-6, atol 1e-7); float64 central
 * differences are accurate to ~1e-9 here, so a wrong rule fails by orders of
 * magnitude.
 *
 * Shapes are drawn from a seeded Rng (dims 2–4) from templates that cover the
 * broadcasting edge cases: size-1 axes, scalars, rank mismatch. Inputs are kept
 * at least 0.1 away from kinks (relu at 0, relu6 at 0/6, hardSigmoid at ±3,
 * clip bounds, ties of max/min/maximum/minimum/maxPool); the kinks themselves
 * have exact-value tests in test/kinks.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gradCheck } from '../../src/autograd/gradcheck.js';
import * as o from '../../src/ops/index.js';
import { Rng } from '../../src/random.js';
import { tensor } from '../../src/tensor/create.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import type { FusedActivation } from '../../src/backend/backend.js';
import { assertClose } from '../helpers/assert-close.js';

type Input = readonly [readonly number[], Float64Array];

/** One row of the table. `run` applies the op to float64 inputs (the projection to a scalar is added by the harness). */
interface Row<C> {
  op: string;
  cases: readonly C[];
  makeInputs: (c: C, rng: Rng) => Input[];
  run: (c: C, xs: Tensor[]) => Tensor;
  rtol: number;
  atol: number;
}

const RTOL = 1e-6;
const ATOL = 1e-7;
const rng0 = new Rng(20260101);

// ---------------------------------------------------------------- generators

type Dim = number | string;
/** Resolves shape templates: numbers stay, letters become random dims in [2, 4] (the same letter → the same dim). */
function shapes(...templates: Dim[][]): number[][] {
  const env = new Map<string, number>();
  return templates.map((t) =>
    t.map((d) => {
      if (typeof d === 'number') return d;
      if (!env.has(d)) env.set(d, 2 + rng0.int(3));
      return env.get(d)!;
    }),
  );
}

const size = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

function uniform(rng: Rng, n: number, lo: number, hi: number): Float64Array {
  return Float64Array.from({ length: n }, () => lo + (hi - lo) * rng.uniform());
}

/** Uniform in [lo, hi], each value at least `gap` from every kink. */
function awayFrom(rng: Rng, n: number, lo: number, hi: number, kinks: readonly number[], gap = 0.1): Float64Array {
  return Float64Array.from({ length: n }, () => {
    for (;;) {
      const v = lo + (hi - lo) * rng.uniform();
      if (kinks.every((k) => Math.abs(v - k) >= gap)) return v;
    }
  });
}

/** Pairwise distinct values (spacing ≥ 0.1), shuffled: no ties for max/min/pool. */
function distinct(rng: Rng, n: number): Float64Array {
  const p = rng.permutation(n);
  return Float64Array.from(p, (k) => (k - n / 2) * 0.15 + 0.03 * rng.uniform());
}

/** Values on the lattice 0.4·ℤ + offset: two lattices with offsets 0 and 0.2 never come closer than 0.2. */
function lattice(rng: Rng, n: number, offset: number): Float64Array {
  return Float64Array.from({ length: n }, () => 0.4 * (rng.int(11) - 5) + offset);
}

const inp = (shape: readonly number[], vals: Float64Array): Input => [shape, vals];
const U = (rng: Rng, s: readonly number[], lo = -2, hi = 2): Input => inp(s, uniform(rng, size(s), lo, hi));

/** Fixed projection weights in [−1, −0.25] ∪ [0.25, 1] for an output of n elements. */
function weights(n: number): number[] {
  const r = new Rng(777);
  return Array.from({ length: n }, () => (r.uniform() < 0.5 ? -1 : 1) * (0.25 + 0.75 * r.uniform()));
}
function project(y: Tensor): Tensor {
  return o.sum(o.mul(y, tensor(weights(y.size), y.shape)));
}

// ---------------------------------------------------------------- the table

/** Broadcasting templates for binary ops: same shape, scalar either side, rank mismatch, size-1 axes on both sides. */
const BROADCAST: Dim[][][] = [
  [['a', 'b'], ['a', 'b']],
  [['a', 'b'], []],
  [[], ['a', 'b']],
  [[], []],
  [['a', 'b', 'c'], ['c']],
  [['b'], ['a', 'b']],
  [['a', 1, 'c'], [1, 'b', 1]],
  [['a', 1], [1, 'b']],
  [[1, 1], ['a', 'b', 'c']],
];
const binaryCases = BROADCAST.map((t) => ({ shapes: shapes(...t) }));
type BinCase = (typeof binaryCases)[number];

function binaryRow(op: string, f: (a: Tensor, b: Tensor) => Tensor, mk: (rng: Rng, c: BinCase) => Input[], tol = { rtol: RTOL, atol: ATOL }): Row<BinCase> {
  return { op, cases: binaryCases, makeInputs: (c, rng) => mk(rng, c), run: (_c, [a, b]) => f(a!, b!), ...tol };
}
const plainPair = (rng: Rng, c: BinCase): Input[] => c.shapes.map((s) => U(rng, s));

/** Unary ops on a scalar, a matrix and a rank-3 tensor. */
const unaryCases = shapes([], ['a', 'b'], ['a', 'b', 'c']).map((s) => ({ shape: s }));
type UnCase = (typeof unaryCases)[number];
function unaryRow(op: string, f: (x: Tensor) => Tensor, lo: number, hi: number, kinks: readonly number[] = [], tol = { rtol: RTOL, atol: ATOL }): Row<UnCase> {
  return {
    op,
    cases: unaryCases,
    makeInputs: (c, rng) => [inp(c.shape, awayFrom(rng, size(c.shape), lo, hi, kinks))],
    run: (_c, [x]) => f(x!),
    ...tol,
  };
}

interface MatmulCase {
  aShape: number[];
  bShape: number[];
  tA: boolean;
  tB: boolean;
}
function matmulCases(): MatmulCase[] {
  const out: MatmulCase[] = [];
  const [[m, k, n, bt]] = shapes(['m', 'k', 'n', 'b']) as [[number, number, number, number]];
  for (const [aBatch, bBatch] of [
    [false, false],
    [true, true],
    [true, false],
    [false, true],
  ]) {
    for (const tA of [false, true]) {
      for (const tB of [false, true]) {
        const a = tA ? [k, m] : [m, k];
        const b = tB ? [n, k] : [k, n];
        out.push({ aShape: aBatch ? [bt, ...a] : a, bShape: bBatch ? [bt, ...b] : b, tA, tB });
      }
    }
  }
  return out;
}

interface DenseCase {
  xShape: number[];
  wShape: number[];
  bias: boolean;
  act: FusedActivation;
}
const denseCases: DenseCase[] = (['linear', 'relu', 'sigmoid', 'tanh'] as const).flatMap((act) =>
  [true, false].map((bias) => {
    const [x, w] = shapes(['n', 'i'], ['i', 'u']);
    return { xShape: x!, wShape: w!, bias, act };
  }),
);
/** Dense inputs with every pre-activation at least 0.05 from 0 (relu's kink). */
function denseInputs(c: DenseCase, rng: Rng): Input[] {
  const [n, i] = c.xShape as [number, number];
  const u = c.wShape[1]!;
  for (;;) {
    const x = uniform(rng, n * i, -1, 1);
    const w = uniform(rng, i * u, -1, 1);
    const b = uniform(rng, u, -0.5, 0.5);
    let ok = true;
    for (let r = 0; r < n && ok; r++)
      for (let j = 0; j < u && ok; j++) {
        let z = c.bias ? b[j]! : 0;
        for (let t = 0; t < i; t++) z += x[r * i + t]! * w[t * u + j]!;
        ok = Math.abs(z) >= 0.05;
      }
    if (ok) return c.bias ? [inp(c.xShape, x), inp(c.wShape, w), inp([u], b)] : [inp(c.xShape, x), inp(c.wShape, w)];
  }
}

interface ConvCase {
  xShape: number[];
  wShape: number[];
  padding: o.ConvPadding;
  strides: number;
  dilationRate: number;
}
const convCases: ConvCase[] = (['valid', 'same', 'causal'] as const).flatMap((padding) =>
  [
    [1, 1],
    [2, 1],
    [3, 1],
    [1, 2],
    [1, 3],
  ].map(([strides, dilationRate]) => {
    const [x, w] = shapes([2, 7 + rng0.int(3), 'c'], [1 + rng0.int(3), 'c', 'o']);
    return { xShape: x!, wShape: w!, padding, strides: strides!, dilationRate: dilationRate! };
  }),
);

interface Conv2dCase {
  op: 'conv2d' | 'depthwiseConv2d' | 'conv2dTranspose';
  xShape: number[];
  wShape: number[];
  opts: o.Conv2dOptions & o.Conv2dTransposeOptions;
}
/** conv2d family: valid/same × strides × dilation × kernels 1×1, 2×3, 3×3, groups 2; transpose with outputPadding. */
const conv2dCases: Conv2dCase[] = [
  ...(['valid', 'same'] as const).flatMap((padding) =>
    ([[1, 1, 3, 3], [2, 1, 2, 3], [[1, 2], 1, 3, 3], [1, 2, 2, 3], [1, [2, 1], 1, 1], [3, 1, 2, 2]] as const).map(([strides, dilationRate, kh, kw]) => ({
      op: 'conv2d' as const,
      xShape: [2, 6, 5, 3],
      wShape: [kh, kw, 3, 2],
      opts: { padding, strides, dilationRate },
    })),
  ),
  { op: 'conv2d', xShape: [2, 5, 5, 4], wShape: [3, 3, 2, 6], opts: { padding: 'same', groups: 2 } },
  { op: 'conv2d', xShape: [1, 6, 6, 6], wShape: [2, 2, 2, 3], opts: { strides: 2, groups: 3 } },
  ...(['valid', 'same'] as const).flatMap((padding) =>
    ([[1, 1, 1], [2, 1, 2], [1, 2, 1], [[2, 1], 1, 3]] as const).map(([strides, dilationRate, mult]) => ({
      op: 'depthwiseConv2d' as const,
      xShape: [2, 6, 5, 3],
      wShape: [3, 2, 3, mult],
      opts: { padding, strides, dilationRate },
    })),
  ),
  ...(['valid', 'same'] as const).flatMap((padding) =>
    ([[1, undefined, 3], [2, undefined, 3], [2, 1, 3], [2, 0, 2], [[3, 2], [1, 1], 2], [1, undefined, 1]] as const).map(([strides, outputPadding, k]) => ({
      op: 'conv2dTranspose' as const,
      xShape: [2, 3, 4, 3],
      wShape: [k, 3, 2, 3],
      opts: { padding, strides, ...(outputPadding === undefined ? {} : { outputPadding }) },
    })),
  ),
  { op: 'conv2dTranspose', xShape: [1, 4, 3, 2], wShape: [2, 3, 3, 2], opts: { padding: 'same', dilationRate: 2 } },
];

interface PoolCase {
  shape: number[];
  pool: number;
  strides: number | undefined;
  padding: o.PoolPadding;
}
const poolCases: PoolCase[] = (['valid', 'same'] as const).flatMap((padding) =>
  [
    [2, undefined],
    [3, 1],
    [3, 2],
    [2, 3],
  ].map(([pool, strides]) => ({ shape: shapes([2, 6 + rng0.int(3), 'c'])[0]!, pool: pool!, strides, padding })),
);

interface ReduceCase {
  shape: number[];
  axis: number | number[] | undefined;
  keepDims: boolean;
}
const reduceCases: ReduceCase[] = (
  [undefined, 0, -1, 1, [0, 2], [1, 2], [0, 1, 2], []] as (number | number[] | undefined)[]
).flatMap((axis) => [false, true].map((keepDims) => ({ shape: shapes(['a', 'b', 'c'])[0]!, axis, keepDims })));

type AnyRow = Row<any>;
const row = <C>(r: Row<C>): AnyRow => r as AnyRow;

/** rnnSequence cases (kept away from kinks: smooth activations only). */
const RNN_CASES: (o.RnnSequenceOptions & { rmask?: boolean; mask?: boolean })[] = [
  { cell: 'simpleRNN', activation: 'tanh' },
  { cell: 'simpleRNN', activation: 'softsign', rmask: true, mask: true, goBackwards: true },
  { cell: 'lstm', activation: 'tanh', recurrentActivation: 'sigmoid' },
  { cell: 'lstm', activation: 'linear', recurrentActivation: 'sigmoid', rmask: true, mask: true, goBackwards: true },
  { cell: 'lstm', activation: 'elu', recurrentActivation: 'softsign', mask: true },
  { cell: 'gru', activation: 'tanh', recurrentActivation: 'sigmoid' },
  { cell: 'gru', activation: 'exponential', recurrentActivation: 'sigmoid', rmask: true, mask: true },
  { cell: 'gru', activation: 'tanh', recurrentActivation: 'sigmoid', resetAfter: false },
  { cell: 'gru', activation: 'tanh', recurrentActivation: 'sigmoid', resetAfter: false, rmask: true, mask: true, goBackwards: true },
];


const TABLE: AnyRow[] = [
  // ---- broadcasting arithmetic
  row(binaryRow('add', o.add, plainPair)),
  row(binaryRow('sub', o.sub, plainPair)),
  row(binaryRow('mul', o.mul, plainPair)),
  row(binaryRow('div', o.div, (rng, c) => [U(rng, c.shapes[0]!), inp(c.shapes[1]!, awayFrom(rng, size(c.shapes[1]!), -2, 2, [0], 0.5))])),
  row(binaryRow('maximum', o.maximum, (rng, c) => [inp(c.shapes[0]!, lattice(rng, size(c.shapes[0]!), 0)), inp(c.shapes[1]!, lattice(rng, size(c.shapes[1]!), 0.2))])),
  row(binaryRow('minimum', o.minimum, (rng, c) => [inp(c.shapes[0]!, lattice(rng, size(c.shapes[0]!), 0.2)), inp(c.shapes[1]!, lattice(rng, size(c.shapes[1]!), 0))])),
  row({
    op: 'where',
    cases: [
      shapes(['a', 'b'], ['a', 'b'], []),
      shapes(['a', 1], [1, 'b'], ['a', 'b']),
      shapes(['b'], ['a', 'b'], ['a', 1]),
      shapes([], ['a'], ['a']),
    ].map(([cs, xs, ys]) => ({ cs: cs!, xs: xs!, ys: ys!, cond: Array.from({ length: size(cs!) }, () => rng0.int(2)) })),
    makeInputs: (c, rng) => [U(rng, c.xs), U(rng, c.ys)],
    run: (c, [a, b]) => o.where(tensor(c.cond, c.cs), a!, b!),
    rtol: RTOL,
    atol: ATOL,
  }),
  // ---- unary math
  unaryRow('neg', o.neg, -2, 2),
  unaryRow('exp', o.exp, -2, 2),
  unaryRow('log', o.log, 0.2, 3),
  unaryRow('sqrt', o.sqrt, 0.2, 3),
  unaryRow('square', o.square, -2, 2),
  unaryRow('abs', o.abs, -2, 2, [0]),
  unaryRow('sign', o.sign, -2, 2, [0]),
  unaryRow('reciprocal', o.reciprocal, 0.3, 2),
  ...[2, 3, 0.5, -1.5, 0, 1].map((p) => unaryRow(`pow(x, ${p})`, (x) => o.pow(x, p), 0.3, 2)),
  unaryRow('pow(x, 3) negative base', (x) => o.pow(x, 3), -2, -0.3),
  unaryRow('clip(x, -0.5, 0.7)', (x) => o.clip(x, -0.5, 0.7), -2, 2, [-0.5, 0.7]),
  // ---- activations
  unaryRow('relu', o.relu, -3, 3, [0]),
  unaryRow('relu6', o.relu6, -2, 8, [0, 6]),
  unaryRow('leakyRelu(0.2)', (x) => o.leakyRelu(x), -3, 3, [0]),
  unaryRow('leakyRelu(0.3)', (x) => o.leakyRelu(x, 0.3), -3, 3, [0]),
  unaryRow('elu(1)', (x) => o.elu(x), -3, 3, [0]),
  unaryRow('elu(0.5)', (x) => o.elu(x, 0.5), -3, 3, [0]),
  unaryRow('selu', o.selu, -3, 3, [0]),
  // erf is a 1.2e-7 polynomial fit whose derivative is taken analytically: a looser, stated bound.
  unaryRow('gelu (exact)', (x) => o.gelu(x), -4, 4, [], { rtol: 1e-5, atol: 2e-6 }),
  unaryRow('gelu (approximate)', (x) => o.gelu(x, true), -4, 4),
  unaryRow('sigmoid', o.sigmoid, -5, 5),
  unaryRow('hardSigmoid', o.hardSigmoid, -5, 5, [-3, 3]),
  unaryRow('tanh', o.tanh, -3, 3),
  unaryRow('softplus', o.softplus, -5, 5),
  unaryRow('softsign', o.softsign, -3, 3, [0]),
  unaryRow('swish', o.swish, -5, 5),
  // ---- composites: fan-out (one input used twice) accumulates gradients
  unaryRow('fan-out x·x + exp(x)', (x) => o.add(o.mul(x, x), o.exp(x)), -2, 2),
  // ---- products
  row({
    op: 'matmul',
    cases: matmulCases(),
    makeInputs: (c, rng) => [U(rng, c.aShape), U(rng, c.bShape)],
    run: (c, [a, b]) => o.matmul(a!, b!, c.tA, c.tB),
    rtol: RTOL,
    atol: ATOL,
  }),
  row({ op: 'dense', cases: denseCases, makeInputs: denseInputs, run: (c, [x, w, b]) => o.dense(x!, w!, c.bias ? b! : null, c.act), rtol: RTOL, atol: ATOL }),
  // ---- shape ops
  row({
    op: 'transpose',
    cases: [
      { shape: shapes(['a', 'b'])[0]!, perm: undefined },
      { shape: shapes(['a', 'b', 'c'])[0]!, perm: [2, 0, 1] },
      { shape: shapes(['a', 'b', 'c'])[0]!, perm: [-1, 0, -2] },
      { shape: shapes(['a', 'b', 'c', 'd'])[0]!, perm: [1, 3, 0, 2] },
      { shape: [1, 3, 1], perm: [2, 1, 0] },
    ],
    makeInputs: (c, rng) => [U(rng, c.shape)],
    run: (c, [x]) => o.transpose(x!, c.perm),
    rtol: RTOL,
    atol: ATOL,
  }),
  row({
    op: 'reshape',
    cases: [
      { shape: shapes(['a', 'b', 'c'])[0]!, to: [-1] },
      { shape: [2, 6], to: [3, -1] },
      { shape: [], to: [1, 1] },
      { shape: [4, 1, 3], to: [12] },
    ],
    makeInputs: (c, rng) => [U(rng, c.shape)],
    // exp after the view, so the backward has to pass through the reshape into a real op
    run: (c, [x]) => o.exp(o.reshape(x!, c.to)),
    rtol: RTOL,
    atol: ATOL,
  }),
  row({
    op: 'concat',
    cases: [
      { shapes: shapes(['a', 'b'], ['c', 'b']), axis: 0 },
      { shapes: shapes(['a', 'b'], ['a', 'c'], ['a', 1]), axis: 1 },
      { shapes: shapes(['a', 'b', 'c'], ['a', 'b', 'd']), axis: -1 },
      { shapes: shapes(['a']), axis: 0 },
    ],
    makeInputs: (c, rng) => c.shapes.map((s) => U(rng, s)),
    run: (c, xs) => o.concat(xs, c.axis),
    rtol: RTOL,
    atol: ATOL,
  }),
  row({
    op: 'slice',
    cases: [
      { shape: [4, 5], begin: [1, 2], size: [2, -1] },
      { shape: [3, 4, 5], begin: [0, 1, 3], size: [3, 2, 2] },
      { shape: [6], begin: [2], size: [3] },
      { shape: [2, 3], begin: [0, 0], size: undefined },
    ],
    makeInputs: (c, rng) => [U(rng, c.shape)],
    run: (c, [x]) => o.slice(x!, c.begin, c.size),
    rtol: RTOL,
    atol: ATOL,
  }),
  row({
    op: 'gather',
    cases: [
      { shape: [5, 3], idx: [4, 0, 4, 2], idxShape: [4], axis: 0 },
      { shape: [2, 5, 3], idx: [1, 1, 3, 0, 2, 4], idxShape: [2, 3], axis: 1 },
      { shape: [3, 4], idx: [3], idxShape: [1], axis: -1 },
    ],
    makeInputs: (c, rng) => [U(rng, c.shape)],
    run: (c, [x]) => o.gather(x!, tensor(c.idx, c.idxShape, 'int32'), c.axis),
    rtol: RTOL,
    atol: ATOL,
  }),
  row({
    op: 'broadcastTo',
    cases: [
      [[1, 3], [4, 3]],
      [[], [2, 3]],
      [[3], [2, 4, 3]],
      [[2, 1, 3], [5, 2, 4, 3]],
      [[2, 3], [2, 3]],
    ].map(([from, to]) => ({ from: from!, to: to! })),
    makeInputs: (c, rng) => [U(rng, c.from)],
    run: (c, [x]) => o.broadcastTo(x!, c.to),
    rtol: RTOL,
    atol: ATOL,
  }),
  row({
    op: 'expandDims',
    cases: [0, 1, -1].map((axis) => ({ shape: shapes(['a', 'b'])[0]!, axis })),
    makeInputs: (c, rng) => [U(rng, c.shape)],
    run: (c, [x]) => o.tanh(o.expandDims(x!, c.axis)),
    rtol: RTOL,
    atol: ATOL,
  }),
  row({
    op: 'squeeze',
    cases: [
      { shape: [1, 3, 1, 2], axes: undefined },
      { shape: [1, 3, 1, 2], axes: [2] },
      { shape: [2, 1], axes: [-1] },
    ],
    makeInputs: (c, rng) => [U(rng, c.shape)],
    run: (c, [x]) => o.tanh(o.squeeze(x!, c.axes)),
    rtol: RTOL,
    atol: ATOL,
  }),
  // ---- reductions (axes: all, single, negative, non-contiguous, contiguous pair, every axis, none; keepDims both)
  row({ op: 'sum', cases: reduceCases, makeInputs: (c, rng) => [U(rng, c.shape)], run: (c, [x]) => o.sum(x!, c.axis, c.keepDims), rtol: RTOL, atol: ATOL }),
  row({ op: 'mean', cases: reduceCases, makeInputs: (c, rng) => [U(rng, c.shape)], run: (c, [x]) => o.mean(x!, c.axis, c.keepDims), rtol: RTOL, atol: ATOL }),
  row({
    op: 'max',
    cases: reduceCases,
    makeInputs: (c, rng) => [inp(c.shape, distinct(rng, size(c.shape)))],
    run: (c, [x]) => o.max(x!, c.axis, c.keepDims),
    rtol: RTOL,
    atol: ATOL,
  }),
  row({
    op: 'min',
    cases: reduceCases,
    makeInputs: (c, rng) => [inp(c.shape, distinct(rng, size(c.shape)))],
    run: (c, [x]) => o.min(x!, c.axis, c.keepDims),
    rtol: RTOL,
    atol: ATOL,
  }),
  row({
    op: 'norm',
    cases: reduceCases.flatMap((c) => [0, 1e-3].map((epsilon) => ({ ...c, epsilon }))),
    makeInputs: (c, rng) => [inp(c.shape, awayFrom(rng, size(c.shape), -2, 2, [0], 0.2))],
    run: (c, [x]) => o.norm(x!, c.axis, c.keepDims, c.epsilon),
    rtol: RTOL,
    atol: ATOL,
  }),
  row({
    op: 'l2Normalize',
    cases: [
      // Fixed shapes (not drawn from rng0, so the rows below keep their shapes).
      ...([-1, 0, 1, [0, 2], [1, 2]] as (number | number[])[]).map((axis) => ({ shape: [2, 3, 4], axis, epsilon: 1e-7 })),
      { shape: [3, 4], axis: -1, epsilon: 1e-7 },
      { shape: [1, 3], axis: -1, epsilon: 10 }, // the clamped branch: x / ε
    ],
    makeInputs: (c, rng) => [inp(c.shape, awayFrom(rng, size(c.shape), -2, 2, [0], 0.2))],
    run: (c, [x]) => o.l2Normalize(x!, c.axis, c.epsilon),
    rtol: RTOL,
    atol: ATOL,
  }),
  // ---- softmax family
  ...(['softmax', 'logSoftmax'] as const).map((op) =>
    row({
      op,
      cases: [
        { shape: shapes(['a', 'b'])[0]!, axis: -1 },
        { shape: shapes(['a', 'b', 'c'])[0]!, axis: 0 },
        { shape: shapes(['a', 'b', 'c'])[0]!, axis: 1 },
        { shape: [3], axis: 0 },
        { shape: [2, 1], axis: -1 },
      ],
      makeInputs: (c, rng) => [U(rng, c.shape, -3, 3)],
      run: (c, [x]) => o[op](x!, c.axis),
      rtol: RTOL,
      atol: ATOL,
    }),
  ),
  row({
    op: 'squaredDistance',
    cases: [
      { shape: shapes(['n', 'k'])[0]!, divisor: 1 },
      { shape: shapes(['n', 1])[0]!, divisor: 3 },
      { shape: shapes(['a', 'b', 'k'])[0]!, divisor: 7.5 },
      { shape: [], divisor: 2 },
    ],
    makeInputs: (c, rng) => [U(rng, c.shape), U(rng, c.shape)],
    run: (c, [a, b]) => o.squaredDistance(a!, b!, c.divisor),
    rtol: RTOL,
    atol: ATOL,
  }),
  row({
    op: 'softmaxCrossEntropy',
    cases: [
      { shape: shapes(['n', 'k'])[0]!, labels: 'onehot' },
      { shape: shapes(['n', 'k'])[0]!, labels: 'soft' },
      { shape: shapes(['n', 'k'])[0]!, labels: 'unnormalized' },
      { shape: shapes(['a', 'b', 'k'])[0]!, labels: 'soft' },
      { shape: shapes(['k'])[0]!, labels: 'onehot' },
    ].map((c) => {
      const k = c.shape[c.shape.length - 1]!;
      const rows = size(c.shape) / k;
      const lab: number[] = [];
      for (let r = 0; r < rows; r++) {
        const hot = rng0.int(k);
        const raw = Array.from({ length: k }, (_, j) => (c.labels === 'onehot' ? (j === hot ? 1 : 0) : 0.1 + rng0.uniform()));
        const tot = c.labels === 'soft' ? raw.reduce((a, b) => a + b, 0) : 1;
        lab.push(...raw.map((v) => v / tot));
      }
      return { ...c, lab };
    }),
    makeInputs: (c, rng) => [U(rng, c.shape, -3, 3)],
    run: (c, [x]) => o.softmaxCrossEntropy(x!, tensor(c.lab, c.shape)),
    rtol: RTOL,
    atol: ATOL,
  }),
  // ---- conv / pool (valid, same, causal × strides 1–3 × dilation 1–3)
  row({
    op: 'conv1d',
    cases: convCases,
    makeInputs: (c, rng) => [U(rng, c.xShape, -1, 1), U(rng, c.wShape, -1, 1)],
    run: (c, [x, w]) => o.conv1d(x!, w!, { padding: c.padding, strides: c.strides, dilationRate: c.dilationRate }),
    rtol: RTOL,
    atol: ATOL,
  }),
  ...(['conv2d', 'depthwiseConv2d', 'conv2dTranspose'] as const).map((op) =>
    row({
      op,
      cases: conv2dCases.filter((c) => c.op === op),
      makeInputs: (c, rng) => [U(rng, c.xShape, -1, 1), U(rng, c.wShape, -1, 1)],
      run: (c, [x, w]) => (op === 'conv2d' ? o.conv2d(x!, w!, c.opts) : op === 'depthwiseConv2d' ? o.depthwiseConv2d(x!, w!, c.opts) : o.conv2dTranspose(x!, w!, c.opts)),
      rtol: RTOL,
      atol: ATOL,
    }),
  ),
  ...(['maxPool1d', 'avgPool1d'] as const).map((op) =>
    row({
      op,
      cases: poolCases,
      makeInputs: (c, rng) => [inp(c.shape, distinct(rng, size(c.shape)))],
      run: (c, [x]) => o[op](x!, c.pool, c.strides, c.padding),
      rtol: RTOL,
      atol: ATOL,
    }),
  ),
  // ---- 2-D pooling and image shape ops (fixed shapes: rng0 is not drawn, so the rows above keep theirs)
  ...(['maxPool2d', 'avgPool2d'] as const).map((op) =>
    row({
      op,
      cases: (['valid', 'same'] as const).flatMap((padding) =>
        (
          [
            [[2, 2], undefined, [2, 5, 6, 3]],
            [[3, 3], [1, 1], [1, 5, 5, 2]],
            [[3, 2], [2, 1], [2, 7, 4, 2]],
            [[2, 2], [3, 3], [1, 7, 8, 3]],
            [[1, 3], [2, 2], [1, 4, 7, 1]],
          ] as [[number, number], [number, number] | undefined, number[]][]
        ).map(([pool, strides, shape]) => ({ shape, pool, strides, padding })),
      ),
      makeInputs: (c, rng) => [inp(c.shape, distinct(rng, size(c.shape)))],
      run: (c, [x]) => o[op](x!, c.pool, c.strides, c.padding),
      rtol: RTOL,
      atol: ATOL,
    }),
  ),
  row({
    op: 'zeroPad2d',
    cases: [
      { shape: [2, 3, 4, 2], pad: [[1, 1], [1, 1]] as const },
      { shape: [1, 2, 3, 3], pad: [[0, 2], [3, 0]] as const },
      { shape: [1, 2, 2, 1], pad: [[0, 0], [0, 0]] as const },
    ],
    makeInputs: (c, rng) => [U(rng, c.shape)],
    run: (c, [x]) => o.zeroPad2d(x!, c.pad),
    rtol: RTOL,
    atol: ATOL,
  }),
  row({
    op: 'crop2d',
    cases: [
      { shape: [2, 5, 6, 2], crop: [[1, 1], [2, 1]] as const },
      { shape: [1, 4, 3, 3], crop: [[0, 3], [1, 0]] as const },
    ],
    makeInputs: (c, rng) => [U(rng, c.shape)],
    run: (c, [x]) => o.crop2d(x!, c.crop),
    rtol: RTOL,
    atol: ATOL,
  }),
  row({
    op: 'upsample2d',
    cases: (['nearest', 'bilinear'] as const).flatMap((interpolation) =>
      (
        [
          [[2, 3, 4, 2], [2, 2]],
          [[1, 3, 2, 3], [3, 1]],
          [[1, 1, 4, 1], [2, 3]],
        ] as [number[], [number, number]][]
      ).map(([shape, factor]) => ({ shape, factor, interpolation })),
    ),
    makeInputs: (c, rng) => [U(rng, c.shape)],
    run: (c, [x]) => o.upsample2d(x!, c.factor, c.interpolation),
    rtol: RTOL,
    atol: ATOL,
  }),
  // ---- image resampling: every fill mode × interpolation, a rotation-zoom, a shift by a fraction, a projective map and a resize
  row({
    op: 'affineTransform',
    cases: (['constant', 'nearest', 'reflect', 'wrap'] as const).flatMap((fillMode) =>
      (['nearest', 'bilinear'] as const).flatMap((interpolation) =>
        (
          [
            [[2, 4, 5, 3], [[0.8, -0.6, 1.3, 0.6, 0.8, -0.7, 0, 0], [1, 0, -1.37, 0, 1, 2.21, 0, 0]], undefined],
            [[1, 5, 4, 2], [[1.1, 0.2, -0.4, -0.3, 0.9, 0.6, 0.03, -0.02]], undefined],
            [[1, 3, 4, 1], [[0.55, 0, 0.21, 0, 0.62, -0.13, 0, 0]], [5, 6]],
          ] as [number[], number[][], [number, number] | undefined][]
        ).map(([shape, transforms, outputSize]) => ({ shape, transforms, outputSize, fillMode, interpolation })),
      ),
    ),
    makeInputs: (c, rng) => [U(rng, c.shape)],
    run: (c, [x]) => o.affineTransform(x!, c.transforms, { fillMode: c.fillMode, interpolation: c.interpolation, fillValue: 0.5, ...(c.outputSize ? { outputSize: c.outputSize } : {}) }),
    rtol: RTOL,
    atol: ATOL,
  }),
  // ---- recurrent sequences: every cell, GRU reset after/before (recurrent bias), sequence masks, per-gate recurrent dropout masks, goBackwards, fused activations
  row({
    op: 'rnnSequence',
    cases: RNN_CASES,
    makeInputs: (c, rng) => {
      const G = o.rnnGates(c.cell);
      const xs = [U(rng, [2, 3, G * 3], -1, 1), U(rng, [3, G * 3], -0.7, 0.7)];
      return c.cell === 'gru' && c.resetAfter !== false ? [...xs, U(rng, [G * 3], -0.5, 0.5)] : xs;
    },
    run: (c, [zx, rk, rb]) => {
      const G = o.rnnGates(c.cell);
      const rmask = c.rmask ? tensor(Array.from({ length: G * 6 }, (_, i) => (i % 3 === 1 ? 0 : 1.25)), [G, 2, 3]) : null;
      const mask = c.mask ? tensor([1, 0, 1, 0, 1, 1], [2, 3]) : null;
      return o.rnnSequence(zx!, rk!, rb ?? null, { ...c, recurrentMask: rmask, mask });
    },
    rtol: RTOL,
    atol: ATOL,
  }),
];

function describeCase(c: unknown): string {
  return JSON.stringify(c, (_k, v: unknown) => (Array.isArray(v) && v.length > 8 ? `[${v.length} values]` : v));
}

for (const r of TABLE) {
  test(`gradcheck ${r.op} (rtol ${r.rtol}, atol ${r.atol})`, () => {
    const rng = new Rng(99);
    const failures: string[] = [];
    for (const c of r.cases) {
      const inputs = r.makeInputs(c, rng);
      const res = gradCheck((...xs) => project(r.run(c, xs)), inputs, { rtol: r.rtol, atol: r.atol });
      if (!res.ok) {
        failures.push(`${describeCase(c)}: worst ${res.worst.toExponential(2)}× the bound, maxdiff ${res.maxAbsDiff.toExponential(3)} at ${JSON.stringify(res.where)}`);
      }
    }
    assert.equal(failures.length, 0, `${r.op}: ${failures.length}/${r.cases.length} cases fail |fd − ad| ≤ ${r.atol} + ${r.rtol}·|ad|:\n${failures.join('\n')}`);
  });
}

test('gradcheck covers every differentiable op exported by src/ops', () => {
  const covered = new Set(TABLE.map((r) => r.op.split(/[ (]/)[0]!));
  const differentiable = [
    'add sub mul div neg exp log sqrt square abs sign reciprocal pow maximum minimum clip where',
    'matmul dense transpose reshape concat slice gather broadcastTo expandDims squeeze',
    'sum mean max min norm l2Normalize relu relu6 leakyRelu elu selu gelu sigmoid hardSigmoid tanh softplus softsign swish',
    'softmax logSoftmax softmaxCrossEntropy squaredDistance conv1d maxPool1d avgPool1d',
    'maxPool2d avgPool2d zeroPad2d crop2d upsample2d',
    'conv2d depthwiseConv2d conv2dTranspose',
    'affineTransform',
    'rnnSequence',
  ]
    .join(' ')
    .split(' ');
  const missing = differentiable.filter((op) => !covered.has(op));
  assert.deepEqual(missing, []);
  for (const op of differentiable) assert.equal(typeof (o as Record<string, unknown>)[op], 'function', `ops.${op} is exported`);
});

test('random-direction gradcheck on larger dense and conv1d inputs (rtol 1e-6)', () => {
  const rng = new Rng(5);
  const dense = gradCheck((x, w, b) => o.sum(o.square(o.dense(x!, w!, b!, 'tanh'))), [U(rng, [16, 24], -1, 1), U(rng, [24, 12], -0.5, 0.5), U(rng, [12])], {
    directions: 6,
    rtol: 1e-6,
    atol: 1e-7,
  });
  assert.ok(dense.ok, `dense: worst ${dense.worst}, maxdiff ${dense.maxAbsDiff}, ${JSON.stringify(dense.where)}`);
  const conv = gradCheck((x, w) => project(o.conv1d(x!, w!, { padding: 'same', strides: 2 })), [U(rng, [4, 40, 6], -1, 1), U(rng, [5, 6, 8], -0.5, 0.5)], {
    directions: 6,
    rtol: 1e-6,
    atol: 1e-7,
  });
  assert.ok(conv.ok, `conv1d: worst ${conv.worst}, maxdiff ${conv.maxAbsDiff}, ${JSON.stringify(conv.where)}`);
});

test('gradCheck reports a wrong gradient (the harness can fail)', () => {
  // A deliberately wrong backward: d(x³)/dx declared as 2x.
  const wrong = (x: Tensor): Tensor => o.defineOp('wrongCube', [x], o.mul(o.mul(x, x), x), (dy) => [o.mul(dy, o.mul(x, 2))]);
  const res = gradCheck((x) => o.sum(wrong(x!)), [[[3], [0.5, 1, 2]]]);
  assert.equal(res.ok, false);
  assert.ok(res.maxAbsDiff > 1, `maxdiff ${res.maxAbsDiff}`);
  assert.equal(res.where?.index, 2);
  assertClose(res.where!.numeric, 12, { rtol: 1e-6 });
  assertClose(res.where!.analytic, 4, { rtol: 1e-12 });
});
