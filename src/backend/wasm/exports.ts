/**
 * The typed mirror of assembly/index.ts: every kernel the module exports, and
 * the integer codes its `op`/`kind`/`flags` arguments take. Pointers are byte
 * offsets into the shared memory; sizes are element counts. Keep in step with
 * the AssemblyScript constants named in each comment.
 */
import type { ArgReduceOp, BinaryOp, FillMode, FusedActivation, PoolKind, ReduceOp, ResampleInterpolation, UnaryOp } from '../backend.js';

type Ptr = number;

/** Every export of build/regula.wasm (see assembly/*.ts for each contract). */
export interface KernelExports {
  // gemm.ts, conv1d.ts — (…, r0, r1, c0, c1, scratch): the caller's share of the output
  gemm(a: Ptr, b: Ptr, c: Ptr, bias: Ptr, batch: number, m: number, k: number, n: number, aStride: number, bStride: number, flags: number, r0: number, r1: number, c0: number, c1: number, scratch: Ptr): void;
  gemmScratchBytes(): number;
  conv1dForward(x: Ptr, w: Ptr, y: Ptr, batch: number, inLen: number, inC: number, outLen: number, outC: number, k: number, stride: number, dilation: number, padLeft: number, r0: number, r1: number, c0: number, c1: number, scratch: Ptr): void;
  conv1dBackwardInput(dy: Ptr, w: Ptr, dx: Ptr, batch: number, inLen: number, inC: number, outLen: number, outC: number, k: number, stride: number, dilation: number, padLeft: number, r0: number, r1: number, c0: number, c1: number, scratch: Ptr): void;
  conv1dBackwardFilter(x: Ptr, dy: Ptr, dw: Ptr, batch: number, inLen: number, inC: number, outLen: number, outC: number, k: number, stride: number, dilation: number, padLeft: number, r0: number, r1: number, c0: number, c1: number, scratch: Ptr): void;
  // conv2d.ts — (ptrs…, batch, inH, inW, inC, outH, outW, outC, kh, kw, sh, sw, dh, dw, padTop, padLeft, groups, r0, r1, c0, c1, scratch)
  conv2dForward(x: Ptr, w: Ptr, y: Ptr, ...geometryAndShare: number[]): void;
  conv2dBackwardInput(dy: Ptr, w: Ptr, dx: Ptr, ...geometryAndShare: number[]): void;
  conv2dBackwardFilter(x: Ptr, dy: Ptr, dw: Ptr, ...geometryAndShare: number[]): void;
  // the 16 geometry arguments, then chunks; share rows 4j … 4j + 3 are depth chunk j (see assembly/conv2d.ts)
  conv2dBackwardFilterChunks(x: Ptr, dy: Ptr, parts: Ptr, ...geometryChunksAndShare: number[]): void;
  sumChunks(parts: Ptr, dst: Ptr, chunks: number, n: number, start: number, end: number): void;
  // depthwise.ts — the conv2d argument list (groups = inC); rows (b, h) forward, (b, p) backward-input, taps backward-filter
  depthwiseConv2dForward(x: Ptr, w: Ptr, y: Ptr, ...geometryAndShare: number[]): void;
  depthwiseConv2dBackwardInput(dy: Ptr, w: Ptr, dx: Ptr, ...geometryAndShare: number[]): void;
  depthwiseConv2dBackwardFilter(x: Ptr, dy: Ptr, dw: Ptr, ...geometryAndShare: number[]): void;
  // elementwise.ts
  unary(op: number, x: Ptr, y: Ptr, n: number, alpha: number): void;
  unaryBackward(op: number, x: Ptr, y: Ptr, dy: Ptr, dx: Ptr, n: number, alpha: number): void;
  clip(x: Ptr, y: Ptr, n: number, lo: number, hi: number): void;
  clipBackward(x: Ptr, dy: Ptr, dx: Ptr, n: number, lo: number, hi: number): void;
  axpby(a: number, x: Ptr, b: number, y: Ptr, out: Ptr, n: number): void;
  castToFloat(x: Ptr, y: Ptr, n: number): void;
  castToInt(x: Ptr, y: Ptr, n: number): void;
  // binary.ts — dims: int32 blocks of `rank` (shape, strides per input, zeroed counters)
  binary(op: number, a: Ptr, b: Ptr, out: Ptr, rank: number, dims: Ptr): void;
  where(cond: Ptr, a: Ptr, b: Ptr, out: Ptr, rank: number, dims: Ptr): void;
  // reduce.ts
  reduce(op: number, x: Ptr, y: Ptr, outer: number, n: number, inner: number): void;
  argReduce(op: number, x: Ptr, y: Ptr, outer: number, n: number, inner: number): void;
  sumSquares(x: Ptr, y: Ptr, n: number): void;
  // softmax.ts
  softmax(x: Ptr, y: Ptr, outer: number, n: number): void;
  logSoftmax(x: Ptr, y: Ptr, outer: number, n: number): void;
  softmaxBackward(y: Ptr, dy: Ptr, dx: Ptr, outer: number, n: number): void;
  logSoftmaxBackward(y: Ptr, dy: Ptr, dx: Ptr, outer: number, n: number): void;
  softmaxCrossEntropy(logits: Ptr, labels: Ptr, loss: Ptr, outer: number, n: number, tmp: Ptr): void;
  softmaxCrossEntropyBackward(logits: Ptr, labels: Ptr, dloss: Ptr, dx: Ptr, outer: number, n: number): void;
  // layout.ts
  gatherStrided(src: Ptr, dst: Ptr, rank: number, dims: Ptr): void;
  transpose2d(src: Ptr, dst: Ptr, batch: number, rows: number, cols: number): void;
  copy2d(src: Ptr, dst: Ptr, rows: number, cols: number, srcStride: number, dstStride: number): void;
  gather(x: Ptr, indices: Ptr, out: Ptr, outer: number, n: number, inner: number, count: number): void;
  gatherBackward(dy: Ptr, indices: Ptr, dx: Ptr, outer: number, n: number, inner: number, count: number): void;
  oneHot(indices: Ptr, out: Ptr, count: number, depth: number, on: number, off: number): void;
  fill(dst: Ptr, n: number, value: number): void;
  // pool1d.ts
  pool1dForward(kind: number, x: Ptr, y: Ptr, batch: number, inLen: number, c: number, outLen: number, pool: number, stride: number, padLeft: number): void;
  pool1dBackward(kind: number, x: Ptr, y: Ptr, dy: Ptr, dx: Ptr, batch: number, inLen: number, c: number, outLen: number, pool: number, stride: number, padLeft: number): void;
  // pool2d.ts — split kernels (…, r0, r1, c0, c1, scratch): rows (b, oh) forward, samples b backward; columns are channels
  pool2dForward(kind: number, x: Ptr, y: Ptr, batch: number, inH: number, inW: number, c: number, outH: number, outW: number, poolH: number, poolW: number, strideH: number, strideW: number, padTop: number, padLeft: number, r0: number, r1: number, c0: number, c1: number, scratch: Ptr): void;
  pool2dBackward(kind: number, x: Ptr, y: Ptr, dy: Ptr, dx: Ptr, batch: number, inH: number, inW: number, c: number, outH: number, outW: number, poolH: number, poolW: number, strideH: number, strideW: number, padTop: number, padLeft: number, r0: number, r1: number, c0: number, c1: number, scratch: Ptr): void;
  // affine.ts — range kernels: rows b·outH + oy forward, images b backward; transforms are float64 [batch, 8]
  affineTransform(x: Ptr, t: Ptr, y: Ptr, batch: number, inH: number, inW: number, c: number, outH: number, outW: number, mode: number, interp: number, fill: number, start: number, end: number): void;
  affineTransformBackward(dy: Ptr, t: Ptr, dx: Ptr, batch: number, inH: number, inW: number, c: number, outH: number, outW: number, mode: number, interp: number, start: number, end: number): void;
  // rnn.ts — range kernels over batch rows; blk is an int32 parameter block (src/backend/wasm/rnn.ts FIELDS)
  rnnMaskState(x: Ptr, mask: Ptr, out: Ptr, gates: number, reps: number, n: number): void;
  rnnCellForward(blk: Ptr, step: number, start: number, end: number): void;
  rnnGruReset(blk: Ptr, step: number, start: number, end: number): void;
  rnnCellBackward(blk: Ptr, step: number, start: number, end: number): void;
  rnnGruResetBackward(blk: Ptr, step: number, start: number, end: number): void;
  rnnCombine(blk: Ptr, step: number, start: number, end: number): void;
  // Range kernels: the last two parameters are the element range [start, end) to
  // compute (start % 4 == 0), so the pool can split them like rows of a GEMM.
  // random.ts — keys and counter halves are uint32
  randomUniform(out: Ptr, key0: number, key1: number, ctrLo: number, ctrHi: number, lo: number, hi: number, start: number, end: number): void;
  randomNormal(out: Ptr, key0: number, key1: number, ctrLo: number, ctrHi: number, mean: number, std: number, start: number, end: number): void;
  dropoutMask(out: Ptr, key0: number, key1: number, ctrLo: number, ctrHi: number, rate: number, start: number, end: number): void;
  // optimizers.ts — a 0 pointer means "no such slot"
  sgdUpdate(w: Ptr, g: Ptr, m: Ptr, lr: number, momentum: number, nesterov: number, start: number, end: number): void;
  adamUpdate(w: Ptr, g: Ptr, m: Ptr, v: Ptr, vhat: Ptr, alpha: number, beta1: number, beta2: number, epsilon: number, start: number, end: number): void;
  rmspropUpdate(w: Ptr, g: Ptr, v: Ptr, mg: Ptr, mom: Ptr, lr: number, rho: number, momentum: number, epsilon: number, start: number, end: number): void;
  adagradUpdate(w: Ptr, g: Ptr, acc: Ptr, lr: number, epsilon: number, start: number, end: number): void;
  scaleInPlace(w: Ptr, scale: number, start: number, end: number): void;
  // a range kernel over columns; norms: cols floats of scratch
  maxNormInPlace(w: Ptr, norms: Ptr, rows: number, cols: number, maxValue: number, eps: number, start: number, end: number): void;
}

