/**
 * `tf.Tensor` of regula/tfjs: a TF.js-shaped wrapper around a Regula tensor,
 * with TF.js's chained ops (`x.sub(mean).div(std)`), readers (`data()`,
 * `dataSync()`, `array()`, `arraySync()`, `print()`) and `dispose()`.
 *
 * Regula's core Tensor is left as it is (its `data` is a buffer, TF.js's is a
 * method, so the two cannot be one class): this wrapper holds one, reachable
 * with `tf.toRegula(t)`, and ops record Regula's autograd tape as usual.
 * Memory is garbage-collected: `dispose()` marks the wrapper disposed (later
 * use throws, as in TF.js) and lets go of the buffer.
 */
import type { Tensor as CoreTensor } from '../tensor/tensor.js';
import { expandDims, gather, oneHot, squeeze, toFloat, toInt, transpose } from '../ops/index.js';
import * as k from './kernels.js';
import { coreFromValues } from './values.js';
import type { ArrayMap, DataType, DataTypeMap, Rank, ShapeMap, TensorLike } from './types.js';

const cores = new WeakMap<Tensor, CoreTensor>();
const live = { tensors: 0, bytes: 0 };
const collected = new FinalizationRegistry<number>((bytes) => {
  live.tensors--;
  live.bytes -= bytes;
});
let nextId = 0;
/** Tensors made inside each open `tf.tidy` scope, innermost last. */
const scopes: Tensor[][] = [];

/** Opens a tidy scope: tensors made from now on are recorded until `endScope`. */
export function startScope(): void {
  scopes.push([]);
}

/** Closes the innermost scope, disposing its tensors except `keep` and kept ones; survivors move to the outer scope. */
export function endScope(keep: ReadonlySet<Tensor>): void {
  const made = scopes.pop() ?? [];
  const outer = scopes[scopes.length - 1];
  for (const t of made) {
    if (keep.has(t) || t.kept) outer?.push(t);
    else t.dispose();
  }
}

/** Tensors alive now (made and neither disposed nor collected) and their bytes: `tf.memory()`. */
export function liveTensors(): { tensors: number; bytes: number } {
  return { ...live };
}

/** The Regula tensor under a regula/tfjs tensor. */
export function unwrap(t: Tensor): CoreTensor {
  const c = cores.get(t);
  if (!c) throw new Error('Tensor is disposed.');
  return c;
}

/** A regula/tfjs tensor around a Regula tensor. */
export function wrap<T extends Tensor = Tensor>(c: CoreTensor): T {
  return new Tensor(c) as T;
}

/** A tensor or TF.js values as an operand of core ops (numbers stay numbers: scalars). */
export function operand(x: Tensor | TensorLike, op: string): CoreTensor | number {
  if (x instanceof Tensor) return unwrap(x);
  return typeof x === 'number' ? x : coreFromValues(x, undefined, undefined, op);
}

/** A tensor or TF.js values as a core tensor. */
export function coreOf(x: Tensor | TensorLike, op: string, dtype?: DataType): CoreTensor {
  if (x instanceof Tensor) return unwrap(x);
  return coreFromValues(x, undefined, dtype, op);
}

const fmtNum = (v: number, dtype: DataType): string => (dtype === 'int32' ? String(v) : Number.isInteger(v) ? String(v) : v.toFixed(4));

function format(c: CoreTensor): string {
  const d = c.data;
  const s = c.shape;
  if (s.length === 0) return fmtNum(d[0]!, c.dtype);
  let pos = 0;
  const level = (axis: number, indent: string): string => {
    const parts: string[] = [];
    for (let i = 0; i < s[axis]!; i++) parts.push(axis === s.length - 1 ? fmtNum(d[pos++]!, c.dtype) : level(axis + 1, `${indent} `));
    return `[${parts.join(axis === s.length - 1 ? ', ' : `,\n${indent} `)}]`;
  };
  return level(0, '    ');
}

/**
 * An n-dimensional array (TF.js `tf.Tensor`). Make one with `tf.tensor`,
 * `tf.tensor2d`, `tf.zeros`…; `R` is the rank type of TF.js (`tf.Tensor2D`).
 */
export class Tensor<R extends Rank = Rank> {
  readonly id: number;
  readonly shape: ShapeMap[R];
  readonly dtype: DataType;
  readonly size: number;
  readonly rankType: R;
  readonly strides: number[];
  /** Set by `tf.keep` (kept tensors survive `tf.tidy` in TF.js; here nothing is released early anyway). */
  kept = false;
  private disposedFlag = false;

