/**
 * The network of a playground state: for each hidden layer, Dense (its
 * activation; L1/L2 on kernel, bias and activity; max-norm / unit-norm /
 * non-neg on the kernel) → Dropout → GaussianNoise → GaussianDropout (each
 * only when set), then the output Dense (softmax over the classes, or one
 * linear unit whose bias starts at the training targets' mean, as the CLI's
 * flag-built MLP). Compiled as the CLI compiles (sparse categorical
 * cross-entropy + accuracy, or MSE + MAE).
 */
import { Sequential } from '../../src/models/sequential.js';
import { layers } from '../../src/layers/index.js';
import { l1l2, type L1L2 } from '../../src/regularizers.js';
import { maxNorm, nonNeg, unitNorm } from '../../src/constraints.js';
import { initializers } from '../../src/initializers.js';
import { optimizers } from '../../src/optimizers/index.js';
import type { Layer } from '../../src/layers/layer.js';
import type { LayerReg, PlaygroundState } from './state.js';

function penalty(l1: number, l2: number): L1L2 | undefined {
  return l1 > 0 || l2 > 0 ? l1l2({ l1, l2 }) : undefined;
}

function constraintOf(r: LayerReg) {
  if (r.constraint === 'maxNorm') return maxNorm(r.maxNorm);
  if (r.constraint === 'unitNorm') return unitNorm();
  if (r.constraint === 'nonNeg') return nonNeg();
  return undefined;
}

export function buildModel(s: PlaygroundState, data: { inputSize: number; outputs: number; task: string; targetMean: number }): Sequential {
  const stack: Layer[] = [];
  const inputShape = [data.inputSize];
  s.hidden.forEach((units, i) => {
    const r = s.layers[i]!;
    const k = penalty(r.kernelL1, r.kernelL2);
    const b = penalty(r.biasL1, r.biasL2);
    const a = penalty(r.activityL1, r.activityL2);
    const c = constraintOf(r);
    stack.push(
      layers.dense({
        units,
        activation: s.activation,
        name: `hidden_${i + 1}`,
        ...(i === 0 ? { inputShape } : {}),
        ...(k ? { kernelRegularizer: k } : {}),
        ...(b ? { biasRegularizer: b } : {}),
        ...(a ? { activityRegularizer: a } : {}),
        ...(c ? { kernelConstraint: c } : {}),
      }),
    );
    if (r.dropout > 0) stack.push(layers.dropout({ rate: r.dropout, name: `dropout_${i + 1}` }));
    if (r.gaussianNoise > 0) stack.push(layers.gaussianNoise({ stddev: r.gaussianNoise, name: `gaussian_noise_${i + 1}` }));
    if (r.gaussianDropout > 0) stack.push(layers.gaussianDropout({ rate: r.gaussianDropout, name: `gaussian_dropout_${i + 1}` }));
  });
  const classification = data.task === 'classification';
  stack.push(
    layers.dense({
      units: data.outputs,
      activation: classification ? 'softmax' : 'linear',
      name: 'output',
      ...(stack.length === 0 ? { inputShape } : {}),
      ...(classification ? {} : { biasInitializer: initializers.constant(data.targetMean) }),
    }),
  );
  const model = new Sequential(stack, { seed: s.seed });
  const optimizer = optimizers[s.optimizer]({ learningRate: s.lr, ...(s.weightDecay > 0 ? { weightDecay: s.weightDecay } : {}) });
  model.compile({
    optimizer,
    loss: classification ? 'sparseCategoricalCrossentropy' : 'meanSquaredError',
    metrics: [classification ? 'accuracy' : 'mae'],
  });
  return model;
}