/** Every export name, checked complete against KernelExports at compile time. */
const NAMES = {
  gemm: 0, gemmScratchBytes: 0, conv1dForward: 0, conv1dBackwardInput: 0, conv1dBackwardFilter: 0,
  conv2dForward: 0, conv2dBackwardInput: 0, conv2dBackwardFilter: 0, conv2dBackwardFilterChunks: 0, sumChunks: 0,
  depthwiseConv2dForward: 0, depthwiseConv2dBackwardInput: 0, depthwiseConv2dBackwardFilter: 0,
  unary: 0, unaryBackward: 0, clip: 0, clipBackward: 0, axpby: 0, castToFloat: 0, castToInt: 0,
  binary: 0, where: 0, reduce: 0, argReduce: 0, sumSquares: 0,
  softmax: 0, logSoftmax: 0, softmaxBackward: 0, logSoftmaxBackward: 0, softmaxCrossEntropy: 0, softmaxCrossEntropyBackward: 0,
  gatherStrided: 0, transpose2d: 0, copy2d: 0, gather: 0, gatherBackward: 0, oneHot: 0, fill: 0,
  pool1dForward: 0, pool1dBackward: 0, pool2dForward: 0, pool2dBackward: 0, randomUniform: 0, randomNormal: 0, dropoutMask: 0,
  sgdUpdate: 0, adamUpdate: 0, rmspropUpdate: 0, adagradUpdate: 0, scaleInPlace: 0, maxNormInPlace: 0,
  affineTransform: 0, affineTransformBackward: 0,
  rnnMaskState: 0, rnnCellForward: 0, rnnGruReset: 0, rnnCellBackward: 0, rnnGruResetBackward: 0, rnnCombine: 0,
} satisfies Record<keyof KernelExports, 0>;