  /** Wraps a Regula tensor; users make tensors with `tf.tensor` and friends. */
  constructor(core: CoreTensor) {
    this.id = nextId++;
    this.shape = [...core.shape] as ShapeMap[R];
    this.dtype = core.dtype;
    this.size = core.size;
    this.rankType = `R${core.rank}` as R;
    this.strides = core.shape.slice(1).map((_, i) => core.shape.slice(i + 1).reduce((p, n) => p * n, 1));
    cores.set(this, core);
    live.tensors++;
    live.bytes += core.size * 4;
    collected.register(this, core.size * 4, this);
    scopes[scopes.length - 1]?.push(this);
  }

  get rank(): number {
    return this.shape.length;
  }
  get isDisposed(): boolean {
    return this.disposedFlag;
  }
  throwIfDisposed(): void {
    if (this.disposedFlag) throw new Error('Tensor is disposed.');
  }
  /** Releases the wrapper: later use throws 'Tensor is disposed.' (the buffer is garbage-collected). */
  dispose(): void {
    if (this.disposedFlag) return;
    this.disposedFlag = true;
    cores.delete(this);
    collected.unregister(this);
    live.tensors--;
    live.bytes -= this.size * 4;
  }

  /** A copy of the values (Float32Array or Int32Array). */
  dataSync<D extends DataType = DataType>(): DataTypeMap[D] {
    return unwrap(this).dataSync() as DataTypeMap[D];
  }
  async data<D extends DataType = DataType>(): Promise<DataTypeMap[D]> {
    return this.dataSync<D>();
  }
  arraySync(): ArrayMap[R] {
    return unwrap(this).toArray() as ArrayMap[R];
  }
  async array(): Promise<ArrayMap[R]> {
    return this.arraySync();
  }
  toString(verbose = false): string {
    const c = unwrap(this);
    const head = verbose ? `Tensor\n  dtype: ${this.dtype}\n  rank: ${this.rank}\n  shape: [${this.shape.join(',')}]\n  values:\n` : 'Tensor\n';
    return `${head}    ${format(c).replace(/^ {4}/, '')}`;
  }
  print(verbose = false): void {
    console.log(this.toString(verbose));
  }
  clone<T extends Tensor>(this: T): T {
    return wrap<T>(unwrap(this));
  }

  // Arithmetic (int32 with int32 stays int32; a number is a float32 scalar, as in TF.js).
  add<T extends Tensor>(b: Tensor | TensorLike): T { return wrap<T>(k.arith('add', unwrap(this), operand(b, 'add'))); }
  sub<T extends Tensor>(b: Tensor | TensorLike): T { return wrap<T>(k.arith('sub', unwrap(this), operand(b, 'sub'))); }
  mul<T extends Tensor>(b: Tensor | TensorLike): T { return wrap<T>(k.arith('mul', unwrap(this), operand(b, 'mul'))); }
  /** int32 / int32 is floor division, as in TF.js. */
  div<T extends Tensor>(b: Tensor | TensorLike): T { return wrap<T>(k.divide(unwrap(this), operand(b, 'div'))); }
  maximum<T extends Tensor>(b: Tensor | TensorLike): T { return wrap<T>(k.arith('maximum', unwrap(this), operand(b, 'maximum'))); }
  minimum<T extends Tensor>(b: Tensor | TensorLike): T { return wrap<T>(k.arith('minimum', unwrap(this), operand(b, 'minimum'))); }
  squaredDifference<T extends Tensor>(b: Tensor | TensorLike): T { return wrap<T>(k.unary('square', k.arith('sub', unwrap(this), operand(b, 'squaredDifference')))); }
  /** The exponent is a number or a one-value tensor (TF.js also takes elementwise exponents). */
  pow<T extends Tensor>(exp: Tensor | number): T { return wrap<T>(k.powOf(unwrap(this), operand(exp, 'pow'))); }
  matMul<T extends Tensor>(b: Tensor | TensorLike, transposeA?: boolean, transposeB?: boolean): Tensor { return wrap<T>(k.matMulOf(unwrap(this), coreOf(b, 'matMul'), transposeA, transposeB)); }

