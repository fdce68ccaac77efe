/**
 * What Regula adds beyond the Keras-1 tutorial (and beyond TF.js):
 *  1. `restoreBestWeights` restored at the end of training even when it never
 *     stopped early (Keras 3; TF.js throws on the option);
 *  2. a ModelCheckpoint sink that keeps the best weights in memory (no file
 *     system needed) and `History.bestEpoch`;
 *  3. decoupled weight decay on any optimizer (`weightDecay`, AdamW) with
 *     `excludeFromWeightDecay`;
 *  4. label smoothing, which tempers over-confident predictions;
 *  5. a maxNorm constraint applied after every step during fit (TF.js never
 *     applies constraints in fit), and `regularizationReport` showing its pressure.
 * Run: `node --import tsx examples/beyond-keras.ts`.
 */
import { Sequential, layers, callbacks, constraints, optimizers, losses, ops, regularizationReport } from '../src/index.js';
import { digitsSplit } from './digits.js';
import { check } from './check.js';

const data = digitsSplit(0, 300, 300);
const mlp = (extra: Partial<Parameters<typeof layers.dense>[0]> = {}): Sequential =>
  new Sequential([
    layers.dense({ units: 128, inputShape: [64], activation: 'relu', ...extra }),
    layers.dense({ units: 10, activation: 'softmax' }),
  ], { seed: 1 });

// 1 + 2: restoreBestWeights over a run that does not stop early, and the in-memory best checkpoint.
{
  const model = mlp();
  model.compile({ optimizer: optimizers.adam({ learningRate: 0.005 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const es = callbacks.earlyStopping({ patience: 100, restoreBestWeights: true });
  const best = callbacks.modelCheckpoint({ sink: 'memory', monitor: 'val_loss', saveBestOnly: true });
  const h = await model.fit(data.train.x, data.train.y, { epochs: 25, batchSize: 32, validationData: [data.val.x, data.val.y], callbacks: [es, best], seed: 2, verbose: 0 });
  const b = h.bestEpoch('val_loss');
  const after = model.evaluate(data.val.x, data.val.y)['loss']!;
  const lastVal = h.history['val_loss']![h.epoch.length - 1]!;
  console.log(`1. ran all ${h.epoch.length} epochs; best epoch ${b.epoch + 1} (val_loss ${b.value.toFixed(4)}); last epoch val_loss ${lastVal.toFixed(4)}; after fit the model scores ${after.toFixed(4)}`);
  console.log(`2. memory checkpoint: epoch ${best.memory!.epoch + 1}, val_loss ${best.memory!.value!.toFixed(4)}, ${best.memory!.weights.length} tensors`);
  check(es.stoppedEpoch === 0 && h.epoch.length === 25, 'training ran to the end (no early stop)');
  check(Math.abs(after - b.value) < 1e-4, 'restoreBestWeights restored the best epoch anyway');
  check(best.memory!.epoch === b.epoch, 'the memory checkpoint holds the same best epoch');
}

// 3: decoupled weight decay, biases excluded.
{
  const norm2 = (m: Sequential): number => Array.from(m.layers[0]!.getWeights()[0]!.data).reduce((s, v) => s + v * v, 0);
  const plain = mlp();
  plain.compile({ optimizer: optimizers.adam({ learningRate: 0.005 }), loss: 'sparseCategoricalCrossentropy' });
  await plain.fit(data.train.x, data.train.y, { epochs: 15, batchSize: 32, seed: 2, verbose: 0 });
  const decayed = mlp();
  const adamw = optimizers.adamw({ learningRate: 0.005, weightDecay: 1 });
  adamw.excludeFromWeightDecay({ varNames: ['bias'] });
  decayed.compile({ optimizer: adamw, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  await decayed.fit(data.train.x, data.train.y, { epochs: 15, batchSize: 32, seed: 2, verbose: 0 });
  const acc = decayed.evaluate(data.test.x, data.test.y)['accuracy']!;
  console.log(`3. Σw² of the hidden kernel: adam ${norm2(plain).toFixed(2)}, adamw(weightDecay 1) ${norm2(decayed).toFixed(2)}; adamw test accuracy ${acc.toFixed(4)}`);
  check(norm2(decayed) < 0.8 * norm2(plain), 'weight decay shrinks the kernel');
}

// 4: label smoothing (categorical labels) lowers the confidence of predictions.
{
  const oneHot = (y: typeof data.train.y) => ops.oneHot(y, 10);
  const confidence = async (ls: number): Promise<number> => {
    const m = mlp();
    m.compile({ optimizer: optimizers.adam({ learningRate: 0.005 }), loss: losses.categoricalCrossentropy({ labelSmoothing: ls }) });
    await m.fit(data.train.x, oneHot(data.train.y), { epochs: 15, batchSize: 32, seed: 2, verbose: 0 });
    const p = m.predict(data.test.x);
    return ops.mean(ops.max(p, -1)).item();
  };
  const sharp = await confidence(0);
  const smooth = await confidence(0.2);
  console.log(`4. mean top-class probability on test digits: labelSmoothing 0 → ${sharp.toFixed(4)}, 0.2 → ${smooth.toFixed(4)}`);
  check(smooth < sharp - 0.05, 'label smoothing tempers over-confident predictions');
}

// 5: maxNorm is applied during fit; the report shows how many units sit at the limit.
{
  const model = mlp({ kernelConstraint: constraints.maxNorm(1) });
  model.compile({ optimizer: optimizers.adam({ learningRate: 0.005 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  await model.fit(data.train.x, data.train.y, { epochs: 15, batchSize: 32, seed: 2, verbose: 0 });
  const [row] = regularizationReport(model);
  console.log(`5. maxNorm(1): unit norms min ${row!.unitNorms!.min.toFixed(4)} / mean ${row!.unitNorms!.mean.toFixed(4)} / max ${row!.unitNorms!.max.toFixed(4)}; ${row!.maxNorm!.atLimit} of ${row!.unitNorms!.count} units at the limit`);
  check(row!.unitNorms!.max <= 1 + 1e-6, 'no unit exceeds the max norm after training');
  check(row!.maxNorm!.atLimit > 0, 'some units are held at the limit');
}
