/**
 * A `TuneReportData` for tune-report tests: a real study (tune() with the
 * random sampler and ASHA) over a closed-form objective — validation
 * accuracy curves that rise with the epochs, peak at l2 ≈ 1e-3, fall with
 * dropout and do not depend on the optimizer — so the report's charts can be
 * checked without training a network.
 */
import { fanovaImportance } from '../../src/study/importance.js';
import { AshaPruner } from '../../src/study/pruners.js';
import { RandomSampler } from '../../src/study/samplers.js';
import { spaceFromSpecs } from '../../src/study/space.js';
import { correctedResampledTTest } from '../../src/study/stats.js';
import { tune } from '../../src/study/tune.js';
import type { TuneReportData } from '../../src/report/tune-report.js';

/** The closed-form accuracy after `epoch` epochs. */
function accuracy(l2: number, dropout: number, epoch: number): number {
  const peak = 0.97 - 0.02 * (Math.log10(l2) + 3) ** 2 - 0.05 * dropout;
  return peak - 0.25 * Math.exp(-epoch / 3);
}

/** A study of `trials` trials of ≤ 12 epochs, as `regula tune` would report it. */
export async function sampleTuneReport(trials = 24): Promise<TuneReportData> {
  const space = spaceFromSpecs(['l2=loguniform:1e-6:1e-1', 'dropout=uniform:0:0.5', 'optimizer=choice:adam,sgd']);
  const epochs = 12;
  const result = await tune({
    space,
    trials,
    metric: 'val_accuracy',
    direction: 'maximize',
    sampler: new RandomSampler(3),
    pruner: new AshaPruner({ minResource: 1, reductionFactor: 3 }),
    objective: async (t) => {
      let v = 0;
      for (let e = 1; e <= epochs; e++) {
        v = accuracy(t.params['l2'] as number, t.params['dropout'] as number, e);
        if (await t.report(e, v)) break;
      }
      return v;
    },
  });
  const best = result.best!;
  // Ten resamples: the best configuration about 0.02 above the baseline, with split-to-split noise.
  const base = [0.931, 0.925, 0.94, 0.928, 0.936, 0.922, 0.93, 0.941, 0.927, 0.933];
  const bestScores = base.map((b, i) => b + 0.02 + 0.012 * Math.sin(3 * i));
  return {
    title: 'Regula tune: sample study',
    dataset: 'sample',
    objective: 'val_accuracy',
    direction: 'maximize',
    settings: { sampler: 'random', pruner: 'asha (η 3, min resource 1 epoch)', 'epochs per trial': epochs },
    trials: result.trials.map((t) => ({ number: t.number, state: t.state, params: t.params, value: t.value, epochs: t.epochs, intermediate: [...t.intermediate.entries()].sort((a, b) => a[0] - b[0]) })),
    best: best.number,
    command: `regula train --dataset digits --l2 ${best.params!['l2']} --dropout ${best.params!['dropout']} --optimizer ${best.params!['optimizer']} --out regula-model`,
    table: 'trial  params  val_accuracy  state  epochs',
    space,
    importance: fanovaImportance(space, result.trials, { seed: 0 }),
    versusBaseline: {
      baseline: 'no regularization (optimizer as the best)',
      resampling: '2 × 5-fold cross-validation of 1437 rows',
      best: bestScores,
      base,
      test: correctedResampledTTest(bestScores.map((v, i) => v - base[i]!), { nTrain: 1150, nTest: 287 }),
    },
  };
}