  // Comparisons: 0/1 int32 (TF.js: bool).
  equal<T extends Tensor>(b: Tensor | TensorLike): T { return wrap<T>(k.compare('equal', unwrap(this), operand(b, 'equal'))); }
  notEqual<T extends Tensor>(b: Tensor | TensorLike): T { return wrap<T>(k.compare('notEqual', unwrap(this), operand(b, 'notEqual'))); }
  greater<T extends Tensor>(b: Tensor | TensorLike): T { return wrap<T>(k.compare('greater', unwrap(this), operand(b, 'greater'))); }
  greaterEqual<T extends Tensor>(b: Tensor | TensorLike): T { return wrap<T>(k.compare('greaterEqual', unwrap(this), operand(b, 'greaterEqual'))); }
  less<T extends Tensor>(b: Tensor | TensorLike): T { return wrap<T>(k.compare('less', unwrap(this), operand(b, 'less'))); }
  lessEqual<T extends Tensor>(b: Tensor | TensorLike): T { return wrap<T>(k.compare('lessEqual', unwrap(this), operand(b, 'lessEqual'))); }

  // Reductions.
  sum<T extends Tensor>(axis?: number | number[], keepDims?: boolean): T { return wrap<T>(k.reduce('sum', unwrap(this), axis, keepDims)); }
  mean<T extends Tensor>(axis?: number | number[], keepDims?: boolean): T { return wrap<T>(k.reduce('mean', unwrap(this), axis, keepDims)); }
  max<T extends Tensor>(axis?: number | number[], keepDims?: boolean): T { return wrap<T>(k.reduce('max', unwrap(this), axis, keepDims)); }
  min<T extends Tensor>(axis?: number | number[], keepDims?: boolean): T { return wrap<T>(k.reduce('min', unwrap(this), axis, keepDims)); }
  /** Default axis 0, as in TF.js. */
  argMax<T extends Tensor>(axis?: number): T { return wrap<T>(k.argOf('argMax', unwrap(this), axis)); }
  argMin<T extends Tensor>(axis?: number): T { return wrap<T>(k.argOf('argMin', unwrap(this), axis)); }
  norm<T extends Tensor>(ord?: number | 'euclidean' | 'fro', axis?: number | number[], keepDims?: boolean): Tensor { return wrap<T>(k.normOf(unwrap(this), ord, axis, keepDims)); }

  // Elementwise.
  abs<T extends Tensor>(this: T): T { return wrap<T>(k.unary('abs', unwrap(this))); }
  neg<T extends Tensor>(this: T): T { return wrap<T>(k.unary('neg', unwrap(this))); }
  square<T extends Tensor>(this: T): T { return wrap<T>(k.unary('square', unwrap(this))); }
  sqrt<T extends Tensor>(this: T): T { return wrap<T>(k.unary('sqrt', unwrap(this))); }
  exp<T extends Tensor>(this: T): T { return wrap<T>(k.unary('exp', unwrap(this))); }
  log<T extends Tensor>(this: T): T { return wrap<T>(k.unary('log', unwrap(this))); }
  sign<T extends Tensor>(this: T): T { return wrap<T>(k.unary('sign', unwrap(this))); }
  relu<T extends Tensor>(): T { return wrap<T>(k.unary('relu', unwrap(this))); }
  sigmoid<T extends Tensor>(this: T): T { return wrap<T>(k.unary('sigmoid', unwrap(this))); }
  tanh<T extends Tensor>(this: T): T { return wrap<T>(k.unary('tanh', unwrap(this))); }
  softplus<T extends Tensor>(this: T): T { return wrap<T>(k.unary('softplus', unwrap(this))); }
  selu<T extends Tensor>(this: T): T { return wrap<T>(k.unary('selu', unwrap(this))); }
  elu<T extends Tensor>(this: T): T { return wrap<T>(k.eluOf(unwrap(this))); }
  leakyRelu<T extends Tensor>(alpha?: number): T { return wrap<T>(k.leakyReluOf(unwrap(this), alpha)); }
  softmax<T extends Tensor>(this: T, dim?: number): T { return wrap<T>(k.softmaxOf(unwrap(this), dim)); }
  logSoftmax<T extends Tensor>(this: T, axis?: number): T { return wrap<T>(k.logSoftmaxOf(unwrap(this), axis)); }
  round<T extends Tensor>(this: T): T { return wrap<T>(k.roundOf(unwrap(this))); }
  floor<T extends Tensor>(this: T): T { return wrap<T>(k.floorOf(unwrap(this))); }
  ceil<T extends Tensor>(this: T): T { return wrap<T>(k.ceilOf(unwrap(this))); }
  reciprocal<T extends Tensor>(this: T): T { return wrap<T>(k.divide(1, unwrap(this))); }
  clipByValue<T extends Tensor>(min: number, max: number): Tensor { return wrap<T>(k.clipOf(unwrap(this), min, max)); }

