/**
 * Regula's public API. Import what you need by name:
 * `import { Sequential, layers, regularizers, tensor } from 'regula'`.
 */
export { Tensor, type NestedArray } from './tensor/tensor.js';
export { Variable, type WeightRegularizer, type WeightConstraint } from './tensor/variable.js';
export type { DType } from './tensor/dtype.js';
export { tensor, scalar, fill, zeros, ones, zerosLike, onesLike, randomNormal, randomUniform, truncatedNormal } from './tensor/create.js';
export * as ops from './ops/index.js';
export * from './ops/index.js';
export { valueAndGrad, grad } from './autograd/grad.js';
export { noGrad } from './autograd/tape.js';
export { gradCheck } from './autograd/gradcheck.js';
export { Rng } from './random.js';
export { getBackend, setBackend } from './backend/select.js';
export type { Backend, BackendName } from './backend/backend.js';