/** The names load.ts asserts the module exports. */
export const KERNEL_NAMES = Object.keys(NAMES) as (keyof KernelExports)[];

/**
 * Kernels the thread pool may run, by index (the workers resolve the same
 * list). The first seven (GEMM, conv1d, conv2d) take (…, r0, r1, c0, c1, scratch); most others are range
 * kernels, which take (…, start, end) and ignore the extra arguments;
 * pool2dForward/pool2dBackward and conv2dBackwardFilterChunks take (…, r0, r1, c0, c1, scratch) too.
 */
export const SPLIT_KERNELS = [
  'gemm', 'conv1dForward', 'conv1dBackwardInput', 'conv1dBackwardFilter',
  'conv2dForward', 'conv2dBackwardInput', 'conv2dBackwardFilter',
  'randomUniform', 'randomNormal', 'dropoutMask', 'sgdUpdate', 'adamUpdate', 'rmspropUpdate', 'adagradUpdate', 'scaleInPlace',
  'pool2dForward', 'pool2dBackward',
  'affineTransform', 'affineTransformBackward',
  'depthwiseConv2dForward', 'depthwiseConv2dBackwardInput', 'depthwiseConv2dBackwardFilter',
  'rnnCellForward', 'rnnGruReset', 'rnnCellBackward', 'rnnGruResetBackward', 'rnnCombine',
  'conv2dBackwardFilterChunks', 'sumChunks', 'maxNormInPlace',
] as const satisfies readonly (keyof KernelExports)[];
/** Name of a kernel the pool can split. */
export type SplitKernel = (typeof SPLIT_KERNELS)[number];

