/**
 * The reference backend: plain TypeScript loops over typed arrays. It is the
 * specification in code and the oracle the wasm backend is tested against.
 * With `{ float64: true }` it computes in Float64Array (test-only precision for
 * finite-difference gradient checks).
 */
import type {
  AdamArgs,
  AffineGeometry,
  AnyArray,
  ArgReduceOp,
  Backend,
  BinaryOp,
  Conv1dGeometry,
  Conv2dGeometry,
  FloatArray,
  MatmulArgs,
  Pool1dGeometry,
  Pool2dGeometry,
  PoolKind,
  ReduceOp,
  RmspropArgs,
  RnnGeometry,
  StreamArgs,
  UnaryOp,
} from '../backend.js';
import { fillNormal, fillUniform } from '../../random.js';
import { binaryInto, forEachBroadcast, unaryBackwardInto, unaryInto } from './elementwise.js';
import * as K from './kernels.js';
import * as C from './conv-pool.js';
import * as P2 from './pool2d.js';
import * as C2 from './conv2d.js';
import * as AF from './affine.js';
import { referenceRnnBackward, referenceRnnForward } from './rnn-cells.js';
import { broadcastStrides, sizeOf } from '../../tensor/shape.js';

/** Options of the reference backend. */
export interface ReferenceOptions {
  /** Compute in float64 (gradient checks only). */
  float64?: boolean;
}

/** Plain-TypeScript implementation of every `Backend` kernel (see backend.ts for each contract). */
export class ReferenceBackend implements Backend {
  readonly name = 'reference' as const;
  readonly float64: boolean;

  constructor(options: ReferenceOptions = {}) {
    this.float64 = options.float64 ?? false;
  }

  allocFloat(size: number): FloatArray {
    return this.float64 ? new Float64Array(size) : new Float32Array(size);
  }
  allocInt(size: number): Int32Array {
    return new Int32Array(size);
  }
  allocPersistent(size: number): FloatArray {
    return this.allocFloat(size);
  }
  beginScope(): void {}
  endScope(): void {}
  copyOut(x: AnyArray): AnyArray {
    return x.slice();
  }
  fromValues(values: ArrayLike<number>): FloatArray {
    const out = this.allocFloat(values.length);
    out.set(values);
    return out;
  }

