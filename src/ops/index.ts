/** Every tensor op, re-exported. Layers and models import ops from here. */
export * from './arithmetic.js';
export * from './unary.js';
export * from './reduce.js';
export * from './loss-ops.js';
export * from './normalize.js';
export * from './shape-ops.js';
export * from './matmul.js';
export * from './softmax.js';
export * from './conv.js';
export * from './pool2d.js';
export * from './spatial2d.js';
export * from './conv2d.js';
export * from './image.js';
export * from './random-ops.js';
export * from './updates.js';
export * from './rnn.js';
export { defineOp, asFloat, type TensorLike } from './define-op.js';