/** assembly/elementwise.ts NEG … SWISH. */
export const UNARY_CODES = {
  neg: 0, exp: 1, log: 2, sqrt: 3, square: 4, abs: 5, sign: 6, reciprocal: 7, powScalar: 8, relu: 9, relu6: 10,
  leakyRelu: 11, elu: 12, selu: 13, gelu: 14, geluTanh: 15, sigmoid: 16, hardSigmoid: 17, tanh: 18, softplus: 19,
  softsign: 20, swish: 21,
} as const satisfies Record<UnaryOp, number>;

/** assembly/binary.ts ADD … EQUAL. */
export const BINARY_CODES = {
  add: 0, sub: 1, mul: 2, div: 3, maximum: 4, minimum: 5, pow: 6, greater: 7, greaterEqual: 8, less: 9, lessEqual: 10, equal: 11,
} as const satisfies Record<BinaryOp, number>;

/** assembly/reduce.ts SUM, MAX, MIN. */
export const REDUCE_CODES = { sum: 0, max: 1, min: 2 } as const satisfies Record<ReduceOp, number>;
/** assembly/reduce.ts ARG_MAX, ARG_MIN. */
export const ARG_REDUCE_CODES = { argMax: 0, argMin: 1 } as const satisfies Record<ArgReduceOp, number>;
/** assembly/affine.ts MODE_*: how a resampling reads outside the input. */
export const FILL_CODES = { constant: 0, nearest: 1, reflect: 2, wrap: 3 } as const satisfies Record<FillMode, number>;
/** assembly/affine.ts INTERP_*. */
export const INTERP_CODES = { nearest: 0, bilinear: 1 } as const satisfies Record<ResampleInterpolation, number>;
/** assembly/pool1d.ts POOL_MAX, POOL_AVG (pool2d.ts uses the same codes). */
export const POOL_CODES = { max: 0, avg: 1 } as const satisfies Record<PoolKind, number>;
/** assembly/gemm.ts ACT_* (bits 2–3 of gemm's flags). */
export const ACTIVATION_CODES = { linear: 0, relu: 1, sigmoid: 2, tanh: 3 } as const satisfies Record<FusedActivation, number>;
/** gemm flags: bit 0 = A stored transposed, bit 1 = B stored transposed. */
export const GEMM_TRANS_A = 1;
export const GEMM_TRANS_B = 2;