  fill(size: number, value: number): FloatArray {
    return this.allocFloat(size).fill(value);
  }
  unary(op: UnaryOp, x: FloatArray, alpha: number): FloatArray {
    const out = this.allocFloat(x.length);
    unaryInto(op, x, alpha, out);
    return out;
  }
  unaryBackward(op: UnaryOp, x: FloatArray, y: FloatArray, dy: FloatArray, alpha: number): FloatArray {
    const out = this.allocFloat(x.length);
    unaryBackwardInto(op, x, y, dy, alpha, out);
    return out;
  }
  binary(op: BinaryOp, a: FloatArray, aShape: readonly number[], b: FloatArray, bShape: readonly number[], outShape: readonly number[]): FloatArray {
    const out = this.allocFloat(sizeOf(outShape));
    binaryInto(op, a, aShape, b, bShape, outShape, out);
    return out;
  }
  where(
    cond: FloatArray,
    condShape: readonly number[],
    a: FloatArray,
    aShape: readonly number[],
    b: FloatArray,
    bShape: readonly number[],
    outShape: readonly number[],
  ): FloatArray {
    const out = this.allocFloat(sizeOf(outShape));
    const strides = [condShape, aShape, bShape].map((s) => broadcastStrides(s, outShape));
    forEachBroadcast(outShape, strides, (o, offs) => {
      out[o] = cond[offs[0]!] !== 0 ? a[offs[1]!]! : b[offs[2]!]!;
    });
    return out;
  }
  clip(x: FloatArray, lo: number, hi: number): FloatArray {
    const out = this.allocFloat(x.length);
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      out[i] = v !== v ? NaN : v < lo ? lo : v > hi ? hi : v;
    }
    return out;
  }
  clipBackward(x: FloatArray, dy: FloatArray, lo: number, hi: number): FloatArray {
    const out = this.allocFloat(x.length);
    for (let i = 0; i < x.length; i++) out[i] = x[i]! >= lo && x[i]! <= hi ? dy[i]! : 0;
    return out;
  }
  axpby(a: number, x: FloatArray, b: number, y: FloatArray): FloatArray {
    const out = this.allocFloat(x.length);
    for (let i = 0; i < x.length; i++) out[i] = a * x[i]! + b * y[i]!;
    return out;
  }
  castToFloat(x: Int32Array): FloatArray {
    return this.fromValues(x);
  }
  castToInt(x: FloatArray): Int32Array {
    const out = new Int32Array(x.length);
    for (let i = 0; i < x.length; i++) out[i] = Math.trunc(x[i]!);
    return out;
  }

  reduce(op: ReduceOp, x: FloatArray, outer: number, n: number, inner: number): FloatArray {
    const out = this.allocFloat(outer * inner);
    K.reduceInto(op, x, outer, n, inner, out);
    return out;
  }
  sumSquares(x: FloatArray): FloatArray {
    // The definition itself: the squares at this backend's precision, then their sum.
    return this.reduce('sum', this.unary('square', x, 0), 1, x.length, 1);
  }
  argReduce(op: ArgReduceOp, x: FloatArray, outer: number, n: number, inner: number): Int32Array {
    const out = new Int32Array(outer * inner);
    K.argReduceInto(op, x, outer, n, inner, out);
    return out;
  }

  transpose<T extends AnyArray>(x: T, shape: readonly number[], perm: readonly number[]): T {
    const out = this.like(x, x.length);
    K.transposeInto(x, shape, perm, out);
    return out;
  }
  slice<T extends AnyArray>(x: T, shape: readonly number[], begin: readonly number[], size: readonly number[]): T {
    const out = this.like(x, sizeOf(size));
    K.sliceInto(x, shape, begin, size, out);
    return out;
  }
  concat<T extends AnyArray>(xs: readonly T[], outer: number, parts: readonly number[]): T {
    const total = parts.reduce((a, b) => a + b, 0);
    const first = xs[0];
    const out = (first instanceof Int32Array ? new Int32Array(outer * total) : this.allocFloat(outer * total)) as T;
    K.concatInto(xs, outer, parts, out);
    return out;
  }
  gather(x: FloatArray, indices: Int32Array, outer: number, n: number, inner: number): FloatArray {
    const m = indices.length;
    const out = this.allocFloat(outer * m * inner);
    for (let o = 0; o < outer; o++)
      for (let j = 0; j < m; j++) {
        const src = (o * n + indices[j]!) * inner;
        const dst = (o * m + j) * inner;
        for (let i = 0; i < inner; i++) out[dst + i] = x[src + i]!;
      }
    return out;
  }
  gatherBackward(dy: FloatArray, indices: Int32Array, outer: number, n: number, inner: number): FloatArray {
    const m = indices.length;
    const out = this.allocFloat(outer * n * inner);
    for (let o = 0; o < outer; o++)
      for (let j = 0; j < m; j++) {
        const dst = (o * n + indices[j]!) * inner;
        const src = (o * m + j) * inner;
        for (let i = 0; i < inner; i++) out[dst + i]! += dy[src + i]!;
      }
    return out;
  }
  oneHot(indices: Int32Array, depth: number, on: number, off: number): FloatArray {
    const out = this.fill(indices.length * depth, off);
    indices.forEach((ix, r) => {
      if (ix >= 0 && ix < depth) out[r * depth + ix] = on;
    });
    return out;
  }

  matmul(args: MatmulArgs): FloatArray {
    const out = this.allocFloat(args.batch * args.m * args.n);
    K.matmulInto(args, out);
    return out;
  }
  conv1dForward(x: FloatArray, w: FloatArray, g: Conv1dGeometry): FloatArray {
    const out = this.allocFloat(g.batch * g.outLen * g.outC);
    C.conv1dForwardInto(x, w, g, out);
    return out;
  }
  conv1dBackwardInput(dy: FloatArray, w: FloatArray, g: Conv1dGeometry): FloatArray {
    const out = this.allocFloat(g.batch * g.inLen * g.inC);
    C.conv1dBackwardInputInto(dy, w, g, out);
    return out;
  }
  conv1dBackwardFilter(x: FloatArray, dy: FloatArray, g: Conv1dGeometry): FloatArray {
    const out = this.allocFloat(g.k * g.inC * g.outC);
    C.conv1dBackwardFilterInto(x, dy, g, out);
    return out;
  }
  conv2dForward(x: FloatArray, w: FloatArray, g: Conv2dGeometry): FloatArray {
    const out = this.allocFloat(C2.conv2dSizes(g).y);
    C2.conv2dForwardInto(x, w, g, out);
    return out;
  }
  conv2dBackwardInput(dy: FloatArray, w: FloatArray, g: Conv2dGeometry): FloatArray {
    const out = this.allocFloat(C2.conv2dSizes(g).x);
    C2.conv2dBackwardInputInto(dy, w, g, out);
    return out;
  }
  conv2dBackwardFilter(x: FloatArray, dy: FloatArray, g: Conv2dGeometry): FloatArray {
    const out = this.allocFloat(C2.conv2dSizes(g).w);
    C2.conv2dBackwardFilterInto(x, dy, g, out);
    return out;
  }
  depthwiseConv2dForward(x: FloatArray, w: FloatArray, g: Conv2dGeometry): FloatArray {
    const out = this.allocFloat(C2.conv2dSizes(g).y);
    C2.depthwiseConv2dForwardInto(x, w, g, out);
    return out;
  }
  depthwiseConv2dBackwardInput(dy: FloatArray, w: FloatArray, g: Conv2dGeometry): FloatArray {
    const out = this.allocFloat(C2.conv2dSizes(g).x);
    C2.depthwiseConv2dBackwardInputInto(dy, w, g, out);
    return out;
  }
  depthwiseConv2dBackwardFilter(x: FloatArray, dy: FloatArray, g: Conv2dGeometry): FloatArray {
    const out = this.allocFloat(C2.conv2dSizes(g).w);
    C2.depthwiseConv2dBackwardFilterInto(x, dy, g, out);
    return out;
  }
  pool1dForward(kind: PoolKind, x: FloatArray, g: Pool1dGeometry): FloatArray {
    const out = this.allocFloat(g.batch * g.outLen * g.c);
    C.pool1dForwardInto(kind, x, g, out);
    return out;
  }
  pool1dBackward(kind: PoolKind, x: FloatArray, y: FloatArray, dy: FloatArray, g: Pool1dGeometry): FloatArray {
    const out = this.allocFloat(g.batch * g.inLen * g.c);
    C.pool1dBackwardInto(kind, x, y, dy, g, out);
    return out;
  }
  pool2dForward(kind: PoolKind, x: FloatArray, g: Pool2dGeometry): FloatArray {
    const out = this.allocFloat(g.batch * g.outH * g.outW * g.c);
    P2.pool2dForwardInto(kind, x, g, out);
    return out;
  }
  pool2dBackward(kind: PoolKind, x: FloatArray, y: FloatArray, dy: FloatArray, g: Pool2dGeometry): FloatArray {
    const out = this.allocFloat(g.batch * g.inH * g.inW * g.c);
    P2.pool2dBackwardInto(kind, x, y, dy, g, out);
    return out;
  }

  affineTransform(x: FloatArray, transforms: Float64Array, g: AffineGeometry): FloatArray {
    const out = this.allocFloat(AF.affineSizes(g).y);
    AF.affineTransformInto(x, transforms, g, out);
    return out;
  }
  affineTransformBackward(dy: FloatArray, transforms: Float64Array, g: AffineGeometry): FloatArray {
    const out = this.allocFloat(AF.affineSizes(g).x);
    AF.affineTransformBackwardInto(dy, transforms, g, out);
    return out;
  }

  softmax(x: FloatArray, outer: number, n: number): FloatArray {
    const out = this.allocFloat(x.length);
    K.softmaxInto(x, outer, n, out, false);
    return out;
  }
  logSoftmax(x: FloatArray, outer: number, n: number): FloatArray {
    const out = this.allocFloat(x.length);
    K.softmaxInto(x, outer, n, out, true);
    return out;
  }
  softmaxBackward(y: FloatArray, dy: FloatArray, outer: number, n: number): FloatArray {
    const out = this.allocFloat(y.length);
    for (let o = 0; o < outer; o++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += dy[o * n + j]! * y[o * n + j]!;
      for (let j = 0; j < n; j++) out[o * n + j] = y[o * n + j]! * (dy[o * n + j]! - s);
    }
    return out;
  }
  logSoftmaxBackward(y: FloatArray, dy: FloatArray, outer: number, n: number): FloatArray {
    const out = this.allocFloat(y.length);
    for (let o = 0; o < outer; o++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += dy[o * n + j]!;
      for (let j = 0; j < n; j++) out[o * n + j] = dy[o * n + j]! - Math.exp(y[o * n + j]!) * s;
    }
    return out;
  }
  softmaxCrossEntropy(logits: FloatArray, labels: FloatArray, outer: number, n: number): FloatArray {
    const ls = this.logSoftmax(logits, outer, n);
    const out = this.allocFloat(outer);
    for (let o = 0; o < outer; o++) {
      let s = 0;
      for (let j = 0; j < n; j++) s -= labels[o * n + j]! * ls[o * n + j]!;
      out[o] = s;
    }
    return out;
  }
  softmaxCrossEntropyBackward(logits: FloatArray, labels: FloatArray, dloss: FloatArray, outer: number, n: number): FloatArray {
    const p = this.softmax(logits, outer, n);
    const out = this.allocFloat(logits.length);
    for (let o = 0; o < outer; o++) {
      let sl = 0;
      for (let j = 0; j < n; j++) sl += labels[o * n + j]!;
      for (let j = 0; j < n; j++) out[o * n + j] = dloss[o]! * (p[o * n + j]! * sl - labels[o * n + j]!);
    }
    return out;
  }

  randomUniform(size: number, s: StreamArgs, lo: number, hi: number): FloatArray {
    const out = this.allocFloat(size);
    fillUniform(s, out, lo, hi);
    return out;
  }
  randomNormal(size: number, s: StreamArgs, mean: number, std: number): FloatArray {
    const out = this.allocFloat(size);
    fillNormal(s, out, mean, std);
    return out;
  }
  dropoutMask(size: number, s: StreamArgs, rate: number): FloatArray {
    const out = this.allocFloat(size);
    fillUniform(s, out, 0, 1);
    const scale = rate >= 1 ? 0 : 1 / (1 - rate);
    for (let i = 0; i < size; i++) out[i] = out[i]! >= rate ? scale : 0;
    return out;
  }

  rnnForward(g: RnnGeometry, zx: FloatArray, rk: FloatArray, rb: FloatArray | null, rmask: FloatArray | null, smask: FloatArray | null): FloatArray {
    return referenceRnnForward((n) => this.allocFloat(n), g, zx, rk, rb, rmask, smask);
  }
  rnnBackward(g: RnnGeometry, fwd: FloatArray, rk: FloatArray, rmask: FloatArray | null, smask: FloatArray | null, dy: FloatArray): FloatArray {
    return referenceRnnBackward((n) => this.allocFloat(n), g, fwd, rk, rmask, smask, dy);
  }

  sgdUpdate(w: FloatArray, g: FloatArray, m: FloatArray | null, lr: number, momentum: number, nesterov: boolean): void {
    K.sgdUpdate(w, g, m, lr, momentum, nesterov);
  }
  adamUpdate(w: FloatArray, g: FloatArray, m: FloatArray, v: FloatArray, vhat: FloatArray | null, p: AdamArgs): void {
    K.adamUpdate(w, g, m, v, vhat, p);
  }
  rmspropUpdate(w: FloatArray, g: FloatArray, v: FloatArray, mg: FloatArray | null, mom: FloatArray | null, p: RmspropArgs): void {
    K.rmspropUpdate(w, g, v, mg, mom, p);
  }
  adagradUpdate(w: FloatArray, g: FloatArray, acc: FloatArray, lr: number, epsilon: number): void {
    K.adagradUpdate(w, g, acc, lr, epsilon);
  }
  scaleInPlace(w: FloatArray, scale: number): void {
    for (let i = 0; i < w.length; i++) w[i]! *= scale;
  }
  maxNormInPlace(w: FloatArray, rows: number, cols: number, maxValue: number, epsilon: number): void {
    K.maxNormInPlace(w, rows, cols, maxValue, epsilon);
  }
  copyInto(dst: FloatArray, src: FloatArray): void {
    dst.set(src);
  }

  private like<T extends AnyArray>(x: T, size: number): T {
    return (x instanceof Int32Array ? new Int32Array(size) : this.allocFloat(size)) as T;
  }
}
