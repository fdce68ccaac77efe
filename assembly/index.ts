/**
 * THE ABI of build/regula.wasm: every kernel, re-exported. Each is
 * `(pointers…, dimensions…, flags) => void`; pointers are byte offsets into
 * the imported shared memory. Kernels never allocate: any scratch comes in as
 * a pointer. The typed mirror is src/backend/wasm/exports.ts; kernel names
 * match the Backend methods where one kernel serves one method.
 */
export { gemm, gemmScratchBytes } from './gemm';
export { conv1dForward, conv1dBackwardInput, conv1dBackwardFilter } from './conv1d';
export { conv2dForward, conv2dBackwardInput, conv2dBackwardFilter, conv2dBackwardFilterChunks, sumChunks } from './conv2d';
export { depthwiseConv2dForward, depthwiseConv2dBackwardInput, depthwiseConv2dBackwardFilter } from './depthwise';
export { unary, unaryBackward, clip, clipBackward, axpby, castToFloat, castToInt } from './elementwise';
export { binary, where } from './binary';
export { reduce, argReduce, sumSquares } from './reduce';
export { softmax, logSoftmax, softmaxBackward, logSoftmaxBackward, softmaxCrossEntropy, softmaxCrossEntropyBackward } from './softmax';
export { gatherStrided, transpose2d, copy2d, gather, gatherBackward, oneHot, fill } from './layout';
export { pool1dForward, pool1dBackward } from './pool1d';
export { pool2dForward, pool2dBackward } from './pool2d';
export { affineTransform, affineTransformBackward } from './affine';
export { rnnMaskState, rnnCellForward, rnnGruReset, rnnCellBackward, rnnGruResetBackward, rnnCombine } from './rnn';
export { randomUniform, randomNormal, dropoutMask } from './random';
export { sgdUpdate, adamUpdate, rmspropUpdate, adagradUpdate, scaleInPlace, maxNormInPlace } from './optimizers';