  // Dtype.
  toInt<T extends Tensor>(this: T): T { return wrap<T>(toInt(unwrap(this))); }
  toFloat<T extends Tensor>(this: T): T { return wrap<T>(toFloat(unwrap(this))); }
  cast<T extends Tensor>(dtype: DataType): T { return wrap<T>(k.cast(unwrap(this), dtype)); }

  // Shape.
  reshape<T extends Tensor>(shape: number[]): T { return wrap<T>(k.reshapeOf(unwrap(this), shape)); }
  reshapeAs<T extends Tensor>(x: T): T { return wrap<T>(k.reshapeOf(unwrap(this), x.shape)); }
  flatten<T extends Tensor>(): Tensor<Rank.R1> { return wrap<Tensor<Rank.R1>>(k.reshapeOf(unwrap(this), [-1])); }
  asScalar<T extends Tensor>(): Tensor<Rank.R0> { return wrap<Tensor<Rank.R0>>(k.reshapeOf(unwrap(this), [])); }
  as1D<T extends Tensor>(): Tensor<Rank.R1> { return wrap<Tensor<Rank.R1>>(k.reshapeOf(unwrap(this), [-1])); }
  as2D<T extends Tensor>(rows: number, columns: number): Tensor<Rank.R2> { return wrap<Tensor<Rank.R2>>(k.reshapeOf(unwrap(this), [rows, columns])); }
  as3D<T extends Tensor>(rows: number, columns: number, depth: number): Tensor<Rank.R3> { return wrap<Tensor<Rank.R3>>(k.reshapeOf(unwrap(this), [rows, columns, depth])); }
  as4D<T extends Tensor>(rows: number, columns: number, depth: number, depth2: number): Tensor<Rank.R4> { return wrap<Tensor<Rank.R4>>(k.reshapeOf(unwrap(this), [rows, columns, depth, depth2])); }
  expandDims<T extends Tensor>(axis?: number): T { return wrap<T>(expandDims(unwrap(this), axis)); }
  squeeze<T extends Tensor>(axis?: number[]): T { return wrap<T>(squeeze(unwrap(this), axis)); }
  transpose<T extends Tensor>(perm?: number[]): T { return wrap<T>(transpose(unwrap(this), perm)); }
  slice<T extends Tensor>(this: T, begin: number | number[], size?: number | number[]): T { return wrap<T>(k.sliceOf(unwrap(this), begin, size)); }
  /** `indices` are int32 (a list of numbers is made int32); TF.js's `batchDims` is not provided. */
  gather<T extends Tensor>(this: T, indices: Tensor | TensorLike, axis?: number): T {
    const x = unwrap(this);
    const out = gather(toFloat(x), coreOf(indices, 'gather', 'int32'), axis);
    return wrap<T>(x.dtype === 'int32' ? toInt(out) : out);
  }
  concat<T extends Tensor>(tensors: T | Array<T | TensorLike>, axis?: number): T {
    const rest = Array.isArray(tensors) ? tensors : [tensors];
    return wrap<T>(k.concatOf([unwrap(this)].concat(rest.map((t) => coreOf(t, 'concat'))), axis));
  }
  stack<T extends Tensor>(x: Tensor | Tensor[], axis?: number): T {
    const rest = Array.isArray(x) ? x : [x];
    return wrap<T>(k.stack([unwrap(this)].concat(rest.map(unwrap)), axis));
  }
  unstack<T extends Tensor>(axis?: number): T[] { return k.unstack(unwrap(this), axis).map((c) => wrap<T>(c)); }
  split<T extends Tensor>(numOrSizeSplits: number[] | number, axis?: number): T[] { return k.split(unwrap(this), numOrSizeSplits, axis).map((c) => wrap<T>(c)); }
  tile<T extends Tensor>(reps: number[]): T { return wrap<T>(k.tile(unwrap(this), reps)); }
  /** TF.js gives int32 one-hot rows; the indices must be int32. */
  oneHot(depth: number, onValue = 1, offValue = 0): Tensor { return wrap(toInt(oneHot(unwrap(this), depth, onValue, offValue))); }
}
