/**
 * Does pruning pay? (issue 16, "Must show".) On digits and breast_cancer:
 * an exhaustive grid (every cell trained for all epochs) against ASHA
 * studies over the same space with the same budget of trials — the grid's
 * own cells with ASHA pruning, and random sampling with ASHA. Prints each
 * study's best validation accuracy, the grid best's standard error
 * (√(p(1−p)/n_validation)), whether ASHA's best is within one standard error
 * of the grid's, and ASHA's epochs as a share of the grid's (target ≤ 35 %).
 *
 * Usage: node --import tsx scripts/tune-vs-grid.ts [--epochs 20] [--points 4] [--eta 3] [--seed 42] [--datasets digits,breast_cancer]
 */
import { ready } from '../src/index.js';
import { buildModel } from '../src/cli/model-from-flags.js';
import { prepareData, splitTable } from '../src/cli/prepare-data.js';
import { loadData } from '../src/cli/shared-options.js';
import { trainRun } from '../src/cli/train-run.js';
import type { DatasetName } from '../src/cli/datasets.js';
import { AshaPruner, NopPruner, type Pruner } from '../src/study/pruners.js';
import { GridSampler, RandomSampler, TpeSampler, type Sampler } from '../src/study/samplers.js';
import { gridSize, spaceFromSpecs } from '../src/study/space.js';
import { tune, type StudyResult } from '../src/study/tune.js';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : dflt;
}
const EPOCHS = Number(arg('epochs', '20'));
const POINTS = Number(arg('points', '4'));
const ETA = Number(arg('eta', '3'));
const SEED = Number(arg('seed', '42'));
const DATASETS = arg('datasets', 'digits,breast_cancer').split(',') as DatasetName[];
const HIDDEN = [64];

await ready({ threads: 1 });
const space = spaceFromSpecs(['l2=loguniform:1e-5:1e-1', 'dropout=uniform:0:0.6']);
const cells = gridSize(space, POINTS);

interface Row {
  dataset: string;
  study: string;
  best: number;
  epochs: number;
  seconds: number;
  pruned: number;
}
const rows: Row[] = [];
for (const dataset of DATASETS) {
  const table = loadData({ dataset });
  const split = splitTable(table, { validation: 0.2, test: 0.2, seed: SEED });
  const data = prepareData(table, { train: split.train, validation: split.validation });
  const nVal = split.validation.length;
  const run = async (study: string, sampler: Sampler, pruner: Pruner): Promise<StudyResult> => {
    const t0 = performance.now();
    const r = await tune({
      space,
      trials: cells,
      metric: 'val_accuracy',
      direction: 'maximize',
      sampler,
      pruner,
      objective: async (trial) => {
        const p = trial.params;
        const model = buildModel(data, { hidden: HIDDEN, activation: 'relu' }, { l1: 0, l2: p['l2'] as number, dropout: p['dropout'] as number, gaussianNoise: 0, maxNorm: 0 }, SEED);
        const { report } = await trainRun('trial', model, data, { epochs: EPOCHS, batchSize: 32, optimizer: 'adam', seed: SEED, callbacks: [trial.callback()] });
        const h = report.history['val_accuracy']!;
        return h[h.length - 1]!;
      },
    });
    rows.push({
      dataset,
      study,
      best: r.best?.value ?? Number.NaN,
      epochs: r.trials.reduce((s, t) => s + t.epochs, 0),
      seconds: (performance.now() - t0) / 1000,
      pruned: r.trials.filter((t) => t.state === 'pruned').length,
    });
    return r;
  };
  const grid = await run('grid (exhaustive)', new GridSampler(POINTS), new NopPruner());
  const p = grid.best!.value!;
  const se = Math.sqrt((p * (1 - p)) / nVal);
  await run('grid + ASHA', new GridSampler(POINTS), new AshaPruner({ reductionFactor: ETA }));
  await run('random + ASHA', new RandomSampler(SEED), new AshaPruner({ reductionFactor: ETA }));
  await run('TPE + ASHA', new TpeSampler({ seed: SEED, startup: Math.ceil(cells / 3) }), new AshaPruner({ reductionFactor: ETA }));
  const gridEpochs = rows.find((r) => r.dataset === dataset && r.study.startsWith('grid (exhaustive)'))!.epochs;
  console.log(`\n${dataset}: ${cells} trials × ${EPOCHS} epochs, space l2 × dropout (${POINTS} grid points each), MLP ${HIDDEN.join(',')}, ${nVal} validation rows; grid best ${p.toFixed(4)} ± SE ${se.toFixed(4)}`);
  console.log('study               best val_acc  within 1 SE  epochs  share of grid  pruned  seconds');
  for (const r of rows.filter((x) => x.dataset === dataset)) {
    const within = r.best >= p - se ? 'yes' : 'no';
    console.log(`${r.study.padEnd(18)}  ${r.best.toFixed(4).padStart(12)}  ${within.padStart(11)}  ${String(r.epochs).padStart(6)}  ${((100 * r.epochs) / gridEpochs).toFixed(1).padStart(12)} %  ${String(r.pruned).padStart(6)}  ${r.seconds.toFixed(1).padStart(7)}`);
  }
}
