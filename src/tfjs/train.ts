/**
 * `tf.train`: optimizers with TF.js's positional signatures, made as Regula
 * optimizers (Keras 3 update rules: the same steps as TF.js's except where
 * Adam's epsilon sits, see docs/tfjs.md). An omitted epsilon is 1e-7, TF.js's
 * backend epsilon. TF.js's `minimize`/`computeGradients` (eager training
 * loops over `tf.variable`) are not provided: train with `model.fit`.
 */
import { Adagrad, Adam, Optimizer, RMSprop, SGD, getOptimizer } from '../optimizers/index.js';

export { Optimizer };

const EPS = 1e-7;

/** Plain gradient descent. */
export const sgd = (learningRate: number): Optimizer => new SGD({ learningRate });
/** SGD with momentum (TF.js's MomentumOptimizer; Keras's SGD with momentum, the same steps at a fixed rate). */
export const momentum = (learningRate: number, momentum: number, useNesterov = false): Optimizer => new SGD({ learningRate, momentum, nesterov: useNesterov });
export const adam = (learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon: number | null = null): Optimizer => new Adam({ learningRate, beta1, beta2, epsilon: epsilon ?? EPS });
/** TF.js's `decay` is Keras's `rho`. */
export const rmsprop = (learningRate: number, decay = 0.9, momentum = 0, epsilon: number | null = null, centered = false): Optimizer => new RMSprop({ learningRate, rho: decay, momentum, epsilon: epsilon ?? EPS, centered });
export const adagrad = (learningRate: number, initialAccumulatorValue = 0.1): Optimizer => new Adagrad({ learningRate, initialAccumulatorValue });

/** The `tf.train` namespace. TF.js's adadelta and adamax are not provided. */
export const train = { sgd, momentum, adam, rmsprop, adagrad };

/**
 * A compile-time optimizer name with TF.js's defaults ('sgd' 0.01, 'adam'
 * 0.001, 'rmsprop' 0.001, 'adagrad' 0.01; Keras's differ for adagrad), or
 * an Optimizer as it is.
 */
export function optimizerOf(id: string | Optimizer): Optimizer {
  if (typeof id !== 'string') return id;
  const key = id.toLowerCase().replace(/_/g, '');
  if (key === 'sgd') return sgd(0.01);
  if (key === 'adam') return adam();
  if (key === 'rmsprop') return rmsprop(0.001);
  if (key === 'adagrad') return adagrad(0.01);
  return getOptimizer(id);
}
